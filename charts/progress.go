package charts

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/go-analyze/charts/chartdraw"
	"github.com/go-analyze/charts/chartdraw/drawing"
)

// Point is one check-in: the value a key result had at a moment, and the
// progress that value stands for as the caller's domain scores it.
type Point struct {
	At    time.Time
	Value float64 // raw value, in the key result's unit
	// Progress is the achievement at Value as a fraction: 0 at the start,
	// 1 at the target (or while a threshold holds, or once a milestone is
	// done), above 1 beyond the target. The chart plots it as given and
	// never derives it from Value.
	Progress float64
}

// Goal is what a key result aims at. It decides how the target is drawn,
// never how progress is computed.
type Goal int

const (
	// Reach: move from Start to Target during the cycle. The target is an
	// ideal-pace ramp from Start at the cycle start to Target at its end.
	Reach Goal = iota
	// StayAbove: hold at or above Target, a horizontal threshold line.
	StayAbove
	// StayBelow: hold at or below Target, a horizontal threshold line.
	StayBelow
	// Milestone: done (Value 1) or not (Value 0).
	Milestone
)

// discrete reports whether the goal's progress only takes the values 0 and
// 1 (thresholds and milestones); such lines are drawn as steps.
func (g Goal) discrete() bool { return g == StayAbove || g == StayBelow || g == Milestone }

// KeyResult is one measurable result and its check-ins.
type KeyResult struct {
	Title string
	// Unit is the display unit: "" (plain number), "%", a currency symbol
	// used as a prefix ("$", "€", "£") or any short suffix such as "ms".
	Unit string
	Goal Goal
	// Start is the value the line begins with at the cycle start, and
	// StartProgress the progress it stands for (0 for a Reach key result;
	// 0 or 1 for a threshold).
	Start, StartProgress float64
	// Target is the value to reach or the threshold to hold.
	Target float64
	// Earlier are the targets Target replaced during the cycle, oldest
	// first: each was the target until its Until. A single key result's
	// target line steps at each of those moments.
	Earlier []TargetStep
	// Points are the check-ins, in any order. Points whose Value or
	// Progress is not finite, or that lie outside the cycle, are left out.
	Points []Point
}

// TargetStep is a target that held until a moment.
type TargetStep struct {
	Until  time.Time
	Target float64
}

// Progress is the input of ProgressChart.
type Progress struct {
	Title                string // chart title, e.g. the objective
	CycleStart, CycleEnd time.Time
	// Now is marked with a vertical "Today" line, clamped to the cycle; the
	// zero time draws no marker.
	Now        time.Time
	KeyResults []KeyResult
}

const (
	progressWidth  = 960
	progressHeight = 480
)

