package main

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// The coach's review step: a valid form the coach has tips for turns into a
// review before anything is saved.

// reviewOf submits user's form and returns the review the modal turned
// into; it fails the test when the form saved instead.
func (e *env) reviewOf(user, viewID string, values slacktest.Values) *slacktest.View {
	e.t.Helper()
	ack, err := e.srv.SubmitView(e.ctx, user, viewID, values)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(ack.Errors()) > 0 || ack.ResponseAction() != "update" {
		e.t.Fatalf("the form answered %q %v, want the review step", ack.ResponseAction(), ack.Errors())
	}
	top := e.srv.OpenModal(user)
	if top == nil || top.CallbackID != "okr_review" {
		e.t.Fatalf("the modal is %+v, want the review", top)
	}
	return top
}

// backToEdit presses the review's "Back to edit" as user and returns the
// form the review turns back into (callback id form).
func (e *env) backToEdit(user string, review *slacktest.View, form string) *slacktest.View {
	e.t.Helper()
	if _, err := e.srv.PressButton(e.ctx, user, review, "okr_review_back"); err != nil {
		e.t.Fatal(err)
	}
	v, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.ID == review.ID && x.Updates > review.Updates && x.CallbackID == form
	})
	if err != nil {
		e.t.Fatalf("Back to edit did not show the form: %v", err)
	}
	return v
}

// outputForm is an objective whose key results read like tasks, with a
// description and values in every field, to check nothing typed is lost.
var outputForm = merge(
	slacktest.Values{"description": {"v": "So that new teams stay"}},
	kr(0, "Launch the referral program", "increase", "0", "1", ana),
	kr(1, "Raise week-1 activation", "increase", "40%", "60%", ben),
	kr(2, "Grow weekly active teams", "increase", "120", "200", ana),
)

