package okrs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Cycle is the named period an objective belongs to, "2026-Q4" by default.
// Start and End are calendar days (midnight UTC; only the date counts), both
// inclusive: the cycle runs from the first moment of Start to the last moment
// of End in whatever timezone it is looked at from.
type Cycle struct {
	Name  string
	Start time.Time
	End   time.Time
	// ClosedAt is when a manager closed the cycle early (End is then the
	// closing day); zero for a cycle that runs to its end.
	ClosedAt time.Time
}

// Date returns the calendar day y-m-d as okrs stores dates: midnight UTC.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the calendar day of t in t's own location, as a Date.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// QuarterOf returns the calendar quarter containing t (in t's location),
// named like "2026-Q4".
func QuarterOf(t time.Time) Cycle {
	y, m, _ := t.Date()
	q := (int(m)-1)/3 + 1
	return quarter(y, q)
}

func quarter(y, q int) Cycle {
	start := Date(y, time.Month(3*(q-1)+1), 1)
	return Cycle{
		Name:  fmt.Sprintf("%d-Q%d", y, q),
		Start: start,
		End:   start.AddDate(0, 3, -1),
	}
}

func half(y, h int) Cycle {
	start := Date(y, time.Month(6*(h-1)+1), 1)
	return Cycle{
		Name:  fmt.Sprintf("%d-H%d", y, h),
		Start: start,
		End:   start.AddDate(0, 6, -1),
	}
}

// ParseCycle reads a standard cycle name: a quarter ("2026-Q4", "2026 q4",
// "Q4 2026") or a half year ("2026-H1"). Custom cycles are not named this way
// and are looked up by the store instead.
func ParseCycle(name string) (Cycle, error) {
	s := strings.ToUpper(strings.TrimSpace(name))
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == ' ' || r == '/' })
	if len(fields) == 2 {
		if len(fields[0]) == 2 && len(fields[1]) == 4 { // "Q4 2026"
			fields[0], fields[1] = fields[1], fields[0]
		}
		y, err := strconv.Atoi(fields[0])
		p := fields[1]
		if err == nil && y >= 2000 && y <= 2999 && len(p) == 2 {
			n := int(p[1] - '0')
			switch {
			case p[0] == 'Q' && n >= 1 && n <= 4:
				return quarter(y, n), nil
			case p[0] == 'H' && n >= 1 && n <= 2:
				return half(y, n), nil
			}
		}
	}
	return Cycle{}, Invalid(FieldCycle, "%q is not a cycle: use a quarter like 2026-Q4 or a half like 2026-H1.", name)
}

// Validate checks that the cycle has a name and does not end before it starts.
func (c Cycle) Validate() error {
	switch {
	case strings.TrimSpace(c.Name) == "":
		return Invalid(FieldCycle, "Give the cycle a name, like 2026-Q4.")
	case len([]rune(c.Name)) > MaxCycleName:
		return Invalid(FieldCycle, "Keep the cycle name within %d characters.", MaxCycleName)
	case c.Start.IsZero() || c.End.IsZero():
		return Invalid(FieldCycle, "A cycle needs a start and an end date.")
	case c.End.Before(c.Start):
		return Invalid(FieldCycle, "The cycle ends before it starts.")
	}
	return nil
}

// bounds returns the first instant of the first day and the first instant
// after the last day of the period [start, end], in loc.
func bounds(start, end time.Time, loc *time.Location) (time.Time, time.Time) {
	ys, ms, ds := start.Date()
	ye, me, de := end.Date()
	return time.Date(ys, ms, ds, 0, 0, 0, 0, loc), time.Date(ye, me, de+1, 0, 0, 0, 0, loc)
}

// elapsed is the share of [start, end] (whole days, in now's location) that
// has passed at now, in [0, 1]. A period that ends before it starts counts as
// over once its start has passed.
func elapsed(start, end, now time.Time) float64 {
	from, to := bounds(start, end, now.Location())
	switch {
	case !now.After(from):
		return 0
	case !now.Before(to) || !to.After(from):
		return 1
	}
	return float64(now.Sub(from)) / float64(to.Sub(from))
}

// Elapsed returns the share of the cycle that has passed at now, in [0, 1],
// with the cycle's days taken in now's location.
func (c Cycle) Elapsed(now time.Time) float64 { return elapsed(c.Start, c.End, now) }

// Contains reports whether the calendar day of t (in t's location) falls
// within the cycle.
func (c Cycle) Contains(t time.Time) bool {
	d := DateOf(t)
	return !d.Before(DateOf(c.Start)) && !d.After(DateOf(c.End))
}

// DaysLeft returns how many whole days of the cycle remain after today (in
// now's location); 0 on the last day and after the end.
func (c Cycle) DaysLeft(now time.Time) int {
	n := int(DateOf(c.End).Sub(DateOf(now)).Hours() / 24)
	return max(n, 0)
}
