// Package charts draws okrbot's PNG charts: plain values in, PNG bytes out.
//
// ProgressChart plots key-result check-ins over an OKR cycle against an ideal
// pace; OverviewChart compares the progress of several objectives with the
// progress expected by today. Both are sized for Slack previews (at least
// 800×400 pixels), use the colour-blind-safe Okabe–Ito palette plus dashes
// and marker shapes, and embed their fonts (no system fonts are read).
//
// Rendering uses github.com/go-analyze/charts/chartdraw for axes and paths,
// through this package's renderer (raster.go), which reuses image memory and
// draws text from cached glyph masks (glyphs.go), and its own PNG encoder
// (png.go). The output is deterministic (same input, same bytes) and the
// functions are safe for concurrent use. Empty or odd input (no data, NaN or Inf values, a
// zero-length cycle, very long titles) gives a readable chart, not an error;
// an error is returned only if drawing or PNG encoding itself fails.
package charts

import (
	"errors"
	"image"
	"math"
	"strings"
	"unicode"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/golang/freetype/truetype"
)

// Okabe–Ito colours, in the order series use them (black is kept for the
// "expected" markers and the yellow, hard to see on white, comes last).
var palette = []drawing.Color{
	hex(0x0072B2), // blue
	hex(0xE69F00), // orange
	hex(0x009E73), // bluish green
	hex(0xCC79A7), // reddish purple
	hex(0x56B4E9), // sky blue
	hex(0xD55E00), // vermillion
	hex(0xF0E442), // yellow
}

var (
	colBlack     = hex(0x000000)
	colWhite     = hex(0xFFFFFF)
	colText      = hex(0x222222)
	colMuted     = hex(0x5F5F5F)
	colAxis      = hex(0x8C8C8C)
	colGrid      = hex(0xE6E6E6)
	colTrack     = hex(0xEDEDED)
	colIdeal     = hex(0x4D4D4D)
	colToday     = hex(0x7A7A7A)
	colMessageBg = hex(0xF4F4F4)
)

func hex(v uint32) drawing.Color {
	return drawing.Color{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

func seriesColor(i int) drawing.Color { return palette[i%len(palette)] }

// Font sizes in points at 96 DPI (1 pt = 4/3 px).
const (
	sizeTitle    = 16.0
	sizeSubtitle = 11.0
	sizeLegend   = 11.0
	sizeTick     = 10.5
	sizeAxisName = 11.0
	sizeMessage  = 15.0
	sizeSmall    = 10.0

	outerMargin = 16 // px around the whole chart
)

// fonts returns the regular and bold embedded fonts.
func fonts() (regular, bold *truetype.Font) {
	regular = chartdraw.GetFont("roboto")
	bold = chartdraw.GetFont("notosans-bold")
	if bold == nil {
		bold = regular
	}
	return regular, bold
}

// canvas wraps the renderer with the few drawing operations both charts
// need.
type canvas struct {
	r             *renderer
	w, h          int
	regular, bold *truetype.Font
}

// newCanvas returns a w×h canvas; encode releases its memory.
func newCanvas(w, h int) *canvas {
	regular, bold := fonts()
	c := &canvas{r: newRenderer(w, h), w: w, h: h, regular: regular, bold: bold}
	c.r.SetDPI(drawing.DefaultDPI)
	return c
}

func (c *canvas) setFont(size float64, bold bool, col drawing.Color) {
	f := c.regular
	if bold {
		f = c.bold
	}
	c.r.SetFont(f)
	c.r.SetFontSize(size)
	c.r.SetFontColor(col)
}

// measure returns the width and the em height of s in pixels.
func (c *canvas) measure(s string, size float64, bold bool) (w, h int) {
	c.setFont(size, bold, colText)
	b := c.r.MeasureText(s)
	return b.Width(), b.Height()
}

// text draws s with its baseline at y, starting at x.
func (c *canvas) text(s string, x, y int, size float64, bold bool, col drawing.Color) {
	c.setFont(size, bold, col)
	c.r.ClearTextRotation()
	c.r.Text(s, x, y)
}

// textRotated draws s reading bottom to top, its baseline at x and its start at y.
func (c *canvas) textRotated(s string, x, y int, size float64, bold bool, col drawing.Color) {
	c.setFont(size, bold, col)
	c.r.SetTextRotation(chartdraw.DegreesToRadians(-90))
	c.r.Text(s, x, y)
	c.r.ClearTextRotation()
}

// drawable drops the runes that no embedded font can draw (emoji, joiners,
// control characters), which would otherwise show as empty boxes.
func (c *canvas) drawable(s string) string {
	ok := func(r rune) bool {
		if c.regular.Index(r) != 0 || c.bold.Index(r) != 0 {
			return true
		}
		for _, name := range drawing.FallbackFonts {
			if f := chartdraw.GetFont(name); f != nil && f.Index(r) != 0 {
				return true
			}
		}
		return false
	}
	for _, r := range s {
		if !ok(r) {
			return strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) || ok(r) {
					return r
				}
				return -1
			}, s)
		}
	}
	return s
}

