package charts

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressChartEdgeCases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	base := threeKRProgress
	tests := map[string]func() Progress{
		"zero value":             func() Progress { return Progress{} },
		"zero-length cycle":      func() Progress { p := base(); p.CycleEnd = p.CycleStart; return p },
		"reversed cycle":         func() Progress { p := base(); p.CycleStart, p.CycleEnd = p.CycleEnd, p.CycleStart; return p },
		"now before cycle":       func() Progress { p := base(); p.Now = p.CycleStart.AddDate(-1, 0, 0); return p },
		"now after cycle":        func() Progress { p := base(); p.Now = p.CycleEnd.AddDate(1, 0, 0); return p },
		"no now":                 func() Progress { p := base(); p.Now = time.Time{}; return p },
		"only cycle end":         func() Progress { p := base(); p.CycleStart = time.Time{}; return p },
		"one hour cycle":         func() Progress { p := base(); p.CycleEnd = p.CycleStart.Add(time.Hour); return p },
		"ten year cycle":         func() Progress { p := base(); p.CycleEnd = p.CycleStart.AddDate(10, 0, 0); return p },
		"target equals start":    func() Progress { p := base(); p.KeyResults[0].Target = p.KeyResults[0].Start; return p },
		"single target == start": func() Progress { p := singleDecreasingProgress(); p.KeyResults[0].Target = 400; return p },
		"non-finite values": func() Progress {
			p := base()
			p.KeyResults[0].Points = append(p.KeyResults[0].Points, Point{At: cycleStart.AddDate(0, 0, 3), Value: nan},
				Point{At: cycleStart.AddDate(0, 0, 4), Value: inf}, Point{At: cycleStart.AddDate(0, 0, 5), Value: -inf})
			p.KeyResults[1].Start = nan
			p.KeyResults[2].Target = inf
			return p
		},
		"single with NaN start and target": func() Progress {
			p := singleDecreasingProgress()
			p.KeyResults[0].Start, p.KeyResults[0].Target = nan, inf
			return p
		},
		"single all NaN": func() Progress {
			return Progress{KeyResults: []KeyResult{{Start: nan, Target: nan, Points: []Point{{Value: nan}}}}}
		},
		"huge values": func() Progress {
			p := singleDecreasingProgress()
			p.KeyResults[0].Points = []Point{{At: cycleStart.AddDate(0, 0, 3), Value: math.MaxFloat64}, {At: cycleStart.AddDate(0, 0, 4), Value: -math.MaxFloat64}}
			return p
		},
		"points outside cycle": func() Progress {
			p := base()
			p.KeyResults[0].Points = []Point{{At: cycleStart.AddDate(0, 0, -3), Value: 5000}, {At: cycleEnd.AddDate(0, 0, 3), Value: -5000}}
			return p
		},
		"many key results": func() Progress {
			p := fiveKRProgress()
			p.KeyResults = append(p.KeyResults, p.KeyResults...)
			return p
		},
		"check-in at cycle start and end": func() Progress {
			p := singleDecreasingProgress()
			p.KeyResults[0].Points = []Point{{At: cycleStart, Value: 410}, {At: cycleEnd, Value: 250}}
			return p
		},
		"empty titles and odd unit": func() Progress {
			p := base()
			p.Title = "  "
			for i := range p.KeyResults {
				p.KeyResults[i].Title = ""
				p.KeyResults[i].Unit = "requests per second per node"
			}
			return p
		},
		"single threshold with NaN target": func() Progress {
			p := singleThresholdProgress()
			p.KeyResults[0].Target = nan
			return p
		},
		"single milestone without check-ins": func() Progress {
			p := singleMilestoneProgress()
			p.KeyResults[0].Points = nil
			return p
		},
		"non-finite progress": func() Progress {
			p := mixedGoalsProgress()
			p.KeyResults[0].StartProgress = inf
			p.KeyResults[1].Points[2].Progress = nan
			p.KeyResults[2].Points[0].Progress = math.MaxFloat64
			return p
		},
		"emoji and newlines": func() Progress {
			p := base()
			p.Title = "Ship 🚀 the\nnew checkout"
			p.KeyResults[0].Title = "Buyers 😀\twho\r\nreturn"
			return p
		},
	}
	for name, mk := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := ProgressChart(mk())
			if err != nil {
				t.Fatalf("ProgressChart: %v", err)
			}
			checkPNG(t, b)
		})
	}
}

