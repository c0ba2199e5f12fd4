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
	return okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow)
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
