package okrs_test

import (
	"math"
	"strings"
	"testing"

	"github.com/okrbot/okrbot/okrs"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		in       string
		want     float64
		unit     okrs.Unit
		currency string
		errHas   string // "" means no error
	}{
		{"1200", 1200, okrs.Number, "", ""},
		{"1,200", 1200, okrs.Number, "", ""},
		{"1,234,567.89", 1234567.89, okrs.Number, "", ""},
		{"45%", 45, okrs.Percent, "", ""},
		{"45 %", 45, okrs.Percent, "", ""},
		{"$3.2k", 3200, okrs.Currency, "$", ""},
		{"€40", 40, okrs.Currency, "€", ""},
		{"40 €", 40, okrs.Currency, "€", ""},
		{"£1,000", 1000, okrs.Currency, "£", ""},
		{"1.5M", 1.5e6, okrs.Number, "", ""},
		{"2.5bn", 2.5e9, okrs.Number, "", ""},
		{"3K", 3000, okrs.Number, "", ""},
		{"-3", -3, okrs.Number, "", ""},
		{"−3", -3, okrs.Number, "", ""},
		{"-$3", -3, okrs.Currency, "$", ""},
		{"$-3", -3, okrs.Currency, "$", ""},
		{"+7", 7, okrs.Number, "", ""},
		{" 12 ", 12, okrs.Number, "", ""},
		{"\u00a012\u00a0", 12, okrs.Number, "", ""},
		{".5", 0.5, okrs.Number, "", ""},
		{"5.", 5, okrs.Number, "", ""},
		{"0", 0, okrs.Number, "", ""},
		{"-0", 0, okrs.Number, "", ""},
		{"1e3", 1000, okrs.Number, "", ""},
		{"", 0, "", "", "Enter a number"},
		{"   ", 0, "", "", "Enter a number"},
		{"abc", 0, "", "", "not a number"},
		{"NaN", 0, "", "", "not a number"},
		{"nan", 0, "", "", "not a number"},
		{"Inf", 0, "", "", "not a number"},
		{"-Infinity", 0, "", "", "not a number"},
		{"0x10", 0, "", "", "not a number"},
		{"1e400", 0, "", "", "too large"},
		{"1e16", 0, "", "", "too large"},
		{"1,5", 0, "", "", "dot for decimals"},
		{"1,20", 0, "", "", "dot for decimals"},
		{"12,34,567", 0, "", "", "not a number"},
		{"1.2.3", 0, "", "", "not a number"},
		{"$", 0, "", "", "not a number"},
		{"%", 0, "", "", "not a number"},
		{"$45%", 0, "", "", "not a number"},
		{"--3", 0, "", "", "not a number"},
		{"k", 0, "", "", "not a number"},
		{"1e", 0, "", "", "not a number"},
		{"1_000", 0, "", "", "not a number"},
		{"12 apples", 0, "", "", "not a number"},
	}
	for _, tt := range tests {
		v, unit, cur, err := okrs.ParseValue(tt.in)
		if tt.errHas != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("ParseValue(%q) = %v, %v: want an error containing %q", tt.in, v, err, tt.errHas)
			} else if fe := okrs.FieldErrors(err); len(fe) != 1 || fe[0].Field != okrs.FieldValue {
				t.Errorf("ParseValue(%q): error %v is not a field error on %q", tt.in, err, okrs.FieldValue)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseValue(%q): unexpected error %v", tt.in, err)
			continue
		}
		if math.Abs(v-tt.want) > 1e-9*math.Max(1, math.Abs(tt.want)) || unit != tt.unit || cur != tt.currency {
			t.Errorf("ParseValue(%q) = %v %q %q, want %v %q %q", tt.in, v, unit, cur, tt.want, tt.unit, tt.currency)
		}
		if math.Signbit(v) && v == 0 {
			t.Errorf("ParseValue(%q) returned negative zero", tt.in)
		}
	}
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"1,200", "45%", "$3.2k", "1.5M", "-3", " 12 ", "abc", "NaN", "1e400", "", "1,5", "€-4.5bn", "0.0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, unit, _, err := okrs.ParseValue(s)
		if err != nil {
			if okrs.ErrorCode(err) != okrs.EINVALID || okrs.ErrorMessage(err) == "" {
				t.Fatalf("ParseValue(%q): error %v is not an EINVALID with a message", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
			t.Fatalf("ParseValue(%q) = %v: not a usable number", s, v)
		}
		if !unit.Valid() {
			t.Fatalf("ParseValue(%q): unit %q is not valid", s, unit)
		}
		// A parsed number written back plainly parses to the same number.
		back, _, _, err := okrs.ParseValue(strings.TrimSuffix(okrs.FormatNumber(v), ".0"))
		if err != nil && math.Abs(v) >= 0.005 {
			t.Fatalf("ParseValue(FormatNumber(%v)) failed: %v", v, err)
		}
		if err == nil && math.Abs(back-math.Round(v*100)/100) > 1e-6*math.Max(1, math.Abs(v)) {
			t.Fatalf("round trip of %q: %v → %q → %v", s, v, okrs.FormatNumber(v), back)
		}
	})
}

