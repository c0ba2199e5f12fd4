package main

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/store/storetest"
)

// The test binary doubles as okrbot: with OKRBOT_TEST_RUN_MAIN=1 it runs
// main(), so these tests exercise the real process: exit codes, signals.
func TestMain(m *testing.M) {
	if os.Getenv("OKRBOT_TEST_RUN_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func okrbotCmd(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append([]string{"OKRBOT_TEST_RUN_MAIN=1", "PATH=" + os.Getenv("PATH")}, env...)
	return cmd
}

func TestProcessConfigErrorsExit2(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"no tokens", nil, nil, "SLACK_BOT_TOKEN is not set"},
		{"malformed app token", []string{"SLACK_BOT_TOKEN=xoxb-1111-2222-abcdef", "SLACK_APP_TOKEN=secret-value-123"}, nil, "SLACK_APP_TOKEN is malformed"},
		{"unknown argument", nil, []string{"--port=1"}, "unknown argument"},
	}
	for _, tt := range tests {
		cmd := okrbotCmd(t, tt.env...)
		cmd.Args = append(cmd.Args, tt.args...)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("%s: err = %v, want exit status 2", tt.name, err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 1 || !strings.Contains(lines[0], tt.want) {
			t.Errorf("%s: output %q, want one line containing %q", tt.name, out, tt.want)
		}
		if strings.Contains(string(out), "secret-value-123") {
			t.Errorf("%s: output shows the token: %q", tt.name, out)
		}
	}
}

func TestProcessHealthcheckFails(t *testing.T) {
	cmd := okrbotCmd(t, "OKRBOT_HTTP_ADDR=127.0.0.1:1")
	cmd.Args = append(cmd.Args, "healthcheck")
	var ee *exec.ExitError
	if _, err := cmd.CombinedOutput(); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Errorf("healthcheck with nothing listening: %v, want exit status 1", err)
	}
}

// TestHealthcheckAsksReadiness runs the healthcheck against an okrbot that
// is alive but not ready (Slack not connected), then ready: only ready
// passes, so the container health check reflects the Slack connection.
func TestHealthcheckAsksReadiness(t *testing.T) {
	var ready atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if !ready.Load() {
			http.Error(w, "slack: not connected", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	if got := healthcheck(addr); got != 1 {
		t.Errorf("healthcheck while not ready = %d, want 1", got)
	}
	ready.Store(true)
	if got := healthcheck(addr); got != 0 {
		t.Errorf("healthcheck when ready = %d, want 0", got)
	}
}

// TestProcessHelp checks that okrbot -h fits a 100-column terminal and
// lists the subcommands and the variables.
func TestProcessHelp(t *testing.T) {
	cmd := okrbotCmd(t)
	cmd.Args = append(cmd.Args, "-h")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("okrbot -h: %v\n%s", err, out)
	}
	for _, want := range []string{"okrbot healthcheck ", "okrbot version ", "SLACK_APP_TOKEN", "default https://slack.com/api/"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("okrbot -h does not show %q:\n%s", want, out)
		}
	}
	for line := range strings.Lines(string(out)) {
		if n := utf8.RuneCountInString(strings.TrimSuffix(line, "\n")); n > 100 {
			t.Errorf("line of %d columns, want at most 100: %q", n, line)
		}
	}
}

// TestProcessVersion checks the shape of okrbot version's one line.
func TestProcessVersion(t *testing.T) {
	cmd := okrbotCmd(t)
	cmd.Args = append(cmd.Args, "version")
	out, err := cmd.Output()
	want := regexp.MustCompile(`^okrbot \S+ \(commit \S+, go1\.\d+\S*\)\n$`)
	if err != nil || !want.Match(out) {
		t.Errorf("okrbot version = %q, %v; want a line matching %s", out, err, want)
	}
}

// TestProcessServesAndStopsOnSignal starts okrbot, checks its health
// endpoints and stops it with SIGTERM and then SIGINT: it must exit 0 well
// within the 10 s shutdown budget.
func TestProcessServesAndStopsOnSignal(t *testing.T) {
	url, _ := storetest.URL(t)
	srv := slacktest.New(t)
	for i, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := okrbotCmd(t, "SLACK_BOT_TOKEN="+srv.BotToken(), "SLACK_APP_TOKEN="+srv.AppToken(),
			"SLACK_API_URL="+srv.APIURL(), "REDIS_URL="+url, "REDIS_MODE="+storetest.Mode(t), "REDIS_PREFIX=okrbottest-"+storetest.Random(4),
			"OKRBOT_HTTP_ADDR=127.0.0.1:0", "OKRBOT_LOG_FORMAT=json")
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		addr := make(chan string, 1)
		logs := &syncBuffer{}
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				line := sc.Text()
				logs.Write([]byte(line + "\n"))
				if i := strings.Index(line, `"addr":"`); i >= 0 && strings.Contains(line, "serving health") {
					addr <- strings.SplitN(line[i+8:], `"`, 2)[0]
				}
			}
		}()
		var a string
		select {
		case a = <-addr:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("okrbot did not start serving:\n%s", logs.String())
		}
		if err := srv.WaitConnects(testContext(t), i+1); err != nil {
			t.Fatalf("okrbot did not connect to the fake Slack: %v\n%s", err, logs.String())
		}
		// Ready once Redis answers and the socket is up (slack-go reports the
		// connection a moment after the fake has it).
		for deadline := time.Now().Add(10 * time.Second); ; {
			resp, err := http.Get("http://" + a + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("never ready: %v %v\n%s", resp, err, logs.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/metrics": "okrbot_socket_connects_total 1"} {
			resp, err := http.Get("http://" + a + path)
			if err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
				t.Errorf("GET %s = %d %q, want 200 with %q", path, resp.StatusCode, body, want)
			}
		}
		hc := okrbotCmd(t, "OKRBOT_HTTP_ADDR="+a)
		hc.Args = append(hc.Args, "healthcheck")
		if out, err := hc.CombinedOutput(); err != nil {
			t.Errorf("okrbot healthcheck against a running okrbot: %v %s", err, out)
		}
		start := time.Now()
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: exit %v, want 0", sig, err)
			}
			t.Logf("%v: stopped in %v", sig, time.Since(start).Round(time.Millisecond))
		case <-time.After(ShutdownTimeout):
			cmd.Process.Kill()
			t.Fatalf("%v: still running after %v", sig, ShutdownTimeout)
		}
		for _, secret := range []string{srv.BotToken(), srv.AppToken()} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("logs show a token")
			}
		}
	}
}
