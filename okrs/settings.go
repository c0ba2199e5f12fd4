package okrs

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Cadence is how often owners are asked to check in.
type Cadence string

const (
	Weekly   Cadence = "weekly"
	Biweekly Cadence = "biweekly" // every two weeks
)

// TimeOfDay is a wall-clock time, like 10:00.
type TimeOfDay struct{ Hour, Minute int }

func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// Valid reports whether t is a real time of day.
func (t TimeOfDay) Valid() bool { return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 }

// ParseTimeOfDay reads "10:00", "9:30" or "16".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	for _, layout := range []string{"15:04", "15"} {
		if t, err := time.Parse(layout, s); err == nil {
			return TimeOfDay{t.Hour(), t.Minute()}, nil
		}
	}
	return TimeOfDay{}, fmt.Errorf("okrs: %q is not a time of day like 10:00", s)
}

// Settings are a team's choices for check-ins and digests.
type Settings struct {
	Cadence    Cadence
	PromptDay  time.Weekday
	PromptTime TimeOfDay
	// OwnerLocalTime sends each owner's prompt at PromptTime in their own
	// Slack timezone; when false, at PromptTime in Timezone.
	OwnerLocalTime bool
	Timezone       string        // IANA name, the team's timezone
	NudgeAfter     time.Duration // 0: no nudges
	DigestChannel  string        // "" means the team's own channel
	DigestDay      time.Weekday
	DigestTime     TimeOfDay
	Managers       []string // may change settings and send reminders, with workspace admins
	// PostCheckIns shares each check-in as a line in the team channel's
	// weekly thread.
	PostCheckIns bool
	// DirectKeyResults lets anyone in the team add key results to its
	// objectives at once. When false (the default) they propose them and
	// each objective's owner accepts, adjusts or declines: the team shapes
	// its OKRs, and each objective keeps one owner who answers for it. The
	// owner, the creator and admins add directly either way.
	DirectKeyResults bool
	// Anchor is a Monday from which two-week periods are counted.
	Anchor time.Time
	// Holidays are the team's days off, in its timezone: nobody is
	// prompted or nudged on them (see HolidayAt).
	Holidays []Holiday
	// Cycles are the team's recorded cycles (started, extended or closed
	// by a manager), by start; see CurrentCycle.
	Cycles []Cycle
	// UpdatedBy and UpdatedAt record the last change.
	UpdatedBy string
	UpdatedAt time.Time
}

// DefaultSettings returns the settings of a team that has chosen none:
// weekly prompts on Monday at 10:00 in each owner's own time, a nudge after a
// day, and a digest on Friday at 16:00 in tz.
func DefaultSettings(tz string) Settings {
	if tz == "" {
		tz = "UTC"
	}
	return Settings{
		Cadence:        Weekly,
		PromptDay:      time.Monday,
		PromptTime:     TimeOfDay{10, 0},
		OwnerLocalTime: true,
		Timezone:       tz,
		NudgeAfter:     24 * time.Hour,
		DigestDay:      time.Friday,
		DigestTime:     TimeOfDay{16, 0},
		Anchor:         Date(2024, time.January, 1), // a Monday
	}
}

// Location returns the team's timezone, UTC when it cannot be loaded.
func (s Settings) Location() *time.Location { return Location(s.Timezone) }

// locations caches loaded timezones: time.LoadLocation reads and parses the
// zone file on every call, and the scheduler asks for every team and person
// each minute.
var locations sync.Map // name → *time.Location

// Location returns the IANA timezone name, UTC when it is empty or unknown.
func Location(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return time.UTC
	}
	locations.Store(name, loc)
	return loc
}

// IsManager reports whether user is one of the team's managers.
func (s Settings) IsManager(user string) bool {
	for _, m := range s.Managers {
		if m == user {
			return true
		}
	}
	return false
}

// MayManage reports whether user may change the team's settings and send
// its reminders and digests: its managers and workspace admins (admin, which
// the caller asks Slack). A team that has named no managers yet may be set
// up by anyone who sees its channel (sees: it is public, or they are in it),
// as anyone could run /okr settings there; a private team's outsiders may
// not name themselves its managers.
func (s Settings) MayManage(user string, admin, sees bool) bool {
	return admin || user != "" && (s.IsManager(user) || len(s.Managers) == 0 && sees)
}

