package charts

import (
	"image"
	"io"
	"math"
	"sync"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/golang/freetype/truetype"
)

// renderer is the chartdraw.Renderer both charts draw with. Paths (lines,
// markers, fills) go through chartdraw's own raster graphic context, as
// with chartdraw.PNG; what differs is that the image and the context are
// this package's, reused from one chart to the next, and that upright text
// is drawn from cached glyph masks (see glyphs.go) instead of rasterising
// every outline of every label again. The pixels are those chartdraw.PNG
// draws, within rounding.
type renderer struct {
	img    *image.RGBA
	gc     *drawing.RasterGraphicContext
	s      chartdraw.Style
	rotate *float64 // radians; nil draws text upright
	errs   []error
	text   textScratch
}

var _ chartdraw.Renderer = (*renderer)(nil)

// pixels keeps the pixel buffers of finished charts for the next ones.
var pixels sync.Pool // of *[]byte

// newRenderer returns a renderer over a transparent w×h image.
func newRenderer(w, h int) *renderer {
	n := 4 * w * h
	var pix []byte
	if p, ok := pixels.Get().(*[]byte); ok && cap(*p) >= n {
		pix = (*p)[:n]
		clear(pix)
	} else {
		pix = make([]byte, n)
	}
	img := &image.RGBA{Pix: pix, Stride: 4 * w, Rect: image.Rect(0, 0, w, h)}
	return &renderer{img: img, gc: drawing.NewRasterGraphicContext(img)}
}

// release hands the renderer's pixels back for reuse: neither the renderer
// nor its image may be used afterwards.
func (r *renderer) release() {
	pix := r.img.Pix[:0]
	r.img = nil
	pixels.Put(&pix)
}

// ResetStyle keeps the font and clears everything else, as chartdraw.PNG does.
func (r *renderer) ResetStyle() {
	r.s = chartdraw.Style{FontStyle: chartdraw.FontStyle{Font: r.s.Font}}
	r.ClearTextRotation()
}

func (r *renderer) GetDPI() float64                   { return r.gc.GetDPI() }
func (r *renderer) SetDPI(dpi float64)                { r.gc.SetDPI(dpi) }
func (r *renderer) SetClassName(string)               {}
func (r *renderer) SetStrokeColor(c drawing.Color)    { r.s.StrokeColor = c }
func (r *renderer) SetFillColor(c drawing.Color)      { r.s.FillColor = c }
func (r *renderer) SetStrokeWidth(width float64)      { r.s.StrokeWidth = width }
func (r *renderer) SetStrokeDashArray(dash []float64) { r.s.StrokeDashArray = dash }
func (r *renderer) MoveTo(x, y int)                   { r.gc.MoveTo(float64(x), float64(y)) }
func (r *renderer) LineTo(x, y int)                   { r.gc.LineTo(float64(x), float64(y)) }
func (r *renderer) Close()                            { r.gc.Close() }
func (r *renderer) SetFont(f *truetype.Font)          { r.s.Font = f }
func (r *renderer) SetFontSize(size float64)          { r.s.FontSize = size }
func (r *renderer) SetFontColor(c drawing.Color)      { r.s.FontColor = c }
func (r *renderer) SetTextRotation(radians float64)   { r.rotate = &radians }
func (r *renderer) ClearTextRotation()                { r.rotate = nil }
func (r *renderer) QuadCurveTo(cx, cy, x, y int) {
	r.gc.QuadCurveTo(float64(cx), float64(cy), float64(x), float64(y))
}
func (r *renderer) ArcTo(cx, cy int, rx, ry, a, d float64) {
	r.gc.ArcTo(float64(cx), float64(cy), rx, ry, a, d)
}

func (r *renderer) Stroke() {
	r.gc.SetStrokeColor(r.s.StrokeColor)
	r.gc.SetLineWidth(r.s.StrokeWidth)
	r.gc.SetLineDash(r.s.StrokeDashArray, 0)
	r.gc.Stroke()
}

func (r *renderer) Fill() {
	r.gc.SetFillColor(r.s.FillColor)
	r.gc.Fill()
}

