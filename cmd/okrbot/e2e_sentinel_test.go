package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

// TestSentinelFailoverMidBurst runs the real okrbot on a Redis primary, a
// replica and three sentinels (REDIS_MODE=sentinel) and kills the primary
// in the middle of a burst of check-ins (written straight to the store from
// goroutines, and submitted through the check-in modal) and of a prompt
// fan-out. Afterwards every check-in that was acknowledged is stored, every
// person got exactly one prompt, and during the switch people were told
// that storage was unavailable while okrbot kept serving.
func TestSentinelFailoverMidBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five Redis processes and fails one over")
	}
	s := storetest.Sentinel(t)
	e := newEnvWith(t, func(c *Config) {
		c.RedisURL, c.RedisMode = s.URL, "sentinel"
		c.MessagesPerSecond = 40 // a fan-out of a few seconds, for the failover to land in
		// The claim of a prompt sent while its outcome could not be
		// recorded expires after the lease; a later sweep then finds that
		// it landed and settles it without sending it again.
		c.LeaderLease, c.SweepInterval = 4*time.Second, 2*time.Second
	})
	st := e.main.Store
	users := seedOwners(t, e.srv, st, 120, "Europe/Berlin", e.clock().Add(-time.Hour))
	owner := map[string]string{} // key result → owner
	var krs []string
	for _, o := range e.teamObjectives(teamA, growth) {
		for _, kr := range o.KeyResults {
			owner[kr.ID] = kr.Owner
			krs = append(krs, kr.ID)
		}
	}

	// The fan-out: the clock moves past the prompt time (gocron sweeps) and
	// sweeps run back to back until everyone has a prompt.
	var sweepErrs atomic.Int64
	fanOutDone := make(chan struct{})
	e.advance(time.Minute)
	go func() {
		defer close(fanOutDone)
		for deadline := time.Now().Add(60 * time.Second); len(promptsPerUser(e.srv)) < len(users) && time.Now().Before(deadline); {
			rep, err := e.main.Scheduler.Sweep(e.ctx)
			if err != nil {
				sweepErrs.Add(1)
			}
			if err != nil || rep.Sent == 0 {
				time.Sleep(50 * time.Millisecond) // no spin while Redis is away or claims expire
			}
		}
	}()

	// The burst: writers record check-ins straight through the store and
	// keep the ids of those acknowledged.
	var (
		mu            sync.Mutex
		acked         = map[string]okrs.CheckIn{}
		failed        atomic.Int64
		firstFail     atomic.Int64 // unix nanos
		lastFail      atomic.Int64
		ackedAfter    atomic.Int64 // acknowledged after the promotion
		promoted      atomic.Bool
		stopWriters   = make(chan struct{})
		writers       sync.WaitGroup
		writeAttempts atomic.Int64
	)
	for w := range 4 {
		writers.Go(func() {
			for i := w; ; i += 4 {
				select {
				case <-stopWriters:
					return
				default:
				}
				kr := krs[i%len(krs)]
				writeAttempts.Add(1)
				ctx, cancel := context.WithTimeout(e.ctx, 3*time.Second)
				// Dated last week: this week's prompts are still due.
				cis, err := st.RecordCheckIns(ctx, teamA, []okrs.CheckIn{{KeyResultID: kr, Author: owner[kr], At: e.clock().Add(-8 * 24 * time.Hour),
					Value: float64(i % 10), Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: fmt.Sprintf("burst %d-%d", w, i)}})
				cancel()
				if err != nil {
					now := time.Now().UnixNano()
					firstFail.CompareAndSwap(0, now)
					lastFail.Store(now)
					failed.Add(1)
					time.Sleep(10 * time.Millisecond)
					continue
				}
				mu.Lock()
				for _, c := range cis {
					acked[c.ID] = c
				}
				mu.Unlock()
				if promoted.Load() {
					ackedAfter.Add(1)
				}
			}
		})
	}
	stopBurst := sync.OnceFunc(func() { close(stopWriters); writers.Wait() })
	t.Cleanup(stopBurst)

	// A third of the prompts are out: some people check in through the
	// modal; others open it now and submit it during the switch.
	for deadline := time.Now().Add(20 * time.Second); len(promptsPerUser(e.srv)) < len(users)/3; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d prompts before the failover", len(promptsPerUser(e.srv)))
		}
		time.Sleep(5 * time.Millisecond)
	}
	var prompted []string
	for _, u := range users {
		if promptsPerUser(e.srv)[e.srv.DMChannel(u)] > 0 {
			prompted = append(prompted, u)
		}
	}
	if len(prompted) < 8 {
		t.Fatalf("%d people prompted", len(prompted))
	}
	open := func(u string) *slacktest.View {
		p := e.prompt(u, "weekly check-in")
		if _, err := e.srv.PressButton(e.ctx, u, p, "okr_checkin"); err != nil {
			t.Fatal(err)
		}
		return e.waitModal(u, "okr_checkin")
	}
	submit := func(u string, v *slacktest.View) {
		ack, err := e.srv.SubmitView(e.ctx, u, v.ID, slacktest.Values{"ci0_value": {"v": "7"}, "ci0_conf": {"v": "on_track"}, "ci0_note": {"v": "modal " + u}})
		if err != nil || len(ack.Errors()) > 0 {
			t.Fatalf("submit for %s: %v %v", u, err, ack.Errors())
		}
	}
	// outcome waits for the bot's answer to u's submission: saved or not.
	outcome := func(u string) bool {
		m, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
			return m.Channel == e.srv.DMChannel(u) && (strings.Contains(m.AllText(), "Checked in") || strings.Contains(m.AllText(), "couldn't save your check-in"))
		})
		if err != nil {
			t.Fatalf("no answer to %s's check-in: %v", u, err)
		}
		return strings.Contains(m.AllText(), "Checked in")
	}
	before, during := prompted[:3], prompted[3:8]
	for _, u := range before {
		submit(u, open(u))
		if !outcome(u) {
			t.Errorf("%s's check-in before the failover was not saved", u)
		}
	}
	views := map[string]*slacktest.View{}
	for _, u := range during {
		views[u] = open(u)
	}

	// The switch.
	promptsAtKill := len(promptsPerUser(e.srv))
	killedAt := time.Now()
	s.KillPrimary()
	for _, u := range during {
		submit(u, views[u])
	}
	// Someone asks for the status while the primary is away: okrbot says
	// storage is unavailable (retrying until the answer comes from the
	// outage, bounded by the time the switch may take).
	var unavailable bool
	for deadline := time.Now().Add(10 * time.Second); !unavailable && time.Now().Before(deadline); {
		unavailable = strings.Contains(e.status().AllText(), "Storage is unavailable")
	}
	if !unavailable {
		t.Error("no /okr status during the switch said storage is unavailable")
	}
	s.WaitPromoted()
	promoted.Store(true)
	switchTook := time.Since(killedAt)

	savedDuring := 0
	var savedUsers []string
	for _, u := range during {
		if outcome(u) { // saved, or the person was told it was not
			savedDuring++
			savedUsers = append(savedUsers, u)
		}
	}
	// The writers go on until some writes land on the new primary.
	for deadline := time.Now().Add(15 * time.Second); ackedAfter.Load() < 20; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d writes acknowledged after the promotion", ackedAfter.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	stopBurst()
	select {
	case <-fanOutDone:
	case <-time.After(70 * time.Second):
		t.Fatal("the fan-out did not finish")
	}
	// A later sweep sends nothing more; then stop okrbot, which finishes
	// its sweeps in flight, so any duplicate has landed.
	if _, err := e.main.Scheduler.Sweep(e.ctx); err != nil {
		t.Errorf("sweep after the failover: %v", err)
	}
	// okrbot kept serving: the status answers again.
	if m := e.status(); strings.Contains(m.AllText(), "unavailable") {
		t.Errorf("after the failover /okr status says: %s", m.AllText())
	}
	objs := e.teamObjectives(teamA, growth) // before okrbot stops and closes its client
	e.stopAll()

	got := promptsPerUser(e.srv)
	// A prompt sent during the switch whose outcome (and DM channel) could
	// not be recorded is found by the next attempt in the DM, not sent twice.
	for _, u := range users {
		if c := got[e.srv.DMChannel(u)]; c != 1 {
			t.Errorf("%s got %d prompts, want 1", u, c)
		}
	}
	// Every acknowledged check-in is there, and so is every modal check-in
	// the bot said was saved.
	stored := map[string]bool{}
	byNote := map[string]bool{}
	for _, o := range objs {
		for _, kr := range o.KeyResults {
			for _, c := range kr.CheckIns {
				stored[c.ID] = true
				byNote[c.Comment] = true
			}
		}
	}
	lost := 0
	for id, c := range acked {
		if !stored[id] {
			lost++
			t.Errorf("acknowledged check-in %s (%s) lost", id, c.Comment)
		}
	}
	for _, u := range append(before, savedUsers...) {
		if !byNote["modal "+u] {
			t.Errorf("%s's modal check-in lost", u)
		}
	}
	var failWindow time.Duration
	if f := firstFail.Load(); f != 0 {
		failWindow = time.Duration(lastFail.Load() - f)
	}
	t.Logf("failover: primary killed after %d of %d prompts; the sentinels promoted the replica %v later; "+
		"%d of %d direct writes failed (over %v), %d acknowledged, %d lost; %d failed sweeps; "+
		"modal check-ins during the switch: %d of %d saved, the rest told so",
		promptsAtKill, len(users), switchTook.Round(time.Millisecond), failed.Load(), writeAttempts.Load(), failWindow.Round(time.Millisecond),
		len(acked), lost, sweepErrs.Load(), savedDuring, len(during))
}

// status runs /okr status as ana in #growth and returns the answer.
func (e *env) status() slacktest.Message {
	e.t.Helper()
	old := map[string]bool{}
	for _, m := range e.srv.Messages(growth) {
		old[m.TS] = true
	}
	e.okr(teamA, ana, growth, "status")
	m, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == growth && !old[m.TS] && (strings.Contains(m.AllText(), "OKR status") || strings.Contains(m.AllText(), "unavailable"))
	})
	if err != nil {
		e.t.Fatalf("no answer to /okr status: %v", err)
	}
	return m
}
