package reminders_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

var ctx = context.Background()

// sent is one message the fake messenger delivered.
type sent struct {
	kind   okrs.PromptKind
	user   string
	team   string
	period string
	at     time.Time // on the scheduler's clock
	late   bool
	krs    int
	key    string
	// catchUp and snoozed: the prompt on return from being away, a snoozed prompt again.
	catchUp, snoozed bool
}

// messenger is a fake Slack for the scheduler: people with timezones, a
// record of what was sent, and failures on demand.
type messenger struct {
	clock clockwork.Clock

	mu      sync.Mutex
	people  map[string]okrs.Recipient
	sent    []sent
	failFor map[string][]error     // user → errors to return, in order
	block   chan struct{}          // when set, sends wait on it
	lose    func(okrs.Prompt) bool // when true, the send lands but reports a failure
	panics  map[string]bool        // user → the send panics
	calls   atomic.Int64
}

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func newMessenger(clock clockwork.Clock) *messenger {
	return &messenger{clock: clock, people: map[string]okrs.Recipient{}, failFor: map[string][]error{}}
}

func (m *messenger) add(user, tz string) {
	loc, _ := time.LoadLocation(tz)
	m.mu.Lock()
	m.people[user] = okrs.Recipient{Location: loc, Active: true}
	m.mu.Unlock()
}

func (m *messenger) Person(_ context.Context, _, user string) (okrs.Recipient, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.people[user]
	if !ok {
		return okrs.Recipient{}, okrs.ErrGone
	}
	return p, nil
}

func (m *messenger) SendPrompt(ctx context.Context, p okrs.Prompt) (okrs.Posted, error) {
	m.calls.Add(1)
	m.mu.Lock()
	block := m.block
	m.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return okrs.Posted{}, ctx.Err()
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.panics[p.User] {
		panic("messenger: a bug on " + p.User + "'s prompt")
	}
	if errs := m.failFor[p.User]; len(errs) > 0 {
		m.failFor[p.User] = errs[1:]
		if errs[0] != nil {
			return okrs.Posted{}, errs[0]
		}
	}
	n := 0
	for _, o := range p.Objectives {
		n += len(o.KeyResults)
	}
	m.sent = append(m.sent, sent{kind: p.Kind, user: p.User, team: p.Team, period: p.Period.Key, at: m.clock.Now(), late: p.Late, krs: n, key: p.Key, catchUp: p.CatchUp, snoozed: p.Snoozed})
	if m.lose != nil && m.lose(p) { // Slack took it, but the answer never came back
		return okrs.Posted{}, errors.New("read tcp: i/o timeout")
	}
	return okrs.Posted{Channel: "D" + p.User, TS: fmt.Sprintf("%d.%06d", len(m.sent), len(m.sent))}, nil
}

// FindPrompt finds a message sent for p.Key.
func (m *messenger) FindPrompt(_ context.Context, p okrs.Prompt) (okrs.Posted, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, s := range m.sent {
		if s.key == p.Key {
			return okrs.Posted{Channel: "D" + s.user, TS: fmt.Sprintf("%d.%06d", i+1, i+1)}, true, nil
		}
	}
	return okrs.Posted{}, false, nil
}

func (m *messenger) all() []sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sent(nil), m.sent...)
}

// count returns how many messages of kind went to user (any kind when "").
func (m *messenger) count(kind okrs.PromptKind, user string) int {
	n := 0
	for _, s := range m.all() {
		if (kind == "" || s.kind == kind) && (user == "" || s.user == user) {
			n++
		}
	}
	return n
}