func TestReviewStepSaveAnyway(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	review := e.reviewOf(ana, v.ID, outputForm)
	text := review.AllText()
	for _, want := range []string{"Key result 1", "Launch the referral program", "reads like a task", "Save anyway", "Back to edit"} {
		if !strings.Contains(text+string(review.RawBlocks), want) {
			t.Errorf("the review lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Key result 2") {
		t.Errorf("the review lists a key result it has no tip for:\n%s", text)
	}
	if n := len(e.teamObjectives(teamA, growth)); n != 0 {
		t.Fatalf("%d objectives stored before the review was answered", n)
	}
	ack, err := e.srv.SubmitView(e.ctx, ana, review.ID, nil) // Save anyway
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("save anyway: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Created", "Delight new customers")
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 1 || len(objs[0].KeyResults) != 3 || objs[0].KeyResults[0].Title != "Launch the referral program" ||
		objs[0].Description != "So that new teams stay" || objs[0].KeyResults[1].Owner != ben {
		t.Fatalf("saved anyway: %+v", objs)
	}
	if e.srv.OpenModal(ana) != nil {
		t.Errorf("a modal is still open after saving")
	}
}

func TestReviewStepBackToEditKeepsEverything(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	review := e.reviewOf(ana, v.ID, outputForm)
	form := e.backToEdit(ana, review, "okr_objective")
	for block, want := range map[string]string{"title": "Delight new customers", "description": "So that new teams stay",
		"kr0_title": "Launch the referral program", "kr1_title": "Raise week-1 activation", "kr1_start": "40%", "kr1_target": "60%",
		"kr2_title": "Grow weekly active teams", "kr2_start": "120", "kr2_target": "200"} {
		if got := inputValue(t, form, block); got != want {
			t.Errorf("back in the form, %s = %q, want %q", block, got, want)
		}
	}
	raw := string(form.RawBlocks)
	if !strings.Contains(raw, `"initial_user":"`+ben+`"`) {
		t.Errorf("the second key result's owner (ben) is not kept")
	}
	if !strings.Contains(form.AllText(), "reads like a task") {
		t.Errorf("the form does not show the tips it came back with:\n%s", form.AllText())
	}
	// Submitted again unchanged: the same tips are not shown twice.
	ack, err := e.srv.SubmitView(e.ctx, ana, form.ID, nil)
	if err != nil || len(ack.Errors()) > 0 || ack.ResponseAction() != "" {
		t.Fatalf("resubmitted unchanged: %v %v %q, want it saved", err, ack.Errors(), ack.ResponseAction())
	}
	e.waitMessage(growth, "Created", "Delight new customers")
	if objs := e.teamObjectives(teamA, growth); len(objs) != 1 || objs[0].KeyResults[0].Title != "Launch the referral program" {
		t.Fatalf("stored %+v", objs)
	}
}

func TestReviewStepShowsNewTipsForChangedText(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	review := e.reviewOf(ana, v.ID, outputForm)
	form := e.backToEdit(ana, review, "okr_objective")
	// Another output-style title: a new tip, so the review comes back.
	again := e.reviewOf(ana, form.ID, slacktest.Values{"kr0_title": {"v": "Ship the referral program"}})
	if !strings.Contains(again.AllText(), "Ship the referral program") {
		t.Errorf("the second review is not about the new text:\n%s", again.AllText())
	}
	// Fixed: an outcome. Saved at once.
	form = e.backToEdit(ana, again, "okr_objective")
	ack, err := e.srv.SubmitView(e.ctx, ana, form.ID, merge(kr(0, "Double referred sign-ups", "increase", "50", "100", ana)))
	if err != nil || len(ack.Errors()) > 0 || ack.ResponseAction() != "" {
		t.Fatalf("fixed: %v %v %q, want it saved", err, ack.Errors(), ack.ResponseAction())
	}
	e.waitMessage(growth, "Created", "Delight new customers")
}

func TestReviewStepOnEdit(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective() // its milestone got a tip, and was saved anyway
	// An edit that adds no new tip saves at once: the milestone's tip is
	// not shown again.
	v := e.pick(ana, "edit", o.ID)
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"description": {"v": "Why it matters"}})
	if err != nil || ack.ResponseAction() != "" || len(ack.Errors()) > 0 {
		t.Fatalf("a description-only edit: %v %q %v, want it saved", err, ack.ResponseAction(), ack.Errors())
	}
	e.waitMessage(growth, "Saved", "Delight new customers")
	// A new output-style title: the review, about it.
	v = e.pick(ana, "edit", o.ID)
	review := e.reviewOf(ana, v.ID, slacktest.Values{"kr0_title": {"v": "Deploy the new onboarding flow"}})
	if !strings.Contains(review.AllText(), "your changes") {
		t.Errorf("the edit's review does not speak of changes:\n%s", review.AllText())
	}
	if strings.Contains(review.AllText(), "Onboarding guide live") {
		t.Errorf("the edit's review repeats the milestone's tip:\n%s", review.AllText())
	}
	seen := e.countMessages("Saved")
	if _, err := e.srv.SubmitView(e.ctx, ana, review.ID, nil); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); e.countMessages("Saved") == seen; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the edit was not saved")
		}
	}
	got, err := e.main.Store.Objective(e.ctx, teamA, o.ID)
	if err != nil || got.KeyResults[0].Title != "Deploy the new onboarding flow" || got.KeyResults[0].Target != o.KeyResults[0].Target {
		t.Fatalf("after the edit's review: %+v %v", got, err)
	}
}

