// Package bot is okrbot's Slack side: the Socket Mode connection, the /okr
// command, modals and buttons, App Home, and the Block Kit views they show.
//
// Every envelope is acknowledged at once, or with the answer that must travel
// in the acknowledgement (a modal's field errors); anything slow runs after
// the ack under a deadline. A panicking handler is recovered, logged with its
// envelope id and answered with a friendly message.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// Options configure a Bot.
type Options struct {
	API             *slack.Client // Web API client with the bot and app tokens
	APIURL          string        // its base URL: response_urls on its host are trusted too
	Store           Store
	Logger          *slog.Logger
	Now             func() time.Time      // time.Now when nil
	DefaultTimezone string                // for teams without settings; UTC when empty
	Registerer      prometheus.Registerer // metrics; none when nil
	// WorkTimeout bounds the work done after an ack (default 30 s).
	WorkTimeout time.Duration
	// SocketOptions are passed to socketmode.New (tests shorten the ping interval).
	SocketOptions []socketmode.Option
}

// Bot is okrbot's Slack front end. Create it with New and start it with Run.
type Bot struct {
	api         *slack.Client
	store       Store
	log         *slog.Logger
	now         func() time.Time
	defaultTZ   string
	workTimeout time.Duration
	socketOpts  []socketmode.Option
	apiHost     string
	metrics     *metrics
	users       *userCache
	statuses    statuses // Slack statuses per workspace, for the scheduler
	access      channelAccess
	teams       teamMembers
	commands    []*command
	actions     map[string]actionHandler
	submissions map[string]submitHandler

	socket    *socketmode.Client
	lifetime  atomic.Pointer[context.Context] // Run's context: background work ends with it
	connected atomic.Bool
	connects  atomic.Int64
	firstUp   chan struct{} // closed at the first connection
	firstOnce sync.Once
	inflight  sync.WaitGroup
	scheduler Scheduler
}

// New returns a Bot.
func New(o Options) *Bot {
	b := &Bot{
		api:         o.API,
		store:       o.Store,
		log:         o.Logger,
		now:         o.Now,
		defaultTZ:   o.DefaultTimezone,
		workTimeout: o.WorkTimeout,
		socketOpts:  o.SocketOptions,
		metrics:     newMetrics(o.Registerer),
		firstUp:     make(chan struct{}),
	}
	if u, err := url.Parse(o.APIURL); err == nil {
		b.apiHost = u.Host
	}
	if b.log == nil {
		b.log = slog.Default()
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.defaultTZ == "" {
		b.defaultTZ = "UTC"
	}
	if b.workTimeout <= 0 {
		b.workTimeout = 30 * time.Second
	}
	b.users = newUserCache(b.api, 10*time.Minute, b.now)
	b.commands = b.commandTable()
	b.actions = b.actionRoutes()
	b.submissions = b.submitRoutes()
	return b
}

// Connected reports whether the Socket Mode connection is up; /readyz uses it.
func (b *Bot) Connected() bool { return b.connected.Load() }

// FirstConnected is closed once the Socket Mode connection is first up.
func (b *Bot) FirstConnected() <-chan struct{} { return b.firstUp }

// SocketRefusedError is Slack refusing to open the Socket Mode connection
// (apps.connections.open) for a reason no retry can fix: the app-level token
// is wrong, revoked, not an app-level token or lacks connections:write. Code
// is Slack's error code, such as invalid_auth or missing_scope.
type SocketRefusedError struct{ Code string }

func (e *SocketRefusedError) Error() string {
	return "Slack refused to open the Socket Mode connection: " + e.Code
}

// socketRefusal returns the refusal err is, or nil for a failure worth
// retrying (network, HTTP 5xx, rate limit).
func socketRefusal(err error) *SocketRefusedError {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return nil
	}
	switch se.Err {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type", "missing_scope":
		return &SocketRefusedError{Code: se.Err}
	}
	return nil
}

// Run connects to Slack over Socket Mode and serves envelopes until ctx is
// cancelled; then it waits (up to the caller's patience: ctx is already done)
// for handlers in flight. Reconnects are slack-go's. When Slack refuses the
// app-level token, Run stops and returns a *SocketRefusedError: slack-go
// gives up by itself on some codes but would retry the others forever.
func (b *Bot) Run(ctx context.Context) error {
	opts := append([]socketmode.Option{socketmode.OptionLog(slogAdapter{b.log})}, b.socketOpts...)
	b.socket = socketmode.New(b.api, opts...)
	b.lifetime.Store(&ctx)
	socketCtx, stopSocket := context.WithCancel(ctx)
	defer stopSocket()
	runErr := make(chan error, 1)
	go func() { runErr <- b.socket.RunContext(socketCtx) }()
	defer b.connected.Store(false)
	for {
		select {
		case <-ctx.Done():
			b.inflight.Wait()
			return nil
		case err := <-runErr:
			b.inflight.Wait()
			if ctx.Err() != nil {
				return nil
			}
			if r := socketRefusal(err); r != nil {
				return r
			}
			return fmt.Errorf("slack socket mode: %w", err)
		case evt := <-b.socket.Events:
			if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok && evt.Type == socketmode.EventTypeConnectionError {
				if r := socketRefusal(ce.ErrorObj); r != nil {
					stopSocket()
					<-runErr
					b.inflight.Wait()
					return r
				}
			}
			b.dispatch(ctx, evt)
		}
	}
}

