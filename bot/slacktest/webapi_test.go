package slacktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestAuth(t *testing.T) {
	srv := New(t)
	seed(srv)
	ctx := testCtx(t)

	res, err := newAPI(srv).AuthTestContext(ctx)
	mustNoErr(t, err)
	if res.TeamID != "T1" || res.UserID != srv.BotUserID() || res.BotID != srv.BotID() || res.Team != "Acme" || res.URL != "https://acme.slack.com/" {
		t.Errorf("auth.test = %+v", res)
	}

	for token, want := range map[string]string{"xoxb-nope": "invalid_auth", "": "not_authed", srv.AppToken(): "not_allowed_token_type"} {
		api := slack.New(token, slack.OptionAPIURL(srv.APIURL()))
		if _, err := api.AuthTestContext(ctx); slackErr(err) != want {
			t.Errorf("token %q: err = %v, want %s", token, err, want)
		}
	}
	bad := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken("xapp-nope"))
	if _, _, err := bad.StartSocketModeContext(ctx); slackErr(err) != "invalid_auth" {
		t.Errorf("apps.connections.open with a bad app token: %v", err)
	}

	// Unknown methods answer unknown_method and are recorded.
	resp, err := http.Post(srv.APIURL()+"reminders.add", "application/x-www-form-urlencoded",
		strings.NewReader("token="+srv.BotToken()+"&text=hi"))
	mustNoErr(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"error":"unknown_method","ok":false}` {
		t.Errorf("unknown method answer = %s", body)
	}
	calls := srv.Calls("reminders.add")
	if len(calls) != 1 || calls[0].Error != "unknown_method" || calls[0].Param("text") != "hi" || calls[0].Params.Has("token") || calls[0].Token != srv.BotToken() {
		t.Errorf("recorded = %+v", calls)
	}
}

func TestChatMethods(t *testing.T) {
	srv := New(t)
	seed(srv)
	srv.AddChannel(Channel{ID: "C3", TeamID: "T1", Name: "elsewhere", Members: []string{"U1"}})
	api := newAPI(srv)
	ctx := testCtx(t)

	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject("plain_text", "Q3 OKRs", false, false)),
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Revenue* 80%", false, false), nil, nil),
		slack.NewContextBlock("", slack.NewTextBlockObject("mrkdwn", "updated today", false, false)),
	}
	ch, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Q3 OKRs", false), slack.MsgOptionBlocks(blocks...))
	mustNoErr(t, err)
	if ch != "C1" || ts == "" {
		t.Fatalf("posted to %s at %q", ch, ts)
	}
	msgs := srv.Messages("C1")
	if len(msgs) != 1 || len(msgs[0].Blocks.BlockSet) != 3 || msgs[0].User != srv.BotUserID() || msgs[0].Source != SourcePostMessage {
		t.Fatalf("messages = %+v", msgs)
	}
	if txt := msgs[0].AllText(); !strings.Contains(txt, "*Revenue* 80%") || !strings.Contains(txt, "updated today") || !strings.Contains(txt, "Q3 OKRs") {
		t.Errorf("AllText = %q", txt)
	}

	for _, tc := range []struct{ channel, want string }{{"C3", "not_in_channel"}, {"C9", "channel_not_found"}, {"U9", "channel_not_found"}} {
		if _, _, err := api.PostMessageContext(ctx, tc.channel, slack.MsgOptionText("x", false)); slackErr(err) != tc.want {
			t.Errorf("post to %s: %v, want %s", tc.channel, err, tc.want)
		}
	}
	if _, _, err := api.PostMessageContext(ctx, "C1"); slackErr(err) != "no_text" {
		t.Errorf("empty post: %v", err)
	}
	long := slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", strings.Repeat("x", 3001), false, false), nil, nil)
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionBlocks(long))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.ResponseMetadata.Messages) != 1 ||
		!strings.Contains(se.ResponseMetadata.Messages[0], "/blocks/0/text/text") {
		t.Errorf("too long section: %#v", err)
	}

	// chat.update replaces text and records the edit.
	_, _, _, err = api.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("Q3 OKRs (final)", false))
	mustNoErr(t, err)
	m, _ := srv.Message("C1", ts)
	if m.Text != "Q3 OKRs (final)" || m.Edits != 1 || len(m.History) != 1 || m.History[0].Text != "Q3 OKRs" || len(m.Blocks.BlockSet) != 3 {
		t.Errorf("updated = %+v", m)
	}
	if _, _, _, err = api.UpdateMessageContext(ctx, "C1", "1.000001", slack.MsgOptionText("x", false)); slackErr(err) != "message_not_found" {
		t.Errorf("update of a missing message: %v", err)
	}

	// Ephemerals need the user in the channel.
	_, err = api.PostEphemeralContext(ctx, "C1", "U1", slack.MsgOptionText("only you", false))
	mustNoErr(t, err)
	if _, err = api.PostEphemeralContext(ctx, "C1", "U2", slack.MsgOptionText("x", false)); slackErr(err) != "user_not_in_channel" {
		t.Errorf("ephemeral to a non-member: %v", err)
	}
	if e := srv.Ephemerals("U1"); len(e) != 1 || e[0].Text != "only you" || !e[0].Ephemeral {
		t.Errorf("ephemerals = %+v", e)
	}
	if _, _, _, err = api.UpdateMessageContext(ctx, "C1", srv.Ephemerals("U1")[0].TS, slack.MsgOptionText("x", false)); slackErr(err) != "message_not_found" {
		t.Errorf("ephemerals cannot be updated: %v", err)
	}

	// chat.delete hides the message.
	_, delTS, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("oops", false))
	mustNoErr(t, err)
	_, _, err = api.DeleteMessageContext(ctx, "C1", delTS)
	mustNoErr(t, err)
	if n := len(srv.Messages("C1")); n != 2 { // the post and the ephemeral
		t.Errorf("after delete %d messages", n)
	}
}

func TestDirectMessages(t *testing.T) {
	srv := New(t)
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)

	ch, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	mustNoErr(t, err)
	if ch.ID != "D1" || already || srv.DMChannel("U1") != "D1" {
		t.Fatalf("DM = %s (already open %v)", ch.ID, already)
	}
	ch2, _, already, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	mustNoErr(t, err)
	if ch2.ID != "D1" || !already {
		t.Errorf("second open = %s, already %v", ch2.ID, already)
	}
	if _, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U9"}}); slackErr(err) != "user_not_found" {
		t.Errorf("open DM with unknown user: %v", err)
	}

	got, _, err := api.PostMessageContext(ctx, "U1", slack.MsgOptionText("hi by user ID", false))
	mustNoErr(t, err)
	if got != "D1" {
		t.Errorf("posting to a user ID answered channel %s", got)
	}
	_, _, err = api.PostMessageContext(ctx, "D1", slack.MsgOptionText("hi by DM ID", false))
	mustNoErr(t, err)
	if msgs := srv.Messages("D1"); len(msgs) != 2 || len(srv.Messages("U1")) != 2 {
		t.Errorf("DM messages = %v", msgs)
	}

	info, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "D1"})
	mustNoErr(t, err)
	if !info.IsIM || info.User != "U1" {
		t.Errorf("DM info = %+v", info)
	}
	info, err = api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C2"})
	mustNoErr(t, err)
	if info.Name != "secret" || !info.IsPrivate || info.IsMember || info.NumMembers != 2 {
		t.Errorf("C2 info = %+v", info)
	}
	if _, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C9"}); slackErr(err) != "channel_not_found" {
		t.Errorf("info of unknown channel: %v", err)
	}
}

func TestUsers(t *testing.T) {
	srv := New(t)
	seed(srv)
	for i := 3; i <= 6; i++ {
		srv.AddUser(User{ID: fmt.Sprintf("U%d", i), TeamID: "T1"})
	}
	srv.AddUser(User{ID: "U7", TeamID: "T2", Deleted: true})
	api := newAPI(srv)
	ctx := testCtx(t)

	u, err := api.GetUserInfoContext(ctx, "U1")
	mustNoErr(t, err)
	loc, _ := time.LoadLocation("Europe/Berlin")
	label, offset := time.Now().In(loc).Zone()
	if u.Name != "ana" || u.RealName != "Ana Alves" || u.Profile.RealName != "Ana Alves" || u.TeamID != "T1" ||
		u.TZ != "Europe/Berlin" || u.TZOffset != offset || u.TZLabel != label || !u.IsAdmin || u.IsOwner || u.IsBot || u.Deleted {
		t.Errorf("users.info = %+v", u)
	}
	if _, err := api.GetUserInfoContext(ctx, "U9"); slackErr(err) != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
	bot, err := api.GetUserInfoContext(ctx, srv.BotUserID())
	mustNoErr(t, err)
	if !bot.IsBot {
		t.Errorf("bot user = %+v", bot)
	}

	// Pages of 2 over the bot and U1..U6 in T1.
	p := api.GetUsersPaginated(slack.GetUsersOptionLimit(2), slack.GetUsersOptionTeamID("T1"))
	var ids []string
	pages := 0
	for {
		p, err = p.Next(ctx)
		if p.Done(err) {
			break
		}
		mustNoErr(t, err)
		pages++
		for _, u := range p.Users {
			ids = append(ids, u.ID)
		}
	}
	if want := []string{srv.BotUserID(), "U1", "U2", "U3", "U4", "U5", "U6"}; fmt.Sprint(ids) != fmt.Sprint(want) || pages != 4 {
		t.Errorf("pages = %d, users = %v, want %v", pages, ids, want)
	}
	all, err := api.GetUsersContext(ctx, slack.GetUsersOptionLimit(3))
	mustNoErr(t, err)
	if len(all) != 8 || !all[7].Deleted {
		t.Errorf("all users = %d", len(all))
	}
	if c := srv.Calls("users.list"); c[0].Param("limit") != "2" || c[1].Param("cursor") == "" {
		t.Errorf("users.list calls = %+v", c[:2])
	}
}

func TestFileUpload(t *testing.T) {
	srv := New(t)
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)

	data := bytes.Repeat([]byte("chart-bytes-"), 1000)
	sum, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(data), FileSize: len(data), Filename: "okrs.png", Title: "Q3 chart",
		Channel: "C1", InitialComment: "Here is the chart",
	})
	mustNoErr(t, err)
	files := srv.Files()
	if len(files) != 1 || files[0].ID != sum.ID || !bytes.Equal(files[0].Data, data) || files[0].Title != "Q3 chart" ||
		files[0].Name != "okrs.png" || !files[0].Completed || files[0].Channels[0] != "C1" {
		t.Fatalf("files = %+v (summary %+v)", files, sum)
	}
	msgs := srv.Messages("C1")
	if len(msgs) != 1 || msgs[0].Text != "Here is the chart" || msgs[0].Files[0] != sum.ID || msgs[0].Source != SourceFileShare {
		t.Errorf("messages = %+v", msgs)
	}
	if up := srv.Calls(MethodUpload); len(up) != 1 || up[0].Param("file_id") != sum.ID {
		t.Errorf("upload calls = %+v", up)
	}

	_, err = api.UploadFileContext(ctx, slack.UploadFileParameters{Content: "x", FileSize: 1, Filename: "a.txt", Channel: "C2"})
	if slackErr(errors.Unwrap(err)) != "not_in_channel" {
		t.Errorf("upload to a channel without the bot: %v", err)
	}
	srv.FailNext("files.getUploadURLExternal", "internal_error", 1)
	_, err = api.UploadFileContext(ctx, slack.UploadFileParameters{Content: "x", FileSize: 1, Filename: "a.txt", Channel: "C1"})
	if slackErr(errors.Unwrap(err)) != "internal_error" {
		t.Errorf("injected failure: %v", err)
	}
}

func TestFaultInjection(t *testing.T) {
	clock := &fakeClock{}
	srv := New(t, WithClock(clock.now))
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)

	srv.RateLimit("chat.postMessage", 1, 2)
	for range 2 {
		_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
		mustNoErr(t, err)
	}
	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("err = %#v, want RateLimitedError{1s}", err)
	}
	if c := srv.Calls("chat.postMessage"); c[2].Status != http.StatusTooManyRequests || c[2].Error != "ratelimited" {
		t.Errorf("call = %+v", c[2])
	}
	clock.advance(time.Second)
	_, _, err = api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
	mustNoErr(t, err)
	srv.RateLimit("chat.postMessage", 0, 0)

	srv.FailNext("users.info", "fatal_error", 2)
	for i := range 3 {
		_, err := api.GetUserInfoContext(ctx, "U1")
		if got := slackErr(err); (i < 2) != (got == "fatal_error") {
			t.Errorf("users.info #%d: %v", i, err)
		}
	}
	srv.FailNextHTTP("auth.test", http.StatusInternalServerError, 1)
	_, err = api.AuthTestContext(ctx)
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != http.StatusInternalServerError {
		t.Errorf("HTTP 500: %#v", err)
	}
	_, err = api.AuthTestContext(ctx)
	mustNoErr(t, err)
}

func TestResponseURL(t *testing.T) {
	clock := &fakeClock{}
	srv := New(t, WithClock(clock.now))
	seed(srv)
	startBot(t, srv, nil)
	api := newAPI(srv)
	ctx := testCtx(t)

	ack, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
	mustNoErr(t, err)
	_, _, err = api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(ack.ResponseURL, slack.ResponseTypeInChannel), slack.MsgOptionText("public", false))
	mustNoErr(t, err)
	for i := range 4 {
		_, _, err = api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(ack.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText(fmt.Sprint("private ", i), false))
		mustNoErr(t, err)
	}
	_, _, err = api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(ack.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("sixth", false))
	if err == nil || err.Error() != "used_up" {
		t.Errorf("sixth use: %v", err)
	}
	msgs := srv.Messages("C1")
	if len(msgs) != 5 || msgs[0].Ephemeral || msgs[0].ResponseType != "in_channel" || !msgs[1].Ephemeral || msgs[1].EphemeralTo != "U1" || msgs[1].Source != SourceResponseURL {
		t.Errorf("messages = %v", msgs)
	}
	if n := srv.CallCount(MethodResponseURL); n != 6 {
		t.Errorf("response_url calls = %d", n)
	}

	ack, err = srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr"})
	mustNoErr(t, err)
	clock.advance(31 * time.Minute)
	_, _, err = api.PostMessageContext(ctx, "", slack.MsgOptionResponseURL(ack.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("late", false))
	var sc slack.StatusCodeError
	if !errors.As(err, &sc) || sc.Code != http.StatusNotFound {
		t.Errorf("expired response_url: %#v", err)
	}
}

func TestConcurrentPosts(t *testing.T) {
	srv := New(t)
	seed(srv)
	for i := range 10 {
		srv.AddChannel(Channel{ID: fmt.Sprintf("CF%d", i), BotIsMember: true})
	}
	api := newAPI(srv)
	ctx := testCtx(t)

	waited := make(chan error, 1)
	go func() {
		_, err := srv.WaitForMessage(ctx, func(m Message) bool { return m.Text == "last" })
		waited <- err
	}()
	var wg sync.WaitGroup
	for g := range 20 {
		wg.Go(func() {
			for i := range 25 {
				if _, _, err := api.PostMessageContext(ctx, fmt.Sprintf("CF%d", (g+i)%10), slack.MsgOptionText("x", false)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	_, _, err := api.PostMessageContext(ctx, "CF0", slack.MsgOptionText("last", false))
	mustNoErr(t, err)
	mustNoErr(t, <-waited)
	seen := map[string]bool{}
	for _, m := range srv.Messages("") {
		if seen[m.Channel+m.TS] {
			t.Fatalf("duplicate ts %s in %s", m.TS, m.Channel)
		}
		seen[m.Channel+m.TS] = true
	}
	if len(seen) != 501 || srv.CallCount("chat.postMessage") != 501 {
		t.Errorf("%d messages, %d calls", len(seen), srv.CallCount("chat.postMessage"))
	}
	if _, err := srv.WaitForCall(context.Background(), "chat.postMessage", func(c Call) bool { return c.Param("text") == "last" }); err != nil {
		t.Error(err)
	}
}

func TestConversationsHistory(t *testing.T) {
	srv := New(t)
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{"U1"}})
	mustNoErr(t, err)
	for i := range 3 {
		_, _, err := api.PostMessageContext(ctx, ch.ID, slack.MsgOptionText(fmt.Sprintf("m%d", i), false),
			slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "okr_prompt", EventPayload: map[string]any{"key": fmt.Sprintf("k%d", i)}}))
		mustNoErr(t, err)
	}
	h, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch.ID, Limit: 2, IncludeAllMetadata: true})
	mustNoErr(t, err)
	if len(h.Messages) != 2 || h.Messages[0].Text != "m2" || h.Messages[0].Metadata.EventPayload["key"] != "k2" || !h.HasMore {
		t.Fatalf("first page = %+v", h)
	}
	h2, err := api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch.ID, Limit: 2, Cursor: h.ResponseMetaData.NextCursor})
	mustNoErr(t, err)
	if len(h2.Messages) != 1 || h2.Messages[0].Text != "m0" || h2.Messages[0].Metadata.EventType != "" {
		t.Fatalf("second page (no metadata asked) = %+v", h2.Messages)
	}
}
