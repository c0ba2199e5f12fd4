package main

import (
	"bytes"
	"image"
	_ "image/png"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// statusAnswer runs /okr status args as ana in #growth and waits for a new
// message there containing want.
func (e *env) statusAnswer(args string, want ...string) slacktest.Message {
	e.t.Helper()
	return e.newMessage(growth, func() { e.okr(teamA, ana, growth, strings.TrimSpace("status "+args)) }, want...)
}

// newMessage runs do and waits for a message in channel, posted since,
// containing every want.
func (e *env) newMessage(channel string, do func(), want ...string) slacktest.Message {
	e.t.Helper()
	old := map[string]bool{}
	for _, m := range e.srv.Messages(channel) {
		old[m.TS] = true
	}
	do()
	m, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		if m.Channel != channel || old[m.TS] {
			return false
		}
		for _, w := range want {
			if !strings.Contains(m.AllText(), w) {
				return false
			}
		}
		return true
	})
	if err != nil {
		e.t.Fatalf("no new message in %s with %q: %v", channel, want, err)
	}
	return m
}

// A target changed mid-cycle with a reason: the change is kept, status
// shows it, the week's digest lists it, a hostile reason stays text, and
// the progress chart still draws.
func TestCourseCorrection(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()  // Monday Nov 16, 09:00 UTC
	e.advance(48 * time.Hour) // Wednesday Nov 18
	v := e.pick(ana, "edit", o.ID)
	if !strings.Contains(string(v.RawBlocks), "What changed and why?") {
		t.Fatalf("the edit modal does not ask why:\n%s", v.AllText())
	}
	reason := "new baseline after the pricing change"
	ack := e.submitForm(ana, v.ID, slacktest.Values{"kr0_target": {"v": "70%"}, "reason": {"v": reason}})
	if len(ack.Errors()) > 0 {
		t.Fatalf("edit: %v", ack.Errors())
	}
	e.waitMessage(growth, "Saved", "Delight new customers")
	got, err := e.main.Store.Objective(e.ctx, teamA, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := okrs.TargetChange{Field: okrs.FieldTarget, By: ana, At: e.clock(), From: 60, To: 70, Reason: reason}
	if h := got.KeyResults[0].TargetHistory; len(h) != 1 || !h[0].At.Equal(want.At) || h[0].Field != want.Field ||
		h[0].By != ana || h[0].From != 60 || h[0].To != 70 || h[0].Reason != reason {
		t.Fatalf("history = %+v, want [%+v]", h, want)
	}
	if h := got.KeyResults[1].TargetHistory; len(h) != 0 {
		t.Errorf("an untouched key result has changes: %+v", h)
	}

	t.Run("status shows the change", func(t *testing.T) {
		e.statusAnswer("", "OKR status", "target 60% → 70% on Nov 18: "+reason)
	})

	t.Run("a hostile reason is text", func(t *testing.T) {
		e.advance(time.Hour)
		v := e.pick(ana, "edit", o.ID)
		e.newMessage(growth, func() {
			ack := e.submitForm(ana, v.ID, slacktest.Values{"kr1_due": {"v": "2026-12-15"}, "reason": {"v": "<!channel> *bold*"}})
			if len(ack.Errors()) > 0 {
				t.Fatalf("edit: %v", ack.Errors())
			}
		}, "Saved")
		m := e.statusAnswer("", "OKR status", "due the cycle end → Dec 15 on Nov 18")
		raw := string(m.RawBlocks)
		if strings.Contains(raw, "<!channel>") || !strings.Contains(m.AllText(), "&lt;!channel&gt; *bold*") {
			t.Errorf("the reason is not escaped:\n%s", m.AllText())
		}
	})

	t.Run("the week's digest lists it", func(t *testing.T) {
		// A check-in this week, so the digest has something to say.
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: o.KeyResults[0].ID, Author: ana,
			At: e.clock(), Value: 50, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Date(2026, 11, 20, 16, 0, 0, 0, time.UTC).Sub(e.clock())) // Friday, digest time
		e.sweep()
		m := e.waitMessage(growth, "Weekly OKR digest", "Course corrections")
		text := m.AllText()
		for _, w := range []string{"Raise week-1 activation", "target 60% → 70% on Nov 18: " + reason,
			"Cut P99 checkout latency", "due the cycle end → Dec 15 on Nov 18: &lt;!channel&gt; *bold*"} {
			if !strings.Contains(text, w) {
				t.Errorf("digest lacks %q:\n%s", w, text)
			}
		}
		if strings.Contains(string(m.RawBlocks), "<!channel>") {
			t.Error("the digest pings the channel")
		}
		// Its charts, the progress chart with a stepped target among them, are real PNGs.
		deadline := time.Now().Add(5 * time.Second)
		for len(completedFiles(e.srv)) < 2 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		files := completedFiles(e.srv)
		if len(files) < 2 {
			t.Fatalf("%d charts uploaded, want an overview and a progress chart", len(files))
		}
		for _, f := range files {
			if img, format, err := image.Decode(bytes.NewReader(f.Data)); err != nil || format != "png" || img.Bounds().Dx() < 800 {
				t.Errorf("chart %s: %v %s", f.Name, err, format)
			}
		}
	})

	t.Run("the next week's digest does not", func(t *testing.T) {
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: o.KeyResults[0].ID, Author: ana,
			At: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Value: 55, Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
			t.Fatal(err)
		}
		e.advance(7 * 24 * time.Hour)
		e.sweep()
		m := e.waitMessage(growth, "Weekly OKR digest · week of Nov 23")
		if strings.Contains(m.AllText(), "Course corrections") {
			t.Errorf("last week's change is in this week's digest:\n%s", m.AllText())
		}
	})
}

