package main

import (
	"io"
	"log/slog"
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
