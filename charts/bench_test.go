package charts

import "testing"

// BenchmarkProgressChart renders 5 key results × 13 weekly check-ins.
func BenchmarkProgressChart(b *testing.B) {
	p := fiveKRProgress()
	var png []byte
	for b.Loop() {
		var err error
		if png, err = ProgressChart(p); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(png)), "png-bytes")
}

// BenchmarkOverviewChart renders 25 objectives.
func BenchmarkOverviewChart(b *testing.B) {
	o := manyObjectives(25)
	var png []byte
	for b.Loop() {
		var err error
		if png, err = OverviewChart(o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(png)), "png-bytes")
}
