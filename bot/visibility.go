package bot

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Private channels' OKRs are for their members: status, pickers and charts
// show a private team's objectives only to people in its channel. Public
// channels are open to the whole workspace, as in Slack.

// channelAccess caches, for a few minutes, whether channels are private and
// who their members are.
type channelAccess struct {
	mu      sync.Mutex
	entries map[string]accessEntry
}

type accessEntry struct {
	private bool
	botIn   bool     // the bot is a member
	members []string // for private channels
	at      time.Time
}

const accessTTL = 5 * time.Minute

// canSee reports whether user may see the OKRs of the team channel.
func (b *Bot) canSee(ctx context.Context, user, channel string) (bool, error) {
	e, err := b.access.get(ctx, b, channel)
	if err != nil {
		return false, err
	}
	return !e.private || slices.Contains(e.members, user), nil
}

func (c *channelAccess) get(ctx context.Context, b *Bot, channel string) (accessEntry, error) {
	now := b.now()
	c.mu.Lock()
	e, ok := c.entries[channel]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < accessTTL {
		return e, nil
	}
	info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		return accessEntry{}, b.slackErr("conversations.info", err)
	}
	e = accessEntry{private: info.IsPrivate, botIn: info.IsMember, at: now}
	if e.private {
		if e.members, err = b.channelMembers(ctx, channel); err != nil {
			return accessEntry{}, err
		}
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) > 10000 {
		c.entries = map[string]accessEntry{}
	}
	c.entries[channel] = e
	c.mu.Unlock()
	return e, nil
}

// everyoneMaySee reports whether an answer about teams may be posted in
// channel where, for all to see: only if every member of where may see the
// OKRs of every one of the teams. A public team's OKRs are open to the
// workspace; a private team's only to its members, so it is shown in where
// only when where is that team, or is itself private with no member outside
// the team. A public channel's history is open to the whole workspace, so a
// private team is never shown there. In a DM with okrbot only the caller,
// whose own access was checked, reads it. When Slack cannot tell, the answer
// is no: the caller gets the answer only for themselves.
func (b *Bot) everyoneMaySee(ctx context.Context, r *request, where string, teams []string) bool {
	if strings.HasPrefix(where, "D") {
		return true
	}
	var dst *accessEntry
	for _, t := range teams {
		if t == where {
			continue
		}
		e, err := b.access.get(ctx, b, t)
		if err != nil {
			b.logError("checking who may see a team", r, err)
			return false
		}
		if !e.private {
			continue
		}
		if dst == nil {
			d, err := b.access.get(ctx, b, where)
			if err != nil {
				b.logError("checking who is in a channel", r, err)
				return false
			}
			dst = &d
		}
		if !dst.private || !subset(dst.members, e.members) {
			return false
		}
	}
	return true
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// visible keeps the objectives user may see: those of a team user may see,
// or shared with one (a shared objective is in each sharing team's status).
// A channel Slack will not describe (deleted, or the bot was removed) is
// left out.
func (b *Bot) visible(ctx context.Context, user string, objs []okrs.Objective) []okrs.Objective {
	out := objs[:0:0]
	seen := map[string]bool{}
	sees := func(team string) bool {
		ok, known := seen[team]
		if !known {
			var err error
			ok, err = b.canSee(ctx, user, team)
			if err != nil {
				b.logError("checking who may see a team", &request{user: user}, err)
			}
			seen[team] = ok
		}
		return ok
	}
	for _, o := range objs {
		if slices.ContainsFunc(o.Teams(), sees) {
			out = append(out, o)
		}
	}
	return out
}

// errPrivateTeam refuses a private team's OKRs to someone outside it.
var errPrivateTeam = okrs.Errorf(okrs.EFORBIDDEN, "That team's channel is private, and you are not in it.")

// channelMembers lists a channel's members (conversations.members, every
// page).
func (b *Bot) channelMembers(ctx context.Context, channel string) ([]string, error) {
	var out []string
	params := &slack.GetUsersInConversationParameters{ChannelID: channel, Limit: 1000}
	for {
		members, next, err := b.api.GetUsersInConversationContext(ctx, params)
		if err != nil {
			return nil, b.slackErr("conversations.members", err)
		}
		out = append(out, members...)
		if next == "" {
			return out, nil
		}
		params.Cursor = next
	}
}
