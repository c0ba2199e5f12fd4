package charts

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file holds the pure helpers (no drawing): text shortening, value and
// date formatting and the choice of axis ranges. Progress is never computed
// here: callers pass it in.

const ellipsis = "…"

// shorten collapses runs of white space (including newlines) to single spaces
// and cuts s to at most maxRunes runes, ending a cut string with an ellipsis.
// maxRunes < 1 gives "".
func shorten(s string, maxRunes int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if maxRunes < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	if maxRunes == 1 {
		return ellipsis
	}
	// Keep maxRunes-1 runes, then the ellipsis.
	n := 0
	for i := range s {
		if n == maxRunes-1 {
			return strings.TrimRight(s[:i], " .,;:-–—") + ellipsis
		}
		n++
	}
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	exp := math.Floor(math.Log10(raw))
	pow := math.Pow(10, exp)
	f := raw / pow
	var nf float64
	switch {
	case f <= 1+1e-9:
		nf = 1
	case f <= 2+1e-9:
		nf = 2
	case f <= 2.5+1e-9:
		nf = 2.5
	case f <= 5+1e-9:
		nf = 5
	default:
		nf = 10
	}
	return nf * pow
}

// axisRange chooses a "nice" axis from lo to hi with at most maxTicks ticks
// (at least 2): it returns min ≤ lo, max ≥ hi and a step that divides both.
// Equal or non-finite bounds get a sensible padded range.
func axisRange(lo, hi float64, maxTicks int) (minV, maxV, step float64) {
	if maxTicks < 2 {
		maxTicks = 2
	}
	if !finite(lo) || !finite(hi) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	// Keep clear of float64 overflow (±MaxFloat64 input); the caller pins
	// values beyond the axis to its edges.
	const limit = 1e300
	lo = math.Max(-limit, math.Min(lo, limit))
	hi = math.Max(-limit, math.Min(hi, limit))
	if hi-lo < 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) || hi == lo {
		// A flat line: pad by 10 % of the value (or 1 around zero).
		pad := math.Abs(lo) * 0.1
		if pad == 0 {
			pad = 1
		}
		lo, hi = lo-pad, hi+pad
	}
	span := hi - lo
	step = niceStep(span / float64(maxTicks-1))
	for range 64 {
		minV = math.Floor(lo/step) * step
		maxV = math.Ceil(hi/step) * step
		if n := math.Round((maxV-minV)/step) + 1; n <= float64(maxTicks) {
			break
		}
		step = niceStep(step * 1.01)
	}
	return minV, maxV, step
}

// tickValues lists min, min+step, …, max (inclusive), computed from the
// index to avoid drift.
func tickValues(minV, maxV, step float64) []float64 {
	if !(step > 0) || !finite(minV) || !finite(maxV) || maxV < minV {
		return []float64{minV, maxV}
	}
	nf := math.Round((maxV-minV)/step) + 1
	if !(nf <= 1000) { // also NaN and Inf
		return []float64{minV, maxV}
	}
	n := int(nf)
	out := make([]float64, 0, n)
	for i := range n {
		v := minV + float64(i)*step
		if math.Abs(v) < step*1e-9 {
			v = 0 // no "-0"
		}
		out = append(out, v)
	}
	return out
}

// decimalsFor returns how many decimals are needed to print multiples of
// step exactly (0–6).
func decimalsFor(step float64) int {
	step = math.Abs(step)
	if step == 0 || !finite(step) {
		return 0
	}
	for d := 0; d <= 6; d++ {
		s := step * math.Pow(10, float64(d))
		if math.Round(s) >= 1 && math.Abs(s-math.Round(s)) < 1e-6*s {
			return d
		}
	}
	return 6
}

var compactSuffixes = []struct {
	div    float64
	suffix string
}{
	{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"},
}

// formatNumber prints v compactly: thousands and beyond as k, M, B, T
// ("3.2k"), with just enough decimals to tell multiples of step apart
// (step ≤ 0 means "up to 2 decimals"), trailing zeros dropped.
func formatNumber(v, step float64) string {
	return formatNumberFrom(v, step, 1000)
}

// formatNumberFrom is formatNumber with compact suffixes only from compactFrom up.
func formatNumberFrom(v, step, compactFrom float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return "∞"
		}
		return "-∞"
	}
	abs := math.Abs(v)
	if abs >= 1e15 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	suffix := ""
	div := 1.0
	for _, c := range compactSuffixes {
		if abs >= c.div*0.9995 && abs >= compactFrom*0.9995 { // 999.6 rounds to "1k", not "1000"
			div, suffix = c.div, c.suffix
			break
		}
	}
	scaled := v / div
	dec := 2
	if step > 0 {
		dec = decimalsFor(step / div)
	}
	if suffix != "" {
		// Compact numbers need at most a few significant digits.
		dec = min(max(dec, 0), 2)
		if dec == 0 && math.Abs(scaled) < 10 && math.Abs(scaled-math.Round(scaled)) > 1e-9 {
			dec = 1
		}
	}
	s := strconv.FormatFloat(scaled, 'f', dec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	if s == "0" && v != 0 {
		// A tiny non-zero value would print as 0: keep its order of magnitude.
		return strconv.FormatFloat(v, 'g', 2, 64)
	}
	return s + suffix
}

