package okrcsv_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
)

// BenchmarkExport: a team's quarter as the README's benchmarks size it, 25
// objectives × 5 key results × 13 weekly check-ins (1,625 check-ins).
func BenchmarkExport(b *testing.B) {
	at := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	d := okrcsv.Data{Team: "C1", TeamName: "payments", Timezone: "Europe/Berlin", Generated: at, People: map[string]string{"U1": "Ana Lima"}}
	for i := range 25 {
		o := okrs.Objective{ID: fmt.Sprintf("o%d", i), Team: "C1", Cycle: "2026-Q4", Title: fmt.Sprintf("Objective %d", i), Owner: "U1", CreatedAt: at}
		for j := range 5 {
			kr := okrs.KeyResult{ID: fmt.Sprintf("k%d-%d", i, j), Title: "Reduce P99 latency of payment processing", Owner: "U1",
				Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms", Start: 400, Target: 280, Current: 340}
			for w := range 13 {
				kr.CheckIns = append(kr.CheckIns, okrs.CheckIn{ID: fmt.Sprintf("c%d", w), Author: "U1", At: at.AddDate(0, 0, 7*w), Value: 400 - float64(w)*5,
					Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Good week: two launches and one outage."})
			}
			o.KeyResults = append(o.KeyResults, kr)
		}
		d.Objectives = append(d.Objectives, o)
	}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		data, _, err := okrcsv.Export(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(size), "zip-bytes")
}
