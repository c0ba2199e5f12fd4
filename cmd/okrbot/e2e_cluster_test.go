package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// TestClusterSlotMigrationMidFanOut runs the real okrbot on a three-master
// Redis Cluster (REDIS_MODE=cluster) and, while the scheduler sends a
// fan-out of prompts to a rate-limited Slack, moves the workspace's hash
// slot to another master as redis-cli --cluster reshard would: the slot is
// held half-migrated until more prompts have gone out (their claims,
// attempts and outcomes follow -ASK to the new master), then finished.
// Everyone gets exactly one prompt and every delivery is settled, the slot
// is served by its new master, and a check-in afterwards is recorded.
func TestClusterSlotMigrationMidFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster and migrates a slot")
	}
	url := storetest.ClusterURL(t)
	e := newEnvWith(t, func(c *Config) {
		c.RedisURL, c.RedisMode = url, store.ModeCluster
		c.MessagesPerSecond = 30 // over what Slack accepts: 429s, honoured
	})
	e.srv.RateLimit("chat.postMessage", 15, 5) // 60 prompts take about 4 s
	st := e.main.Store
	users := seedOwners(t, e.srv, st, 60, "Europe/Berlin", e.clock().Add(-time.Hour))
	sent := func() int { return len(promptsPerUser(e.srv)) }
	waitSent := func(what string, done func(n int) bool) int {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if n := sent(); done(n) {
				return n
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: only %d of %d prompts sent", what, sent(), len(users))
			}
		}
	}

	// The fan-out: the prompts are due now (10:00 in Berlin). Sweeps run
	// until everyone has one: a send that failed is retried by the next.
	var (
		mu       sync.Mutex
		sweeps   int
		report   okrs.SendReport
		sweepErr []error
	)
	fanOutDone := make(chan struct{})
	go func() {
		defer close(fanOutDone)
		for deadline := time.Now().Add(25 * time.Second); sent() < len(users) && time.Now().Before(deadline); {
			rep, err := e.main.Scheduler.Sweep(e.ctx)
			mu.Lock()
			sweeps++
			report.Add(rep)
			if err != nil {
				sweepErr = append(sweepErr, err)
			}
			mu.Unlock()
			if err != nil || rep.Sent == 0 {
				time.Sleep(50 * time.Millisecond) // claims of a failed send expire
			}
		}
	}()

	// Some prompts are out: move the slot. The first batches each wait for
	// one more prompt, so that sends go through the half-migrated slot.
	before := waitSent("before the migration", func(n int) bool { return n >= 10 })
	var during []int // prompts sent, after each held batch
	m := storetest.MigrateSlot(t, url, "{"+teamA+"}", 10, func(int) {
		if len(during) == 5 {
			return
		}
		last := sent()
		during = append(during, waitSent("during the migration", func(n int) bool { return n > last || n == len(users) }))
	})
	after := sent()
	t.Logf("slot %d of {%s} moved from %s to %s: %d keys in %d batches, %d -ASK, %d -TRYAGAIN; prompts sent: %d before, %d while half-migrated (%v), %d of %d when done",
		m.Slot, teamA, m.From, m.To, m.Keys, m.Batches, m.Asks, m.TryAgains, before, after-before, during, after, len(users))
	if m.Keys == 0 || m.From == m.To {
		t.Fatalf("nothing moved: %+v", m)
	}
	if len(during) == 0 || during[len(during)-1] <= before || m.Asks == 0 {
		t.Errorf("no prompt went out through the half-migrated slot (before %d, during %v, %d -ASK)", before, during, m.Asks)
	}
	if after >= len(users) {
		t.Errorf("the fan-out ended before the migration did (%d of %d sent): nothing was sent after it", after, len(users))
	}
	for addr, owner := range storetest.SlotOwners(t, url, m.Slot) {
		if owner != m.To {
			t.Errorf("%s says slot %d is served by %s, want %s", addr, m.Slot, owner, m.To)
		}
	}

	select {
	case <-fanOutDone:
	case <-time.After(30 * time.Second):
		t.Fatal("the fan-out did not finish")
	}
	mu.Lock()
	t.Logf("%d sweeps: %+v; errors: %v", sweeps, report, sweepErr)
	if report.Failed > 0 || len(sweepErr) > 0 {
		t.Errorf("sends or sweeps failed during the migration: %+v, %v", report, sweepErr)
	}
	mu.Unlock()
	// Every prompt's delivery is settled on the new master: nothing is
	// left to send, and a later sweep sends nothing.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	period := okrs.PlanAt(okrs.DefaultSettings(e.cfg.DefaultTimezone), berlin, e.clock()).Period.Key
	for _, u := range users {
		d, err := st.Delivery(e.ctx, teamA, "prompt:"+growth+":"+period+":"+u)
		if err != nil || d.State != okrs.DeliverySent {
			t.Errorf("%s's prompt: %+v, %v; want sent", u, d, err)
		}
	}
	if rep, err := e.main.Scheduler.Sweep(e.ctx); err != nil || rep.Sent != 0 {
		t.Errorf("a sweep after the fan-out: %+v, %v; want nothing sent", rep, err)
	}

	// A check-in after the migration, through the prompt's button and the
	// modal, is recorded (on the new master).
	u := users[len(users)-1]
	p := e.prompt(u, "weekly check-in")
	if _, err := e.srv.PressButton(e.ctx, u, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(u, "okr_checkin")
	ack, err := e.srv.SubmitView(e.ctx, u, v.ID, slacktest.Values{"ci0_value": {"v": "7"}, "ci0_conf": {"v": "on_track"}, "ci0_note": {"v": "after the move"}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("submit: %v %v", err, ack.Errors())
	}
	if _, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == p.Channel && m.TS == p.TS && m.Edits > 0 && strings.Contains(m.AllText(), "Checked in")
	}); err != nil {
		t.Fatalf("the prompt was not marked checked in: %v", err)
	}
	recorded := false
	for _, o := range e.teamObjectives(teamA, growth) {
		for _, kr := range o.KeyResults {
			if kr.Owner == u {
				recorded = len(kr.CheckIns) == 1 && kr.CheckIns[0].Value == 7 && kr.CheckIns[0].Comment == "after the move" && kr.Current == 7
			}
		}
	}
	if !recorded {
		t.Errorf("%s's check-in after the migration is not recorded", u)
	}

	// Stop okrbot (its work in flight finishes first): nobody got a
	// prompt twice.
	e.stopAll()
	got := promptsPerUser(e.srv)
	for _, u := range users {
		if n := got[e.srv.DMChannel(u)]; n != 1 {
			t.Errorf("%s got %d prompts, want 1", u, n)
		}
	}
}
