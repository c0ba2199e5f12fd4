package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// NewLogger returns the structured logger cfg asks for, writing to w.
func NewLogger(cfg Config, w io.Writer) *slog.Logger {
	level, _ := cfg.level()
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// slackLog sends slack-go's own log lines to slog at debug level.
type slackLog struct{ l *slog.Logger }

func (s slackLog) Output(_ int, msg string) error {
	s.l.Debug(msg, slog.String("from", "slack-go"))
	return nil
}

// redisLog sends go-redis's own log lines (failed dials, pool trouble,
// failovers) to slog as warnings; install it with redis.SetLogger. It
// implements go-redis's internal.Logging.
type redisLog struct{ l *slog.Logger }

func (r redisLog) Printf(ctx context.Context, format string, v ...any) {
	msg := strings.TrimPrefix(strings.TrimSpace(fmt.Sprintf(format, v...)), "redis: ")
	r.l.Log(ctx, slog.LevelWarn, msg, slog.String("from", "go-redis"))
}
