package charts

import (
	"errors"
	"math"
	"sync"
	"sync/atomic"

	"github.com/go-analyze/charts/chartdraw/drawing"
	"github.com/golang/freetype/raster"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Text is most of what a chart draws, and chartdraw rasterises every glyph
// outline of every label anew. This file draws upright text from a cache
// instead: each glyph is rasterised once per font size and per 1/64-pixel
// horizontal offset of its origin (the precision chartdraw positions glyphs
// with), with chartdraw's own outline flattening and freetype's rasteriser,
// so a cached mask holds the coverage chartdraw would have computed. A
// string's masks are summed (as one path of all its glyphs would be) and
// blended with the formula of freetype's RGBAPainter. Placement (fallback
// fonts for missing runes, kerning, advances) follows
// drawing.RasterGraphicContext.CreateStringPath.

// glyphKey names a glyph at a size.
type glyphKey struct {
	font  *truetype.Font
	scale fixed.Int26_6 // pixels per em, 26.6
	index truetype.Index
}

// glyphInfo is a glyph's metrics and outline, and its masks once drawn.
type glyphInfo struct {
	advance fixed.Int26_6
	right   fixed.Int26_6 // rightmost outline point from the origin, for measuring
	points  []truetype.Point
	ends    []int
	minX    int // bounds of the outline in whole pixels from the origin,
	minY    int // one pixel wider all round than the outline's points
	maxX    int
	maxY    int
	masks   [64]atomic.Pointer[glyphMask] // by the origin's x offset in 1/64 px
	cached  bool                          // held by the cache, so its masks may be kept
}

// glyphMask is a glyph's coverage: 12-bit alpha (as freetype's rasteriser
// computes it) over w×h pixels, its top left at (minX, minY) from the origin.
type glyphMask struct {
	w, h  int
	alpha []uint16
}

// runeKey names a rune in a primary font.
type runeKey struct {
	font *truetype.Font
	r    rune
}

// runeFont is the font that draws a rune and its glyph there.
type runeFont struct {
	font  *truetype.Font
	index truetype.Index
}

var (
	glyphMu    sync.RWMutex
	glyphs     = map[glyphKey]*glyphInfo{}
	runeFonts  = map[runeKey]runeFont{}
	maskBytes  atomic.Int64 // memory held by cached masks
	glyphBufs  = sync.Pool{New: func() any { return &truetype.GlyphBuf{} }}
	rasterizer = sync.Pool{New: func() any { return raster.NewRasterizer(64, 64) }}
)

// The cache's limits. All the golden charts together need about 200 glyphs
// and 300 KB of masks (a thousand of them). Titles come from people, in any
// script the fonts cover: past the limits glyphs and masks are still drawn,
// just not kept.
const (
	maxGlyphs    = 4096    // glyphs at a size, and runes looked up
	maxMaskBytes = 8 << 20 // memory held by masks
)

// Variables for tests.
var (
	glyphLimit       = maxGlyphs
	maskBudget int64 = maxMaskBytes
)

// fontFor returns the font and glyph that draw r with primary f, trying
// chartdraw's fallback fonts as its CreateStringPath does.
func fontFor(f *truetype.Font, r rune) runeFont {
	k := runeKey{f, r}
	glyphMu.RLock()
	rf, ok := runeFonts[k]
	glyphMu.RUnlock()
	if ok {
		return rf
	}
	rf = runeFont{f, f.Index(r)}
	if rf.index == 0 {
		for _, name := range drawing.FallbackFonts {
			fb := drawing.GetFont(name)
			if fb == nil || f.Name(0) == fb.Name(0) {
				continue
			}
			if i := fb.Index(r); i != 0 {
				rf = runeFont{fb, i}
				break
			}
		}
	}
	glyphMu.Lock()
	if len(runeFonts) < glyphLimit {
		runeFonts[k] = rf
	}
	glyphMu.Unlock()
	return rf
}

// glyph returns the metrics and outline of a glyph, loading them once.
func glyph(k glyphKey) (*glyphInfo, error) {
	glyphMu.RLock()
	g := glyphs[k]
	glyphMu.RUnlock()
	if g != nil {
		return g, nil
	}
	buf := glyphBufs.Get().(*truetype.GlyphBuf)
	defer glyphBufs.Put(buf)
	if err := buf.Load(k.font, k.scale, k.index, font.HintingNone); err != nil {
		return nil, err
	}
	g = &glyphInfo{
		advance: k.font.HMetric(k.scale, k.index).AdvanceWidth,
		points:  append([]truetype.Point(nil), buf.Points...),
		ends:    append([]int(nil), buf.Ends...),
	}
	if n := len(g.ends); n > 0 {
		g.points = g.points[:g.ends[n-1]] // the contours' points, as chartdraw reads them
	} else {
		g.points = nil
	}
	if len(g.points) > 0 {
		lo, hi := fixed.Point26_6{X: math.MaxInt32, Y: math.MaxInt32}, fixed.Point26_6{X: math.MinInt32, Y: math.MinInt32}
		for _, p := range g.points {
			lo.X, lo.Y = min(lo.X, p.X), min(lo.Y, p.Y)
			hi.X, hi.Y = max(hi.X, p.X), max(hi.Y, p.Y)
		}
		g.right = hi.X
		// Y grows downwards on the image: the outline's top is -hi.Y.
		g.minX, g.maxX = lo.X.Floor()-1, hi.X.Ceil()+2
		g.minY, g.maxY = (-hi.Y).Floor()-1, (-lo.Y).Ceil()+1
	}
	glyphMu.Lock()
	if old := glyphs[k]; old != nil {
		g = old
	} else if len(glyphs) < glyphLimit {
		g.cached = true
		glyphs[k] = g
	}
	glyphMu.Unlock()
	return g, nil
}

// mask returns the glyph's coverage with its origin sub pixels to the
// right of a pixel boundary (0 ≤ sub < 64).
func (g *glyphInfo) mask(sub int) *glyphMask {
	if m := g.masks[sub].Load(); m != nil {
		return m
	}
	w, h := g.maxX-g.minX, g.maxY-g.minY
	m := &glyphMask{w: w, h: h, alpha: make([]uint16, w*h)}
	r := rasterizer.Get().(*raster.Rasterizer)
	defer rasterizer.Put(r)
	r.SetBounds(w, h)
	r.UseNonZeroWinding = true // chartdraw fills text with the non-zero rule
	var path drawing.Path
	dx, dy := float64(sub)/64-float64(g.minX), -float64(g.minY)
	e0 := 0
	for _, e1 := range g.ends {
		drawing.DrawContour(&path, g.points[e0:e1], dx, dy)
		e0 = e1
	}
	id := drawing.NewIdentityMatrix()
	drawing.Flatten(&path, drawing.Transformer{Tr: id, Flattener: drawing.FtLineBuilder{Adder: r}}, id.GetScale())
	r.Rasterize(maskPainter{m})
	r.Clear()
	if !g.cached {
		return m
	}
	if maskBytes.Add(int64(2*len(m.alpha))) <= maskBudget {
		if !g.masks[sub].CompareAndSwap(nil, m) {
			maskBytes.Add(-int64(2 * len(m.alpha)))
			return g.masks[sub].Load()
		}
	} else {
		maskBytes.Add(-int64(2 * len(m.alpha)))
	}
	return m
}

// maskPainter records a rasteriser's spans in a glyph mask.
type maskPainter struct{ m *glyphMask }

func (p maskPainter) Paint(ss []raster.Span, _ bool) {
	for _, s := range ss {
		if s.Y < 0 || s.Y >= p.m.h {
			continue
		}
		row := p.m.alpha[s.Y*p.m.w : (s.Y+1)*p.m.w]
		a := uint16(s.Alpha >> 4) // back to the rasteriser's 12 bits
		for x := max(s.X0, 0); x < min(s.X1, p.m.w); x++ {
			row[x] = a
		}
	}
}

// placedGlyph is a glyph of a string and where its origin falls, in 1/64 px
// from the string's start.
type placedGlyph struct {
	g *glyphInfo
	x fixed.Int26_6
}

// layoutText places the glyphs of s in f at scale, as chartdraw's
// CreateStringPath does (its float sums of 26.6 values are exact). It
// returns the glyphs and the advance of the whole string.
func layoutText(dst []placedGlyph, f *truetype.Font, scale fixed.Int26_6, s string) ([]placedGlyph, fixed.Int26_6, error) {
	if f == nil {
		return dst, 0, errors.New("charts: no font set")
	}
	var x fixed.Int26_6
	var prev runeFont
	for i, r := range s {
		cur := fontFor(f, r)
		if i > 0 {
			next := cur.index
			if prev.font != cur.font {
				next = prev.font.Index(r)
			}
			x += prev.font.Kern(scale, prev.index, next)
		}
		g, err := glyph(glyphKey{cur.font, scale, cur.index})
		if err != nil {
			return dst, x, err
		}
		dst = append(dst, placedGlyph{g, x})
		x += g.advance
		prev = cur
	}
	return dst, x, nil
}

// measureText returns how far right of its start s reaches in pixels: its
// advance, or the rightmost point of its outlines when further.
func measureText(f *truetype.Font, scale int32, s string) (float64, error) {
	var right fixed.Int26_6
	var buf [64]placedGlyph
	gs, adv, err := layoutText(buf[:0], f, fixed.Int26_6(scale), s)
	if err != nil {
		return 0, err
	}
	for _, pg := range gs {
		if len(pg.g.points) > 0 {
			right = max(right, pg.x+pg.g.right)
		}
	}
	return float64(max(right, adv)) / 64, nil
}

// textScratch is a renderer's reusable buffers for drawing text.
type textScratch struct {
	glyphs []placedGlyph
	cover  []uint16
}

// drawText draws s upright in the current font, size and colour with its
// baseline at y and its start at x.
func (r *renderer) drawText(s string, x, y int) error {
	gs, _, err := layoutText(r.text.glyphs[:0], r.s.Font, fixed.Int26_6(r.scale()), s)
	r.text.glyphs = gs
	if err != nil {
		return err
	}
	// The string's bounds on the image, clipped to it.
	x0, y0, x1, y1 := math.MaxInt, math.MaxInt, math.MinInt, math.MinInt
	for _, pg := range gs {
		if len(pg.g.points) == 0 {
			continue
		}
		ox := x + pg.x.Floor()
		x0, x1 = min(x0, ox+pg.g.minX), max(x1, ox+pg.g.maxX)
		y0, y1 = min(y0, y+pg.g.minY), max(y1, y+pg.g.maxY)
	}
	if x0 > x1 { // only white space
		return nil
	}
	if b := r.img.Rect; x0 < b.Min.X || y0 < b.Min.Y || x1 > b.Max.X || y1 > b.Max.Y {
		// Past an edge freetype folds the coverage beyond it into the first
		// row or column; leave that to chartdraw's rasteriser.
		r.gc.SetFont(r.s.Font)
		r.gc.SetFontSize(r.s.FontSize)
		r.gc.SetFillColor(r.s.FontColor)
		_, err := r.gc.CreateStringPath(s, float64(x), float64(y))
		r.gc.Fill()
		return err
	}
	w, h := x1-x0, y1-y0
	if cap(r.text.cover) < w*h {
		r.text.cover = make([]uint16, w*h)
	}
	cover := r.text.cover[:w*h]
	clear(cover)
	// Sum the glyphs' coverage, as the rasteriser sums a path's area.
	for _, pg := range gs {
		if len(pg.g.points) == 0 {
			continue
		}
		m := pg.g.mask(int(pg.x & 63))
		gx, gy := x+pg.x.Floor()+pg.g.minX, y+pg.g.minY
		for j := max(0, y0-gy); j < min(m.h, y1-gy); j++ {
			src := m.alpha[j*m.w : (j+1)*m.w]
			dst := cover[(gy+j-y0)*w : (gy+j-y0+1)*w]
			for i := max(0, x0-gx); i < min(m.w, x1-gx); i++ {
				if a := src[i]; a != 0 {
					dst[gx+i-x0] = min(dst[gx+i-x0]+a, 0x0fff)
				}
			}
		}
	}
	// Blend with the text colour as freetype's RGBAPainter does (Over).
	const m = 1<<16 - 1
	cr, cg, cb, ca := r.s.FontColor.RGBA()
	for j := range h {
		row := cover[j*w : (j+1)*w]
		pix := r.img.Pix[r.img.PixOffset(x0, y0+j):]
		for i, a12 := range row {
			if a12 == 0 {
				continue
			}
			ma := uint32(a12)<<4 | uint32(a12)>>8
			a := (m - (ca * ma / m)) * 0x101
			p := pix[4*i : 4*i+4 : 4*i+4]
			p[0] = uint8((uint32(p[0])*a + cr*ma) / m >> 8)
			p[1] = uint8((uint32(p[1])*a + cg*ma) / m >> 8)
			p[2] = uint8((uint32(p[2])*a + cb*ma) / m >> 8)
			p[3] = uint8((uint32(p[3])*a + ca*ma) / m >> 8)
		}
	}
	return nil
}
