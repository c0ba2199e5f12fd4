package okrs

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Team-chosen cycles. A team that never chose one runs on calendar quarters
// (QuarterOf). A manager may start the next cycle (a quarter or a half),
// close the current one early, or extend it by up to MaxExtension: each of
// these is recorded in Settings.Cycles, and CurrentCycle reads that record,
// so that it stays the one rule for "the current cycle".
//
// A cycle is named like a quarter or a half ("2026-Q4", "2027-H1"), or, for
// a custom cycle a manager starts with its own dates, anything else that is
// not a standard name ("Winter launch"): names are keys of the store's
// team-cycle index, so a team's cycles never share one, and a recorded cycle
// keeps its name when its dates change. Settings.CycleNamed resolves a name;
// ParseCycle alone knows only the standard ones.

// MaxExtension is how much a cycle may be extended beyond its planned end.
const MaxExtension = 28 * 24 * time.Hour

// LastCheckInBefore is how long before a cycle's end its owners are asked
// for a last check-in.
const LastCheckInBefore = 7 * 24 * time.Hour

// RetroAfter is how long after a cycle's end the retrospective is posted
// when not every owner has graded.
const RetroAfter = 3 * 24 * time.Hour

// EndsAt is the instant the cycle ends in loc: when a manager closed it, or
// the first instant after its last day.
func (c Cycle) EndsAt(loc *time.Location) time.Time {
	if !c.ClosedAt.IsZero() {
		return c.ClosedAt
	}
	_, end := bounds(c.Start, c.End, loc)
	return end
}

// begins is the first instant of the cycle's first day in loc.
func (c Cycle) begins(loc *time.Location) time.Time {
	from, _ := bounds(c.Start, c.End, loc)
	return from
}

// Planned returns the standard dates of a cycle's name: a recorded cycle
// may start later (after a closed or extended one) or end later (extended).
func (c Cycle) Planned() (Cycle, bool) {
	p, err := ParseCycle(c.Name)
	return p, err == nil && p.Name == c.Name
}

// recorded returns the team's recorded cycle named name.
func (s Settings) recorded(name string) (Cycle, bool) {
	for _, c := range s.Cycles {
		if c.Name == name {
			return c, true
		}
	}
	return Cycle{}, false
}

// recordedLike returns the team's recorded cycle whose name is name but for
// case and spacing: "winter  launch" finds "Winter launch".
func (s Settings) recordedLike(name string) (Cycle, bool) {
	key := foldName(name)
	for _, c := range s.Cycles {
		if foldName(c.Name) == key {
			return c, true
		}
	}
	return Cycle{}, false
}

