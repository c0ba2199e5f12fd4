package main

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// A manager starts a cycle of the team's own, with its name and dates: the
// form says what is wrong with it inline, the current cycle stretches to
// meet it, the unfinished objectives are offered for carrying over, new
// objectives are set for it, status finds it by name, and at its end its
// owners are asked to grade it like any quarter.
func TestCustomCycleWithItsOwnNameAndDates(t *testing.T) {
	e := newEnv(t) // Mon Nov 16 2026, #growth in UTC
	o := e.createObjective()
	e.growthManagedBy(ana)
	settings := e.growthSettings

	e.okr(teamA, ana, growth, "cycle")
	c := e.waitMessage(growth, "Cycle 2026-Q4", "Custom cycle")
	if _, err := e.srv.Act(e.ctx, ana, c, "okr_cycle_custom", "2026-Q4"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_custom_cycle")
	if !strings.Contains(string(v.RawBlocks), `"initial_date":"2027-01-01"`) {
		t.Errorf("the form does not start on the day after 2026-Q4:\n%s", v.RawBlocks)
	}

	// What is wrong is said in the form, and nothing is recorded.
	for _, tc := range []struct {
		values slacktest.Values
		block  string
		want   string
	}{
		{slacktest.Values{"cycle_name": {"v": "2027 Q1"}, "cycle_start": {"v": "2027-01-04"}, "cycle_end": {"v": "2027-03-14"}}, "cycle_name", "calendar quarter"},
		{slacktest.Values{"cycle_name": {"v": "Winter launch"}, "cycle_start": {"v": "2026-12-07"}, "cycle_end": {"v": "2027-03-14"}}, "cycle_start", "runs until Dec 31"},
		{slacktest.Values{"cycle_name": {"v": "Winter launch"}, "cycle_start": {"v": "2027-03-01"}, "cycle_end": {"v": "2027-05-14"}}, "cycle_start", "Cycles follow each other"},
		{slacktest.Values{"cycle_name": {"v": "Winter launch"}, "cycle_start": {"v": "2027-01-04"}, "cycle_end": {"v": "2027-01-06"}}, "cycle_end", "at least 7 days"},
	} {
		ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, tc.values)
		if err != nil {
			t.Fatal(err)
		}
		if got := ack.Errors()[tc.block]; !strings.Contains(got, tc.want) {
			t.Errorf("%v: errors %v, want %q on %s", tc.values, ack.Errors(), tc.want, tc.block)
		}
	}
	if n := len(settings().Cycles); n != 0 {
		t.Fatalf("%d cycles recorded by refused forms", n)
	}

	// Sent twice at once: one cycle; 2026-Q4 stretches to the day before;
	// the form turns into the carry-over form.
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, slacktest.Values{"cycle_name": {"v": " Winter   launch "}, "cycle_start": {"v": "2027-01-04"}, "cycle_end": {"v": "2027-03-14"}})
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	carry, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool { return x.ID == v.ID && x.CallbackID == "okr_carry_over" })
	if err != nil {
		t.Fatalf("no carry-over form: %v", err)
	}
	if !strings.Contains(string(carry.RawBlocks), "Delight new customers") || !strings.Contains(string(carry.RawBlocks), "Winter launch") {
		t.Errorf("carry-over form: %s", carry.RawBlocks)
	}
	s := settings()
	launch, err := s.CycleNamed("winter launch")
	if err != nil || launch.Name != "Winter launch" || !launch.Start.Equal(okrs.Date(2027, 1, 4)) || !launch.End.Equal(okrs.Date(2027, 3, 14)) || len(s.Cycles) != 2 {
		t.Fatalf("recorded %v (%v): %+v", launch, err, s.Cycles)
	}
	if q4, _ := s.CycleNamed("2026-Q4"); !q4.End.Equal(okrs.Date(2027, 1, 3)) {
		t.Errorf("2026-Q4 ends on %v, want Jan 3 (stretched to meet Winter launch)", q4.End)
	}
	if _, err := e.srv.SubmitView(e.ctx, ana, carry.ID, slacktest.Values{"carry": {"v": []string{o.ID}}}); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(growth, "Carried into Winter launch")
	if got := e.cycleObjectives("Winter launch"); len(got) != 1 || got[0].Title != o.Title || got[0].KeyResults[0].Start != 40 {
		t.Errorf("carried into Winter launch: %+v", got)
	}

	// Once it has begun, /okr cycle and status show it, and a new
	// objective's form offers it (with its dates) and saves into it.
	e.advance(time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.okr(teamA, ana, growth, "cycle")
	e.waitMessage(growth, "Cycle Winter launch", "Jan 4 – Mar 14, 2027")
	e.okr(teamA, ben, growth, "status")
	e.waitMessage(growth, "Winter launch", "Delight new customers")
	if ack := e.okr(teamA, ana, growth, "new Own the winter launch"); ack.Text() != "" {
		t.Fatalf("/okr new: %q", ack.Text())
	}
	form, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.CallbackID == "okr_objective" && x.UserID == ana && strings.Contains(string(x.RawBlocks), "Winter launch (Jan 4 – Mar 14, 2027)")
	})
	if err != nil {
		t.Fatalf("the form does not offer Winter launch: %v", err)
	}
	ack := e.submitForm(ana, form.ID, merge(slacktest.Values{"cycle": {"v": "Winter launch"}},
		kr(0, "Grow paying teams in the launch markets", "increase", "120", "200", ana)))
	if len(ack.Errors()) > 0 {
		t.Fatalf("create in Winter launch: %v", ack.Errors())
	}
	e.waitMessage(growth, "Created", "Own the winter launch", "(Winter launch)")
	if got := e.cycleObjectives("Winter launch"); len(got) != 2 {
		t.Errorf("%d objectives in Winter launch, want 2", len(got))
	}
	// A cycle named in status by any spelling; an unknown one is said so.
	e.okr(teamA, ben, growth, "status 2026-Q4")
	e.waitMessage(growth, "2026-Q4", "Delight new customers")
	e.okr(teamA, ben, growth, "status spring launch")
	e.waitMessage("", "I don't know the cycle `spring launch`")

	// At its end, its objectives' owner is asked to grade it.
	e.advance(time.Date(2027, 3, 15, 9, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.sweep()
	e.waitMessage(e.srv.DMChannel(ana), "Winter launch has ended", "Grade this cycle", "Own the winter launch")
}
