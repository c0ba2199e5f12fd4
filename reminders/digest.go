package reminders

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// DigestPoster posts a team's weekly digest; package bot implements it.
type DigestPoster interface {
	// PostDigest posts d to its channel, with its charts, and says where.
	// ErrGone means it cannot be posted there (the bot is not in the
	// channel, which is archived…): it is not retried.
	PostDigest(ctx context.Context, d Digest) (Posted, error)
}

// Digest is what a team's weekly digest says: composed here, drawn and
// posted by the bot.
type Digest struct {
	Workspace string
	Team      string // the team's channel
	Channel   string // where it is posted
	Cycle     okrs.Cycle
	Period    Period // the week it reports on, in the team's timezone
	Now       time.Time
	Late      bool // posted after its time because the bot was down

	Objectives []DigestObjective
	AtRisk     []DigestKR // at risk or off track at their last check-in
	Missing    []DigestKR // no check-in this week
	Owners     int        // people owning open key results
	CheckedIn  int        // of them, those who checked in on all of theirs this week
	Highlights []Comment  // the week's best comments
	Blockers   []Comment  // comments and blockers on key results at risk or off track
}

// DigestObjective is one objective's line in the digest.
type DigestObjective struct {
	Objective okrs.Objective // with its key results and their histories
	Progress  float64
	LastWeek  float64 // progress a week earlier
	Expected  float64
	Pace      okrs.Pace
}

// Change is the progress gained over the week, in points of 1.
func (o DigestObjective) Change() float64 { return o.Progress - o.LastWeek }

// DigestKR is a key result the digest calls out.
type DigestKR struct {
	Objective  string
	KeyResult  okrs.KeyResult
	Confidence okrs.Confidence
}

// Comment is a check-in comment worth repeating.
type Comment struct {
	Author    string
	KeyResult string // its title
	Text      string
	Level     okrs.Level
}

// Empty reports whether the digest has nothing to report: no objectives,
// or no check-ins at all this week.
func (d Digest) Empty() bool { return len(d.Objectives) == 0 || d.CheckedIn == 0 && !d.anyCheckIn() }

func (d Digest) anyCheckIn() bool {
	for _, o := range d.Objectives {
		for _, kr := range o.Objective.KeyResults {
			if !kr.Archived && d.Period.Contains(kr.LastCheckIn) {
				return true
			}
		}
	}
	return false
}

// maxComments is how many highlights and blockers a digest repeats.
const maxComments = 3