// autoStep is the precision for printing a single value on its own: three
// significant digits, at most two decimals ("91%", "2.35", "1.23k").
func autoStep(v float64) float64 {
	a := math.Abs(v)
	switch {
	case !finite(a) || a >= 100:
		return 1
	case a >= 10:
		return 0.1
	default:
		return 0.01
	}
}

var currencyPrefixes = map[string]bool{"$": true, "€": true, "£": true, "¥": true, "₹": true, "US$": true}

// cleanUnit trims a unit and cuts a long one to 8 runes.
func cleanUnit(unit string) string {
	return shorten(unit, 8)
}

// formatValue prints v with its display unit: "45%", "$3.2k", "-€300",
// "300 ms", "12". See formatNumber for step.
func formatValue(v float64, unit string, step float64) string {
	unit = cleanUnit(unit)
	num := formatNumber(v, step)
	if unit == "%" {
		num = formatNumberFrom(v, step, 1e5) // "1200%" reads better than "1.2k%"
	}
	switch {
	case unit == "":
		return num
	case unit == "%":
		return num + "%"
	case currencyPrefixes[unit]:
		if strings.HasPrefix(num, "-") {
			return "-" + unit + num[1:]
		}
		return unit + num
	default:
		return num + " " + unit
	}
}

// dateTickStep is one candidate spacing of the date axis.
type dateTickStep struct {
	days, months int    // one of them is set
	format       string // time layout of the labels
}

var dateTickSteps = []dateTickStep{
	{days: 1, format: "Jan 2"},
	{days: 2, format: "Jan 2"},
	{days: 7, format: "Jan 2"},
	{days: 14, format: "Jan 2"},
	{months: 1, format: "Jan 2"},
	{months: 2, format: "Jan 2"},
	{months: 3, format: "Jan 2006"},
	{months: 6, format: "Jan 2006"},
	{months: 12, format: "2006"},
	{months: 24, format: "2006"},
	{months: 60, format: "2006"},
	{months: 120, format: "2006"},
	{months: 300, format: "2006"},
	{months: 600, format: "2006"},
	{months: 1200, format: "2006"},
}

// dateTick is one labelled date on the time axis.
type dateTick struct {
	At    time.Time
	Label string
}

// dateTicks picks at most maxTicks dates between start and end (inclusive),
// aligned to days, Mondays, the 1st of a month or the start of a year, with
// the widest-but-fitting density. The cycle bounds themselves are not ticks.
// It returns nil when even yearly spacing is too dense.
func dateTicks(start, end time.Time, maxTicks int) []dateTick {
	if !end.After(start) || maxTicks < 1 {
		return nil
	}
	spanDays := float64(end.Unix()-start.Unix()) / 86400
	for _, st := range dateTickSteps {
		approx := st.days
		if st.months > 0 {
			approx = st.months * 30
		}
		if spanDays/float64(approx) > float64(maxTicks)+1 {
			continue
		}
		ticks := datesEvery(start, end, st, maxTicks+2)
		if len(ticks) <= maxTicks {
			return ticks
		}
	}
	return nil
}

// datesEvery lists aligned dates strictly inside (start, end], at most limit+1.
func datesEvery(start, end time.Time, st dateTickStep, limit int) []dateTick {
	loc := start.Location()
	y, m, d := start.Date()
	var t time.Time
	switch {
	case st.days == 7 || st.days == 14:
		t = time.Date(y, m, d, 0, 0, 0, 0, loc)
		for t.Weekday() != time.Monday {
			t = t.AddDate(0, 0, 1)
		}
	case st.days > 0:
		t = time.Date(y, m, d, 0, 0, 0, 0, loc)
	case st.months%12 == 0:
		step := st.months / 12
		yy := y - ((y%step)+step)%step
		t = time.Date(yy, 1, 1, 0, 0, 0, 0, loc)
	default:
		mi := int(m) - 1
		mi -= ((mi % st.months) + st.months) % st.months
		t = time.Date(y, time.Month(mi+1), 1, 0, 0, 0, 0, loc)
	}
	var out []dateTick
	for i := 0; !t.After(end) && len(out) <= limit; i++ {
		if t.After(start) || t.Equal(start) {
			out = append(out, dateTick{At: t, Label: t.Format(st.format)})
		}
		if st.days > 0 {
			t = t.AddDate(0, 0, st.days)
		} else {
			t = t.AddDate(0, st.months, 0)
		}
		if i > 100000 {
			break
		}
	}
	return out
}

// daysBetween returns the (fractional) number of days from a to b, using
// Unix seconds so that it never overflows, whatever the years.
func daysBetween(a, b time.Time) float64 {
	s := float64(b.Unix() - a.Unix())
	ns := float64(b.Nanosecond() - a.Nanosecond())
	return (s + ns/1e9) / 86400
}
