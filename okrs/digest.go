package okrs

import (
	"slices"
	"strings"
	"time"
)

// Digest is what a team's weekly digest says: composed here, drawn and
// posted by the bot.
type Digest struct {
	Workspace string
	Team      string // the team's channel
	Channel   string // where it is posted
	Cycle     Cycle
	Period    Period // the week it reports on, in the team's timezone
	Now       time.Time
	Late      bool   // posted after its time because the bot was down
	Key       string // its delivery's key, tagged on the message: once per team and week

	Objectives []DigestObjective
	AtRisk     []DigestKR // at risk or off track at their last check-in
	Flat       []DigestKR // marked on track, behind pace, not moving (KeyResult.FlatButOnTrack)
	Missing    []DigestKR // no check-in this week
	Owners     int        // people owning open key results
	CheckedIn  int        // of them, those who checked in on all of theirs this week
	Away       int        // owners away this week who did not check in: not in Owners, never "missing"
	Highlights []Comment  // the week's best comments
	Blockers   []Comment  // comments on key results at risk or off track
	// Corrections are the key results whose target, kind or due date
	// changed during the week, in objective order.
	Corrections []DigestCorrection
	// Health is the team's check-in health for each period of the cycle so
	// far (CycleHealth): counts only, never names.
	Health []WeekHealth
}

// WeekHealth returns the health of the digest's own week, if known.
func (d Digest) WeekHealth() (WeekHealth, bool) {
	for i := len(d.Health) - 1; i >= 0; i-- {
		if d.Health[i].Period.Key == d.Period.Key {
			return d.Health[i], true
		}
	}
	return WeekHealth{}, false
}

// DigestCorrection is a key result's course corrections of the week.
type DigestCorrection struct {
	Objective string
	KeyResult KeyResult
	Changes   []TargetChange // oldest first
}

// DigestObjective is one objective's line in the digest.
type DigestObjective struct {
	Objective Objective // with its key results and their histories
	Progress  float64
	LastWeek  float64 // progress a week earlier
	Expected  float64
	Pace      Pace
}

// Change is the progress gained over the week, in points of 1.
func (o DigestObjective) Change() float64 { return o.Progress - o.LastWeek }

// DigestKR is a key result the digest calls out.
type DigestKR struct {
	Objective  string
	KeyResult  KeyResult
	Confidence Confidence
}

// Comment is a check-in comment worth repeating.
type Comment struct {
	Author    string
	KeyResult string // its title
	Text      string
	Level     Level
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
func ComposeDigest(team string, objs []Objective, c Cycle, p Period, now time.Time) Digest {
	return ComposeDigestAway(team, objs, c, p, now, nil)
}

// ComposeDigestAway is ComposeDigest for a team some of whose owners are
// away this week (away[user]): those who did not check in are counted as
// away, neither among the owners who should have nor their key results as
// missing a check-in.
func ComposeDigestAway(team string, objs []Objective, c Cycle, p Period, now time.Time, away map[string]bool) Digest {
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
		do.Pace = PaceOf(do.Progress, expected)
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
			if kr.Confidence.Level == AtRisk || kr.Confidence.Level == OffTrack {
				d.AtRisk = append(d.AtRisk, DigestKR{Objective: o.Title, KeyResult: kr, Confidence: kr.Confidence})
			}
			if kr.FlatButOnTrack(c, now) {
				d.Flat = append(d.Flat, DigestKR{Objective: o.Title, KeyResult: kr, Confidence: kr.Confidence})
			}
			if hs := kr.ChangesBetween(p.Start, p.End); len(hs) > 0 {
				d.Corrections = append(d.Corrections, DigestCorrection{Objective: o.Title, KeyResult: kr, Changes: hs})
			}
			for _, ci := range kr.CheckIns {
				if !p.Contains(ci.At) {
					continue
				}
				text := strings.TrimSpace(ci.Comment)
				if text == "" {
					continue
				}
				cm := Comment{Author: ci.Author, KeyResult: kr.Title, Text: text, Level: ci.Confidence.Level}
				if ci.Confidence.Level == AtRisk || ci.Confidence.Level == OffTrack {
					d.Blockers = append(d.Blockers, cm)
					continue
				}
				// The best comments explain the biggest moves.
				gain := kr.ProgressAt(ci.At) - kr.ProgressAt(ci.At.Add(-7*24*time.Hour))
				highlights = append(highlights, scored{cm, gain + float64(min(len(text), 200))/10000})
			}
		}
	}
	for owner, done := range owners {
		switch {
		case done:
			d.CheckedIn++
			d.Owners++
		case away[owner]:
			d.Away++
		default:
			d.Owners++
		}
	}
	if d.Away > 0 {
		d.Missing = slices.DeleteFunc(d.Missing, func(k DigestKR) bool { return away[k.KeyResult.Owner] && !owners[k.KeyResult.Owner] })
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
		if a.Confidence.Level == OffTrack {
			return -1
		}
		return 1
	})
	return d
}

// DigestAt returns the team's week containing now (in the team's timezone)
// and when that week's digest is due. The digest is weekly whatever the
// check-in cadence.
func DigestAt(s Settings, now time.Time) (Period, time.Time) {
	weekly := s
	weekly.Cadence = Weekly
	weekly.PromptDay, weekly.PromptTime, weekly.NudgeAfter = s.DigestDay, s.DigestTime, 0
	plan := PlanAt(weekly, s.Location(), now)
	return plan.Period, plan.PromptAt
}

// DigestRecord is what the digest archive keeps of a posted digest: where
// it is, the week and cycle it reported on, and its headline figures, so
// that a past cycle's digests can be listed without reading Slack.
type DigestRecord struct {
	Team       string
	Cycle      string
	Week       string    // Period.Key: the date of the week's first day
	Channel    string    // where it was posted
	TS         string    // its message
	PostedAt   time.Time // when it was recorded
	Objectives int
	Progress   float64 // the objectives' mean progress
	Owners     int
	CheckedIn  int
	AtRisk     int
}

// Record is the archive's record of d, posted at p.
func (d Digest) Record(p Posted, at time.Time) DigestRecord {
	r := DigestRecord{Team: d.Team, Cycle: d.Cycle.Name, Week: d.Period.Key, Channel: p.Channel, TS: p.TS, PostedAt: at,
		Objectives: len(d.Objectives), Owners: d.Owners, CheckedIn: d.CheckedIn, AtRisk: len(d.AtRisk)}
	for _, o := range d.Objectives {
		r.Progress += o.Progress
	}
	if r.Objectives > 0 {
		r.Progress /= float64(r.Objectives)
	}
	return r
}
