// Package slacktest is a fake Slack for end-to-end tests of okrbot.
//
// A [Server] plays both halves of Slack that a Socket Mode app talks to:
//
//   - the Web API on http://127.0.0.1:PORT/api/ (chat.*, views.*, users.*,
//     conversations.*, files.*, auth.test, apps.connections.open, ...), and
//   - the Socket Mode websocket that apps.connections.open hands out, over which
//     the fake sends hello, slash_commands, interactive and events_api envelopes
//     and waits for the app's acks.
//
// It is built to satisfy github.com/slack-go/slack exactly, so the bot under
// test needs no special code path: point it at the fake with
//
//	api := slack.New(srv.BotToken(),
//		slack.OptionAPIURL(srv.APIURL()),
//		slack.OptionAppLevelToken(srv.AppToken()))
//	client := socketmode.New(api)
//
// A typical test seeds a directory, waits for the bot to connect, plays the
// user's part and asserts on what the bot did:
//
//	srv := slacktest.New(t)
//	srv.AddWorkspace(slacktest.Workspace{ID: "T1", Name: "Acme"})
//	srv.AddUser(slacktest.User{ID: "U1", TeamID: "T1", Name: "ana", TZ: "Europe/Berlin"})
//	srv.AddChannel(slacktest.Channel{ID: "C1", TeamID: "T1", Name: "growth", Members: []string{"U1"}, BotIsMember: true})
//	startBot(srv.APIURL(), srv.BotToken(), srv.AppToken())
//	_ = srv.WaitConnected(ctx, 1)
//	ack, err := srv.SlashCommand(ctx, slacktest.Command{TeamID: "T1", UserID: "U1", ChannelID: "C1", Command: "/okr", Text: "status"})
//	msg, err := srv.WaitForMessage(ctx, func(m slacktest.Message) bool { return strings.Contains(m.AllText(), "Revenue") })
//	ack, err = srv.PressButton(ctx, "U1", msg, "okr_checkin")
//	view, err := srv.WaitForModal(ctx, "U1")
//	ack, err = srv.SubmitView(ctx, "U1", view.ID, slacktest.Values{"progress": {"value": "42"}})
//
// Everything the bot does is recorded: every Web API call ([Server.Calls]),
// messages per channel including DMs, ephemerals and response_url posts
// ([Server.Messages]), views and modal stacks ([Server.View],
// [Server.OpenModal], [Server.HomeView]) and uploaded files ([Server.Files]).
//
// Slack behaviour the fake enforces, so that tests catch the bot's mistakes,
// with Slack's error codes:
//
//   - tokens: not_authed, invalid_auth, not_allowed_token_type (xoxb- for the
//     Web API, xapp- for apps.connections.open);
//   - trigger_ids expire after 3 s on the injectable clock (expired_trigger_id)
//     and are single use (exchanged_trigger_id); unknown ones are
//     invalid_trigger_id;
//   - views.push stops at 3 stacked views (push_limit_reached); views.update
//     and views.publish honour hash (hash_conflict); closed modals cannot be
//     updated (not_found);
//   - posting to a channel the bot is not in fails with not_in_channel,
//     unknown channels with channel_not_found; ephemerals need the user in the
//     channel (user_not_in_channel); chat.update and chat.delete only touch the
//     bot's own, non-ephemeral messages (message_not_found);
//   - response_urls work 5 times (then used_up) within 30 minutes (then 404);
//   - envelopes need an ack within 3 s (ErrNoAck);
//   - some Block Kit limits (50 blocks per message, 100 per view, section text
//     3000, header 150, modal title/submit/close 24 characters, option counts,
//     duplicate block_ids, submit required with inputs, ...) answer
//     invalid_blocks or invalid_arguments with Slack-style
//     response_metadata.messages.
//
// Like Slack, the fake gives blocks without block_id and interactive elements
// without action_id generated IDs, treats a user ID as a channel ID as the
// bot's DM with that user, and applies the response_action of view_submission
// acks (none closes the view, clear, update, push, errors) to the modal stack.
//
// Faults can be injected per method: [Server.RateLimit] answers HTTP 429 with
// Retry-After, [Server.FailNext] and [Server.FailNextHTTP] fail the next calls.
// [Server.Disconnect] sends Socket Mode disconnect messages so that the client
// reconnects.
//
// The Wait* helpers (and envelope senders waiting for a connection) give up
// after 5 s when their context has no deadline.
//
// All methods are safe for concurrent use. Records are returned as copies or
// immutable snapshots; a Message or View never changes after it was returned.
package slacktest
