package slacktest

import (
	"context"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// testBot is a minimal Socket Mode app built on slack-go: it acks every
// request with what its handler returns and records what it received.
type testBot struct {
	api    *slack.Client
	sm     *socketmode.Client
	hellos atomic.Int32

	mu       sync.Mutex
	requests []socketmode.Event

	received chan socketmode.Event // every request, after it was acked
}

// handler returns the ack payload for a request (nil for a bare ack).
type handler func(b *testBot, evt socketmode.Event) any

func newAPI(srv *Server) *slack.Client {
	return slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken()))
}

// startBot runs a slack-go socketmode client against srv until the test ends.
func startBot(t testing.TB, srv *Server, h handler, opts ...socketmode.Option) *testBot {
	t.Helper()
	api := newAPI(srv)
	opts = append([]socketmode.Option{socketmode.OptionLog(log.New(io.Discard, "", 0))}, opts...)
	b := &testBot{api: api, sm: socketmode.New(api, opts...), received: make(chan socketmode.Event, 1000)}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = b.sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-b.sm.Events:
				b.handle(evt, h)
			}
		}
	})
	t.Cleanup(func() {
		cancel()
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("bot did not stop")
		}
	})
	return b
}

func (b *testBot) handle(evt socketmode.Event, h handler) {
	switch evt.Type {
	case socketmode.EventTypeHello:
		b.hellos.Add(1)
		return
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
	default:
		return
	}
	var payload any
	if h != nil {
		payload = h(b, evt)
	}
	if payload != nil {
		_ = b.sm.Ack(*evt.Request, payload)
	} else {
		_ = b.sm.Ack(*evt.Request)
	}
	b.mu.Lock()
	b.requests = append(b.requests, evt)
	b.mu.Unlock()
	select {
	case b.received <- evt:
	default: // nobody reads (benchmarks)
	}
}

// next returns the next request the bot received.
func (b *testBot) next(t *testing.T) socketmode.Event {
	t.Helper()
	select {
	case evt := <-b.received:
		return evt
	case <-time.After(5 * time.Second):
		t.Fatal("bot received nothing")
		return socketmode.Event{}
	}
}

func (b *testBot) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.requests)
}

// fakeClock is a clock tests can move forward.
type fakeClock struct{ offset atomic.Int64 }

func (c *fakeClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *fakeClock) advance(d time.Duration) { c.offset.Add(int64(d)) }
func testCtx(t *testing.T) context.Context   { return ctxWithTimeout(t, 5*time.Second) }
func ctxWithTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// seed registers a workspace, users and channels most tests use.
func seed(srv *Server) {
	srv.AddWorkspace(Workspace{ID: "T1", Name: "Acme"})
	srv.AddUser(User{ID: "U1", TeamID: "T1", Name: "ana", RealName: "Ana Alves", TZ: "Europe/Berlin", IsAdmin: true})
	srv.AddUser(User{ID: "U2", TeamID: "T1", Name: "bo", RealName: "Bo Berg"})
	srv.AddChannel(Channel{ID: "C1", TeamID: "T1", Name: "growth", Members: []string{"U1"}, BotIsMember: true})
	srv.AddChannel(Channel{ID: "C2", TeamID: "T1", Name: "secret", Members: []string{"U1", "U2"}, IsPrivate: true})
}

func mustNoErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// slackErr returns the Slack error code of err ("" if it is not one).
func slackErr(err error) string {
	if e, ok := err.(slack.SlackErrorResponse); ok {
		return e.Err
	}
	return ""
}
