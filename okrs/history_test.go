package okrs_test

import (
	"math"
	"testing"

	"github.com/okrbot/okrbot/okrs"
)

func TestKeyResultAchievementOf(t *testing.T) {
	tests := []struct {
		name          string
		kind          okrs.Kind
		start, target float64
		value, want   float64
	}{
		{"increase at start", okrs.Increase, 1200, 2000, 1200, 0},
		{"increase half way", okrs.Increase, 1200, 2000, 1600, 0.5},
		{"increase beyond the target", okrs.Increase, 2.1, 3, 3.1, 1.0 / 0.9},
		{"increase went backwards", okrs.Increase, 1200, 2000, 1000, 0},
		{"decrease improving", okrs.Decrease, 400, 280, 310, 0.75},
		{"stay above, below the threshold", okrs.StayAbove, 99.9, 99.9, 99.5, 0},
		{"stay above, at the threshold", okrs.StayAbove, 99.9, 99.9, 99.9, 1},
		{"stay above, above the threshold", okrs.StayAbove, 0, 99.9, 99.95, 1},
		{"stay below, held", okrs.StayBelow, 2, 2, 1.5, 1},
		{"stay below, broken", okrs.StayBelow, 2, 2, 2.4, 0},
		{"milestone not done", okrs.Milestone, 0, 1, 0, 0},
		{"milestone done", okrs.Milestone, 0, 1, 1, 1},
		{"non-finite value", okrs.Increase, 0, 10, math.NaN(), 0},
	}
	for _, tt := range tests {
		kr := okrs.KeyResult{Kind: tt.kind, Start: tt.start, Target: tt.target, Current: -12345}
		got := kr.AchievementOf(tt.value)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: AchievementOf(%v) = %v, want %v", tt.name, tt.value, got, tt.want)
		}
		// The same figure the key result's status shows at that value.
		kr.Current = tt.value
		if a := kr.Achievement(); a != got {
			t.Errorf("%s: AchievementOf(%v) = %v, but Achievement() at that value = %v", tt.name, tt.value, got, a)
		}
	}
}
