package charts

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Fixed inputs shared by the golden tests and the benchmarks.

var (
	cycleStart = time.Date(2025, time.October, 1, 0, 0, 0, 0, time.UTC)
	cycleEnd   = time.Date(2025, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// weekly returns n weekly check-ins from the first Thursday of the cycle.
func weekly(values ...float64) []Point {
	pts := make([]Point, len(values))
	for i, v := range values {
		pts[i] = Point{At: cycleStart.AddDate(0, 0, 1+7*i), Value: v}
	}
	return pts
}

// The charts take progress from their caller (okrs, in okrbot). Test data
// states it with these stand-ins for the domain's scoring.

// linear scores a key result that moves from start to target: 0 at the
// start, 1 at the target, never below 0.
func linear(start, target float64) func(float64) float64 {
	return func(v float64) float64 { return max(0, (v-start)/(target-start)) }
}

// atLeast scores a threshold to stay at or above, or a milestone (at least 1).
func atLeast(th float64) func(float64) float64 {
	return func(v float64) float64 {
		if v >= th {
			return 1
		}
		return 0
	}
}

// atMost scores a threshold to stay at or below.
func atMost(th float64) func(float64) float64 {
	return func(v float64) float64 {
		if v <= th {
			return 1
		}
		return 0
	}
}

// scored fills in the progress of kr's start and of its points with score.
func scored(kr KeyResult, score func(float64) float64) KeyResult {
	kr.StartProgress = score(kr.Start)
	kr.Points = slices.Clone(kr.Points)
	for i := range kr.Points {
		kr.Points[i].Progress = score(kr.Points[i].Value)
	}
	return kr
}

func threeKRProgress() Progress {
	return Progress{
		Title:      "Make checkout fast and delightful",
		CycleStart: cycleStart,
		CycleEnd:   cycleEnd,
		Now:        time.Date(2025, time.December, 29, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{
			scored(KeyResult{
				Title: "Weekly active buyers", Start: 1200, Target: 2000,
				Points: weekly(1230, 1290, 1310, 1400, 1380, 1470, 1550, 1610, 1640, 1720, 1790, 1850, 1930),
			}, linear(1200, 2000)),
			scored(KeyResult{
				Title: "P99 checkout latency", Unit: "ms", Start: 400, Target: 280,
				// Deliberately out of order: the chart sorts check-ins.
				Points: reversed(weekly(398, 390, 385, 371, 366, 352, 340, 338, 325, 318, 305, 301, 296)),
			}, linear(400, 280)),
			milestoneKR(),
		},
	}
}

func milestoneKR() KeyResult {
	return scored(KeyResult{
		Title: "One-click pay launched", Goal: Milestone, Start: 0, Target: 1,
		Points: weekly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
	}, atLeast(1))
}

// uptimeKR holds a threshold except in weeks 5 and 6.
func uptimeKR() KeyResult {
	return scored(KeyResult{
		Title: "Checkout uptime", Unit: "%", Goal: StayAbove, Start: 99.95, Target: 99.9,
		Points: weekly(99.96, 99.93, 99.97, 99.92, 99.71, 99.84, 99.91, 99.95, 99.98, 99.94, 99.96, 99.97),
	}, atLeast(99.9))
}

// churnKR is a threshold to stay below, broken in weeks 3 and 4.
func churnKR() KeyResult {
	return scored(KeyResult{
		Title: "Monthly buyer churn", Unit: "%", Goal: StayBelow, Start: 1.8, Target: 2,
		Points: weekly(1.9, 1.95, 2.3, 2.1, 1.9, 1.85, 1.7, 1.8, 1.75, 1.6, 1.7, 1.65),
	}, atMost(2))
}

func singleThresholdProgress() Progress {
	return Progress{
		Title: "Keep checkout reliable", CycleStart: cycleStart, CycleEnd: cycleEnd,
		Now:        time.Date(2025, time.December, 22, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{uptimeKR()},
	}
}

func singleMilestoneProgress() Progress {
	return Progress{
		Title: "Make checkout fast and delightful", CycleStart: cycleStart, CycleEnd: cycleEnd,
		Now:        time.Date(2025, time.December, 29, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{milestoneKR()},
	}
}

// mixedGoalsProgress has one key result of each goal.
func mixedGoalsProgress() Progress {
	p := threeKRProgress()
	p.Title = "Keep checkout reliable while it grows"
	p.KeyResults = []KeyResult{p.KeyResults[0], uptimeKR(), churnKR(), milestoneKR()}
	return p
}

func reversed(p []Point) []Point {
	out := make([]Point, len(p))
	for i := range p {
		out[len(p)-1-i] = p[i]
	}
	return out
}

func singleDecreasingProgress() Progress {
	return Progress{
		Title:      "Make checkout fast and delightful",
		CycleStart: cycleStart,
		CycleEnd:   cycleEnd,
		Now:        time.Date(2025, time.November, 20, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{{
			Title: "P99 checkout latency", Unit: "ms", Start: 400, Target: 280,
			Points: weekly(395, 392, 371, 366, 360, 347, 341, math.NaN()),
		}},
	}
}

func fiveKRProgress() Progress {
	p := threeKRProgress()
	p.KeyResults = append(p.KeyResults,
		scored(KeyResult{
			Title: "Monthly revenue", Unit: "$", Start: 120000, Target: 180000,
			Points: weekly(121000, 125000, 127000, 131000, 138000, 140000, 143000, 150000, 152000, 157000, 163000, 166000, 171000),
		}, linear(120000, 180000)),
		scored(KeyResult{
			Title: "Checkout conversion", Unit: "%", Start: 2.1, Target: 3,
			Points: weekly(2.1, 2.2, 2.15, 2.3, 2.4, 2.35, 2.5, 2.6, 2.7, 2.75, 2.8, 2.9, 3.1),
		}, linear(2.1, 3)),
	)
	return p
}

func sixObjectives() Overview {
	return Overview{
		Title: "Q4 2025 objectives · Payments team",
		Objectives: []Bar{
			{Title: "Make checkout fast and delightful", Progress: 0.72, Expected: 0.55},
			{Title: "Grow repeat buyers", Progress: 0.31, Expected: 0.55},
			{Title: "Launch in three new markets", Progress: 1.18, Expected: 0.55},
			{Title: "Cut payment fraud losses", Progress: 0.55, Expected: 0.55},
			{Title: "Hire and onboard 4 engineers", Progress: 0, Expected: 0.55},
			{Title: "Modernise the billing platform", Progress: 0.48, Expected: 0.55},
		},
	}
}

func manyObjectives(n int) Overview {
	o := Overview{Title: "All objectives"}
	for i := range n {
		o.Objectives = append(o.Objectives, Bar{
			Title:    "Objective number " + strings.Repeat("x", i%7) + string(rune('A'+i%26)),
			Progress: float64((i*37)%120) / 100,
			Expected: 0.5,
		})
	}
	return o
}

const long150 = "Deliver a genuinely world-class, end-to-end checkout experience for every buyer in every market, measured by speed, reliability and delight scores!!"

func longTitle(prefix string) string {
	s := prefix + " " + long150
	r := []rune(s)
	for len(r) < 150 {
		r = append(r, 'x')
	}
	return string(r[:150])
}

func longTitlesProgress() Progress {
	p := threeKRProgress()
	p.Title = longTitle("Objective:")
	for i := range p.KeyResults {
		p.KeyResults[i].Title = longTitle(p.KeyResults[i].Title + ":")
	}
	return p
}

func longTitlesOverview() Overview {
	o := sixObjectives()
	o.Title = longTitle("Overview:")
	for i := range o.Objectives {
		o.Objectives[i].Title = longTitle(o.Objectives[i].Title + ":")
	}
	return o
}

func noCheckInsProgress() Progress {
	p := threeKRProgress()
	p.Now = time.Date(2025, time.October, 3, 0, 0, 0, 0, time.UTC)
	for i := range p.KeyResults {
		p.KeyResults[i].Points = nil
	}
	return p
}

func emptyProgress() Progress {
	return Progress{Title: "Make checkout fast and delightful", CycleStart: cycleStart, CycleEnd: cycleEnd,
		Now: time.Date(2025, time.October, 3, 0, 0, 0, 0, time.UTC)}
}

// retargetedProgress is a key result whose target went from 50 to 60 in
// week 4 and from 60 to 70 in week 9: the ideal-pace line steps twice.
func retargetedProgress() Progress {
	return Progress{
		Title: "Grow paying teams", CycleStart: cycleStart, CycleEnd: cycleEnd,
		Now: time.Date(2025, time.December, 1, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{scored(KeyResult{
			Title: "Paying teams", Start: 40, Target: 70,
			Earlier: []TargetStep{{Until: cycleStart.AddDate(0, 0, 24), Target: 50}, {Until: cycleStart.AddDate(0, 0, 60), Target: 60}},
			Points:  weekly(41, 43, 45, 47, 50, 52, 55, 57, 58, 60),
		}, linear(40, 70))},
	}
}

// retargetedThresholdProgress is a threshold raised from 99.5 to 99.9 % in
// week 6.
func retargetedThresholdProgress() Progress {
	kr := uptimeKR()
	kr.Earlier = []TargetStep{{Until: cycleStart.AddDate(0, 0, 40), Target: 99.5}}
	return Progress{Title: "Keep checkout reliable", CycleStart: cycleStart, CycleEnd: cycleEnd,
		Now: time.Date(2025, time.December, 22, 0, 0, 0, 0, time.UTC), KeyResults: []KeyResult{kr}}
}
