package main

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// sweepReport runs one scheduler pass now and returns what it did: how a
// test shows that something did not happen (nobody was prompted because
// they are away) without sleeping.
func (e *env) sweepReport() okrs.SendReport {
	e.t.Helper()
	r, err := e.main.Scheduler.Sweep(e.ctx)
	if err != nil {
		e.t.Fatalf("sweep: %v", err)
	}
	return r
}

// dms returns the messages in user's DM whose text contains want.
func (e *env) dms(user, want string) []slacktest.Message {
	var out []slacktest.Message
	for _, m := range e.srv.Messages(e.srv.DMChannel(user)) {
		if strings.Contains(m.AllText(), want) {
			out = append(out, m)
		}
	}
	return out
}

// held reports whether user's prompt of the period was held in #growth.
func (e *env) held(user, period string) bool {
	e.t.Helper()
	hs, err := e.main.Store.HeldPrompts(e.ctx, teamA, growth)
	if err != nil {
		e.t.Fatal(err)
	}
	return okrs.AwayIn(hs, user, period)
}

// The clock starts on Monday Nov 16 2026, 09:00 UTC: 10:00 in Berlin (ana).
func TestVacationStatusHoldsPromptAndNudgeThenOneCatchUp(t *testing.T) {
	e := newEnv(t)
	back := time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC) // Wednesday 09:00 in Berlin
	e.srv.SetStatus(ana, slacktest.Status{Text: "On vacation", Emoji: ":palm_tree:", Expiration: back})
	e.srv.SetStatus(ben, slacktest.Status{Text: "In a meeting", Emoji: ":calendar:"})
	e.createObjective()
	lists := len(e.srv.Calls("users.list"))
	r := e.sweepReport()
	if r.Away != 1 || !e.held(ana, "2026-11-16") {
		t.Fatalf("Monday 10:00 in Berlin: report %+v, held %v; want ana away, her prompt held", r, e.held(ana, "2026-11-16"))
	}
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 0 {
		t.Fatalf("ana, on vacation, got %d DMs", n)
	}
	if n := len(e.srv.Calls("users.list")) - lists; n > 1 {
		t.Errorf("one sweep listed users %d times, want at most 1", n)
	}
	// Monday 18:00 UTC: ben ("in a meeting" is not away) gets his prompt;
	// Tuesday 18:01: his nudge. Ana gets neither.
	e.advance(9 * time.Hour)
	e.sweep()
	e.prompt(ben, "Time for your weekly check-in")
	e.advance(24*time.Hour + time.Minute)
	if r := e.sweepReport(); r.Away != 1 {
		t.Errorf("Tuesday: report %+v, want ana still away", r)
	}
	e.waitMessage(e.srv.DMChannel(ben), "Friendly nudge")
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 0 {
		t.Fatalf("ana, on vacation, got %d DMs by Tuesday", n)
	}
	// Wednesday 09:00 UTC (10:00 Berlin), past status_expiration: one
	// catch-up prompt, whatever the sweeps and replicas.
	e.advance(15*time.Hour - time.Minute)
	e.replica(2)
	e.sweep()
	e.prompt(ana, "Welcome back", "Raise week-1 activation")
	e.sweep()
	// Thursday: no nudge after a catch-up, and no second prompt.
	e.advance(26 * time.Hour)
	e.sweep()
	e.sweep()
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 1 {
		t.Errorf("ana has %d DMs, want the one catch-up prompt: %v", n, e.srv.Messages(e.srv.DMChannel(ana)))
	}
}

