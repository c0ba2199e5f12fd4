package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// Ack latency is measured from the fake Slack's side: from writing an
// envelope to the websocket to reading its ack. Envelopes go out at 100 per
// second in total from four goroutines, as a busy workspace would send them.
//
//	go test ./cmd/okrbot -run '^$' -bench AckLatency -benchtime 1000x
//
// Each sub-benchmark reports p50-ms and p99-ms; "floor-status" and
// "floor-create" send the same envelopes to a bare slack-go socketmode client
// that only acks, measured in the same run.
const (
	benchRate    = 100 // envelopes per second
	benchWorkers = 4
)

func BenchmarkAckLatency(b *testing.B) {
	bare := func(b *testing.B) *slacktest.Server {
		srv := slacktest.New(b)
		srv.AddWorkspace(slacktest.Workspace{ID: teamA, Name: "Acme"})
		srv.AddUser(slacktest.User{ID: ana, TeamID: teamA, Name: "ana"})
		srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", Members: []string{ana}, BotIsMember: true})
		startBareClient(b, srv)
		return srv
	}
	b.Run("floor-status", func(b *testing.B) {
		srv := bare(b)
		paced(b, func(ctx context.Context) (*slacktest.Ack, error) {
			return srv.SlashCommand(ctx, slacktest.Command{TeamID: teamA, UserID: ana, ChannelID: growth, Command: "/okr", Text: "status"})
		})
	})
	b.Run("floor-create", func(b *testing.B) {
		srv := bare(b)
		cb := createSubmission(ana)
		paced(b, func(ctx context.Context) (*slacktest.Ack, error) { return srv.Interaction(ctx, cb) })
	})
	b.Run("status", func(b *testing.B) {
		e := newEnv(b)
		seedTeam(b, e, 5, 3)
		paced(b, func(ctx context.Context) (*slacktest.Ack, error) {
			return e.srv.SlashCommand(ctx, slacktest.Command{TeamID: teamA, UserID: ana, ChannelID: growth, Command: "/okr", Text: "status"})
		})
	})
	b.Run("create", func(b *testing.B) {
		e := newEnv(b)
		// Fifty people create objectives, each owning their key results.
		var subs []slack.InteractionCallback
		for i := range 50 {
			u := fmt.Sprintf("UBENCH%02d", i)
			e.srv.AddUser(slacktest.User{ID: u, TeamID: teamA, Name: u})
			subs = append(subs, createSubmission(u))
		}
		var n atomic.Int64
		paced(b, func(ctx context.Context) (*slacktest.Ack, error) {
			ack, err := e.srv.Interaction(ctx, subs[n.Add(1)%int64(len(subs))])
			if err == nil && ack.ResponseAction() == "errors" {
				err = fmt.Errorf("field errors: %v", ack.Errors())
			}
			return ack, err
		})
	})
}

// paced sends b.N envelopes at benchRate from benchWorkers goroutines and
// reports the ack latency percentiles.
func paced(b *testing.B, send func(ctx context.Context) (*slacktest.Ack, error)) {
	ctx := context.Background()
	work := make(chan struct{})
	var mu sync.Mutex
	var lat []time.Duration
	var wg sync.WaitGroup
	var firstErr error
	for range benchWorkers {
		wg.Go(func() {
			for range work {
				ack, err := send(ctx)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if ack != nil {
					lat = append(lat, ack.Latency)
				}
				mu.Unlock()
			}
		})
	}
	b.ResetTimer()
	tick := time.NewTicker(time.Second / benchRate)
	for range b.N {
		<-tick.C
		work <- struct{}{}
	}
	tick.Stop()
	close(work)
	wg.Wait()
	b.StopTimer()
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(int(p*float64(len(lat))), len(lat)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op") // the pace, not a cost: leave it out
}

// startBareClient connects a slack-go socketmode client that acks every
// envelope at once and does nothing else: the floor.
func startBareClient(b *testing.B, srv *slacktest.Server) {
	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken()))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	go sm.RunContext(ctx)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				if evt.Request != nil && evt.Request.EnvelopeID != "" {
					sm.Ack(*evt.Request)
				}
			}
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
	defer wcancel()
	if err := srv.WaitConnected(wctx, 1); err != nil {
		b.Fatal(err)
	}
}

// seedTeam stores n objectives of k key results in #growth.
func seedTeam(b testing.TB, e *env, n, k int) {
	c := okrs.QuarterOf(e.clock())
	for i := range n {
		o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: c.Name, Title: fmt.Sprintf("Objective %d", i+1),
			Owner: ana, CreatedBy: ana, CreatedAt: e.clock().Add(time.Duration(i) * time.Minute)}
		for j := range k {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: fmt.Sprintf("Key result %d.%d", i+1, j+1), Owner: ben,
				Kind: okrs.Increase, Unit: okrs.Percent, Start: 10, Target: 90})
		}
		o.Normalize()
		if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

