package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/playground"
)

func TestParsePlayground(t *testing.T) {
	for _, tt := range []struct {
		args    []string
		env     string
		addr    string
		demo    bool
		wantErr string
	}{
		{args: nil, addr: "127.0.0.1:8080"},
		{args: []string{"--demo"}, addr: "127.0.0.1:8080", demo: true},
		{args: []string{"--addr", "localhost:9000"}, addr: "localhost:9000"},
		{args: []string{"--addr", "[::1]:9000"}, addr: "[::1]:9000"},
		{env: "127.0.0.2:7000", addr: "127.0.0.2:7000"},
		{args: []string{"--addr", "0.0.0.0:8080"}, wantErr: "not a loopback address"},
		{args: []string{"--addr", ":8080"}, wantErr: "not a loopback address"},
		{env: "192.168.1.9:80", wantErr: "not a loopback address"},
		{args: []string{"--addr", "0.0.0.0:8080", "--listen-anywhere"}, addr: "0.0.0.0:8080"},
		{args: []string{"--addr", "nonsense"}, wantErr: "like 127.0.0.1:8080"},
		{args: []string{"extra"}, wantErr: "takes no arguments"},
	} {
		t.Setenv("OKRBOT_PLAYGROUND_ADDR", tt.env)
		o, err := parsePlayground(tt.args, io.Discard)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q (env %q): err = %v, want %q", tt.args, tt.env, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q (env %q): %v", tt.args, tt.env, err)
		case o.Addr != tt.addr || o.Demo != tt.demo:
			t.Errorf("%q (env %q) = %+v, want addr %s demo %v", tt.args, tt.env, o, tt.addr, tt.demo)
		}
	}
}

func TestMissingTokenPointsToThePlayground(t *testing.T) {
	c := Config{SlackAPIURL: "https://slack.com/api/"}
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "or try okrbot without Slack: okrbot playground") {
		t.Errorf("missing token: %v", err)
	}
}

// TestPlaygroundDemo starts "okrbot playground --demo" (without a browser)
// and asks for #payments' status as Ana: the demo's quarter is there.
func TestPlaygroundDemo(t *testing.T) {
	p := startPlayground(t, PlaygroundOptions{Demo: true})
	base := "http://" + p.Addr().String()
	// The demo opens on something to read: #payments' status.
	for deadline := time.Now().Add(10 * time.Second); ; {
		r, err := http.Get(base + "/api/state?user=" + playground.Ana)
		if err != nil {
			t.Fatal(err)
		}
		var st struct{ Latest string }
		json.NewDecoder(r.Body).Decode(&st)
		r.Body.Close()
		if st.Latest == playground.Payments {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo opens on %q, want #payments with its status", st.Latest)
		}
		time.Sleep(20 * time.Millisecond)
	}
	body := strings.NewReader(`{"User":"` + playground.Ana + `","Channel":"` + playground.Payments + `","Text":"/okr status"}`)
	resp, err := http.Post(base+"/api/send", "application/json", body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("send: %v %v", resp, err)
	}
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := http.Get(base + "/api/conversation?user=" + playground.Ana + "&id=" + playground.Payments)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []struct{ HTML string }
		json.NewDecoder(r.Body).Decode(&msgs)
		r.Body.Close()
		all := ""
		for _, m := range msgs {
			all += m.HTML
		}
		if strings.Contains(all, "OKR status") {
			for _, want := range []string{"Make payments fast and boringly reliable", "Reduce P99 latency of payment processing", "Make on-call sustainable", "Ben Ode"} {
				if !strings.Contains(all, want) {
					t.Errorf("the demo's status lacks %q", want)
				}
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no status in #payments: %s", all)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestUsageHintMatchesTheManifest: the playground shows, as one types
// "/okr ", the usage hint Slack shows from the app's manifest.
func TestUsageHintMatchesTheManifest(t *testing.T) {
	raw, err := os.ReadFile("../../slack-app-manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	want := `usage_hint: "` + playground.UsageHint + `"`
	if !strings.Contains(string(raw), want) {
		t.Errorf("the manifest has no %s", want)
	}
}