func TestAwayCommandThenBack(t *testing.T) {
	e := newEnv(t)
	// Bad dates are refused with a friendly message.
	e.okr(teamA, ana, growth, "away until 2026-11-02")
	e.waitMessage(growth, "is not in the future")
	e.okr(teamA, ana, growth, "away until 2028-01-01")
	e.waitMessage(growth, "more than a year away")
	e.okr(teamA, ana, growth, "away until next-ish")
	e.waitMessage(growth, "could not read")
	e.okr(teamA, ana, growth, "away until 2026-11-30")
	e.waitMessage(growth, "Enjoy!", "Mon Nov 30")
	e.createObjective()
	if r := e.sweepReport(); r.Away != 1 || len(e.dms(ana, "check-in")) != 0 {
		t.Fatalf("after /okr away: report %+v, ana's DMs %v", r, e.srv.Messages(e.srv.DMChannel(ana)))
	}
	e.okr(teamA, ana, growth, "back")
	e.waitMessage(growth, "Welcome back!")
	e.sweep()
	e.prompt(ana, "Welcome back! Here is this week's check-in")
	e.sweep()
	if n := len(e.srv.Messages(e.srv.DMChannel(ana))); n != 1 {
		t.Errorf("ana has %d DMs after /okr back, want one prompt", n)
	}
	// "/okr away" alone: a date picker, with an inline error for a past day.
	e.okr(teamA, ben, growth, "away")
	v := e.waitModal(ben, "okr_away")
	ack, err := e.srv.SubmitView(e.ctx, ben, v.ID, slacktest.Values{"until": {"v": "2026-11-10"}})
	if err != nil || !strings.Contains(ack.Errors()["until"], "not in the future") {
		t.Fatalf("a past day: %v %v", err, ack.Errors())
	}
	ack, err = e.srv.SubmitView(e.ctx, ben, v.ID, slacktest.Values{"until": {"v": "2026-11-25"}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Enjoy!", "Wed Nov 25")
	recs, err := e.main.Store.AwayRecords(e.ctx, teamA, []string{ben})
	if err != nil || !recs[ben].Until.Equal(time.Date(2026, 11, 25, 0, 0, 0, 0, okrs.Location("America/Los_Angeles"))) {
		t.Errorf("ben's away record = %+v, %v; want until Nov 25, his midnight", recs, err)
	}
}

func TestTeamHolidaySkipsThePromptsAndCatchesUpNextWorkingDay(t *testing.T) {
	e := newEnv(t)
	e.okr(teamA, ana, growth, "settings")
	v := e.waitModal(ana, "okr_settings")
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"managers": {"v": []string{ana}}, "holidays": {"v": "2026-11-20..2026-11-16"}})
	if err != nil || !strings.Contains(ack.Errors()["holidays"], "ends before it starts") {
		t.Fatalf("a backwards range: %v %v", err, ack.Errors())
	}
	ack, err = e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"managers": {"v": []string{ana}}, "holidays": {"v": "2026-11-16, 2026-12-24..2026-12-26"}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Saved.")
	if st, err := e.main.Store.Settings(e.ctx, teamA, growth); err != nil || okrs.FormatHolidays(st.Holidays) != "2026-11-16, 2026-12-24..2026-12-26" {
		t.Fatalf("saved holidays = %v, %v", st.Holidays, err)
	}
	e.createObjective()
	// Monday is a holiday: 10:00 in Berlin (ana) and in Los Angeles (ben) pass quietly.
	if r := e.sweepReport(); r.Away != 2 || r.Sent != 0 {
		t.Fatalf("Monday 09:00 UTC: %+v, want both away", r)
	}
	e.advance(9 * time.Hour)
	if r := e.sweepReport(); r.Away != 2 || r.Sent != 0 {
		t.Fatalf("Monday 18:00 UTC: %+v, want both away", r)
	}
	// Tuesday 10:00 in Berlin: ana's catch-up; ben's at 10:00 his time.
	e.advance(15 * time.Hour)
	e.sweep()
	e.prompt(ana, "Welcome back")
	if n := len(e.srv.Messages(e.srv.DMChannel(ben))); n != 0 {
		t.Errorf("ben got a prompt at 01:00 his time")
	}
	e.advance(9 * time.Hour)
	e.sweep()
	e.prompt(ben, "Welcome back")
	if !e.held(ana, "2026-11-16") || !e.held(ben, "2026-11-16") {
		t.Error("the holiday's prompts are not recorded as held")
	}
}

