package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
)

// Slack delivers a double click as two envelopes with the same payload: the
// same view id and hash, or the same message ts and action id. Each state
// change must happen once.

// twice delivers one envelope twice at the same time and waits for both
// acks.
func (e *env) twice(env slacktest.Envelope) {
	e.t.Helper()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := e.srv.Send(e.ctx, env); err != nil {
				e.t.Errorf("send: %v", err)
			}
		})
	}
	wg.Wait()
}

// pressTwice presses a button on a message twice at the same time.
func (e *env) pressTwice(user string, on slacktest.Surface, actionID string) {
	e.t.Helper()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := e.srv.PressButton(e.ctx, user, on, actionID); err != nil {
				e.t.Errorf("press %s: %v", actionID, err)
			}
		})
	}
	wg.Wait()
}

// settle stops okrbot, which returns only once its handlers in flight have
// finished: whatever a duplicate did has landed. It returns a store on the
// same Redis to count with.
func (e *env) settle() *store.Store {
	e.t.Helper()
	e.stopAll()
	return store.New(e.client(), e.cfg.RedisPrefix)
}

// countMessages counts the messages anywhere whose text contains want.
func (e *env) countMessages(want string) int {
	n := 0
	for _, m := range e.srv.Messages("") {
		if strings.Contains(m.AllText(), want) {
			n++
		}
	}
	return n
}

func historyIn(t *testing.T, e *env, st *store.Store, kr string) []okrs.CheckIn {
	t.Helper()
	objs, err := st.TeamObjectives(e.ctx, teamA, growth, okrs.QuarterOf(e.clock()).Name, -1)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if k := o.KeyResult(kr); k != nil {
			return k.CheckIns
		}
	}
	t.Fatalf("no key result %s in #growth", kr)
	return nil
}

func TestCheckInSubmittedTwiceAtOnceIsRecordedOnce(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	st := okrs.DefaultSettings("UTC")
	st.Managers, st.PostCheckIns = []string{ana}, true
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, st); err != nil {
		t.Fatal(err)
	}
	e.okr(teamA, ana, growth, "checkin")
	v := e.waitModal(ana, "okr_checkin")
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, slacktest.Values{"ci0_value": {"v": "52%"}, "ci0_note": {"v": "Double click"}})
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage("", "Checked in on 2 key results")
	e.waitMessage(growth, "<@"+ana+"> checked in", "52%", "Double click")
	s := e.settle()
	if h := historyIn(t, e, s, o.KeyResults[0].ID); len(h) != 1 {
		t.Errorf("history after a double submission = %+v, want one check-in", h)
	}
	if h := historyIn(t, e, s, o.KeyResults[2].ID); len(h) != 1 {
		t.Errorf("milestone history after a double submission = %+v, want one check-in", h)
	}
	if n := e.countMessages("checked in"); n != 1 {
		t.Errorf("%d lines in the weekly thread, want 1", n)
	}
	if n := e.countMessages("Checked in on"); n != 1 {
		t.Errorf("%d “Checked in” answers, want 1", n)
	}
}

func TestNoChangePressedTwiceAtOnceIsRecordedOnce(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{
		{KeyResultID: o.KeyResults[0].ID, Author: ana, At: e.clock().Add(-48 * time.Hour), Value: 45, Confidence: okrs.Confidence{Level: okrs.OnTrack}},
		{KeyResultID: o.KeyResults[2].ID, Author: ana, At: e.clock().Add(-48 * time.Hour), Value: 0, Confidence: okrs.Confidence{Level: okrs.AtRisk}},
	}); err != nil {
		t.Fatal(err)
	}
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in")
	e.pressTwice(ana, p, "okr_checkin_same")
	e.waitMessage(p.Channel, "no change this week")
	s := e.settle()
	if h := historyIn(t, e, s, o.KeyResults[0].ID); len(h) != 2 {
		t.Errorf("history after a double click = %+v, want the first check-in and one no-change", h)
	}
	if h := historyIn(t, e, s, o.KeyResults[2].ID); len(h) != 2 {
		t.Errorf("milestone history after a double click = %+v, want 2", h)
	}
	if n := e.countMessages("Checked in on"); n != 0 {
		t.Errorf("%d “Checked in” answers besides the updated prompt, want none", n)
	}
}

func TestCreateObjectiveSubmittedTwiceAtOnceCreatesOne(t *testing.T) {
	e := newEnv(t)
	// Three key results the coach has nothing to say about: the form saves
	// at once (the review step's "Save anyway" is tested in
	// e2e_coaching_test.go).
	v := e.openCreateWithKRs("Delight new customers", 3)
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, merge(
		kr(0, "Raise week-1 activation", "increase", "40%", "60%", ana),
		kr(1, "Cut P99 checkout latency", "decrease", "400 ms", "280 ms", ben),
		kr(2, "Grow weekly active teams", "increase", "120", "200", ana)))
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Created", "Delight new customers")
	// A retry after it was written (the claim is settled for idemTTL, not
	// only held while writing) is ignored too.
	if _, err := e.srv.Send(e.ctx, env); err != nil {
		t.Fatal(err)
	}
	s := e.settle()
	objs, err := s.TeamObjectives(e.ctx, teamA, growth, okrs.QuarterOf(e.clock()).Name, -1)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 {
		t.Errorf("a double submission and a late retry created %d objectives, want 1", len(objs))
	}
	if n := e.countMessages("Created"); n != 1 {
		t.Errorf("%d “Created” answers, want 1", n)
	}
}

func TestAddKeyResultAndArchiveSubmittedTwiceAtOnceHappenOnce(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	v := e.pick(ana, "add", o.ID)
	if v.CallbackID != "okr_add_kr" {
		t.Fatalf("add modal = %s", v.CallbackID)
	}
	// (An outcome the coach has nothing to say about: the form saves at once.)
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, kr(0, "Double tour completions", "increase", "20", "40", ana))
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Added", "Double tour completions")

	v = e.pick(ana, "archive", o.ID)
	if v.CallbackID != "okr_archive" {
		t.Fatalf("archive modal = %s", v.CallbackID)
	}
	if env, err = e.srv.SubmissionEnvelope(ana, v.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Archived", "Delight new customers")

	s := e.settle()
	got, err := s.Objective(e.ctx, teamA, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.KeyResults); n != len(o.KeyResults)+1 {
		t.Errorf("a double submission left %d key results, want %d", n, len(o.KeyResults)+1)
	}
	if n := e.countMessages("Added"); n != 1 {
		t.Errorf("%d “Added” answers, want 1", n)
	}
	if n := e.countMessages("already archived"); n != 0 {
		t.Errorf("the repeated archive answered “already archived” %d times", n)
	}
	if !got.Archived {
		t.Error("not archived")
	}
}

func TestSettingsSubmittedTwiceAtOnceSaveOnce(t *testing.T) {
	e := newEnv(t)
	e.okr(teamA, ana, growth, "settings")
	v := e.waitModal(ana, "okr_settings")
	env, err := e.srv.SubmissionEnvelope(ana, v.ID, slacktest.Values{"prompt_day": {"v": "3"}, "managers": {"v": []string{ana}}})
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Saved.")
	e.settle()
	if n := e.countMessages("Saved."); n != 1 {
		t.Errorf("%d “Saved” answers, want 1", n)
	}
}
