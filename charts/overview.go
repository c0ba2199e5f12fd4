package charts

import (
	"fmt"
	"math"
	"strings"
)

// Bar is one objective in an Overview. Progress and Expected are fractions
// (0.42 = 42 %); Progress may exceed 1 (over-achievement). Expected is the
// progress the objective should have by now; NaN leaves its marker out.
type Bar struct {
	Title              string
	Progress, Expected float64
}

// Overview is the input of OverviewChart.
type Overview struct {
	Title      string
	Objectives []Bar
	text       *overviewText // nil: progress against pace
}

// overviewText is what an overview's words say: progress against pace by
// default, grades against 0.7 for GradesChart.
type overviewText struct {
	subtitle, ahead, behind, expected, axis string
	short                                   string                 // the expected value's label beside a bar
	value                                   func(v float64) string // a bar's value
	tick                                    func(v, step float64) string
}

var progressText = overviewText{
	subtitle: "Progress towards each objective's target, against the progress expected by today",
	ahead:    "On or ahead of pace", behind: "Behind pace", expected: "Expected by today",
	axis: "Progress (% of target)", short: "exp.",
	value: func(v float64) string { return formatValue(v*100, "%", 1) },
	tick:  func(v, step float64) string { return formatValue(v*100, "%", step*100) },
}

func (o Overview) words() overviewText {
	if o.text != nil {
		return *o.text
	}
	return progressText
}

const (
	overviewWidth     = 960
	overviewMinHeight = 400
	overviewMaxHeight = 1400
	overviewMaxRowH   = 40
	overviewMinRowH   = 18
	overviewMaxAxis   = 3.0 // the X axis stops at 300 %; longer bars are cut
)

var (
	colAhead  = palette[0] // blue
	colBehind = palette[1] // orange
)

// OverviewChart draws one horizontal bar per objective as a PNG: its progress
// (blue when on or ahead of pace, orange when behind) over a grey 0–100 %
// track, with a black tick at the progress expected by today. The X axis runs
// from 0 to 100 % and further when an objective is beyond its target. The
// image grows taller with the number of objectives, up to a cap; objectives
// that still do not fit are counted in a note.
func OverviewChart(o Overview) ([]byte, error) {
	// Lay out on a scratch canvas (1×1 pixels, same fonts) to size the image.
	scratch := newCanvas(1, 1)
	scratch.w, scratch.h = overviewWidth, overviewMinHeight
	lay := layoutOverview(scratch, o)
	scratch.r.release()
	c := newCanvas(overviewWidth, lay.height)
	drawOverview(c, o, lay)
	png, err := c.encode()
	if err != nil {
		return nil, fmt.Errorf("charts: overview chart: %w", err)
	}
	return png, nil
}

type overviewLayout struct {
	height        int
	title         string
	legend        []placedLegendItem
	legendTop     int
	plotTop       int // first row's top
	rowsBottom    int // bottom of the last row: the X axis line
	rowH, shown   int // row height; rows drawn
	labelW        int // width of the title column
	plotL, plotR  int // X of 0 and of the axis end
	xMax, xStep   float64
	axisNameY     int
	moreNoteY     int
	tickLabelBase int
}

func layoutOverview(c *canvas, o Overview) overviewLayout {
	var l overviewLayout
	l.title = o.Title
	if strings.TrimSpace(l.title) == "" {
		l.title = "Objectives"
	}
	maxW := c.w - 2*outerMargin
	words := o.words()
	items := []legendItem{
		{label: words.ahead, kind: legendBar, color: colAhead},
		{label: words.behind, kind: legendBar, color: colBehind},
		{label: words.expected, kind: legendExpected, color: colBlack},
	}
	var rows int
	l.legend, rows = c.layoutLegend(items, maxW, maxW)
	l.legendTop = c.headerBottom() + 4
	l.plotTop = l.legendTop + rows*c.legendRowHeight() + 14

	_, tickH := c.measure("Ag", sizeTick, false)
	_, nameH := c.measure("Ag", sizeAxisName, false)
	bottom := 8 + tickH + 10 + nameH + outerMargin // tick labels and axis name below the rows
	n := len(o.Objectives)
	if n == 0 {
		l.height = overviewMinHeight
		l.rowH = 0
	} else {
		avail := overviewMaxHeight - l.plotTop - bottom
		l.rowH = min(overviewMaxRowH, avail/n)
		l.shown = n
		if l.rowH < overviewMinRowH {
			l.rowH = overviewMinRowH
			l.shown = (avail - 22) / l.rowH // keep room for the "more" note
		}
		l.height = l.plotTop + l.shown*l.rowH + bottom
		if l.shown < n {
			l.height += 22
		}
		l.height = max(l.height, overviewMinHeight)
		l.height = min(l.height, overviewMaxHeight)
		// Spread the rows over the minimum height when there are few.
		if free := l.height - l.plotTop - bottom - l.shown*l.rowH; l.shown == n && free > 0 {
			l.rowH += free / n
		}
	}
	l.rowsBottom = l.plotTop + l.shown*l.rowH
	if n == 0 {
		l.rowsBottom = l.height - bottom
	}
	l.tickLabelBase = l.rowsBottom + 8 + tickH - 3
	l.axisNameY = l.tickLabelBase + 10 + nameH
	if l.shown < n {
		l.moreNoteY = l.axisNameY + 22
	}

	// Title column: as wide as the longest title, within 20–36 % of the width.
	l.labelW = 0
	for _, b := range o.Objectives[:l.shown] {
		w, _ := c.measure(shorten(b.Title, 200), sizeLegend, false)
		l.labelW = max(l.labelW, w)
	}
	l.labelW = min(max(l.labelW, c.w*20/100), c.w*36/100)

	// Axis: 0–100 %, extended (in nice steps, up to a cap) past the largest value.
	hi := 1.0
	for _, b := range o.Objectives {
		for _, v := range []float64{b.Progress, b.Expected} {
			if finite(v) && v > hi {
				hi = v
			}
		}
	}
	hi = math.Min(hi, overviewMaxAxis)
	if hi <= 1 {
		l.xMax, l.xStep = 1, 0.2
	} else {
		_, mx, st := axisRange(0, hi*100, 9)
		l.xMax, l.xStep = mx/100, st/100
	}
	l.plotL = outerMargin + l.labelW + 12
	valueW, _ := c.measure("100% (exp. 100%)", sizeSmall, false)
	l.plotR = c.w - outerMargin - min(valueW+10, 150)
	return l
}

