package reminders_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
)

// poster records digests.
type poster struct {
	mu    sync.Mutex
	posts []okrs.Digest
	fail  error
	lose  int // the next lose posts land, but their answers are lost
}

func (p *poster) PostDigest(_ context.Context, d okrs.Digest) (okrs.Posted, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return okrs.Posted{}, p.fail
	}
	p.posts = append(p.posts, d)
	if p.lose > 0 {
		p.lose--
		return okrs.Posted{}, context.DeadlineExceeded
	}
	return okrs.Posted{Channel: d.Channel, TS: "1.1"}, nil
}

func (p *poster) FindDigest(_ context.Context, d okrs.Digest) (okrs.Posted, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, q := range p.posts {
		if q.Key == d.Key {
			return okrs.Posted{Channel: d.Channel, TS: "1.1"}, true, nil
		}
	}
	return okrs.Posted{}, false, nil
}

func TestDigestsAreScheduledOncePerWeekAcrossReplicas(t *testing.T) {
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC) // Monday
	w := newWorld(t, start)
	post := &poster{}
	var reps []*reminders.Scheduler
	for range 2 {
		reps = append(reps, w.scheduler(func(o *reminders.Options) { o.Digests = post }))
	}
	end := start.Add(14 * 24 * time.Hour)
	for !w.clock.Now().After(end) {
		var wg sync.WaitGroup
		for _, r := range reps {
			wg.Go(func() { r.Sweep(ctx) })
		}
		wg.Wait()
		w.clock.Advance(30 * time.Minute)
	}
	if len(post.posts) != 2 {
		t.Fatalf("%d digests in two weeks with two replicas, want 2", len(post.posts))
	}
	for i, d := range post.posts {
		if d.Now.Weekday() != time.Friday || d.Now.Hour() != 16 || d.Now.Minute() != 0 || d.Late {
			t.Errorf("digest %d at %v (late %v), want Friday 16:00 UTC", i, d.Now, d.Late)
		}
		if d.Channel != w.team || len(d.Objectives) != 1 {
			t.Errorf("digest %d: channel %s, %d objectives", i, d.Channel, len(d.Objectives))
		}
	}
}

// TestALandedDigestIsNotPostedTwice: a digest reaches Slack but its answer
// is lost (the poster timed out, or died before recording it): the next
// attempt finds it in the channel by its key instead of posting it again.
func TestALandedDigestIsNotPostedTwice(t *testing.T) {
	for _, now := range []bool{false, true} {
		w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
		post := &poster{lose: 1}
		s := w.scheduler(func(o *reminders.Options) { o.Digests = post })
		w.clock.Advance(4*24*time.Hour + 16*time.Hour) // Friday 16:00: due
		if now {
			if _, _, err := s.PostDigestNow(ctx, w.ws, w.team); err != nil {
				t.Fatalf("PostDigestNow: %v", err)
			}
		} else {
			s.Sweep(ctx)
		}
		s.Sweep(ctx)
		if len(post.posts) != 1 {
			t.Errorf("PostDigestNow %v: %d digests, want 1", now, len(post.posts))
		}
		if !strings.Contains(w.logs.String(), "an earlier attempt had landed") {
			t.Errorf("PostDigestNow %v: the recovery was not logged:\n%s", now, w.logs.String())
		}
		d, posted, err := s.PostDigestNow(ctx, w.ws, w.team)
		if err != nil || posted || d.State != okrs.DeliverySent {
			t.Errorf("PostDigestNow %v: the found digest is not settled: %+v, posted %v, %v", now, d, posted, err)
		}
	}
}

