package charts

import (
	"math"
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

func threeKRProgress() Progress {
	return Progress{
		Title:      "Make checkout fast and delightful",
		CycleStart: cycleStart,
		CycleEnd:   cycleEnd,
		Now:        time.Date(2025, time.December, 29, 0, 0, 0, 0, time.UTC),
		KeyResults: []KeyResult{
			{
				Title: "Weekly active buyers", Start: 1200, Target: 2000,
				Points: weekly(1230, 1290, 1310, 1400, 1380, 1470, 1550, 1610, 1640, 1720, 1790, 1850, 1930),
			},
			{
				Title: "P99 checkout latency", Unit: "ms", Start: 400, Target: 280, Decreasing: true,
				// Deliberately out of order: the chart sorts check-ins.
				Points: reversed(weekly(398, 390, 385, 371, 366, 352, 340, 338, 325, 318, 305, 301, 296)),
			},
			{
				Title: "One-click pay launched", Start: 0, Target: 1,
				Points: weekly(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1),
			},
		},
	}
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
			Title: "P99 checkout latency", Unit: "ms", Start: 400, Target: 280, Decreasing: true,
			Points: weekly(395, 392, 371, 366, 360, 347, 341, math.NaN()),
		}},
	}
}

func fiveKRProgress() Progress {
	p := threeKRProgress()
	p.KeyResults = append(p.KeyResults,
		KeyResult{
			Title: "Monthly revenue", Unit: "$", Start: 120000, Target: 180000,
			Points: weekly(121000, 125000, 127000, 131000, 138000, 140000, 143000, 150000, 152000, 157000, 163000, 166000, 171000),
		},
		KeyResult{
			Title: "Checkout conversion", Unit: "%", Start: 2.1, Target: 3,
			Points: weekly(2.1, 2.2, 2.15, 2.3, 2.4, 2.35, 2.5, 2.6, 2.7, 2.75, 2.8, 2.9, 3.1),
		},
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
