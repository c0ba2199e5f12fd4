package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"

	"github.com/okrbot/okrbot/bot/playground"
	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// PlaygroundOptions configure "okrbot playground".
type PlaygroundOptions struct {
	Addr     string // where the page is served; loopback unless Anywhere
	Anywhere bool   // allow a non-loopback Addr
	Demo     bool   // seed a realistic quarter
}

// parsePlayground reads "okrbot playground [--addr A] [--demo] [--listen-anywhere]".
func parsePlayground(args []string, stderr io.Writer) (PlaygroundOptions, error) {
	fs := flag.NewFlagSet("okrbot playground", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := PlaygroundOptions{}
	def := os.Getenv("OKRBOT_PLAYGROUND_ADDR")
	if def == "" {
		def = "127.0.0.1:8080"
	}
	fs.StringVar(&o.Addr, "addr", def, "address to serve the page on (also OKRBOT_PLAYGROUND_ADDR)")
	fs.BoolVar(&o.Demo, "demo", false, "start with a realistic quarter of OKRs and eight weeks of check-ins")
	fs.BoolVar(&o.Anywhere, "listen-anywhere", false, "allow an address beyond this machine's loopback (anyone who reaches it can act as anyone)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("okrbot playground takes no arguments, only flags (got %q)", fs.Arg(0))
	}
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return o, fmt.Errorf("--addr %q: %v (like 127.0.0.1:8080)", o.Addr, err)
	}
	if !o.Anywhere && !isLoopback(host) {
		return o, fmt.Errorf("--addr %s is not a loopback address: the playground lets anyone act as anyone, so it listens on this machine only unless you add --listen-anywhere", o.Addr)
	}
	return o, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Playground runs the real okrbot (the same Main wiring, handlers,
// scheduler and store) against the project's fake Slack in this process,
// and serves the playground's page. Redis is embedded unless REDIS_URL is
// set. It blocks until ctx ends.
type Playground struct {
	Options PlaygroundOptions
	Logger  *slog.Logger

	Slack *slacktest.Server
	Main  *Main
	Clock *playground.Clock

	ready chan struct{}
	addr  net.Addr
}

// NewPlayground returns a Playground.
func NewPlayground(o PlaygroundOptions, logger *slog.Logger) *Playground {
	return &Playground{Options: o, Logger: logger, Clock: playground.NewClock(), ready: make(chan struct{})}
}

// Ready is closed once the page is being served.
func (p *Playground) Ready() <-chan struct{} { return p.ready }

// Addr is where the page is served, once Ready.
func (p *Playground) Addr() net.Addr { return p.addr }

// Run starts everything and serves until ctx ends.
func (p *Playground) Run(ctx context.Context) error {
	srv, err := slacktest.NewServer(slacktest.WithClock(p.Clock.Now), slacktest.WithLogf(func(string, ...any) {}))
	if err != nil {
		return err
	}
	defer srv.Close()
	p.Slack = srv
	playground.Seed(srv)

	var cfg Config
	if err := envconfig.Process("", &cfg); err != nil {
		return &ConfigError{err.Error()}
	}
	cfg.SlackBotToken, cfg.SlackAppToken, cfg.SlackAPIURL = srv.BotToken(), srv.AppToken(), srv.APIURL()
	if err := cfg.Validate(); err != nil {
		return err
	}
	p.Main = NewMain(cfg, p.Logger)
	p.Main.Clock = p.Clock
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Main.Run(runCtx) }()
	select {
	case <-p.Main.Ready():
	case err := <-done:
		return err
	}
	if err := srv.WaitConnected(ctx, 1); err != nil {
		return fmt.Errorf("okrbot did not connect to the playground's Slack: %w", err)
	}
	if p.Options.Demo {
		if err := playground.SeedDemo(ctx, p.Main.Store, p.Clock.Now()); err != nil {
			return fmt.Errorf("seeding the demo: %w", err)
		}
		// Something to read at once: each team's status, as its lead asks.
		for _, ask := range []struct{ user, team string }{{playground.Emi, playground.Growth}, {playground.Ana, playground.Payments}} {
			cmd := slacktest.Command{TeamID: playground.Acme, UserID: ask.user, ChannelID: ask.team, Command: "/okr", Text: "status"}
			if _, err := srv.SlashCommand(ctx, cmd); err != nil {
				return fmt.Errorf("the demo's status: %w", err)
			}
			// One after the other, so that #payments' comes last and the
			// page opens on it.
			team := ask.team
			if _, err := srv.WaitForMessage(ctx, func(m slacktest.Message) bool {
				return m.Channel == team && strings.Contains(m.AllText(), "OKR status")
			}); err != nil {
				return fmt.Errorf("the demo's status: %w", err)
			}
		}
	}
	page := playground.New(playground.Options{Slack: srv, Clock: p.Clock, Logger: p.Logger,
		Sweep:    func(ctx context.Context) error { _, err := p.Main.Scheduler.Sweep(ctx); return err },
		CycleEnd: p.cycleEnd})
	ln, err := net.Listen("tcp", p.Options.Addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", p.Options.Addr, err)
	}
	p.addr = ln.Addr()
	hs := &http.Server{Handler: page.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	scope := "this machine only"
	if !isLoopback(hostOf(ln.Addr())) {
		scope = "REACHABLE FROM OTHER MACHINES: anyone who opens it can act as anyone"
	}
	p.Logger.Info(fmt.Sprintf("okrbot playground: open http://%s in your browser (%s)", ln.Addr(), scope))
	close(p.ready)

	select {
	case <-ctx.Done():
	case err := <-done:
		hs.Close()
		return err
	}
	sctx, stop := context.WithTimeout(context.Background(), 2*time.Second)
	defer stop()
	hs.Shutdown(sctx) // the page's event streams end with it
	hs.Close()
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func hostOf(a net.Addr) string {
	host, _, _ := net.SplitHostPort(a.String())
	return host
}

// cycleEnd is when the first of the playground's teams' current cycles
// ends, in the team's own terms (okrs.CurrentCycle of its settings).
func (p *Playground) cycleEnd(ctx context.Context, now time.Time) (time.Time, error) {
	teams, err := p.Main.Store.Teams(ctx, playground.Acme)
	if err != nil {
		return time.Time{}, err
	}
	var first time.Time
	for _, team := range teams {
		st, err := p.Main.Scheduler.TeamSettings(ctx, playground.Acme, team)
		if err != nil {
			return time.Time{}, err
		}
		if end := okrs.CurrentCycle(st, now).EndsAt(st.Location()); first.IsZero() || end.Before(first) {
			first = end
		}
	}
	if first.IsZero() {
		first = okrs.CurrentCycle(okrs.DefaultSettings(p.Main.Config.DefaultTimezone), now).EndsAt(time.UTC)
	}
	return first, nil
}
