package slacktest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Defaults of the tunables; see the With* options.
const (
	DefaultPingInterval    = 10 * time.Second
	DefaultAckTimeout      = 3 * time.Second
	DefaultTriggerTTL      = 3 * time.Second
	DefaultDisconnectGrace = 500 * time.Millisecond
	DefaultWaitTimeout     = 5 * time.Second

	// DefaultBotUserID, DefaultBotID, DefaultBotName and DefaultAppID identify
	// the app's bot unless WithBot / WithAppID say otherwise.
	DefaultBotUserID = "U0BOT0001"
	DefaultBotID     = "B0BOT0001"
	DefaultBotName   = "okrbot"
	DefaultAppID     = "A0APP0001"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	clock           func() time.Time
	pingInterval    time.Duration
	ackTimeout      time.Duration
	triggerTTL      time.Duration
	disconnectGrace time.Duration
	waitTimeout     time.Duration
	botUserID       string
	botID           string
	botName         string
	appID           string
	logf            func(format string, args ...any)
}

// WithClock sets the clock used for trigger expiry, response_url expiry,
// message timestamps and rate limiting (default time.Now). Ack latencies are
// always measured with the real monotonic clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.clock = now }
}

// WithPingInterval sets how often the fake sends websocket PINGs on every
// Socket Mode connection (default 10 s). slack-go drops a connection that saw
// no PING for its socketmode.OptionPingInterval (default 30 s).
func WithPingInterval(d time.Duration) Option {
	return func(c *config) { c.pingInterval = d }
}

// WithAckTimeout sets how long envelope senders wait for the app's ack
// (default 3 s, Slack's limit).
func WithAckTimeout(d time.Duration) Option {
	return func(c *config) { c.ackTimeout = d }
}

// WithTriggerTTL sets how long a trigger_id stays valid (default 3 s).
func WithTriggerTTL(d time.Duration) Option {
	return func(c *config) { c.triggerTTL = d }
}

// WithDisconnectGrace sets how long Disconnect waits after sending the
// disconnect message before it closes the connection (default 500 ms).
func WithDisconnectGrace(d time.Duration) Option {
	return func(c *config) { c.disconnectGrace = d }
}

// WithWaitTimeout sets the timeout the Wait* helpers and envelope senders
// apply when their context has no deadline (default 5 s).
func WithWaitTimeout(d time.Duration) Option {
	return func(c *config) { c.waitTimeout = d }
}

// WithBot sets the bot's user ID, bot ID and user name.
func WithBot(userID, botID, name string) Option {
	return func(c *config) {
		c.botUserID, c.botID, c.botName = userID, botID, name
	}
}

// WithAppID sets the app ID sent in hello messages and payloads.
func WithAppID(id string) Option {
	return func(c *config) { c.appID = id }
}

// WithLogf makes the fake log unusual events (bad requests, unknown methods,
// late acks, invalid websocket tickets). t.Logf is a good choice as long as the
// server is closed before the test ends, which New arranges.
func WithLogf(logf func(format string, args ...any)) Option {
	return func(c *config) { c.logf = logf }
}

// Server is a fake Slack: Web API, response URLs, file uploads and Socket Mode
// on one 127.0.0.1 port. Create it with New or NewServer.
type Server struct {
	cfg      config
	baseURL  string // http://127.0.0.1:PORT, no trailing slash
	botToken string
	appToken string
	httpSrv  *http.Server
	ln       net.Listener
	handlers map[string]apiHandler
	seq      atomic.Uint64

	dir      directory
	calls    callLog
	msgs     messageStore
	views    viewStore
	triggers triggerStore
	files    fileStore
	resp     responseURLStore
	faults   faultTable
	hub      socketHub

	closeOnce sync.Once
	closed    chan struct{}
	wg        sync.WaitGroup
}