// ProgressChart draws key-result progress over the cycle as a PNG.
//
// The X axis is the cycle (start to end) with date ticks. Each key result is
// a line that starts at its Start at CycleStart and follows its check-ins
// (marked with a shape per key result). With one key result its raw values
// are plotted with its unit, next to its target: a dashed "ideal pace" ramp
// from Start to Target for a Reach key result, a dashed horizontal line at
// the threshold for StayAbove and StayBelow, and a Not done / Done axis for a
// milestone. With several, each line plots the Progress its points carry, in
// % of target, against one ideal line from 0 % to 100 %; there the lines of
// thresholds and milestones, whose progress is 0 or 1, are drawn as steps,
// a few pixels apart so that none hides another (a milestone is a step in
// either view). The chart never computes progress.
func ProgressChart(p Progress) ([]byte, error) {
	d := prepareProgress(p)
	c := newCanvas(progressWidth, progressHeight)

	// Header and legend sizes decide where the plot goes.
	title := p.Title
	if strings.TrimSpace(title) == "" {
		title = "Key result progress"
	}
	maxW := c.w - 2*outerMargin
	legend, rows := c.layoutLegend(d.legend, maxW, maxW*45/100)
	legendTop := c.headerBottom() + 4
	plotTop := legendTop + rows*c.legendRowHeight() + 10
	_, nameH := c.measure("Ag", sizeAxisName, false)
	leftPad := outerMargin + nameH + 10

	plotH := progressHeight - plotTop - outerMargin - 30
	yMin, yMax, yStep := axisRange(d.lo, d.hi, min(max(plotH/44, 4), 9))
	if d.doneAxis {
		yMin, yMax, yStep = 0, 1, 1
	}
	// An unlabelled tick a little below the lowest one keeps values at the
	// bottom (a 0 % start, a 0/1 milestone) off the X axis line.
	yTicks := []chartdraw.Tick{{Value: yMin - (yMax-yMin)*0.025}}
	yVals := tickValues(yMin, yMax, yStep)
	// The axis covers every value except with absurd inputs (near ±MaxFloat64);
	// pin those to its edges rather than drawing far off the canvas.
	for _, s := range d.series {
		for i, v := range s.ys {
			s.ys[i] = math.Max(yMin, math.Min(v, yMax))
		}
	}
	for i, v := range d.ideal {
		d.ideal[i] = math.Max(yMin, math.Min(v, yMax))
	}
	for _, v := range yVals {
		label := formatValue(v, d.yUnit, yStep)
		if d.doneAxis {
			label = doneLabel(v)
		}
		yTicks = append(yTicks, chartdraw.Tick{Value: v, Label: label})
	}
	if d.doneAxis { // headroom above "Done" for the "Today" label
		yTicks = append(yTicks, chartdraw.Tick{Value: 1.15})
	}

	labelW, _ := c.measure("Sep 30", sizeTick, false)
	plotW := progressWidth - leftPad - outerMargin - 60
	dts := dateTicks(d.start, d.end, max(plotW/(labelW+40), 2))
	xTicks := make([]chartdraw.Tick, 0, len(dts)+2)
	if len(dts) == 0 || !dts[0].At.Equal(d.start) {
		xTicks = append(xTicks, chartdraw.Tick{Value: 0})
	}
	for _, t := range dts {
		xTicks = append(xTicks, chartdraw.Tick{Value: daysBetween(d.start, t.At), Label: t.Label})
	}
	if len(dts) == 0 || !dts[len(dts)-1].At.Equal(d.end) {
		xTicks = append(xTicks, chartdraw.Tick{Value: d.span})
	}
	if len(dts) < 2 { // too short (or absurdly long) for aligned ticks: label the ends
		layout := "Jan 2, 2006"
		if d.span < 3 {
			layout = "Jan 2, 15:04"
		}
		xTicks = []chartdraw.Tick{{Value: 0, Label: d.start.Format(layout)}, {Value: d.span, Label: d.end.Format(layout)}}
	}

	axisStyle := chartdraw.Style{
		StrokeColor: colAxis,
		StrokeWidth: 1,
		FontStyle:   chartdraw.FontStyle{FontSize: sizeTick, FontColor: colMuted, Font: c.regular},
	}
	yAxisStyle := axisStyle // labels only: the grid lines do the rest
	yAxisStyle.StrokeColor = chartdraw.ColorTransparent
	chart := chartdraw.Chart{
		Width:  progressWidth,
		Height: progressHeight,
		Font:   c.regular,
		Background: chartdraw.Style{
			FillColor: colWhite,
			Padding: chartdraw.Box{
				Top: plotTop, Left: leftPad, Right: outerMargin + 8, Bottom: outerMargin,
				IsSet: true,
			},
		},
		Canvas: chartdraw.Style{FillColor: colWhite},
		XAxis:  chartdraw.XAxis{Style: axisStyle, Ticks: xTicks},
		// The primary axis is drawn on the right; it stays hidden and every
		// series uses the secondary (left) axis. A fixed range keeps the
		// library from deriving a non-finite one from no series.
		YAxis:          chartdraw.YAxis{Style: chartdraw.Hidden(), Range: &chartdraw.ContinuousRange{Min: 0, Max: 1}},
		YAxisSecondary: chartdraw.YAxis{Style: yAxisStyle, Ticks: yTicks},
	}

	// Behind everything: grid lines and the "today" line.
	chart.Series = append(chart.Series, layer{func(r chartdraw.Renderer, cb chartdraw.Box, xr, yr chartdraw.Range) {
		for _, v := range yVals {
			y := cb.Bottom - yr.Translate(v)
			c.rect(cb.Left, y, cb.Right, y+1, colGrid)
		}
		for _, t := range xTicks {
			if t.Label == "" {
				continue
			}
			x := cb.Left + xr.Translate(t.Value)
			c.rect(x, cb.Top, x+1, cb.Bottom, colGrid)
		}
		if d.hasNow {
			x := cb.Left + xr.Translate(d.now)
			c.rect(x-1, cb.Top, x+1, cb.Bottom, colToday)
		}
	}})
	if d.ideal != nil {
		chart.Series = append(chart.Series, chartdraw.ContinuousSeries{
			Name:    "Ideal pace",
			YAxis:   chartdraw.YAxisSecondary,
			XValues: d.idealXs,
			YValues: d.ideal,
			Style: chartdraw.Style{
				StrokeColor: colIdeal, StrokeWidth: 2, StrokeDashArray: idealDash,
			},
		})
	}
	for _, s := range d.series {
		if s.dy == 0 {
			chart.Series = append(chart.Series, chartdraw.ContinuousSeries{
				Name:    s.label,
				YAxis:   chartdraw.YAxisSecondary,
				XValues: s.xs,
				YValues: s.ys,
				Style:   chartdraw.Style{StrokeColor: s.color, StrokeWidth: 2.5},
			})
			continue
		}
		// Shifted a few pixels: stroked here, as chartdraw would.
		chart.Series = append(chart.Series, layer{func(r chartdraw.Renderer, cb chartdraw.Box, xr, yr chartdraw.Range) {
			r.SetStrokeColor(s.color)
			r.SetStrokeWidth(2.5)
			r.SetStrokeDashArray(nil)
			for i := range s.xs {
				x, y := cb.Left+xr.Translate(s.xs[i]), cb.Bottom-yr.Translate(s.ys[i])+s.dy
				if i == 0 {
					r.MoveTo(x, y)
				} else {
					r.LineTo(x, y)
				}
			}
			r.Stroke()
		}})
	}
	// On top: check-in markers, the "Today" label and the empty-state notice.
	chart.Series = append(chart.Series, layer{func(r chartdraw.Renderer, cb chartdraw.Box, xr, yr chartdraw.Range) {
		for _, s := range d.series {
			for _, i := range s.marks {
				c.marker(s.shape, cb.Left+xr.Translate(s.xs[i]), cb.Bottom-yr.Translate(s.ys[i])+s.dy, 4.5, s.color)
			}
		}
		if d.hasNow {
			x := cb.Left + xr.Translate(d.now)
			tw, th := c.measure("Today", sizeSmall, true)
			tx := x + 6
			if tx+tw > cb.Right-2 {
				tx = x - 6 - tw
			}
			ty := cb.Top + th + 1
			c.rect(tx-3, cb.Top+2, tx+tw+3, ty+4, colWhite)
			c.text("Today", tx, ty, sizeSmall, true, colToday)
		}
		if d.checkIns == 0 {
			c.message("No check-ins yet", cb.Left+cb.Width()/2, cb.Top+cb.Height()/2)
		}
	}})

	chart.Elements = []chartdraw.Renderable{func(r chartdraw.Renderer, cb chartdraw.Box, _ chartdraw.Style) {
		c.header(title, d.subtitle)
		c.drawLegend(legend, outerMargin, legendTop)
		name := c.fit(d.yName, cb.Height(), sizeAxisName, false)
		nw, _ := c.measure(name, sizeAxisName, false)
		c.textRotated(name, outerMargin+nameH-4, cb.Top+cb.Height()/2+nw/2, sizeAxisName, false, colMuted)
	}}

	defer c.r.release()
	var rc rgbaCollector
	if err := chart.Render(func(int, int) chartdraw.Renderer { return c.r }, &rc); err != nil {
		return nil, fmt.Errorf("charts: progress chart: %w", err)
	}
	return rc.png()
}