func TestSnoozeBringsThePromptBackOnceAndHoldsTheNudge(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in", "Remind me later")
	value := "snooze|" + growth + "|2026-11-16|2h"
	if _, err := e.srv.Act(e.ctx, ana, p, "okr_snooze", value); err != nil {
		t.Fatal(err)
	}
	snoozed := e.waitMessage(p.Channel, "Snoozed until Mon 12:00") // 10:00 Berlin + 2 h
	if snoozed.TS != p.TS {
		t.Errorf("the snooze was not acknowledged on the prompt itself")
	}
	// A double click (the same message, pressed again before the update
	// reached the person) snoozes once: the first click's time stands.
	e.advance(5 * time.Minute)
	cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, Team: slack.Team{ID: teamA}, User: slack.User{ID: ana, TeamID: teamA},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: p.Channel}}},
		Container: slack.Container{Type: "message", ChannelID: p.Channel, MessageTs: p.TS}}
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: "okr_snooze", SelectedOption: slack.OptionBlockObject{Value: value}}}
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool { return m.TS == p.TS && m.Edits >= 2 }); err != nil {
		t.Fatalf("the second click was not answered: %v", err)
	}
	zs, err := e.main.Store.Snoozes(e.ctx, teamA)
	if err != nil || len(zs) != 1 || zs[0].N != 1 || !zs[0].Until.Equal(time.Date(2026, 11, 16, 11, 0, 0, 0, time.UTC)) {
		t.Fatalf("snoozes after a double click: %+v %v", zs, err)
	}
	// 10:55 UTC: not yet. 11:00 UTC (12:00 Berlin): the prompt comes back,
	// once, on two replicas.
	e.advance(time.Hour + 50*time.Minute)
	if r := e.sweepReport(); r.Sent != 0 {
		t.Errorf("before the snooze ended: %+v", r)
	}
	e.replica(2)
	e.advance(5 * time.Minute)
	e.sweep()
	e.prompt(ana, "As you asked")
	e.sweep()
	if got := e.dms(ana, "As you asked"); len(got) != 1 {
		t.Errorf("the snoozed prompt came back %d times, want once", len(got))
	}
	// Tuesday 10:00 Berlin is the usual nudge; the snoozed prompt's own
	// delay (a day after 12:00) holds it until 12:00.
	e.advance(22*time.Hour + time.Minute) // Tuesday 09:01 UTC
	e.sweep()
	if got := e.dms(ana, "Friendly nudge"); len(got) != 0 {
		t.Fatalf("ana was nudged before the snoozed prompt's delay passed")
	}
	e.advance(2 * time.Hour) // 11:01 UTC, 12:01 Berlin
	e.sweep()
	e.waitMessage(e.srv.DMChannel(ana), "Friendly nudge")
	e.sweep()
	if got := e.dms(ana, "Friendly nudge"); len(got) != 1 {
		t.Errorf("%d nudges, want 1", len(got))
	}
}

func TestDigestCountsAwayPeopleAsAway(t *testing.T) {
	e := newEnv(t)
	e.srv.SetStatus(ben, slacktest.Status{Text: "OOO", Emoji: ":face_with_thermometer:"})
	e.createObjective()
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	if _, err := e.srv.SubmitView(e.ctx, ana, v.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(p.Channel, "Checked in")
	e.okr(teamA, ana, growth, "digest preview")
	d := e.waitMessage(growth, "Weekly OKR digest", "people checked in")
	if !says(d, []string{"1 of 1 people checked in this week · 1 away"}) {
		t.Errorf("the digest does not count ben away:\n%s", d.AllText())
	}
	if strings.Contains(d.AllText(), "No check-in this week") {
		t.Errorf("ben's key result, away, is listed as missing a check-in:\n%s", d.AllText())
	}
	// Check-in health counts him away too, in the digest and /okr health.
	if !says(d, []string{"Check-ins: *100%* this week (1 of 1, 1 away)"}) {
		t.Errorf("the digest's health line does not count ben away:\n%s", d.AllText())
	}
	e.okr(teamA, ana, growth, "health")
	e.waitMessage("", "Check-in health", "Week of Nov 16: *100%* · 1 on time, 0 late, 1 away, 0 not yet")
}

func TestSnoozeOnAMessageThatIsNotThePersonsPromptUpdatesNothing(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	created := e.waitMessage(growth, "Created", "Delight new customers")
	// A payload naming the channel's message as the snoozed prompt.
	cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, Team: slack.Team{ID: teamA}, User: slack.User{ID: ana, TeamID: teamA},
		Channel:   slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: growth}}},
		Container: slack.Container{Type: "message", ChannelID: growth, MessageTs: created.TS}}
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: "okr_snooze", SelectedOption: slack.OptionBlockObject{Value: "snooze|" + growth + "|2026-11-16|tomorrow"}}}
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(growth, "Snoozed until Tue 10:00") // told, only them
	for _, m := range e.srv.Messages(growth) {
		if m.TS == created.TS && m.Edits > 0 {
			t.Errorf("the channel's message was changed: %s", m.AllText())
		}
	}
}
