package main

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// Check in by replying: ana answers her prompt in words in the DM.

// replyObjective creates, for ana in #growth, an objective whose key
// results a reply names: signups, P99 latency in ms and an error budget in
// minutes (so that a bare number could be either of the last two), each
// with a first check-in two days ago, and sends her prompt.
func (e *env) replyObjective() okrs.Objective {
	e.t.Helper()
	o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: okrs.QuarterOf(e.clock()).Name, Title: "Fast, growing checkout",
		Owner: ana, CreatedBy: ana, CreatedAt: e.clock().Add(-72 * time.Hour),
		KeyResults: []okrs.KeyResult{
			{Title: "Weekly signups", Owner: ana, Kind: okrs.Increase, Unit: okrs.Number, Start: 1000, Target: 2000},
			{Title: "Reduce P99 latency", Owner: ana, Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms", Start: 400, Target: 280},
			{Title: "Error budget left", Owner: ana, Kind: okrs.StayAbove, Unit: okrs.Number, UnitLabel: "min", Start: 400, Target: 200},
		}}
	o.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
		e.t.Fatal(err)
	}
	first := e.clock().Add(-48 * time.Hour)
	var cis []okrs.CheckIn
	for i, v := range []float64{1200, 350, 320} {
		cis = append(cis, okrs.CheckIn{KeyResultID: o.KeyResults[i].ID, Author: ana, At: first, Value: v, Confidence: okrs.Confidence{Level: okrs.AtRisk}})
	}
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, cis); err != nil {
		e.t.Fatal(err)
	}
	e.sweep()
	e.prompt(ana, "Time for your weekly check-in", "Weekly signups", "Reduce P99 latency")
	return *o
}

var dmSeq atomic.Int64

// dmSay sends the message.im event of user writing text in their DM with
// okrbot, as Slack delivers it.
func (e *env) dmSay(user, text string) { e.t.Helper(); e.dmSayIn(user, text, "") }

// dmSayIn is dmSay in the thread of the message thread ("" for none).
func (e *env) dmSayIn(user, text, thread string) {
	e.t.Helper()
	ts := fmt.Sprintf("%d.%06d", e.clock().Unix(), dmSeq.Add(1))
	ev := map[string]any{"type": "message", "channel": e.srv.DMChannel(user), "channel_type": "im", "user": user, "text": text, "ts": ts}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	if _, err := e.srv.Event(e.ctx, teamA, ev); err != nil {
		e.t.Fatal(err)
	}
}

// preview waits for okrbot's preview of a reply in user's DM with want.
func (e *env) preview(user string, want ...string) slacktest.Message {
	e.t.Helper()
	return e.waitMessage(e.srv.DMChannel(user), append([]string{"okr_reply_edit"}, want...)...)
}

func TestCheckInByReplying(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	e.advance(10 * time.Minute)
	e.dmSay(ana, "signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout")
	p := e.preview(ana, "Here is what I understood", "Weekly signups", "1,340 (was 1,200)", "Reduce P99 latency", "310 ms (was 350 ms)",
		"waiting on the cache rollout", "okr_reply_save")
	if strings.Contains(p.AllText(), "Error budget left") {
		t.Errorf("the preview lists a key result the reply did not name:\n%s", p.AllText())
	}
	if h := e.history(o.KeyResults[0].ID); len(h) != 1 {
		t.Fatalf("the preview saved something: %+v", h)
	}
	// A double click on Save records once.
	e.pressTwice(ana, p, "okr_reply_save")
	e.waitEdited(p, "Saved ✓", "checked in on 2 key results")
	st := e.settle()
	signups, p99, budget := historyIn(t, e, st, o.KeyResults[0].ID), historyIn(t, e, st, o.KeyResults[1].ID), historyIn(t, e, st, o.KeyResults[2].ID)
	if len(signups) != 2 || len(p99) != 2 || len(budget) != 1 {
		t.Fatalf("histories = %d, %d, %d check-ins; want 2, 2 and 1 (one each saved, once)", len(signups), len(p99), len(budget))
	}
	if c := signups[0]; c.Value != 1340 || c.Confidence.Level != okrs.OnTrack || c.Comment != "" || c.Author != ana || !c.At.Equal(e.clock()) {
		t.Errorf("signups check-in = %+v", c)
	}
	if c := p99[0]; c.Value != 310 || c.Confidence.Level != okrs.AtRisk || c.Comment != "waiting on the cache rollout" || c.Author != ana {
		t.Errorf("p99 check-in = %+v", c)
	}
	if n := e.countMessages("Saved ✓"); n != 1 {
		t.Errorf("%d saved messages, want the one preview", n)
	}
}

