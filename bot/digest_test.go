package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

func sampleDigest() okrs.Digest {
	objs := sampleObjectives()
	for i := range objs[0].KeyResults {
		kr := &objs[0].KeyResults[i]
		kr.CheckIns = []okrs.CheckIn{{At: viewNow.Add(-time.Hour), Value: kr.Current, Confidence: kr.Confidence, Author: kr.Owner,
			Comment: "Moved " + kr.Title}}
		kr.LastCheckIn = viewNow.Add(-time.Hour)
	}
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	return okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow)
}

func TestDigestMessageGolden(t *testing.T) {
	d := sampleDigest()
	m := digestMessage(d)
	golden(t, "digest", map[string]any{"text": m.text, "blocks": m.blocks})
	d.Late = true
	if !strings.Contains(string(mustJSON(t, digestMessage(d).blocks)), "comes late") {
		t.Error("a late digest does not say so")
	}
}

func TestDigestWithinBlockKitLimits(t *testing.T) {
	var objs []okrs.Objective
	long := strings.Repeat("y", 150)
	for i := range 40 {
		o := okrs.Objective{ID: fmt.Sprint(i), Title: long, Owner: "U1"}
		for range 5 {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: long, Owner: "U1", Kind: okrs.Increase, Start: 0, Target: 10,
				Confidence: okrs.Confidence{Level: okrs.OffTrack}, CheckIns: []okrs.CheckIn{{At: viewNow, Value: 1, Comment: strings.Repeat("c", 2000)}}})
		}
		objs = append(objs, o)
	}
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	m := digestMessage(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))
	if len(m.blocks) > maxMessageBlocks {
		t.Errorf("%d blocks", len(m.blocks))
	}
	for _, b := range m.blocks {
		if s := blockText(b); len([]rune(s)) > maxSectionText {
			t.Errorf("a section of %d characters", len([]rune(s)))
		}
	}
}

func TestDigestEmptyAndNewCycle(t *testing.T) {
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	objs := sampleObjectives()
	for i := range objs[0].KeyResults {
		objs[0].KeyResults[i].LastCheckIn = time.Time{}
		objs[0].KeyResults[i].CheckIns = []okrs.CheckIn{}
	}
	quiet := digestMessage(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))
	if !strings.Contains(quiet.text, "A quiet week") {
		t.Errorf("quiet week: %s", quiet.text)
	}
	fresh := digestMessage(okrs.ComposeDigest("C1", nil, viewCycle, week, viewNow))
	if !strings.Contains(fresh.text, "new cycle") || !strings.Contains(fresh.text, "/okr new") {
		t.Errorf("new cycle: %s", fresh.text)
	}
}

// seedDigestTeam stores a large team: objectives × 5 key results, each with
// 13 weekly check-ins, comments included.
func seedDigestTeam(tb testing.TB, st *store.Store, ws string, objectives int, c okrs.Cycle) {
	ctx := context.Background()
	for i := range objectives {
		o := &okrs.Objective{Workspace: ws, Team: "C1", Cycle: c.Name, Title: fmt.Sprintf("Objective number %d of the team", i+1),
			Owner: "U1", CreatedBy: "U1", CreatedAt: c.Start}
		for k := range 5 {
			kind := okrs.Increase
			start, target := 0.0, 100.0
			if k == 1 {
				kind, start, target = okrs.Decrease, 400, 280
			}
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: fmt.Sprintf("Key result %d.%d", i+1, k+1), Owner: fmt.Sprintf("U%d", k+1),
				Kind: kind, Unit: okrs.Number, Start: start, Target: target})
		}
		o.Normalize()
		if err := st.CreateObjective(ctx, o); err != nil {
			tb.Fatal(err)
		}
		for w := range 13 {
			var cs []okrs.CheckIn
			for _, kr := range o.KeyResults {
				v := kr.Start + (kr.Target-kr.Start)*float64(w+1)/14
				level := []okrs.Level{okrs.OnTrack, okrs.AtRisk, okrs.OffTrack}[(w+i)%3]
				cs = append(cs, okrs.CheckIn{KeyResultID: kr.ID, Author: kr.Owner, At: c.Start.Add(time.Duration(w)*7*24*time.Hour + 10*time.Hour),
					Value: v, Confidence: okrs.Confidence{Level: level}, Comment: "Forty characters of a weekly comment...."})
			}
			if _, err := st.RecordCheckIns(ctx, ws, cs); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

// digestTime is the Friday 16:00 of the cycle's 13th week, the week of its
// last seeded check-in.
func digestTime(c okrs.Cycle) time.Time { return c.Start.AddDate(0, 0, 85).Add(16 * time.Hour) }

// composeDigest is everything the digest takes before posting: loading the
// team (settings, objectives with their histories), composing, the message
// and its charts.
func composeDigest(tb testing.TB, sched *reminders.Scheduler, ws string) (message, []chartFile) {
	d, err := sched.Digest(context.Background(), ws, "C1")
	if err != nil {
		tb.Fatal(err)
	}
	files, failed := renderCharts(digestCharts(d))
	if len(failed) > 0 {
		tb.Fatal(failed)
	}
	return digestMessage(d), files
}

func TestDigestRoundTripsDoNotGrowWithTheTeam(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	var trips []int64
	for _, n := range []int{2, 25} {
		st, rdb := storetest.Store(t)
		ws := storetest.Workspace()
		seedDigestTeam(t, st, ws, n, c)
		sched := reminders.New(reminders.Options{Store: st, Clock: fakeClockAt(digestTime(c))})
		rt := storetest.CountRoundTrips(rdb)
		m, files := composeDigest(t, sched, ws)
		trips = append(trips, rt.Load())
		if len(files) != min(n, maxDigestProgressCharts)+1 || len(m.blocks) < 5 {
			t.Errorf("%d objectives: %d charts, %d blocks", n, len(files), len(m.blocks))
		}
	}
	if trips[0] != trips[1] || trips[1] > 4 {
		t.Errorf("round trips: %d for 2 objectives, %d for 25; want the same, at most 4", trips[0], trips[1])
	}
}

// BenchmarkComposeDigest composes the digest of 25 objectives × 5 key
// results with 13 weeks of check-ins, charts included (the overview and
// three progress charts, drawn concurrently).
//
//	go test ./bot -run '^$' -bench ComposeDigest -benchmem
func BenchmarkComposeDigest(b *testing.B) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	st, rdb := storetest.Store(b)
	ws := storetest.Workspace()
	seedDigestTeam(b, st, ws, 25, c)
	sched := reminders.New(reminders.Options{Store: st, Clock: fakeClockAt(digestTime(c))})
	rt := storetest.CountRoundTrips(rdb)
	var bytes int
	b.ResetTimer()
	for b.Loop() {
		_, files := composeDigest(b, sched, ws)
		bytes = 0
		for _, f := range files {
			bytes += len(f.png)
		}
	}
	b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
	b.ReportMetric(float64(bytes), "png-bytes")
}

// blockText is a section's text ("" for other blocks).
func blockText(b slack.Block) string {
	if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
		return s.Text.Text
	}
	return ""
}