func TestFormat(t *testing.T) {
	tests := []struct {
		kr   okrs.KeyResult
		v    float64
		want string
	}{
		{okrs.KeyResult{Unit: okrs.Number}, 1200, "1,200"},
		{okrs.KeyResult{Unit: okrs.Number}, 1234567.891, "1.2M"},
		{okrs.KeyResult{Unit: okrs.Number}, -4, "-4"},
		{okrs.KeyResult{Unit: okrs.Number}, 3.256, "3.26"},
		{okrs.KeyResult{Unit: okrs.Percent}, 45, "45%"},
		{okrs.KeyResult{Unit: okrs.Currency}, 3200, "$3,200"},
		{okrs.KeyResult{Unit: okrs.Currency, Currency: "€"}, -50, "-€50"},
		{okrs.KeyResult{Unit: okrs.Number, UnitLabel: "ms"}, 280, "280 ms"},
		{okrs.KeyResult{Kind: okrs.Milestone}, 1, "Done"},
		{okrs.KeyResult{Kind: okrs.Milestone}, 0, "Not done"},
	}
	for _, tt := range tests {
		if got := tt.kr.Format(tt.v); got != tt.want {
			t.Errorf("Format(%v) with %+v = %q, want %q", tt.v, tt.kr, got, tt.want)
		}
	}
	if got := okrs.FormatPercent(1.12); got != "112%" {
		t.Errorf("FormatPercent(1.12) = %q, want 112%%", got)
	}
	if got := okrs.Shorten("abcdef", 4); got != "abc…" {
		t.Errorf("Shorten = %q, want abc…", got)
	}
}

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want okrs.Quantity
		ok   bool
	}{
		{"400 ms", okrs.Quantity{Value: 400, Unit: okrs.Number, Label: "ms"}, true},
		{"1,200 customers", okrs.Quantity{Value: 1200, Unit: okrs.Number, Label: "customers"}, true},
		{"45%", okrs.Quantity{Value: 45, Unit: okrs.Percent}, true},
		{"$3.2k", okrs.Quantity{Value: 3200, Unit: okrs.Currency, Currency: "$"}, true},
		{"12", okrs.Quantity{Value: 12, Unit: okrs.Number}, true},
		{"45% users", okrs.Quantity{}, false},
		{"ms", okrs.Quantity{}, false},
		{"abc def", okrs.Quantity{}, false},
		{"12 x2", okrs.Quantity{}, false},
		{"", okrs.Quantity{}, false},
	}
	for _, tt := range tests {
		got, err := okrs.ParseQuantity(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseQuantity(%q) = %+v, %v; want %+v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
