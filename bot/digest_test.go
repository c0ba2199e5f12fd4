package bot

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

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
// and its charts. It composes as the scheduler does (okrs.ComposeDigest over
// the stored objectives), without depending on package reminders.
func composeDigest(tb testing.TB, st *store.Store, ws string, now time.Time) (message, []chartFile) {
	ctx := context.Background()
	set, err := st.Settings(ctx, ws, "C1")
	if okrs.ErrorCode(err) == okrs.ENOTFOUND {
		set, err = okrs.DefaultSettings("UTC"), nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	c := okrs.CurrentCycle(set, now)
	objs, err := st.TeamObjectives(ctx, ws, "C1", c.Name, -1)
	if err != nil {
		tb.Fatal(err)
	}
	period, _ := okrs.DigestAt(set, now)
	// As the scheduler composes it (reminders.composeDigest): who is away
	// (what people said, the held prompts) and the cycle's check-in health.
	var owners []string
	for _, o := range objs {
		for _, kr := range o.KeyResults {
			if !slices.Contains(owners, kr.Owner) {
				owners = append(owners, kr.Owner)
			}
		}
	}
	said, err := st.AwayRecords(ctx, ws, owners)
	if err != nil {
		tb.Fatal(err)
	}
	held, err := st.HeldPrompts(ctx, ws, "C1")
	if err != nil {
		tb.Fatal(err)
	}
	away := map[string]bool{}
	for u, r := range said {
		if _, ok := r.AwayAt(now); ok {
			away[u] = true
		}
	}
	d := okrs.ComposeDigestAway("C1", objs, c, period, now, away)
	d.Health = okrs.CycleHealth(set, objs, c, now, func(u string, p okrs.Period) bool { return okrs.AwayIn(held, u, p.Key) }, nil)
	files, failed := renderCharts(digestCharts(d))
	if len(failed) > 0 {
		tb.Fatal(failed)
	}
	return message{Message: views.Digest(d)}, files
}

func TestDigestRoundTripsDoNotGrowWithTheTeam(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	var trips []int64
	for _, n := range []int{2, 25} {
		st, rdb := storetest.Store(t)
		ws := storetest.Workspace()
		seedDigestTeam(t, st, ws, n, c)
		rt := storetest.CountRoundTrips(rdb)
		m, files := composeDigest(t, st, ws, digestTime(c))
		trips = append(trips, rt.Load())
		if len(files) != min(n, maxDigestProgressCharts)+1 || len(m.Blocks) < 5 {
			t.Errorf("%d objectives: %d charts, %d blocks", n, len(files), len(m.Blocks))
		}
	}
	if trips[0] != trips[1] || trips[1] > 6 { // settings, objectives (3), who said they are away, held prompts
		t.Errorf("round trips: %d for 2 objectives, %d for 25; want the same, at most 6", trips[0], trips[1])
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
	rt := storetest.CountRoundTrips(rdb)
	var bytes int
	b.ResetTimer()
	for b.Loop() {
		_, files := composeDigest(b, st, ws, digestTime(c))
		bytes = 0
		for _, f := range files {
			bytes += len(f.png)
		}
	}
	b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
	b.ReportMetric(float64(bytes), "png-bytes")
}
