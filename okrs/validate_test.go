package okrs_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/okrbot/okrbot/okrs"
)

var q4 = okrs.Cycle{Name: "2026-Q4", Start: okrs.Date(2026, 10, 1), End: okrs.Date(2026, 12, 31)}

func validObjective() okrs.Objective {
	return okrs.Objective{
		Workspace: "T1", Team: "C1", Cycle: "2026-Q4", Title: "Delight new customers", Owner: "U1",
		KeyResults: []okrs.KeyResult{
			{Title: "Raise activation", Owner: "U1", Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 60},
			{Title: "Cut P99 latency", Owner: "U2", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms", Start: 400, Target: 280},
			{Title: "Onboarding guide live", Owner: "U1", Kind: okrs.Milestone, Unit: okrs.Number},
		},
	}
}

func TestObjectiveValidate(t *testing.T) {
	long := strings.Repeat("x", okrs.MaxTitle+1)
	tests := []struct {
		name   string
		change func(o *okrs.Objective)
		fields []string // the fields that must carry errors, in order; nil: valid
	}{
		{"valid", func(o *okrs.Objective) {}, nil},
		{"empty title", func(o *okrs.Objective) { o.Title = "  " }, []string{"title"}},
		{"title too long", func(o *okrs.Objective) { o.Title = long }, []string{"title"}},
		{"title of 150 chars is fine", func(o *okrs.Objective) { o.Title = long[:150] }, nil},
		{"title with control character", func(o *okrs.Objective) { o.Title = "a\x00b" }, []string{"title"}},
		{"no team", func(o *okrs.Objective) { o.Team = "" }, []string{"team"}},
		{"no owner", func(o *okrs.Objective) { o.Owner = "" }, []string{"owner"}},
		{"wrong cycle", func(o *okrs.Objective) { o.Cycle = "2027-Q1" }, []string{"cycle"}},
		{"aligned to itself", func(o *okrs.Objective) { o.ID, o.ParentID = "a", "a" }, []string{"parent"}},
		{"no key results", func(o *okrs.Objective) { o.KeyResults = nil }, []string{"key_results"}},
		{"six key results", func(o *okrs.Objective) {
			for range 3 {
				o.KeyResults = append(o.KeyResults, o.KeyResults[0])
			}
		}, []string{"key_results"}},
		{"KR empty title", func(o *okrs.Objective) { o.KeyResults[1].Title = "" }, []string{"kr.1.title"}},
		{"KR KR title too long", func(o *okrs.Objective) { o.KeyResults[0].Title = long }, []string{"kr.0.title"}},
		{"KR no owner", func(o *okrs.Objective) { o.KeyResults[2].Owner = "" }, []string{"kr.2.owner"}},
		{"KR unknown kind", func(o *okrs.Objective) { o.KeyResults[0].Kind = "sideways" }, []string{"kr.0.kind"}},
		{"KR target equals start", func(o *okrs.Objective) { o.KeyResults[0].Target = 40 }, []string{"kr.0.target"}},
		{"KR increase going down", func(o *okrs.Objective) { o.KeyResults[0].Target = 30 }, []string{"kr.0.target"}},
		{"KR decrease going up", func(o *okrs.Objective) { o.KeyResults[1].Target = 500 }, []string{"kr.1.target"}},
		{"KR NaN start", func(o *okrs.Objective) { o.KeyResults[0].Start = math.NaN() }, []string{"kr.0.start"}},
		{"KR infinite target", func(o *okrs.Objective) { o.KeyResults[0].Target = math.Inf(1) }, []string{"kr.0.target"}},
		{"KR huge target", func(o *okrs.Objective) { o.KeyResults[0].Target = 1e300 }, []string{"kr.0.target"}},
		{"milestone with a start", func(o *okrs.Objective) { o.KeyResults[2].Start = 5 }, []string{"kr.2.start"}},
		{"milestone with a target", func(o *okrs.Objective) { o.KeyResults[2].Target = 10 }, []string{"kr.2.target"}},
		{"due date in the cycle", func(o *okrs.Objective) { o.KeyResults[0].Due = okrs.Date(2026, 12, 31) }, nil},
		{"due date after the cycle", func(o *okrs.Objective) { o.KeyResults[0].Due = okrs.Date(2027, 1, 1) }, []string{"kr.0.due"}},
		{"due date before the cycle", func(o *okrs.Objective) { o.KeyResults[1].Due = okrs.Date(2026, 9, 30) }, []string{"kr.1.due"}},
		{"unit label too long", func(o *okrs.Objective) { o.KeyResults[1].UnitLabel = strings.Repeat("m", 21) }, []string{"kr.1.unit"}},
		{"several at once", func(o *okrs.Objective) { o.Title = ""; o.KeyResults[0].Target = 40; o.KeyResults[2].Title = "" },
			[]string{"title", "kr.0.target", "kr.2.title"}},
		{"archived KR not validated or counted", func(o *okrs.Objective) {
			o.KeyResults[0].Archived = true
			o.KeyResults[0].Title = ""
		}, nil},
	}
	for _, tt := range tests {
		o := validObjective()
		tt.change(&o)
		o.Normalize()
		err := o.Validate(q4)
		var got []string
		for _, fe := range okrs.FieldErrors(err) {
			got = append(got, fe.Field)
			if fe.Code != okrs.EINVALID || fe.Message == "" {
				t.Errorf("%s: field error %+v: want code invalid and a message", tt.name, fe)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: error fields = %v, want %v (err: %v)", tt.name, got, tt.fields, err)
		}
		if tt.fields == nil && err != nil {
			t.Errorf("%s: unexpected error %v", tt.name, err)
		}
	}
}

func TestNormalizeMilestone(t *testing.T) {
	kr := okrs.KeyResult{Title: "  Ship\n the  guide ", Kind: okrs.Milestone}
	kr.Normalize()
	if kr.Title != "Ship the guide" || kr.Target != 1 || kr.Start != 0 || kr.Unit != okrs.Number {
		t.Errorf("Normalize() = %+v, want tidy title, start 0, target 1, unit number", kr)
	}
}

func TestCheckInValidate(t *testing.T) {
	kr := &okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 10}
	ms := &okrs.KeyResult{Kind: okrs.Milestone, Target: 1}
	ok := okrs.Confidence{Level: okrs.OnTrack}
	tests := []struct {
		name   string
		kr     *okrs.KeyResult
		ci     okrs.CheckIn
		fields []string
	}{
		{"valid", kr, okrs.CheckIn{Author: "U1", Value: 4, Confidence: ok}, nil},
		{"NaN value", kr, okrs.CheckIn{Author: "U1", Value: math.NaN(), Confidence: ok}, []string{"value"}},
		{"no confidence", kr, okrs.CheckIn{Author: "U1", Value: 4}, []string{"confidence"}},
		{"bad level", kr, okrs.CheckIn{Author: "U1", Value: 4, Confidence: okrs.Confidence{Level: "great"}}, []string{"confidence"}},
		{"comment too long", kr, okrs.CheckIn{Author: "U1", Value: 4, Confidence: ok, Comment: strings.Repeat("a", okrs.MaxComment+1)}, []string{"comment"}},
		{"milestone half done", ms, okrs.CheckIn{Author: "U1", Value: 0.5, Confidence: ok}, []string{"value"}},
		{"milestone done", ms, okrs.CheckIn{Author: "U1", Value: 1, Confidence: ok}, nil},
		{"no author", kr, okrs.CheckIn{Value: 4, Confidence: ok}, []string{"owner"}},
	}
	for _, tt := range tests {
		var got []string
		for _, fe := range okrs.FieldErrors(tt.ci.Validate(tt.kr)) {
			got = append(got, fe.Field)
		}
		if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
			t.Errorf("%s: error fields = %v, want %v", tt.name, got, tt.fields)
		}
	}
}