func TestOverviewChartEdgeCases(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := map[string]Overview{
		"zero value":        {},
		"one objective":     {Objectives: []Bar{{Title: "Only one", Progress: 0.3, Expected: 0.5}}},
		"non-finite":        {Objectives: []Bar{{Title: "NaN", Progress: nan, Expected: nan}, {Title: "Inf", Progress: inf, Expected: -inf}, {Title: "fine", Progress: 0.5, Expected: 0.4}}},
		"negative":          {Objectives: []Bar{{Title: "Went backwards", Progress: -0.2, Expected: 0.3}}},
		"way over":          {Objectives: []Bar{{Title: "Crushed it", Progress: 12, Expected: 0.5}, {Title: "Normal", Progress: 0.5, Expected: 0.5}}},
		"expected over 1":   {Objectives: []Bar{{Title: "Late", Progress: 0.9, Expected: 1.3}}},
		"200 objectives":    manyObjectives(200),
		"empty titles":      {Objectives: []Bar{{Progress: 0.5, Expected: 0.5}, {Title: " \n ", Progress: 0.1, Expected: 0.5}}},
		"long title no gap": {Title: strings.Repeat("W", 150), Objectives: []Bar{{Title: strings.Repeat("W", 150), Progress: 1, Expected: 1}}},
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			b, err := OverviewChart(o)
			if err != nil {
				t.Fatalf("OverviewChart: %v", err)
			}
			checkPNG(t, b)
		})
	}
}

func TestOverviewHeightGrows(t *testing.T) {
	height := func(n int) int {
		b, err := OverviewChart(manyObjectives(n))
		if err != nil {
			t.Fatal(err)
		}
		return checkPNG(t, b).Bounds().Dy()
	}
	h6, h25, h200 := height(6), height(25), height(200)
	if !(h6 >= 400 && h25 > h6 && h200 >= h25 && h200 <= overviewMaxHeight) {
		t.Errorf("heights for 6, 25, 200 objectives: %d, %d, %d", h6, h25, h200)
	}
}

func TestDeterministic(t *testing.T) {
	for _, tc := range goldenCases() {
		a, err := tc.render()
		if err != nil {
			t.Fatal(err)
		}
		b, err := tc.render()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders of the same input differ", tc.name)
		}
	}
}

// TestConcurrent renders every golden case from several goroutines at once
// (run with -race) and checks the output matches a sequential render.
func TestConcurrent(t *testing.T) {
	cases := goldenCases()
	want := make([][]byte, len(cases))
	for i, tc := range cases {
		b, err := tc.render()
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	var wg sync.WaitGroup
	for g := range 4 {
		for i, tc := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := tc.render()
				if err != nil {
					t.Errorf("%s (goroutine %d): %v", tc.name, g, err)
					return
				}
				if !bytes.Equal(b, want[i]) {
					t.Errorf("%s (goroutine %d): output differs from the sequential render", tc.name, g)
				}
			}()
		}
	}
	wg.Wait()
}

