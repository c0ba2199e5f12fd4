package charts_test

import (
	"log"
	"time"

	"github.com/okrbot/okrbot/charts"
)

func ExampleProgressChart() {
	start := time.Date(2025, time.October, 1, 0, 0, 0, 0, time.UTC)
	png, err := charts.ProgressChart(charts.Progress{
		Title:      "Make checkout fast",
		CycleStart: start,
		CycleEnd:   start.AddDate(0, 3, 0),
		Now:        start.AddDate(0, 0, 30),
		KeyResults: []charts.KeyResult{{
			Title: "P99 checkout latency", Unit: "ms", Start: 400, Target: 280,
			// Progress comes from the caller's domain (okrs in okrbot):
			// 400 → 280 ms, so 372 ms is 28/120 of the way.
			Points: []charts.Point{
				{At: start.AddDate(0, 0, 7), Value: 390, Progress: 10.0 / 120},
				{At: start.AddDate(0, 0, 14), Value: 372, Progress: 28.0 / 120},
			},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = png // e.g. upload to Slack as checkout.png
}

func ExampleOverviewChart() {
	png, err := charts.OverviewChart(charts.Overview{
		Title: "Q4 objectives",
		Objectives: []charts.Bar{
			{Title: "Make checkout fast", Progress: 0.72, Expected: 0.55},
			{Title: "Grow repeat buyers", Progress: 0.31, Expected: 0.55},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = png
}