func foldName(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// CurrentCycle is the cycle a team is in at now. It is the one rule for
// "the current cycle": the scheduler's prompts, the check-in modal, App
// Home, status and /okr mine all use it, so that at a boundary they agree
// on which key results are open. A person's own views take each
// objective's team's cycle, never the person's timezone.
//
// It is the latest-starting recorded cycle (Settings.Cycles) that has begun
// and not ended at now; without one, the calendar quarter containing now
// in the team's timezone; or, when a recorded cycle already took that
// quarter's name (it was closed early) or overlaps it (it was extended),
// the next free quarter, starting right after the recorded cycle.
func CurrentCycle(s Settings, now time.Time) Cycle {
	loc := s.Location()
	var cur Cycle
	found := false
	for _, c := range s.Cycles {
		if !now.Before(c.begins(loc)) && now.Before(c.EndsAt(loc)) && (!found || c.Start.After(cur.Start)) {
			cur, found = c, true
		}
	}
	if found {
		return cur
	}
	return s.defaultCycle(now)
}

// defaultCycle is the quarter a team without a running recorded cycle is
// in: the calendar quarter, or the next one whose name no recorded cycle
// took, starting after any recorded cycle that overlaps it.
func (s Settings) defaultCycle(now time.Time) Cycle {
	q := QuarterOf(now.In(s.Location()))
	for range 8 {
		taken, isTaken := s.recorded(q.Name)
		if !isTaken {
			if latest, ok := s.latestBefore(q.End); ok && s.leadsInto(latest, q) {
				q.Start = s.after(latest)
			}
			if !q.Start.After(q.End) {
				return q
			}
		}
		q = QuarterOf(q.End.AddDate(0, 0, 1))
		if isTaken && s.after(taken).Before(q.Start) {
			q.Start = s.after(taken) // it was closed early
		}
	}
	return q
}

// leadsInto reports whether q starts right after c: c overlaps q (it was
// extended), or c was closed early and planned to end the day before q.
func (s Settings) leadsInto(c, q Cycle) bool {
	if !c.End.Before(q.Start) {
		return true
	}
	p, ok := c.Planned()
	return !c.ClosedAt.IsZero() && ok && !p.End.AddDate(0, 0, 1).Before(q.Start)
}

// latestBefore returns the recorded cycle with the latest end on or before
// day (none when no recorded cycle starts by then).
func (s Settings) latestBefore(day time.Time) (Cycle, bool) {
	var best Cycle
	ok := false
	for _, c := range s.Cycles {
		if !c.Start.After(day) && (!ok || c.End.After(best.End)) {
			best, ok = c, true
		}
	}
	return best, ok
}

// after is the first day of a cycle that follows c: the day after its end,
// or, when it was closed early, its closing day.
func (s Settings) after(c Cycle) time.Time {
	if !c.ClosedAt.IsZero() {
		return DateOf(c.End)
	}
	return DateOf(c.End).AddDate(0, 0, 1)
}

// PreviousCycle is the cycle that ran just before the current one at now.
func PreviousCycle(s Settings, now time.Time) Cycle {
	cur := CurrentCycle(s, now)
	t := cur.begins(s.Location()).Add(-time.Nanosecond)
	for _, c := range s.Cycles { // one closed on the day the current began
		if c.Name != cur.Name && !c.ClosedAt.IsZero() && !c.ClosedAt.After(now) && !t.Before(c.begins(s.Location())) && t.Before(c.ClosedAt) {
			return c
		}
	}
	if p := CurrentCycle(s, t); p.Name != cur.Name {
		return p
	}
	return CurrentCycle(s, t.AddDate(0, 0, -1))
}

// record stores c among the team's cycles, replacing one of its name.
func (s Settings) record(c Cycle) Settings {
	out := slices.DeleteFunc(slices.Clone(s.Cycles), func(x Cycle) bool { return x.Name == c.Name })
	out = append(out, c)
	slices.SortFunc(out, func(a, b Cycle) int { return a.Start.Compare(b.Start) })
	s.Cycles = out
	return s
}

// CloseCycle ends the team's cycle named name at now (a manager closing it
// early). It returns the settings unchanged, and false, when name is not
// the current cycle any more: a second press changes nothing.
func (s Settings) CloseCycle(name string, now time.Time) (Settings, bool) {
	cur := CurrentCycle(s, now)
	if cur.Name != name {
		return s, false
	}
	cur.End = DateOf(now.In(s.Location()))
	if cur.End.Before(cur.Start) {
		cur.End = cur.Start
	}
	cur.ClosedAt = now
	return s.record(cur), true
}

// ExtendCycle moves the end of the current cycle named name to end, at
// most MaxExtension after its planned end. Extending to the same day twice
// changes nothing the second time.
func (s Settings) ExtendCycle(name string, end, now time.Time) (Settings, error) {
	cur := CurrentCycle(s, now)
	if cur.Name != name {
		return s, Invalid(FieldCycle, "%s is not the current cycle any more.", name)
	}
	planned, ok := cur.Planned()
	if !ok {
		planned = cur
	}
	end = DateOf(end)
	switch {
	case end.Before(DateOf(now.In(s.Location()))) || end.Before(cur.Start):
		return s, Invalid(FieldCycle, "Pick an end on or after today.")
	case end.Sub(DateOf(planned.End)) > MaxExtension:
		return s, Invalid(FieldCycle, "A cycle can be extended by up to %d weeks (to %s).", int(MaxExtension/(7*24*time.Hour)), DateOf(planned.End).Add(MaxExtension).Format("Jan 2, 2006"))
	}
	for _, r := range s.Cycles {
		if r.Name != cur.Name && r.Start.After(cur.Start) && !end.Before(r.Start) {
			return s, Invalid(FieldCycle, "%s starts on %s: extend only to the day before.", r.Name, r.Start.Format("Jan 2"))
		}
	}
	cur.End = end
	return s.record(cur), nil
}

// NextCycles are the choices for the team's next cycle at now: the next
// quarter and the next half year, starting right after the current cycle.
// When the current cycle is only the default that followed a cycle closed
// early (not recorded), the choices replace it from its first day.
func NextCycles(s Settings, now time.Time) []Cycle {
	cur := CurrentCycle(s, now)
	day := DateOf(cur.End).AddDate(0, 0, 1)
	named := day
	if _, rec := s.recorded(cur.Name); !rec {
		if p, ok := cur.Planned(); ok && p.Start.After(cur.Start) {
			day, named = cur.Start, p.Start
		}
	}
	var out []Cycle
	for _, c := range []Cycle{QuarterOf(named), halfOf(named)} {
		for range 4 {
			if _, taken := s.recorded(c.Name); !taken && c.End.Sub(maxTime(c.Start, day)) >= minNextCycle {
				break
			}
			c = next(c) // taken, or only the last days of it are left
		}
		if c.Start.Before(day) || c.Start.Equal(named) || c.Start.Sub(day) < minNextCycle {
			c.Start = day // no gap of a few days between two cycles
		}
		out = append(out, c)
	}
	return out
}

// minNextCycle is the shortest remainder of a quarter or half offered as the
// next cycle: after a custom cycle ending mid-March, "2027-Q1" would run for
// two weeks, so 2027-Q2 is offered from the day after instead.
const minNextCycle = 28 * 24 * time.Hour

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Limits of a custom cycle's length.
const (
	MinCustomCycleDays = 7
	MaxCustomCycleDays = 366
)

// Fields of the custom cycle form.
const (
	FieldCycleName  = "cycle_name"
	FieldCycleStart = "cycle_start"
	FieldCycleEnd   = "cycle_end"
)

// CustomCycle checks a cycle a manager names and dates, before any I/O:
// a name (not a standard one: those have their own dates) and a length of
// MinCustomCycleDays to MaxCustomCycleDays. Every problem is a field error.
func CustomCycle(name string, start, end time.Time) (Cycle, error) {
	name = strings.Join(strings.Fields(name), " ")
	c := Cycle{Name: name, Start: DateOf(start), End: DateOf(end)}
	var errs []error
	switch {
	case name == "":
		errs = append(errs, Invalid(FieldCycleName, "Give the cycle a name, like \"Winter launch\"."))
	case utf8.RuneCountInString(name) > MaxCycleName:
		errs = append(errs, Invalid(FieldCycleName, "Keep the name within %d characters.", MaxCycleName))
	case strings.ContainsAny(name, "|<>&*_~`"):
		errs = append(errs, Invalid(FieldCycleName, "Use letters, digits, spaces and simple punctuation (no | < > & * _ ~ `)."))
	default:
		if std, err := ParseCycle(name); err == nil {
			errs = append(errs, Invalid(FieldCycleName, "%s is a calendar %s with its own dates: start it with its button, or give this cycle another name.", std.Name, map[bool]string{true: "half", false: "quarter"}[strings.Contains(std.Name, "H")]))
		}
	}
	switch {
	case start.IsZero():
		errs = append(errs, Invalid(FieldCycleStart, "Pick the first day."))
	case end.IsZero():
		errs = append(errs, Invalid(FieldCycleEnd, "Pick the last day."))
	case c.End.Before(c.Start):
		errs = append(errs, Invalid(FieldCycleEnd, "The last day comes before the first."))
	case days(c) < MinCustomCycleDays:
		errs = append(errs, Invalid(FieldCycleEnd, "A cycle runs for at least %d days: this one has %d.", MinCustomCycleDays, days(c)))
	case days(c) > MaxCustomCycleDays:
		errs = append(errs, Invalid(FieldCycleEnd, "A cycle runs for at most a year: this one has %d days.", days(c)))
	}
	return c, errors.Join(errs...)
}

// days is how many calendar days c has, both ends counted.
func days(c Cycle) int { return int(c.End.Sub(c.Start).Hours()/24+0.5) + 1 }

// StartCustomCycle records a custom cycle c (checked by CustomCycle) as the
// team's next: it starts no earlier than the choices of NextCycles (the day
// after the current cycle) — a later start stretches the current cycle to
// the day before, within MaxExtension, so that no day is between cycles —
// overlaps no recorded cycle, and takes no name
// the team has used (but for case) unless that is the same cycle again,
// which is a second press: the settings unchanged, and false.
// objectivesNamed reports whether objectives are filed under a name that
// no record holds (a past calendar cycle): such a name is refused too.
func (s Settings) StartCustomCycle(c Cycle, now time.Time, objectivesNamed bool) (Settings, bool, error) {
	if r, ok := s.recordedLike(c.Name); ok {
		if r.Name == c.Name && r.Start.Equal(c.Start) && r.End.Equal(c.End) {
			return s, false, nil
		}
		return s, false, Invalid(FieldCycleName, "This team already had a cycle called %s (%s): choose another name.", r.Name, cycleDays(r))
	}
	if objectivesNamed {
		return s, false, Invalid(FieldCycleName, "This team has objectives filed under %s already: choose another name.", c.Name)
	}
	cur := CurrentCycle(s, now)
	for _, r := range s.Cycles {
		if r.Start.After(cur.Start) && r.Name != cur.Name {
			return s, false, Invalid(FieldCycleStart, "%s is the next cycle already (%s): one cycle is planned at a time.", r.Name, cycleDays(r))
		}
	}
	earliest := NextCycles(s, now)[0].Start
	switch {
	case c.Start.Before(earliest):
		return s, false, Invalid(FieldCycleStart, "The current cycle, %s, runs until %s: start on %s or later (or close it first).",
			cur.Name, earliest.AddDate(0, 0, -1).Format("Jan 2"), earliest.Format("Jan 2, 2006"))
	case c.Start.After(earliest):
		// Cycles follow each other: the current one is stretched to the
		// day before, as far as an extension may go.
		gapOK := earliest.Equal(DateOf(cur.End).AddDate(0, 0, 1))
		if gapOK {
			var err error
			if s, err = s.ExtendCycle(cur.Name, c.Start.AddDate(0, 0, -1), now); err != nil {
				gapOK = false
			}
		}
		if !gapOK {
			return s, false, Invalid(FieldCycleStart, "Cycles follow each other: start on %s, the day after %s ends, or up to %d weeks later (%s stretches to meet it).",
				earliest.Format("Jan 2, 2006"), cur.Name, int(MaxExtension/(7*24*time.Hour)), cur.Name)
		}
	}
	next, ok, err := s.StartCycle(c, now)
	if fe := FieldErrors(err); len(fe) > 0 && fe[0].Field == FieldCycle {
		err = Invalid(FieldCycleEnd, "%s", fe[0].Message)
	}
	return next, ok, err
}

func cycleDays(c Cycle) string {
	return fmt.Sprintf("%s – %s", c.Start.Format("Jan 2"), c.End.Format("Jan 2, 2006"))
}

// CycleChoices are the cycles an objective form offers for a team at now:
// the one before the current, the current and the next (a started one, else
// the first of NextCycles), plus keep (an objective's own cycle) if it is
// another one the team knows.
func CycleChoices(s Settings, now time.Time, keep string) []Cycle {
	cur := CurrentCycle(s, now)
	next := Cycle{}
	for _, c := range s.Cycles {
		if c.Start.After(cur.Start) && c.Name != cur.Name && (next.Name == "" || c.Start.Before(next.Start)) {
			next = c
		}
	}
	if next.Name == "" {
		if n := NextCycles(s, now); len(n) > 0 {
			next = n[0]
		}
	}
	out := []Cycle{PreviousCycle(s, now), cur, next}
	if keep != "" && !slices.ContainsFunc(out, func(c Cycle) bool { return c.Name == keep }) {
		if c, err := s.CycleNamed(keep); err == nil {
			out = append([]Cycle{c}, out...)
		}
	}
	return out
}

func halfOf(t time.Time) Cycle {
	y, m, _ := t.Date()
	return half(y, (int(m)-1)/6+1)
}

func next(c Cycle) Cycle {
	day := DateOf(c.End).AddDate(0, 0, 1)
	if c.End.Sub(c.Start) > 100*24*time.Hour {
		return halfOf(day)
	}
	return QuarterOf(day)
}

// StartCycle records c as the team's next cycle: it begins at once when
// the current one is over (closed), else when the current one ends. It
// returns false when c is recorded already: starting it twice is one cycle.
func (s Settings) StartCycle(c Cycle, now time.Time) (Settings, bool, error) {
	if _, taken := s.recorded(c.Name); taken {
		return s, false, nil
	}
	if err := c.Validate(); err != nil {
		return s, false, err
	}
	for _, r := range s.Cycles {
		if c.Start.Before(s.after(r)) && !r.Start.After(c.End) {
			return s, false, Invalid(FieldCycle, "%s would overlap the cycle %s.", c.Name, r.Name)
		}
	}
	return s.record(c), true, nil
}

// CycleNamed returns the team's cycle named name (but for case and
// spacing, as a person types it): its record, or the standard dates of a
// standard name.
func (s Settings) CycleNamed(name string) (Cycle, error) {
	if c, ok := s.recorded(name); ok {
		return c, nil
	}
	if std, err := ParseCycle(name); err == nil {
		if c, ok := s.recorded(std.Name); ok {
			return c, nil
		}
		return std, nil
	}
	if c, ok := s.recordedLike(name); ok {
		return c, nil
	}
	return Cycle{}, Invalid(FieldCycle, "%q is not one of this team's cycles: name a quarter like 2026-Q4, a half like 2026-H1, or a cycle the team started.", name)
}

func (c Cycle) String() string {
	return fmt.Sprintf("%s (%s – %s)", c.Name, c.Start.Format("Jan 2"), c.End.Format("Jan 2, 2006"))
}
