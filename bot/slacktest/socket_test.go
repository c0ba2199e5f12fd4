package slacktest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

func TestSlashCommandRoundTrip(t *testing.T) {
	srv := New(t)
	seed(srv)
	bot := startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		if evt.Type == socketmode.EventTypeSlashCommand {
			return map[string]any{"text": "Working on it"}
		}
		return nil
	})
	ctx := testCtx(t)
	mustNoErr(t, srv.WaitConnected(ctx, 1))

	ack, err := srv.SlashCommand(ctx, Command{TeamID: "T1", UserID: "U1", ChannelID: "C1", Command: "/okr", Text: "status"})
	mustNoErr(t, err)
	if ack.Text() != "Working on it" || ack.Latency <= 0 || ack.Latency > time.Second {
		t.Errorf("ack = %s, latency %v", ack.Payload, ack.Latency)
	}
	if ack.Type != EnvelopeSlashCommands || ack.ConnID != 1 || ack.TriggerID == "" || ack.ResponseURL == "" {
		t.Errorf("ack = %+v", ack)
	}

	evt := bot.next(t)
	cmd := evt.Data.(slack.SlashCommand)
	want := slack.SlashCommand{
		Token: verificationToken, TeamID: "T1", TeamDomain: "acme", ChannelID: "C1", ChannelName: "growth",
		UserID: "U1", UserName: "ana", Command: "/okr", Text: "status",
		ResponseURL: ack.ResponseURL, TriggerID: ack.TriggerID, APIAppID: srv.AppID(),
	}
	if cmd != want {
		t.Errorf("slash command\n got %+v\nwant %+v", cmd, want)
	}
	if !evt.Request.AcceptsResponsePayload || evt.Request.EnvelopeID != ack.EnvelopeID {
		t.Errorf("request = %+v", evt.Request)
	}
	if n := bot.hellos.Load(); n != 1 {
		t.Errorf("hellos = %d", n)
	}

	// The ack's message shows up as an ephemeral to the user.
	eph := srv.Ephemerals("U1")
	if len(eph) != 1 || eph[0].Text != "Working on it" || eph[0].Source != SourceAck || eph[0].Channel != "C1" {
		t.Errorf("ephemerals = %v", eph)
	}

	// A command without a channel comes from the user's DM.
	_, err = srv.SlashCommand(ctx, Command{UserID: "U2", Command: "/okr"})
	mustNoErr(t, err)
	cmd = bot.next(t).Data.(slack.SlashCommand)
	if cmd.ChannelID != srv.DMChannel("U2") || cmd.ChannelName != "directmessage" || cmd.TeamID != "T1" {
		t.Errorf("DM command = %+v", cmd)
	}

	if n := srv.CallCount("apps.connections.open"); n != 1 {
		t.Errorf("apps.connections.open calls = %d", n)
	}
}

func TestEventAndInteractionEnvelopes(t *testing.T) {
	srv := New(t)
	seed(srv)
	bot := startBot(t, srv, nil)
	ctx := testCtx(t)

	ack, err := srv.AppHomeOpened(ctx, "U1")
	mustNoErr(t, err)
	if ack.Payload != nil {
		t.Errorf("bare ack payload = %s", ack.Payload)
	}
	evt := bot.next(t)
	ev := evt.Data.(slackevents.EventsAPIEvent)
	home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent)
	if !ok || home.User != "U1" || home.Tab != "home" || home.Channel != srv.DMChannel("U1") || ev.TeamID != "T1" {
		t.Fatalf("event = %+v / %+v", ev, ev.InnerEvent.Data)
	}
	cb := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if cb.EventID == "" || len(cb.Authorizations) != 1 || cb.Authorizations[0].UserID != srv.BotUserID() || !cb.Authorizations[0].IsBot {
		t.Errorf("callback = %+v", cb)
	}
	if evt.Request.AcceptsResponsePayload {
		t.Error("events_api must not accept a response payload")
	}

	// Redelivery as Slack does it.
	_, err = srv.Send(ctx, Envelope{Type: EnvelopeEventsAPI, Payload: ack.Request, RetryAttempt: 1, RetryReason: "timeout"})
	mustNoErr(t, err)
	evt = bot.next(t)
	if evt.Request.RetryAttempt != 1 || evt.Request.RetryReason != "timeout" ||
		evt.Data.(slackevents.EventsAPIEvent).Data.(*slackevents.EventsAPICallbackEvent).EventID != cb.EventID {
		t.Errorf("retry = %+v", evt.Request)
	}

	ack, err = srv.Interaction(ctx, slack.InteractionCallback{Type: slack.InteractionTypeShortcut, CallbackID: "new_okr", User: slack.User{ID: "U1"}})
	mustNoErr(t, err)
	ic := bot.next(t).Data.(slack.InteractionCallback)
	if ic.Type != slack.InteractionTypeShortcut || ic.CallbackID != "new_okr" || ic.TriggerID != ack.TriggerID ||
		ic.Team.ID != "T1" || ic.User.Name != "ana" || ic.APIAppID != srv.AppID() {
		t.Errorf("interaction = %+v", ic)
	}
}

