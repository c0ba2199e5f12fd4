package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// sweepAll runs one sweep on each of the given replicas at the same time.
func (e *env) sweepAll(ms ...*Main) {
	e.t.Helper()
	var wg sync.WaitGroup
	for _, m := range ms {
		wg.Go(func() {
			if _, err := m.Scheduler.Sweep(e.ctx); err != nil {
				e.t.Errorf("sweep: %v", err)
			}
		})
	}
	wg.Wait()
}

// countIn counts the messages of a channel whose text contains want.
func (e *env) countIn(channel, want string) int {
	n := 0
	for _, m := range e.srv.Messages(channel) {
		if strings.Contains(m.AllText(), want) {
			n++
		}
	}
	return n
}

// cycleObjectives returns #growth's objectives of a cycle, as stored.
func (e *env) cycleObjectives(cycle string) []okrs.Objective {
	e.t.Helper()
	objs, err := e.main.Store.TeamObjectives(e.ctx, teamA, growth, cycle, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return objs
}

func (e *env) checkIn(kr string, v float64) {
	e.t.Helper()
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: kr, Author: ana, At: e.clock(), Value: v, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
		e.t.Fatal(err)
	}
}

// The clock starts on Monday Nov 16 2026; #growth has no settings (UTC),
// so 2026-Q4 ends at midnight UTC on Jan 1. Two replicas sweep at once.
func TestCycleEndLastCheckInGradingAndRetrospective(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.checkIn(o.KeyResults[0].ID, 54) // 40 → 60: 70%
	other := e.replica(2)
	dm := e.srv.DMChannel(ana)

	// A week before the end: the last check-in, once.
	e.advance(time.Date(2026, 12, 25, 9, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.sweepAll(e.main, other)
	e.sweepAll(e.main, other)
	e.waitMessage(dm, "2026-Q4 ends in a week", "last check-in")
	e.waitMessage(e.srv.DMChannel(ben), "2026-Q4 ends in a week")
	if n := e.countIn(dm, "ends in a week"); n != 1 {
		t.Errorf("%d last check-in prompts to ana, want 1", n)
	}
	if n := e.countIn(dm, "has ended"); n != 0 {
		t.Errorf("a grading DM before the end")
	}

	// The cycle ends: its objective's owner is asked to grade it, once
	// across both replicas; the key-result owner who owns no objective is not.
	e.advance(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.sweepAll(e.main, other)
	e.sweepAll(e.main, other)
	req := e.waitMessage(dm, "2026-Q4 has ended", "Grade this cycle", "Delight new customers")
	if n := e.countIn(dm, "has ended"); n != 1 {
		t.Errorf("%d grading DMs to ana, want 1", n)
	}
	if n := e.countIn(e.srv.DMChannel(ben), "has ended"); n != 0 {
		t.Errorf("ben, who owns no objective, was asked to grade")
	}
	if n := e.countIn(growth, "Retrospective"); n != 0 {
		t.Errorf("the retrospective was posted before the grades")
	}

	// The grade modal suggests grades from progress.
	if _, err := e.srv.PressButton(e.ctx, ana, req, "okr_grade"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_grade")
	text := string(v.RawBlocks)
	for _, want := range []string{"Raise week-1 activation", "0.7: a good result for an ambitious goal", "What did we learn?"} {
		if !strings.Contains(text, want) {
			t.Errorf("grade modal lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, `"block_id":"g0_0","element":{"action_id":"v","initial_option":{"text":{"emoji":true,"text":"0.7 · Delivered"`) {
		t.Errorf("activation's grade is not suggested as 0.7:\n%s", v.RawBlocks)
	}
	// Submitted twice at once (a double click): one set of grades.
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, slacktest.Values{
		"g0_0": {"v": "0.8"}, "g0_1": {"v": "0.3"},
		"n0": {"v": "Onboarding emails <worked>; latency needs the DB upgrade first"},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage("", "your grades for 2026-Q4 are saved")

	// The retrospective follows at once (every objective is graded), with
	// its thread, once.
	retro := e.waitMessage(growth, "Retrospective · 2026-Q4", "Delight new customers", "What did we learn?", "What would we do differently next time?")
	rt := retro.AllText()
	for _, want := range []string{"0.8", "0.3", "Onboarding emails &lt;worked&gt;", "<@" + ben + ">", "learn from, not someone's fault", "Average grade"} {
		if !strings.Contains(rt, want) {
			t.Errorf("retrospective lacks %q:\n%s", want, rt)
		}
	}
	if strings.Contains(rt, "<worked>") {
		t.Error("the note reached mrkdwn unescaped")
	}
	thread := e.waitMessage(growth, "Your answers go here")
	if thread.ThreadTS != retro.TS {
		t.Errorf("the questions are not in the retrospective's thread: %q, want %q", thread.ThreadTS, retro.TS)
	}
	// The grades chart, a real PNG, in the thread.
	e.eventually("the grades chart in the retrospective's thread", func() bool {
		for _, f := range completedFiles(e.srv) {
			if f.Name == "okr-grades.png" && f.ThreadTS == retro.TS && bytes.HasPrefix(f.Data, []byte("\x89PNG")) {
				return true
			}
		}
		return false
	})
	e.sweepAll(e.main, other)
	if n := e.countIn(growth, "Retrospective · 2026-Q4"); n != 1 {
		t.Errorf("%d retrospectives, want 1", n)
	}
	if n := e.countMessages("your grades for 2026-Q4 are saved"); n != 1 {
		t.Errorf("%d “saved” answers to a double submission, want 1", n)
	}

	// Grades and notes are kept with the cycle's objective.
	got := e.cycleObjectives("2026-Q4")
	if len(got) != 1 || !got[0].Graded() || got[0].Grading.Grades[o.KeyResults[0].ID] != 0.8 || got[0].Grading.By != ana ||
		!strings.Contains(got[0].Grading.Note, "Onboarding emails") {
		t.Errorf("stored grading: %+v", got[0].Grading)
	}

	// /okr retro shows it again, only to the caller.
	e.okr(teamA, ben, growth, "retro")
	m := e.waitMessage(growth, "Posted in", "Retrospective · 2026-Q4")
	if m.ResponseType == "in_channel" {
		t.Error("/okr retro answered the whole channel")
	}

	// The past cycle's status shows the grades and what was learned.
	e.okr(teamA, ben, growth, "status 2026-Q4")
	e.waitMessage(growth, "OKR status · 2026-Q4 (past cycle)", "Graded *", "What we learned:", "Onboarding emails", "graded *0.8*")
}

// Only its owner grades an objective: a forged submission by someone else
// changes nothing.
func TestOnlyTheOwnerGrades(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.advance(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC).Sub(e.clock()))
	e.sweep()
	req := e.waitMessage(e.srv.DMChannel(ana), "has ended")
	if _, err := e.srv.PressButton(e.ctx, ana, req, "okr_grade"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_grade")
	e.send(e.forged(ana, v, nil, ben, nil))
	e.eventually("ben's forged grades refused", func() bool {
		return e.countMessages("Only the objective's owner grades it") == 1
	})
	if got := e.cycleObjectives("2026-Q4"); got[0].Graded() {
		t.Errorf("graded by a forged submission: %+v", got[0].Grading)
	}
	// ben pressing the button gets no form.
	e.pressForged(ben, teamA, e.srv.DMChannel(ben), "okr_grade", growth+"|2026-Q4")
	_ = o
}

// A cycle that ended while okrbot was down is graded late, not skipped;
// three days after the end the retrospective goes out with what is graded.
func TestCycleEndedDuringAnOutageIsHandledLate(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.stopAll()
	e.fake.Advance(time.Date(2027, 1, 2, 12, 0, 0, 0, time.UTC).Sub(e.clock()))
	m := NewMain(e.cfg, NewLogger(e.cfg, e.logs))
	m.Clock = e.fake
	e.start(m, 1)
	if _, err := m.Scheduler.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(e.srv.DMChannel(ana), "2026-Q4 has ended", "comes late")
	e.fake.Advance(3 * 24 * time.Hour)
	if _, err := m.Scheduler.Sweep(e.ctx); err != nil {
		t.Fatal(err)
	}
	r := e.waitMessage(growth, "Retrospective · 2026-Q4", "Not graded yet")
	if !strings.Contains(r.AllText(), "0 of 1 objective graded") {
		t.Errorf("retrospective: %s", r.AllText())
	}
}

func TestCloseEarlyExtendStartNextAndCarryOver(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.checkIn(o.KeyResults[0].ID, 54)
	e.growthManagedBy(ana)
	settings := e.growthSettings

	// /okr cycle: dates, days left, objectives, progress; buttons for ana.
	e.okr(teamA, ana, growth, "cycle")
	c := e.waitMessage(growth, "Cycle 2026-Q4", "45 days left", "Delight new customers", "Close cycle", "Start 2027-Q1", "Extend")
	e.okr(teamA, ben, growth, "cycle")
	if m := e.waitMessage(growth, "Cycle 2026-Q4", "45 days left"); m.EphemeralTo == ben && strings.Contains(string(m.RawBlocks), "okr_cycle_close") {
		t.Error("ben, no manager, got the managers' buttons")
	}

	// Extend by two weeks (chosen twice: one extension).
	for range 2 {
		if _, err := e.srv.Act(e.ctx, ana, c, "okr_cycle_extend", "2026-Q4|2027-01-14"); err != nil {
			t.Fatal(err)
		}
	}
	e.waitMessage(growth, "2026-Q4 now ends on Thu Jan 14, 2027")
	if cur := okrs.CurrentCycle(settings(), e.clock()); cur.Name != "2026-Q4" || !cur.End.Equal(okrs.Date(2027, 1, 14)) {
		t.Errorf("after extending: %v", cur)
	}
	// A forged extension beyond four weeks, and ben closing it, change nothing.
	e.pressForged(ben, teamA, growth, "okr_cycle_close", "2026-Q4")
	e.waitMessage("", "Only this team's managers")
	if cur := okrs.CurrentCycle(settings(), e.clock()); cur.Name != "2026-Q4" || !cur.ClosedAt.IsZero() {
		t.Errorf("after ben's forged close: %v", cur)
	}

	// Close it early, twice at once: one close, grading at once, once.
	e.pressTwice(ana, c, "okr_cycle_close")
	e.waitMessage(growth, "2026-Q4 is closed")
	e.waitMessage(e.srv.DMChannel(ana), "2026-Q4 has ended", "Grade this cycle")
	e.sweep()
	if n := e.countIn(e.srv.DMChannel(ana), "has ended"); n != 1 {
		t.Errorf("%d grading DMs, want 1", n)
	}
	now := settings()
	if cur := okrs.CurrentCycle(now, e.clock()); cur.Name != "2027-Q1" || !cur.Start.Equal(okrs.Date(2026, 11, 16)) {
		t.Errorf("after closing: current %v, want 2027-Q1 from today", cur)
	}
	if prev := okrs.PreviousCycle(now, e.clock()); prev.Name != "2026-Q4" || prev.ClosedAt.IsZero() {
		t.Errorf("after closing: previous %v", prev)
	}

	// Start the next cycle, twice: one cycle; the carry-over form offers
	// the unfinished objective.
	e.okr(teamA, ana, growth, "cycle")
	c2 := e.waitMessage(growth, "Cycle 2027-Q1", "Start 2027-Q1")
	updates := e.srv.CallCount("views.update")
	e.pressTwice(ana, c2, "okr_cycle_start")
	// Each press opens its form (a trigger each; the later replaces the
	// earlier) and fills it: once both are filled, the one the person sees
	// is sent.
	e.eventually("both presses' carry-over forms filled", func() bool { return e.srv.CallCount("views.update") >= updates+2 })
	v := e.srv.OpenModal(ana)
	if v == nil || v.CallbackID != "okr_carry_over" {
		t.Fatalf("on top: %+v", v)
	}
	if !strings.Contains(string(v.RawBlocks), "Delight new customers") {
		t.Fatalf("carry-over form: %s", v.RawBlocks)
	}
	if n := len(settings().Cycles); n != 2 {
		t.Errorf("%d recorded cycles after starting the next one twice, want 2 (closed and next)", n)
	}
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, slacktest.Values{"carry": {"v": []string{o.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Carried into 2027-Q1")
	// A second form sent later copies nothing more.
	if _, err := e.srv.Send(e.ctx, env); err != nil {
		t.Fatal(err)
	}
	s := e.settle()
	next, err := s.TeamObjectives(e.ctx, teamA, growth, "2027-Q1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(next) != 1 {
		t.Fatalf("%d objectives in 2027-Q1, want 1 copy", len(next))
	}
	cp := next[0]
	if cp.ID == o.ID || cp.Title != o.Title || len(cp.KeyResults) != 3 || cp.KeyResults[0].Start != 54 || cp.KeyResults[0].Current != 54 || cp.KeyResults[0].Target != 60 {
		t.Errorf("copy: %+v", cp)
	}
	old, err := s.TeamObjectives(e.ctx, teamA, growth, "2026-Q4", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old[0].ID != o.ID || old[0].KeyResults[0].Start != 40 || old[0].KeyResults[0].Current != 54 {
		t.Errorf("the original changed: %+v", old)
	}
}

// Only the team's managers and workspace admins manage its cycle: never a
// guest, nor an admin of a partner organisation in a shared channel, nor
// another member; a workspace admin may.
func TestOnlyManagersManageTheCycle(t *testing.T) {
	e, _ := permEnv(t) // #growth's manager is mgr
	before := func() okrs.Cycle {
		s, err := e.main.Store.Settings(e.ctx, teamA, growth)
		if err != nil {
			t.Fatal(err)
		}
		return okrs.CurrentCycle(s, e.clock())
	}
	// In #growth, shared with the partner: Slack sends Acme's team with
	// each person's own team id.
	press := func(user, userTeam, action, value string) {
		cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, User: slack.User{ID: user, TeamID: userTeam}, Team: slack.Team{ID: teamA},
			Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: growth}}}}
		cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: action, BlockID: "cycle_actions", Value: value}}
		if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []struct{ user, team, want string }{
		{gus, teamA, "Guests and people from other organisations"},
		{xena, partner, "Guests and people from other organisations"},
		{ben, teamA, "Only this team's managers"},
	} {
		seen := e.mark()
		press(who.user, who.team, "okr_cycle_close", "2026-Q4")
		e.answer(seen, who.user, who.want)
		press(who.user, who.team, "okr_cycle_start", "2027-Q1|2027-01-01|2027-03-31")
		if c := before(); c.Name != "2026-Q4" || !c.ClosedAt.IsZero() {
			t.Fatalf("after %s: %v", who.user, c)
		}
		if s, _ := e.main.Store.Settings(e.ctx, teamA, growth); len(s.Cycles) != 0 {
			t.Fatalf("after %s: recorded cycles %v", who.user, s.Cycles)
		}
	}
	// The manager's /okr cycle has the buttons; a member's has none.
	e.okr(teamA, mia, growth, "cycle")
	if m := e.waitMessage(growth, "Cycle 2026-Q4"); strings.Contains(string(m.RawBlocks), "okr_cycle_close") {
		t.Error("a member got the managers' buttons")
	}
	seen := e.mark()
	press(carla, teamA, "okr_cycle_close", "2026-Q4") // a workspace admin
	e.answer(seen, carla, "2026-Q4 is closed")
	if c := before(); c.Name == "2026-Q4" {
		t.Errorf("the admin's close did not close it: %v", c)
	}
}

// growthManagedBy names #growth's managers (UTC, otherwise the defaults).
func (e *env) growthManagedBy(users ...string) {
	e.t.Helper()
	st := okrs.DefaultSettings("UTC")
	st.Managers = users
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, st); err != nil {
		e.t.Fatal(err)
	}
}

// growthSettings returns #growth's settings as stored.
func (e *env) growthSettings() okrs.Settings {
	e.t.Helper()
	s, err := e.main.Store.Settings(e.ctx, teamA, growth)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}
