package bot

import (
	"context"

	"github.com/okrbot/okrbot/okrs"
)

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

// cycleNamed returns a team's cycle by name, with the dates the team gave
// it (extended, closed early, started after another): the rule objectives
// and their key results are validated against.
func (b *Bot) cycleNamed(ctx context.Context, workspace, team, name string) (okrs.Cycle, error) {
	s, err := b.settings(ctx, workspace, team)
	if err != nil {
		return okrs.Cycle{}, err
	}
	return s.CycleNamed(name)
}

// teamSettings returns a lookup of teams' settings that reads each team's
// once.
func (b *Bot) teamSettings(ctx context.Context, workspace string) func(team string) (okrs.Settings, error) {
	settings := map[string]okrs.Settings{}
	return func(team string) (okrs.Settings, error) {
		if st, ok := settings[team]; ok {
			return st, nil
		}
		st, err := b.settings(ctx, workspace, team)
		if err == nil {
			settings[team] = st
		}
		return st, err
	}
}

// teamCycles returns a lookup of an objective's cycle as its team dated it,
// reading each team's settings once.
func (b *Bot) teamCycles(ctx context.Context, workspace string) func(*okrs.Objective) (okrs.Cycle, error) {
	settingsOf := b.teamSettings(ctx, workspace)
	return func(o *okrs.Objective) (okrs.Cycle, error) {
		st, err := settingsOf(o.Team)
		if err != nil {
			return okrs.Cycle{}, err
		}
		return st.CycleNamed(o.Cycle)
	}
}
