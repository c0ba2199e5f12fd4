package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// userCache remembers users.info answers for a while: admin checks and
// timezones are asked often and change rarely, and users.info is rate
// limited.
type userCache struct {
	api *slack.Client
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]userEntry
	warmed  time.Time
}

type userEntry struct {
	user *slack.User
	at   time.Time
}

func newUserCache(api *slack.Client, ttl time.Duration, now func() time.Time) *userCache {
	return &userCache{api: api, ttl: ttl, now: now, entries: map[string]userEntry{}}
}

// warm loads the whole directory with users.list (1,000 people a call)
// when it has not been loaded for a while: the scheduler needs everyone's
// timezone, and users.info one by one would hit Slack's rate limits.
func (c *userCache) warm(ctx context.Context) error {
	c.mu.Lock()
	fresh := c.now().Sub(c.warmed) < c.ttl
	c.mu.Unlock()
	if fresh {
		return nil
	}
	users, err := c.api.GetUsersContext(ctx, slack.GetUsersOptionLimit(1000))
	if err != nil {
		return err
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range users {
		c.entries[users[i].ID] = userEntry{user: &users[i], at: now}
	}
	c.warmed = now
	return nil
}

// get returns the user, from the cache when fresh.
func (c *userCache) get(ctx context.Context, id string) (*slack.User, error) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && c.now().Sub(e.at) < c.ttl {
		return e.user, nil
	}
	u, err := c.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) > 50000 { // a bound, not a policy: start over
		c.entries = map[string]userEntry{}
	}
	c.entries[id] = userEntry{user: u, at: c.now()}
	c.mu.Unlock()
	return u, nil
}

// isAdmin reports whether the user is a workspace admin or owner, asking
// Slack (never the payload).
func (b *Bot) isAdmin(ctx context.Context, user string) (bool, error) {
	u, err := b.users.get(ctx, user)
	if err != nil {
		return false, b.slackErr("users.info", err)
	}
	return u.IsAdmin || u.IsOwner || u.IsPrimaryOwner, nil
}