func TestReplyAmbiguousAsksAndSavesOnlyWhatItPlaced(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	// Only a bare number: nothing to save, so no Save button.
	e.dmSay(ana, "310")
	q := e.preview(ana, "I need a little help", "I could not tell which key result “310” is for: Weekly signups, Reduce P99 latency or Error budget left?")
	if says(q, []string{"okr_reply_save"}) {
		t.Errorf("Save offered with nothing understood:\n%s", q.RawBlocks)
	}
	// One part placed by name, one that fits two key results: it asks,
	// and Save records only the placed part.
	e.dmSay(ana, "signups 1,340 on track; 310 at risk")
	p := e.preview(ana, "Here is what I understood", "1,340 (was 1,200)", "I could not tell which key result “310 at risk” is for: Reduce P99 latency or Error budget left?",
		"Save* records only the key results listed above")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Saved ✓", "checked in on 1 key result")
	if h := e.history(o.KeyResults[0].ID); len(h) != 2 || h[0].Value != 1340 {
		t.Errorf("signups history = %+v", h)
	}
	for _, i := range []int{1, 2} {
		if h := e.history(o.KeyResults[i].ID); len(h) != 1 {
			t.Errorf("%s got a check-in from an ambiguous part: %+v", o.KeyResults[i].Title, h)
		}
	}
}

func TestReplyNoChange(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	prompt := e.prompt(ana, "Time for your weekly check-in")
	e.advance(time.Minute)
	e.dmSay(ana, "no change")
	p := e.preview(ana, "No change this week", "1,200 (no change)", "350 ms (no change)", "320 min (no change)")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Saved ✓", "checked in on 3 key results")
	// As the prompt's own "No change this week" button: every key result
	// checked in at its value and confidence, and the prompt says so.
	e.waitEdited(prompt, "Checked in: no change this week")
	for i, v := range []float64{1200, 350, 320} {
		h := e.history(o.KeyResults[i].ID)
		if len(h) != 2 || h[0].Value != v || h[0].Confidence.Level != okrs.AtRisk || !h[0].At.Equal(e.clock()) {
			t.Errorf("%s: history = %+v, want a second check-in of %v at risk", o.KeyResults[i].Title, h, v)
		}
	}
}

