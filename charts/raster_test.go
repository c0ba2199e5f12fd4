package charts

import (
	"image"
	"testing"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
)

type textCase struct {
	s      string
	x, y   int
	size   float64
	bold   bool
	col    drawing.Color
	rotate bool
}

var textCases = []textCase{
	{s: "Weekly active buyers · 91%", x: 10, y: 30, size: sizeLegend, col: colText},
	{s: "Make checkout fast and delightful", x: 3, y: 60, size: sizeTitle, bold: true, col: colText},
	{s: "AVATAR Type Wave To. LTA", x: 5, y: 90, size: sizeMessage, bold: true, col: colMuted},     // kerning pairs
	{s: "Größenwachstum überall · 1.2k → 2k ✓", x: 7, y: 115, size: sizeSubtitle, col: palette[0]}, // fallback fonts
	{s: "0% 20% 40% 60% 80% 100% 120%", x: 11, y: 135, size: sizeTick, col: colMuted},
	{s: "Cut off at the left edge", x: -25, y: 155, size: sizeSmall, col: palette[5]},
	{s: "and at the right edge of the image", x: 140, y: 175, size: sizeSmall, col: palette[2]},
	{s: "half above the top", x: 20, y: 4, size: sizeTitle, col: colBlack},
	{s: "below the bottom", x: 150, y: 195, size: sizeTitle, col: colBlack},
	{s: "translucent", x: 200, y: 60, size: sizeTitle, bold: true, col: drawing.Color{R: 200, G: 30, B: 60, A: 128}},
	{s: "   ", x: 10, y: 100, size: sizeTick, col: colText},
	{s: "rotated axis name", x: 240, y: 180, size: sizeAxisName, col: colMuted, rotate: true},
}

// drawTextCases draws the text cases on r over a grey and white background.
func drawTextCases(r chartdraw.Renderer, w, h int) {
	regular, bold := fonts()
	r.SetDPI(drawing.DefaultDPI)
	fill := func(x0, y0, x1, y1 int, c drawing.Color) {
		r.SetFillColor(c)
		r.MoveTo(x0, y0)
		r.LineTo(x1, y0)
		r.LineTo(x1, y1)
		r.LineTo(x0, y1)
		r.LineTo(x0, y0)
		r.Fill()
	}
	fill(0, 0, w, h, colWhite)
	fill(0, h/2, w, h, colTrack)
	for _, tc := range textCases {
		f := regular
		if tc.bold {
			f = bold
		}
		r.SetFont(f)
		r.SetFontSize(tc.size)
		r.SetFontColor(tc.col)
		if tc.rotate {
			r.SetTextRotation(chartdraw.DegreesToRadians(-90))
		}
		r.Text(tc.s, tc.x, tc.y)
		r.ClearTextRotation()
	}
}

// TestRendererMatchesChartdraw checks that text from the glyph cache, and
// everything else the renderer draws, has the pixels chartdraw.PNG gives:
// with every glyph and mask cached, with masks over their budget, and with
// nothing cached.
func TestRendererMatchesChartdraw(t *testing.T) {
	const w, h = 260, 190
	tests := []struct {
		name       string
		glyphs     int
		maskBudget int64
	}{
		{"cached", maxGlyphs, maxMaskBytes},
		{"masks over budget", maxGlyphs, 0},
		{"glyphs over their limit", 0, maxMaskBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.glyphs < maxGlyphs || tt.maskBudget < maxMaskBytes {
				// Start from an empty cache, and check what it kept.
				glyphMu.Lock()
				savedGlyphs, savedRunes := glyphs, runeFonts
				glyphs, runeFonts = map[glyphKey]*glyphInfo{}, map[runeKey]runeFont{}
				glyphLimit, maskBudget = tt.glyphs, tt.maskBudget
				glyphMu.Unlock()
				defer func() {
					glyphMu.Lock()
					if len(glyphs) > tt.glyphs || len(runeFonts) > tt.glyphs {
						t.Errorf("cached %d glyphs and %d runes, limit %d", len(glyphs), len(runeFonts), tt.glyphs)
					}
					for _, g := range glyphs {
						for i := range g.masks {
							if g.masks[i].Load() != nil && tt.maskBudget == 0 {
								t.Errorf("a mask was cached beyond the budget")
							}
						}
					}
					glyphs, runeFonts = savedGlyphs, savedRunes
					glyphLimit, maskBudget = maxGlyphs, maxMaskBytes
					glyphMu.Unlock()
				}()
			}

			ref := chartdraw.PNG(w, h)
			drawTextCases(ref, w, h)
			var want rgbaCollector
			if err := ref.Save(&want); err != nil {
				t.Fatal(err)
			}
			r := newRenderer(w, h)
			defer r.release()
			drawTextCases(r, w, h)
			diff := 0
			for y := range h {
				for x := range w {
					if pixelDelta(r.img, want.img, x, y) > 0 {
						diff++
					}
				}
			}
			if diff > 0 {
				t.Errorf("%d of %d pixels differ from chartdraw's", diff, w*h)
			}
		})
	}
}

func TestMeasureTextMatchesChartdraw(t *testing.T) {
	ref := chartdraw.PNG(10, 10)
	ref.SetDPI(drawing.DefaultDPI)
	r := newRenderer(10, 10)
	defer r.release()
	r.SetDPI(drawing.DefaultDPI)
	regular, bold := fonts()
	for _, tc := range append(textCases, textCase{s: ""}, textCase{s: "Ag", size: sizeTitle, bold: true}) {
		for _, rd := range []chartdraw.Renderer{ref, r} {
			rd.SetFont(regular)
			if tc.bold {
				rd.SetFont(bold)
			}
			rd.SetFontSize(tc.size)
			if tc.rotate {
				rd.SetTextRotation(chartdraw.DegreesToRadians(-90))
			} else {
				rd.ClearTextRotation()
			}
		}
		if got, want := r.MeasureText(tc.s), ref.MeasureText(tc.s); got != want {
			t.Errorf("MeasureText(%q) = %+v, want %+v", tc.s, got, want)
		}
	}
}

// TestRendererReusesPixels checks that a released image comes back cleared.
func TestRendererReusesPixels(t *testing.T) {
	r := newRenderer(40, 20)
	r.fillRect(0, 0, 40, 20, colBlack)
	r.release()
	for range 3 { // the pool may hand back this buffer or a fresh one
		r = newRenderer(30, 20)
		if r.img.Rect != image.Rect(0, 0, 30, 20) || len(r.img.Pix) != 4*30*20 {
			t.Fatalf("image %v with %d bytes", r.img.Rect, len(r.img.Pix))
		}
		for i, b := range r.img.Pix {
			if b != 0 {
				t.Fatalf("byte %d of a new image is %d, want 0", i, b)
			}
		}
		r.release()
	}
}
