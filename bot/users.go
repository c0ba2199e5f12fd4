package bot

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
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
}

type userEntry struct {
	user *slack.User
	at   time.Time
}

func newUserCache(api *slack.Client, ttl time.Duration, now func() time.Time) *userCache {
	return &userCache{api: api, ttl: ttl, now: now, entries: map[string]userEntry{}}
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

// member returns what Slack says about the user (users.info, never the
// payload) as okrs judges permissions.
func (b *Bot) member(ctx context.Context, user string) (okrs.Member, error) {
	u, err := b.users.get(ctx, user)
	if err != nil {
		return okrs.Member{}, b.slackErr("users.info", err)
	}
	return memberOf(u), nil
}

func memberOf(u *slack.User) okrs.Member {
	e := u.Enterprise
	return okrs.Member{
		ID: u.ID, Team: u.TeamID, Enterprise: e.EnterpriseID, Teams: e.Teams,
		Admin: u.IsAdmin || u.IsOwner || u.IsPrimaryOwner || e.IsAdmin || e.IsOwner || e.IsPrimaryOwner,
		Guest: u.IsRestricted || u.IsUltraRestricted,
	}
}

// errOutsider refuses guests and people from other organisations what only
// the workspace's members may do (what: "create objectives", say).
func errOutsider(what string) error {
	return okrs.Errorf(okrs.EFORBIDDEN, "Guests and people from other organisations can check in on their own key results; ask a member of this workspace to %s.", what)
}

// insider reports whether the requester is a full member of the workspace
// the request's data belongs to; when not (or when that cannot be told),
// it has told them why.
func (b *Bot) insider(ctx context.Context, r *request, what string) bool {
	m, err := b.member(ctx, r.user)
	if err == nil && !m.BelongsTo(r.workspace) {
		err = errOutsider(what)
	}
	if err != nil {
		b.fail(ctx, r, what+": checking permission", err)
		return false
	}
	return true
}