func TestAckTimeout(t *testing.T) {
	srv := New(t, WithAckTimeout(200*time.Millisecond))
	seed(srv)
	block := make(chan struct{})
	startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		<-block // never acks in time
		return nil
	})
	t.Cleanup(func() { close(block) }) // runs before the bot stops
	_, err := srv.SlashCommand(testCtx(t), Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
	if !errors.Is(err, ErrNoAck) {
		t.Fatalf("err = %v, want ErrNoAck", err)
	}
}

func TestNoConnection(t *testing.T) {
	srv := New(t, WithWaitTimeout(100*time.Millisecond))
	seed(srv)
	_, err := srv.SlashCommand(context.Background(), Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
	if !errors.Is(err, ErrNoConnection) {
		t.Fatalf("err = %v, want ErrNoConnection", err)
	}
}

func TestDisconnectReconnects(t *testing.T) {
	srv := New(t, WithDisconnectGrace(50*time.Millisecond))
	seed(srv)
	bot := startBot(t, srv, nil)
	ctx := testCtx(t)
	mustNoErr(t, srv.WaitConnected(ctx, 1))

	if n := srv.Disconnect("refresh_requested"); n != 1 {
		t.Fatalf("Disconnect told %d connections", n)
	}
	mustNoErr(t, srv.WaitConnects(ctx, 2))
	if n := srv.CallCount("apps.connections.open"); n != 2 {
		t.Errorf("apps.connections.open calls = %d, want 2", n)
	}
	ack, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
	mustNoErr(t, err)
	if ack.ConnID != 2 {
		t.Errorf("envelope went to connection %d, want 2", ack.ConnID)
	}
	bot.next(t)
	deadline := time.Now().Add(2 * time.Second)
	for bot.hellos.Load() != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := bot.hellos.Load(); n != 2 {
		t.Errorf("hellos = %d, want 2", n)
	}
	for deadline := time.Now().Add(2 * time.Second); len(srv.Connections()) != 1 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if c := srv.Connections(); len(c) != 1 || c[0].ID != 2 || c[0].Draining {
		t.Errorf("connections = %+v", c)
	}
}

func TestReplicasRoundRobin(t *testing.T) {
	srv := New(t)
	seed(srv)
	a := startBot(t, srv, nil)
	b := startBot(t, srv, nil)
	ctx := testCtx(t)
	mustNoErr(t, srv.WaitConnected(ctx, 2))

	conns := map[int]int{}
	for range 6 {
		ack, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
		mustNoErr(t, err)
		conns[ack.ConnID]++
	}
	if conns[1] != 3 || conns[2] != 3 || a.count() != 3 || b.count() != 3 {
		t.Errorf("per connection %v, bots %d/%d", conns, a.count(), b.count())
	}
	ack, err := srv.Send(ctx, Envelope{Type: EnvelopeEventsAPI, ConnID: 2, Payload: json.RawMessage(
		`{"type":"event_callback","team_id":"T1","event":{"type":"app_home_opened","user":"U1"}}`)})
	mustNoErr(t, err)
	if ack.ConnID != 2 {
		t.Errorf("chosen connection = %d", ack.ConnID)
	}
}

func TestPingsKeepConnectionAlive(t *testing.T) {
	srv := New(t, WithPingInterval(20*time.Millisecond))
	seed(srv)
	startBot(t, srv, nil, socketmode.OptionPingInterval(150*time.Millisecond))
	ctx := testCtx(t)
	mustNoErr(t, srv.WaitConnected(ctx, 1))
	time.Sleep(500 * time.Millisecond)
	if n := srv.ConnectCount(); n != 1 {
		t.Errorf("connects = %d; slack-go dropped the connection", n)
	}
	if c := srv.Connections(); len(c) != 1 || c[0].LastPong.IsZero() {
		t.Errorf("connections = %+v, want a pong", c)
	}
}

func TestConcurrentEnvelopes(t *testing.T) {
	srv := New(t)
	seed(srv)
	bot := startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		return map[string]any{"text": "ok"}
	})
	ctx := testCtx(t)
	mustNoErr(t, srv.WaitConnected(ctx, 1))
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			ack, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
			if err == nil && ack.Text() != "ok" {
				err = errors.New("wrong ack " + string(ack.Payload))
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustNoErr(t, err)
	}
	if bot.count() != 50 {
		t.Errorf("bot saw %d commands", bot.count())
	}
}