func TestSaveAnywayTwiceAtOnceCreatesOne(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	review := e.reviewOf(ana, v.ID, outputForm)
	env, err := e.srv.SubmissionEnvelope(ana, review.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.twice(env)
	e.waitMessage(growth, "Created", "Delight new customers")
	s := e.settle()
	objs, err := s.TeamObjectives(e.ctx, teamA, growth, okrs.QuarterOf(e.clock()).Name, -1)
	if err != nil || len(objs) != 1 {
		t.Fatalf("a double Save anyway stored %d objectives (%v), want 1", len(objs), err)
	}
}

func TestReviewCommandListsTipsWithEditButtons(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	e.submitForm(ana, v.ID, outputForm)
	e.waitMessage(growth, "Created")
	e.okr(teamA, ana, growth, "review")
	m := e.waitMessage(growth, "Coaching review", "Launch the referral program", "reads like a task", "okr_review_edit")
	if !m.Ephemeral || m.EphemeralTo != ana {
		t.Errorf("the review was posted for everyone (ephemeral %v to %q)", m.Ephemeral, m.EphemeralTo)
	}
	// Its Edit button opens the objective's form for whoever may edit it.
	if _, err := e.srv.PressButton(e.ctx, ana, m, "okr_review_edit"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.UserID == ana && x.Open && x.CallbackID == "okr_objective" && x.Title == "Edit objective"
	}); err != nil {
		t.Fatalf("Edit did not open the objective's form: %v", err)
	}
}

func TestKeyResultsDefaultToTheObjectivesOwner(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Delight new customers", 3)
	// Ana creates it for Ben and leaves two key results' owners empty.
	noOwner := func(v slacktest.Values) slacktest.Values {
		for k := range v {
			if strings.HasSuffix(k, "_owner") {
				delete(v, k)
			}
		}
		return v
	}
	if raw := string(v.RawBlocks); strings.Contains(raw, `"initial_user"`) && strings.Count(raw, `"initial_user"`) > 1 {
		t.Errorf("the new key results' owners are prefilled: %s", raw)
	}
	e.submitForm(ana, v.ID, merge(slacktest.Values{"owner": {"v": ben}},
		noOwner(kr(0, "Raise week-1 activation", "increase", "40%", "60%", "")),
		noOwner(kr(1, "Cut P99 checkout latency", "decrease", "400 ms", "280 ms", "")),
		kr(2, "Grow weekly active teams", "increase", "120", "200", carla)))
	e.waitMessage(growth, "Created")
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 1 {
		t.Fatalf("%d objectives", len(objs))
	}
	for i, want := range []string{ben, ben, carla} {
		if got := objs[0].KeyResults[i].Owner; got != want {
			t.Errorf("key result %d owned by %s, want %s", i, got, want)
		}
	}
}

// TestFlatButOnTrackGetsOneGentleQuestion: activation marked on track at
// 44% for three weekly check-ins while the cycle moves on gets one question
// in ana's next prompt and in the digest's "Needs attention".
func TestFlatButOnTrackGetsOneGentleQuestion(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective() // Monday Nov 16, 09:00 UTC
	act := o.KeyResults[0].ID
	for _, day := range []int{16, 23, 30} {
		at := time.Date(2026, 11, day, 11, 0, 0, 0, time.UTC)
		// 40 → 44 at the first, then flat.
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: act, Author: ana, At: at, Value: 44, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Too few flat check-ins yet (the first one moved): no question.
	e.advance(time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC).Sub(e.clock())) // Friday Dec 4, 16:00 UTC
	e.sweep()
	d := e.waitMessage(growth, "Weekly OKR digest", "week of Nov 30")
	if strings.Contains(d.AllText(), "has stayed at") {
		t.Errorf("a key result that moved in its first of three check-ins is called flat:\n%s", d.AllText())
	}
	// A fourth check-in at 44%: three in a row without a move.
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: act, Author: ana, At: time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC), Value: 44, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC).Sub(e.clock())) // Monday Dec 7, 10:00 in Berlin
	e.sweep()
	p := e.prompt(ana, "Time for your weekly check-in", "week of Dec 7")
	question := "“Raise week-1 activation” has stayed at 44% for 3 check-ins and is behind pace, though marked on track: what will get it moving?"
	if n := strings.Count(p.AllText(), question); n != 1 {
		t.Errorf("ana's prompt asks %d times, want once:\n%s", n, p.AllText())
	}
	if strings.Contains(p.AllText(), "Cut P99") {
		t.Errorf("ana's prompt asks about ben's key result")
	}
	// Ben checks in this week (a quiet week's digest is a short note).
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: o.KeyResults[1].ID, Author: ben, At: time.Date(2026, 12, 8, 18, 0, 0, 0, time.UTC), Value: 350, Confidence: okrs.Confidence{Level: okrs.AtRisk}}}); err != nil {
		t.Fatal(err)
	}
	e.advance(time.Date(2026, 12, 11, 16, 0, 0, 0, time.UTC).Sub(e.clock())) // Friday Dec 11
	e.sweep()
	d = e.waitMessage(growth, "Weekly OKR digest", "week of Dec 7")
	if !strings.Contains(d.AllText(), "Needs attention") || !strings.Contains(d.AllText(), question) {
		t.Errorf("the digest's risks lack the question:\n%s\n%s", d.AllText(), d.RawBlocks)
	}
}

