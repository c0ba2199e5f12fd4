package okrs

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseValue reads a number the way people type it in a chat box: "1,200",
// "45%", "$3.2k", "1.5M", "-3", " 12 ", "€40", "2.5bn". It returns the number
// and the unit its notation implies (Percent for a trailing %, Currency for
// a leading or trailing currency symbol, else Number) with the symbol of a
// currency. Errors are EINVALID *Errors on FieldValue with a message that
// shows what would work.
func ParseValue(s string) (v float64, unit Unit, currency string, err error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, "", "", Invalid(FieldValue, "Enter a number, like 1200, 45%% or $3.2k.")
	}
	t := strings.ReplaceAll(in, "\u00a0", " ")
	t = strings.ReplaceAll(t, "\u2212", "-") // the minus sign people paste from documents
	unit = Number

	neg := false
	if strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+") {
		neg = t[0] == '-'
		t = strings.TrimSpace(t[1:])
	}
	if sym, rest, ok := cutCurrency(t, true); ok {
		unit, currency, t = Currency, sym, strings.TrimSpace(rest)
	}
	if !neg && (strings.HasPrefix(t, "-") || strings.HasPrefix(t, "+")) { // "$-3"
		neg = t[0] == '-'
		t = strings.TrimSpace(t[1:])
	}
	if rest, ok := strings.CutSuffix(t, "%"); ok {
		if unit == Currency {
			return 0, "", "", notANumber(in)
		}
		unit, t = Percent, strings.TrimSpace(rest)
	}
	if unit == Number {
		if sym, rest, ok := cutCurrency(t, false); ok { // "40 €"
			unit, currency, t = Currency, sym, strings.TrimSpace(rest)
		}
	}
	mult := 1.0
	if unit != Percent {
		lower := strings.ToLower(t)
		for _, sfx := range []struct {
			s string
			m float64
		}{{"bn", 1e9}, {"k", 1e3}, {"m", 1e6}, {"b", 1e9}} {
			if strings.HasSuffix(lower, sfx.s) {
				mult, t = sfx.m, strings.TrimSpace(t[:len(t)-len(sfx.s)])
				break
			}
		}
	}
	digits, err := plainNumber(t, in)
	if err != nil {
		return 0, "", "", err
	}
	f, perr := strconv.ParseFloat(digits, 64)
	if perr != nil || math.IsInf(f*mult, 0) || math.Abs(f*mult) > maxAbsoluteValue {
		if perr != nil && !isRangeErr(perr) {
			return 0, "", "", notANumber(in)
		}
		return 0, "", "", Invalid(FieldValue, "%q is too large a number.", shorten(in, 30))
	}
	v = f * mult
	if neg {
		v = -v
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return v, unit, currency, nil
}

// ParseNumber is ParseValue for a caller that only wants the number.
func ParseNumber(s string) (float64, error) {
	v, _, _, err := ParseValue(s)
	return v, err
}

var currencySymbols = []string{"$", "€", "£", "¥", "₹"}

func cutCurrency(s string, prefix bool) (sym, rest string, ok bool) {
	for _, c := range currencySymbols {
		if prefix {
			if r, ok := strings.CutPrefix(s, c); ok {
				return c, r, true
			}
		} else if r, ok := strings.CutSuffix(s, c); ok {
			return c, r, true
		}
	}
	return "", s, false
}

// plainNumber checks that s is digits with optional thousands separators
// (commas, in groups of three), an optional decimal point and an optional
// exponent, and returns it without the separators.
func plainNumber(s, original string) (string, error) {
	if s == "" {
		return "", notANumber(original)
	}
	mant, exp := s, ""
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp = s[:i], s[i+1:]
		e := strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
		if e == "" || !allDigits(e) {
			return "", notANumber(original)
		}
	}
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if hasDot && (frac == "" && intPart == "" || !allDigits(frac) && frac != "") {
		return "", notANumber(original)
	}
	if strings.Contains(intPart, ",") {
		groups := strings.Split(intPart, ",")
		if len(groups) == 2 && len(groups[1]) != 3 && allDigits(groups[0]) && allDigits(groups[1]) && !hasDot {
			return "", Invalid(FieldValue, "Use a dot for decimals: %s.%s", groups[0], groups[1])
		}
		if groups[0] == "" || len(groups[0]) > 3 || !allDigits(groups[0]) {
			return "", notANumber(original)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 || !allDigits(g) {
				return "", notANumber(original)
			}
		}
		intPart = strings.Join(groups, "")
	}
	if intPart != "" && !allDigits(intPart) {
		return "", notANumber(original)
	}
	if intPart == "" && frac == "" {
		return "", notANumber(original)
	}
	out := intPart
	if out == "" {
		out = "0"
	}
	if hasDot && frac != "" {
		out += "." + frac
	}
	if exp != "" {
		out += "e" + exp
	}
	return out, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func notANumber(in string) *Error {
	return Invalid(FieldValue, "%q is not a number. Try something like 1200, 1,200, 45%%, $3.2k or 1.5M.", shorten(in, 30))
}

// shorten cuts s to at most n runes, with an ellipsis when it cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// Shorten cuts s to at most n runes (n ≥ 1), ending it with "…" when it had
// to cut. Views use it to keep titles within Slack's limits.
func Shorten(s string, n int) string {
	if n < 1 {
		return ""
	}
	return shorten(s, n)
}

// A Quantity is a number as typed, with what its notation says about it.
type Quantity struct {
	Value    float64
	Unit     Unit   // Number, Percent or Currency
	Currency string // the symbol, for Currency
	Label    string // a trailing word for a Number: "ms" in "400 ms"
}

// ParseQuantity is ParseValue that also takes a trailing unit word after a
// plain number: "400 ms", "1,200 customers", "3.5 hours".
func ParseQuantity(s string) (Quantity, error) {
	v, unit, cur, err := ParseValue(s)
	if err == nil {
		return Quantity{Value: v, Unit: unit, Currency: cur}, nil
	}
	t := strings.TrimSpace(s)
	i := strings.LastIndexAny(t, " \u00a0")
	if i < 0 {
		return Quantity{}, err
	}
	num, word := strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+1:])
	if word == "" || utf8.RuneCountInString(word) > MaxUnitLabel || !isWord(word) {
		return Quantity{}, err
	}
	v, unit, _, nerr := ParseValue(num)
	if nerr != nil || unit != Number {
		return Quantity{}, err
	}
	return Quantity{Value: v, Unit: Number, Label: word}, nil
}

func isWord(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '/' && r != '.' {
			return false
		}
	}
	return true
}
