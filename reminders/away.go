package reminders

import (
	"context"
	"log/slog"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Presence tells who is away according to their Slack status; package bot
// implements it from users.list, cached per workspace, so that a sweep
// does not ask Slack person by person.
type Presence interface {
	// Away returns, of users, those whose status says they are away at
	// now (vacation, sick, out of office, until its expiration).
	Away(ctx context.Context, workspace string, users []string, now time.Time) (map[string]okrs.Away, error)
}

// AwayStore is what the scheduler needs from package store to respect
// people's time: what they said with /okr away, the prompts it held and the
// prompts they snoozed.
type AwayStore interface {
	AwayRecords(ctx context.Context, workspace string, users []string) (map[string]okrs.AwayRecord, error)
	HoldPrompt(ctx context.Context, workspace, team string, h okrs.HeldPrompt) (bool, error)
	HeldPrompts(ctx context.Context, workspace, team string) ([]okrs.HeldPrompt, error)
	Snoozes(ctx context.Context, workspace string) ([]okrs.Snooze, error)
	Snoozed(ctx context.Context, workspace, team, period, user string) (okrs.Snooze, bool, error)
	DropSnooze(ctx context.Context, workspace string, z okrs.Snooze) error
}

// awayOf returns who of a team's owners is away at now: a team holiday
// (on the person's calendar when prompts follow their own time), what they
// said with /okr away, their Slack status. When Slack or Redis cannot
// tell, it says so in the log and counts nobody away: a prompt too many
// beats a prompt lost.
func (s *Scheduler) awayOf(ctx context.Context, ws string, st okrs.Settings, users []string, locs map[string]*time.Location, now time.Time) map[string]okrs.Away {
	out := map[string]okrs.Away{}
	if len(users) == 0 {
		return out
	}
	for _, u := range users {
		loc := st.Location()
		if l := locs[u]; st.OwnerLocalTime && l != nil {
			loc = l
		}
		if a, ok := st.HolidayAt(now, loc); ok {
			out[u] = a
		}
	}
	said, err := s.store.AwayRecords(ctx, ws, users)
	if err != nil {
		s.log.Warn("reading who said they are away failed", slog.String("workspace", ws), slog.Any("err", err))
	}
	for u, rec := range said {
		if a, ok := rec.AwayAt(now); ok {
			if _, seen := out[u]; !seen {
				out[u] = a
			}
		}
	}
	if s.presence != nil {
		status, err := s.presence.Away(ctx, ws, users, now)
		if err != nil {
			s.log.Warn("reading Slack statuses failed; nobody counts as away by status this sweep", slog.String("workspace", ws), slog.Any("err", err))
		}
		for u, a := range status {
			if _, seen := out[u]; !seen {
				out[u] = a
			}
		}
	}
	return out
}

// hold records that a person's prompt was held because they are away.
func (s *Scheduler) hold(ctx context.Context, ws, team string, h okrs.HeldPrompt) {
	first, err := s.store.HoldPrompt(ctx, ws, team, h)
	if err != nil {
		s.log.Warn("recording a held prompt failed; it is not caught up on return", slog.String("workspace", ws), slog.String("user", h.User), slog.Any("err", err))
		return
	}
	if first {
		s.log.Info("holding a prompt: its person is away", slog.String("workspace", ws), slog.String("team", team),
			slog.String("user", h.User), slog.String("period", h.Period), slog.String("why", string(h.Why)))
		s.metrics.prompts.WithLabelValues("prompt", "held").Inc()
	}
}

// nudgeWaits reports whether a snoozed prompt holds the nudge back: until
// the snoozed prompt went out again and its own nudge delay passed.
func (s *Scheduler) nudgeWaits(ctx context.Context, ws string, st okrs.Settings, team, period, user string, now time.Time) (bool, error) {
	z, found, err := s.store.Snoozed(ctx, ws, team, period, user)
	if err != nil || !found {
		return false, err
	}
	d, err := s.store.Delivery(ctx, ws, z.DeliveryKey())
	if err != nil {
		return true, err
	}
	return d.State != okrs.DeliverySent || now.Before(z.Until.Add(st.NudgeAfter)), nil
}

// sweepSnoozes sends the snoozed prompts whose time has come, each once
// (under its own delivery key), and forgets those no longer needed: checked
// in, their period over, or re-sent and past their nudge delay.
func (s *Scheduler) sweepSnoozes(ctx context.Context, ws string, now time.Time) okrs.SendReport {
	var r okrs.SendReport
	zs, err := s.store.Snoozes(ctx, ws)
	if err != nil {
		s.log.Warn("listing snoozed prompts failed; the next sweep tries", slog.String("workspace", ws), slog.Any("err", err))
		return r
	}
	drop := func(z okrs.Snooze) {
		if err := s.store.DropSnooze(ctx, ws, z); err != nil {
			s.log.Warn("forgetting a snoozed prompt failed", slog.String("key", z.Key()), slog.Any("err", err))
		}
	}
	for _, z := range zs {
		if now.Before(z.Until) {
			continue
		}
		d, err := s.store.Delivery(ctx, ws, z.DeliveryKey())
		if err != nil {
			continue
		}
		if d.Settled() {
			st, err := s.TeamSettings(ctx, ws, z.Team)
			if err == nil && !now.Before(z.Until.Add(st.NudgeAfter)) {
				drop(z) // the nudge may follow now
			}
			continue
		}
		due, _, err := s.due(ctx, ws, z.Team, now, true)
		if err != nil {
			continue // the next sweep tries again
		}
		var job *delivery
		for i := range due {
			if due[i].prompt.User == z.User {
				job = &due[i]
			}
		}
		switch {
		case job == nil:
			drop(z) // checked in meanwhile, away, or no key results left
			continue
		case job.prompt.Period.Key != z.Period:
			drop(z) // a new period: its own prompt asks
			continue
		}
		job.key, job.ttl = z.DeliveryKey(), markerTTL
		job.prompt.Kind, job.prompt.Snoozed, job.prompt.Late, job.prompt.CatchUp = okrs.KindPrompt, true, false, false
		r.Add(s.deliverSafely(ctx, *job))
	}
	return r
}