// /okr status with a cycle name shows that cycle, and says it is past.
func TestStatusOfAPastCycle(t *testing.T) {
	e := newEnv(t)
	e.createObjective() // 2026-Q4
	q3 := okrs.Objective{Workspace: teamA, Team: growth, Cycle: "2026-Q3", Title: "Launch usage pricing", Owner: ana, CreatedBy: ana,
		CreatedAt:  time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC),
		KeyResults: []okrs.KeyResult{{Title: "Teams on the new plan", Owner: ana, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 50}}}
	if err := e.main.Store.CreateObjective(e.ctx, &q3); err != nil {
		t.Fatal(err)
	}
	for _, args := range []string{"2026-Q3", "Q3 2026", "<#" + growth + "|growth> 2026-Q3", "2026-q3 <#" + growth + ">"} {
		m := e.statusAnswer(args, "OKR status · 2026-Q3 (past cycle)")
		if text := m.AllText(); !strings.Contains(text, "Launch usage pricing") || strings.Contains(text, "Delight new customers") {
			t.Errorf("/okr status %s:\n%s", args, text)
		}
	}
	m := e.statusAnswer("<@"+ana+"> 2026-Q3", "OKR status · 2026-Q3 (past cycle)", "Teams on the new plan")
	if strings.Contains(m.AllText(), "Raise week-1 activation") {
		t.Errorf("a person's Q3 status shows Q4:\n%s", m.AllText())
	}
	// The usual forms still work.
	m = e.statusAnswer("", "OKR status · 2026-Q4", "Delight new customers")
	if strings.Contains(m.AllText(), "past cycle") || strings.Contains(m.AllText(), "Launch usage pricing") {
		t.Errorf("/okr status shows Q3:\n%s", m.AllText())
	}
	// App Home offers the past cycle; choosing it sends ana her status of it in a DM.
	if _, err := e.srv.AppHomeOpened(e.ctx, ana); err != nil {
		t.Fatal(err)
	}
	h, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ana && strings.Contains(v.AllText(), "Past cycles")
	})
	if err != nil {
		t.Fatalf("App Home lists no past cycles: %v", err)
	}
	if !strings.Contains(h.AllText(), "2026-Q3") || strings.Contains(h.AllText(), "Past cycles:* 2026-Q4") {
		t.Errorf("App Home's past cycles:\n%s", h.AllText())
	}
	dm := e.srv.DMChannel(ana)
	e.newMessage(dm, func() {
		if _, err := e.srv.Act(e.ctx, ana, h, "okr_past_cycle", "2026-Q3"); err != nil {
			t.Fatal(err)
		}
	}, "OKR status · 2026-Q3 (past cycle)", "Teams on the new plan")
	for _, bad := range []string{"2026-Q9", "last quarter"} {
		e.statusAnswer(bad, "I don't know the cycle `"+bad+"`", "/okr status 2026-Q3")
	}
}

// The reason travels with the form through the coach's review step: Back
// to edit shows it again, and saving keeps it on the change.
func TestCourseCorrectionThroughReview(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.advance(24 * time.Hour)
	v := e.pick(ana, "edit", o.ID)
	// A title that reads like a task: the coach has a fresh tip.
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{
		"kr0_title": {"v": "Launch the referral program"}, "kr0_target": {"v": "75%"}, "reason": {"v": "pricing changed"}})
	if err != nil {
		t.Fatal(err)
	}
	review := e.srv.OpenModal(ana)
	if ack.ResponseAction() != "update" || review == nil || review.CallbackID != "okr_review" {
		t.Fatalf("no review step: %s %v", ack.ResponseAction(), review)
	}
	form := e.backToEdit(ana, review, "okr_objective")
	if !strings.Contains(string(form.RawBlocks), "pricing changed") {
		t.Fatalf("Back to edit lost the reason:\n%s", form.RawBlocks)
	}
	e.newMessage(growth, func() {
		if ack := e.submitForm(ana, form.ID, nil); len(ack.Errors()) > 0 {
			t.Fatalf("edit: %v", ack.Errors())
		}
	}, "Saved")
	got, err := e.main.Store.Objective(e.ctx, teamA, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h := got.KeyResults[0].TargetHistory; len(h) != 1 || h[0].From != 60 || h[0].To != 75 || h[0].Reason != "pricing changed" {
		t.Errorf("history = %+v, want 60 → 75 because pricing changed", h)
	}
}
