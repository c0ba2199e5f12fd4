package okrs

import (
	"slices"
	"time"
)

// Check-in health: whether the ritual is alive, counted per team and period,
// never naming who missed. A person counts in a period when they owned an
// open key result created before that period's prompt; they checked in when
// each of those key results has a check-in within the period, on time when
// the last of them came before the period's nudge (or, with nudges off,
// within the period at all), late otherwise. Periods are the team's
// (weekly or every two weeks), on the team's clock.

// WeekHealth is one period's check-in health of a team.
type WeekHealth struct {
	Period  Period
	Current bool // the period now runs: who has not checked in may still do so
	Owners  int  // people asked (owners of key results open before the prompt), away ones included
	OnTime  int
	Late    int
	Away    int // owners away in the period (AwayFunc): neither missed nor counted in the rate
	Missed  int // owners who did not check in, not away (in the current period: not yet)
}

// CheckedIn is how many owners checked in, on time or late.
func (w WeekHealth) CheckedIn() int { return w.OnTime + w.Late }

// Rate is the share of owners who checked in, of those not away; -1 when
// no one was asked.
func (w WeekHealth) Rate() float64 {
	n := w.Owners - w.Away
	if n <= 0 {
		return -1
	}
	return float64(w.CheckedIn()) / float64(n)
}

// AwayFunc reports whether user was away during period p (a status, an
// "/okr away", a team holiday); nil for nobody.
type AwayFunc func(user string, p Period) bool

// ClockFunc gives a person's timezone (nil: the team's). With the team's
// settings prompting each owner at their own time (OwnerLocalTime), a
// person's week, prompt and nudge are on their clock, as the scheduler
// plans them; otherwise everyone is on the team's.
type ClockFunc func(user string) *time.Location

// planOf is user's plan of the team period p: their own week that holds
// p's fourth day (the same calendar week in any timezone).
func planOf(s Settings, clock ClockFunc, user string, p Plan) Plan {
	if !s.OwnerLocalTime || clock == nil {
		return p
	}
	loc := clock(user)
	if loc == nil {
		return p
	}
	return PlanAt(s, loc, p.Period.Start.AddDate(0, 0, 3))
}

// CycleHealth is a team's check-in health for each period of cycle that has
// begun by now, oldest first; objs are the team's objectives of the cycle
// with their full check-in histories.
func CycleHealth(s Settings, objs []Objective, c Cycle, now time.Time, away AwayFunc, clock ClockFunc) []WeekHealth {
	loc := s.Location()
	var out []WeekHealth
	start := c.begins(loc)
	end := c.EndsAt(loc)
	for t := start; t.Before(end) && !t.After(now); {
		plan := PlanAt(s, loc, t)
		if !plan.Period.End.After(start) {
			break
		}
		if plan.Period.Start.After(now) {
			break
		}
		w := periodHealth(s, clock, plan, objs, away)
		w.Current = plan.Period.Contains(now)
		if w.Owners > 0 {
			out = append(out, w)
		}
		t = plan.Period.End
	}
	return out
}

// periodHealth counts one period of the team (plan, on its clock): each
// owner on their own clock (planOf).
func periodHealth(s Settings, clock ClockFunc, team Plan, objs []Objective, away AwayFunc) WeekHealth {
	w := WeekHealth{Period: team.Period}
	for user, krs := range ownersBy(objs) {
		plan := planOf(s, clock, user, team)
		var open []*KeyResult
		for _, kr := range krs {
			if !kr.CreatedAt.After(plan.PromptAt) {
				open = append(open, kr)
			}
		}
		if len(open) == 0 {
			continue
		}
		w.Owners++
		done, last := true, time.Time{}
		for _, kr := range open {
			at, ok := lastCheckInWithin(kr, plan.Period)
			if !ok {
				done = false
				break
			}
			if at.After(last) {
				last = at
			}
		}
		switch {
		case done && (plan.NudgeAt.IsZero() || last.Before(plan.NudgeAt)):
			w.OnTime++
		case done:
			w.Late++
		case away != nil && away(user, plan.Period):
			w.Away++
		default:
			w.Missed++
		}
	}
	return w
}

