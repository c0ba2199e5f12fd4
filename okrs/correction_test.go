package okrs_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestKeyResultRecordChanges(t *testing.T) {
	at := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	due := okrs.Date(2026, 12, 15)
	was := okrs.KeyResult{Kind: okrs.Increase, Start: 40, Target: 60}
	tests := []struct {
		name   string
		edit   func(kr *okrs.KeyResult)
		fields []string
	}{
		{"nothing changed", func(*okrs.KeyResult) {}, nil},
		{"title only", func(kr *okrs.KeyResult) { kr.Title = "new" }, nil},
		{"target", func(kr *okrs.KeyResult) { kr.Target = 70 }, []string{okrs.FieldTarget}},
		{"kind", func(kr *okrs.KeyResult) { kr.Kind = okrs.StayAbove }, []string{okrs.FieldKind}},
		{"due", func(kr *okrs.KeyResult) { kr.Due = due }, []string{okrs.FieldDue}},
		{"all three", func(kr *okrs.KeyResult) { kr.Kind, kr.Target, kr.Due = okrs.Decrease, 30, due },
			[]string{okrs.FieldKind, okrs.FieldTarget, okrs.FieldDue}},
	}
	for _, tt := range tests {
		kr := was
		tt.edit(&kr)
		kr.RecordChanges(&was, "U1", at, "new baseline")
		if len(kr.TargetHistory) != len(tt.fields) {
			t.Errorf("%s: got %d changes, want %d: %+v", tt.name, len(kr.TargetHistory), len(tt.fields), kr.TargetHistory)
			continue
		}
		for i, h := range kr.TargetHistory {
			if h.Field != tt.fields[i] || h.By != "U1" || !h.At.Equal(at) || h.Reason != "new baseline" {
				t.Errorf("%s: change %d = %+v, want field %s by U1 with the reason", tt.name, i, h, tt.fields[i])
			}
			switch h.Field {
			case okrs.FieldTarget:
				if h.From != was.Target || h.To != kr.Target {
					t.Errorf("%s: target %v → %v, want %v → %v", tt.name, h.From, h.To, was.Target, kr.Target)
				}
			case okrs.FieldKind:
				if h.FromKind != was.Kind || h.ToKind != kr.Kind {
					t.Errorf("%s: kind %v → %v, want %v → %v", tt.name, h.FromKind, h.ToKind, was.Kind, kr.Kind)
				}
			case okrs.FieldDue:
				if !h.FromDue.IsZero() || !h.ToDue.Equal(due) {
					t.Errorf("%s: due %v → %v, want zero → %v", tt.name, h.FromDue, h.ToDue, due)
				}
			}
		}
	}
}

func TestKeyResultSetTarget(t *testing.T) {
	at := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	kr := okrs.KeyResult{Kind: okrs.Increase, Target: 60}
	kr.SetTarget(60, "U1", at)
	if len(kr.TargetHistory) != 0 {
		t.Errorf("unchanged target: got %+v, want no change", kr.TargetHistory)
	}
	kr.SetTarget(70, "U1", at)
	if kr.Target != 70 || len(kr.TargetHistory) != 1 || !kr.TargetHistory[0].IsTarget() || kr.TargetHistory[0].Reason != "" {
		t.Errorf("got target %v and %+v, want 70 and one target change without a reason", kr.Target, kr.TargetHistory)
	}
}

func TestKeyResultTargetAt(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 11, day, 12, 0, 0, 0, time.UTC) }
	kr := okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 80, TargetHistory: []okrs.TargetChange{
		{By: "U1", At: d(3), From: 60, To: 70}, // an older record: no Field
		{Field: okrs.FieldDue, By: "U1", At: d(5), ToDue: okrs.Date(2026, 12, 1)},
		{Field: okrs.FieldTarget, By: "U1", At: d(10), From: 70, To: 80},
	}}
	tests := []struct {
		at   time.Time
		want float64
	}{
		{d(1), 60},
		{d(3), 70}, // a change applies from its moment on
		{d(6), 70},
		{d(10), 80},
		{d(20), 80},
	}
	for _, tt := range tests {
		if got := kr.TargetAt(tt.at); got != tt.want {
			t.Errorf("TargetAt(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	if got := kr.ChangesBetween(d(4), d(10)); len(got) != 1 || got[0].Field != okrs.FieldDue {
		t.Errorf("ChangesBetween(Nov 4, Nov 10) = %+v, want the due change only", got)
	}
	if got := (&okrs.KeyResult{Target: 5}).TargetAt(d(1)); got != 5 {
		t.Errorf("without history: TargetAt = %v, want 5", got)
	}
}
