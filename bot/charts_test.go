package bot

import (
	"bytes"
	"errors"
	"log/slog"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okrbot/okrbot/charts"
	"github.com/okrbot/okrbot/okrs"
)

// TestProgressInputScoresLikeTheStatus checks that every progress figure a
// progress chart gets is the one okrs gives the key result's status at that
// value, whatever its kind: thresholds and milestones score 0 or 1, not a
// share of the way from start to target.
func TestProgressInputScoresLikeTheStatus(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	week := func(n int) time.Time { return c.Start.AddDate(0, 0, 7*n).Add(10 * time.Hour) }
	tests := []struct {
		name          string
		kind          okrs.Kind
		start, target float64
		values        []float64 // weekly check-ins, oldest first
		want          []float64 // progress of each, as the status shows it
		wantStart     float64   // progress of the start value
		goal          charts.Goal
		status        string // the status message's figure at the last check-in
	}{
		{"stay above, below its threshold", okrs.StayAbove, 99.95, 99.9, []float64{99.5}, []float64{0}, 1, charts.StayAbove, "0%"},
		{"stay above, above its threshold", okrs.StayAbove, 99.95, 99.9, []float64{99.5, 99.95}, []float64{0, 1}, 1, charts.StayAbove, "100%"},
		{"stay below, broken then held", okrs.StayBelow, 1.8, 2, []float64{2.4, 1.9}, []float64{0, 1}, 1, charts.StayBelow, "100%"},
		{"milestone, not done then done", okrs.Milestone, 0, 1, []float64{0, 0, 1}, []float64{0, 0, 1}, 0, charts.Milestone, "100%"},
		{"increase, beyond its target", okrs.Increase, 1200, 2000, []float64{1300, 1600, 1100, 2400}, []float64{0.125, 0.5, 0, 1.5}, 0, charts.Reach, "150%"},
		{"decrease", okrs.Decrease, 400, 280, []float64{370, 310}, []float64{0.25, 0.75}, 0, charts.Reach, "75%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kr := okrs.KeyResult{ID: "K1", Title: "KR", Kind: tt.kind, Unit: okrs.Number, Start: tt.start, Target: tt.target}
			for i, v := range tt.values { // newest first, as the store loads them
				kr.CheckIns = append([]okrs.CheckIn{{At: week(i + 1), Value: v}}, kr.CheckIns...)
			}
			kr.Current, kr.LastCheckIn = tt.values[len(tt.values)-1], week(len(tt.values))
			o := okrs.Objective{ID: "O1", Title: "Objective", KeyResults: []okrs.KeyResult{kr, {Title: "archived", Archived: true}}}

			in := progressInput(&o, c, week(len(tt.values)))
			if len(in.KeyResults) != 1 {
				t.Fatalf("got %d key results in the chart, want 1 (archived ones left out)", len(in.KeyResults))
			}
			got := in.KeyResults[0]
			if got.Goal != tt.goal || got.Start != tt.start || got.Target != tt.target || got.StartProgress != tt.wantStart {
				t.Errorf("got goal %v, start %v (progress %v), target %v; want %v, %v (%v), %v",
					got.Goal, got.Start, got.StartProgress, got.Target, tt.goal, tt.start, tt.wantStart, tt.target)
			}
			if len(got.Points) != len(tt.values) {
				t.Fatalf("got %d points, want %d", len(got.Points), len(tt.values))
			}
			for _, p := range got.Points {
				i := int(p.At.Sub(c.Start)/(7*24*time.Hour)) - 1
				if p.Value != tt.values[i] || math.Abs(p.Progress-tt.want[i]) > 1e-9 {
					t.Errorf("week %d: got value %v progress %v, want %v and %v", i+1, p.Value, p.Progress, tt.values[i], tt.want[i])
				}
				// The status figure of the key result had this been its value.
				at := kr
				at.Current = p.Value
				if p.Progress != at.Achievement() {
					t.Errorf("week %d: chart progress %v, but the status at %v says %v", i+1, p.Progress, p.Value, at.Achievement())
				}
			}
			last := got.Points[0]
			for _, p := range got.Points {
				if p.At.After(last.At) {
					last = p
				}
			}
			if s := okrs.FormatPercent(last.Progress); s != tt.status || s != okrs.FormatPercent(kr.Achievement()) {
				t.Errorf("latest point reads %s; want %s, as the status (%s)", s, tt.status, okrs.FormatPercent(kr.Achievement()))
			}
		})
	}
}