// ownersBy groups the open key results of objs by owner.
func ownersBy(objs []Objective) map[string][]*KeyResult {
	out := map[string][]*KeyResult{}
	for oi := range objs {
		o := &objs[oi]
		if o.Archived {
			continue
		}
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			if kr.Archived || kr.Owner == "" {
				continue
			}
			out[kr.Owner] = append(out[kr.Owner], kr)
		}
	}
	return out
}

// lastCheckInWithin returns the latest check-in of kr within p.
func lastCheckInWithin(kr *KeyResult, p Period) (time.Time, bool) {
	var last time.Time
	found := false
	for _, ci := range kr.CheckIns {
		if p.Contains(ci.At) && (!found || ci.At.After(last)) {
			last, found = ci.At, true
		}
	}
	if !found && p.Contains(kr.LastCheckIn) { // a history cut short: the live record
		return kr.LastCheckIn, true
	}
	return last, found
}

// Streak is how many periods in a row a person checked in on all their key
// results of a team, counting back from the latest one they were asked in
// (the current period counts once they checked in; until then, the streak
// runs to the one before). Away periods neither break nor add to it.
type Streak struct {
	Periods  int
	Biweekly bool
}

// CycleObjectives are a team's objectives of one cycle.
type CycleObjectives struct {
	Cycle      Cycle
	Objectives []Objective // with full check-in histories
}

// PersonStreak is user's streak in a team with settings s at now, from the
// team's objectives by cycle (the current one and those before it): each
// period counts the key results of the cycle it is in.
func PersonStreak(s Settings, user string, cycles []CycleObjectives, now time.Time, away AwayFunc, clock ClockFunc) Streak {
	loc := s.Location()
	st := Streak{Biweekly: s.Cadence == Biweekly}
	type mineIn struct {
		from, to time.Time
		objs     []Objective
	}
	var mine []mineIn
	var earliest time.Time
	for _, c := range cycles {
		m := mineIn{from: c.Cycle.begins(loc), to: c.Cycle.EndsAt(loc)}
		for _, o := range c.Objectives {
			cp := o
			cp.KeyResults = nil
			for _, kr := range o.KeyResults {
				if kr.Owner == user {
					cp.KeyResults = append(cp.KeyResults, kr)
				}
			}
			if len(cp.KeyResults) > 0 {
				m.objs = append(m.objs, cp)
			}
		}
		if len(m.objs) > 0 {
			mine = append(mine, m)
			if earliest.IsZero() || m.from.Before(earliest) {
				earliest = m.from
			}
		}
	}
	if len(mine) == 0 {
		return st
	}
	plan := PlanAt(s, loc, now)
	for range 260 { // five years of weeks at most
		if plan.Period.End.Before(earliest) {
			break
		}
		var objs []Objective
		for _, m := range mine {
			if !plan.PromptAt.Before(m.from) && plan.PromptAt.Before(m.to) {
				objs = append(objs, m.objs...)
			}
		}
		w := periodHealth(s, clock, plan, objs, away)
		switch {
		case w.Owners == 0: // nothing of theirs was open then: skip it
		case w.CheckedIn() == 1:
			st.Periods++
		case w.Away == 1:
		case plan.Period.Contains(now): // not yet this period
		default:
			return st
		}
		plan = PlanAt(s, loc, plan.Period.Start.Add(-time.Nanosecond))
	}
	return st
}

// StaleKR is a key result that has gone without a check-in for longer than
// StaleAfter.
type StaleKR struct {
	Objective string
	KeyResult KeyResult
	Since     time.Time // its last check-in; zero when never
}

// StaleLongest lists objs' open stale key results at now, stale longest
// first (never checked in before all, oldest first).
func StaleLongest(objs []Objective, now time.Time) []StaleKR {
	var out []StaleKR
	for _, o := range objs {
		if o.Archived {
			continue
		}
		for _, kr := range o.KeyResults {
			if kr.Archived || !kr.Stale(now) {
				continue
			}
			out = append(out, StaleKR{Objective: o.Title, KeyResult: kr, Since: kr.LastCheckIn})
		}
	}
	slices.SortStableFunc(out, func(a, b StaleKR) int {
		switch {
		case a.Since.IsZero() && b.Since.IsZero():
			return a.KeyResult.CreatedAt.Compare(b.KeyResult.CreatedAt)
		case a.Since.IsZero():
			return -1
		case b.Since.IsZero():
			return 1
		}
		return a.Since.Compare(b.Since)
	})
	return out
}
