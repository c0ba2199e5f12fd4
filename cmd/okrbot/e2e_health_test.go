package main

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// Check-in health, never naming anyone: a person's streak in the "Checked
// in ✓" prompt and on App Home, the team's rates and trend in the digest,
// and /okr health for managers with the key results gone stale longest.
func TestCheckInStreakAndHealth(t *testing.T) {
	e := newEnv(t) // Monday Nov 16, 09:00 UTC
	o := e.createObjective()
	e.growthManagedBy(ana)
	act, lat, guide := o.KeyResults[0].ID, o.KeyResults[1].ID, o.KeyResults[2].ID
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	record := func(kr, who string, when time.Time, v float64) {
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: kr, Author: who, At: when, Value: v, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Week of Nov 16: ana on time, ben after his nudge (Tuesday 10:00 in
	// Los Angeles, 18:00 UTC: each owner is on their own clock).
	record(act, ana, at(16, 11), 44)
	record(guide, ana, at(16, 11), 0)
	record(lat, ben, at(17, 20), 390)
	// Week of Nov 23: ana on time, ben not at all.
	record(act, ana, at(23, 11), 48)
	record(guide, ana, at(23, 11), 0)

	// Monday Nov 30, 10:00 in Berlin: ana's prompt; she checks in.
	e.advance(at(30, 9).Sub(e.clock()))
	e.sweep()
	p := e.waitMessage(e.srv.DMChannel(ana), "Time for your weekly check-in", "Raise week-1 activation")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	if ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"ci0_value": {"v": "52%"}, "ci1_value": {"v": "not_done"}}); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("check-in: %v %v", err, ack.Errors())
	}
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.TS == p.TS && m.Edits > 0 && strings.Contains(m.AllText(), "Checked in") && strings.Contains(m.AllText(), "3 weeks in a row")
	}); err != nil {
		t.Fatalf("the checked-in prompt does not show ana's streak: %v", err)
	}
	e.srv.AppHomeOpened(e.ctx, ana)
	if _, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ana && strings.Contains(v.AllText(), "Your check-in streak") && strings.Contains(v.AllText(), "3 weeks in a row")
	}); err != nil {
		t.Errorf("App Home shows no streak: %v", err)
	}

	// /okr health: for managers only; counts per week, no names.
	e.okr(teamA, ben, growth, "health")
	e.waitMessage("", "Only this team's managers")
	e.okr(teamA, ana, growth, "health")
	h := e.waitMessage("", "Check-in health · 2026-Q4",
		"Week of Nov 16: *100%* · 1 on time, 1 late, 0 away, 0 missed",
		"Week of Nov 23: *50%* · 1 on time, 0 late, 0 away, 1 missed",
		"Week of Nov 30: *50%* · 1 on time, 0 late, 0 away, 1 not yet",
		"Gone stale longest", "Cut P99 checkout latency", "12 days without a check-in", "past weeks: *75%* of check-ins came in")
	if h.EphemeralTo != ana {
		t.Errorf("health was shown to %q, want only ana", h.EphemeralTo)
	}
	if strings.Contains(string(h.RawBlocks), ben) {
		t.Errorf("health names ben:\n%s", h.RawBlocks)
	}

	// Friday's digest: the rate, the week before and the trend.
	e.advance(time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.sweep()
	d := e.waitMessage(growth, "Weekly OKR digest", "Check-ins: *50%* this week (1 of 2) · 50% the week before · this cycle")
	for _, line := range strings.Split(d.AllText(), "\n") {
		if strings.Contains(line, "Check-ins:") && strings.Contains(line, "<@") {
			t.Errorf("the digest's health line names someone: %q", line)
		}
	}
}