// fit shortens s (with an ellipsis) until it is at most maxW pixels wide.
func (c *canvas) fit(s string, maxW int, size float64, bold bool) string {
	s = shorten(c.drawable(s), 200)
	if w, _ := c.measure(s, size, bold); w <= maxW {
		return s
	}
	lo, hi := 0, len([]rune(s)) // lo fits (the empty string), hi does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if w, _ := c.measure(shorten(s, mid), size, bold); w <= maxW {
			lo = mid
		} else {
			hi = mid
		}
	}
	return shorten(s, lo)
}

// rect fills the pixel-aligned rectangle [x0,x1)×[y0,y1).
func (c *canvas) rect(x0, y0, x1, y1 int, fill drawing.Color) {
	if x1 < x0 {
		x0, x1 = x1, x0
	}
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	c.r.fillRect(x0, y0, x1, y1, fill)
}

// line strokes a straight line; dash may be nil.
func (c *canvas) line(x0, y0, x1, y1 int, col drawing.Color, width float64, dash []float64) {
	c.r.SetStrokeColor(col)
	c.r.SetStrokeWidth(width)
	c.r.SetStrokeDashArray(dash)
	c.r.MoveTo(x0, y0)
	c.r.LineTo(x1, y1)
	c.r.Stroke()
	c.r.SetStrokeDashArray(nil)
}

// markerShape tells series apart without colour.
type markerShape int

const (
	shapeCircle markerShape = iota
	shapeSquare
	shapeTriangle
	shapeDiamond
	shapeTriangleDown
	shapeHexagon
	shapeStar
	shapeCount
)

// marker draws a filled shape of radius rad around (x, y) with a white rim.
func (c *canvas) marker(shape markerShape, x, y int, rad float64, fill drawing.Color) {
	c.r.SetFillColor(fill)
	c.r.SetStrokeColor(colWhite)
	c.r.SetStrokeWidth(1.5)
	c.r.SetStrokeDashArray(nil)
	switch shape % shapeCount {
	case shapeCircle:
		c.r.Circle(rad, x, y)
	case shapeSquare:
		c.polygon(x, y, rad*0.9, 4, math.Pi/4, 1.414)
	case shapeTriangle:
		c.polygon(x, y, rad*1.25, 3, -math.Pi/2, 1)
	case shapeDiamond:
		c.polygon(x, y, rad*1.25, 4, 0, 1)
	case shapeTriangleDown:
		c.polygon(x, y, rad*1.25, 3, math.Pi/2, 1)
	case shapeHexagon:
		c.polygon(x, y, rad*1.1, 6, 0, 1)
	case shapeStar:
		c.star(x, y, rad*1.4)
	}
	c.r.FillStroke()
}

// polygon adds a regular n-gon path of circumradius rad*scale.
func (c *canvas) polygon(x, y int, rad float64, n int, phase, scale float64) {
	rad *= scale
	for i := 0; i <= n; i++ {
		a := phase + 2*math.Pi*float64(i%n)/float64(n)
		px := x + int(math.Round(rad*math.Cos(a)))
		py := y + int(math.Round(rad*math.Sin(a)))
		if i == 0 {
			c.r.MoveTo(px, py)
		} else {
			c.r.LineTo(px, py)
		}
	}
	c.r.Close()
}

func (c *canvas) star(x, y int, rad float64) {
	for i := 0; i <= 10; i++ {
		rr := rad
		if i%2 == 1 {
			rr = rad * 0.45
		}
		a := -math.Pi/2 + math.Pi*float64(i%10)/5
		px := x + int(math.Round(rr*math.Cos(a)))
		py := y + int(math.Round(rr*math.Sin(a)))
		if i == 0 {
			c.r.MoveTo(px, py)
		} else {
			c.r.LineTo(px, py)
		}
	}
	c.r.Close()
}

// header draws the title (bold) and a subtitle at the top left, each
// shortened to the width of the image.
func (c *canvas) header(title, subtitle string) {
	maxW := c.w - 2*outerMargin
	_, th := c.measure("Ag", sizeTitle, true)
	_, sh := c.measure("Ag", sizeSubtitle, false)
	c.text(c.fit(title, maxW, sizeTitle, true), outerMargin, outerMargin+th-4, sizeTitle, true, colText)
	c.text(c.fit(subtitle, maxW, sizeSubtitle, false), outerMargin, outerMargin+th+4+sh-3, sizeSubtitle, false, colMuted)
}

