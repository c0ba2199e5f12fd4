package reminders_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
)

// cyclePoster is a fake Slack for grade requests and retrospectives.
type cyclePoster struct {
	mu     sync.Mutex
	grades []okrs.GradeRequest
	retros []okrs.Retrospective
	fail   int // grade requests to fail first
}

func (c *cyclePoster) SendGradeRequest(_ context.Context, g okrs.GradeRequest) (okrs.Posted, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail > 0 {
		c.fail--
		return okrs.Posted{}, errors.New("slack is down")
	}
	c.grades = append(c.grades, g)
	return okrs.Posted{Channel: "D1", TS: "1.0"}, nil
}

func (c *cyclePoster) PostRetrospective(_ context.Context, r okrs.Retrospective) (okrs.Posted, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.retros = append(c.retros, r)
	return okrs.Posted{Channel: r.Channel, TS: "2.0"}, nil
}

func (c *cyclePoster) counts() (int, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.grades), len(c.retros)
}

func TestCycleEndSweep(t *testing.T) {
	// The team is in Tokyo: 2026-Q4 ends at 15:00 UTC on Dec 31.
	w := newWorld(t, time.Date(2026, 12, 31, 14, 0, 0, 0, time.UTC))
	w.saveSettings(func(s *okrs.Settings) { s.Timezone = "Asia/Tokyo" })
	cp := &cyclePoster{fail: 1}
	s := w.scheduler(func(o *reminders.Options) { o.Cycles = cp })
	sweep := func() {
		t.Helper()
		if _, err := s.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sweep()
	if g, r := cp.counts(); g != 0 || r != 0 {
		t.Fatalf("before the end: %d grade requests, %d retrospectives", g, r)
	}
	w.clock.Advance(90 * time.Minute) // 15:30 UTC: 00:30 in Tokyo on Jan 1
	sweep()                           // the grade request fails: retried next sweep
	sweep()
	sweep()
	if g, r := cp.counts(); g != 1 || r != 0 {
		t.Fatalf("after the end: %d grade requests (want 1, for the objective's owner), %d retrospectives (want 0)", g, r)
	}
	if g := cp.grades[0]; g.User != la || g.Cycle.Name != "2026-Q4" || len(g.Objectives) != 1 || g.Late {
		t.Errorf("grade request: %+v", g)
	}
	// Three days after the end, the retrospective goes out ungraded, once.
	w.clock.Advance(3 * 24 * time.Hour)
	sweep()
	sweep()
	if _, r := cp.counts(); r != 1 {
		t.Fatalf("%d retrospectives, want 1", r)
	}
	if r := cp.retros[0]; r.Cycle.Name != "2026-Q4" || r.Channel != w.team || r.Graded() != 0 || len(r.Objectives) != 1 {
		t.Errorf("retrospective: %+v", r)
	}
}

func TestCycleEndedLongAgoIsLeftAlone(t *testing.T) {
	w := newWorld(t, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	cp := &cyclePoster{}
	s := w.scheduler(func(o *reminders.Options) { o.Cycles = cp })
	w.clock.Advance(reminders.LateCycleWindow + 32*24*time.Hour) // 2026-Q4 ended more than 30 days ago
	if _, err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if g, r := cp.counts(); g != 0 || r != 0 {
		t.Errorf("%d grade requests, %d retrospectives for a cycle that ended long ago", g, r)
	}
}