// world is a workspace with a team whose owners are in three timezones.
type world struct {
	t     *testing.T
	st    *store.Store
	ws    string
	team  string
	clock *clockwork.FakeClock
	msg   *messenger
	obj   *okrs.Objective
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

const (
	la     = "ULA"
	berlin = "UBER"
	kolkat = "UKOL"
)

func newWorld(t *testing.T, start time.Time) *world {
	st, _ := storetest.Store(t)
	w := &world{t: t, st: st, ws: storetest.Workspace(), team: "CTEAM", clock: clockwork.NewFakeClockAt(start), logs: &syncBuffer{}}
	w.msg = newMessenger(w.clock)
	w.msg.add(la, "America/Los_Angeles")
	w.msg.add(berlin, "Europe/Berlin")
	w.msg.add(kolkat, "Asia/Kolkata")
	w.obj = w.createObjective(okrs.QuarterOf(start), la, berlin, kolkat)
	return w
}

func (w *world) createObjective(c okrs.Cycle, owners ...string) *okrs.Objective {
	o := &okrs.Objective{Workspace: w.ws, Team: w.team, Cycle: c.Name, Title: "Grow", Owner: owners[0], CreatedBy: owners[0], CreatedAt: w.clock.Now()}
	for _, u := range owners {
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: "KR of " + u, Owner: u, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10})
	}
	o.Normalize()
	if err := w.st.CreateObjective(ctx, o); err != nil {
		w.t.Fatal(err)
	}
	return o
}

func (w *world) scheduler(opts ...func(*reminders.Options)) *reminders.Scheduler {
	o := reminders.Options{Store: w.st, Messenger: w.msg, Clock: w.clock, DefaultTimezone: "UTC",
		MessagesPerSecond: 1000, Burst: 100, RetryBase: time.Millisecond, ClaimTTL: time.Minute,
		Logger: slog.New(slog.NewTextHandler(w.logs, nil))}
	for _, f := range opts {
		f(&o)
	}
	return reminders.New(o)
}

func (w *world) saveSettings(change func(*okrs.Settings)) {
	s := okrs.DefaultSettings("UTC")
	change(&s)
	if err := w.st.SaveSettings(ctx, w.ws, w.team, s); err != nil {
		w.t.Fatal(err)
	}
}

// claimed counts the team's prompts of period that a replica still holds.
func (w *world) claimed(period string) int {
	n := 0
	w.msg.mu.Lock()
	users := make([]string, 0, len(w.msg.people))
	for u := range w.msg.people {
		users = append(users, u)
	}
	w.msg.mu.Unlock()
	for _, u := range users {
		if d, err := w.st.Delivery(ctx, w.ws, "prompt:"+w.team+":"+period+":"+u); err == nil && d.State == okrs.DeliveryClaimed {
			n++
		}
	}
	return n
}

