package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
)

// The bot is the scheduler's messenger.
var _ reminders.Messenger = (*Bot)(nil)

// Person implements reminders.Messenger: a person's timezone and whether
// they can be messaged, from Slack's directory (cached).
func (b *Bot) Person(ctx context.Context, workspace, user string) (reminders.Person, error) {
	if err := b.users.warm(ctx); err != nil {
		b.logError("loading the Slack directory", &request{workspace: workspace}, err)
	}
	u, err := b.users.get(ctx, user)
	if err != nil {
		return reminders.Person{}, b.messengerErr(b.slackErr("users.info", err))
	}
	p := reminders.Person{Active: !u.Deleted && !u.IsBot}
	if loc, err := time.LoadLocation(u.TZ); err == nil && u.TZ != "" {
		p.Location = loc
	}
	return p, nil
}

// dmKey remembers a person's DM channel: conversations.open is rate limited
// and its answer never changes.
func dmKey(user string) string { return "dm:" + user }

// dmChannel returns the DM channel with user, opening it the first time.
func (b *Bot) dmChannel(ctx context.Context, workspace, user string) (string, error) {
	if ch, err := b.store.Get(ctx, workspace, dmKey(user)); err == nil && ch != "" {
		return ch, nil
	}
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", b.slackErr("conversations.open", err)
	}
	b.store.Put(ctx, workspace, dmKey(user), ch.ID, 365*24*time.Hour)
	return ch.ID, nil
}

// SendPrompt implements reminders.Messenger: it DMs a prompt, a nudge or a
// manager's reminder with the person's key results and a "Check in" button.
func (b *Bot) SendPrompt(ctx context.Context, p reminders.Prompt) (reminders.Posted, error) {
	ch, err := b.dmChannel(ctx, p.Workspace, p.User)
	if err != nil {
		return reminders.Posted{}, b.messengerErr(err)
	}
	m := promptMessage(p, b.now())
	_, ts, err := b.api.PostMessageContext(ctx, ch, m.options(
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: promptEvent, EventPayload: map[string]any{"key": p.Key}}))...)
	if err != nil {
		return reminders.Posted{}, b.messengerErr(b.slackErr("chat.postMessage", err))
	}
	return reminders.Posted{Channel: ch, TS: ts}, nil
}

// promptEvent tags prompt messages (Slack message metadata), so that a
// retry can tell whether an earlier attempt landed.
const promptEvent = "okrbot_prompt"

// FindPrompt implements reminders.Messenger: it looks through the latest
// messages of the person's DM (conversations.history, im:history) for one
// tagged with the prompt's key.
func (b *Bot) FindPrompt(ctx context.Context, p reminders.Prompt) (reminders.Posted, bool, error) {
	ch, err := b.store.Get(ctx, p.Workspace, dmKey(p.User))
	if err != nil || ch == "" {
		return reminders.Posted{}, false, err // no DM yet: nothing was ever posted
	}
	h, err := b.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: ch, Limit: 20, IncludeAllMetadata: true})
	if err != nil {
		return reminders.Posted{}, false, b.messengerErr(b.slackErr("conversations.history", err))
	}
	for _, m := range h.Messages {
		if m.Metadata.EventType == promptEvent && m.Metadata.EventPayload["key"] == p.Key {
			return reminders.Posted{Channel: ch, TS: m.Timestamp}, true, nil
		}
	}
	return reminders.Posted{}, false, nil
}

// messengerErr translates Slack's errors into the scheduler's: a person who
// cannot be messaged is ErrGone, a 429 is RateLimited.
func (b *Bot) messengerErr(err error) error {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return &reminders.RateLimited{After: rl.RetryAfter}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "user_not_found", "user_not_visible", "account_inactive", "user_disabled", "cannot_dm_bot", "channel_not_found", "is_archived", "not_allowed_token_type_for_user":
			return fmt.Errorf("%w: %s", reminders.ErrGone, se.Err)
		}
	}
	return err
}

// Action ids of prompts.
const actionCheckInSame = "okr_checkin_same" // "No change this week"

// promptMessage is the DM for a prompt, nudge or reminder.
func promptMessage(p reminders.Prompt, now time.Time) message {
	var intro string
	switch p.Kind {
	case reminders.KindNudge:
		intro = "Friendly nudge: your check-in for this week is still open. It takes less than 30 seconds."
	case reminders.KindRemind:
		intro = "Your team asked for this week's check-in. It takes less than 30 seconds."
	default:
		intro = "Time for your weekly check-in: where do your key results stand? It takes less than 30 seconds."
	}
	if p.Late {
		intro += " _(Sorry this comes late: I was offline when it was due.)_"
	}
	blocks := []slack.Block{section(fmt.Sprintf(":wave: %s", intro))}
	n := 0
	var lines []string
	for oi := range p.Objectives {
		o := &p.Objectives[oi]
		lines = append(lines, "*"+esc(shorten(o.Title, 120))+"*")
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			n++
			lines = append(lines, fmt.Sprintf("• %s — %s · %s · last: %s", esc(kr.Title), valueText(kr),
				okrs.FormatPercent(kr.Achievement()), confidenceLabel(kr.Confidence)))
		}
	}
	blocks = append(blocks, section(strings.Join(lines, "\n")))
	value := "prompt|" + p.Team + "|" + p.Period.Key
	blocks = append(blocks, slack.NewActionBlock("prompt_actions",
		slack.NewButtonBlockElement(actionCheckIn, value, plain("Check in")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(actionCheckInSame, value, plain("No change this week")),
	))
	blocks = append(blocks, contextText(fmt.Sprintf("%s · week of %s · %d key result%s", channelRef(p.Team),
		p.Period.Start.Format("Jan 2"), n, plural(n))))
	text := fmt.Sprintf("Time for your weekly check-in on %d key result%s.", n, plural(n))
	if p.Kind == reminders.KindNudge {
		text = "Reminder: your weekly check-in is still open."
	}
	return message{text: text, blocks: blocks}
}
