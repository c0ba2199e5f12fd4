package views

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// correctedObjectives are the sample objectives with course corrections:
// k1's target raised this week with a hostile reason, k2's kind and target
// changed together last week, and k4 changed in the previous cycle.
func correctedObjectives() []okrs.Objective {
	objs := sampleObjectives()
	krs := objs[0].KeyResults
	thisWeek := viewNow.Add(-2 * time.Hour) // Nov 16
	krs[0].TargetHistory = []okrs.TargetChange{
		{By: "U1", At: viewNow.AddDate(0, 0, -30), From: 50, To: 55}, // an older record: no field, no reason
		{Field: okrs.FieldTarget, By: "U2", At: thisWeek, From: 55, To: 60, Reason: "<!channel> *bold* & new baseline"},
	}
	lastWeek := viewNow.AddDate(0, 0, -5)
	krs[1].TargetHistory = []okrs.TargetChange{
		{Field: okrs.FieldKind, By: "U2", At: lastWeek, FromKind: okrs.StayBelow, ToKind: okrs.Decrease, Reason: "we can do better"},
		{Field: okrs.FieldTarget, By: "U2", At: lastWeek, From: 300, To: 280, Reason: "we can do better"},
		{Field: okrs.FieldDue, By: "U2", At: thisWeek, FromDue: time.Time{}, ToDue: okrs.Date(2026, 12, 15)},
	}
	krs[3].TargetHistory = []okrs.TargetChange{{Field: okrs.FieldTarget, By: "U2", At: viewCycle.Start.AddDate(0, 0, -3), From: 99.5, To: 99.9, Reason: "last quarter"}}
	return objs
}

