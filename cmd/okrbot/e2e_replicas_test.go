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

// TestKillTheLeaderMidDigests is the same with the week's digests of 30
// teams being posted (each a message and its chart uploads): every team's
// channel gets its digest once.
func TestKillTheLeaderMidDigests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs three processes for several seconds")
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) { stopTheLeaderMidDigests(t, sig) })
	}
}

// replicaProc is an okrbot process of a test.
type replicaProc struct {
	cmd    *os.Process
	leader chan struct{} // closed when it says it leads the scheduler
}

// fleet is three okrbot processes on one Redis prefix and one fake Slack,
// sweeping every second.
type fleet struct {
	t     *testing.T
	srv   *slacktest.Server
	st    *store.Store
	procs []*replicaProc
}

// newFleet prepares a fake Slack (chat.postMessage limited to 20/s) and a
// store on a prefix of the test's own; start runs the processes.
func newFleet(t *testing.T) (*fleet, string, string) {
	url, _ := storetest.URL(t)
	prefix := "okrbottest-" + storetest.Random(6)
	rdb := storetest.Client(t)
	t.Cleanup(func() { storetest.DeletePrefix(rdb, prefix) })
	srv := slacktest.New(t)
	srv.AddWorkspace(slacktest.Workspace{ID: teamA, Name: "Acme"})
	srv.RateLimit("chat.postMessage", 20, 5)
	return &fleet{t: t, srv: srv, st: store.New(rdb, prefix)}, url, prefix
}

func (f *fleet) start(url, prefix string) {
	t := f.t
	for range 3 {
		cmd := okrbotCmd(t, "SLACK_BOT_TOKEN="+f.srv.BotToken(), "SLACK_APP_TOKEN="+f.srv.AppToken(), "SLACK_API_URL="+f.srv.APIURL(),
			"REDIS_URL="+url, "REDIS_MODE="+storetest.Mode(t), "REDIS_PREFIX="+prefix, "OKRBOT_SWEEP_INTERVAL=1s", "OKRBOT_LEADER_LEASE=2s",
			"OKRBOT_MESSAGES_PER_SECOND=20", "OKRBOT_LOG_FORMAT=json")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p := &replicaProc{cmd: cmd.Process, leader: make(chan struct{})}
		f.procs = append(f.procs, p)
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
}

// stopLeaderAfter waits for the leader, lets it get n things done (as
// counted by done), then sends it sig; it returns the leader and the count
// when the signal went.
func (f *fleet) stopLeaderAfter(n int, done func() int, sig syscall.Signal) (*replicaProc, int) {
	t := f.t
	var leader *replicaProc
	select {
	case <-f.procs[0].leader:
		leader = f.procs[0]
	case <-f.procs[1].leader:
		leader = f.procs[1]
	case <-f.procs[2].leader:
		leader = f.procs[2]
	case <-time.After(20 * time.Second):
		t.Fatal("no replica became the leader")
	}
	for deadline := time.Now().Add(20 * time.Second); done() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("the leader did only %d", done())
		}
		time.Sleep(5 * time.Millisecond)
	}
	leader.cmd.Signal(sig)
	return leader, done()
}

