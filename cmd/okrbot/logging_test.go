package main

import (
	"encoding/json"
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/okrbot/okrbot/bot/slacktest"
)

// TestProcessRedisLogsAreJSON starts okrbot against a Redis port nothing
// listens on, with OKRBOT_LOG_FORMAT=json: go-redis's own "failed to dial"
// line must come out through slog as JSON, like every other line.
func TestProcessRedisLogsAreJSON(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	srv := slacktest.New(t)
	cmd := okrbotCmd(t, "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_API_URL="+srv.APIURL(),
		"REDIS_URL=redis://"+closed, "OKRBOT_LOG_FORMAT=json")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() != 1 {
		t.Errorf("err = %v, want exit status 1 (Redis is down)", err)
	}
	dial := 0
	for line := range strings.Lines(stderr.String()) {
		var rec struct{ Level, Msg, From string }
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("not a JSON log line: %q", line)
			continue
		}
		if rec.From == "go-redis" && strings.Contains(rec.Msg, "failed to dial") && rec.Level == "WARN" {
			dial++
		}
	}
	if dial == 0 {
		t.Errorf("no go-redis dial failure logged as JSON:\n%s", stderr.String())
	}
	if stdout.String() != "" {
		t.Errorf("okrbot wrote to stdout: %q", stdout.String())
	}
}
