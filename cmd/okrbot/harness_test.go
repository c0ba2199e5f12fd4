package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// testContext is a context that ends with the test (or after 30 s).
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// syncBuffer is a log sink safe for concurrent writes.
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

// env is one end-to-end test's world: a fake Slack with two workspaces, the
// real okrbot wiring (Main) on a real Redis, and a clock the test controls.
type env struct {
	t    testing.TB
	srv  *slacktest.Server
	main *Main
	cfg  Config
	logs *syncBuffer
	ctx  context.Context

	fake      *clockwork.FakeClock
	seenViews map[string]bool
	stops     []func() // stop each running Main and wait for it
}

// stopAll stops every okrbot of the test and waits until each has shut
// down (its handlers and sweeps in flight finished).
func (e *env) stopAll() {
	for _, stop := range e.stops {
		stop()
	}
}

// Directory of the fake workspaces.
const (
	teamA  = "TA1"   // Acme
	teamB  = "TB2"   // Globex: another workspace, for forged ids
	ana    = "UANA1" // Acme, member of #growth
	ben    = "UBEN2" // Acme, member of #growth
	carla  = "UCAR3" // Acme admin
	dan    = "UDAN4" // Globex
	growth = "CGROW1"
	sales  = "CSALE2" // the bot is not a member
	globex = "CGLOB3" // Globex's channel
)

func newEnv(t testing.TB) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with a chance to change the configuration first.
func newEnvWith(t testing.TB, change func(*Config)) *env {
	t.Helper()
	srv := slacktest.New(t)
	srv.AddWorkspace(slacktest.Workspace{ID: teamA, Name: "Acme", Domain: "acme"})
	srv.AddWorkspace(slacktest.Workspace{ID: teamB, Name: "Globex", Domain: "globex"})
	srv.AddUser(slacktest.User{ID: ana, TeamID: teamA, Name: "ana", RealName: "Ana Lima", TZ: "Europe/Berlin"})
	srv.AddUser(slacktest.User{ID: ben, TeamID: teamA, Name: "ben", RealName: "Ben Ode", TZ: "America/Los_Angeles"})
	srv.AddUser(slacktest.User{ID: carla, TeamID: teamA, Name: "carla", RealName: "Carla Admin", TZ: "Asia/Kolkata", IsAdmin: true})
	srv.AddUser(slacktest.User{ID: dan, TeamID: teamB, Name: "dan", RealName: "Dan Globex", TZ: "UTC"})
	srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", Members: []string{ana, ben, carla}, BotIsMember: true})
	srv.AddChannel(slacktest.Channel{ID: sales, TeamID: teamA, Name: "sales", Members: []string{ana, ben}})
	srv.AddChannel(slacktest.Channel{ID: globex, TeamID: teamB, Name: "globex", Members: []string{dan}, BotIsMember: true})

	url, _ := storetest.URL(t)
	prefix := "okrbottest-" + storetest.Random(6)
	cfg := Config{
		SlackBotToken: srv.BotToken(), SlackAppToken: srv.AppToken(), SlackAPIURL: srv.APIURL(),
		RedisURL: url, RedisMode: storetest.Mode(t), RedisPrefix: prefix,
		DefaultTimezone: "UTC", LogLevel: "debug", LogFormat: "text",
		SweepInterval: time.Minute, LeaderLease: 2 * time.Minute, MessagesPerSecond: 200,
	}
	if change != nil {
		change(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, logs: &syncBuffer{}, ctx: testContext(t), fake: clockwork.NewFakeClockAt(time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)), seenViews: map[string]bool{}}
	e.cfg = cfg
	e.main = NewMain(cfg, NewLogger(cfg, e.logs))
	e.main.Clock = e.fake
	// Cleanups run last-registered first: okrbot stops (start's cleanup)
	// before its keys are deleted, so nothing it still writes is left behind.
	rdb := e.client()
	t.Cleanup(func() {
		storetest.DeletePrefix(rdb, prefix)
		if t.Failed() {
			t.Logf("okrbot logs:\n%s", e.logs.String())
		}
	})
	e.start(e.main, 1)
	return e
}

// replica starts another okrbot on the same Redis, fake Slack and clock, as
// a second replica of the deployment would be; it returns a function that
// stops it.
func (e *env) replica(n int) *Main {
	m := NewMain(e.cfg, NewLogger(e.cfg, e.logs))
	m.Clock = e.fake
	e.start(m, n)
	return m
}

// start runs m until the test ends and waits for the nth socket connection.
func (e *env) start(m *Main, n int) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					e.t.Errorf("Main.Run: %v", err)
				}
			case <-time.After(ShutdownTimeout):
				e.t.Errorf("Main.Run did not stop within %v", ShutdownTimeout)
			}
		})
	}
	e.stops = append(e.stops, stop)
	e.t.Cleanup(stop)
	select {
	case <-m.Ready():
	case err := <-done:
		e.t.Fatalf("Main.Run: %v", err)
	}
	if err := e.srv.WaitConnected(e.ctx, n); err != nil {
		e.t.Fatalf("okrbot did not connect: %v", err)
	}
}