func TestPrepareProgress(t *testing.T) {
	day := func(n int) time.Time { return cycleStart.AddDate(0, 0, n) }
	nan := math.NaN()
	// Progress figures here deliberately disagree with any formula on the
	// values (15 of 10 → 20 is not 90 %): the chart must plot what it is given.
	odd := KeyResult{Title: "Odd", Start: 10, StartProgress: 0.05, Target: 20, Points: []Point{
		{At: day(14), Value: 12, Progress: 1.3}, // out of order: sorted by time
		{At: day(7), Value: 15, Progress: 0.9},
		{At: day(9), Value: 16, Progress: nan},   // no progress: left out
		{At: day(-3), Value: 16, Progress: 0.5},  // before the cycle: left out
		{At: day(10), Value: nan, Progress: 0.5}, // no value: left out
		{At: day(200), Value: 16, Progress: 0.5}, // after the cycle: left out
	}}
	uptime := KeyResult{Title: "Uptime", Unit: "%", Goal: StayAbove, Start: 99.95, StartProgress: 1, Target: 99.9, Points: []Point{
		{At: day(7), Value: 99.5, Progress: 0}, {At: day(14), Value: 99.92, Progress: 1}, {At: day(21), Value: 99.97, Progress: 1},
	}}
	churn := KeyResult{Title: "Churn", Unit: "%", Goal: StayBelow, Start: 1.8, StartProgress: 1, Target: 2, Points: []Point{
		{At: day(7), Value: 2.4, Progress: 0}, {At: day(14), Value: 1.9, Progress: 1},
	}}
	launch := KeyResult{Title: "Launch", Goal: Milestone, Start: 0, Target: 1, Points: []Point{
		{At: day(7), Value: 0, Progress: 0}, {At: day(14), Value: 1, Progress: 1},
	}}
	buyers := KeyResult{Title: "Buyers", Start: 1200, Target: 2000, Points: []Point{
		{At: day(7), Value: 1400, Progress: 0.25}, {At: day(14), Value: 1300, Progress: 0.125},
	}}
	progress := func(krs ...KeyResult) Progress {
		return Progress{CycleStart: cycleStart, CycleEnd: cycleEnd, KeyResults: krs}
	}
	tests := []struct {
		name       string
		in         Progress
		base       []float64   // plotted value at the cycle start, per key result
		marks      [][]float64 // plotted values of the check-ins, per key result
		steps      []bool      // whether each line is drawn as steps
		dy         []int       // pixels each line is shifted by (nil: none)
		ideal      []float64
		idealLabel string // "" when there is no ideal line in the legend
		yName      string
		doneAxis   bool
	}{
		{
			name: "several: the given progress in %", in: progress(odd, buyers),
			base: []float64{5, 0}, marks: [][]float64{{90, 130}, {25, 12.5}}, steps: []bool{false, false},
			ideal: []float64{0, 100}, idealLabel: "Ideal pace: 0 → 100%", yName: "% of target",
		},
		{
			name: "several: thresholds and milestones as 0/100 % steps", in: progress(uptime, churn, launch, buyers),
			base: []float64{100, 100, 0, 0}, marks: [][]float64{{0, 100, 100}, {0, 100}, {0, 100}, {25, 12.5}},
			steps: []bool{true, true, true, false}, dy: []int{-3, 0, 3, 0},
			ideal: []float64{0, 100}, idealLabel: "Ideal pace: 0 → 100%", yName: "% of target",
		},
		{
			name: "one Reach: raw values against a ramp", in: progress(buyers),
			base: []float64{1200}, marks: [][]float64{{1400, 1300}}, steps: []bool{false},
			ideal: []float64{1200, 2000}, idealLabel: "Ideal pace: 1.2k → 2k", yName: "Buyers",
		},
		{
			name: "one stay-above: raw values against a level threshold", in: progress(uptime),
			base: []float64{99.95}, marks: [][]float64{{99.5, 99.92, 99.97}}, steps: []bool{false},
			ideal: []float64{99.9, 99.9}, idealLabel: "Threshold: ≥ 99.9%", yName: "Uptime (%)",
		},
		{
			name: "one stay-below", in: progress(churn),
			base: []float64{1.8}, marks: [][]float64{{2.4, 1.9}}, steps: []bool{false},
			ideal: []float64{2, 2}, idealLabel: "Threshold: ≤ 2%", yName: "Churn (%)",
		},
		{
			name: "one milestone: a Not done / Done step", in: progress(launch),
			base: []float64{0}, marks: [][]float64{{0, 1}}, steps: []bool{true},
			yName: "Launch", doneAxis: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := prepareProgress(tt.in)
			if len(d.series) != len(tt.in.KeyResults) {
				t.Fatalf("got %d lines, want %d", len(d.series), len(tt.in.KeyResults))
			}
			checkIns := 0
			for i, s := range d.series {
				if len(s.xs) == 0 || s.xs[0] != 0 || s.ys[0] != tt.base[i] {
					t.Errorf("line %d starts at %v, %v; want 0, %v", i, s.xs[:min(len(s.xs), 1)], s.ys[:min(len(s.ys), 1)], tt.base[i])
				}
				var got []float64
				for j, m := range s.marks {
					got = append(got, s.ys[m])
					if j > 0 && s.xs[m] <= s.xs[s.marks[j-1]] {
						t.Errorf("line %d: check-ins not in time order: %v", i, s.xs)
					}
				}
				if !slices.EqualFunc(got, tt.marks[i], func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }) {
					t.Errorf("line %d check-ins plotted at %v, want %v", i, got, tt.marks[i])
				}
				diagonal := false
				for j := 1; j < len(s.xs); j++ {
					diagonal = diagonal || s.xs[j] != s.xs[j-1] && s.ys[j] != s.ys[j-1]
				}
				if diagonal == tt.steps[i] {
					t.Errorf("line %d: steps = %v, want %v (points %v, %v)", i, !diagonal, tt.steps[i], s.xs, s.ys)
				}
				checkIns += len(tt.marks[i])
				wantDy := 0
				if tt.dy != nil {
					wantDy = tt.dy[i]
				}
				if s.dy != wantDy {
					t.Errorf("line %d shifted by %d px, want %d", i, s.dy, wantDy)
				}
			}
			if d.checkIns != checkIns {
				t.Errorf("check-ins = %d, want %d", d.checkIns, checkIns)
			}
			if !slices.Equal(d.ideal, tt.ideal) {
				t.Errorf("ideal line %v, want %v", d.ideal, tt.ideal)
			}
			var idealLabel string
			for _, it := range d.legend {
				if it.kind == legendDashed {
					idealLabel = it.label
				}
			}
			if idealLabel != tt.idealLabel {
				t.Errorf("ideal line labelled %q, want %q", idealLabel, tt.idealLabel)
			}
			if d.yName != tt.yName || d.doneAxis != tt.doneAxis {
				t.Errorf("Y axis %q (done axis %v), want %q (%v)", d.yName, d.doneAxis, tt.yName, tt.doneAxis)
			}
			for _, v := range append(slices.Clone(tt.ideal), tt.base...) {
				if v < d.lo || v > d.hi {
					t.Errorf("value range %v..%v leaves out %v", d.lo, d.hi, v)
				}
			}
		})
	}

	z := prepareProgress(Progress{CycleStart: cycleStart, CycleEnd: cycleStart, Now: cycleStart})
	if !(z.span > 0) || !z.hasNow || z.now != 0 {
		t.Errorf("zero-length cycle: span %v now %v", z.span, z.now)
	}
}

