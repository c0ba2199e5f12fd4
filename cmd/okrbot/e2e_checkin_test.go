package main

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// sweep runs one scheduler pass now (gocron runs the same every minute).
func (e *env) sweep() {
	e.t.Helper()
	if _, err := e.main.Scheduler.Sweep(e.ctx); err != nil {
		e.t.Fatalf("sweep: %v", err)
	}
}

// prompt waits for user's DM with a check-in prompt containing want.
func (e *env) prompt(user string, want ...string) slacktest.Message {
	e.t.Helper()
	return e.waitMessage(e.srv.DMChannel(user), want...)
}

// The clock starts on Monday Nov 16 2026, 09:00 UTC: 10:00 in Berlin (ana),
// 01:00 in Los Angeles (ben).
func TestPromptButtonModalSubmissionHistoryAndPromptUpdated(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.srv.AppHomeOpened(e.ctx, ana)
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in", "Raise week-1 activation", "Onboarding guide live")
	if strings.Contains(p.AllText(), "Cut P99 checkout latency") {
		t.Error("ana's prompt lists ben's key result")
	}
	if n := len(e.srv.Messages(e.srv.DMChannel(ben))); n != 0 {
		t.Errorf("ben got %d DMs at 01:00 his time", n)
	}
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	// Prefilled with the current values.
	if !strings.Contains(string(v.RawBlocks), `"initial_value":"40%"`) {
		t.Errorf("check-in modal not prefilled with 40%%:\n%s", v.RawBlocks)
	}
	e.advance(30 * time.Minute)
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{
		"ci0_value": {"v": "52%"}, "ci0_conf": {"v": "at_risk"}, "ci0_note": {"v": "Blocked by the legal review"},
		"ci1_value": {"v": "done"},
	})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	// The prompt turns into "Checked in ✓".
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == p.Channel && m.TS == p.TS && m.Edits > 0 && strings.Contains(m.AllText(), "Checked in")
	}); err != nil {
		t.Fatalf("the prompt was not updated: %v", err)
	}
	hist := e.history(o.KeyResults[0].ID)
	if len(hist) != 1 {
		t.Fatalf("history = %v", hist)
	}
	if c := hist[0]; c.Value != 52 || c.Confidence.Level != okrs.AtRisk || c.Comment != "Blocked by the legal review" || c.Author != ana || !c.At.Equal(e.clock()) {
		t.Errorf("stored check-in = %+v", c)
	}
	if h := e.history(o.KeyResults[2].ID); len(h) != 1 || h[0].Value != 1 {
		t.Errorf("milestone check-in = %+v", h)
	}
	if h := e.history(o.KeyResults[1].ID); len(h) != 0 {
		t.Errorf("ben's key result got a check-in from ana: %+v", h)
	}
	// App Home shows the new value.
	if _, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ana && strings.Contains(v.AllText(), "52% / 60%")
	}); err != nil {
		t.Errorf("App Home not refreshed: %v", err)
	}
	// The next sweeps send ana nothing more this week.
	e.sweep()
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 1 {
		t.Errorf("ana has %d DMs after checking in, want the one prompt", n)
	}
}

func TestNudgeOnlyForThoseWhoDidNotCheckIn(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.sweep()                // 09:00 UTC: ana's prompt
	e.advance(9 * time.Hour) // 18:00 UTC: 10:00 in Los Angeles
	e.sweep()                // ben's prompt
	e.prompt(ben, "Cut P99 checkout latency")
	p := e.prompt(ana, "Raise week-1 activation")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	if _, err := e.srv.SubmitView(e.ctx, ana, v.ID, nil); err != nil { // nothing changed: just submit
		t.Fatal(err)
	}
	e.waitMessage(p.Channel, "Checked in")
	e.advance(24*time.Hour + time.Minute) // Tuesday 18:01 UTC: both nudges are due
	e.sweep()
	e.sweep()
	e.waitMessage(e.srv.DMChannel(ben), "Friendly nudge")
	for _, m := range e.srv.Messages(e.srv.DMChannel(ana)) {
		if strings.Contains(m.AllText(), "nudge") {
			t.Errorf("ana was nudged after checking in: %s", m.AllText())
		}
	}
	nudges := 0
	for _, m := range e.srv.Messages(e.srv.DMChannel(ben)) {
		if strings.Contains(m.AllText(), "Friendly nudge") {
			nudges++
		}
	}
	if nudges != 1 {
		t.Errorf("ben got %d nudges, want 1", nudges)
	}
}

