package okrs

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Respecting people's time: a person away (on holiday, sick, out of office)
// gets no prompt and no nudge; their prompt is held and comes back once, as
// a catch-up, on their first working day back.

// AwaySource says how okrbot knows a person is away.
type AwaySource string

const (
	AwayStatus  AwaySource = "status"  // their Slack status says so
	AwaySaid    AwaySource = "said"    // they said so: /okr away until …
	AwayHoliday AwaySource = "holiday" // a team holiday
)

// Away is a person being away at some moment, and until when.
type Away struct {
	Source AwaySource
	Until  time.Time // the first instant back; zero: until it changes
}

// Status is a person's Slack status.
type Status struct {
	Text       string
	Emoji      string    // like ":palm_tree:"
	Expiration time.Time // zero: until they change it
}

// awayEmoji are status emoji that mean away.
var awayEmoji = map[string]bool{
	":palm_tree:": true, ":face_with_thermometer:": true, ":thermometer:": true,
	":beach_with_umbrella:": true, ":desert_island:": true, ":sneezing_face:": true,
	":baby_bottle:": true, // parental leave
}

// awayPhrases are status words that mean away, matched on whole words.
var awayPhrases = [][]string{
	{"ooo"}, {"out", "of", "office"}, {"out", "of", "the", "office"}, {"ooto"},
	{"vacation"}, {"vacationing"}, {"on", "vacation"}, {"holiday"}, {"holidays"}, {"on", "holiday"},
	{"on", "leave"}, {"sick"}, {"sick", "leave"}, {"off", "sick"}, {"pto"},
	{"parental", "leave"}, {"maternity", "leave"}, {"paternity", "leave"}, {"annual", "leave"},
	{"urlaub"}, {"congés"}, {"vacaciones"},
}