// client returns a new client of the Redis okrbot runs on (the URL and
// mode of e.cfg, which a test may have pointed elsewhere than the tests'
// Redis), closed when the test ends.
func (e *env) client() redis.UniversalClient {
	e.t.Helper()
	rdb, err := store.Connect(context.Background(), store.Options{URL: e.cfg.RedisURL, Mode: e.cfg.RedisMode})
	if err != nil {
		e.t.Fatalf("connecting to okrbot's Redis: %v", err)
	}
	e.t.Cleanup(func() { rdb.Close() })
	return rdb
}

func (e *env) clock() time.Time { return e.fake.Now() }

// advance moves the clock: the scheduler's jobs due in between run.
func (e *env) advance(d time.Duration) { e.fake.Advance(d) }

// okr runs "/okr text" as user in channel and returns the ack.
func (e *env) okr(team, user, channel, text string) *slacktest.Ack {
	e.t.Helper()
	ack, err := e.srv.SlashCommand(e.ctx, slacktest.Command{TeamID: team, UserID: user, ChannelID: channel, Command: "/okr", Text: text})
	if err != nil {
		e.t.Fatalf("/okr %s: %v", text, err)
	}
	return ack
}

// waitMessage waits for a recorded message whose text contains every want.
func (e *env) waitMessage(channel string, want ...string) slacktest.Message {
	e.t.Helper()
	m, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return (channel == "" || m.Channel == channel) && says(m, want)
	})
	if err != nil {
		e.t.Fatalf("no message in %q with %q: %v", channel, want, err)
	}
	return m
}

// says reports whether a message's text, or its blocks (button labels
// too), contains every want.
func says(m slacktest.Message, want []string) bool {
	text := m.AllText() + string(m.RawBlocks)
	for _, w := range want {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// submitForm submits user's form and, when the coach answers with its
// review step, saves anyway; it returns the last ack.
func (e *env) submitForm(user, viewID string, values slacktest.Values) *slacktest.Ack {
	e.t.Helper()
	ack, err := e.srv.SubmitView(e.ctx, user, viewID, values)
	if err != nil {
		e.t.Fatal(err)
	}
	if top := e.srv.OpenModal(user); ack.ResponseAction() == "update" && top != nil && top.CallbackID == "okr_review" {
		if ack, err = e.srv.SubmitView(e.ctx, user, top.ID, nil); err != nil {
			e.t.Fatal(err)
		}
	}
	return ack
}

// waitModal waits for a modal newly opened for user with the given callback
// id (one whose id the test has not waited for before).
func (e *env) waitModal(user, callbackID string) *slacktest.View {
	e.t.Helper()
	v, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.UserID == user && v.Open && v.CallbackID == callbackID && !e.seenViews[v.ID]
	})
	if err == nil {
		e.seenViews[v.ID] = true
	}
	if err != nil {
		e.t.Fatalf("no %s modal for %s: %v", callbackID, user, err)
	}
	return v
}

// checkInCallback builds a check-in modal submission by hand (for forged
// payloads), with plain values for text inputs, selects and radio buttons.
func checkInCallback(user, meta string, values map[string]string) slack.InteractionCallback {
	state := map[string]map[string]slack.BlockAction{}
	for block, v := range values {
		a := slack.BlockAction{Type: "plain_text_input", Value: v}
		if strings.HasSuffix(block, "_conf") || v == "done" || v == "not_done" {
			a = slack.BlockAction{Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: v}}
		}
		state[block] = map[string]slack.BlockAction{"v": a}
	}
	cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: user, TeamID: teamA}}
	cb.View = slack.View{ID: "VHAND", CallbackID: "okr_checkin", PrivateMetadata: meta, State: &slack.ViewState{Values: state}}
	return cb
}

// waitLog waits until okrbot has logged want: work after an ack, or a
// sweep the scheduler ran by itself as the clock moved, finishes later.
func (e *env) waitLog(want string) {
	e.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.logs.String(), want) {
		if time.Now().After(deadline) {
			e.t.Fatalf("okrbot never logged %q", want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// history returns a key result of #growth's current cycle's check-ins,
// newest first.
func (e *env) history(kr string) []okrs.CheckIn {
	e.t.Helper()
	for _, o := range e.teamObjectives(teamA, growth) {
		if k := o.KeyResult(kr); k != nil {
			return k.CheckIns
		}
	}
	e.t.Fatalf("no key result %s in #growth", kr)
	return nil
}

// waitViewText waits for a view of user's whose text contains want (a
// modal filled after it opened, say, with a refusal).
func (e *env) waitViewText(user, want string) *slacktest.View {
	e.t.Helper()
	v, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.UserID == user && strings.Contains(v.AllText(), want)
	})
	if err != nil {
		e.t.Fatalf("no view for %s saying %q: %v", user, want, err)
	}
	return v
}
