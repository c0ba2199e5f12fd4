package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot"
)

// TokenError is Slack refusing one of okrbot's tokens, which no retry can
// fix. okrbot exits with status 2 and prints its message: one line naming the
// variable, Slack's error code and what to do.
type TokenError struct {
	Var  string // SLACK_BOT_TOKEN or SLACK_APP_TOKEN
	Code string // Slack's error code, e.g. invalid_auth
	Fix  string
}

func (e *TokenError) Error() string {
	return e.Var + " was refused by Slack (" + e.Code + "): " + e.Fix
}

const (
	copyBotToken = "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions again"
	newBotToken  = "reinstall the app (Install App) and copy the new Bot User OAuth Token (xoxb-…) from OAuth & Permissions"
	notBotToken  = "that is not a bot token: copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions"
	copyAppToken = "copy the app-level token (xapp-…) from Basic Information → App-Level Tokens again"
	newAppToken  = "generate an app-level token with the connections:write scope under Basic Information → App-Level Tokens"
)

// botTokenFixes are auth.test's answers that mean the bot token is wrong.
var botTokenFixes = map[string]string{
	"invalid_auth":           copyBotToken,
	"not_authed":             copyBotToken,
	"account_inactive":       newBotToken,
	"token_revoked":          newBotToken,
	"not_allowed_token_type": notBotToken,
}

// appTokenFixes are apps.connections.open's answers that mean the app-level
// token is wrong (bot.SocketRefusedError's codes).
var appTokenFixes = map[string]string{
	"invalid_auth":           copyAppToken,
	"not_authed":             copyAppToken,
	"account_inactive":       newAppToken,
	"token_revoked":          newAppToken,
	"not_allowed_token_type": "that is not an app-level token: " + newAppToken,
	"missing_scope":          newAppToken,
}

// appTokenError turns the bot's report that Slack refused the app-level
// token into a TokenError; other errors pass through.
func appTokenError(err error) error {
	r, ok := errors.AsType[*bot.SocketRefusedError](err)
	if !ok {
		return err
	}
	fix, known := appTokenFixes[r.Code]
	if !known {
		fix = newAppToken
	}
	return &TokenError{Var: "SLACK_APP_TOKEN", Code: r.Code, Fix: fix}
}

// Waits between auth.test attempts that failed for a passing reason.
const (
	authRetryFirst = time.Second
	authRetryMax   = time.Minute
)

// checkBotToken asks Slack who the bot token belongs to (auth.test) before
// anything connects. A refused token is a *TokenError; network trouble,
// 5xx answers and rate limits are retried until ctx ends.
func checkBotToken(ctx context.Context, api *slack.Client, log *slog.Logger) error {
	wait := authRetryFirst
	for {
		res, err := api.AuthTestContext(ctx)
		if err == nil {
			log.Info("Slack accepted the bot token", slog.String("team", res.Team), slog.String("team_id", res.TeamID),
				slog.String("enterprise_id", res.EnterpriseID), slog.String("bot_user", res.User), slog.String("bot_user_id", res.UserID))
			return nil
		}
		if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
			if fix, ok := botTokenFixes[se.Err]; ok {
				return &TokenError{Var: "SLACK_BOT_TOKEN", Code: se.Err, Fix: fix}
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		pause := wait
		if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
			pause = max(pause, rl.RetryAfter)
		}
		log.Warn("could not check the bot token with Slack (auth.test); retrying", slog.Any("err", err), slog.Duration("in", pause))
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
		wait = min(2*wait, authRetryMax)
	}
}
