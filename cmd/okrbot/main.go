// Command okrbot runs the okrbot Slack bot: it connects to Slack over Socket
// Mode, keeps OKRs in Redis and serves health and metrics over HTTP.
//
// It is configured from the environment; `okrbot -h` lists the variables.
// `okrbot healthcheck` asks a running okrbot whether it is ready (for
// container health checks), `okrbot version` prints the build, and `okrbot
// export` and `okrbot import` back the Redis data up and restore it.
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
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/okrbot/okrbot/store"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "playground":
			os.Exit(runPlayground(os.Args[2:]))
		case "export", "import":
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			run := map[string]func(context.Context, []string, io.Writer, io.Writer) int{"export": runExport, "import": runImport}[os.Args[1]]
			code := run(ctx, os.Args[2:], os.Stdout, os.Stderr)
			stop()
			os.Exit(code)
		}
	}
	for _, a := range os.Args[1:] {
		switch a {
		case "-h", "-help", "--help", "help":
			PrintUsage(os.Stdout)
			return
		case "healthcheck": // for container healthchecks: the image has no curl
			os.Exit(healthcheck(os.Getenv("OKRBOT_HTTP_ADDR")))
		case "version", "-version", "--version":
			fmt.Println("okrbot", versionString())
			return
		default:
			fmt.Fprintf(os.Stderr, "okrbot: unknown argument %q: okrbot takes its configuration from the environment (okrbot -h lists it)\n", a)
			os.Exit(2)
		}
	}
	cfg, err := LoadConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, "okrbot:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain(cfg, NewLogger(cfg, os.Stderr))
	err = m.Run(ctx)
	if te, ok := errors.AsType[*TokenError](err); ok {
		fmt.Fprintln(os.Stderr, "okrbot:", te)
		os.Exit(2)
	}
	if se, ok := errors.AsType[*store.SchemaError](err); ok {
		fmt.Fprintln(os.Stderr, "okrbot:", se)
		os.Exit(1)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		m.Logger.Error("okrbot stopped", slog.Any("err", err))
		os.Exit(1)
	}
}

// runPlayground is "okrbot playground": okrbot in a browser, no Slack
// workspace needed. It returns the exit status.
func runPlayground(args []string) int {
	o, err := parsePlayground(args, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "okrbot playground:", err)
		return 2
	}
	cfg := Config{LogLevel: envOr("OKRBOT_LOG_LEVEL", "info"), LogFormat: envOr("OKRBOT_LOG_FORMAT", "text")}
	logger := NewLogger(cfg, os.Stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := NewPlayground(o, logger).Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "okrbot playground:", err)
		return 1
	}
	return 0
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// healthcheck asks the running okrbot's /readyz on addr (OKRBOT_HTTP_ADDR)
// and returns the exit status: 0 ready (Redis answers and the Slack socket is
// up), 1 not.
func healthcheck(addr string) int {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "okrbot healthcheck: OKRBOT_HTTP_ADDR must be set, like :8080")
		return 1
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get("http://" + net.JoinHostPort(host, port) + "/readyz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "okrbot healthcheck:", err)
		return 1
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(os.Stderr, "okrbot healthcheck: not ready (%s): %s\n", resp.Status, strings.TrimSpace(string(body)))
		return 1
	}
	return 0
}
