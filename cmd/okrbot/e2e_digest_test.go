package main

import (
	"bytes"
	"image"
	_ "image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// seedFortnight creates the usual objective on Monday Nov 16 and records two
// weeks of check-ins, then moves the clock to Friday Nov 27, 16:00 UTC: the
// default digest time (the team has no settings: UTC).
func seedFortnight(t *testing.T, e *env) okrs.Objective {
	t.Helper()
	o := e.createObjective() // Monday Nov 16, 09:00 UTC
	act, lat, guide := o.KeyResults[0].ID, o.KeyResults[1].ID, o.KeyResults[2].ID
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, time.UTC) }
	record := func(c okrs.CheckIn) {
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{c}); err != nil {
			t.Fatal(err)
		}
	}
	// Week 1 (Nov 16–22).
	record(okrs.CheckIn{KeyResultID: act, Author: ana, At: at(16, 11), Value: 44, Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Slow start"})
	record(okrs.CheckIn{KeyResultID: lat, Author: ben, At: at(16, 19), Value: 390, Confidence: okrs.Confidence{Level: okrs.AtRisk}})
	record(okrs.CheckIn{KeyResultID: guide, Author: ana, At: at(16, 11), Value: 0, Confidence: okrs.Confidence{Level: okrs.OnTrack}})
	// Week 2 (Nov 23–29): ana moves activation, ben is blocked, the guide gets no check-in.
	record(okrs.CheckIn{KeyResultID: act, Author: ana, At: at(23, 11), Value: 52, Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "New onboarding emails doubled day-2 returns"})
	record(okrs.CheckIn{KeyResultID: lat, Author: ben, At: at(23, 19), Value: 380, Confidence: okrs.Confidence{Level: okrs.OffTrack}, Comment: "Blocked on the database upgrade"})
	e.advance(at(27, 16).Sub(e.clock())) // Friday Nov 27, 16:00 UTC
	return o
}

func TestWeeklyDigest(t *testing.T) {
	e := newEnv(t)
	seedFortnight(t, e)
	e.sweep()
	m := e.waitMessage(growth, "Weekly OKR digest")
	text := m.AllText()
	// Activation went 44% → 52% of the way from 40 to 60 (20% → 60%): +40
	// points; latency 390 → 380 of 400 → 280 (8% → 17%): +8; the guide 0.
	// The objective: (0.2+0.083+0)/3 = 9.4% → (0.6+0.167+0)/3 = 25.6%: ↑ 16 pts.
	for _, want := range []string{
		"Delight new customers", "↑ 16 pts", "26%",
		"Needs attention", "Off track", "Cut P99 checkout latency", "<@" + ben + ">",
		"No check-in this week", "Onboarding guide live",
		"1 of 2 people checked in this week",
		"Highlights", "New onboarding emails doubled day-2 returns",
		"Blockers", "Blocked on the database upgrade",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	// The missing check-in is counted, its owner not called out there.
	for _, b := range m.Blocks.BlockSet {
		if s := blockText(b); strings.Contains(s, "No check-in this week") && strings.Contains(s, "<@") {
			t.Errorf("the missing check-ins line @-mentions someone: %s", s)
		}
	}
	// Charts in the thread: an overview and a progress chart, real PNGs.
	deadline := time.Now().Add(5 * time.Second)
	for len(completedFiles(e.srv)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	files := completedFiles(e.srv)
	if len(files) != 2 {
		t.Fatalf("%d charts uploaded, want 2 (overview and one objective)", len(files))
	}
	for _, f := range files {
		img, format, err := image.Decode(bytes.NewReader(f.Data))
		if err != nil || format != "png" || img.Bounds().Dx() < 800 || img.Bounds().Dy() < 400 {
			t.Errorf("chart %s: %v %s %v", f.Name, err, format, img.Bounds())
		}
		if f.ThreadTS != m.TS || len(f.Channels) != 1 || f.Channels[0] != growth {
			t.Errorf("chart %s shared in %v thread %q, want %s thread %s", f.Name, f.Channels, f.ThreadTS, growth, m.TS)
		}
	}
	// Once a week: later sweeps post nothing more.
	e.advance(2 * time.Hour)
	e.sweep()
	if n := countMessages(e.srv, growth, "Weekly OKR digest"); n != 1 {
		t.Errorf("%d digests this week, want 1", n)
	}
}

// blockText is a section's text ("" for other blocks).
func blockText(b slack.Block) string {
	if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
		return s.Text.Text
	}
	return ""
}

func completedFiles(srv *slacktest.Server) []slacktest.File {
	var out []slacktest.File
	for _, f := range srv.Files() {
		if f.Completed {
			out = append(out, f)
		}
	}
	return out
}

func countMessages(srv *slacktest.Server, channel, want string) int {
	n := 0
	for _, m := range srv.Messages(channel) {
		if strings.Contains(m.AllText(), want) {
			n++
		}
	}
	return n
}

func TestDigestPreviewAndPostNow(t *testing.T) {
	e := newEnv(t)
	seedFortnight(t, e)
	e.advance(-2 * 24 * time.Hour) // Wednesday: before the scheduled digest
	e.okr(teamA, ben, growth, "digest preview")
	p := e.waitMessage(growth, "Preview, only for you", "Weekly OKR digest")
	if !p.Ephemeral && p.ResponseType != "ephemeral" {
		t.Errorf("preview is visible to the channel: %+v", p)
	}
	if countMessages(e.srv, growth, "Weekly OKR digest") != 1 || len(e.srv.Files()) != 0 {
		t.Error("the preview posted a digest or uploaded charts")
	}
	// Posting now is for managers (no managers named yet: anyone).
	e.okr(teamA, ana, growth, "digest")
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == growth && !m.Ephemeral && m.ResponseType != "ephemeral" && strings.Contains(m.AllText(), "1 of 2 people checked in")
	}); err != nil {
		t.Fatalf("/okr digest posted nothing: %v", err)
	}
	// It stands in for Friday's: nothing more on Friday.
	e.advance(2*24*time.Hour + time.Minute)
	e.sweep()
	n := 0
	for _, m := range e.srv.Messages(growth) {
		if strings.Contains(m.AllText(), "Weekly OKR digest") && !strings.Contains(m.AllText(), "Preview") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d digests posted this week, want the one posted on demand", n)
	}
}

