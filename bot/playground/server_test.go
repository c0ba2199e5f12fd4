package playground

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
)

// page is a playground server over a seeded fake Slack, with no bot: the
// tests play the bot's part through the fake's Web API.
type page struct {
	t      *testing.T
	slack  *slacktest.Server
	api    *slack.Client
	http   *httptest.Server
	sweeps atomic.Int64
	clock  *Clock
}

func newPage(t *testing.T) *page {
	p := &page{t: t, clock: NewClock()}
	p.slack = slacktest.New(t, slacktest.WithClock(p.clock.Now))
	Seed(p.slack)
	p.api = slack.New(p.slack.BotToken(), slack.OptionAPIURL(p.slack.APIURL()))
	srv := New(Options{Slack: p.slack, Clock: p.clock, Sweep: func(context.Context) error { p.sweeps.Add(1); return nil }})
	p.http = httptest.NewServer(srv.Handler())
	t.Cleanup(p.http.Close)
	return p
}

func (p *page) get(path string, into any) int {
	p.t.Helper()
	resp, err := http.Get(p.http.URL + path)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if into != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			p.t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func (p *page) post(path string, body, into any) {
	p.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(p.http.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("POST %s: %s", path, resp.Status)
	}
	if into != nil {
		json.NewDecoder(resp.Body).Decode(into)
	}
}

func TestPageServesItsAssets(t *testing.T) {
	p := newPage(t)
	for _, path := range []string{"/", "/app.js", "/app.css"} {
		resp, err := http.Get(p.http.URL + path)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
}

// TestRefusedBlocksShowAsABanner: what Slack would refuse (here 51 blocks
// in one message) is shown, in Slack's words, not silently dropped.
func TestRefusedBlocksShowAsABanner(t *testing.T) {
	p := newPage(t)
	var blocks []slack.Block
	for range 51 {
		blocks = append(blocks, slack.NewDividerBlock())
	}
	if _, _, err := p.api.PostMessage(Payments, slack.MsgOptionText("too much", false), slack.MsgOptionBlocks(blocks...)); err == nil {
		t.Fatal("the fake accepted 51 blocks")
	}
	var st state
	p.get("/api/state?user="+Ana, &st)
	if len(st.Refused) != 1 || !strings.Contains(st.Refused[0], "chat.postMessage") || !strings.Contains(st.Refused[0], "invalid_blocks") {
		t.Errorf("refused = %q", st.Refused)
	}
}

// TestConversationsArePeoplesOwn: a person reads their workspace's channels
// and their own DM only; another workspace's people see none of it.
func TestConversationsArePeoplesOwn(t *testing.T) {
	p := newPage(t)
	if _, _, err := p.api.PostMessage(Payments, slack.MsgOptionText("hello *team*", false)); err != nil {
		t.Fatal(err)
	}
	var msgs []renderedMessage
	if code := p.get("/api/conversation?user="+Ana+"&id="+Payments, &msgs); code != http.StatusOK || len(msgs) != 1 || !strings.Contains(string(msgs[0].HTML), "<b>team</b>") {
		t.Errorf("ana reads #payments: %d %+v", code, msgs)
	}
	for _, tt := range []struct {
		user, conv string
		want       int
	}{
		{Emi, Payments, http.StatusOK},                         // a public channel of her workspace
		{Carla, p.slack.DMChannel(Carla), http.StatusOK},       // her own DM
		{Dan, Payments, http.StatusForbidden},                  // another workspace
		{Ana, Globexes, http.StatusForbidden},                  // a channel of another workspace
		{Ana, p.slack.DMChannel(Ben), http.StatusForbidden},    // someone else's DM
		{Dan, p.slack.DMChannel(Ana), http.StatusForbidden},    // ana's DM, from Globex
		{Ana, "CNOSUCH", http.StatusForbidden},                 // no such channel
		{"UNOBODY", Payments, http.StatusBadRequest},           // not a person of the playground
		{p.slack.BotUserID(), Payments, http.StatusBadRequest}, // the bot is not a person
	} {
		if code := p.get("/api/conversation?user="+tt.user+"&id="+tt.conv, nil); code != tt.want {
			t.Errorf("%s reading %s: %d, want %d", tt.user, tt.conv, code, tt.want)
		}
	}
}

// TestTypedTextIsEscaped: what people type never becomes HTML.
func TestTypedTextIsEscaped(t *testing.T) {
	p := newPage(t)
	var ans sendAnswer
	p.post("/api/send", sendRequest{User: Ana, Channel: Payments, Text: `<script>alert(1)</script> <img src=x onerror=alert(1)>`}, &ans)
	if ans.Error != "" {
		t.Fatal(ans.Error)
	}
	var msgs []renderedMessage
	p.get("/api/conversation?user="+Ben+"&id="+Payments, &msgs)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want the typed one", len(msgs))
	}
	html := string(msgs[0].HTML)
	if strings.Contains(html, "<script") || strings.Contains(html, "<img") || !strings.Contains(html, "&lt;script&gt;") {
		t.Errorf("typed text rendered as %q", html)
	}
	p.post("/api/send", sendRequest{User: Ana, Channel: Payments, Text: "/giphy cats"}, &ans)
	if !strings.Contains(ans.Error, "/giphy is not a valid command") {
		t.Errorf("another command: %q", ans.Error)
	}
}

// TestJumpsMoveTimeAnHourASweep: a jump moves the clock on the person's
// own calendar, sweeping every hour on the way.
func TestJumpsMoveTimeAnHourASweep(t *testing.T) {
	p := newPage(t)
	start := p.clock.Now()
	p.post("/api/clock", clockRequest{User: Ana, Jump: "day"}, nil)
	if d := p.clock.Now().Sub(start); d < 24*time.Hour || d > 24*time.Hour+time.Minute {
		t.Errorf("+1 day moved the clock %v", d)
	}
	if n := p.sweeps.Load(); n != 24 {
		t.Errorf("%d sweeps on the way, want 24", n)
	}
	p.post("/api/clock", clockRequest{User: Ben, Jump: "monday-10"}, nil)
	la, _ := time.LoadLocation("America/Los_Angeles")
	if now := p.clock.Now().In(la); now.Weekday() != time.Monday || now.Hour() != 10 || now.Minute() != 0 {
		t.Errorf("next Monday 10:00 for Ben is %v", now)
	}
	p.post("/api/clock", clockRequest{User: Ben, Jump: "cycle-end"}, nil)
	if now := p.clock.Now().In(la); now.Day() != 1 || (now.Month()-1)%3 != 0 || now.Hour() != 9 {
		t.Errorf("just after the cycle's end is %v", now)
	}
}

func TestNext(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for _, tt := range []struct {
		now  time.Time
		day  time.Weekday
		hour int
		want time.Time
	}{
		{time.Date(2026, 12, 1, 9, 0, 0, 0, berlin), time.Monday, 10, time.Date(2026, 12, 7, 10, 0, 0, 0, berlin)},   // Tuesday
		{time.Date(2026, 12, 7, 9, 0, 0, 0, berlin), time.Monday, 10, time.Date(2026, 12, 7, 10, 0, 0, 0, berlin)},   // Monday before 10
		{time.Date(2026, 12, 7, 10, 0, 0, 0, berlin), time.Monday, 10, time.Date(2026, 12, 14, 10, 0, 0, 0, berlin)}, // Monday at 10
		{time.Date(2026, 3, 27, 18, 0, 0, 0, berlin), time.Friday, 16, time.Date(2026, 4, 3, 16, 0, 0, 0, berlin)},   // across DST
	} {
		if got := next(tt.now, tt.day, tt.hour); !got.Equal(tt.want) {
			t.Errorf("next(%v, %v, %d) = %v, want %v", tt.now, tt.day, tt.hour, got, tt.want)
		}
	}
}