func (r *renderer) FillStroke() {
	r.gc.SetFillColor(r.s.FillColor)
	r.gc.SetStrokeColor(r.s.StrokeColor)
	r.gc.SetLineWidth(r.s.StrokeWidth)
	r.gc.SetLineDash(r.s.StrokeDashArray, 0)
	r.gc.FillStroke()
}

func (r *renderer) Circle(radius float64, x, y int) {
	xf, yf := float64(x), float64(y)
	if !(radius > 0) || math.IsInf(radius, 0) {
		r.gc.MoveTo(xf, yf)
		return
	}
	r.gc.MoveTo(xf+radius, yf)
	r.gc.ArcTo(xf, yf, radius, radius, 0, 2*math.Pi)
}

// fillRect fills the pixel-aligned rectangle [x0,x1)×[y0,y1) with an opaque
// colour, or blends a translucent one as the rasteriser would.
func (r *renderer) fillRect(x0, y0, x1, y1 int, col drawing.Color) {
	rc := image.Rect(x0, y0, x1, y1).Intersect(r.img.Rect)
	if rc.Empty() {
		return
	}
	if col.A != 255 {
		r.SetFillColor(col)
		r.MoveTo(x0, y0)
		r.LineTo(x1, y0)
		r.LineTo(x1, y1)
		r.LineTo(x0, y1)
		r.LineTo(x0, y0)
		r.Fill()
		return
	}
	px := [4]byte{col.R, col.G, col.B, 255}
	row := r.img.Pix[r.img.PixOffset(rc.Min.X, rc.Min.Y):]
	first := row[:4*rc.Dx()]
	for i := 0; i < len(first); i += 4 {
		copy(first[i:], px[:])
	}
	for y := rc.Min.Y + 1; y < rc.Max.Y; y++ {
		row = row[r.img.Stride:]
		copy(row[:len(first)], first)
	}
}

// Text draws body with its baseline at y, starting at x: upright from the
// glyph cache, rotated through chartdraw's path rasteriser.
func (r *renderer) Text(body string, x, y int) {
	if body == "" {
		return
	}
	if r.rotate == nil {
		if err := r.drawText(body, x, y); err != nil {
			r.errs = append(r.errs, err)
		}
		return
	}
	r.gc.SetFont(r.s.Font)
	r.gc.SetFontSize(r.s.FontSize)
	r.gc.SetFillColor(r.s.FontColor)
	tr := r.gc.GetMatrixTransform()
	r.gc.Translate(float64(x), float64(y))
	r.gc.Rotate(*r.rotate)
	if _, err := r.gc.CreateStringPath(body, 0, 0); err != nil {
		r.errs = append(r.errs, err)
	}
	r.gc.Fill()
	r.gc.SetMatrixTransform(tr)
}

// MeasureText returns the width (advance and any ink beyond it) and the em
// height of body in pixels, as chartdraw.PNG measures it.
func (r *renderer) MeasureText(body string) chartdraw.Box {
	right, err := measureText(r.s.Font, r.scale(), body)
	if err != nil {
		return chartdraw.Box{}
	}
	box := chartdraw.Box{
		Right:  int(math.Ceil(right)),
		Bottom: int(math.Ceil(drawing.PointsToPixels(r.gc.GetDPI(), r.s.FontSize))),
		IsSet:  true,
	}
	if r.rotate == nil {
		return box
	}
	return box.Corners().Rotate(chartdraw.RadiansToDegrees(*r.rotate)).Box()
}

// scale is the font size in pixels, in 26.6 fixed point, rounded as
// chartdraw's graphic context rounds it.
func (r *renderer) scale() int32 {
	return int32(math.Round(drawing.PointsToPixels(r.gc.GetDPI(), r.s.FontSize) * 64))
}

// Save hands the image to an RGBA collector (the charts' own encoder takes
// it from there) or writes it as a PNG.
func (r *renderer) Save(w io.Writer) error {
	if len(r.errs) > 0 {
		return r.errs[0]
	}
	if rc, ok := w.(chartdraw.RGBACollector); ok {
		rc.SetRGBA(r.img)
		return nil
	}
	b, err := encodePNG(r.img)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