// ComposeDigest works out a team's digest for the week p at now from its
// objectives (with their check-in histories).
func ComposeDigest(team string, objs []okrs.Objective, c okrs.Cycle, p Period, now time.Time) Digest {
	d := Digest{Team: team, Channel: team, Cycle: c, Period: p, Now: now}
	weekAgo := now.Add(-7 * 24 * time.Hour)
	expected := c.Elapsed(now)
	owners := map[string]bool{} // owner → checked in on everything this week
	type scored struct {
		c     Comment
		score float64
	}
	var highlights []scored
	for oi := range objs {
		o := objs[oi]
		if o.Archived {
			continue
		}
		do := DigestObjective{Objective: o, Progress: o.Progress(), LastWeek: o.ProgressAt(weekAgo), Expected: expected}
		do.Pace = okrs.PaceOf(do.Progress, expected)
		d.Objectives = append(d.Objectives, do)
		for ki := range o.KeyResults {
			kr := o.KeyResults[ki]
			if kr.Archived {
				continue
			}
			checked := p.Contains(kr.LastCheckIn) || kr.LastCheckIn.After(p.End)
			if done, seen := owners[kr.Owner]; !seen || done {
				owners[kr.Owner] = checked
			}
			if !checked {
				d.Missing = append(d.Missing, DigestKR{Objective: o.Title, KeyResult: kr, Confidence: kr.Confidence})
			}
			if kr.Confidence.Level == okrs.AtRisk || kr.Confidence.Level == okrs.OffTrack {
				d.AtRisk = append(d.AtRisk, DigestKR{Objective: o.Title, KeyResult: kr, Confidence: kr.Confidence})
			}
			for _, ci := range kr.CheckIns {
				if !p.Contains(ci.At) {
					continue
				}
				text := strings.TrimSpace(strings.Join(nonEmpty(ci.Comment, ci.Blockers), " — "))
				if text == "" {
					continue
				}
				cm := Comment{Author: ci.Author, KeyResult: kr.Title, Text: text, Level: ci.Confidence.Level}
				if ci.Confidence.Level == okrs.AtRisk || ci.Confidence.Level == okrs.OffTrack || ci.Blockers != "" {
					d.Blockers = append(d.Blockers, cm)
					continue
				}
				// The best comments explain the biggest moves.
				gain := kr.ProgressAt(ci.At) - kr.ProgressAt(ci.At.Add(-7*24*time.Hour))
				highlights = append(highlights, scored{cm, gain + float64(min(len(text), 200))/10000})
			}
		}
	}
	d.Owners = len(owners)
	for _, done := range owners {
		if done {
			d.CheckedIn++
		}
	}
	slices.SortStableFunc(highlights, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	for i := 0; i < len(highlights) && i < maxComments; i++ {
		d.Highlights = append(d.Highlights, highlights[i].c)
	}
	if len(d.Blockers) > maxComments {
		d.Blockers = d.Blockers[:maxComments]
	}
	// Off track before at risk.
	slices.SortStableFunc(d.AtRisk, func(a, b DigestKR) int {
		if a.Confidence.Level == b.Confidence.Level {
			return 0
		}
		if a.Confidence.Level == okrs.OffTrack {
			return -1
		}
		return 1
	})
	return d
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// DigestAt returns the team's week containing now (in the team's timezone)
// and when that week's digest is due. The digest is weekly whatever the
// check-in cadence.
func DigestAt(s okrs.Settings, now time.Time) (Period, time.Time) {
	weekly := s
	weekly.Cadence = okrs.Weekly
	weekly.PromptDay, weekly.PromptTime, weekly.NudgeAfter = s.DigestDay, s.DigestTime, 0
	plan := PlanAt(weekly, s.Location(), now)
	return plan.Period, plan.PromptAt
}

func digestKey(team, period string) string { return "digest:" + team + ":" + period }

// Digest composes a team's digest for this week as of now.
func (s *Scheduler) Digest(ctx context.Context, ws, team string) (Digest, error) {
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return Digest{}, err
	}
	return s.composeDigest(ctx, ws, team, st, s.clock.Now())
}

func (s *Scheduler) composeDigest(ctx context.Context, ws, team string, st okrs.Settings, now time.Time) (Digest, error) {
	loc := st.Location()
	cycle := okrs.QuarterOf(now.In(loc))
	objs, err := s.store.TeamObjectives(ctx, ws, team, cycle.Name, -1)
	if err != nil {
		return Digest{}, err
	}
	period, _ := DigestAt(st, now)
	d := ComposeDigest(team, objs, cycle, period, now)
	d.Workspace = ws
	if st.DigestChannel != "" {
		d.Channel = st.DigestChannel
	}
	return d, nil
}

// PostDigestNow posts a team's digest at once ("/okr digest"); it stands in
// for this week's scheduled digest if that has not gone out yet.
func (s *Scheduler) PostDigestNow(ctx context.Context, ws, team string) (Posted, error) {
	if s.digests == nil {
		return Posted{}, errors.New("reminders: no digest poster")
	}
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return Posted{}, err
	}
	now := s.clock.Now()
	d, err := s.composeDigest(ctx, ws, team, st, now)
	if err != nil {
		return Posted{}, err
	}
	key := digestKey(team, d.Period.Key)
	token := "claim:" + s.instance + ":" + randomHex(6)
	claimed, _ := s.store.Claim(ctx, ws, key, token, s.claimTTL)
	posted, err := s.send(ctx, func() (Posted, error) { return s.digests.PostDigest(ctx, d) })
	settleCtx := context.WithoutCancel(ctx)
	switch {
	case err == nil && claimed:
		s.store.Settle(settleCtx, ws, key, token, "sent|"+posted.Channel+"|"+posted.TS, markerTTL)
	case claimed:
		s.store.Release(settleCtx, ws, key, token)
	}
	if err == nil {
		s.metrics.prompts.WithLabelValues("digest", "sent").Inc()
	}
	return posted, err
}

// sweepDigests posts every team's digest that is due this week and not yet
// posted: once per team and week across replicas; late, with a note, after
// an outage.
func (s *Scheduler) sweepDigests(ctx context.Context, ws string, teams []string, now time.Time) Report {
	var r Report
	if s.digests == nil {
		return r
	}
	for _, team := range teams {
		st, err := s.TeamSettings(ctx, ws, team)
		if err != nil {
			r.Failed++
			continue
		}
		period, due := DigestAt(st, now)
		if now.Before(due) {
			continue
		}
		key := digestKey(team, period.Key)
		if v, err := s.store.Get(ctx, ws, key); err != nil || v != "" {
			continue // posted, given up, or being posted elsewhere
		}
		d, err := s.composeDigest(ctx, ws, team, st, now)
		if err != nil {
			r.Failed++
			s.log.Warn("composing a digest failed; retrying on the next sweep", slog.String("team", team), slog.Any("err", err))
			continue
		}
		if len(d.Objectives) == 0 && !s.hadObjectives(ctx, ws, team, d.Cycle) {
			continue // not a team of this cycle: nothing to say, not even a nudge
		}
		d.Late = now.Sub(due) > LatePromptAfter
		r.add(s.deliverDigest(ctx, key, d))
	}
	return r
}

// hadObjectives reports whether a team had objectives last cycle, so that
// a new cycle's first digest can nudge it to set this cycle's.
func (s *Scheduler) hadObjectives(ctx context.Context, ws, team string, c okrs.Cycle) bool {
	prev := okrs.QuarterOf(c.Start.AddDate(0, 0, -1))
	n, err := s.store.CountTeamObjectives(ctx, ws, team, prev.Name)
	return err == nil && n > 0
}

// deliverDigest posts one digest exactly once, like deliver does prompts.
func (s *Scheduler) deliverDigest(ctx context.Context, key string, d Digest) Report {
	return s.deliverOnce(ctx, d.Workspace, key, markerTTL, "digest", slog.String("team", d.Team), nil,
		func() (Posted, error) { return s.digests.PostDigest(ctx, d) })
}
