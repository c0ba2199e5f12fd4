package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// message is an answer to a person: text (always, as the notification and
// fallback) and optional blocks.
type message struct {
	views.Message
	inChannel bool // visible to the channel, not only to the person
	replace   bool // replace the message a button was pressed on
}

// text is a message of text only.
func text(t views.Mrkdwn) message { return message{Message: views.Message{Text: t}} }

// options are m's chat.postMessage / postEphemeral / update options.
func (m message) options(extra ...slack.MsgOption) []slack.MsgOption {
	opts := []slack.MsgOption{slack.MsgOptionText(m.Text.String(), false)}
	if len(m.Blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(m.Blocks...))
	}
	return append(opts, extra...)
}

var webhookClient = &http.Client{Timeout: 10 * time.Second}

// respond answers the person who made the request: through its
// response_url when it has one (this works in channels the bot is not in),
// else ephemerally in the channel, else in a DM.
func (b *Bot) respond(ctx context.Context, r *request, m message) error {
	if r.responseURL != "" && !b.trustedResponseURL(r.responseURL) {
		b.log.Warn("ignoring a response_url that is not Slack's", slog.String("url", r.responseURL))
		r.responseURL = ""
	}
	if r.responseURL != "" {
		wm := &slack.WebhookMessage{Text: m.Text.String(), ReplaceOriginal: m.replace, ResponseType: slack.ResponseTypeEphemeral}
		if m.inChannel {
			wm.ResponseType = slack.ResponseTypeInChannel
		}
		if len(m.Blocks) > 0 {
			wm.Blocks = &slack.Blocks{BlockSet: m.Blocks}
		}
		err := slack.PostWebhookCustomHTTPContext(ctx, r.responseURL, webhookClient, wm)
		if err == nil {
			return nil
		}
		b.log.Warn("answering through response_url failed; trying chat.postEphemeral", slog.Any("err", err))
	}
	opts := m.options()
	if r.channel != "" && !m.inChannel {
		if _, err := b.api.PostEphemeralContext(ctx, r.channel, r.user, opts...); err == nil {
			return nil
		}
	}
	if r.channel != "" && m.inChannel {
		_, _, err := b.api.PostMessageContext(ctx, r.channel, opts...)
		return b.slackErr("chat.postMessage", err)
	}
	return b.dm(ctx, r.user, m)
}

// say answers the person with text only: mrkdwn, made with views.Sprintf
// (which escapes its arguments) or views.Raw.
func (b *Bot) say(ctx context.Context, r *request, t views.Mrkdwn) {
	if err := b.respond(ctx, r, text(t)); err != nil {
		b.logError("answering the person failed", r, err)
	}
}

// fail tells the person what went wrong in words they can act on, and logs
// the detail.
func (b *Bot) fail(ctx context.Context, r *request, what string, err error) {
	b.logError(what, r, err)
	b.say(ctx, r, friendly(err))
}

// dm sends a direct message to user.
func (b *Bot) dm(ctx context.Context, user string, m message) error {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return b.slackErr("conversations.open", err)
	}
	_, _, err = b.api.PostMessageContext(ctx, ch.ID, m.options()...)
	return b.slackErr("chat.postMessage", err)
}

// slackErr counts a failed Slack call and passes the error on.
func (b *Bot) slackErr(method string, err error) error {
	if err == nil {
		return nil
	}
	code := "other"
	var se slack.SlackErrorResponse
	var rl *slack.RateLimitedError
	switch {
	case errors.As(err, &se):
		code = se.Err
	case errors.As(err, &rl):
		code = "ratelimited"
	}
	b.metrics.slackErrors.WithLabelValues(method, code).Inc()
	return fmt.Errorf("%s: %w", method, err)
}

// shownError is a domain error whose message is mrkdwn already (it links
// channels or people); friendly shows it as it is. Any other domain error's
// message is escaped.
type shownError struct {
	domain *okrs.Error
	text   views.Mrkdwn
}

func (e shownError) Error() string { return e.domain.Error() }
func (e shownError) Unwrap() error { return e.domain }

// friendly turns an error into a sentence for the person who hit it.
func friendly(err error) views.Mrkdwn {
	var shown shownError
	if errors.As(err, &shown) {
		return shown.text
	}
	var de *okrs.Error
	if errors.As(err, &de) && de.Code != okrs.EINTERNAL {
		return views.Escape(de.Message)
	}
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return views.Raw("Slack asked me to slow down. Please try again in a minute.")
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "not_in_channel":
			return views.Raw("I'm not a member of that channel. Invite me with `/invite @okrbot`, then try again.")
		case "channel_not_found":
			return views.Raw("I can't see that channel. If it's private, invite me with `/invite @okrbot` first.")
		case "is_archived":
			return views.Raw("That channel is archived, so I can't post there.")
		case "user_not_found", "user_not_visible":
			return views.Raw("I can't find that person in this workspace.")
		case "user_disabled", "account_inactive":
			return views.Raw("That person's Slack account is deactivated.")
		case "expired_trigger_id", "invalid_trigger_id", "trigger_exchanged":
			return views.Raw("Slack took too long to hand me that form. Please try once more.")
		case "missing_scope":
			return views.Raw("I'm missing a Slack permission for that. Ask a workspace admin to reinstall okrbot from its manifest.")
		case "restricted_action", "not_allowed_token_type":
			return views.Raw("Slack doesn't allow me to do that in this workspace or channel.")
		case "msg_too_long", "invalid_blocks":
			return views.Raw("That was too much to fit in one Slack message. Try a narrower view, such as one team or one person.")
		}
		return views.Sprintf("Slack refused that (%s). Please try again, or ask an admin if it keeps happening.", se.Err)
	}
	if isSlackTransient(err) {
		return views.Raw("I couldn't reach Slack just now. Please try again in a moment.")
	}
	return views.Raw("Sorry, something went wrong on my side. It has been logged; please try again.")
}

func isSlackTransient(err error) bool {
	var rl *slack.RateLimitedError
	var ne net.Error
	var se slack.StatusCodeError
	return errors.As(err, &rl) || errors.As(err, &ne) || errors.As(err, &se) && se.Code >= 500
}

// randomToken is a short random string for claims.
func randomToken() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// trustedResponseURL reports whether u is a response_url okrbot may post
// to: Slack's (https, *.slack.com) or the configured API's host (the fake
// Slack in tests). A URL carried in a form's private_metadata is never
// followed elsewhere.
func (b *Bot) trustedResponseURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return false
	}
	if p.Scheme == "https" && (p.Hostname() == "slack.com" || strings.HasSuffix(p.Hostname(), ".slack.com")) {
		return true
	}
	return b.apiHost != "" && p.Host == b.apiHost
}