// barX maps a fraction to an X coordinate on the overview axis.
func (l overviewLayout) barX(v float64) int {
	v = math.Max(0, math.Min(v, l.xMax))
	return l.plotL + int(math.Round(v/l.xMax*float64(l.plotR-l.plotL)))
}

func drawOverview(c *canvas, o Overview, l overviewLayout) {
	c.rect(0, 0, c.w, c.h, colWhite)
	words := o.words()
	subtitle := words.subtitle
	if len(o.Objectives) > 0 {
		subtitle = fmt.Sprintf("%d objectives · ", len(o.Objectives)) + subtitle
		if len(o.Objectives) == 1 {
			subtitle = "1 objective · " + subtitle[len("1 objectives · "):]
		}
	}
	c.header(l.title, subtitle)
	c.drawLegend(l.legend, outerMargin, l.legendTop)

	rowsBottom := l.rowsBottom

	// Grid lines and tick labels.
	for _, v := range tickValues(0, l.xMax, l.xStep) {
		x := l.barX(v)
		col := colGrid
		if math.Abs(v-1) < 1e-9 && l.xMax > 1 {
			col = colAxis // the target
		}
		c.rect(x, l.plotTop-6, x+1, rowsBottom, col)
		label := words.tick(v, l.xStep)
		tw, _ := c.measure(label, sizeTick, false)
		c.text(label, x-tw/2, l.tickLabelBase, sizeTick, false, colMuted)
	}
	c.rect(l.plotL, rowsBottom, l.plotR+1, rowsBottom+1, colAxis)
	name := words.axis
	nw, _ := c.measure(name, sizeAxisName, false)
	c.text(name, l.plotL+(l.plotR-l.plotL)/2-nw/2, l.axisNameY, sizeAxisName, false, colMuted)

	if len(o.Objectives) == 0 {
		c.message("No objectives yet", l.plotL+(l.plotR-l.plotL)/2, l.plotTop+(rowsBottom-l.plotTop)/2)
		return
	}

	_, labelH := c.measure("Ag", sizeLegend, false)
	_, smallH := c.measure("Ag", sizeSmall, false)
	barH := min(max(int(float64(l.rowH)*0.5), 8), 26)
	for i, b := range o.Objectives[:l.shown] {
		top := l.plotTop + i*l.rowH
		mid := top + l.rowH/2

		title := c.fit(b.Title, l.labelW, sizeLegend, false)
		if strings.TrimSpace(title) == "" {
			title = fmt.Sprintf("Objective %d", i+1)
		}
		tw, _ := c.measure(title, sizeLegend, false)
		c.text(title, l.plotL-12-tw, mid+labelH/2-3, sizeLegend, false, colText)

		y0, y1 := mid-barH/2, mid-barH/2+barH
		c.rect(l.plotL, y0, l.barX(1), y1, colTrack)
		hasProgress := finite(b.Progress)
		hasExpected := finite(b.Expected)
		end := l.plotL
		if hasProgress {
			col := colAhead
			if hasExpected && b.Progress < b.Expected-0.005 {
				col = colBehind
			}
			end = l.barX(b.Progress)
			c.rect(l.plotL, y0, end, y1, col)
			if b.Progress > l.xMax { // cut: show a white notch at the end
				c.rect(end-6, y0, end-4, y1, colWhite)
			}
		}
		if hasExpected {
			x := l.barX(b.Expected)
			c.rect(x-1, y0-4, x+2, y1+4, colBlack)
			end = max(end, x+2)
		}

		// Value label right of the bar (and of the tick).
		value := "no data"
		if hasProgress {
			value = words.value(b.Progress)
		}
		vw, _ := c.measure(value, sizeLegend, true)
		exp := ""
		ew := 0
		if hasExpected && words.short != "" {
			exp = "(" + words.short + " " + words.value(b.Expected) + ")"
			ew, _ = c.measure(exp, sizeSmall, false)
			ew += 5
		}
		tx := end + 6
		c.rect(tx-2, mid-labelH/2-1, tx+vw+ew+3, mid+labelH/2+1, colWhite) // over grid lines
		c.text(value, tx, mid+labelH/2-3, sizeLegend, true, colText)
		if exp != "" {
			c.text(exp, tx+vw+5, mid+smallH/2-3, sizeSmall, false, colMuted)
		}
	}
	if l.shown < len(o.Objectives) {
		note := fmt.Sprintf("+ %d more objectives not shown", len(o.Objectives)-l.shown)
		c.text(note, outerMargin, l.moreNoteY, sizeSmall, false, colMuted)
	}
}
