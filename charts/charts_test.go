package charts

import (
	"bytes"
	"image"
	"image/png"
	"math"
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
	d := prepareProgress(threeKRProgress())
	if len(d.series) != 3 || d.yName != "% of target" || d.ideal[0] != 0 || d.ideal[1] != 100 {
		t.Fatalf("unexpected data: %+v", d)
	}
	lat := d.series[1] // decreasing 400 → 280 ms
	if lat.xs[0] != 0 || lat.ys[0] != 0 || lat.firstCheckIn != 1 {
		t.Errorf("baseline: x %v y %v first check-in %d", lat.xs[0], lat.ys[0], lat.firstCheckIn)
	}
	for i := 1; i < len(lat.xs); i++ {
		if lat.xs[i] <= lat.xs[i-1] || lat.ys[i] < lat.ys[i-1] {
			t.Fatalf("decreasing KR not sorted or not rising as %% of target: %v %v", lat.xs, lat.ys)
		}
	}
	if got := lat.ys[len(lat.ys)-1]; math.Abs(got-(400-296)/1.2) > 1e-9 {
		t.Errorf("last latency point = %v%%", got)
	}
	if d.checkIns != 39 {
		t.Errorf("check-ins = %d, want 39", d.checkIns)
	}

	s := prepareProgress(singleDecreasingProgress())
	if s.yUnit != "ms" || s.ideal[0] != 400 || s.ideal[1] != 280 || s.yName != "P99 checkout latency (ms)" {
		t.Errorf("single KR: unit %q ideal %v name %q", s.yUnit, s.ideal, s.yName)
	}
	if len(s.series[0].ys) != 8 { // baseline + 7 finite check-ins (one NaN dropped)
		t.Errorf("single KR points: %v", s.series[0].ys)
	}
	if s.lo > 280 || s.hi < 400 {
		t.Errorf("single KR range %v..%v does not cover start and target", s.lo, s.hi)
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
		"paletted":     mk(97, 53, 200),
		"256 colours":  mk(64, 64, 256),
		"RGB":          mk(97, 53, 5000),
		"translucent":  func() *image.RGBA { i := mk(10, 10, 3); i.Pix[3] = 10; return i }(),
		"single pixel": mk(1, 1, 1),
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
