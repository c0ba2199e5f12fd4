package reminders

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// DigestPoster posts a team's weekly digest; package bot implements it.
type DigestPoster interface {
	// PostDigest posts d to its channel, with its charts, and says where.
	// okrs.ErrGone means it cannot be posted there (the bot is not in the
	// channel, which is archived…): it is not retried.
	PostDigest(ctx context.Context, d okrs.Digest) (okrs.Posted, error)
	// FindDigest looks in d's channel for a digest posted earlier with
	// d.Key, one whose poster died before it could record it.
	FindDigest(ctx context.Context, d okrs.Digest) (okrs.Posted, bool, error)
}

func digestKey(team, period string) string { return "digest:" + team + ":" + period }

// Digest composes a team's digest for this week as of now.
func (s *Scheduler) Digest(ctx context.Context, ws, team string) (okrs.Digest, error) {
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return okrs.Digest{}, err
	}
	return s.composeDigest(ctx, ws, team, st, s.clock.Now())
}

func (s *Scheduler) composeDigest(ctx context.Context, ws, team string, st okrs.Settings, now time.Time) (okrs.Digest, error) {
	cycle := okrs.CurrentCycle(st, now)
	objs, err := s.store.TeamObjectives(ctx, ws, team, cycle.Name, -1)
	if err != nil {
		return okrs.Digest{}, err
	}
	period, _ := okrs.DigestAt(st, now)
	away, held := s.awayThisWeek(ctx, ws, team, st, objs, period, now)
	d := okrs.ComposeDigestAway(team, objs, cycle, period, now, away)
	// The cycle's check-in health: an owner whose prompt of a week was
	// held, or who is away this week, was away that week.
	// (Only the team's own objectives: one shared with it is asked about,
	// and counted, by its own team.)
	d.Health = okrs.CycleHealth(st, okrs.OwnObjectives(objs, team), cycle, now, func(user string, p okrs.Period) bool {
		return okrs.AwayIn(held, user, p.Key) || p.Key == period.Key && away[user]
	}, s.clockOf(ctx, ws))
	d.Workspace = ws
	if st.DigestChannel != "" {
		d.Channel = st.DigestChannel
	}
	return d, nil
}

// PostDigestNow posts a team's digest at once ("/okr digest"); it stands in
// for this week's scheduled digest, and is posted at most once a week across
// replicas, like it. It reports whether this call posted it; when it did
// not, the delivery says why: already sent (and where), or being posted by
// another replica right now. A digest the scheduler gave up on (the bot was
// not in the channel, say) is tried again.
func (s *Scheduler) PostDigestNow(ctx context.Context, ws, team string) (okrs.Delivery, bool, error) {
	if s.digests == nil {
		return okrs.Delivery{}, false, errors.New("reminders: no digest poster")
	}
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return okrs.Delivery{}, false, err
	}
	d, err := s.composeDigest(ctx, ws, team, st, s.clock.Now())
	if err != nil {
		return okrs.Delivery{}, false, err
	}
	key := digestKey(team, d.Period.Key)
	token := s.instance + ":" + randomHex(6)
	claimed, cur, err := s.store.RetryDelivery(ctx, ws, key, token, s.claimTTL)
	if err != nil || !claimed {
		return cur, false, err
	}
	d.Key = key
	_, posted, err := s.sendClaimed(ctx, ws, key, token, markerTTL, "digest", slog.String("team", team), s.findDigest(d), s.postDigest(d))
	if err != nil {
		return okrs.Delivery{}, false, err
	}
	return okrs.Delivery{State: okrs.DeliverySent, Posted: posted}, true, nil
}

