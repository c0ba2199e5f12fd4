package okrs_test

import (
	"math"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestKeyResultAchievement(t *testing.T) {
	tests := []struct {
		name                   string
		kind                   okrs.Kind
		start, target, current float64
		achievement, progress  float64
	}{
		{"increase at start", okrs.Increase, 40, 60, 40, 0, 0},
		{"increase half way", okrs.Increase, 40, 60, 50, 0.5, 0.5},
		{"increase done", okrs.Increase, 40, 60, 60, 1, 1},
		{"increase over-achieved", okrs.Increase, 0, 100, 112, 1.12, 1},
		{"increase went backwards", okrs.Increase, 40, 60, 30, 0, 0},
		{"increase from negative", okrs.Increase, -10, 10, 0, 0.5, 0.5},
		{"decrease at start", okrs.Decrease, 400, 280, 400, 0, 0},
		{"decrease half way", okrs.Decrease, 400, 280, 340, 0.5, 0.5},
		{"decrease done", okrs.Decrease, 400, 280, 280, 1, 1},
		{"decrease beyond", okrs.Decrease, 400, 280, 250, 1.25, 1},
		{"decrease got worse", okrs.Decrease, 400, 280, 450, 0, 0},
		{"target equals start", okrs.Increase, 5, 5, 7, 0, 0},
		{"stay above held", okrs.StayAbove, 0, 99.9, 99.95, 1, 1},
		{"stay above at threshold", okrs.StayAbove, 0, 99.9, 99.9, 1, 1},
		{"stay above broken", okrs.StayAbove, 0, 99.9, 99.5, 0, 0},
		{"stay below held", okrs.StayBelow, 0, 2, 1.5, 1, 1},
		{"stay below broken", okrs.StayBelow, 0, 2, 2.1, 0, 0},
		{"milestone not done", okrs.Milestone, 0, 1, 0, 0, 0},
		{"milestone done", okrs.Milestone, 0, 1, 1, 1, 1},
		{"non-finite current", okrs.Increase, 0, 10, math.NaN(), 0, 0},
		{"infinite current", okrs.Increase, 0, 10, math.Inf(1), 0, 0},
	}
	for _, tt := range tests {
		kr := okrs.KeyResult{Kind: tt.kind, Start: tt.start, Target: tt.target, Current: tt.current}
		if got := kr.Achievement(); math.Abs(got-tt.achievement) > 1e-9 {
			t.Errorf("%s: Achievement() = %v, want %v", tt.name, got, tt.achievement)
		}
		if got := kr.Progress(); math.Abs(got-tt.progress) > 1e-9 {
			t.Errorf("%s: Progress() = %v, want %v", tt.name, got, tt.progress)
		}
	}
}

func TestObjectiveProgress(t *testing.T) {
	kr := func(current float64, archived bool) okrs.KeyResult {
		return okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: current, Archived: archived}
	}
	tests := []struct {
		name string
		krs  []okrs.KeyResult
		want float64
	}{
		{"no key results", nil, 0},
		{"mean", []okrs.KeyResult{kr(50, false), kr(100, false), kr(0, false)}, 0.5},
		{"over-achievement is capped in the mean", []okrs.KeyResult{kr(200, false), kr(0, false)}, 0.5},
		{"archived left out", []okrs.KeyResult{kr(100, false), kr(0, true)}, 1},
		{"only archived", []okrs.KeyResult{kr(100, true)}, 0},
	}
	for _, tt := range tests {
		o := okrs.Objective{KeyResults: tt.krs}
		if got := o.Progress(); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: Progress() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCycleElapsed(t *testing.T) {
	q4 := okrs.QuarterOf(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	berlin, _ := time.LoadLocation("Europe/Berlin")
	zero := okrs.Cycle{Name: "day", Start: okrs.Date(2026, 10, 1), End: okrs.Date(2026, 9, 30)}
	oneDay := okrs.Cycle{Name: "day", Start: okrs.Date(2026, 10, 1), End: okrs.Date(2026, 10, 1)}
	tests := []struct {
		name  string
		c     okrs.Cycle
		now   time.Time
		want  float64
		delta float64
	}{
		{"before start", q4, time.Date(2026, 9, 30, 23, 0, 0, 0, time.UTC), 0, 0},
		{"first instant", q4, time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), 0, 0},
		{"middle", q4, time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC), 45.5 / 92, 1e-9},
		{"last day noon", q4, time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), 91.5 / 92, 1e-9},
		{"after end", q4, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), 1, 0},
		{"in another timezone", q4, time.Date(2026, 10, 1, 0, 0, 0, 0, berlin), 0, 0},
		{"zero-length cycle before", zero, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), 0, 0},
		{"zero-length cycle after", zero, time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), 1, 0},
		{"one-day cycle half", oneDay, time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC), 0.5, 1e-9},
	}
	for _, tt := range tests {
		if got := tt.c.Elapsed(tt.now); math.Abs(got-tt.want) > tt.delta {
			t.Errorf("%s: Elapsed(%v) = %v, want %v", tt.name, tt.now, got, tt.want)
		}
	}
}