// checkIn records a check-in by user on their key result now.
func (w *world) checkIn(user string) {
	for _, kr := range w.obj.KeyResults {
		if kr.Owner == user {
			if _, err := w.st.RecordCheckIns(ctx, w.ws, []okrs.CheckIn{{KeyResultID: kr.ID, Author: user, At: w.clock.Now(), Value: 5,
				Confidence: okrs.Confidence{Level: okrs.OnTrack}}}); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

// run sweeps every step until the clock reaches end, calling each (if any)
// before every sweep.
func (w *world) run(s *reminders.Scheduler, end time.Time, step time.Duration, each func(now time.Time)) {
	for !w.clock.Now().After(end) {
		if each != nil {
			each(w.clock.Now())
		}
		if _, err := s.Sweep(ctx); err != nil {
			w.t.Fatalf("Sweep at %v: %v", w.clock.Now(), err)
		}
		w.clock.Advance(step)
	}
}

func TestWeeksOfPromptsInThreeTimezones(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // Monday
	w := newWorld(t, start)
	s := w.scheduler()
	// Berlin checks in a few hours after each prompt; Kolkata checks in early
	// on the third Monday, before its prompt; Los Angeles never does.
	w.run(s, start.Add(23*24*time.Hour), 15*time.Minute, func(now time.Time) { // four weeks of prompts
		if now.Weekday() == time.Monday && now.UTC().Hour() == 14 && now.Minute() == 0 {
			w.checkIn(berlin)
		}
		if now.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)) { // Monday 05:30 in Kolkata, before its prompt
			w.checkIn(kolkat)
		}
	})
	for _, tt := range []struct {
		user            string
		tz              string
		prompts, nudges int
	}{
		{la, "America/Los_Angeles", 4, 4},
		{berlin, "Europe/Berlin", 4, 0},
		{kolkat, "Asia/Kolkata", 3, 3}, // no prompt the week it checked in early
	} {
		if got := w.msg.count(okrs.KindPrompt, tt.user); got != tt.prompts {
			t.Errorf("%s: %d prompts, want %d", tt.user, got, tt.prompts)
		}
		if got := w.msg.count(okrs.KindNudge, tt.user); got != tt.nudges {
			t.Errorf("%s: %d nudges, want %d", tt.user, got, tt.nudges)
		}
		loc := mustLoc(t, tt.tz)
		for _, m := range w.msg.all() {
			if m.user != tt.user {
				continue
			}
			local := m.at.In(loc)
			wantHour := map[okrs.PromptKind]int{okrs.KindPrompt: 10, okrs.KindNudge: 10}[m.kind]
			wantDay := map[okrs.PromptKind]time.Weekday{okrs.KindPrompt: time.Monday, okrs.KindNudge: time.Tuesday}[m.kind]
			if local.Weekday() != wantDay || local.Hour() != wantHour || local.Minute() >= 15 || m.late {
				t.Errorf("%s: %s sent %v (late %v), want %v %02d:00–%02d:15 local", tt.user, m.kind, local, m.late, wantDay, wantHour, wantHour)
			}
			if m.krs != 1 {
				t.Errorf("%s: prompt lists %d key results, want 1", tt.user, m.krs)
			}
		}
	}
}

func TestPromptsStayAtTenAcrossDaylightSaving(t *testing.T) {
	// Europe falls back on Oct 25 2026, the US on Nov 1.
	start := time.Date(2026, 10, 12, 0, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	s := w.scheduler()
	w.run(s, start.Add(28*24*time.Hour), 15*time.Minute, nil)
	for user, tz := range map[string]string{la: "America/Los_Angeles", berlin: "Europe/Berlin"} {
		loc := mustLoc(t, tz)
		offsets := map[int]bool{}
		n := 0
		for _, m := range w.msg.all() {
			if m.user != user || m.kind != okrs.KindPrompt {
				continue
			}
			n++
			local := m.at.In(loc)
			_, off := local.Zone()
			offsets[off] = true
			if local.Hour() != 10 || local.Minute() >= 15 || local.Weekday() != time.Monday {
				t.Errorf("%s: prompt at %v, want Monday 10:00 local", user, local)
			}
		}
		if n != 4 || len(offsets) != 2 {
			t.Errorf("%s: %d prompts over %d UTC offsets, want 4 prompts across the switch (2 offsets)", user, n, len(offsets))
		}
	}
}

func TestBiweeklyTeamTimezoneAndSettingsChange(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	w.saveSettings(func(s *okrs.Settings) {
		s.Cadence, s.Anchor = okrs.Biweekly, okrs.Date(2026, 11, 2)
		s.OwnerLocalTime, s.Timezone = false, "Europe/Berlin"
		s.NudgeAfter = 0
	})
	s := w.scheduler()
	w.run(s, start.Add(28*24*time.Hour), 30*time.Minute, nil)
	berlinLoc := mustLoc(t, "Europe/Berlin")
	for _, u := range []string{la, berlin, kolkat} {
		var weeks []string
		for _, m := range w.msg.all() {
			if m.user == u {
				weeks = append(weeks, m.at.In(berlinLoc).Format("Mon 2006-01-02 15:04"))
			}
		}
		want := "Mon 2026-11-02 10:00 Mon 2026-11-16 10:00"
		if strings.Join(weeks, " ") != want {
			t.Errorf("%s got %v, want every other Monday at 10:00 Berlin time, the team's: %s", u, weeks, want)
		}
	}
	if w.msg.count(okrs.KindNudge, "") != 0 {
		t.Error("nudges were sent with nudges off")
	}
	// A settings change applies on the next sweep, no restart.
	w.saveSettings(func(s *okrs.Settings) {
		s.PromptDay, s.PromptTime, s.OwnerLocalTime, s.Timezone = time.Wednesday, okrs.TimeOfDay{Hour: 9, Minute: 0}, false, "Asia/Kolkata"
	})
	before := len(w.msg.all())
	w.run(s, w.clock.Now().Add(7*24*time.Hour), 30*time.Minute, nil)
	var got []string
	for _, m := range w.msg.all()[before:] {
		if m.kind == okrs.KindPrompt {
			got = append(got, m.at.In(mustLoc(t, "Asia/Kolkata")).Format("Mon 15:04"))
		}
	}
	if len(got) != 3 || got[0] != "Wed 09:00" {
		t.Errorf("after the change: prompts %v, want three on Wednesday 09:00 Kolkata time", got)
	}
}

func TestLatePromptsAfterAnOutage(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	s := w.scheduler()
	// The bot is down from Monday to Wednesday noon UTC: no sweeps.
	w.clock.Advance(60 * time.Hour)
	if _, err := s.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{la, berlin, kolkat} {
		if w.msg.count(okrs.KindPrompt, u) != 1 {
			t.Errorf("%s: no late prompt after the outage", u)
		}
	}
	for _, m := range w.msg.all() {
		if m.kind == okrs.KindPrompt && !m.late {
			t.Errorf("a prompt sent 2 days late is not marked late: %+v", m)
		}
	}
	// One nudge each follows, at once (it is past due too), not two.
	s.Sweep(ctx)
	s.Sweep(ctx)
	if n := w.msg.count(okrs.KindNudge, ""); n != 3 {
		t.Errorf("%d nudges, want 3", n)
	}
	// After the period, nothing more for it.
	w.clock.Advance(5 * 24 * time.Hour) // Monday of the next week, 12:00 UTC
	s.Sweep(ctx)
	for _, m := range w.msg.all() {
		if m.period == "2026-11-02" && m.at.After(start.Add(7*24*time.Hour)) {
			t.Errorf("a message for last week's period was sent this week: %+v", m)
		}
	}
}

func TestExactlyOnceWithRacingReplicas(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	var more []string
	for i := range 30 {
		u := fmt.Sprintf("UX%02d", i)
		w.msg.add(u, []string{"America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata"}[i%3])
		more = append(more, u)
	}
	for i := 0; i < len(more); i += 5 {
		w.createObjective(okrs.QuarterOf(start), more[i:i+5]...)
	}
	// Three replicas sweep at the same instants, concurrently, for a week.
	var reps []*reminders.Scheduler
	for range 3 {
		reps = append(reps, w.scheduler())
	}
	end := start.Add(7 * 24 * time.Hour)
	for !w.clock.Now().After(end) {
		var wg sync.WaitGroup
		for _, r := range reps {
			wg.Go(func() { r.Sweep(ctx) })
		}
		wg.Wait()
		w.clock.Advance(30 * time.Minute)
	}
	for _, u := range append(more, la, berlin, kolkat) {
		if n := w.msg.count(okrs.KindPrompt, u); n != 1 {
			t.Errorf("%s got %d prompts, want exactly 1", u, n)
		}
		if n := w.msg.count(okrs.KindNudge, u); n != 1 {
			t.Errorf("%s got %d nudges, want exactly 1", u, n)
		}
	}
}

func TestCrashMidFanOutIsFinishedByAnotherReplica(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w := newWorld(t, start)
	for i := range 20 {
		u := fmt.Sprintf("UY%02d", i)
		w.msg.add(u, "UTC")
		if i%5 == 4 {
			var us []string
			for j := i - 4; j <= i; j++ {
				us = append(us, fmt.Sprintf("UY%02d", j))
			}
			w.createObjective(okrs.QuarterOf(start), us...)
		}
	}
	w.clock.Advance(20 * time.Hour) // Monday 20:00 UTC: everyone's 10:00 has passed
	// Replica A dies after 7 messages: its context ends mid-send, leaving
	// claims it never settles.
	crashCtx, crash := context.WithCancel(ctx)
	a := w.scheduler(func(o *reminders.Options) { o.ClaimTTL = 300 * time.Millisecond; o.Workers = 2 })
	gate := make(chan struct{})
	w.msg.mu.Lock()
	w.msg.block = gate
	w.msg.mu.Unlock()
	go func() { // let seven sends through, then crash
		for range 7 {
			gate <- struct{}{}
		}
		for w.msg.count("", "") < 7 {
			time.Sleep(time.Millisecond)
		}
		crash()
	}()
	a.Sweep(crashCtx)
	w.msg.mu.Lock()
	w.msg.block = nil
	w.msg.mu.Unlock()
	sentByA := w.msg.count("", "")
	if sentByA >= 23 {
		t.Fatalf("replica A sent all %d before crashing", sentByA)
	}
	// Replica B takes over once A's claims have expired (Redis expires
	// them on its own clock): wait until none is left.
	period := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, w.clock.Now()).Period.Key
	for deadline := time.Now().Add(5 * time.Second); w.claimed(period) > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d claims of the crashed replica never expired", w.claimed(period))
		}
	}
	b := w.scheduler()
	if _, err := b.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range append([]string{la, berlin, kolkat}, func() (us []string) {
		for i := range 20 {
			us = append(us, fmt.Sprintf("UY%02d", i))
		}
		return
	}()...) {
		if n := w.msg.count(okrs.KindPrompt, u); n != 1 {
			t.Errorf("%s got %d prompts, want exactly 1", u, n)
		}
	}
	t.Logf("replica A sent %d of 23 before it crashed; B sent the rest", sentByA)
}

