package charts

import (
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Grow revenue", 20, "Grow revenue"},
		{"Grow revenue", 12, "Grow revenue"},
		{"Grow revenue", 11, "Grow reven…"},
		{"Grow revenue", 6, "Grow…"}, // no space before the ellipsis
		{"Grow revenue", 1, "…"},
		{"Grow revenue", 0, ""},
		{"  Grow\n\trevenue  ", 40, "Grow revenue"},
		{"Größenwachstum ✓ überall", 16, "Größenwachstum…"},
		{"日本語のタイトル", 4, "日本語…"},
		{"bad \xff utf8", 40, "bad \uFFFD utf8"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		if got := shorten(tt.in, tt.max); got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		if got := shorten(tt.in, tt.max); utf8.RuneCountInString(got) > max(tt.max, 0) {
			t.Errorf("shorten(%q, %d) = %q is too long", tt.in, tt.max, got)
		}
	}
	long := strings.Repeat("objective ", 15) // 150 runes
	if got := shorten(long, 60); utf8.RuneCountInString(got) > 60 || !strings.HasSuffix(got, "…") {
		t.Errorf("shorten(150 runes, 60) = %q", got)
	}
}

func TestAxisRange(t *testing.T) {
	tests := []struct {
		name                    string
		lo, hi                  float64
		maxTicks                int
		wantMin, wantMax, wantS float64
	}{
		{"percent", 0, 104, 7, 0, 120, 20},
		{"percent overachieved", 0, 140, 7, 0, 150, 25},
		{"percent with regression", -30, 104, 7, -50, 150, 50},
		{"percent with regression, more ticks", -30, 104, 9, -40, 120, 20},
		{"latency", 280, 404.8, 7, 275, 425, 25},
		{"milestone", 0, 1.04, 7, 0, 1.2, 0.2},
		{"revenue", 120000, 180000, 7, 120000, 180000, 10000},
		{"flat", 5, 5, 7, 4.4, 5.6, 0.2},
		{"flat zero", 0, 0, 7, -1, 1, 0.5},
		{"reversed bounds", 10, 0, 6, 0, 10, 2},
		{"NaN", math.NaN(), 1, 6, 0, 1, 0.2},
		{"too few ticks asked", 0, 100, 1, 0, 100, 100},
	}
	for _, tt := range tests {
		mn, mx, st := axisRange(tt.lo, tt.hi, tt.maxTicks)
		if !near(mn, tt.wantMin) || !near(mx, tt.wantMax) || !near(st, tt.wantS) {
			t.Errorf("%s: axisRange(%v, %v, %d) = %v, %v, %v; want %v, %v, %v",
				tt.name, tt.lo, tt.hi, tt.maxTicks, mn, mx, st, tt.wantMin, tt.wantMax, tt.wantS)
		}
	}
	// Properties over many ranges: covers the input, fits the tick budget.
	for _, lo := range []float64{-1e9, -350, -1, 0, 0.001, 3, 280, 1e6} {
		for _, span := range []float64{1e-6, 0.3, 1, 7, 120, 1e5, 1e12} {
			for maxTicks := 2; maxTicks <= 10; maxTicks++ {
				hi := lo + span
				mn, mx, st := axisRange(lo, hi, maxTicks)
				n := len(tickValues(mn, mx, st))
				if mn > lo || mx < hi || n > maxTicks || n < 2 {
					t.Fatalf("axisRange(%v, %v, %d) = %v, %v, %v (%d ticks)", lo, hi, maxTicks, mn, mx, st, n)
				}
			}
		}
	}
	// Extreme input must not loop or produce non-finite bounds.
	mn, mx, st := axisRange(-math.MaxFloat64, math.MaxFloat64, 7)
	if !finite(mn) || !finite(mx) || !(st > 0) {
		t.Errorf("axisRange(±MaxFloat64) = %v, %v, %v", mn, mx, st)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestTickValues(t *testing.T) {
	got := tickValues(-0.4, 0.4, 0.2)
	want := []float64{-0.4, -0.2, 0, 0.2, 0.4}
	if len(got) != len(want) {
		t.Fatalf("tickValues = %v, want %v", got, want)
	}
	for i := range got {
		if !near(got[i], want[i]) || math.Signbit(got[2]) {
			t.Fatalf("tickValues = %v, want %v", got, want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		step float64
		want string
	}{
		{45, "%", 5, "45%"},
		{62.5, "%", 12.5, "62.5%"},
		{100, "%", 20, "100%"},
		{91.25, "%", 1, "91%"},
		{300, "ms", 25, "300 ms"},
		{275, " ms ", 25, "275 ms"},
		{3200, "$", 100, "$3.2k"},
		{3000, "$", 500, "$3k"},
		{-300, "$", 100, "-$300"},
		{1500000, "€", 250000, "€1.5M"},
		{180000, "£", 10000, "£180k"},
		{2.5e9, "", 5e8, "2.5B"},
		{1, "", 0.2, "1"},
		{0.2, "", 0.2, "0.2"},
		{0.25, "", 0.05, "0.25"},
		{999.7, "", 0, "1k"},
		{1930, "", 1, "1.93k"},
		{0, "%", 20, "0%"},
		{math.Copysign(0, -1), "", 1, "0"}, // negative zero
		{0.001, "", 0, "0.001"},
		{0.00123, "", 0, "0.0012"},
		{12, "customers", 1, "12 custome…"},
		{math.NaN(), "ms", 1, "– ms"},
		{math.Inf(1), "", 1, "∞"},
		{2.35, "%", 0.01, "2.35%"},
		{1200, "%", 1, "1200%"},
		{250000, "%", 1, "250k%"},
	}
	for _, tt := range tests {
		if got := formatValue(tt.v, tt.unit, tt.step); got != tt.want {
			t.Errorf("formatValue(%v, %q, %v) = %q, want %q", tt.v, tt.unit, tt.step, got, tt.want)
		}
	}
}

func TestDecimalsFor(t *testing.T) {
	for step, want := range map[float64]int{1: 0, 20: 0, 2.5: 1, 0.25: 2, 0.2: 1, 0.05: 2, 1e-7: 6, 0: 0} {
		if got := decimalsFor(step); got != want {
			t.Errorf("decimalsFor(%v) = %d, want %d", step, got, want)
		}
	}
}

func TestDateTicks(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	labels := func(ts []dateTick) string {
		var s []string
		for _, t := range ts {
			s = append(s, t.Label)
		}
		return strings.Join(s, ", ")
	}
	tests := []struct {
		name       string
		start, end time.Time
		maxTicks   int
		want       string
	}{
		{"quarter, biweekly Mondays", day(2025, 10, 1), day(2025, 12, 31), 10,
			"Oct 6, Oct 20, Nov 3, Nov 17, Dec 1, Dec 15, Dec 29"},
		{"quarter, weekly Mondays", day(2025, 10, 1), day(2025, 12, 31), 14,
			"Oct 6, Oct 13, Oct 20, Oct 27, Nov 3, Nov 10, Nov 17, Nov 24, Dec 1, Dec 8, Dec 15, Dec 22, Dec 29"},
		{"quarter, months", day(2025, 10, 1), day(2025, 12, 31), 4, "Oct 1, Nov 1, Dec 1"},
		{"one week, days", day(2025, 10, 1), day(2025, 10, 4), 10, "Oct 1, Oct 2, Oct 3, Oct 4"},
		{"year, quarters", day(2025, 1, 1), day(2025, 12, 31), 4, "Jan 2025, Apr 2025, Jul 2025, Oct 2025"},
		{"decade, years", day(2020, 6, 1), day(2030, 6, 1), 6, "2022, 2024, 2026, 2028, 2030"},
		{"empty cycle", day(2025, 10, 1), day(2025, 10, 1), 10, ""},
		{"reversed cycle", day(2025, 12, 1), day(2025, 10, 1), 10, ""},
		{"no room", day(2025, 10, 1), day(2025, 12, 31), 0, ""},
	}
	for _, tt := range tests {
		got := dateTicks(tt.start, tt.end, tt.maxTicks)
		if labels(got) != tt.want {
			t.Errorf("%s: dateTicks = %q, want %q", tt.name, labels(got), tt.want)
		}
		if len(got) > tt.maxTicks {
			t.Errorf("%s: %d ticks for at most %d", tt.name, len(got), tt.maxTicks)
		}
	}
	// Absurd spans finish quickly with few ticks.
	if got := dateTicks(time.Time{}, day(2025, 1, 1), 10); len(got) > 10 {
		t.Errorf("year 1 to 2025: %d ticks", len(got))
	}
}

func TestDaysBetween(t *testing.T) {
	a := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	if got := daysBetween(a, a.Add(36*time.Hour)); got != 1.5 {
		t.Errorf("daysBetween = %v, want 1.5", got)
	}
	if got := daysBetween(time.Time{}, a); !(got > 700000) || !finite(got) {
		t.Errorf("daysBetween(zero, 2025) = %v", got)
	}
}
