package main

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
)

// TestProcessRefusedTokensExit2 starts okrbot with tokens Slack refuses: it
// must exit with status 2 and end with one line naming the token and the
// fix, without retrying. A refused bot token is caught by auth.test before
// the socket is opened.
func TestProcessRefusedTokensExit2(t *testing.T) {
	const (
		wrongBot = "xoxb-0000-0000-wrongtoken"
		wrongApp = "xapp-1-A0-0000-wrongtoken"
	)
	tests := []struct {
		name     string
		bot, app string // "" for the fake's own
		fault    [2]string
		want     string
		socketOK bool // whether apps.connections.open may be called
	}{
		{name: "unknown bot token", bot: wrongBot,
			want: "okrbot: SLACK_BOT_TOKEN was refused by Slack (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions again"},
		{name: "bot token of the wrong type", fault: [2]string{"auth.test", "not_allowed_token_type"},
			want: "okrbot: SLACK_BOT_TOKEN was refused by Slack (not_allowed_token_type): that is not a bot token: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions"},
		{name: "revoked bot token", fault: [2]string{"auth.test", "token_revoked"},
			want: "okrbot: SLACK_BOT_TOKEN was refused by Slack (token_revoked): reinstall the app (Install App) and copy the new Bot User OAuth Token (xoxb-…) from OAuth & Permissions"},
		{name: "unknown app token", app: wrongApp, socketOK: true,
			want: "okrbot: SLACK_APP_TOKEN was refused by Slack (invalid_auth): copy the app-level token (xapp-…) from Basic Information → App-Level Tokens again"},
		{name: "app token without connections:write", fault: [2]string{"apps.connections.open", "missing_scope"}, socketOK: true,
			want: "okrbot: SLACK_APP_TOKEN was refused by Slack (missing_scope): generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens"},
		{name: "app token of the wrong type", fault: [2]string{"apps.connections.open", "not_allowed_token_type"}, socketOK: true,
			want: "okrbot: SLACK_APP_TOKEN was refused by Slack (not_allowed_token_type): that is not an app-level token: generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := slacktest.New(t)
			bot, app := srv.BotToken(), srv.AppToken()
			if tt.bot != "" {
				bot = tt.bot
			}
			if tt.app != "" {
				app = tt.app
			}
			if tt.fault[0] != "" {
				srv.FailNext(tt.fault[0], tt.fault[1], 1000) // refused for good
			}
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0]) // killed after 15 s
			cmd.Env = okrbotCmd(t, "SLACK_BOT_TOKEN="+bot, "SLACK_APP_TOKEN="+app, "SLACK_API_URL="+srv.APIURL()).Env
			b, err := cmd.CombinedOutput()
			out := string(b)
			if ctx.Err() != nil {
				t.Fatalf("okrbot still running after 15 s (retrying?):\n%s", out)
			}
			if ee, ok := errors.AsType[*exec.ExitError](err); !ok || ee.ExitCode() != 2 {
				t.Errorf("err = %v, want exit status 2\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if last := lines[len(lines)-1]; last != tt.want {
				t.Errorf("last line:\n%s\nwant:\n%s", last, tt.want)
			}
			if n := strings.Count(out, "refused by Slack"); n != 1 {
				t.Errorf("%d lines say the token was refused, want 1:\n%s", n, out)
			}
			for _, secret := range []string{bot, app} {
				if strings.Contains(out, secret) {
					t.Errorf("output shows a token:\n%s", out)
				}
			}
			opens := len(srv.Calls("apps.connections.open"))
			switch {
			case !tt.socketOK && opens > 0:
				t.Errorf("apps.connections.open called %d times with a refused bot token, want 0", opens)
			case tt.socketOK && opens != 1:
				t.Errorf("apps.connections.open called %d times, want 1 (no retries)", opens)
			}
		})
	}
}

// TestProcessRetriesPassingFailures makes auth.test and the first
// apps.connections.open fail with HTTP 503: okrbot retries both, connects,
// and only then logs "okrbot ready".
func TestProcessRetriesPassingFailures(t *testing.T) {
	srv := slacktest.New(t)
	srv.FailNextHTTP("auth.test", http.StatusServiceUnavailable, 1)
	srv.FailNextHTTP("apps.connections.open", http.StatusServiceUnavailable, 1)
	cmd := okrbotCmd(t, "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_APP_TOKEN="+srv.AppToken(), "SLACK_API_URL="+srv.APIURL())
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	logs := &syncBuffer{}
	ready, eof := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write([]byte(sc.Text() + "\n"))
			if strings.Contains(sc.Text(), `msg="okrbot ready"`) {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(15 * time.Second):
		t.Fatalf("okrbot never logged that it is ready:\n%s", logs.String())
	}
	if n := len(srv.Calls("auth.test")); n != 2 {
		t.Errorf("auth.test called %d times, want 2 (one 503, one retry)", n)
	}
	if n := len(srv.Calls("apps.connections.open")); n != 2 {
		t.Errorf("apps.connections.open called %d times, want 2 (one 503, one retry)", n)
	}
	before, _, _ := strings.Cut(logs.String(), `msg="okrbot ready"`)
	if !strings.Contains(before, `msg="connected to Slack"`) {
		t.Errorf("okrbot logged that it is ready before it connected to Slack:\n%s", logs.String())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	<-eof
	if err := cmd.Wait(); err != nil {
		t.Errorf("SIGTERM: exit %v, want 0", err)
	}
}
