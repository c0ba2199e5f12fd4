package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Person tells the scheduler a person's timezone and whether
// they can be messaged, from Slack's directory (cached).
func (b *Bot) Person(ctx context.Context, workspace, user string) (okrs.Recipient, error) {
	if err := b.users.warm(ctx); err != nil {
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
	m := promptMessage(p, b.now())
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
	ch, err := b.store.DMChannel(ctx, p.Workspace, p.User)
	if err != nil || ch == "" {
		return okrs.Posted{}, false, err // no DM yet: nothing was ever posted
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

// Action ids of prompts.
const actionCheckInSame = "okr_checkin_same" // "No change this week"

// promptMessage is the DM for a prompt, nudge or reminder.
func promptMessage(p okrs.Prompt, now time.Time) message {
	var intro string
	switch p.Kind {
	case okrs.KindNudge:
		intro = "Friendly nudge: your check-in for this week is still open. It takes less than 30 seconds."
	case okrs.KindRemind:
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
	buttons := []slack.BlockElement{slack.NewButtonBlockElement(actionCheckIn, value, plain("Check in")).WithStyle(slack.StylePrimary)}
	if everyCheckedIn(p.Objectives) { // "no change" repeats the last check-in: there must be one
		buttons = append(buttons, slack.NewButtonBlockElement(actionCheckInSame, value, plain("No change this week")))
	}
	blocks = append(blocks, slack.NewActionBlock("prompt_actions", buttons...))
	blocks = append(blocks, contextText(fmt.Sprintf("%s · week of %s · %d key result%s", channelRef(p.Team),
		p.Period.Start.Format("Jan 2"), n, plural(n))))
	text := fmt.Sprintf("Time for your weekly check-in on %d key result%s.", n, plural(n))
	if p.Kind == okrs.KindNudge {
		text = "Reminder: your weekly check-in is still open."
	}
	return message{text: text, blocks: blocks}
}

// everyCheckedIn reports whether every key result of objs has had a
// check-in.
func everyCheckedIn(objs []okrs.Objective) bool {
	for _, o := range objs {
		for _, kr := range o.KeyResults {
			if kr.Confidence.Level == "" {
				return false
			}
		}
	}
	return true
}
