package okrs

import (
	"errors"
	"fmt"
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