func TestSetTargetKeepsHistory(t *testing.T) {
	kr := okrs.KeyResult{Target: 60}
	kr.SetTarget(60, "U1", okrs.Date(2026, 11, 1))
	if len(kr.TargetHistory) != 0 {
		t.Fatalf("unchanged target recorded history: %+v", kr.TargetHistory)
	}
	kr.SetTarget(70, "U2", okrs.Date(2026, 11, 2))
	if kr.Target != 70 || len(kr.TargetHistory) != 1 || kr.TargetHistory[0] != (okrs.TargetChange{Field: okrs.FieldTarget, By: "U2", At: okrs.Date(2026, 11, 2), From: 60, To: 70}) {
		t.Errorf("SetTarget: target %v history %+v", kr.Target, kr.TargetHistory)
	}
}

func TestErrorHelpers(t *testing.T) {
	err := errors.Join(okrs.Invalid("a", "A"), errors.New("plain"), okrs.Invalid("b", "B"))
	if got := len(okrs.FieldErrors(err)); got != 2 {
		t.Errorf("FieldErrors: got %d, want 2", got)
	}
	if got := okrs.ErrorCode(errors.New("x")); got != okrs.EINTERNAL {
		t.Errorf("ErrorCode(plain) = %q, want internal", got)
	}
	if got := okrs.ErrorMessage(errors.New("secret detail")); got != "Internal error." {
		t.Errorf("ErrorMessage(plain) = %q, want Internal error.", got)
	}
	wrapped := errors.Join(okrs.Errorf(okrs.ENOTFOUND, "No such objective."))
	if okrs.ErrorCode(wrapped) != okrs.ENOTFOUND || okrs.ErrorMessage(wrapped) != "No such objective." {
		t.Errorf("wrapped domain error lost its code or message: %v", wrapped)
	}
}