func TestMissedDigestIsPostedLate(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
	post := &poster{}
	s := w.scheduler(func(o *reminders.Options) { o.Digests = post })
	w.clock.Advance(5*24*time.Hour + 9*time.Hour) // Saturday 09:00: the bot was down on Friday
	s.Sweep(ctx)
	s.Sweep(ctx)
	if len(post.posts) != 1 || !post.posts[0].Late {
		t.Fatalf("after an outage: %d digests (late: %v), want 1 marked late", len(post.posts), len(post.posts) > 0 && post.posts[0].Late)
	}
	// "/okr digest" on top does not post the week's digest twice: it says
	// where the posted one is.
	d, posted, err := s.PostDigestNow(ctx, w.ws, w.team)
	if err != nil || posted || d.State != okrs.DeliverySent || d.Posted.Channel != w.team || len(post.posts) != 1 {
		t.Errorf("PostDigestNow after the scheduled digest = %+v, posted %v, %v; %d digests", d, posted, err, len(post.posts))
	}
}

// TestDigestNowRacingTheSweepPostsOnce: a manager's "/okr digest" and the
// scheduled sweep, at the same moment on two replicas, post one digest.
func TestDigestNowRacingTheSweepPostsOnce(t *testing.T) {
	for range 5 {
		w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
		post := &poster{}
		s1 := w.scheduler(func(o *reminders.Options) { o.Digests = post })
		s2 := w.scheduler(func(o *reminders.Options) { o.Digests = post })
		w.clock.Advance(4*24*time.Hour + 16*time.Hour) // Friday 16:00: due
		var wg sync.WaitGroup
		var posted bool
		var err error
		wg.Go(func() { _, posted, err = s1.PostDigestNow(ctx, w.ws, w.team) })
		wg.Go(func() { s2.Sweep(ctx) })
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if n := len(post.posts); n != 1 {
			t.Fatalf("%d digests posted (the manager's posted: %v), want 1", n, posted)
		}
	}
}

// TestDigestNowRetriesOneTheSweepGaveUp: a digest that could not be posted
// (the bot was not in the channel) is posted when a manager asks again.
func TestDigestNowRetriesOneTheSweepGaveUp(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
	post := &poster{fail: fmt.Errorf("%w: not_in_channel", okrs.ErrGone)}
	s := w.scheduler(func(o *reminders.Options) { o.Digests = post })
	w.clock.Advance(4*24*time.Hour + 16*time.Hour)
	s.Sweep(ctx)
	post.mu.Lock()
	post.fail = nil // the bot was invited
	post.mu.Unlock()
	s.Sweep(ctx)
	if len(post.posts) != 0 {
		t.Fatalf("the sweep retried a digest it had given up: %d", len(post.posts))
	}
	if _, posted, err := s.PostDigestNow(ctx, w.ws, w.team); err != nil || !posted || len(post.posts) != 1 {
		t.Errorf("PostDigestNow after a gone digest: posted %v, %v; %d digests", posted, err, len(post.posts))
	}
}

func TestDigestNowStandsInForTheScheduledOne(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
	post := &poster{}
	s := w.scheduler(func(o *reminders.Options) { o.Digests = post })
	w.clock.Advance(3 * 24 * time.Hour) // Thursday: a manager posts it early
	if _, posted, err := s.PostDigestNow(ctx, w.ws, w.team); err != nil || !posted {
		t.Fatal(posted, err)
	}
	w.clock.Advance(2 * 24 * time.Hour) // past Friday 16:00
	s.Sweep(ctx)
	if len(post.posts) != 1 {
		t.Errorf("%d digests this week, want only the early one", len(post.posts))
	}
}

func TestTeamWithoutObjectivesThisCycleGetsNoDigest(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC))
	post := &poster{}
	s := w.scheduler(func(o *reminders.Options) { o.Digests = post })
	// A team with settings only: no objectives, this cycle or the last.
	if err := w.st.SaveSettings(ctx, w.ws, "CEMPTY", okrs.DefaultSettings("UTC")); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(5 * 24 * time.Hour)
	s.Sweep(ctx)
	for _, d := range post.posts {
		if d.Team == "CEMPTY" {
			t.Error("a digest for a team that never had objectives")
		}
	}
}
