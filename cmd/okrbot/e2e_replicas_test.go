package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// seedOwners stores objectives in #growth whose key results are owned by n
// new people (added to the fake Slack in tz), five to an objective, created
// at created.
func seedOwners(t testing.TB, srv *slacktest.Server, st *store.Store, n int, tz string, created time.Time) []string {
	return seedOwnersIn(t, srv, st, []string{growth}, n, tz, created)
}

// seedOwnersIn spreads the objectives over teams.
func seedOwnersIn(t testing.TB, srv *slacktest.Server, st *store.Store, teams []string, n int, tz string, created time.Time) []string {
	t.Helper()
	var users []string
	for i := range n {
		u := fmt.Sprintf("UOWN%04d", i)
		srv.AddUser(slacktest.User{ID: u, TeamID: teamA, Name: strings.ToLower(u), TZ: tz})
		users = append(users, u)
	}
	c := okrs.QuarterOf(created)
	for i := 0; i < n; i += 5 {
		o := &okrs.Objective{Workspace: teamA, Team: teams[(i/5)%len(teams)], Cycle: c.Name, Title: fmt.Sprintf("Objective %d", i/5),
			Owner: users[i], CreatedBy: users[i], CreatedAt: created}
		for _, u := range users[i:min(i+5, n)] {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: "Key result of " + u, Owner: u, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10})
		}
		o.Normalize()
		if err := st.CreateObjective(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	return users
}

// promptsPerUser counts check-in prompts per DM'd user.
func promptsPerUser(srv *slacktest.Server) map[string]int {
	out := map[string]int{}
	for _, c := range srv.Calls("chat.postMessage") {
		if c.OK() && strings.HasPrefix(c.Param("channel"), "D") && strings.Contains(c.Param("text"), "weekly check-in") {
			out[c.Param("channel")]++
		}
	}
	return out
}

func TestReplicasPromptEachPersonOnce(t *testing.T) {
	for _, n := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d replicas", n), func(t *testing.T) {
			e := newEnv(t)
			mains := []*Main{e.main}
			for i := 2; i <= n; i++ {
				mains = append(mains, e.replica(i))
			}
			users := seedOwners(t, e.srv, e.main.Store, 30, "Europe/Berlin", e.clock().Add(-time.Hour))
			// gocron sweeps on every replica as the clock moves (the leader's
			// do the work); on top, all of them sweep at the same instant, as
			// if the lease had failed them.
			var wg sync.WaitGroup
			for range 3 {
				e.advance(time.Minute)
				for _, m := range mains {
					wg.Go(func() { m.Scheduler.Sweep(e.ctx) })
				}
				wg.Wait()
			}
			// Everyone has a prompt (a gocron sweep may still be sending
			// some)...
			for deadline := time.Now().Add(10 * time.Second); len(promptsPerUser(e.srv)) < len(users); time.Sleep(20 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("only %d of %d people got a prompt", len(promptsPerUser(e.srv)), len(users))
				}
			}
			// ...then stop every replica: Run returns only after its sweeps
			// in flight have finished, so any duplicate has landed by then.
			e.stopAll()
			got := promptsPerUser(e.srv)
			for _, u := range users {
				if c := got[e.srv.DMChannel(u)]; c != 1 {
					t.Errorf("%s got %d prompts, want 1", u, c)
				}
			}
		})
	}
}

// TestKillTheLeaderMidFanOut runs three okrbot processes on one Redis and one
// fake Slack, with the real clock, and stops the one that leads the
// scheduler (SIGKILL, then SIGTERM) while it is sending: the others finish
// the fan-out, and nobody gets a prompt twice.
func TestKillTheLeaderMidFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three processes for several seconds")
	}
	// SIGKILL: the leader dies mid-send. SIGTERM: it shuts down cleanly,
	// and what it was sending is either finished or left claimable.
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { stopTheLeaderMidFanOut(t, sig) })
	}
}