func TestGoneUsersAreSkippedOnceAndNeverRetried(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	w.clock.Advance(20 * time.Hour)
	w.msg.mu.Lock()
	delete(w.msg.people, kolkat)                                                  // unknown to Slack now
	w.msg.people[la] = okrs.Recipient{Location: mustLoc(t, "UTC"), Active: false} // deactivated
	w.msg.failFor[berlin] = []error{fmt.Errorf("cannot_dm: %w", okrs.ErrGone)}    // Slack refuses the DM
	w.msg.mu.Unlock()
	s := w.scheduler()
	for range 5 {
		s.Sweep(ctx)
		w.clock.Advance(time.Hour)
	}
	if n := w.msg.count("", ""); n != 0 {
		t.Errorf("%d messages to people who cannot get them", n)
	}
	if calls := w.msg.calls.Load(); calls != 1 {
		t.Errorf("SendPrompt called %d times, want once (for Berlin, then never again)", calls)
	}
	if n := strings.Count(w.logs.String(), "skipping a deactivated or unknown Slack user"); n != 3 {
		t.Errorf("skips logged %d times, want once per person:\n%s", n, w.logs.String())
	}
}

func TestRateLimitsAndFailuresAreRetried(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	w.clock.Advance(20 * time.Hour)
	boom := errors.New("slack: internal_error")
	w.msg.mu.Lock()
	w.msg.failFor[la] = []error{&okrs.RateLimited{After: 10 * time.Millisecond}, &okrs.RateLimited{After: 10 * time.Millisecond}}
	w.msg.failFor[berlin] = []error{boom, boom}                                                                   // recovers within one sweep
	w.msg.failFor[kolkat] = []error{boom, boom, boom, boom, boom, boom, boom, boom, boom, boom, boom, boom, boom} // never in time
	w.msg.mu.Unlock()
	s := w.scheduler()
	for range 5 {
		s.Sweep(ctx)
	}
	if w.msg.count(okrs.KindPrompt, la) != 1 || w.msg.count(okrs.KindPrompt, berlin) != 1 {
		t.Errorf("rate-limited and flaky sends did not get through exactly once: %+v", w.msg.all())
	}
	if w.msg.count("", kolkat) != 0 {
		t.Error("a send that always fails was recorded as sent")
	}
	// Kolkata: 4 tries in each of 3 sweeps, then given up and reported.
	if !strings.Contains(w.logs.String(), "giving up after repeated failures") {
		t.Errorf("the failure was not reported:\n%s", w.logs.String())
	}
}