func TestReplyEditInTheForm(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	e.dmSay(ana, "signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout")
	p := e.preview(ana, "Here is what I understood")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_edit"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	if !strings.Contains(string(v.RawBlocks), "initial_value") {
		// Opened with the loading state first: wait for it to be filled.
		var err error
		v, err = e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
			return x.ID == v.ID && strings.Contains(string(x.RawBlocks), "initial_value")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	raw := string(v.RawBlocks)
	for _, want := range []string{`"initial_value":"1340"`, `"initial_value":"310 ms"`, `"initial_value":"waiting on the cache rollout"`, `"initial_value":"320 min"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("the form is not prefilled with %s:\n%s", want, raw)
		}
	}
	e.advance(time.Minute)
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"ci2_value": {"v": "300 min"}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	e.waitMessage(e.srv.DMChannel(ana), "Checked in")
	if h := e.history(o.KeyResults[1].ID); len(h) != 2 || h[0].Value != 310 || h[0].Confidence.Level != okrs.AtRisk || h[0].Comment != "waiting on the cache rollout" {
		t.Errorf("p99 history = %+v", h)
	}
	if h := e.history(o.KeyResults[2].ID); len(h) != 2 || h[0].Value != 300 {
		t.Errorf("budget history = %+v", h)
	}
	// The preview says the form saved it, and offers Save no more.
	saved := e.waitEdited(p, "Saved ✓", "checked in on 3 key results")
	if says(saved, []string{"okr_reply_save"}) {
		t.Errorf("the saved preview still offers Save:\n%s", saved.RawBlocks)
	}
	if h := e.history(o.KeyResults[0].ID); len(h) != 2 {
		t.Errorf("signups history = %+v, want the form's check-in only", h)
	}
}

// TestReplyPreviewMadeStaleIsRefused: a newer check-in (here the prompt's
// modal) after the preview: Save records nothing and says why.
func TestReplyPreviewMadeStaleIsRefused(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	prompt := e.prompt(ana, "Time for your weekly check-in")
	e.dmSay(ana, "signups 1,340 on track; p99 310ms at risk")
	p := e.preview(ana, "1,340 (was 1,200)")
	e.advance(time.Minute)
	if _, err := e.srv.PressButton(e.ctx, ana, prompt, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_checkin")
	v, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.ID == v.ID && strings.Contains(string(x.RawBlocks), "ci0_value")
	})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"ci0_value": {"v": "1500"}}); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	e.waitEdited(prompt, "Checked in")
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Not saved", "you checked in again after this preview")
	if h := e.history(o.KeyResults[0].ID); len(h) != 2 || h[0].Value != 1500 {
		t.Errorf("signups history = %+v, want the modal's 1500 on top", h)
	}
	if h := e.history(o.KeyResults[1].ID); len(h) != 2 || h[0].Value != 350 {
		t.Errorf("p99 history = %+v, want the modal's 350 on top", h)
	}
}

func TestReplyThatIsNotACheckInGetsTheHelp(t *testing.T) {
	e := newEnv(t)
	e.replyObjective()
	e.dmSay(ana, "thanks!")
	e.waitMessage(e.srv.DMChannel(ana), "I work through `/okr`", "reply here with your numbers")
	if n := e.countMessages("Here is what I understood"); n != 0 {
		t.Errorf("%d previews for a thank-you", n)
	}
}

// TestReplyPreviewOfAnEndedCycleIsRefused: a preview saved after its
// cycle ended records nothing and says why.
func TestReplyPreviewOfAnEndedCycleIsRefused(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	e.dmSay(ana, "signups 1,340 on track")
	p := e.preview(ana, "1,340 (was 1,200)")
	e.advance(time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC).Sub(e.clock())) // 2027-Q1
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Not saved", "your key results changed since this preview")
	objs, err := e.main.Store.TeamObjectives(e.ctx, teamA, growth, o.Cycle, -1)
	if err != nil || len(objs) != 1 {
		t.Fatalf("objectives of %s = %v, %v", o.Cycle, objs, err)
	}
	if h := objs[0].KeyResult(o.KeyResults[0].ID).CheckIns; len(h) != 1 {
		t.Errorf("last cycle's key result got a check-in: %+v", h)
	}
}

// TestReplySaveForgedByAnotherPersonDoesNothing: Save names a draft, and
// drafts are kept under their author: ben pressing "Save" with ana's
// preview's value (a forged payload) finds nothing of his and records
// nothing; ana's own Save still works.
func TestReplySaveForgedByAnotherPersonDoesNothing(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	e.dmSay(ana, "signups 1,340 on track")
	p := e.preview(ana, "1,340 (was 1,200)")
	var id string
	for _, w := range strings.Split(string(p.RawBlocks), `"value":"`)[1:] {
		if v, _, ok := strings.Cut(w, `"`); ok && strings.HasPrefix(v, "reply:") {
			id = v
		}
	}
	if id == "" {
		t.Fatalf("no draft id on the preview:\n%s", p.RawBlocks)
	}
	e.pressForged(ben, teamA, e.srv.DMChannel(ben), "okr_reply_save", id)
	e.waitMessage("", "I no longer have that preview")
	if h := e.history(o.KeyResults[0].ID); len(h) != 1 {
		t.Errorf("a forged Save recorded a check-in: %+v", h)
	}
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Saved ✓")
	if h := e.history(o.KeyResults[0].ID); len(h) != 2 || h[0].Value != 1340 || h[0].Author != ana {
		t.Errorf("signups history = %+v", h)
	}
}

// A reply written in the prompt's thread is answered in that thread, and
// saves like any other.
func TestReplyInTheThreadIsAnsweredThere(t *testing.T) {
	e := newEnv(t)
	o := e.replyObjective()
	prompt := e.prompt(ana, "Time for your weekly check-in")
	e.advance(10 * time.Minute)
	e.dmSayIn(ana, "signups 1,340 on track", prompt.TS)
	p := e.preview(ana, "Here is what I understood", "1,340 (was 1,200)")
	if p.ThreadTS != prompt.TS {
		t.Errorf("the preview went to thread %q, want the prompt's %q", p.ThreadTS, prompt.TS)
	}
	if _, err := e.srv.PressButton(e.ctx, ana, p, "okr_reply_save"); err != nil {
		t.Fatal(err)
	}
	e.waitEdited(p, "Saved ✓")
	if h := e.history(o.KeyResults[0].ID); len(h) != 2 || h[0].Value != 1340 {
		t.Errorf("signups history after saving in the thread: %+v", h)
	}
}