func TestStatusShowsCourseCorrections(t *testing.T) {
	m := Status(StatusView{Scope: Channel("C1"), Cycle: viewCycle, Now: viewNow, Objectives: correctedObjectives(), MoreValue: "t|C1|2026-Q4"})
	golden(t, "status_corrected", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	all := string(mustJSON(t, m.Blocks))
	for _, want := range []string{
		"target 55% → 60% on Nov 16: \\u0026lt;!channel\\u0026gt; *bold* \\u0026amp; new baseline", // the latest change, escaped
		"due the cycle end → Dec 15 on Nov 16",                                                     // k2's latest save, without a reason
	} {
		if !strings.Contains(all, want) {
			t.Errorf("status lacks %q:\n%s", want, all)
		}
	}
	for _, not := range []string{"<!channel>", "50% → 55%", "last quarter", "we can do better"} {
		if strings.Contains(all, not) {
			t.Errorf("status shows %q", not)
		}
	}
}

func TestStatusOfAPastCycle(t *testing.T) {
	q3, err := okrs.ParseCycle("2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	objs := sampleObjectives()
	objs[0].Cycle = q3.Name
	m := Status(StatusView{Scope: Channel("C1"), Cycle: q3, Now: viewNow, Objectives: objs, MoreValue: "t|C1|2026-Q3", ChartValue: "t|C1|2026-Q3"})
	golden(t, "status_past", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	if all := string(mustJSON(t, m.Blocks)); !strings.Contains(all, "OKR status · 2026-Q3 (past cycle)") || !strings.Contains(all, "ended at") {
		t.Errorf("a past cycle's status does not say so:\n%s", all)
	}
	empty := Status(StatusView{Scope: Channel("C1"), Cycle: q3, Now: viewNow})
	if got := empty.Text.String(); !strings.Contains(got, "a past cycle") || strings.Contains(got, "/okr new") {
		t.Errorf("an empty past cycle says %q", got)
	}
	current := Status(StatusView{Scope: Channel("C1"), Cycle: viewCycle, Now: viewNow, Objectives: sampleObjectives()})
	if strings.Contains(string(mustJSON(t, current.Blocks)), "past cycle") {
		t.Error("the current cycle is called past")
	}
}

func TestDigestListsCourseCorrections(t *testing.T) {
	objs := correctedObjectives()
	for i := range objs[0].KeyResults {
		kr := &objs[0].KeyResults[i]
		kr.CheckIns = []okrs.CheckIn{{At: viewNow.Add(-time.Hour), Value: kr.Current, Confidence: kr.Confidence, Author: kr.Owner}}
		kr.LastCheckIn = viewNow.Add(-time.Hour)
	}
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	d := okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow)
	m := Digest(d)
	golden(t, "digest_corrections", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	all := string(mustJSON(t, m.Blocks))
	if !strings.Contains(all, "*Course corrections*") || !strings.Contains(all, "target 55% → 60% on Nov 16: \\u0026lt;!channel\\u0026gt;") {
		t.Errorf("the digest does not list this week's change:\n%s", all)
	}
	for _, not := range []string{"we can do better", "last quarter", "50% → 55%"} { // other weeks
		if strings.Contains(all, not) {
			t.Errorf("the digest lists %q, from another week", not)
		}
	}
	if plain := Digest(sampleDigest()); strings.Contains(string(mustJSON(t, plain.Blocks)), "Course corrections") {
		t.Error("a week without changes has a Course corrections section")
	}
}

func TestEditModalAsksWhy(t *testing.T) {
	o := correctedObjectives()[0]
	f := FormOf(&o)
	f.Reason = "new baseline"
	v := FormView{Meta: FormMeta{Mode: ModeEdit, ObjID: o.ID, Channel: "C1"}, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), viewNow, o.Cycle)}
	m := ObjectiveModal(f, v)
	golden(t, "objective_edit_modal", m)
	if !strings.Contains(string(mustJSON(t, m)), `"block_id":"reason"`) {
		t.Error("the edit modal has no reason input")
	}
	v.Meta.Mode = ModeNew
	if strings.Contains(string(mustJSON(t, ObjectiveModal(f, v))), `"block_id":"reason"`) {
		t.Error("the new-objective modal asks why a target changed")
	}
	long := ObjectiveForm{Title: "t", Team: "C1", Cycle: viewCycle.Name, Owner: "U1", Reason: strings.Repeat("x", okrs.MaxChangeReason+1),
		KRs: []KRForm{{Title: "k", Kind: okrs.Increase, Start: "1", Target: "2"}}}
	if _, _, fe := long.Objective(FormMeta{}, "T1", "U1", viewNow, nil); fe[BlockReason] == "" {
		t.Errorf("a %d-character reason was accepted: %v", okrs.MaxChangeReason+1, fe)
	}
}

func TestHomeOffersPastCycles(t *testing.T) {
	h := Home(HomeView{User: "U1", Objectives: sampleObjectives(), Cycle: viewCycle, Now: viewNow, PastCycles: []string{"2026-Q3", "2026-Q2"}})
	all := string(mustJSON(t, h))
	for _, want := range []string{"*Past cycles:* 2026-Q3, 2026-Q2", `"action_id":"` + ActionPastCycle + `"`, `"value":"2026-Q3"`} {
		if !strings.Contains(all, want) {
			t.Errorf("home lacks %s:\n%s", want, all)
		}
	}
	if none := string(mustJSON(t, Home(HomeView{User: "U1", Objectives: sampleObjectives(), Cycle: viewCycle, Now: viewNow}))); strings.Contains(none, "Past cycles") {
		t.Error("a home without past cycles lists them")
	}
}

func TestQuietDigestStillListsCourseCorrections(t *testing.T) {
	objs := correctedObjectives()
	for i := range objs[0].KeyResults {
		objs[0].KeyResults[i].LastCheckIn = time.Time{}
		objs[0].KeyResults[i].CheckIns = []okrs.CheckIn{}
	}
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	m := Digest(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))
	all := string(mustJSON(t, m.Blocks))
	if !strings.Contains(m.Text.String(), "A quiet week") || !strings.Contains(all, "*Course corrections*") {
		t.Errorf("a quiet week's digest with a change:\n%s", all)
	}
}

// TestStatusOfAGradedCycle: a past cycle's status shows the owner's grades
// (the objective's and each key result's) and what the team learned,
// escaped.
func TestStatusOfAGradedCycle(t *testing.T) {
	q3, err := okrs.ParseCycle("2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	objs := sampleObjectives()[:1]
	o := &objs[0]
	o.Cycle = q3.Name
	o.Grading = okrs.Grading{By: o.Owner, At: q3.End, Note: "Onboarding emails beat <!channel> tooltips", Grades: map[string]okrs.Grade{}}
	for i := range o.KeyResults {
		o.Grading.Grades[o.KeyResults[i].ID] = 0.7
	}
	m := Status(StatusView{Scope: Channel("C1"), Cycle: q3, Now: viewNow, Objectives: objs, MoreValue: "t|C1|2026-Q3"})
	all := string(mustJSON(t, m.Blocks))
	for _, want := range []string{":mortar_board: Graded *0.7* · Delivered", "graded *0.7*", "_What we learned:_ Onboarding emails beat \\u0026lt;!channel\\u0026gt; tooltips"} {
		if !strings.Contains(all, want) {
			t.Errorf("a graded past cycle's status lacks %q:\n%s", want, all)
		}
	}
}