func TestRemindNow(t *testing.T) {
	start := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC) // Monday, before anyone's 10:00 (Sunday evening in LA)
	w := newWorld(t, start)
	s := w.scheduler()
	w.checkIn(berlin)
	w.clock.Advance(7 * time.Hour) // 08:00 UTC: Monday everywhere, before 10:00 in LA and Berlin
	var sending int
	r, err := s.RemindNow(ctx, w.ws, w.team, func(n int, eta time.Duration) {
		sending = n
		if w.msg.count("", "") != 0 {
			t.Error("started was called after sending began")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sent != 2 || r.CheckedIn != 1 || sending != 2 {
		t.Errorf("first remind: %+v, announced %d; want 2 sent, 1 checked in, 2 announced", r, sending)
	}
	// The scheduled prompt does not come again.
	w.run(s, start.Add(27*time.Hour), 30*time.Minute, nil)
	if n := w.msg.count(okrs.KindPrompt, la); n != 1 {
		t.Errorf("LA got %d prompts, want 1 (the manager's)", n)
	}
	// A second remind reminds, once per hour however often asked.
	r, _ = s.RemindNow(ctx, w.ws, w.team, nil)
	r2, _ := s.RemindNow(ctx, w.ws, w.team, nil)
	if r.Sent != 2 || r2.Sent != 0 || w.msg.count(okrs.KindRemind, "") != 2 {
		t.Errorf("second remind %+v, third %+v; reminders %d", r, r2, w.msg.count(okrs.KindRemind, ""))
	}
}

func TestRunSweepsOnTheFakeClockAndOnlyTheLeaderSends(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	w.clock.Advance(20 * time.Hour)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var electors []*reminders.Elector
	var wg sync.WaitGroup
	for i := range 2 {
		e := reminders.NewElector(w.st, "sched", fmt.Sprintf("replica-%d", i), 5*time.Second)
		electors = append(electors, e)
		s := w.scheduler(func(o *reminders.Options) { o.Elector = e })
		wg.Go(func() { s.Run(runCtx) })
	}
	// gocron runs the first sweep at once, then every minute of the fake clock.
	for range 30 {
		if w.msg.count(okrs.KindPrompt, "") == 3 {
			break
		}
		w.clock.Advance(time.Minute)
		time.Sleep(20 * time.Millisecond)
	}
	if n := w.msg.count(okrs.KindPrompt, ""); n != 3 {
		t.Fatalf("%d prompts after sweeps on the fake clock, want 3", n)
	}
	leaders := 0
	for _, e := range electors {
		if e.Leader() {
			leaders++
		}
	}
	if leaders != 1 {
		t.Errorf("%d leaders, want 1", leaders)
	}
	cancel()
	wg.Wait()
}

func TestALandedAttemptIsNotSentTwice(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	w.clock.Advance(20 * time.Hour) // everyone is due
	// Berlin's first DM reaches Slack but the answer times out: a retry
	// must find the message instead of sending it again.
	var once sync.Once
	w.msg.lose = func(p okrs.Prompt) bool {
		lost := false
		if p.User == berlin {
			once.Do(func() { lost = true })
		}
		return lost
	}
	s := w.scheduler()
	for range 3 {
		s.Sweep(ctx)
	}
	if n := w.msg.count(okrs.KindPrompt, berlin); n != 1 {
		t.Errorf("Berlin got %d prompts, want 1", n)
	}
	if !strings.Contains(w.logs.String(), "an earlier attempt had landed") {
		t.Errorf("the recovery was not logged:\n%s", w.logs.String())
	}
}

// TestAPanickingSendIsRecovered: a bug while sending one person's prompt
// (a panic in the fan-out's goroutine) is logged and counted; the process
// carries on and everyone else gets their prompt. The claim is released, so
// a later sweep tries that person again.
func TestAPanickingSendIsRecovered(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))                          // Monday
	w.saveSettings(func(s *okrs.Settings) { s.OwnerLocalTime = false; s.Timezone = "UTC" }) // 10:00 UTC for all three
	w.clock.Advance(90 * time.Minute)
	w.msg.panics = map[string]bool{berlin: true}
	reg := prometheus.NewRegistry()
	s := w.scheduler(func(o *reminders.Options) { o.Registerer = reg })
	r, _ := s.Sweep(ctx)
	if r.Sent != 2 || r.Failed != 1 || w.msg.count(okrs.KindPrompt, la) != 1 || w.msg.count(okrs.KindPrompt, kolkat) != 1 {
		t.Fatalf("sweep with a panicking send: %+v; LA %d, Kolkata %d prompts", r, w.msg.count(okrs.KindPrompt, la), w.msg.count(okrs.KindPrompt, kolkat))
	}
	if !strings.Contains(w.logs.String(), "recovered from a panic") || !strings.Contains(w.logs.String(), "a bug on "+berlin) {
		t.Errorf("the panic was not logged:\n%s", w.logs.String())
	}
	if got := counterValue(t, reg, "okrbot_background_panics_total"); got != 1 {
		t.Errorf("okrbot_background_panics_total = %v, want 1", got)
	}
	w.msg.mu.Lock()
	w.msg.panics = nil // fixed
	w.msg.mu.Unlock()
	w.clock.Advance(time.Minute)
	s.Sweep(ctx)
	if n := w.msg.count(okrs.KindPrompt, berlin); n != 1 {
		t.Errorf("Berlin got %d prompts after the fix, want 1", n)
	}
}