// sweepDigests posts every team's digest that is due this week and not yet
// posted: once per team and week across replicas; late, with a note, after
// an outage.
func (s *Scheduler) sweepDigests(ctx context.Context, ws string, teams []string, now time.Time) okrs.SendReport {
	var r okrs.SendReport
	if s.digests == nil {
		return r
	}
	for _, team := range teams {
		st, err := s.TeamSettings(ctx, ws, team)
		if err != nil {
			r.Failed++
			continue
		}
		period, due := okrs.DigestAt(st, now)
		if now.Before(due) {
			continue
		}
		key := digestKey(team, period.Key)
		if cur, err := s.store.Delivery(ctx, ws, key); err != nil || cur.State != okrs.DeliveryNone {
			if err != nil {
				r.Failed++
				s.log.Warn("reading a digest's state failed; retrying on the next sweep", slog.String("team", team), slog.Any("err", err))
			}
			continue // posted, given up, or being posted elsewhere
		}
		d, err := s.composeDigest(ctx, ws, team, st, now)
		if err != nil {
			r.Failed++
			s.log.Warn("composing a digest failed; retrying on the next sweep", slog.String("team", team), slog.Any("err", err))
			continue
		}
		if len(d.Objectives) == 0 && !s.hadObjectives(ctx, ws, team, st, now) {
			continue // not a team of this cycle: nothing to say, not even a nudge
		}
		d.Late = now.Sub(due) > LatePromptAfter
		r.Add(s.deliverDigest(ctx, key, d))
	}
	return r
}

// hadObjectives reports whether a team had objectives last cycle
// (okrs.PreviousCycle), so that a new cycle's first digest can nudge it to
// set this cycle's.
func (s *Scheduler) hadObjectives(ctx context.Context, ws, team string, st okrs.Settings, now time.Time) bool {
	prev := okrs.PreviousCycle(st, now)
	n, err := s.store.CountTeamObjectives(ctx, ws, team, prev.Name)
	return err == nil && n > 0
}

// deliverDigest posts one digest exactly once, like deliver does prompts:
// a replica that takes over a digest whose poster died looks for it in the
// channel before posting it.
func (s *Scheduler) deliverDigest(ctx context.Context, key string, d okrs.Digest) okrs.SendReport {
	d.Key = key
	return s.deliverOnce(ctx, d.Workspace, key, markerTTL, "digest", slog.String("team", d.Team), s.findDigest(d), s.postDigest(d))
}

func (s *Scheduler) postDigest(d okrs.Digest) sender {
	return func(ctx context.Context) (okrs.Posted, error) {
		p, err := s.digests.PostDigest(ctx, d)
		if err == nil {
			s.archive(ctx, d, p)
		}
		return p, err
	}
}

func (s *Scheduler) findDigest(d okrs.Digest) finder {
	return func(ctx context.Context) (okrs.Posted, bool, error) {
		p, found, err := s.digests.FindDigest(ctx, d)
		if err == nil && found {
			s.archive(ctx, d, p) // its poster may have died before archiving it
		}
		return p, found, err
	}
}

// archive keeps a posted digest in the team's digest archive. The digest
// is out whatever happens here: a failure costs the archive that week's
// entry, and is logged.
func (s *Scheduler) archive(ctx context.Context, d okrs.Digest, p okrs.Posted) {
	ctx = context.WithoutCancel(ctx)
	if err := s.store.RecordDigest(ctx, d.Workspace, d.Record(p, s.clock.Now())); err != nil {
		s.log.Error("archiving a posted digest failed; it is posted, but missing from the archive",
			slog.String("workspace", d.Workspace), slog.String("team", d.Team), slog.String("week", d.Period.Key), slog.Any("err", err))
	}
}

// awayThisWeek returns the team's owners away this week: away now, or
// whose prompt of the week was held. The digest counts them as away, not as
// missing a check-in. It also returns the team's held prompts, which say
// who was away in earlier weeks.
func (s *Scheduler) awayThisWeek(ctx context.Context, ws, team string, st okrs.Settings, objs []okrs.Objective, week okrs.Period, now time.Time) (map[string]bool, []okrs.HeldPrompt) {
	var users []string
	for _, w := range owners(objs) {
		users = append(users, w.user)
	}
	out := map[string]bool{}
	for u := range s.awayOf(ctx, ws, st, users, nil, now) {
		out[u] = true
	}
	held, err := s.store.HeldPrompts(ctx, ws, team)
	if err != nil {
		s.log.Warn("reading held prompts failed; the digest counts nobody away by them", slog.String("team", team), slog.Any("err", err))
	}
	for _, u := range users {
		if okrs.AwayIn(held, u, week.Key) {
			out[u] = true
		}
	}
	return out, held
}

// clockOf gives each person's timezone as Slack has it (nil when unknown),
// for check-in health on each owner's own clock.
func (s *Scheduler) clockOf(ctx context.Context, ws string) okrs.ClockFunc {
	return func(user string) *time.Location {
		p, err := s.msg.Person(ctx, ws, user)
		if err != nil {
			return nil
		}
		return p.Location
	}
}