// New starts a fake Slack for a test and closes it when the test ends.
//
// Unusual events (unknown Web API methods, bad requests, invalid tickets,
// late acks) are logged with t.Logf unless an option says otherwise
// (WithLogf(nil) silences them).
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := NewServer(append([]Option{WithLogf(t.Logf)}, opts...)...)
	if err != nil {
		t.Fatalf("slacktest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake Slack outside of a test (benchmarks, manual runs).
// The caller must Close it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{
		clock:           time.Now,
		pingInterval:    DefaultPingInterval,
		ackTimeout:      DefaultAckTimeout,
		triggerTTL:      DefaultTriggerTTL,
		disconnectGrace: DefaultDisconnectGrace,
		waitTimeout:     DefaultWaitTimeout,
		botUserID:       DefaultBotUserID,
		botID:           DefaultBotID,
		botName:         DefaultBotName,
		appID:           DefaultAppID,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.clock == nil {
		cfg.clock = time.Now
	}
	if cfg.pingInterval <= 0 {
		return nil, errors.New("ping interval must be positive")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	secret := randomHex(6)
	s := &Server{
		cfg:      cfg,
		baseURL:  "http://" + ln.Addr().String(),
		botToken: "xoxb-fake-" + secret,
		appToken: "xapp-1-" + cfg.appID + "-fake-" + secret,
		ln:       ln,
		closed:   make(chan struct{}),
	}
	s.dir.init()
	s.msgs.init()
	s.views.init()
	s.triggers.init()
	s.files.init()
	s.resp.init()
	s.faults.init()
	s.hub.init()
	s.calls.init()
	s.handlers = s.apiHandlers()

	mux := http.NewServeMux()
	mux.HandleFunc("/api/", s.serveAPI)
	mux.HandleFunc("/link/", s.serveSocket)
	mux.HandleFunc("/upload/", s.serveUpload)
	mux.HandleFunc("/response/", s.serveResponseURL)
	s.httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.wg.Go(func() { _ = s.httpSrv.Serve(ln) })
	return s, nil
}

// Close stops the server: it fails pending envelope sends, closes every
// Socket Mode connection, stops the HTTP listener, lets running requests
// finish (for up to 2 s) and waits for the server's goroutines. It is
// idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.hub.closeAll()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if s.httpSrv.Shutdown(ctx) != nil {
			_ = s.httpSrv.Close()
		}
		s.wg.Wait()
	})
}

// APIURL is the Web API base URL for slack.OptionAPIURL; it ends with '/'.
func (s *Server) APIURL() string { return s.baseURL + "/api/" }

// URL is the server's base URL, http://127.0.0.1:PORT without a trailing '/'.
func (s *Server) URL() string { return s.baseURL }

// BotToken is the xoxb- token the fake accepts for Web API methods in every
// workspace.
func (s *Server) BotToken() string { return s.botToken }

// AppToken is the xapp- token the fake accepts for apps.connections.open.
func (s *Server) AppToken() string { return s.appToken }

// BotUserID is the bot's user ID (the author of its messages).
func (s *Server) BotUserID() string { return s.cfg.botUserID }

// BotID is the bot's B… ID.
func (s *Server) BotID() string { return s.cfg.botID }

// AppID is the app's A… ID.
func (s *Server) AppID() string { return s.cfg.appID }

func (s *Server) now() time.Time { return s.cfg.clock() }

func (s *Server) logf(format string, args ...any) {
	if s.cfg.logf == nil {
		return
	}
	select {
	case <-s.closed:
		return // the test may be over
	default:
	}
	s.cfg.logf("slacktest: "+format, args...)
}

// newID returns prefix followed by 9 upper-case base-36 digits, unique per
// server, e.g. V00000001A.
func (s *Server) newID(prefix string) string {
	d := strings.ToUpper(strconv.FormatUint(s.seq.Add(1), 36))
	if len(d) < 9 {
		d = strings.Repeat("0", 9-len(d)) + d
	}
	return prefix + d
}

// withDefaultTimeout applies the wait timeout to contexts without deadline.
func (s *Server) withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.cfg.waitTimeout)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