// counterValue sums the counter registered under name.
func counterValue(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var total float64
			for _, m := range mf.GetMetric() {
				total += m.GetCounter().GetValue()
			}
			return total
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

// TestRemindDuringASlackOutageIsSentAfterRecoveryOnce: a manager's remind
// that Slack fails (here the prompts it sends to Berlin and LA, not yet
// prompted) is tried again by the next sweeps under the same key, and
// arrives once Slack answers, once.
func TestRemindDuringASlackOutageIsSentAfterRecoveryOnce(t *testing.T) {
	w := newWorld(t, time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)) // Monday, before anyone's 10:00
	s := w.scheduler()
	w.clock.Advance(7 * time.Hour) // 08:00 UTC: Kolkata's 10:00 passed; Berlin and LA not yet
	s.Sweep(ctx)                   // Kolkata's scheduled prompt
	boom := errors.New("slack: internal_error")
	w.msg.mu.Lock()
	w.msg.failFor[berlin] = []error{boom, boom, boom, boom} // the whole remind (4 tries)
	w.msg.failFor[la] = []error{boom, boom, boom, boom}
	w.msg.mu.Unlock()
	r, err := s.RemindNow(ctx, w.ws, w.team, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Retrying != 2 || r.Failed != 2 {
		t.Fatalf("remind during the outage: %+v, want 2 failed and retrying", r)
	}
	// Slack is back: the next sweep sends both, once; later sweeps nothing more.
	w.clock.Advance(time.Minute)
	s.Sweep(ctx)
	w.clock.Advance(time.Minute)
	s.Sweep(ctx)
	if n := w.msg.count("", berlin); n != 1 {
		t.Errorf("Berlin got %d messages, want the remind once", n)
	}
	if n := w.msg.count("", la); n != 1 {
		t.Errorf("LA got %d messages, want the remind once", n)
	}
	// The scheduled prompt at 10:00 does not come on top of it.
	w.run(s, w.clock.Now().Add(10*time.Hour), 30*time.Minute, nil)
	if n := w.msg.count(okrs.KindPrompt, berlin) + w.msg.count(okrs.KindRemind, berlin); n != 1 {
		t.Errorf("Berlin got %d prompts and reminders in all, want 1", n)
	}
	if pending, _ := w.st.PendingSends(ctx, w.ws); len(pending) != 0 {
		t.Errorf("%d reminders still pending after they were sent", len(pending))
	}
}