// statusWords splits a status text into lower-case words ("out-of-office"
// is three).
func statusWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// SaysAway reports whether a status's emoji or words mean the person is
// away, whatever its expiration.
func (s Status) SaysAway() bool {
	if awayEmoji[strings.ToLower(strings.TrimSpace(s.Emoji))] {
		return true
	}
	words := statusWords(s.Text)
	for _, phrase := range awayPhrases {
		for i := 0; i+len(phrase) <= len(words); i++ {
			match := true
			for j, w := range phrase {
				if words[i+j] != w {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}

// AwayAt reports whether the status makes its person away at now: it says
// so and has not expired.
func (s Status) AwayAt(now time.Time) (Away, bool) {
	if !s.SaysAway() || !s.Expiration.IsZero() && !now.Before(s.Expiration) {
		return Away{}, false
	}
	return Away{Source: AwayStatus, Until: s.Expiration}, true
}

// AwayRecord is what a person said with /okr away: away until a day.
type AwayRecord struct {
	User  string
	Until time.Time // the first instant back (midnight starting the day, their time)
	SetAt time.Time
}

// AwayAt reports whether the record makes its person away at now.
func (r AwayRecord) AwayAt(now time.Time) (Away, bool) {
	if r.Until.IsZero() || !now.Before(r.Until) {
		return Away{}, false
	}
	return Away{Source: AwaySaid, Until: r.Until}, true
}

// MaxAway is how far ahead /okr away may go.
const MaxAway = 366 * 24 * time.Hour

// ParseAwayUntil reads "/okr away until 2026-12-28" (or "2026-12-28", "Dec
// 28", "28 Dec"): the day the person is back, in loc. It must be after
// today and within a year.
func ParseAwayUntil(args string, now time.Time, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(args)
	if l := strings.ToLower(s); strings.HasPrefix(l, "until ") {
		s = strings.TrimSpace(s[len("until "):])
	}
	today := now.In(loc)
	day, err := parseDay(s, today)
	if err != nil {
		return time.Time{}, Invalid("until", "I could not read %q as a date: try `/okr away until %s`.", s, today.AddDate(0, 0, 14).Format(time.DateOnly))
	}
	back := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	if !back.After(today) {
		return time.Time{}, Invalid("until", "%s is not in the future: name the day you are back, like %s.", day.Format(time.DateOnly), today.AddDate(0, 0, 7).Format(time.DateOnly))
	}
	if back.Sub(today) > MaxAway {
		return time.Time{}, Invalid("until", "%s is more than a year away: choose a day within a year.", day.Format(time.DateOnly))
	}
	return back, nil
}

// parseDay reads a calendar day: 2026-12-28, or a month and day ("Dec 28",
// "28 December") taken as the next such day on or after today.
func parseDay(s string, today time.Time) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, nil
	}
	for _, layout := range []string{"Jan 2", "January 2", "2 Jan", "2 January"} {
		d, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		y := today.Year()
		c := Date(y, d.Month(), d.Day())
		if c.Before(DateOf(today)) {
			c = Date(y+1, d.Month(), d.Day())
		}
		return c, nil
	}
	return time.Time{}, fmt.Errorf("okrs: %q is not a date", s)
}

// NextWorkingMorning returns the check-in time of day (PromptTime) on the
// first working day after t's day, in loc: "tomorrow morning".
func (s Settings) NextWorkingMorning(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	for i := 1; i <= MaxHolidayDays+8; i++ {
		d := time.Date(t.Year(), t.Month(), t.Day()+i, s.PromptTime.Hour, s.PromptTime.Minute, 0, 0, loc)
		if s.WorkingDay(d, loc) {
			return d
		}
	}
	return time.Date(t.Year(), t.Month(), t.Day()+1, s.PromptTime.Hour, s.PromptTime.Minute, 0, 0, loc)
}

// NextMondayMorning returns the check-in time of day on the next Monday
// after t's day, in loc.
func (s Settings) NextMondayMorning(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	days := (8 - int(t.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	return time.Date(t.Year(), t.Month(), t.Day()+days, s.PromptTime.Hour, s.PromptTime.Minute, 0, 0, loc)
}

// CatchUpDue reports whether a held prompt may go out at now, in loc: on a
// working day, from the team's check-in time of day.
func (s Settings) CatchUpDue(now time.Time, loc *time.Location) bool {
	t := now.In(loc)
	if !s.WorkingDay(t, loc) {
		return false
	}
	at := time.Date(t.Year(), t.Month(), t.Day(), s.PromptTime.Hour, s.PromptTime.Minute, 0, 0, loc)
	return !t.Before(at)
}

// HeldPrompt records a prompt held because its person was away when it
// was due: they get one catch-up prompt for that period once back, and a
// week with a held prompt is a week away (a streak counts it as kept).
type HeldPrompt struct {
	User   string
	Period string // the period's key
	At     time.Time
	Why    AwaySource
}

// AwayIn reports whether user's prompt of period was held in held: they
// were away that week.
func AwayIn(held []HeldPrompt, user, period string) bool {
	for _, h := range held {
		if h.User == user && h.Period == period {
			return true
		}
	}
	return false
}

// Snooze options on a prompt: "Remind me later".
type SnoozeOption string

const (
	SnoozeTwoHours SnoozeOption = "2h"
	SnoozeTomorrow SnoozeOption = "tomorrow"
	SnoozeMonday   SnoozeOption = "monday"
)

// SnoozeUntil is when a prompt snoozed at now with option o comes back, in
// loc (the person's timezone): in two hours, the next working day's
// check-in time, or next Monday's.
func (s Settings) SnoozeUntil(o SnoozeOption, now time.Time, loc *time.Location) (time.Time, error) {
	switch o {
	case SnoozeTwoHours:
		return now.Add(2 * time.Hour), nil
	case SnoozeTomorrow:
		return s.NextWorkingMorning(now, loc), nil
	case SnoozeMonday:
		return s.NextMondayMorning(now, loc), nil
	}
	return time.Time{}, Invalid("snooze", "%q is not a snooze option.", string(o))
}

// Snooze is a prompt a person asked to see again later. Key names the
// person's prompt (team, period, person); Source is the message snoozed
// from, so that a double click snoozes once.
type Snooze struct {
	Team   string
	User   string
	Period string
	Until  time.Time
	Source string // the snoozed message's ts
	N      int    // how many times this period's prompt was snoozed: each re-send is its own delivery
}

// Key names the snoozed prompt.
func (z Snooze) Key() string { return z.Team + ":" + z.Period + ":" + z.User }

// DeliveryKey is the exactly-once key of the snoozed prompt's re-send.
func (z Snooze) DeliveryKey() string { return fmt.Sprintf("snooze:%s:%d", z.Key(), z.N) }