// finish waits until done reaches n and settled (the deliveries in Redis)
// says every one is settled, then stops the survivors, which finish their
// sweeps in flight first.
func (f *fleet) finish(leader *replicaProc, n int, done func() int, settled func() int) {
	t := f.t
	for deadline := time.Now().Add(30 * time.Second); done() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("after the signal only %d of %d were sent", done(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The dead leader's claims expire and are taken over: no replica can
	// send any of them again once all are settled.
	for deadline := time.Now().Add(30 * time.Second); settled() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d deliveries settled", settled(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, p := range f.procs {
		if p != leader {
			p.cmd.Signal(syscall.SIGTERM)
			p.cmd.Wait()
		}
	}
}

// settledDeliveries counts the keys whose delivery is settled.
func (f *fleet) settledDeliveries(keys []string) int {
	n := 0
	for _, k := range keys {
		if d, err := f.st.Delivery(context.Background(), teamA, k); err == nil && d.Settled() {
			n++
		}
	}
	return n
}

func stopTheLeaderMidFanOut(t *testing.T, sig syscall.Signal) {
	f, url, prefix := newFleet(t)
	f.srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", BotIsMember: true})
	// Everyone's prompt is due today at 00:00 UTC, in the team's timezone.
	now := time.Now().UTC()
	today := okrs.DateOf(now)
	settings := okrs.DefaultSettings("UTC")
	settings.OwnerLocalTime, settings.PromptDay, settings.PromptTime = false, now.Weekday(), okrs.TimeOfDay{}
	if err := f.st.SaveSettings(context.Background(), teamA, growth, settings); err != nil {
		t.Fatal(err)
	}
	users := seedOwners(t, f.srv, f.st, 60, "UTC", today.Add(-time.Hour))
	f.start(url, prefix)

	sent := func() int { return len(promptsPerUser(f.srv)) }
	leader, at := f.stopLeaderAfter(20, sent, sig)
	period := okrs.PlanAt(settings, time.UTC, now).Period.Key
	var keys []string
	for _, u := range users {
		keys = append(keys, "prompt:"+growth+":"+period+":"+u)
	}
	f.finish(leader, len(users), sent, func() int { return f.settledDeliveries(keys) })
	got := promptsPerUser(f.srv)
	for _, u := range users {
		if n := got[f.srv.DMChannel(u)]; n != 1 {
			t.Errorf("%s got %d prompts, want 1", u, n)
		}
	}
	t.Logf("the leader was %v after %d of %d prompts; the other replicas sent the rest, each once", sig, at, len(users))
}

// digestsPerChannel counts the digests posted in each channel.
func digestsPerChannel(srv *slacktest.Server) map[string]int {
	out := map[string]int{}
	for _, c := range srv.Calls("chat.postMessage") {
		if c.OK() && strings.HasPrefix(c.Param("channel"), "C") && strings.Contains(c.Param("text"), "Weekly OKR digest") {
			out[c.Param("channel")]++
		}
	}
	return out
}

func stopTheLeaderMidDigests(t *testing.T, sig syscall.Signal) {
	f, url, prefix := newFleet(t)
	// 30 teams, each with one objective and one owner; their digests are
	// due today at 00:00 UTC (their prompts, on Monday, may be due too:
	// they share the pace).
	now := time.Now().UTC()
	today := okrs.DateOf(now)
	settings := okrs.DefaultSettings("UTC")
	settings.DigestDay, settings.DigestTime = now.Weekday(), okrs.TimeOfDay{}
	cycle := okrs.QuarterOf(now)
	var teams []string
	for i := range 30 {
		team, owner := fmt.Sprintf("CDIG%02d", i), fmt.Sprintf("UDIG%02d", i)
		teams = append(teams, team)
		f.srv.AddChannel(slacktest.Channel{ID: team, TeamID: teamA, Name: strings.ToLower(team), Members: []string{owner}, BotIsMember: true})
		f.srv.AddUser(slacktest.User{ID: owner, TeamID: teamA, Name: strings.ToLower(owner), TZ: "UTC"})
		if err := f.st.SaveSettings(context.Background(), teamA, team, settings); err != nil {
			t.Fatal(err)
		}
		o := &okrs.Objective{Workspace: teamA, Team: team, Cycle: cycle.Name, Title: "Objective of " + team, Owner: owner, CreatedBy: owner, CreatedAt: today.Add(-time.Hour),
			KeyResults: []okrs.KeyResult{{Title: "Key result of " + owner, Owner: owner, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10}}}
		o.Normalize()
		if err := f.st.CreateObjective(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		// A check-in this week: a digest with charts to upload.
		ci := okrs.CheckIn{KeyResultID: o.KeyResults[0].ID, Author: owner, At: now, Value: 4, Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Shipped the first four"}
		if _, err := f.st.RecordCheckIns(context.Background(), teamA, []okrs.CheckIn{ci}); err != nil {
			t.Fatal(err)
		}
	}
	f.start(url, prefix)

	posted := func() int { return len(digestsPerChannel(f.srv)) }
	leader, at := f.stopLeaderAfter(10, posted, sig)
	period, _ := okrs.DigestAt(settings, now)
	var keys []string
	for _, team := range teams {
		keys = append(keys, "digest:"+team+":"+period.Key)
	}
	f.finish(leader, len(teams), posted, func() int { return f.settledDeliveries(keys) })
	got := digestsPerChannel(f.srv)
	for _, team := range teams {
		if n := got[team]; n != 1 {
			t.Errorf("%s got %d digests, want 1", team, n)
		}
	}
	t.Logf("the leader was %v after %d of %d digests; the other replicas posted the rest, each once", sig, at, len(teams))
}
