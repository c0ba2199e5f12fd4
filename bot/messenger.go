package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// Person tells the scheduler a person's timezone and whether
// they can be messaged, from Slack's directory (cached).
func (b *Bot) Person(ctx context.Context, workspace, user string) (okrs.Recipient, error) {
	// One users.list (paged) per workspace every few minutes gives every
	// person's timezone and status: users.info one by one would hit
	// Slack's rate limits.
	if _, err := b.workspaceStatuses(ctx, workspace); err != nil {
		b.logError("loading the Slack directory", &request{workspace: workspace}, err)
	}
	u, err := b.users.get(ctx, user)
	if err != nil {
		return okrs.Recipient{}, b.messengerErr(b.slackErr("users.info", err))
	}
	p := okrs.Recipient{Active: !u.Deleted && !u.IsBot}
	if loc, err := time.LoadLocation(u.TZ); err == nil && u.TZ != "" {
		p.Location = loc
	}
	return p, nil
}

// dmChannel returns the DM channel with user, opening it the first time
// and remembering it: conversations.open is rate limited and its answer
// never changes. When Redis cannot remember it, it is opened again next
// time.
func (b *Bot) dmChannel(ctx context.Context, workspace, user string) (string, error) {
	ch, err := b.store.DMChannel(ctx, workspace, user)
	if err != nil {
		b.logError("reading a DM channel", &request{workspace: workspace, user: user}, err)
	}
	if ch != "" {
		return ch, nil
	}
	opened, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", b.slackErr("conversations.open", err)
	}
	if err := b.store.SetDMChannel(ctx, workspace, user, opened.ID); err != nil {
		b.logError("remembering a DM channel", &request{workspace: workspace, user: user}, err)
	}
	return opened.ID, nil
}

// SendPrompt, for the scheduler, it DMs a prompt, a nudge or a
// manager's reminder with the person's key results and a "Check in" button.
func (b *Bot) SendPrompt(ctx context.Context, p okrs.Prompt) (okrs.Posted, error) {
	ch, err := b.dmChannel(ctx, p.Workspace, p.User)
	if err != nil {
		return okrs.Posted{}, b.messengerErr(err)
	}
	m := message{Message: views.Prompt(p, b.now())}
	_, ts, err := b.api.PostMessageContext(ctx, ch, m.options(
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: promptEvent, EventPayload: map[string]any{"key": p.Key}}))...)
	if err != nil {
		return okrs.Posted{}, b.messengerErr(b.slackErr("chat.postMessage", err))
	}
	return okrs.Posted{Channel: ch, TS: ts}, nil
}

// promptEvent tags prompt messages (Slack message metadata), so that a
// retry can tell whether an earlier attempt landed.
const promptEvent = "okrbot_prompt"

// FindPrompt, for the scheduler, it looks through the latest
// messages of the person's DM (conversations.history, im:history) for one
// tagged with the prompt's key.
func (b *Bot) FindPrompt(ctx context.Context, p okrs.Prompt) (okrs.Posted, bool, error) {
	// The DM's id may not have been remembered (Redis failed just then):
	// open it again, as the send did, rather than conclude nothing landed.
	ch, err := b.dmChannel(ctx, p.Workspace, p.User)
	if err != nil {
		return okrs.Posted{}, false, b.messengerErr(err)
	}
	h, err := b.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch, Limit: 20, IncludeAllMetadata: true})
	if err != nil {
		return okrs.Posted{}, false, b.messengerErr(b.slackErr("conversations.history", err))
	}
	for _, m := range h.Messages {
		if m.Metadata.EventType == promptEvent && m.Metadata.EventPayload["key"] == p.Key {
			return okrs.Posted{Channel: ch, TS: m.Timestamp}, true, nil
		}
	}
	return okrs.Posted{}, false, nil
}

// messengerErr translates Slack's errors into the scheduler's: a person who
// cannot be messaged is ErrGone, a 429 is RateLimited.
func (b *Bot) messengerErr(err error) error {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &okrs.RateLimited{After: rl.RetryAfter}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "user_not_found", "user_not_visible", "account_inactive", "user_disabled", "cannot_dm_bot", "channel_not_found", "is_archived", "not_allowed_token_type_for_user":
			return fmt.Errorf("%w: %s", okrs.ErrGone, se.Err)
		}
	}
	return err
}
