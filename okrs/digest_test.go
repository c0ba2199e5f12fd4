package okrs_test

import (
	"math"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestComposeDigest(t *testing.T) {
	c := okrs.QuarterOf(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	now := time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC) // Friday
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, now).Period
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	ci := func(day int, v float64, l okrs.Level, author, comment string) okrs.CheckIn {
		return okrs.CheckIn{At: at(day, 10), Value: v, Confidence: okrs.Confidence{Level: l}, Author: author, Comment: comment}
	}
	live := func(kr okrs.KeyResult) okrs.KeyResult {
		if len(kr.CheckIns) > 0 {
			kr.Current, kr.Confidence, kr.LastCheckIn = kr.CheckIns[0].Value, kr.CheckIns[0].Confidence, kr.CheckIns[0].At
		} else {
			kr.Current, kr.CheckIns = kr.Start, []okrs.CheckIn{}
		}
		return kr
	}
	objs := []okrs.Objective{
		{ID: "o1", Title: "Activation", KeyResults: []okrs.KeyResult{
			live(okrs.KeyResult{ID: "k1", Title: "Week-1 activation", Owner: "UA", Kind: okrs.Increase, Start: 40, Target: 60, CheckIns: []okrs.CheckIn{
				ci(16, 50, okrs.OnTrack, "UA", "Shipped the new onboarding emails"), ci(9, 42, okrs.OnTrack, "UA", "Slow start")}}),
			live(okrs.KeyResult{ID: "k2", Title: "P99 latency", Owner: "UB", Kind: okrs.Decrease, Start: 400, Target: 280, CheckIns: []okrs.CheckIn{
				ci(17, 380, okrs.OffTrack, "UB", "Blocked on the database upgrade"), ci(10, 390, okrs.AtRisk, "UB", "")}}),
		}},
		{ID: "o2", Title: "Revenue", KeyResults: []okrs.KeyResult{
			live(okrs.KeyResult{ID: "k3", Title: "MRR", Owner: "UC", Kind: okrs.Increase, Start: 0, Target: 100, CheckIns: []okrs.CheckIn{
				ci(11, 30, okrs.AtRisk, "UC", "Two deals slipped")}}), // last week: missing this week
			live(okrs.KeyResult{ID: "k4", Title: "Pricing page", Owner: "UA", Kind: okrs.Milestone, Target: 1}),
		}},
	}
	d := okrs.ComposeDigest("C1", objs, c, week, now)
	if len(d.Objectives) != 2 {
		t.Fatalf("%d objectives", len(d.Objectives))
	}
	// Activation: k1 10% → 50% (0.1 → 0.5), k2 (390 → 380): 10/120 → 20/120.
	a := d.Objectives[0]
	wantNow, wantBefore := (0.5+20.0/120)/2, (0.1+10.0/120)/2
	if math.Abs(a.Progress-wantNow) > 1e-9 || math.Abs(a.LastWeek-wantBefore) > 1e-9 {
		t.Errorf("activation progress %v (last week %v), want %v (%v)", a.Progress, a.LastWeek, wantNow, wantBefore)
	}
	if ch := a.Change(); math.Abs(ch-(wantNow-wantBefore)) > 1e-9 || ch <= 0 {
		t.Errorf("change = %v", ch)
	}
	if r := d.Objectives[1]; math.Abs(r.Change()) > 1e-9 {
		t.Errorf("revenue changed by %v with no check-in this week", r.Change())
	}
	if len(d.AtRisk) != 2 || d.AtRisk[0].KeyResult.ID != "k2" || d.AtRisk[1].KeyResult.ID != "k3" {
		t.Errorf("at risk = %+v, want k2 (off track) then k3 (at risk)", d.AtRisk)
	}
	var missing []string
	for _, m := range d.Missing {
		missing = append(missing, m.KeyResult.ID)
	}
	if len(missing) != 2 || missing[0] != "k3" || missing[1] != "k4" {
		t.Errorf("missing = %v, want k3 k4", missing)
	}
	// UA checked in on k1 but not k4; UB on k2; UC not at all.
	if d.Owners != 3 || d.CheckedIn != 1 {
		t.Errorf("owners %d, checked in %d; want 3 and 1", d.Owners, d.CheckedIn)
	}
	if len(d.Highlights) != 1 || d.Highlights[0].Text != "Shipped the new onboarding emails" {
		t.Errorf("highlights = %+v", d.Highlights)
	}
	if len(d.Blockers) != 1 || d.Blockers[0].Text != "Blocked on the database upgrade" || d.Blockers[0].Author != "UB" {
		t.Errorf("blockers = %+v", d.Blockers)
	}
	if d.Empty() {
		t.Error("a digest with check-ins is empty")
	}
	quiet := okrs.ComposeDigest("C1", objs[1:], c, week, now)
	if !quiet.Empty() {
		t.Error("a week without check-ins is not empty")
	}
	// UC is away this week, and so is UB (who checked in anyway): UC is
	// counted away, not missing; UB's check-in counts.
	aw := okrs.ComposeDigestAway("C1", objs, c, week, now, map[string]bool{"UC": true, "UB": true})
	if aw.Owners != 2 || aw.CheckedIn != 1 || aw.Away != 1 {
		t.Errorf("with UC and UB away: owners %d, checked in %d, away %d; want 2, 1, 1", aw.Owners, aw.CheckedIn, aw.Away)
	}
	if len(aw.Missing) != 1 || aw.Missing[0].KeyResult.ID != "k4" {
		t.Errorf("with UC away, missing = %+v, want only k4", aw.Missing)
	}
}

func TestDigestAt(t *testing.T) {
	s := okrs.DefaultSettings("Europe/Berlin") // Friday 16:00 team time
	p, due := okrs.DigestAt(s, time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC))
	if p.Key != "2026-11-16" || due.Format(time.RFC3339) != "2026-11-20T16:00:00+01:00" {
		t.Errorf("DigestAt = %s %v", p.Key, due)
	}
	s.Cadence = okrs.Biweekly // the digest stays weekly
	if p2, _ := okrs.DigestAt(s, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)); p2.Key != "2026-11-23" {
		t.Errorf("biweekly team's digest week = %s", p2.Key)
	}
}
