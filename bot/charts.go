package bot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/charts"
	"github.com/okrbot/okrbot/okrs"
)

// chartFile is a rendered chart to upload.
type chartFile struct {
	name, title, alt string
	png              []byte
}

// chartUnit is how the charts package writes a key result's unit.
func chartUnit(kr *okrs.KeyResult) string {
	switch kr.Unit {
	case okrs.Percent:
		return "%"
	case okrs.Currency:
		if kr.Currency != "" {
			return kr.Currency
		}
		return okrs.DefaultCurrency
	}
	return kr.UnitLabel
}

// chartGoal is how the charts package draws a key result's target.
func chartGoal(k okrs.Kind) charts.Goal {
	switch k {
	case okrs.StayAbove:
		return charts.StayAbove
	case okrs.StayBelow:
		return charts.StayBelow
	case okrs.Milestone:
		return charts.Milestone
	}
	return charts.Reach
}

// chartKeyResult turns a key result and its history into chart data. Every
// progress figure is the domain's (AchievementOf, the figure the key
// result's status shows), so a chart and its message agree.
func chartKeyResult(kr *okrs.KeyResult) charts.KeyResult {
	out := charts.KeyResult{Title: kr.Title, Unit: chartUnit(kr), Goal: chartGoal(kr.Kind),
		Start: kr.Start, StartProgress: kr.AchievementOf(kr.Start), Target: kr.Target}
	for _, h := range kr.TargetHistory { // the target line steps at each change
		if h.IsTarget() {
			out.Earlier = append(out.Earlier, charts.TargetStep{Until: h.At, Target: h.From})
		}
	}
	point := func(at time.Time, v float64) charts.Point {
		return charts.Point{At: at, Value: v, Progress: kr.AchievementOf(v)}
	}
	for _, c := range kr.CheckIns {
		out.Points = append(out.Points, point(c.At, c.Value))
	}
	if len(kr.CheckIns) == 0 && !kr.LastCheckIn.IsZero() {
		out.Points = append(out.Points, point(kr.LastCheckIn, kr.Current))
	}
	return out
}

// overviewChart draws objectives' progress against expected progress.
func overviewChart(title string, objs []okrs.Objective, c okrs.Cycle, now time.Time) (chartFile, error) {
	ov := charts.Overview{Title: title}
	expected := c.Elapsed(now)
	for i := range objs {
		ov.Objectives = append(ov.Objectives, charts.Bar{Title: objs[i].Title, Progress: objs[i].Progress(), Expected: expected})
	}
	png, err := charts.OverviewChart(ov)
	return chartFile{name: "okr-overview.png", title: title, png: png,
		alt: fmt.Sprintf("Bar chart of %d objectives' progress against the %s expected by now", len(objs), okrs.FormatPercent(expected))}, err
}

// progressInput is the chart data of an objective's active key results. A
// cycle's End is its last day, inclusive: the chart runs to the last instant
// of it, so check-ins made on that day are drawn (and the subtitle still
// names that day).
func progressInput(o *okrs.Objective, c okrs.Cycle, now time.Time) charts.Progress {
	end := c.End.AddDate(0, 0, 1).Add(-time.Nanosecond)
	p := charts.Progress{Title: o.Title, CycleStart: c.Start, CycleEnd: end, Now: now}
	for i := range o.KeyResults {
		if kr := &o.KeyResults[i]; !kr.Archived {
			p.KeyResults = append(p.KeyResults, chartKeyResult(kr))
		}
	}
	return p
}

// progressChart draws an objective's key results over the cycle.
func progressChart(o *okrs.Objective, c okrs.Cycle, now time.Time) (chartFile, error) {
	p := progressInput(o, c, now)
	png, err := charts.ProgressChart(p)
	return chartFile{name: "okr-progress-" + o.ID + ".png", title: "Progress: " + o.Title, png: png,
		alt: fmt.Sprintf("Line chart of %d key results of %q over %s against the ideal pace", len(p.KeyResults), o.Title, c.Name)}, err
}

// renderCharts renders charts concurrently, keeping their order; a chart
// that fails is left out and its error returned. A job that panics fails
// alone: its panic comes back as a *chartPanic error carrying the stack, for
// the caller to log, and the other charts are still drawn.
func renderCharts(jobs []func() (chartFile, error)) ([]chartFile, []error) {
	out := make([]chartFile, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { out[i], errs[i] = runChartJob(j) })
	}
	wg.Wait()
	var files []chartFile
	var failed []error
	for i := range jobs {
		if errs[i] != nil {
			failed = append(failed, errs[i])
			continue
		}
		files = append(files, out[i])
	}
	return files, failed
}

// runChartJob runs one chart job, turning a panic into its error.
func runChartJob(job func() (chartFile, error)) (f chartFile, err error) {
	defer func() {
		if v := recover(); v != nil {
			f, err = chartFile{}, &chartPanic{value: v, stack: debug.Stack()}
		}
	}()
	return job()
}

// chartPanic is a chart job's recovered panic.
type chartPanic struct {
	value any
	stack []byte
}

func (p *chartPanic) Error() string { return fmt.Sprintf("drawing a chart panicked: %v", p.value) }

// LogValue logs the panic with its stack, once, where the error is logged.
func (p *chartPanic) LogValue() slog.Value {
	return slog.GroupValue(slog.String("msg", p.Error()), slog.String("stack", string(p.stack)))
}

// Unwrap exposes a panic value that is an error (e.g. a runtime error).
func (p *chartPanic) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// upload shares a chart in channel (in thread ts when given) with Slack's
// files v2 flow: files.getUploadURLExternal, the upload, then
// files.completeUploadExternal.
func (b *Bot) upload(ctx context.Context, channel, ts string, f chartFile) error {
	_, err := b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(f.png), FileSize: len(f.png), Filename: f.name, Title: f.title,
		Channel: channel, ThreadTimestamp: ts, AltTxt: f.alt,
	})
	if err != nil {
		b.metrics.uploadFailures.Inc()
		return b.slackErr("files.upload", err)
	}
	return nil
}

// attention orders objectives for charts: the furthest behind pace first,
// then the biggest movers.
func attention(objs []okrs.Objective, c okrs.Cycle, now time.Time, change func(i int) float64) []int {
	idx := make([]int, len(objs))
	for i := range idx {
		idx[i] = i
	}
	expected := c.Elapsed(now)
	slices.SortStableFunc(idx, func(a, b int) int {
		ga, gb := expected-objs[a].Progress(), expected-objs[b].Progress()
		switch {
		case ga > gb+1e-9:
			return -1
		case gb > ga+1e-9:
			return 1
		case change(a) > change(b):
			return -1
		case change(a) < change(b):
			return 1
		}
		return 0
	})
	return idx
}
