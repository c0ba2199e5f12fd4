package okrs

import (
	"math"
	"time"
)

// Achievement returns how far the key result has come from its start towards
// its target: 0 at the start, 1 at the target, more than 1 when it went
// beyond (1.12 reads "112%"). It never goes below 0. Thresholds and
// milestones are 1 when met and 0 when not.
func (kr *KeyResult) Achievement() float64 {
	return achievement(kr.Kind, kr.Start, kr.Target, kr.Current)
}

func achievement(k Kind, start, target, current float64) float64 {
	var a float64
	switch k {
	case Increase, Decrease:
		// One formula serves both directions: for a decrease, target-start
		// and current-start are both negative while it improves.
		if target == start || !finite(start) || !finite(target) || !finite(current) {
			return 0
		}
		a = (current - start) / (target - start)
	case StayAbove:
		if current >= target {
			a = 1
		}
	case StayBelow:
		if current <= target {
			a = 1
		}
	case Milestone:
		if current >= 1 {
			a = 1
		}
	}
	if a < 0 || math.IsNaN(a) {
		return 0
	}
	return a
}

// Progress returns Achievement clamped to [0, 1]: how much of the key result
// is done, the figure averaged into its objective.
func (kr *KeyResult) Progress() float64 { return min(kr.Achievement(), 1) }

// Met reports whether the key result has reached its target (or holds its
// threshold, or the milestone is done).
func (kr *KeyResult) Met() bool { return kr.Achievement() >= 1 }

// DueDate returns the day the key result is due: its own due date, or the end
// of the cycle.
func (kr *KeyResult) DueDate(c Cycle) time.Time {
	if !kr.Due.IsZero() {
		return kr.Due
	}
	return c.End
}

// Expected returns the progress the key result should have at now if it moved
// at an even pace from the cycle start to its due date.
func (kr *KeyResult) Expected(c Cycle, now time.Time) float64 {
	return elapsed(c.Start, kr.DueDate(c), now)
}

// Pace returns whether the key result is ahead, on pace or behind at now.
// Thresholds are on pace while they hold and behind when they do not;
// milestones are on pace until they are due, ahead once done early.
func (kr *KeyResult) Pace(c Cycle, now time.Time) Pace {
	exp := kr.Expected(c, now)
	switch kr.Kind {
	case StayAbove, StayBelow:
		if kr.Met() {
			return OnPace
		}
		return Behind
	case Milestone:
		switch {
		case kr.Met() && exp < 1:
			return Ahead
		case kr.Met() || exp < 1:
			return OnPace
		}
		return Behind
	}
	return PaceOf(kr.Progress(), exp)
}

// Stale reports whether the key result has gone without a check-in for longer
// than StaleAfter at now. One never checked in is stale once it is older than
// that.
func (kr *KeyResult) Stale(now time.Time) bool {
	last := kr.LastCheckIn
	if last.IsZero() {
		last = kr.CreatedAt
	}
	return !last.IsZero() && now.Sub(last) > StaleAfter
}

// Progress returns the objective's progress: the mean of its active key
// results' progress. An objective with no key results has progress 0.
func (o *Objective) Progress() float64 {
	return o.mean((*KeyResult).Progress)
}

// mean is the mean of f over the active key results.
func (o *Objective) mean(f func(*KeyResult) float64) float64 {
	var sum float64
	n := 0
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		sum += f(kr)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Pace returns the objective's pace at now: its progress against the share
// of the cycle elapsed.
func (o *Objective) Pace(c Cycle, now time.Time) Pace {
	return PaceOf(o.Progress(), c.Elapsed(now))
}

// Pace is a verdict on progress against the calendar.
type Pace string

const (
	Ahead  Pace = "ahead"
	OnPace Pace = "on_pace"
	Behind Pace = "behind"
)

// Label is the plain-English name of a pace.
func (p Pace) Label() string {
	switch p {
	case Ahead:
		return "Ahead"
	case OnPace:
		return "On pace"
	case Behind:
		return "Behind"
	}
	return string(p)
}

// PaceOf compares progress with expected progress: more than PaceTolerance
// ahead is Ahead, more than PaceTolerance behind is Behind, else OnPace.
func PaceOf(progress, expected float64) Pace {
	const eps = 1e-9
	switch d := progress - expected; {
	case d > PaceTolerance+eps:
		return Ahead
	case d < -PaceTolerance-eps:
		return Behind
	}
	return OnPace
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// ValueAt returns the key result's value at t: its latest check-in at or
// before t, or its start when it had none yet. It needs the key result's
// CheckIns (newest first, as the store loads them); without them it
// answers Current.
func (kr *KeyResult) ValueAt(t time.Time) float64 {
	if kr.CheckIns == nil {
		return kr.Current
	}
	for _, c := range kr.CheckIns {
		if !c.At.After(t) {
			return c.Value
		}
	}
	return kr.Start
}

// ProgressAt returns the key result's progress at t, from its history.
func (kr *KeyResult) ProgressAt(t time.Time) float64 {
	return min(achievement(kr.Kind, kr.Start, kr.Target, kr.ValueAt(t)), 1)
}

// ProgressAt returns the objective's progress at t, from its key results'
// histories (averaged like Progress).
func (o *Objective) ProgressAt(t time.Time) float64 {
	return o.mean(func(kr *KeyResult) float64 { return kr.ProgressAt(t) })
}
