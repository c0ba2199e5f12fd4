package views

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// replyKRs are the sample key results in prompt order, with a second one in
// ms so that a bare number is ambiguous.
func replyKRs() []*okrs.KeyResult {
	objs := sampleObjectives()
	var krs []*okrs.KeyResult
	for i := range objs[0].KeyResults {
		krs = append(krs, &objs[0].KeyResults[i])
	}
	krs = append(krs, &okrs.KeyResult{ID: "k5", Title: "Cut P99 search latency <now>", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms",
		Start: 900, Target: 500, Current: 700, Confidence: okrs.Confidence{Level: okrs.OnTrack}})
	return krs
}

func TestReplyPreviewGolden(t *testing.T) {
	krs := replyKRs()
	rep := okrs.ParseReply("activation 55% on track; checkout latency 310ms at risk — waiting on the &lt;cache&gt; rollout &amp; more\n"+
		"guide done\n450", krs)
	if len(rep.Updates) != 2 || len(rep.Questions) != 2 {
		t.Fatalf("fixture: %+v", rep)
	}
	m := ReplyPreview(krs, rep, "reply:1700000000.000100")
	golden(t, "reply_preview", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	all := unescapeJSON(mustJSON(t, m.Blocks))
	for _, want := range []string{"55% (was 52%)", "310 ms (was 300 ms)", "waiting on the &lt;cache&gt; rollout &amp; more",
		"I could not tell which key result “450” is for: Uptime or Cut P99 search latency &lt;now&gt;?",
		"How confident are you about *Onboarding guide live*", "*Save* records only the key results listed above",
		`"action_id":"okr_reply_save"`, `"action_id":"okr_reply_edit"`} {
		if !strings.Contains(all, want) {
			t.Errorf("preview lacks %q:\n%s", want, all)
		}
	}
}

func TestReplyPreviewWithoutUnderstanding(t *testing.T) {
	krs := replyKRs()
	rep := okrs.ParseReply("450", krs)
	m := ReplyPreview(krs, rep, "reply:1")
	all := string(mustJSON(t, m.Blocks))
	if strings.Contains(all, "okr_reply_save") || !strings.Contains(all, "okr_reply_edit") {
		t.Errorf("with nothing understood, Save must not be offered, Edit must:\n%s", all)
	}
	if !strings.Contains(all, "I need a little help") {
		t.Errorf("preview = %s", all)
	}
	// No change: every key result keeps its value; one never checked in is asked about.
	rep = okrs.ParseReply("no change", krs)
	all = string(mustJSON(t, ReplyPreview(krs, rep, "reply:2").Blocks))
	for _, want := range []string{"No change this week", "52% (no change)", "Onboarding guide live* has no check-in yet to repeat"} {
		if !strings.Contains(all, want) {
			t.Errorf("no-change preview lacks %q:\n%s", want, all)
		}
	}
}

func TestReplySavedGolden(t *testing.T) {
	krs := replyKRs()
	saved := []okrs.CheckIn{
		{KeyResultID: "k1", Value: 55, Confidence: okrs.Confidence{Level: okrs.OnTrack}},
		{KeyResultID: "k2", Value: 310, Confidence: okrs.Confidence{Level: okrs.AtRisk}, Comment: "waiting on the <cache> rollout"},
	}
	m := ReplySaved(krs, saved, viewNow)
	golden(t, "reply_saved", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	n := ReplyNotSaved(Raw("you checked in again after this preview."))
	if !strings.Contains(n.Text.String(), "Not saved: you checked in again") || len(n.Blocks) != 1 {
		t.Errorf("not saved = %s", n.Text.String())
	}
}

func TestCheckInModalPrefilled(t *testing.T) {
	krs := replyKRs()[:3]
	objs := sampleObjectives()
	v := CheckInModalPrefilled(objs, krs, CheckInMeta{Team: "C1"}, map[string]CheckInEntry{
		"k2": {ID: "k2", Value: 310, Level: okrs.AtRisk, Note: "waiting on the cache rollout"},
		"k3": {ID: "k3", Value: 1, Level: okrs.OnTrack},
	})
	all := string(mustJSON(t, v.Blocks))
	for _, want := range []string{`"initial_value":"52%"`, `"initial_value":"310 ms"`, `"initial_value":"waiting on the cache rollout"`, `"value":"done"`} {
		if !strings.Contains(all, want) {
			t.Errorf("prefilled modal lacks %s:\n%s", want, all)
		}
	}
	if strings.Count(all, `"initial_option":{"text":{"type":"plain_text","text":"At risk"`) != 2 { // k1 (as last time) and k2 (prefilled)
		t.Errorf("confidence not prefilled:\n%s", all)
	}
}

// unescapeJSON undoes encoding/json's HTML escaping, to compare mrkdwn.
func unescapeJSON(b []byte) string {
	return strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(string(b))
}

// TestReplyPreviewStaysWithinBlockKitLimits: many key results with long
// titles and comments, and many questions: every line shows in full within
// 50 blocks and 3000 characters a section.
func TestReplyPreviewStaysWithinBlockKitLimits(t *testing.T) {
	long := strings.Repeat("x", 150)
	var krs []*okrs.KeyResult
	var rep okrs.Reply
	for i := range MaxPreviewUpdates {
		krs = append(krs, &okrs.KeyResult{ID: "k", Title: long, Kind: okrs.Increase, Unit: okrs.Number, UnitLabel: strings.Repeat("u", 20), Start: 1e14, Target: 9e14, Current: 5e14})
		rep.Updates = append(rep.Updates, okrs.ReplyUpdate{KeyResult: i, Value: 6e14, Level: okrs.AtRisk, Comment: strings.Repeat("c", okrs.MaxComment), ValueSaid: true, LevelSaid: true})
	}
	for range 30 {
		rep.Questions = append(rep.Questions, okrs.ReplyQuestion{Kind: okrs.AskWhich, Part: long, KeyResults: []int{0, 1, 2, 3, 4, 5}})
	}
	m := ReplyPreview(krs, rep, "reply:1")
	if len(m.Blocks) > MaxMessageBlocks {
		t.Errorf("%d blocks", len(m.Blocks))
	}
	for _, b := range m.Blocks {
		if s, ok := b.(*slack.SectionBlock); ok && (len([]rune(s.Text.Text)) > MaxSectionText || strings.HasSuffix(s.Text.Text, "…") && !strings.Contains(s.Text.Text, "”")) {
			t.Errorf("section cut or too long: %d characters", len([]rune(s.Text.Text)))
		}
	}
	if n := strings.Count(unescapeJSON(mustJSON(t, m.Blocks)), "* → "); n != MaxPreviewUpdates {
		t.Errorf("%d of %d key results shown", n, MaxPreviewUpdates)
	}
}