func TestEncodePNGRoundTrip(t *testing.T) {
	mk := func(w, h int, colours int) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < w*h; i++ {
			c := uint32(i*2654435761) % uint32(colours) // deterministic scatter
			if i%7 < 4 {
				c = 0 // runs of one colour
			}
			img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = byte(c), byte(c>>8), byte(c*37), 255
		}
		return img
	}
	for name, img := range map[string]*image.RGBA{
		"paletted":    mk(97, 53, 200),
		"256 colours": mk(64, 64, 256),
		"RGB":         mk(97, 53, 5000),
		"translucent": func() *image.RGBA { i := mk(10, 10, 3); i.Pix[3] = 10; return i }(),
		// Past the 257th colour the palette scan stops: the alpha of the
		// rest is checked while writing RGB rows.
		"translucent after many colours": func() *image.RGBA { i := mk(97, 53, 5000); i.Pix[len(i.Pix)-1] = 10; return i }(),
		"single pixel":                   mk(1, 1, 1),
		"transparent":                    image.NewRGBA(image.Rect(0, 0, 7, 5)),
	} {
		b, err := encodePNG(img)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if got.Bounds() != img.Bounds() {
			t.Fatalf("%s: bounds %v, want %v", name, got.Bounds(), img.Bounds())
		}
		for y := range img.Rect.Dy() {
			for x := range img.Rect.Dx() {
				r1, g1, b1, a1 := got.At(x, y).RGBA()
				r2, g2, b2, a2 := img.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
					t.Fatalf("%s: pixel (%d,%d) = %v, want %v", name, x, y, got.At(x, y), img.At(x, y))
				}
			}
		}
	}
}