// TestDirectionComesFromTheNumbers: 3.5% → 2% is a decrease whatever kind
// was left selected; no error asks to pick "Decrease".
func TestDirectionComesFromTheNumbers(t *testing.T) {
	e := newEnv(t)
	v := e.openCreateWithKRs("Keep customers longer", 3)
	ack := e.submitForm(ana, v.ID, merge(
		kr(0, "Cut monthly churn", "increase", "3.5%", "2%", ana),
		kr(1, "Raise net revenue retention", "decrease", "98%", "105%", ana),
		kr(2, "Keep uptime above", "stay_above", "99.95%", "99.9%", ana)))
	if len(ack.Errors()) > 0 {
		t.Fatalf("field errors %v", ack.Errors())
	}
	e.waitMessage(growth, "Created", "Keep customers longer")
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 1 {
		t.Fatalf("%d objectives", len(objs))
	}
	for i, want := range []okrs.Kind{okrs.Decrease, okrs.Increase, okrs.StayAbove} {
		if got := objs[0].KeyResults[i].Kind; got != want {
			t.Errorf("key result %d stored as %s, want %s", i, got, want)
		}
	}
}

// TestProposalFormIsCoachedLikeAnyOther: a proposed vanity metric gets the
// review step; Back to edit keeps what was typed; fixed, it goes to the
// objective's owner with no tip left.
func TestProposalFormIsCoachedLikeAnyOther(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	v := e.proposeForm(ben, "")
	review := e.reviewOf(ben, v.ID, kr(0, "Increase the number of deployments", "increase", "10", "40", ben))
	if text := review.AllText(); !strings.Contains(text, "this key result") || !strings.Contains(text, "Key result 1") {
		t.Errorf("the proposal's review:\n%s", text)
	}
	form := e.backToEdit(ben, review, "okr_add_kr")
	if got := inputValue(t, form, "kr0_title"); got != "Increase the number of deployments" || inputValue(t, form, "kr0_target") != "40" {
		t.Errorf("back in the form: title %q target %q", got, inputValue(t, form, "kr0_target"))
	}
	ack, err := e.srv.SubmitView(e.ctx, ben, form.ID, kr(0, "Cut change failure rate", "decrease", "15%", "5%", ben))
	if err != nil || len(ack.Errors()) > 0 || ack.ResponseAction() != "" {
		t.Fatalf("the fixed proposal: %v %v %q", err, ack.Errors(), ack.ResponseAction())
	}
	dm := e.waitMessage(e.srv.DMChannel(ana), "proposes a key result", "Cut change failure rate")
	if strings.Contains(dm.AllText(), "number of deployments") {
		t.Errorf("the owner's DM has the first draft:\n%s", dm.AllText())
	}
}

// TestAddKeyResultSaveAnyway: the add form's review, saved anyway.
func TestAddKeyResultSaveAnyway(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	v := e.pick(ana, "add", o.ID)
	review := e.reviewOf(ana, v.ID, kr(0, "Write the onboarding guide", "milestone", "", "", ana))
	if _, err := e.srv.SubmitView(e.ctx, ana, review.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(growth, "Added", "Write the onboarding guide")
}