// createSubmission is a valid create-modal submission with three key
// results, as Slack would send it.
func createSubmission(who string) slack.InteractionCallback {
	text := func(v string) slack.BlockAction { return slack.BlockAction{Type: "plain_text_input", Value: v} }
	sel := func(v string) slack.BlockAction {
		return slack.BlockAction{Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: v}}
	}
	user := func(v string) slack.BlockAction { return slack.BlockAction{Type: "users_select", SelectedUser: v} }
	values := map[string]map[string]slack.BlockAction{
		"title": {"v": text("Delight new customers")}, "description": {"v": text("")},
		"team":  {"v": {Type: "conversations_select", SelectedConversation: growth}},
		"cycle": {"v": sel("2026-Q4")}, "owner": {"v": user(who)},
	}
	for i, k := range [][3]string{{"increase", "40%", "60%"}, {"decrease", "400 ms", "280 ms"}, {"milestone", "", ""}} {
		p := fmt.Sprintf("kr%d_", i)
		values[p+"title"] = map[string]slack.BlockAction{"v": text(fmt.Sprintf("Key result %d", i+1))}
		values[p+"kind"] = map[string]slack.BlockAction{"v": sel(k[0])}
		values[p+"start"] = map[string]slack.BlockAction{"v": text(k[1])}
		values[p+"target"] = map[string]slack.BlockAction{"v": text(k[2])}
		values[p+"owner"] = map[string]slack.BlockAction{"v": user(who)}
	}
	meta, _ := json.Marshal(map[string]any{"m": "new", "n": 3, "c": growth})
	cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: who, TeamID: teamA}}
	cb.View = slack.View{ID: "VBENCH", CallbackID: "okr_objective", PrivateMetadata: string(meta), State: &slack.ViewState{Values: values}}
	return cb
}

// BenchmarkPromptFanOut sends the check-in prompts of 2,000 owners (in 40
// teams) while the fake Slack allows chat.postMessage 50 times a second
// (bursts of 5) and answers anything more with 429 and Retry-After. It
// reports the achieved rate as a share of the allowed one, duplicates, drops
// and 429s, with one replica and with three (only the lease holder sends),
// and with one replica configured to go faster than Slack allows (it backs
// off on 429s and settles under the limit).
//
//	go test ./cmd/okrbot -run '^$' -bench PromptFanOut -benchtime 1x
func BenchmarkPromptFanOut(b *testing.B) {
	const owners, limit = 2000, 50.0
	for _, tc := range []struct {
		replicas int
		pace     float64
	}{{1, limit}, {3, limit}, {1, 80}} {
		replicas := tc.replicas
		b.Run(fmt.Sprintf("replicas=%d/pace=%.0f", replicas, tc.pace), func(b *testing.B) {
			for b.Loop() {
				e := newEnvWith(b, func(c *Config) { c.MessagesPerSecond = tc.pace })
				for i := 2; i <= replicas; i++ {
					e.replica(i)
				}
				e.srv.RateLimit("chat.postMessage", limit, 5)
				var teams []string
				for i := range 40 {
					id := fmt.Sprintf("CTEAM%02d", i)
					e.srv.AddChannel(slacktest.Channel{ID: id, TeamID: teamA, Name: strings.ToLower(id), BotIsMember: true})
					teams = append(teams, id)
				}
				users := seedOwnersIn(b, e.srv, e.main.Store, teams, owners, "UTC", e.clock().Add(-time.Hour))
				e.advance(61 * time.Minute) // 10:01 UTC: the next sweep finds 2,000 prompts due
				deadline := time.Now().Add(3 * time.Minute)
				for len(promptsPerUser(e.srv)) < owners && time.Now().Before(deadline) {
					time.Sleep(100 * time.Millisecond)
				}
				e.stopAll() // sweeps in flight finish: any duplicate has landed
				var first, last time.Time
				limited := 0
				for _, c := range e.srv.Calls("chat.postMessage") {
					if c.Status == 429 {
						limited++
						continue
					}
					if !c.OK() {
						continue
					}
					if first.IsZero() || c.Time.Before(first) {
						first = c.Time
					}
					if c.Time.After(last) {
						last = c.Time
					}
				}
				got := promptsPerUser(e.srv)
				total, drops := 0, 0
				for _, u := range users {
					total += got[e.srv.DMChannel(u)]
					if got[e.srv.DMChannel(u)] == 0 {
						drops++
					}
				}
				rate := float64(total-1) / last.Sub(first).Seconds()
				b.ReportMetric(rate, "msgs/s")
				b.ReportMetric(100*rate/limit, "%-of-limit")
				b.ReportMetric(float64(total-(owners-drops)), "duplicates")
				b.ReportMetric(float64(drops), "drops")
				b.ReportMetric(float64(limited), "429s")
				b.ReportMetric(0, "ns/op")
			}
		})
	}
}
