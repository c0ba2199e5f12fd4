package okrs_test

import (
	"slices"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestPastCycles(t *testing.T) {
	now := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	obj := func(cycle string, archived bool) okrs.Objective {
		return okrs.Objective{Cycle: cycle, Archived: archived}
	}
	tests := []struct {
		name string
		objs []okrs.Objective
		want []string
	}{
		{"none", nil, nil},
		{"only the current cycle", []okrs.Objective{obj("2026-Q4", false)}, nil},
		{"newest first, each once", []okrs.Objective{obj("2026-Q2", false), obj("2026-Q4", false), obj("2026-Q3", false), obj("2026-q2", false)},
			[]string{"2026-Q3", "2026-Q2"}},
		{"halves and quarters", []okrs.Objective{obj("2026-H1", false), obj("2025-Q4", false)}, []string{"2026-H1", "2025-Q4"}},
		{"archived and unknown cycles are left out", []okrs.Objective{obj("2026-Q1", true), obj("Sprint 9", false), obj("2027-Q1", false)}, nil},
		{"a custom cycle by its team's dates", []okrs.Objective{obj("2026-Q2", false), obj("Summer launch", false), obj("Autumn push", false)},
			[]string{"Summer launch", "2026-Q2"}},
		{"a cycle dated past now is not past", []okrs.Objective{obj("2026-Q1", false), obj("Autumn push", false)}, []string{"2026-Q1"}},
	}
	s := okrs.DefaultSettings("UTC")
	s.Cycles = []okrs.Cycle{
		{Name: "Summer launch", Start: okrs.Date(2026, 7, 6), End: okrs.Date(2026, 8, 28)},
		{Name: "Autumn push", Start: okrs.Date(2026, 11, 21), End: okrs.Date(2026, 12, 20)},
	}
	cycleOf := func(o *okrs.Objective) (okrs.Cycle, error) { return s.CycleNamed(o.Cycle) }
	for _, tt := range tests {
		if got := okrs.PastCycles(tt.objs, cycleOf, now); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
