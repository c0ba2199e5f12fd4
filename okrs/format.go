package okrs

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatNumber writes v for people: thousands separated by commas, at most
// two decimals, trailing zeros dropped ("1,200", "3.25", "-4").
func FormatNumber(v float64) string {
	if !finite(v) {
		return "–"
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// FormatCompact writes v briefly: "950", "3.2k", "1.5M", "2.1B".
func FormatCompact(v float64) string {
	a := math.Abs(v)
	for _, u := range []struct {
		n float64
		s string
	}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
		if a >= u.n {
			return strconv.FormatFloat(math.Round(v/u.n*10)/10, 'f', -1, 64) + u.s
		}
	}
	return FormatNumber(v)
}

// Format writes a value of the key result with its unit: "45%", "$3,200",
// "280 ms", "Done" for a milestone.
func (kr *KeyResult) Format(v float64) string {
	if kr.Kind == Milestone {
		if v >= 1 {
			return "Done"
		}
		return "Not done"
	}
	var s string
	if math.Abs(v) >= 1e6 {
		s = FormatCompact(v)
	} else {
		s = FormatNumber(v)
	}
	switch kr.Unit {
	case Percent:
		return s + "%"
	case Currency:
		sym := kr.Currency
		if sym == "" {
			sym = DefaultCurrency
		}
		if strings.HasPrefix(s, "-") {
			return "-" + sym + s[1:]
		}
		return sym + s
	}
	if kr.UnitLabel != "" {
		return s + " " + kr.UnitLabel
	}
	return s
}

// FormatPercent writes a fraction as a whole percentage: 0.456 → "46%",
// 1.12 → "112%".
func FormatPercent(f float64) string {
	if !finite(f) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", math.Round(f*100))
}