func TestTwoReplicasPostOneDigest(t *testing.T) {
	e := newEnv(t)
	second := e.replica(2)
	seedFortnight(t, e)
	var wg sync.WaitGroup
	for range 3 {
		for _, m := range []*Main{e.main, second} {
			wg.Go(func() { m.Scheduler.Sweep(e.ctx) })
		}
		wg.Wait() // a sweep returns once its digest and charts are posted
	}
	if n := countMessages(e.srv, growth, "Weekly OKR digest"); n != 1 {
		t.Errorf("%d digests from two replicas, want 1", n)
	}
}

func TestDigestUploadFailureStillPostsTheText(t *testing.T) {
	e := newEnv(t)
	e.srv.FailNext("files.getUploadURLExternal", "internal_error", 10)
	seedFortnight(t, e)
	e.sweep()
	e.waitMessage(growth, "Weekly OKR digest", "Needs attention")
	e.waitLog("uploading a digest chart failed")
	if n := len(completedFiles(e.srv)); n != 0 {
		t.Errorf("%d charts shared despite the failure", n)
	}
}

func TestQuietWeekGetsAnEncouragingNudge(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.advance(4*24*time.Hour + 7*time.Hour) // Friday 16:00, no check-ins at all
	e.sweep()
	m := e.waitMessage(growth, "A quiet week", "/okr checkin")
	if strings.Contains(m.AllText(), "Needs attention") {
		t.Error("a quiet week got a full report")
	}
}

func TestStatusChartButton(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.okr(teamA, ana, growth, "status")
	m := e.waitMessage(growth, "OKR status")
	if _, err := e.srv.PressButton(e.ctx, ana, m, "okr_status_chart"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(completedFiles(e.srv)) < 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	files := completedFiles(e.srv)
	if len(files) != 1 || files[0].Channels[0] != growth || files[0].ThreadTS != m.TS {
		t.Fatalf("status chart: %+v", files)
	}
	if _, _, err := image.Decode(bytes.NewReader(files[0].Data)); err != nil {
		t.Errorf("status chart does not decode: %v", err)
	}
}

// Every posted digest goes into the team's archive, once per week however
// often it is retried: "/okr digest archive" lists them, newest first, with
// links, only for the caller; naming a cycle lists that cycle's.
func TestDigestArchive(t *testing.T) {
	e := newEnv(t)
	seedFortnight(t, e) // Friday Nov 27, 16:00: the digest is due
	e.okr(teamA, ben, growth, "digest archive")
	e.waitMessage("", "No digests archived for")
	e.sweep()
	e.waitMessage(growth, "Weekly OKR digest")
	e.sweep() // nothing new: still one record
	e.advance(7 * 24 * time.Hour)
	e.sweep()
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == growth && strings.Contains(m.AllText(), "Weekly OKR digest") && strings.Contains(m.AllText(), "Nov 30")
	}); err != nil {
		t.Fatalf("no second digest: %v", err)
	}
	// (The scheduler's own sweep may be the one posting it: its record
	// follows the message by a moment.)
	var recs []okrs.DigestRecord
	e.eventually("two digests archived", func() bool {
		var err error
		recs, err = e.main.Store.Digests(e.ctx, teamA, growth, "")
		return err == nil && len(recs) >= 2
	})
	if len(recs) != 2 || recs[0].Week != "2026-11-30" || recs[1].Week != "2026-11-23" || recs[0].Cycle != "2026-Q4" || recs[0].TS == "" {
		t.Fatalf("archive: %+v", recs)
	}
	if recs[1].Objectives != 1 || recs[1].Owners != 2 || recs[1].CheckedIn != 1 || recs[1].AtRisk != 1 {
		t.Errorf("the first week's figures: %+v", recs[1])
	}

	e.okr(teamA, ben, growth, "digest archive")
	m := e.waitMessage("", "Digests of", "Week of Mon Nov 30, 2026", "Week of Mon Nov 23, 2026", "1 of 2 owners checked in", "1 at risk")
	if m.EphemeralTo != ben {
		t.Errorf("the archive was shown to %q, want only ben", m.EphemeralTo)
	}
	text := string(m.RawBlocks)
	if strings.Index(text, "Nov 30") > strings.Index(text, "Nov 23") {
		t.Error("the archive is not newest first")
	}
	if !strings.Contains(text, "/archives/"+growth+"/p") || !strings.Contains(text, `|Week of Mon Nov 23, 2026\u003e`) {
		t.Errorf("the archive does not link the digests:\n%s", text)
	}
	e.okr(teamA, ben, growth, "digest archive 2026-q3")
	e.waitMessage("", "No digests archived for", "2026-Q3")
	e.okr(teamA, ben, growth, "digest archive 2026-Q4")
	e.waitMessage("", "Digests of", "in 2026-Q4", "Week of Mon Nov 30")
	e.okr(teamA, ben, growth, "digest archive someday")
	e.waitMessage("", "I don't know the cycle `someday`")
}
