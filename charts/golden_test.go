package charts

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNG files in testdata/")

// Pixel comparison tolerance: a pixel differs when one of its channels is off
// by more than goldenChannelDelta; at most goldenMaxDiffShare of the pixels
// may differ (font rasterisation may vary a little between platforms).
const (
	goldenChannelDelta = 8
	goldenMaxDiffShare = 0.005
)

type goldenCase struct {
	name   string
	render func() ([]byte, error)
}

func goldenCases() []goldenCase {
	progress := func(p Progress) func() ([]byte, error) { return func() ([]byte, error) { return ProgressChart(p) } }
	overview := func(o Overview) func() ([]byte, error) { return func() ([]byte, error) { return OverviewChart(o) } }
	return []goldenCase{
		{"progress_three_krs", progress(threeKRProgress())},
		{"progress_single_decreasing_ms", progress(singleDecreasingProgress())},
		{"progress_five_krs", progress(fiveKRProgress())},
		{"progress_no_checkins", progress(noCheckInsProgress())},
		{"progress_empty", progress(emptyProgress())},
		{"progress_long_titles", progress(longTitlesProgress())},
		{"progress_single_threshold", progress(singleThresholdProgress())},
		{"progress_single_milestone", progress(singleMilestoneProgress())},
		{"progress_mixed_goals", progress(mixedGoalsProgress())},
		{"progress_retargeted", progress(retargetedProgress())},
		{"progress_retargeted_threshold", progress(retargetedThresholdProgress())},
		{"overview_six", overview(sixObjectives())},
		{"overview_25", overview(manyObjectives(25))},
		{"overview_empty", overview(Overview{})},
		{"overview_long_titles", overview(longTitlesOverview())},
		{"grades_four", func() ([]byte, error) {
			return GradesChart(Grades{Title: "Grades · 2026-Q4 · #payments", Objectives: []Grade{
				{"Make payments fast and boringly reliable", 0.7}, {"Make on-call sustainable", 1},
				{"Ship the new checkout", 0.3}, {"Grow activation", 0.5}}})
		}},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.render()
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			checkPNG(t, got)
			golden := filepath.Join("testdata", tc.name+".png")
			gotPath := filepath.Join("testdata", tc.name+"_got.png")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				_ = os.Remove(gotPath)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./charts -update` to create it)", err)
			}
			if bytes.Equal(got, want) {
				_ = os.Remove(gotPath)
				return
			}
			if msg := comparePNG(got, want); msg != "" {
				if err := os.WriteFile(gotPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				t.Fatalf("%s differs from the golden image: %s; the actual image is in %s "+
					"(run `go test ./charts -update` if the change is intended)", golden, msg, gotPath)
			}
			_ = os.Remove(gotPath)
		})
	}
}

// comparePNG returns "" when the images match within the tolerance, else why not.
func comparePNG(gotPNG, wantPNG []byte) string {
	got, err := png.Decode(bytes.NewReader(gotPNG))
	if err != nil {
		return "actual image does not decode: " + err.Error()
	}
	want, err := png.Decode(bytes.NewReader(wantPNG))
	if err != nil {
		return "golden image does not decode: " + err.Error()
	}
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	b := got.Bounds()
	diff := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if pixelDelta(got, want, x, y) > goldenChannelDelta {
				diff++
			}
		}
	}
	total := b.Dx() * b.Dy()
	if float64(diff) > goldenMaxDiffShare*float64(total) {
		return fmt.Sprintf("%d of %d pixels (%.2f%%) differ by more than %d per channel",
			diff, total, 100*float64(diff)/float64(total), goldenChannelDelta)
	}
	return ""
}

func pixelDelta(a, b image.Image, x, y int) int {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	d := 0
	for _, p := range [][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
		d = max(d, int(math.Abs(float64(p[0]>>8)-float64(p[1]>>8))))
	}
	return d
}

// checkPNG asserts that b is a PNG of at least 800×400 pixels.
func checkPNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if s := img.Bounds().Size(); s.X < 800 || s.Y < 400 {
		t.Fatalf("image is %v, want at least 800×400", s)
	}
	return img
}

func TestComparePNGTolerance(t *testing.T) {
	base := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for i := range base.Pix {
		base.Pix[i] = 255
	}
	encode := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	want := encode(base)

	small := image.NewRGBA(base.Rect)
	copy(small.Pix, base.Pix)
	for i := range 50 { // 0.5 % of the pixels, far off
		small.Pix[i*4] = 0
	}
	small.Pix[4000] = 250 // within the per-channel tolerance
	if msg := comparePNG(encode(small), want); msg != "" {
		t.Errorf("small difference rejected: %s", msg)
	}

	big := image.NewRGBA(base.Rect)
	copy(big.Pix, base.Pix)
	for i := range 51 {
		big.Pix[i*4] = 0
	}
	if msg := comparePNG(encode(big), want); msg == "" {
		t.Error("difference above the tolerance accepted")
	}

	if msg := comparePNG(encode(image.NewRGBA(image.Rect(0, 0, 10, 10))), want); msg == "" {
		t.Error("different sizes accepted")
	}
}
