package okrs

import (
	"slices"
	"time"
)

// PastCycles returns the names of the standard cycles (see ParseCycle) of
// objs, archived ones left out, that ended before now's day: newest first,
// each once. App Home offers them for looking back.
func PastCycles(objs []Objective, now time.Time) []string {
	var past []Cycle
	for _, o := range objs {
		if o.Archived {
			continue
		}
		c, err := ParseCycle(o.Cycle)
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
