package views

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
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
	d := okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow)
	d.Health = okrs.CycleHealth(okrs.DefaultSettings("UTC"), objs, viewCycle, viewNow, nil, nil)
	return d
}

func TestDigestMessageGolden(t *testing.T) {
	d := sampleDigest()
	m := Digest(d)
	golden(t, "digest", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	d.Late = true
	if !strings.Contains(string(mustJSON(t, Digest(d).Blocks)), "comes late") {
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
	m := Digest(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))
	if len(m.Blocks) > MaxMessageBlocks {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	for _, b := range m.Blocks {
		if s := blockText(b); len([]rune(s)) > MaxSectionText {
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
	quiet := Digest(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))
	if !strings.Contains(quiet.Text.String(), "A quiet week") {
		t.Errorf("quiet week: %s", quiet.Text)
	}
	fresh := Digest(okrs.ComposeDigest("C1", nil, viewCycle, week, viewNow))
	if !strings.Contains(fresh.Text.String(), "new cycle") || !strings.Contains(fresh.Text.String(), "/okr new") {
		t.Errorf("new cycle: %s", fresh.Text)
	}
}

// blockText is a section's text ("" for other blocks).
func blockText(b slack.Block) string {
	if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
		return s.Text.Text
	}
	return ""
}

func TestHealthLineAndView(t *testing.T) {
	p := func(key string) okrs.Period {
		start, _ := time.Parse(time.DateOnly, key)
		return okrs.Period{Key: key, Start: start, End: start.AddDate(0, 0, 7)}
	}
	weeks := []okrs.WeekHealth{
		{Period: p("2026-11-02"), Owners: 8, OnTime: 8},
		{Period: p("2026-11-09"), Owners: 8, OnTime: 4, Late: 1, Missed: 3},
		{Period: p("2026-11-16"), Owners: 8, Away: 8},
		{Period: p("2026-11-23"), Owners: 8, OnTime: 5, Late: 1, Away: 2, Current: true},
	}
	d := okrs.Digest{Team: "C1", Period: p("2026-11-23"), Health: weeks}
	line, ok := HealthLine(d)
	if want := ":heartbeat: Check-ins: *100%* this week (6 of 6, 1 late, 2 away) · this cycle `█▅·█`"; !ok || line.String() != want {
		t.Errorf("health line %q, want %q", line, want)
	}
	d.Health = weeks[:2]
	d.Period = weeks[1].Period
	if line, _ := HealthLine(d); line.String() != ":heartbeat: Check-ins: *63%* this week (5 of 8, 1 late) · 100% the week before" {
		t.Errorf("second week: %q", line)
	}
	if _, ok := HealthLine(okrs.Digest{Period: p("2026-11-30"), Health: weeks}); ok {
		t.Error("a health line for a week it has no figures of")
	}
	stale := []okrs.StaleKR{{Objective: "Delight new customers", KeyResult: okrs.KeyResult{Title: "Cut P99 <checkout> latency"}, Since: viewNow.Add(-12 * 24 * time.Hour)},
		{Objective: "Delight new customers", KeyResult: okrs.KeyResult{Title: "Onboarding guide live"}}}
	m := Health(HealthView{Team: "C1", Cycle: viewCycle, Weeks: weeks, Stale: stale, Now: viewNow, Cutoff: 10})
	golden(t, "health", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	if empty := Health(HealthView{Team: "C1", Cycle: viewCycle}); !strings.Contains(empty.Text.String(), "No check-ins asked for yet") {
		t.Errorf("no weeks: %s", empty.Text)
	}
	streak := WithStreak(Message{}, okrs.Streak{Periods: 5})
	if len(streak.Blocks) != 1 || StreakText(okrs.Streak{Periods: 1}) != "" || StreakText(okrs.Streak{Periods: 3, Biweekly: true}) != "3 check-ins in a row" {
		t.Errorf("streak texts: %+v", streak)
	}
}