func stopTheLeaderMidFanOut(t *testing.T, sig syscall.Signal) {
	url, _ := storetest.URL(t)
	prefix := "okrbottest-" + storetest.Random(6)
	rdb := storetest.Client(t)
	t.Cleanup(func() { storetest.DeletePrefix(rdb, prefix) })
	st := store.New(rdb, prefix)
	srv := slacktest.New(t)
	srv.AddWorkspace(slacktest.Workspace{ID: teamA, Name: "Acme"})
	srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", BotIsMember: true})
	srv.RateLimit("chat.postMessage", 20, 5)

	// Everyone's prompt is due today at 00:00 UTC, in the team's timezone.
	now := time.Now().UTC()
	today := okrs.DateOf(now)
	settings := okrs.DefaultSettings("UTC")
	settings.OwnerLocalTime, settings.PromptDay, settings.PromptTime = false, now.Weekday(), okrs.TimeOfDay{}
	if err := st.SaveSettings(context.Background(), teamA, growth, settings); err != nil {
		t.Fatal(err)
	}
	users := seedOwners(t, srv, st, 60, "UTC", today.Add(-time.Hour))

	type proc struct {
		cmd    *os.Process
		leader chan struct{}
	}
	var procs []*proc
	for range 3 {
		cmd := okrbotCmd(t, "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_API_URL="+srv.APIURL(),
			"REDIS_URL="+url, "REDIS_MODE="+storetest.Mode(t), "REDIS_PREFIX="+prefix, "OKRBOT_SWEEP_INTERVAL=1s", "OKRBOT_LEADER_LEASE=2s",
			"OKRBOT_MESSAGES_PER_SECOND=20", "OKRBOT_LOG_FORMAT=json")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := &proc{cmd: cmd.Process, leader: make(chan struct{})}
		procs = append(procs, p)
		go func() {
			sc := bufio.NewScanner(stderr)
			var once sync.Once
			for sc.Scan() {
				if strings.Contains(sc.Text(), "this replica now leads the scheduler") {
					once.Do(func() { close(p.leader) })
				}
			}
		}()
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	// Find the leader, let it send a third, then kill it.
	var leader *proc
	select {
	case <-procs[0].leader:
		leader = procs[0]
	case <-procs[1].leader:
		leader = procs[1]
	case <-procs[2].leader:
		leader = procs[2]
	case <-time.After(20 * time.Second):
		t.Fatal("no replica became the leader")
	}
	for deadline := time.Now().Add(20 * time.Second); len(promptsPerUser(srv)) < 20; {
		if time.Now().After(deadline) {
			t.Fatalf("the leader sent only %d prompts", len(promptsPerUser(srv)))
		}
		time.Sleep(5 * time.Millisecond)
	}
	leader.cmd.Signal(sig)
	killedAt := len(promptsPerUser(srv))
	for deadline := time.Now().Add(30 * time.Second); len(promptsPerUser(srv)) < len(users); {
		if time.Now().After(deadline) {
			t.Fatalf("after the kill only %d of %d people got a prompt", len(promptsPerUser(srv)), len(users))
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Every prompt's delivery is settled in Redis (the dead leader's claims
	// expired and were taken over): no replica can send one again. Then
	// stop the survivors, which finish their sweeps in flight first.
	period := okrs.PlanAt(settings, time.UTC, now).Period.Key
	for deadline := time.Now().Add(30 * time.Second); ; {
		settled := 0
		for _, u := range users {
			if d, err := st.Delivery(context.Background(), teamA, "prompt:"+growth+":"+period+":"+u); err == nil && d.Settled() {
				settled++
			}
		}
		if settled == len(users) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d prompts settled", settled, len(users))
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, p := range procs {
		if p != leader {
			p.cmd.Signal(syscall.SIGTERM)
			p.cmd.Wait()
		}
	}
	got := promptsPerUser(srv)
	for _, u := range users {
		if n := got[srv.DMChannel(u)]; n != 1 {
			t.Errorf("%s got %d prompts, want 1", u, n)
		}
	}
	t.Logf("the leader was %v after %d of %d prompts; the other replicas sent the rest, each once", sig, killedAt, len(users))
}