func TestNoChangeThisWeek(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	// A first check-in, so there is something to repeat.
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{
		{KeyResultID: o.KeyResults[0].ID, Author: ana, At: e.clock().Add(-48 * time.Hour), Value: 45, Confidence: okrs.Confidence{Level: okrs.OnTrack}},
		{KeyResultID: o.KeyResults[2].ID, Author: ana, At: e.clock().Add(-48 * time.Hour), Value: 0, Confidence: okrs.Confidence{Level: okrs.AtRisk}},
	}); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_checkin_same"); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(p.Channel, "no change this week")
	h := e.history(o.KeyResults[0].ID)
	if len(h) != 2 || h[0].Value != 45 || h[0].Confidence.Level != okrs.OnTrack || !h[0].At.Equal(e.clock()) {
		t.Errorf("no-change check-in = %+v", h)
	}
	h = e.history(o.KeyResults[2].ID)
	if len(h) != 2 || h[0].Confidence.Level != okrs.AtRisk {
		t.Errorf("milestone no-change = %+v", h)
	}
}

func TestInvalidCheckInShowsInlineErrorsAndStoresNothing(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.okr(teamA, ana, growth, "checkin")
	v := e.waitModal(ana, "okr_checkin")
	for _, tt := range []struct {
		value string
		want  string
	}{
		{"fifty", "not a number"},
		{"   ", "Enter a number"},
		{"1e999", "too large"},
	} {
		ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"ci0_value": {"v": tt.value}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ack.Errors()["ci0_value"]; !strings.Contains(got, tt.want) {
			t.Errorf("value %q: error %q, want %q (all: %v)", tt.value, got, tt.want, ack.Errors())
		}
	}
	for _, kr := range o.KeyResults {
		if h := e.history(kr.ID); len(h) != 0 {
			t.Errorf("invalid submissions stored %d check-ins", len(h))
		}
	}
}

func TestForgedCheckInOnSomeoneElsesKeyResultIsIgnored(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	// Ana opens her modal, then tampers with its metadata to point at ben's key result.
	e.okr(teamA, ana, growth, "checkin")
	v := e.waitModal(ana, "okr_checkin")
	forged := strings.Replace(v.PrivateMetadata, o.KeyResults[0].ID, o.KeyResults[1].ID, 1)
	if forged == v.PrivateMetadata {
		t.Fatal("could not forge the metadata")
	}
	cb := checkInCallback(ana, forged, map[string]string{"ci0_value": "1", "ci0_conf": "on_track", "ci1_value": "done", "ci1_conf": "on_track"})
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		t.Fatal(err)
	}
	e.waitMessage("", "Checked in on 1 key result")
	if h := e.history(o.KeyResults[1].ID); len(h) != 0 {
		t.Errorf("ana checked in on ben's key result: %+v", h)
	}
}

