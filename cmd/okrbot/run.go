package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"
	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot"
	"github.com/okrbot/okrbot/reminders"
	"github.com/okrbot/okrbot/store"
)

// The adapters meet only here: the bot is the scheduler's messenger and
// digest poster, the scheduler serves the bot's "/okr remind" and "/okr
// digest", and the store is what both keep their data in.
var (
	_ reminders.Messenger    = (*bot.Bot)(nil)
	_ reminders.Presence     = (*bot.Bot)(nil)
	_ reminders.DigestPoster = (*bot.Bot)(nil)
	_ reminders.Store        = (*store.Store)(nil)
	_ bot.Scheduler          = (*reminders.Scheduler)(nil)
	_ bot.Store              = (*store.Store)(nil)
)

// ShutdownTimeout bounds a clean shutdown after SIGINT or SIGTERM.
const ShutdownTimeout = 10 * time.Second

// Main holds okrbot's wiring, so that end-to-end tests run exactly what the
// binary runs.
type Main struct {
	Config Config
	Logger *slog.Logger
	Clock  clockwork.Clock // the schedule's clock; tests pass a fake
	// BotWorkTimeout bounds a Slack handler's work after its ack (the
	// bot's default, 30 s, when zero); tests shorten it.
	BotWorkTimeout time.Duration
	Registry       *prometheus.Registry

	// Set by Run once the store is open.
	Store     *store.Store
	Bot       *bot.Bot
	Scheduler *reminders.Scheduler

	ready     chan struct{}
	readyOnce sync.Once
	httpAddr  net.Addr
}

// NewMain returns a Main for cfg.
func NewMain(cfg Config, logger *slog.Logger) *Main {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return &Main{Config: cfg, Logger: logger, Clock: clockwork.NewRealClock(), Registry: reg, ready: make(chan struct{})}
}

// Ready is closed once Run has started everything (the bot may still be
// connecting to Slack; "okrbot ready" is logged when it is connected).
func (m *Main) Ready() <-chan struct{} { return m.ready }

// HTTPAddr returns the address the HTTP server listens on, once Ready.
func (m *Main) HTTPAddr() net.Addr { return m.httpAddr }

// Run opens the store, checks the bot token, starts every part and blocks
// until ctx is cancelled, then shuts down within ShutdownTimeout. A token
// Slack refuses ends Run with a *TokenError.
func (m *Main) Run(ctx context.Context) error {
	log := m.Logger
	log.Info("okrbot starting", slog.String("version", versionString()), slog.Any("config", m.Config))
	// go-redis logs through one process-wide logger: the last Main run owns it.
	redis.SetLogger(redisLog{log})

	rdb, closeStore, err := m.openRedis(ctx)
	if err != nil {
		return err
	}
	defer closeStore()
	m.Store = store.New(rdb, m.Config.RedisPrefix)
	if err := m.migrate(ctx); err != nil {
		return err
	}

	var wg sync.WaitGroup
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var srv *http.Server
	if m.Config.HTTPAddr != "" {
		ln, err := net.Listen("tcp", m.Config.HTTPAddr)
		if err != nil {
			return fmt.Errorf("OKRBOT_HTTP_ADDR %s: %w", m.Config.HTTPAddr, err)
		}
		m.httpAddr = ln.Addr()
		srv = &http.Server{Handler: m.httpHandler(), ReadHeaderTimeout: 5 * time.Second}
		wg.Go(func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				cancel(fmt.Errorf("http server: %w", err))
			}
		})
		log.Info("serving health and metrics", slog.String("addr", ln.Addr().String()))
	}

	api := slack.New(m.Config.SlackBotToken,
		slack.OptionAPIURL(m.Config.SlackAPIURL),
		slack.OptionAppLevelToken(m.Config.SlackAppToken),
		slack.OptionHTTPClient(&http.Client{Timeout: 15 * time.Second}),
		slack.OptionLog(slackLog{log}),
	)
	if err := checkBotToken(runCtx, api, log); err != nil {
		cancel(err)
	} else {
		m.start(runCtx, cancel, &wg, api)
		select {
		case <-m.Bot.FirstConnected():
			log.Info("okrbot ready")
		case <-runCtx.Done():
		}
	}
	<-runCtx.Done()

	log.Info("okrbot shutting down")
	shutdownCtx, done := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer done()
	if srv != nil {
		if err := srv.Shutdown(shutdownCtx); err != nil {
			log.Warn("http shutdown", slog.Any("err", err))
		}
	}
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-shutdownCtx.Done():
		log.Warn("shutdown timed out; exiting anyway")
	}
	log.Info("okrbot stopped")
	if cause := context.Cause(runCtx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return nil
}