// layer is a chartdraw series that draws freely with the chart's ranges;
// it adds no values to the axes.
type layer struct {
	draw func(r chartdraw.Renderer, canvasBox chartdraw.Box, xr, yr chartdraw.Range)
}

func (layer) GetName() string               { return "" }
func (layer) GetYAxis() chartdraw.YAxisType { return chartdraw.YAxisSecondary }
func (layer) GetStyle() chartdraw.Style     { return chartdraw.Style{} }
func (layer) Validate() error               { return nil }
func (l layer) Render(r chartdraw.Renderer, cb chartdraw.Box, xr, yr chartdraw.Range, _ chartdraw.Style) {
	l.draw(r, cb, xr, yr)
}

// progressData is the chart-ready form of a Progress.
type progressData struct {
	start, end time.Time
	span       float64 // cycle length in days, > 0
	now        float64 // days from start, when hasNow
	hasNow     bool

	series   []krLine
	checkIns int       // plotted check-ins over all key results
	ideal    []float64 // Y of the target line at idealXs, nil when unknown
	idealXs  []float64 // days from start: 0, the corners of target changes, span
	lo, hi   float64   // value range to show
	yUnit    string    // unit of the Y tick labels
	yName    string    // Y axis title
	doneAxis bool      // a milestone on its own: ticks "Not done" at 0 and "Done" at 1
	subtitle string
	legend   []legendItem
}

