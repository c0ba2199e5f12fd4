package okrs

import "time"

// A Period is one check-in period of a person: a calendar week (Monday to
// Sunday) or, for a biweekly team, a fortnight counted from the team's
// anchor Monday, in the person's timezone.
type Period struct {
	Key   string    // the date of its first day, like "2026-11-16"
	Start time.Time // its first instant
	End   time.Time // the first instant after it
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Plan is when a person's prompt, and nudge, are due in one period.
type Plan struct {
	Period   Period
	PromptAt time.Time
	NudgeAt  time.Time // zero when nudges are off or would fall after the period
}

// PlanAt returns the plan of the period containing t, for settings s and a
// person in loc. Times are computed on the wall clock of loc, so a prompt at
// 10:00 stays at 10:00 across daylight-saving changes.
func PlanAt(s Settings, loc *time.Location, t time.Time) Plan {
	t = t.In(loc)
	y, m, d := t.Date()
	// Monday of t's week, as a civil date.
	back := (int(t.Weekday()) + 6) % 7
	monday := time.Date(y, m, d-back, 0, 0, 0, 0, loc)
	days := 7
	if s.Cadence == Biweekly {
		days = 14
		anchor := s.Anchor
		if anchor.IsZero() {
			anchor = Date(2024, time.January, 1)
		}
		// Whole days between the anchor's Monday and this Monday, on the
		// calendar (not in hours, which DST would bend).
		am := time.Date(anchor.Year(), anchor.Month(), anchor.Day()-(int(anchor.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
		mm := time.Date(monday.Year(), monday.Month(), monday.Day(), 0, 0, 0, 0, time.UTC)
		diff := int(mm.Sub(am).Hours() / 24)
		if r := ((diff % 14) + 14) % 14; r != 0 {
			monday = time.Date(monday.Year(), monday.Month(), monday.Day()-r, 0, 0, 0, 0, loc)
		}
	}
	p := Period{
		Key:   monday.Format(time.DateOnly),
		Start: monday,
		End:   time.Date(monday.Year(), monday.Month(), monday.Day()+days, 0, 0, 0, 0, loc),
	}
	offset := (int(s.PromptDay) + 6) % 7 // days after Monday
	prompt := time.Date(monday.Year(), monday.Month(), monday.Day()+offset, s.PromptTime.Hour, s.PromptTime.Minute, 0, 0, loc)
	plan := Plan{Period: p, PromptAt: prompt}
	if s.NudgeAfter > 0 {
		if n := prompt.Add(s.NudgeAfter); n.Before(p.End) {
			plan.NudgeAt = n
		}
	}
	return plan
}

// CheckedIn reports whether an owner has checked in on every one of krs
// within period p.
func CheckedIn(krs []*KeyResult, p Period) bool {
	if len(krs) == 0 {
		return false
	}
	for _, kr := range krs {
		if kr.LastCheckIn.Before(p.Start) {
			return false
		}
	}
	return true
}
