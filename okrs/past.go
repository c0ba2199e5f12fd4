package okrs

import (
	"slices"
	"time"
)

// PastCycles returns the names of the cycles of objs, archived ones left
// out, that ended before now's day: newest first, each once. cycleOf gives
// an objective's cycle as its team dated it (Settings.CycleNamed); one it
// cannot date is left out. App Home offers them for looking back.
func PastCycles(objs []Objective, cycleOf func(*Objective) (Cycle, error), now time.Time) []string {
	var past []Cycle
	for i := range objs {
		o := &objs[i]
		if o.Archived {
			continue
		}
		c, err := cycleOf(o)
		if err != nil || !DateOf(now).After(c.End) {
			continue
		}
		if !slices.ContainsFunc(past, func(p Cycle) bool { return p.Name == c.Name }) {
			past = append(past, c)
		}
	}
	slices.SortFunc(past, func(a, b Cycle) int { return b.End.Compare(a.End) })
	names := make([]string, len(past))
	for i, c := range past {
		names[i] = c.Name
	}
	return names
}