// Validate checks settings from a form.
func (s Settings) Validate() error {
	var errs []error
	if s.Cadence != Weekly && s.Cadence != Biweekly {
		errs = append(errs, Invalid("cadence", "Choose weekly or every two weeks."))
	}
	if s.PromptDay < time.Sunday || s.PromptDay > time.Saturday {
		errs = append(errs, Invalid("prompt_day", "Choose a day of the week."))
	}
	if !s.PromptTime.Valid() {
		errs = append(errs, Invalid("prompt_time", "Choose a time of day."))
	}
	if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "" {
		errs = append(errs, Invalid("timezone", "%q is not a timezone; use a name like Europe/Berlin.", s.Timezone))
	}
	if s.NudgeAfter < 0 || s.NudgeAfter > 6*24*time.Hour {
		errs = append(errs, Invalid("nudge", "Nudge within 6 days of the prompt, or turn nudges off."))
	}
	if s.DigestDay < time.Sunday || s.DigestDay > time.Saturday {
		errs = append(errs, Invalid("digest_day", "Choose a day of the week."))
	}
	if !s.DigestTime.Valid() {
		errs = append(errs, Invalid("digest_time", "Choose a time of day."))
	}
	if err := ValidateHolidays(s.Holidays); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Holiday is a team holiday: a day or a range of days (inclusive), in the
// team's timezone, as Dates.
type Holiday struct{ From, To time.Time }

func (h Holiday) String() string {
	if h.From.Equal(h.To) {
		return h.From.Format(time.DateOnly)
	}
	return h.From.Format(time.DateOnly) + ".." + h.To.Format(time.DateOnly)
}

// Contains reports whether the calendar day d (a Date) is in the holiday.
func (h Holiday) Contains(d time.Time) bool { return !d.Before(h.From) && !d.After(h.To) }

// Holiday limits: a form field stays short and a range stays a holiday.
const (
	MaxHolidays    = 40
	MaxHolidayDays = 31
)

// ParseHolidays reads the settings field: dates or ranges separated by
// commas or new lines ("2026-12-24, 2026-12-28..2027-01-01"; a range may
// also be written "2026-12-28 - 2027-01-01" or "2026-12-28 to 2027-01-01").
func ParseHolidays(s string) ([]Holiday, error) {
	var out []Holiday
	for item := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		from, to, ok := item, item, false
		for _, sep := range []string{"..", " to ", " - ", "–", "—"} {
			if a, b, found := strings.Cut(item, sep); found {
				from, to, ok = strings.TrimSpace(a), strings.TrimSpace(b), true
				break
			}
		}
		if !ok && len(item) == len("2006-01-02-2006-01-02") && item[10] == '-' { // 2026-12-24-2026-12-26
			from, to = item[:10], item[11:]
		}
		f, err1 := time.Parse(time.DateOnly, from)
		t, err2 := time.Parse(time.DateOnly, to)
		if err1 != nil || err2 != nil {
			return nil, Invalid("holidays", "%q is not a date like 2026-12-24 or a range like 2026-12-24..2026-12-26.", item)
		}
		out = append(out, Holiday{From: f, To: t})
	}
	return out, ValidateHolidays(out)
}

// ValidateHolidays checks a team's holidays.
func ValidateHolidays(hs []Holiday) error {
	if len(hs) > MaxHolidays {
		return Invalid("holidays", "At most %d holidays or ranges, please.", MaxHolidays)
	}
	for _, h := range hs {
		switch {
		case h.To.Before(h.From):
			return Invalid("holidays", "%s ends before it starts.", h)
		case h.To.Sub(h.From) >= MaxHolidayDays*24*time.Hour:
			return Invalid("holidays", "%s is longer than %d days: list holidays, not a season.", h, MaxHolidayDays)
		case h.From.Year() < 2000 || h.To.Year() > 2100:
			return Invalid("holidays", "%s is not a year okrbot plans for.", h)
		}
	}
	return nil
}

// FormatHolidays writes holidays as ParseHolidays reads them.
func FormatHolidays(hs []Holiday) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = h.String()
	}
	return strings.Join(parts, ", ")
}

// HolidayAt reports whether t falls on one of the team's holidays, on the
// calendar of loc (the team's timezone, or the person's for their own day).
func (s Settings) HolidayAt(t time.Time, loc *time.Location) (Away, bool) {
	d := DateOf(t.In(loc))
	for _, h := range s.Holidays {
		if h.Contains(d) {
			end := h.To.AddDate(0, 0, 1)
			return Away{Source: AwayHoliday, Until: time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, loc)}, true
		}
	}
	return Away{}, false
}

// WorkingDay reports whether t is a working day in loc: Monday to Friday,
// not a team holiday.
func (s Settings) WorkingDay(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := s.HolidayAt(t, loc)
	return !holiday
}