// headerBottom is the y coordinate below the header.
func (c *canvas) headerBottom() int {
	_, th := c.measure("Ag", sizeTitle, true)
	_, sh := c.measure("Ag", sizeSubtitle, false)
	return outerMargin + th + 4 + sh + 6
}

// legendKind is how a legend entry's swatch is drawn.
type legendKind int

const (
	legendLine     legendKind = iota // solid line with a marker
	legendDashed                     // dashed line
	legendBar                        // filled block
	legendExpected                   // black expected-pace tick
)

type legendItem struct {
	label  string
	suffix string // kept whole when label is shortened, e.g. " · 64%"
	kind   legendKind
	color  drawing.Color
	shape  markerShape
}

const (
	legendSwatchW = 30
	legendGap     = 6  // swatch to text
	legendSpacing = 22 // between entries
	legendRowGap  = 6
)

type placedLegendItem struct {
	legendItem
	x, row int
}

// layoutLegend fits the entries into rows of at most maxW pixels, shortening
// each label to at most maxLabelW pixels. It returns the placed entries and
// the number of rows.
func (c *canvas) layoutLegend(items []legendItem, maxW, maxLabelW int) ([]placedLegendItem, int) {
	var out []placedLegendItem
	x, row := 0, 0
	for _, it := range items {
		sw, _ := c.measure(it.suffix, sizeLegend, false)
		it.label = c.fit(it.label, min(maxLabelW, maxW-legendSwatchW-legendGap)-sw, sizeLegend, false) + it.suffix
		tw, _ := c.measure(it.label, sizeLegend, false)
		w := legendSwatchW + legendGap + tw
		if x > 0 && x+w > maxW {
			x, row = 0, row+1
		}
		out = append(out, placedLegendItem{legendItem: it, x: x, row: row})
		x += w + legendSpacing
	}
	if len(out) == 0 {
		return nil, 0
	}
	return out, row + 1
}

func (c *canvas) legendRowHeight() int {
	_, h := c.measure("Ag", sizeLegend, false)
	return max(h, 14) + legendRowGap
}

// drawLegend draws entries laid out by layoutLegend with their top left at (x0, y0).
func (c *canvas) drawLegend(items []placedLegendItem, x0, y0 int) {
	rh := c.legendRowHeight()
	_, th := c.measure("Ag", sizeLegend, false)
	for _, it := range items {
		x := x0 + it.x
		top := y0 + it.row*rh
		mid := top + th/2 + 1
		switch it.kind {
		case legendLine:
			c.line(x, mid, x+legendSwatchW, mid, it.color, 2.5, nil)
			c.marker(it.shape, x+legendSwatchW/2, mid, 4.5, it.color)
		case legendDashed:
			c.line(x, mid, x+legendSwatchW, mid, it.color, 2, idealDash)
		case legendBar:
			c.rect(x+2, mid-6, x+legendSwatchW-2, mid+6, it.color)
		case legendExpected:
			c.rect(x+legendSwatchW/2-2, mid-9, x+legendSwatchW/2+2, mid+9, it.color)
		}
		c.text(it.label, x+legendSwatchW+legendGap, top+th-3, sizeLegend, false, colText)
	}
}

var idealDash = []float64{7, 5}

// message draws a centred notice (e.g. "No check-ins yet") in a soft box.
func (c *canvas) message(msg string, cx, cy int) {
	tw, th := c.measure(msg, sizeMessage, true)
	padX, padY := 18, 12
	c.rect(cx-tw/2-padX, cy-th/2-padY, cx+tw/2+padX, cy+th/2+padY, colMessageBg)
	c.text(msg, cx-tw/2, cy+th/2-4, sizeMessage, true, colMuted)
}

// rgbaCollector receives the finished image from the renderer.
type rgbaCollector struct{ img *image.RGBA }

func (rc *rgbaCollector) SetRGBA(i *image.RGBA) { rc.img = i }

// Write makes rgbaCollector an io.Writer for chartdraw.Chart.Render, which
// hands the image over through SetRGBA and never writes bytes.
func (rc *rgbaCollector) Write([]byte) (int, error) {
	return 0, errors.New("charts: unexpected write")
}

// encode finishes the canvas, returns the PNG bytes and releases the canvas.
func (c *canvas) encode() ([]byte, error) {
	defer c.r.release()
	var rc rgbaCollector
	if err := c.r.Save(&rc); err != nil {
		return nil, err
	}
	return rc.png()
}

func (rc *rgbaCollector) png() ([]byte, error) {
	if rc.img == nil {
		return nil, errors.New("charts: renderer produced no image")
	}
	return encodePNG(rc.img)
}