func TestProgressInputWithoutHistory(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	lastDay := c.End.Add(15 * time.Hour) // a check-in on the cycle's last day
	kr := okrs.KeyResult{Title: "Uptime", Kind: okrs.StayAbove, Unit: okrs.Percent, Start: 99.95, Target: 99.9,
		Current: 99.7, LastCheckIn: lastDay}
	in := progressInput(&okrs.Objective{KeyResults: []okrs.KeyResult{kr}}, c, lastDay)
	pts := in.KeyResults[0].Points
	if len(pts) != 1 || pts[0].At != lastDay || pts[0].Value != 99.7 || pts[0].Progress != 0 {
		t.Fatalf("points = %+v, want the current value 99.7 at the last check-in, progress 0", pts)
	}
	if in.KeyResults[0].Unit != "%" {
		t.Errorf("unit %q, want %%", in.KeyResults[0].Unit)
	}
	if !in.CycleEnd.After(lastDay) || in.CycleStart != c.Start {
		t.Errorf("chart cycle %v – %v leaves out a check-in at %v on the cycle's last day", in.CycleStart, in.CycleEnd, lastDay)
	}
	if got, want := okrs.DateOf(in.CycleEnd), c.End; !got.Equal(want) {
		t.Errorf("chart cycle ends on %v, want its last day %v", got, want)
	}
}

func TestRenderChartsSurvivesAPanic(t *testing.T) {
	ok := func(name string) func() (chartFile, error) {
		return func() (chartFile, error) { return chartFile{name: name, png: []byte(name)}, nil }
	}
	failure := errors.New("encoding failed")
	var ran atomic.Int32
	jobs := []func() (chartFile, error){
		ok("first"),
		func() (chartFile, error) {
			var pngs [][]byte
			return chartFile{name: "never", png: pngs[ran.Add(1)]}, nil // index out of range: a runtime panic
		},
		func() (chartFile, error) { panic("drawing went wrong") },
		func() (chartFile, error) { return chartFile{}, failure },
		ok("last"),
	}
	files, failed := renderCharts(jobs)

	var names []string
	for _, f := range files {
		names = append(names, f.name)
	}
	if strings.Join(names, ",") != "first,last" {
		t.Errorf("charts drawn: %v, want first,last in order", names)
	}
	if ran.Load() != 1 || len(failed) != 3 {
		t.Fatalf("failed = %v, want three errors (two panics and one error)", failed)
	}
	var rt interface{ RuntimeError() }
	if !errors.As(failed[0], &rt) {
		t.Errorf("first failure %v does not unwrap to the runtime error", failed[0])
	}
	if !strings.Contains(failed[1].Error(), "drawing went wrong") || !errors.Is(failed[2], failure) {
		t.Errorf("failures = %v", failed)
	}

	// Logged as the digest logs a failed chart: once, with the stack of the panic.
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Error("drawing a digest chart failed", slog.Any("err", failed[1]))
	out := logs.String()
	if !strings.Contains(out, "drawing went wrong") || !strings.Contains(out, "TestRenderChartsSurvivesAPanic") {
		t.Errorf("log line has no panic value or stack:\n%s", out)
	}
}

// A key result's target changes become the earlier targets its chart's
// target line steps from; kind and due-date changes do not.
func TestProgressInputTargetSteps(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	nov3, nov18 := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)
	kr := okrs.KeyResult{Title: "Activation", Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 80, TargetHistory: []okrs.TargetChange{
		{By: "U1", At: nov3, From: 60, To: 70}, // an older record
		{Field: okrs.FieldDue, By: "U1", At: nov3, ToDue: c.End.AddDate(0, 0, -10)},
		{Field: okrs.FieldTarget, By: "U1", At: nov18, From: 70, To: 80, Reason: "why"},
	}}
	in := progressInput(&okrs.Objective{KeyResults: []okrs.KeyResult{kr}}, c, nov18)
	want := []charts.TargetStep{{Until: nov3, Target: 60}, {Until: nov18, Target: 70}}
	got := in.KeyResults[0].Earlier
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("earlier targets = %+v, want %+v", got, want)
	}
	if png, err := charts.ProgressChart(in); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("chart with target steps: %v", err)
	}
}