type krLine struct {
	label  string
	color  drawing.Color
	shape  markerShape
	xs, ys []float64 // days from cycle start; plotted values (with the corners of steps)
	marks  []int     // indexes in xs and ys of the check-ins, which get markers
	dy     int       // pixels to draw the line below its values, to keep 0/100 % steps apart
}

// stepSpread is how many pixels apart threshold and milestone lines are
// drawn in the % view.
const stepSpread = 3.0

// add appends a point to the line; step draws it as a step from the
// previous point (level, then up or down).
func (l *krLine) add(x, y float64, step bool) {
	if n := len(l.ys); step && n > 0 && l.ys[n-1] != y {
		l.xs, l.ys = append(l.xs, x), append(l.ys, l.ys[n-1])
	}
	l.xs, l.ys = append(l.xs, x), append(l.ys, y)
}

func prepareProgress(p Progress) progressData {
	var d progressData
	d.start, d.end = p.CycleStart, p.CycleEnd
	if d.end.Before(d.start) {
		d.start, d.end = d.end, d.start
	}
	if !d.end.After(d.start) {
		d.end = d.start.Add(24 * time.Hour)
	}
	d.span = daysBetween(d.start, d.end)
	if !p.Now.IsZero() {
		now := p.Now
		if now.Before(d.start) {
			now = d.start
		}
		if now.After(d.end) {
			now = d.end
		}
		d.now, d.hasNow = daysBetween(d.start, now), true
	}

	single := len(p.KeyResults) == 1
	lo, hi := math.Inf(1), math.Inf(-1)
	include := func(v float64) {
		if finite(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}

	discrete := false
	for i, kr := range p.KeyResults {
		discrete = discrete || kr.Goal.discrete()
		// One key result shows its raw values; several show the progress
		// they were given, in percent. Nothing here scores a value.
		plotted := func(value, progress float64) float64 {
			if single {
				return value
			}
			return progress * 100
		}
		step := kr.Goal == Milestone || !single && kr.Goal.discrete()
		// Shapes cycle out of step with colours: no two lines look the same.
		line := krLine{color: seriesColor(i), shape: markerShape(i+i/len(palette)) % shapeCount}
		if base := plotted(kr.Start, kr.StartProgress); finite(base) {
			line.add(0, base, step)
		}
		pts := slices.Clone(kr.Points)
		slices.SortStableFunc(pts, func(a, b Point) int { return a.At.Compare(b.At) })
		for _, pt := range pts {
			v := plotted(pt.Value, pt.Progress)
			if !finite(pt.Value) || !finite(pt.Progress) || !finite(v) || pt.At.Before(d.start) || pt.At.After(d.end) {
				continue
			}
			line.add(daysBetween(d.start, pt.At), v, step)
			line.marks = append(line.marks, len(line.ys)-1)
		}
		for _, v := range line.ys {
			include(v)
		}
		d.checkIns += len(line.marks)

		line.label = shorten(kr.Title, 120)
		if line.label == "" {
			line.label = fmt.Sprintf("Key result %d", i+1)
		}
		var suffix string
		if n := len(line.marks); n > 0 {
			last := line.ys[line.marks[n-1]]
			switch {
			case !single:
				suffix = " · " + formatValue(last, "%", 1)
			case kr.Goal == Milestone:
				suffix = " · " + doneLabel(last)
			default: // up to two decimals: 99.97 % must not read "100%" next to a 99.9 % threshold
				suffix = " · " + formatValue(last, kr.Unit, 0)
			}
		}
		d.series = append(d.series, line)
		d.legend = append(d.legend, legendItem{label: line.label, suffix: suffix, kind: legendLine, color: line.color, shape: line.shape})
	}

	// Several threshold and milestone lines would hide each other at 0 and
	// 100 %: spread them a few pixels apart, around their true level.
	if !single {
		var steps []int
		for i, kr := range p.KeyResults {
			if kr.Goal.discrete() {
				steps = append(steps, i)
			}
		}
		for k, i := range steps {
			d.series[i].dy = int(math.Round((float64(k) - float64(len(steps)-1)/2) * stepSpread))
		}
	}

	idealLabel := "Ideal pace"
	var goal string // the single key result's target, for the subtitle
	if single {
		kr := p.KeyResults[0]
		d.yUnit = cleanUnit(kr.Unit)
		d.yName = shorten(kr.Title, 80)
		if d.yName == "" {
			d.yName = "Value"
		}
		if d.yUnit != "" && kr.Goal != Milestone {
			d.yName += " (" + d.yUnit + ")"
		}
		val := func(v float64) string { return formatValue(v, kr.Unit, autoStep(v)) }
		switch kr.Goal {
		case StayAbove, StayBelow:
			include(kr.Target)
			if finite(kr.Target) {
				sign, words := "≥", "stay at or above "
				if kr.Goal == StayBelow {
					sign, words = "≤", "stay at or below "
				}
				d.idealXs, d.ideal = d.targetLine(kr, func(_, t float64) float64 { return t })
				for _, y := range d.ideal {
					include(y)
				}
				idealLabel = "Threshold: " + sign + " " + val(kr.Target) + wasLabel(kr, val)
				goal = words + val(kr.Target)
			}
		case Milestone:
			d.doneAxis = true
			lo, hi = 0, 1
			goal = "milestone: done or not done"
		default:
			include(kr.Start)
			include(kr.Target)
			if finite(kr.Start) && finite(kr.Target) {
				d.idealXs, d.ideal = d.targetLine(kr, func(x, t float64) float64 { return kr.Start + (t-kr.Start)*x/d.span })
				for _, y := range d.ideal {
					include(y)
				}
				idealLabel = "Ideal pace: " + val(kr.Start) + " → " + val(kr.Target) + wasLabel(kr, val)
				goal = "from " + val(kr.Start) + " to " + val(kr.Target)
			}
		}
	} else {
		d.yUnit, d.yName = "%", "% of target"
		include(0)
		include(100)
		d.idealXs, d.ideal = []float64{0, d.span}, []float64{0, 100}
		idealLabel = "Ideal pace: 0 → 100%"
	}
	if d.ideal != nil {
		d.legend = append(d.legend, legendItem{label: idealLabel, kind: legendDashed, color: colIdeal})
	}
	if !(lo <= hi) { // nothing finite at all
		lo, hi = 0, 100
	}
	// Leave a little headroom above the highest value for the "Today" label.
	if h := hi + (hi-lo)*0.04; hi > lo && finite(h) && !d.doneAxis {
		hi = h
	}
	d.lo, d.hi = lo, hi

	d.subtitle = dateRange(d.start, d.end)
	switch {
	case len(p.KeyResults) == 0:
		d.subtitle += " · no key results"
	case single:
		if goal != "" {
			d.subtitle += " · " + goal
		}
	default:
		d.subtitle += fmt.Sprintf(" · %d key results, each as %% of its target", len(p.KeyResults))
		if discrete {
			d.subtitle += " (thresholds and milestones count 0 or 100%)"
		}
	}
	return d
}

// doneLabel names a milestone's value.
// targetLine is a single key result's target line: at(x, t) is its Y at x
// days into the cycle while the target is t. It steps where an earlier
// target (kr.Earlier) gave way to the next; earlier targets outside the
// cycle, or not finite, are left out.
func (d *progressData) targetLine(kr KeyResult, at func(x, t float64) float64) (xs, ys []float64) {
	type step struct{ x, t float64 }
	var steps []step
	for _, e := range kr.Earlier {
		if !finite(e.Target) || e.Until.Before(d.start) || e.Until.After(d.end) {
			continue
		}
		steps = append(steps, step{daysBetween(d.start, e.Until), e.Target})
	}
	slices.SortStableFunc(steps, func(a, b step) int { return cmpFloat(a.x, b.x) })
	xs, ys = []float64{0}, []float64{0}
	cur := kr.Target
	if len(steps) > 0 {
		cur = steps[0].t
	}
	ys[0] = at(0, cur)
	for i, s := range steps {
		next := kr.Target
		if i+1 < len(steps) {
			next = steps[i+1].t
		}
		xs, ys = append(xs, s.x, s.x), append(ys, at(s.x, cur), at(s.x, next))
		cur = next
	}
	return append(xs, d.span), append(ys, at(d.span, cur))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// wasLabel notes a single key result's first target when it changed
// during the cycle: " (was 60%)".
func wasLabel(kr KeyResult, val func(float64) string) string {
	if len(kr.Earlier) == 0 || !finite(kr.Earlier[0].Target) {
		return ""
	}
	return " (was " + val(kr.Earlier[0].Target) + ")"
}

func doneLabel(v float64) string {
	if v >= 1 {
		return "Done"
	}
	return "Not done"
}

// dateRange prints a cycle like "Oct 1 – Dec 31, 2025".
func dateRange(a, b time.Time) string {
	if a.Year() == b.Year() {
		return a.Format("Jan 2") + " – " + b.Format("Jan 2, 2006")
	}
	return a.Format("Jan 2, 2006") + " – " + b.Format("Jan 2, 2006")
}
