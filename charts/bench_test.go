package charts

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"testing"
)

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

// BenchmarkEncodePNG encodes the progress chart's image (many colours: RGB)
// and the overview's (a palette).
func BenchmarkEncodePNG(b *testing.B) {
	for _, tc := range []struct {
		name   string
		render func() ([]byte, error)
	}{
		{"progress", func() ([]byte, error) { return ProgressChart(fiveKRProgress()) }},
		{"overview", func() ([]byte, error) { return OverviewChart(manyObjectives(25)) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p, err := tc.render()
			if err != nil {
				b.Fatal(err)
			}
			src, err := png.Decode(bytes.NewReader(p))
			if err != nil {
				b.Fatal(err)
			}
			img := image.NewRGBA(src.Bounds())
			draw.Draw(img, img.Rect, src, image.Point{}, draw.Src)
			for b.Loop() {
				if _, err := encodePNG(img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
