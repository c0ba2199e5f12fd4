package bot

import (
	"context"
	"time"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// cmdHealth is "/okr health" (managers): the team's check-in rates this
// cycle and the key results gone stale longest, only for the caller. The
// figures are the digest's (who was away included), composed now.
func (b *Bot) cmdHealth(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr health` in the team's channel."))
		return
	}
	if b.scheduler == nil {
		b.say(ctx, r, views.Raw("Check-in health is not available on this okrbot."))
		return
	}
	if !b.managing(ctx, r, "health") {
		return
	}
	d, err := b.scheduler.Digest(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "health: composing", err)
		return
	}
	objs := make([]okrs.Objective, 0, len(d.Objectives))
	for _, o := range d.Objectives {
		objs = append(objs, o.Objective)
	}
	v := views.HealthView{Team: r.channel, Cycle: d.Cycle, Weeks: d.Health, Stale: okrs.StaleLongest(okrs.OwnObjectives(objs, r.channel), d.Now), Now: d.Now, Cutoff: 10}
	if err := b.respond(ctx, r, message{Message: views.Health(v)}); err != nil {
		b.logError("health: answering", r, err)
	}
}

// streak is user's check-in streak in team: over the current cycle and the
// one before (a new cycle does not reset it).
func (b *Bot) streak(ctx context.Context, workspace, team, user string) (okrs.Streak, error) {
	st, err := b.settings(ctx, workspace, team)
	if err != nil {
		return okrs.Streak{}, err
	}
	now := b.now()
	var cycles []okrs.CycleObjectives
	for _, c := range []okrs.Cycle{okrs.CurrentCycle(st, now), okrs.PreviousCycle(st, now)} {
		objs, err := b.store.TeamObjectives(ctx, workspace, team, c.Name, -1)
		if err != nil {
			return okrs.Streak{}, err
		}
		cycles = append(cycles, okrs.CycleObjectives{Cycle: c, Objectives: okrs.OwnObjectives(objs, team)})
	}
	away, err := b.heldAway(ctx, workspace, team)
	if err != nil {
		return okrs.Streak{}, err
	}
	return okrs.PersonStreak(st, user, cycles, now, away, func(u string) *time.Location { return b.personLocation(ctx, u) }), nil
}

// heldAway says who was away in a team's past periods: those whose prompt
// of the period was held (okrs.AwayIn).
func (b *Bot) heldAway(ctx context.Context, workspace, team string) (okrs.AwayFunc, error) {
	held, err := b.store.HeldPrompts(ctx, workspace, team)
	if err != nil {
		return nil, err
	}
	return func(user string, p okrs.Period) bool { return okrs.AwayIn(held, user, p.Key) }, nil
}

// streaks are user's streaks in each of teams; a team whose streak cannot
// be read is left out (and logged).
func (b *Bot) streaks(ctx context.Context, workspace, user string, teams []string) []views.TeamStreak {
	var out []views.TeamStreak
	for _, t := range teams {
		s, err := b.streak(ctx, workspace, t, user)
		if err != nil {
			b.logError("reading a check-in streak", &request{workspace: workspace, user: user}, err)
			continue
		}
		out = append(out, views.TeamStreak{Team: t, Streak: s})
	}
	return out
}