// start builds the bot and the scheduler, runs them on wg until ctx ends
// (a bot that stops by itself cancels ctx with its error) and closes Ready.
func (m *Main) start(ctx context.Context, cancel context.CancelCauseFunc, wg *sync.WaitGroup, api *slack.Client) {
	log := m.Logger
	m.Bot = bot.New(bot.Options{
		API: api, APIURL: m.Config.SlackAPIURL, Store: m.Store, Logger: log, Now: m.Clock.Now,
		DefaultTimezone: m.Config.DefaultTimezone, Registerer: m.Registry, WorkTimeout: m.BotWorkTimeout,
	})
	host, _ := os.Hostname()
	elector := reminders.NewElector(m.Store, "scheduler", fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()), m.Config.LeaderLease)
	elector.OnChange = func(leader bool) {
		if leader {
			log.Info("this replica now leads the scheduler")
		} else {
			log.Info("this replica no longer leads the scheduler")
		}
	}
	// Claims last as long as the lease: only a new leader can find one
	// abandoned, and only after the old leader's lease has run out.
	m.Scheduler = reminders.New(reminders.Options{
		Store: m.Store, Messenger: m.Bot, Digests: m.Bot, Cycles: m.Bot, Presence: m.Bot, Logger: log, Clock: m.Clock, Elector: elector, ClaimTTL: m.Config.LeaderLease,
		DefaultTimezone: m.Config.DefaultTimezone, Interval: m.Config.SweepInterval,
		MessagesPerSecond: m.Config.MessagesPerSecond, Registerer: m.Registry,
	})
	m.Bot.SetScheduler(m.Scheduler)
	wg.Go(func() {
		if err := m.Bot.Run(ctx); err != nil {
			cancel(appTokenError(err))
		}
	})
	wg.Go(func() {
		if err := m.Scheduler.Run(ctx); err != nil {
			log.Warn("scheduler stopped", slog.Any("err", err))
		}
	})
	m.readyOnce.Do(func() { close(m.ready) })
}

// openRedis connects to REDIS_URL, or starts the embedded store and says
// loudly that data will not survive.
func (m *Main) openRedis(ctx context.Context) (redis.UniversalClient, func(), error) {
	if m.Config.RedisURL == "" {
		rdb, stop, err := store.Embedded()
		if err != nil {
			return nil, nil, err
		}
		m.Logger.Warn("REDIS_URL is not set: okrbot keeps its data IN MEMORY and LOSES IT ON EXIT. " +
			"This is for trying okrbot out; set REDIS_URL (see README) for real use.")
		return rdb, func() { rdb.Close(); stop() }, nil
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	rdb, err := store.Connect(cctx, store.Options{URL: m.Config.RedisURL, Mode: m.Config.RedisMode})
	if err != nil {
		return nil, nil, err
	}
	return rdb, func() { rdb.Close() }, nil
}

func (m *Main) httpHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-m.ready: // m.Bot is set
		default:
			http.Error(w, "starting: checking the Slack tokens", http.StatusServiceUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := m.Store.Ping(ctx); err != nil {
			http.Error(w, "redis: unavailable", http.StatusServiceUnavailable)
			return
		}
		if !m.Bot.Connected() {
			http.Error(w, "slack: not connected", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	return mux
}
