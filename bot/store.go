package bot

import (
	"context"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Store is what the Slack side needs from package store: named methods that
// take and return domain values.
type Store interface {
	CreateObjective(ctx context.Context, o *okrs.Objective) error
	Objective(ctx context.Context, workspace, id string) (*okrs.Objective, error)
	// UpdateObjective reads, lets update check and change, and writes
	// atomically; update is called again on a fresh read after a
	// concurrent write, so a permission check inside it always judges
	// what it replaces.
	UpdateObjective(ctx context.Context, workspace, id string, update func(*okrs.Objective) error) (*okrs.Objective, error)
	TeamObjectives(ctx context.Context, workspace, team, cycle string, history int) ([]okrs.Objective, error)
	CountTeamObjectives(ctx context.Context, workspace, team, cycle string) (int, error)
	CycleObjectives(ctx context.Context, workspace, cycle string) ([]okrs.Objective, error)
	OwnedObjectives(ctx context.Context, workspace, user string) ([]okrs.Objective, error)
	RecordCheckIns(ctx context.Context, workspace string, checkIns []okrs.CheckIn) ([]okrs.CheckIn, error)

	Settings(ctx context.Context, workspace, team string) (okrs.Settings, error)
	// UpdateSettings is UpdateObjective for a team's settings (found is
	// false for a team that has saved none).
	UpdateSettings(ctx context.Context, workspace, team string, update func(cur okrs.Settings, found bool) (okrs.Settings, error)) (okrs.Settings, error)

	LastPrompt(ctx context.Context, workspace, team, user string) (okrs.PromptRef, error)
	DMChannel(ctx context.Context, workspace, user string) (string, error)
	SetDMChannel(ctx context.Context, workspace, user, channel string) error
	MarkHomeOpened(ctx context.Context, workspace, user string, ttl time.Duration) error
	HomeOpened(ctx context.Context, workspace, user string) (bool, error)
	Once(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error)
	ClaimDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error)
	SettleDelivery(ctx context.Context, workspace, key, token string, d okrs.Delivery, ttl time.Duration) (bool, error)
	ReleaseDelivery(ctx context.Context, workspace, key, token string) (bool, error)
}

// settings returns a team's settings, or the defaults for a team that has
// saved none.
func (b *Bot) settings(ctx context.Context, workspace, team string) (okrs.Settings, error) {
	s, err := b.store.Settings(ctx, workspace, team)
	if okrs.ErrorCode(err) == okrs.ENOTFOUND {
		return okrs.DefaultSettings(b.defaultTZ), nil
	}
	return s, err
}

// currentCycle returns the cycle a team is in now (okrs.CurrentCycle).
func (b *Bot) currentCycle(ctx context.Context, workspace, team string) (okrs.Cycle, error) {
	s, err := b.settings(ctx, workspace, team)
	if err != nil {
		return okrs.Cycle{}, err
	}
	return okrs.CurrentCycle(s, b.now()), nil
}

// currentObjectives keeps the objectives that belong to their team's
// current cycle (okrs.CurrentCycle, in each team's timezone): the one rule
// for a person's views across teams, so that a prompt, the check-in modal
// and App Home list the same key results at a quarter boundary. It returns
// the first kept objective's cycle, for headings (the current quarter in
// the default timezone when none is kept).
func (b *Bot) currentObjectives(ctx context.Context, workspace string, objs []okrs.Objective) ([]okrs.Objective, okrs.Cycle, error) {
	cycles := map[string]okrs.Cycle{}
	out := objs[:0:0]
	for _, o := range objs {
		c, ok := cycles[o.Team]
		if !ok {
			var err error
			if c, err = b.currentCycle(ctx, workspace, o.Team); err != nil {
				return nil, okrs.Cycle{}, err
			}
			cycles[o.Team] = c
		}
		if o.Cycle == c.Name {
			out = append(out, o)
		}
	}
	heading := okrs.CurrentCycle(okrs.DefaultSettings(b.defaultTZ), b.now())
	if len(out) > 0 {
		heading = cycles[out[0].Team]
	}
	return out, heading, nil
}