// dispatch routes one socket event. Envelopes are handled on their own
// goroutine so that one slow handler never delays another's ack.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		// slack-go reconnects by itself after a disconnect request or a
		// broken connection; it tells us only that it is connecting again.
		if b.connected.Swap(false) {
			b.log.Info("Slack connection closed (refresh or network); reconnecting")
		} else {
			b.log.Info("connecting to Slack")
		}
	case socketmode.EventTypeConnected:
		b.connected.Store(true)
		b.metrics.connects.Inc()
		if b.connects.Add(1) > 1 {
			b.log.Info("reconnected to Slack", slog.Int64("connections", b.connects.Load()))
		} else {
			b.log.Info("connected to Slack")
		}
		b.firstOnce.Do(func() { close(b.firstUp) }) // after the log line: "okrbot ready" follows it
	case socketmode.EventTypeHello:
		b.log.Debug("hello from Slack")
	case socketmode.EventTypeDisconnect:
		b.connected.Store(false)
		b.log.Info("Slack asked to reconnect; reconnecting")
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		b.log.Warn("Slack connection error; retrying", slog.Any("err", evt.Data))
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the tokens (invalid_auth): check SLACK_BOT_TOKEN and SLACK_APP_TOKEN")
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		b.inflight.Add(1)
		go func() {
			defer b.inflight.Done()
			b.handleEnvelope(ctx, evt)
		}()
	case socketmode.EventTypeErrorBadMessage:
		// An envelope slack-go could not parse (or of a type it does not
		// know): acknowledge it anyway so Slack does not retry or error.
		bad, _ := evt.Data.(*socketmode.ErrorBadMessage)
		if bad == nil {
			return
		}
		var env struct {
			EnvelopeID string `json:"envelope_id"`
			Type       string `json:"type"`
		}
		if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
			b.socket.Ack(socketmode.Request{EnvelopeID: env.EnvelopeID})
			b.metrics.envelopes.WithLabelValues("unknown").Inc()
			b.log.Warn("acknowledged an envelope okrbot cannot read", slog.String("envelope_id", env.EnvelopeID),
				slog.String("type", env.Type), slog.Any("err", bad.Cause))
		}
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			b.socket.Ack(*evt.Request)
		}
	}
}

// envelope is one request from Slack being handled: it acknowledges exactly
// once and remembers how to answer the person if something goes wrong later.
type envelope struct {
	b     *Bot
	req   *socketmode.Request
	kind  string
	start time.Time
	once  sync.Once
	reply func(ctx context.Context, text views.Mrkdwn) // how to tell the person about a failure
}

// ack acknowledges the envelope with payload (nil for an empty ack). Only
// the first call has an effect.
func (e *envelope) ack(payload any) {
	e.once.Do(func() {
		var err error
		if payload == nil {
			err = e.b.socket.Ack(*e.req)
		} else {
			err = e.b.socket.Ack(*e.req, payload)
		}
		e.b.metrics.ackSeconds.WithLabelValues(e.kind).Observe(time.Since(e.start).Seconds())
		if err != nil {
			e.b.log.Error("ack failed", slog.String("envelope_id", e.req.EnvelopeID), slog.Any("err", err))
		}
	})
}

func (b *Bot) handleEnvelope(ctx context.Context, evt socketmode.Event) {
	e := &envelope{b: b, req: evt.Request, kind: string(evt.Type), start: time.Now()}
	b.metrics.envelopes.WithLabelValues(e.kind).Inc()
	defer func() {
		if r := recover(); r != nil {
			b.metrics.panics.Inc()
			b.log.Error("handler panicked", slog.String("envelope_id", e.req.EnvelopeID), slog.String("type", e.kind),
				slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
			e.ack(nil)
			if e.reply != nil {
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				defer cancel()
				e.reply(ctx, views.Raw("Sorry, something went wrong on my side and I could not finish that. It has been logged; please try again."))
			}
		}
		e.ack(nil) // every envelope is acknowledged, whatever the handler did
	}()
	work, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.workTimeout)
	defer cancel()
	switch d := evt.Data.(type) {
	case slack.SlashCommand:
		b.onSlashCommand(work, e, d)
	case slack.InteractionCallback:
		b.onInteraction(work, e, d)
	case slackevents.EventsAPIEvent:
		b.onEvent(work, e, d)
	}
}

// background runs fn outside the envelope's handler, so that a long job (a
// big team's "/okr remind") holds no handler and is not bound by the work
// timeout. It ends when okrbot stops (Run waits for it like for a
// handler), and a panic in it is recovered, logged and counted.
func (b *Bot) background(ctx context.Context, what string, fn func(ctx context.Context)) {
	life := context.WithoutCancel(ctx)
	if p := b.lifetime.Load(); p != nil {
		life = *p
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer func() {
			if r := recover(); r != nil {
				b.metrics.panics.Inc()
				b.log.Error("background work panicked", slog.String("what", what),
					slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
			}
		}()
		fn(life)
	}()
}

// slogAdapter lets slack-go's socketmode log through slog (at debug level,
// since okrbot logs the events that matter itself).
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Output(_ int, s string) error {
	a.l.Debug(s, slog.String("from", "slack-go"))
	return nil
}

// logError logs err for the operation with the request's identity: a
// person's mistake at info, an outage at warn, a bug at error.
func (b *Bot) logError(msg string, r *request, err error) {
	attrs := []any{slog.Any("err", err)}
	if r != nil {
		attrs = append(attrs, slog.String("workspace", r.workspace), slog.String("user", r.user))
	}
	if okrs.ErrorCode(err) == okrs.EUNAVAILABLE || isSlackTransient(err) {
		b.log.Warn(msg, attrs...)
		return
	}
	var de *okrs.Error
	if errors.As(err, &de) && de.Code != okrs.EINTERNAL && de.Code != okrs.EUNAVAILABLE {
		b.log.Info(msg, attrs...)
		return
	}
	b.log.Error(msg, attrs...)
}