func TestPace(t *testing.T) {
	q4 := okrs.Cycle{Name: "2026-Q4", Start: okrs.Date(2026, 10, 1), End: okrs.Date(2026, 12, 31)}
	mid := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC) // about half the cycle
	end := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		kr   okrs.KeyResult
		now  time.Time
		want okrs.Pace
	}{
		{"increase on pace", okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: 50}, mid, okrs.OnPace},
		{"increase ahead", okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: 70}, mid, okrs.Ahead},
		{"increase behind", okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: 30}, mid, okrs.Behind},
		{"decrease ahead", okrs.KeyResult{Kind: okrs.Decrease, Start: 400, Target: 280, Current: 300}, mid, okrs.Ahead},
		{"decrease behind", okrs.KeyResult{Kind: okrs.Decrease, Start: 400, Target: 280, Current: 390}, mid, okrs.Behind},
		{"early due date makes it behind", okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: 50, Due: okrs.Date(2026, 11, 1)}, mid, okrs.Behind},
		{"threshold held", okrs.KeyResult{Kind: okrs.StayAbove, Target: 99.9, Current: 99.95}, mid, okrs.OnPace},
		{"threshold broken", okrs.KeyResult{Kind: okrs.StayBelow, Target: 2, Current: 3}, mid, okrs.Behind},
		{"milestone open mid-cycle", okrs.KeyResult{Kind: okrs.Milestone, Target: 1}, mid, okrs.OnPace},
		{"milestone done early", okrs.KeyResult{Kind: okrs.Milestone, Target: 1, Current: 1}, mid, okrs.Ahead},
		{"milestone open after due", okrs.KeyResult{Kind: okrs.Milestone, Target: 1}, end, okrs.Behind},
		{"milestone done at end", okrs.KeyResult{Kind: okrs.Milestone, Target: 1, Current: 1}, end, okrs.OnPace},
	}
	for _, tt := range tests {
		if got := tt.kr.Pace(q4, tt.now); got != tt.want {
			t.Errorf("%s: Pace() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPaceOf(t *testing.T) {
	tests := []struct {
		progress, expected float64
		want               okrs.Pace
	}{
		{0.5, 0.5, okrs.OnPace},
		{0.6, 0.5, okrs.OnPace}, // exactly the tolerance
		{0.61, 0.5, okrs.Ahead},
		{0.4, 0.5, okrs.OnPace},
		{0.39, 0.5, okrs.Behind},
		{0, 0, okrs.OnPace},
		{1, 1, okrs.OnPace},
	}
	for _, tt := range tests {
		if got := okrs.PaceOf(tt.progress, tt.expected); got != tt.want {
			t.Errorf("PaceOf(%v, %v) = %v, want %v", tt.progress, tt.expected, got, tt.want)
		}
	}
}

func TestStale(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		kr   okrs.KeyResult
		want bool
	}{
		{"checked in yesterday", okrs.KeyResult{LastCheckIn: now.Add(-24 * time.Hour)}, false},
		{"checked in 8 days ago exactly", okrs.KeyResult{LastCheckIn: now.Add(-okrs.StaleAfter)}, false},
		{"checked in 9 days ago", okrs.KeyResult{LastCheckIn: now.Add(-9 * 24 * time.Hour)}, true},
		{"never, created today", okrs.KeyResult{CreatedAt: now.Add(-time.Hour)}, false},
		{"never, created a month ago", okrs.KeyResult{CreatedAt: now.Add(-30 * 24 * time.Hour)}, true},
		{"no dates at all", okrs.KeyResult{}, false},
	}
	for _, tt := range tests {
		if got := tt.kr.Stale(now); got != tt.want {
			t.Errorf("%s: Stale() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestQuarterAndParseCycle(t *testing.T) {
	tests := []struct {
		in         string
		name       string
		start, end time.Time
		ok         bool
	}{
		{"2026-Q4", "2026-Q4", okrs.Date(2026, 10, 1), okrs.Date(2026, 12, 31), true},
		{"2026 q1", "2026-Q1", okrs.Date(2026, 1, 1), okrs.Date(2026, 3, 31), true},
		{"Q2 2027", "2027-Q2", okrs.Date(2027, 4, 1), okrs.Date(2027, 6, 30), true},
		{"2028-H1", "2028-H1", okrs.Date(2028, 1, 1), okrs.Date(2028, 6, 30), true},
		{"2026-Q5", "", time.Time{}, time.Time{}, false},
		{"soon", "", time.Time{}, time.Time{}, false},
		{"", "", time.Time{}, time.Time{}, false},
	}
	for _, tt := range tests {
		c, err := okrs.ParseCycle(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseCycle(%q): err = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (c.Name != tt.name || !c.Start.Equal(tt.start) || !c.End.Equal(tt.end)) {
			t.Errorf("ParseCycle(%q) = %+v, want %s %v–%v", tt.in, c, tt.name, tt.start, tt.end)
		}
	}
	if got := okrs.QuarterOf(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)); got.Name != "2026-Q4" {
		t.Errorf("QuarterOf(Nov 25) = %q, want 2026-Q4", got.Name)
	}
}

func TestProgressAt(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 11, day, 12, 0, 0, 0, time.UTC) }
	kr := okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 100, Current: 60, CheckIns: []okrs.CheckIn{
		{At: d(20), Value: 60}, {At: d(13), Value: 40}, {At: d(6), Value: 10},
	}}
	tests := []struct {
		at   time.Time
		want float64
	}{
		{d(1), 0}, {d(6), 10}, {d(10), 10}, {d(13), 40}, {d(19), 40}, {d(25), 60},
	}
	for _, tt := range tests {
		if got := kr.ValueAt(tt.at); got != tt.want {
			t.Errorf("ValueAt(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
	dec := okrs.KeyResult{Kind: okrs.Decrease, Start: 400, Target: 280, CheckIns: []okrs.CheckIn{{At: d(10), Value: 340}}}
	if got := dec.ProgressAt(d(11)); math.Abs(got-0.5) > 1e-9 {
		t.Errorf("decrease ProgressAt = %v, want 0.5", got)
	}
	o := okrs.Objective{KeyResults: []okrs.KeyResult{kr, dec}}
	if got := o.ProgressAt(d(14)); math.Abs(got-(0.4+0.5)/2) > 1e-9 {
		t.Errorf("objective ProgressAt = %v, want 0.45", got)
	}
	noHistory := okrs.KeyResult{Kind: okrs.Increase, Start: 0, Target: 10, Current: 5}
	if got := noHistory.ValueAt(d(1)); got != 5 {
		t.Errorf("without loaded history ValueAt = %v, want Current", got)
	}
}
