package bot

import (
	"context"
	"sync"
	"time"
)

// A team is its channel: who is in the team is who is in the channel, as
// Slack says (conversations.members), never the payload.

// teamMembers caches, for a few minutes, who is in each team channel.
type teamMembers struct {
	mu      sync.Mutex
	entries map[string]teamEntry
}

type teamEntry struct {
	members map[string]bool
	at      time.Time
}

// inTeam reports whether user is in the team channel.
func (b *Bot) inTeam(ctx context.Context, user, channel string) (bool, error) {
	members, err := b.teams.get(ctx, b, channel)
	if err != nil {
		return false, err
	}
	return members[user], nil
}

func (c *teamMembers) get(ctx context.Context, b *Bot, channel string) (map[string]bool, error) {
	now := b.now()
	c.mu.Lock()
	e, ok := c.entries[channel]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < accessTTL {
		return e.members, nil
	}
	e = teamEntry{members: map[string]bool{}, at: now}
	members, err := b.channelMembers(ctx, channel)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		e.members[m] = true
	}
	c.mu.Lock()
	if c.entries == nil || len(c.entries) > 10000 {
		c.entries = map[string]teamEntry{}
	}
	c.entries[channel] = e
	c.mu.Unlock()
	return e.members, nil
}