func TestRemindCommand(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, func() okrs.Settings {
		s := okrs.DefaultSettings("UTC")
		s.Managers = []string{ana}
		return s
	}()); err != nil {
		t.Fatal(err)
	}
	e.advance(-time.Hour) // Monday 08:00 UTC: midnight in Los Angeles, 09:00 in Berlin: nobody is due yet
	e.okr(teamA, ben, growth, "remind")
	e.waitMessage(growth, "Only this team's managers or a workspace admin")
	e.okr(teamA, ana, growth, "remind")
	e.waitMessage(growth, "Sent 2 reminders")
	e.prompt(ben, "Time for your weekly check-in", "Cut P99 checkout latency")
	e.prompt(ana, "Time for your weekly check-in", "Raise week-1 activation")
	// The scheduled prompts do not come again.
	e.advance(20 * time.Hour)
	e.sweep()
	for _, u := range []string{ana, ben} {
		if n := len(e.srv.Messages(e.srv.DMChannel(u))); n != 1 {
			t.Errorf("%s has %d DMs, want the one reminder", u, n)
		}
	}
	// Carla, an admin but not a manager, may remind too.
	e.okr(teamA, carla, growth, "remind")
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.EphemeralTo == carla && strings.Contains(m.AllText(), "Sent 2 reminders")
	}); err != nil {
		t.Errorf("carla's reminder: %v", err)
	}
}

func TestSettingsModalAndSharedCheckIns(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.okr(teamA, ana, growth, "settings")
	v := e.waitModal(ana, "okr_settings")
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{
		"cadence": {"v": "biweekly"}, "prompt_day": {"v": "3"}, "prompt_time": {"v": "09:30"},
		"tz_mode": {"v": "team"}, "timezone": {"v": "Asia/Kolkata"}, "nudge": {"v": "4h"},
		"managers": {"v": []string{ana, ben}}, "post": {"v": []string{"post"}},
	})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("%v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "every other Wednesday at 09:30 Asia/Kolkata time")
	st, err := e.main.Store.Settings(e.ctx, teamA, growth)
	if err != nil || st.Cadence != okrs.Biweekly || st.PromptDay != time.Wednesday || st.Timezone != "Asia/Kolkata" ||
		st.NudgeAfter != 4*time.Hour || !st.PostCheckIns || len(st.Managers) != 2 || st.OwnerLocalTime {
		t.Fatalf("saved settings = %+v, %v", st, err)
	}
	// The scheduler follows at once: Wednesday 09:30 in Kolkata is 04:00 UTC.
	e.sweep()
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 0 {
		t.Errorf("a prompt on Monday after moving to Wednesdays")
	}
	e.advance(43 * time.Hour) // Wednesday 04:00 UTC
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in")
	e.prompt(ben, "Time for your weekly check-in")
	// Check-ins are shared in the team's weekly thread.
	e.srv.PressButton(e.ctx, ana, p, "okr_checkin")
	v = e.waitModal(ana, "okr_checkin")
	e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"ci0_value": {"v": "48%"}, "ci0_note": {"v": "Two new onboarding emails"}})
	parent := e.waitMessage(growth, "Check-ins for the week of")
	reply := e.waitMessage(growth, "<@"+ana+"> checked in", "48%", "Two new onboarding emails")
	if reply.ThreadTS != parent.TS {
		t.Errorf("the check-in line is not in the weekly thread (thread %q, parent %q)", reply.ThreadTS, parent.TS)
	}
	// Someone who is not a manager cannot change the settings.
	e.okr(teamA, carla, growth, "settings") // an admin may
	e.waitModal(carla, "okr_settings")
	e.srv.AddUser(slacktest.User{ID: "UEVE5", TeamID: teamA, Name: "eve"})
	e.okr(teamA, "UEVE5", growth, "settings")
	if v := e.waitViewText("UEVE5", "Only this team's managers"); v.CallbackID == "okr_settings" {
		t.Error("a non-manager got the settings form")
	}
}

func TestDeactivatedOwnersAreSkipped(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.srv.AddUser(slacktest.User{ID: ana, TeamID: teamA, Name: "ana", TZ: "Europe/Berlin", Deleted: true})
	e.advance(9 * time.Hour) // everyone is due
	e.sweep()
	e.prompt(ben, "Time for your weekly check-in")
	e.sweep()
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 0 {
		t.Errorf("a deactivated owner got %d DMs", n)
	}
	if !strings.Contains(e.logs.String(), "skipping a deactivated or unknown Slack user") {
		t.Error("the skip was not logged")
	}
}
