package okrs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func gradedObjective() okrs.Objective {
	return okrs.Objective{ID: "o1", Owner: "UOWN", Cycle: "2026-Q4", Title: "Delight", KeyResults: []okrs.KeyResult{
		{ID: "k1", Title: "NPS", Kind: okrs.Increase, Unit: okrs.Number, Start: 10, Target: 50, Current: 38},
		{ID: "k2", Title: "Churn", Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10, Current: 10},
		{ID: "k3", Title: "Old", Archived: true},
	}}
}

func TestGradingApply(t *testing.T) {
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		g    okrs.Grading
		code string
	}{
		{"owner grades", okrs.Grading{By: "UOWN", Grades: map[string]okrs.Grade{"k1": 0.7, "k2": 1}}, ""},
		{"someone else", okrs.Grading{By: "UOTHER", Grades: map[string]okrs.Grade{"k1": 0.7, "k2": 1}}, okrs.EFORBIDDEN},
		{"a key result missing", okrs.Grading{By: "UOWN", Grades: map[string]okrs.Grade{"k1": 0.7}}, okrs.EINVALID},
		{"out of range", okrs.Grading{By: "UOWN", Grades: map[string]okrs.Grade{"k1": 1.2, "k2": 1}}, okrs.EINVALID},
		{"long note", okrs.Grading{By: "UOWN", Note: strings.Repeat("x", okrs.MaxGradeNote+1), Grades: map[string]okrs.Grade{"k1": 0.7, "k2": 1}}, okrs.EINVALID},
	}
	for _, tt := range tests {
		o := gradedObjective()
		err := o.Apply(tt.g, now)
		if got := okrs.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.code)
		}
		if tt.code == "" && (!o.Graded() || o.Grade() != 0.9 || len(o.Grading.Grades) != 2) {
			t.Errorf("%s: grading %+v, grade %v", tt.name, o.Grading, o.Grade())
		}
	}
}

func TestSuggestedGradesAndHints(t *testing.T) {
	o := gradedObjective()
	if g := o.GradeOfKeyResult(&o.KeyResults[0]); g != 0.7 {
		t.Errorf("suggested for 28/40: got %v, want 0.7", g)
	}
	if h := okrs.GradeHint(1); !strings.Contains(h, "ambitious enough") {
		t.Errorf("hint for 1.0: %q", h)
	}
	if h := okrs.GradeHint(0.7); !strings.Contains(h, "good result for an ambitious goal") {
		t.Errorf("hint for 0.7: %q", h)
	}
	for _, tt := range []struct {
		in   string
		want okrs.Grade
		ok   bool
	}{{"0.7", 0.7, true}, {"0,4", 0.4, true}, {"1", 1, true}, {"1.1", 0, false}, {"-0.1", 0, false}, {"x", 0, false}} {
		g, err := okrs.ParseGrade(tt.in)
		if (err == nil) != tt.ok || g != tt.want {
			t.Errorf("ParseGrade(%q): got %v, %v", tt.in, g, err)
		}
	}
}

func TestRetrospectiveReading(t *testing.T) {
	all := gradedObjective()
	all.KeyResults[0].Current = 50
	missed := gradedObjective()
	missed.KeyResults[0].Current, missed.KeyResults[1].Current = 10, 1
	for _, tt := range []struct {
		name string
		objs []okrs.Objective
		want string
	}{
		{"all delivered", []okrs.Objective{all}, "ambitious enough"},
		{"sweet spot", []okrs.Objective{gradedObjective()}, "sweet spot"},
		{"missed", []okrs.Objective{missed}, "worth learning from"},
		{"none", nil, "No objectives"},
	} {
		r := okrs.Retrospective{Objectives: tt.objs}
		if got := r.Reading(); !strings.Contains(got, tt.want) || strings.Contains(strings.ToLower(got), "fail") {
			t.Errorf("%s: got %q, want it to contain %q", tt.name, got, tt.want)
		}
	}
}

func TestCarryOver(t *testing.T) {
	o := gradedObjective()
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	cp := o.CarryOver(okrs.Cycle{Name: "2027-Q1"}, "UMGR", now)
	// k2 is met (it stays behind), k3 is archived.
	if cp.ID != "" || cp.Cycle != "2027-Q1" || cp.Owner != "UOWN" || len(cp.KeyResults) != 1 || cp.Graded() {
		t.Fatalf("copy: %+v", cp)
	}
	if kr := cp.KeyResults[0]; kr.ID != "" || kr.Start != 38 || kr.Current != 38 || kr.Target != 50 {
		t.Errorf("carried key result: %+v", kr)
	}
	if o.KeyResults[0].Start != 10 || o.Cycle != "2026-Q4" {
		t.Errorf("original changed: %+v", o)
	}
	if !o.Unfinished() {
		t.Error("unfinished: false")
	}
}
