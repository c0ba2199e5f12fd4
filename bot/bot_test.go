package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/store/storetest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startBot runs a Bot against a fake Slack and the tests' Redis; tweak may
// change it before it starts.
func startBot(t *testing.T, tweak func(b *Bot)) (*slacktest.Server, *Bot, *lockedBuffer) {
	t.Helper()
	srv := slacktest.New(t)
	srv.AddWorkspace(slacktest.Workspace{ID: "T1", Name: "Acme"})
	srv.AddUser(slacktest.User{ID: "U1", TeamID: "T1", Name: "ana", TZ: "Europe/Berlin"})
	srv.AddChannel(slacktest.Channel{ID: "C1", TeamID: "T1", Name: "growth", Members: []string{"U1"}, BotIsMember: true})
	st, _ := storetest.Store(t)
	logs := &lockedBuffer{}
	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken()))
	b := New(Options{API: api, APIURL: srv.APIURL(), Store: st, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if tweak != nil {
		tweak(b)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	if err := srv.WaitConnected(wctx, 1); err != nil {
		t.Fatal(err)
	}
	return srv, b, logs
}

func TestPanicIsRecoveredAndAnswered(t *testing.T) {
	srv, _, logs := startBot(t, func(b *Bot) {
		b.commands = append(b.commands, &command{name: "boom", summary: "panics", example: "/okr boom",
			run: func(context.Context, *request, string) { panic("kaboom") }})
	})
	ctx := context.Background()
	ack, err := srv.SlashCommand(ctx, slacktest.Command{TeamID: "T1", UserID: "U1", ChannelID: "C1", Command: "/okr", Text: "boom"})
	if err != nil {
		t.Fatalf("the panicking command was not acknowledged: %v", err)
	}
	if _, err := srv.WaitForMessage(ctx, func(m slacktest.Message) bool {
		return strings.Contains(m.AllText(), "something went wrong on my side")
	}); err != nil {
		t.Errorf("no friendly answer after the panic: %v", err)
	}
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), ack.EnvelopeID) || !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("the panic was not logged with its envelope id:\n%s", logs.String())
	}
	// The bot keeps serving.
	ack, err = srv.SlashCommand(ctx, slacktest.Command{TeamID: "T1", UserID: "U1", ChannelID: "C1", Command: "/okr", Text: "help"})
	if err != nil || !strings.Contains(ack.AllText(), "/okr new") {
		t.Errorf("after a panic, help = %v %v", ack, err)
	}
}

func TestEveryEnvelopeIsAcknowledged(t *testing.T) {
	srv, _, _ := startBot(t, nil)
	ctx := context.Background()
	tests := []struct {
		name string
		env  slacktest.Envelope
	}{
		{"unknown envelope type", slacktest.Envelope{Type: "something_new", Payload: map[string]any{"x": 1}}},
		{"unknown event", slacktest.Envelope{Type: "events_api", Payload: map[string]any{
			"type": "event_callback", "team_id": "T1", "event_id": "Ev1", "event": map[string]any{"type": "reaction_added", "user": "U1"}}}},
		{"unknown action", slacktest.Envelope{Type: "interactive", Payload: map[string]any{
			"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1"},
			"actions": []any{map[string]any{"action_id": "nobody_knows", "value": "x"}}}}},
		{"unknown modal", slacktest.Envelope{Type: "interactive", Payload: map[string]any{
			"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1"},
			"view": map[string]any{"id": "V1", "callback_id": "nobody_knows", "state": map[string]any{"values": map[string]any{}}}}}},
		{"garbage payload", slacktest.Envelope{Type: "slash_commands", Payload: json.RawMessage(`"not an object"`)}},
		{"empty subcommand text", slacktest.Envelope{Type: "slash_commands", Payload: map[string]any{"team_id": "T1", "user_id": "U1", "command": "/okr", "text": ""}}},
	}
	for _, tt := range tests {
		// Send fails unless the envelope is acknowledged within Slack's 3 s.
		if _, err := srv.Send(ctx, tt.env); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestAppHomeEventsAreDeduplicated(t *testing.T) {
	srv, b, _ := startBot(t, nil)
	ctx := context.Background()
	event := map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvHome1",
		"event": map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "D1"}}
	for attempt := range 3 { // a first delivery and two retries
		if _, err := srv.Send(ctx, slacktest.Envelope{Type: "events_api", Payload: event, RetryAttempt: attempt}); err != nil {
			t.Fatal(err)
		}
	}
	b.inflight.Wait() // the three handlers have finished
	if n := srv.CallCount("views.publish"); n != 1 {
		t.Errorf("views.publish called %d times for one event delivered 3 times, want 1", n)
	}
}

func TestSuggest(t *testing.T) {
	b := &Bot{}
	b.commands = b.commandTable()
	tests := []struct{ in, want string }{
		{"stauts", "status"},
		{"statu", "status"},
		{"nwe", "new"},
		{"ed", "edit"},
		{"lsit", "list"},
		{"checkn", "checkin"},
		{"setting", "settings"},
		{"xyzzy", ""},
		{"delete", ""},
	}
	for _, tt := range tests {
		if got := b.suggest(tt.in); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct{ in, name, args string }{
		{"", "", ""},
		{"  STATUS  <#C1|growth> ", "status", "<#C1|growth>"},
		{"new Delight  new customers", "new", "Delight  new customers"},
	}
	for _, tt := range tests {
		if n, a := splitCommand(tt.in); n != tt.name || a != tt.args {
			t.Errorf("splitCommand(%q) = %q, %q; want %q, %q", tt.in, n, a, tt.name, tt.args)
		}
	}
}

func TestTrustedResponseURL(t *testing.T) {
	b := New(Options{APIURL: "http://127.0.0.1:4567/api/"})
	tests := []struct {
		u    string
		want bool
	}{
		{"https://hooks.slack.com/commands/T1/123/abc", true},
		{"https://slack.com/x", true},
		{"http://hooks.slack.com/commands/T1", false},
		{"https://hooks.slack.com.evil.example/x", false},
		{"https://evil.example/?u=hooks.slack.com", false},
		{"http://127.0.0.1:4567/response/1", true},
		{"http://127.0.0.1:9999/response/1", false},
		{"http://169.254.169.254/latest/meta-data", false},
		{"::not a url", false},
	}
	for _, tt := range tests {
		if got := b.trustedResponseURL(tt.u); got != tt.want {
			t.Errorf("trustedResponseURL(%q) = %v, want %v", tt.u, got, tt.want)
		}
	}
}
