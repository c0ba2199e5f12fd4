package okrs_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPlanWeeklyInThreeTimezones(t *testing.T) {
	s := okrs.DefaultSettings("UTC") // Monday 10:00, weekly, nudge after 24 h
	tests := []struct {
		tz         string
		at         time.Time // any instant of the week
		prompt     string    // RFC 3339, local
		nudge      string
		periodKey  string
		utcPrompts string // the prompt in UTC
	}{
		{"America/Los_Angeles", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC), "2026-11-16T10:00:00-08:00", "2026-11-17T10:00:00-08:00", "2026-11-16", "2026-11-16T18:00:00Z"},
		{"Europe/Berlin", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC), "2026-11-16T10:00:00+01:00", "2026-11-17T10:00:00+01:00", "2026-11-16", "2026-11-16T09:00:00Z"},
		{"Asia/Kolkata", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC), "2026-11-16T10:00:00+05:30", "2026-11-17T10:00:00+05:30", "2026-11-16", "2026-11-16T04:30:00Z"},
		// Sunday 23:30 in Berlin is still the week of Monday the 16th there,
		// while it is already Monday the 23rd in Kolkata.
		{"Europe/Berlin", time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC), "2026-11-16T10:00:00+01:00", "2026-11-17T10:00:00+01:00", "2026-11-16", "2026-11-16T09:00:00Z"},
		{"Asia/Kolkata", time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC), "2026-11-23T10:00:00+05:30", "2026-11-24T10:00:00+05:30", "2026-11-23", "2026-11-23T04:30:00Z"},
	}
	for _, tt := range tests {
		p := okrs.PlanAt(s, mustLoc(t, tt.tz), tt.at)
		if got := p.PromptAt.Format(time.RFC3339); got != tt.prompt {
			t.Errorf("%s at %v: prompt %s, want %s", tt.tz, tt.at, got, tt.prompt)
		}
		if got := p.NudgeAt.Format(time.RFC3339); got != tt.nudge {
			t.Errorf("%s at %v: nudge %s, want %s", tt.tz, tt.at, got, tt.nudge)
		}
		if p.Period.Key != tt.periodKey || !p.Period.Contains(tt.at) {
			t.Errorf("%s at %v: period %+v, want key %s containing it", tt.tz, tt.at, p.Period, tt.periodKey)
		}
		if got := p.PromptAt.UTC().Format(time.RFC3339); got != tt.utcPrompts {
			t.Errorf("%s: prompt in UTC %s, want %s", tt.tz, got, tt.utcPrompts)
		}
	}
}

func TestPlanAcrossDaylightSaving(t *testing.T) {
	s := okrs.DefaultSettings("UTC")
	tests := []struct {
		tz string
		// Europe switches back on Sunday Oct 25 2026, the US on Sunday Nov 1.
		before, after time.Time
		offBefore     int // UTC offset in hours of the prompt before and after
		offAfter      int
	}{
		{"Europe/Berlin", time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC), time.Date(2026, 10, 27, 12, 0, 0, 0, time.UTC), 2, 1},
		{"America/Los_Angeles", time.Date(2026, 10, 27, 20, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 20, 0, 0, 0, time.UTC), -7, -8},
		// And forward in spring: Berlin Mar 29 2026, Los Angeles Mar 8 2026.
		{"Europe/Berlin", time.Date(2026, 3, 24, 12, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC), 1, 2},
		{"America/Los_Angeles", time.Date(2026, 3, 3, 20, 0, 0, 0, time.UTC), time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC), -8, -7},
	}
	for _, tt := range tests {
		loc := mustLoc(t, tt.tz)
		for i, at := range []time.Time{tt.before, tt.after} {
			p := okrs.PlanAt(s, loc, at)
			local := p.PromptAt.In(loc)
			_, off := local.Zone()
			want := []int{tt.offBefore, tt.offAfter}[i]
			if local.Hour() != 10 || local.Minute() != 0 || local.Weekday() != time.Monday || off != want*3600 {
				t.Errorf("%s at %v: prompt %v (offset %d h), want Monday 10:00 at offset %d h", tt.tz, at, local, off/3600, want)
			}
		}
		// The week that contains the switch is still 7 calendar days long.
		p := okrs.PlanAt(s, loc, tt.after.AddDate(0, 0, -7))
		if d := p.Period.End.In(loc).Sub(p.Period.Start.In(loc)); d < 167*time.Hour || d > 169*time.Hour {
			t.Errorf("%s: the DST week is %v long", tt.tz, d)
		}
	}
}

func TestPlanBiweekly(t *testing.T) {
	s := okrs.DefaultSettings("UTC")
	s.Cadence = okrs.Biweekly
	s.Anchor = okrs.Date(2026, 11, 2) // a Monday: fortnights start Nov 2, Nov 16, Nov 30…
	s.PromptDay, s.PromptTime = time.Wednesday, okrs.TimeOfDay{Hour: 9, Minute: 30}
	loc := mustLoc(t, "Europe/Berlin")
	tests := []struct {
		at     time.Time
		key    string
		prompt string
	}{
		{time.Date(2026, 11, 16, 0, 30, 0, 0, loc), "2026-11-16", "2026-11-18T09:30:00+01:00"},
		{time.Date(2026, 11, 25, 12, 0, 0, 0, loc), "2026-11-16", "2026-11-18T09:30:00+01:00"},
		{time.Date(2026, 11, 29, 23, 59, 0, 0, loc), "2026-11-16", "2026-11-18T09:30:00+01:00"},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, loc), "2026-11-30", "2026-12-02T09:30:00+01:00"},
		{time.Date(2026, 11, 10, 8, 0, 0, 0, loc), "2026-11-02", "2026-11-04T09:30:00+01:00"},
		// An anchor long ago and far ahead count the same fortnights.
		{time.Date(2027, 1, 13, 8, 0, 0, 0, loc), "2027-01-11", "2027-01-13T09:30:00+01:00"},
	}
	for _, tt := range tests {
		p := okrs.PlanAt(s, loc, tt.at)
		if p.Period.Key != tt.key || p.PromptAt.Format(time.RFC3339) != tt.prompt {
			t.Errorf("at %v: period %s prompt %s, want %s %s", tt.at, p.Period.Key, p.PromptAt.Format(time.RFC3339), tt.key, tt.prompt)
		}
		if !p.Period.Contains(tt.at) {
			t.Errorf("at %v: period %v–%v does not contain it", tt.at, p.Period.Start, p.Period.End)
		}
	}
	s.Anchor = okrs.Date(2020, 1, 6) // a Monday 46 fortnights earlier … and then some
	if a, b := okrs.PlanAt(s, loc, time.Date(2026, 11, 25, 12, 0, 0, 0, loc)), okrs.PlanAt(s, loc, time.Date(2026, 11, 25, 12, 0, 0, 0, loc).AddDate(0, 0, 14)); a.Period.End != b.Period.Start {
		t.Errorf("consecutive fortnights do not meet: %v then %v", a.Period, b.Period)
	}
}

func TestPlanNudge(t *testing.T) {
	s := okrs.DefaultSettings("UTC")
	s.PromptDay = time.Sunday // the last day of the week
	s.NudgeAfter = 24 * time.Hour
	p := okrs.PlanAt(s, time.UTC, time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC))
	if !p.NudgeAt.IsZero() {
		t.Errorf("a nudge after the period ends: %v", p.NudgeAt)
	}
	s.NudgeAfter = 0
	s.PromptDay = time.Monday
	if p := okrs.PlanAt(s, time.UTC, time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)); !p.NudgeAt.IsZero() {
		t.Errorf("nudges off, yet NudgeAt = %v", p.NudgeAt)
	}
}

// TestCurrentCycleAtAQuarterBoundary: at one instant near New Year, teams in
// different timezones are in different quarters, each by its own clock, and
// the answer does not depend on the timezone of whoever asks.
func TestCurrentCycleAtAQuarterBoundary(t *testing.T) {
	now := time.Date(2026, 12, 31, 20, 30, 0, 0, time.UTC)
	for _, tt := range []struct {
		tz, want string
	}{
		{"Asia/Tokyo", "2027-Q1"},          // 05:30 on January 1
		{"Asia/Kolkata", "2027-Q1"},        // 02:00 on January 1
		{"Europe/Berlin", "2026-Q4"},       // 21:30 on December 31
		{"America/Los_Angeles", "2026-Q4"}, // 12:30 on December 31
		{"", "2026-Q4"},                    // no timezone: UTC
	} {
		s := okrs.DefaultSettings(tt.tz)
		for _, asker := range []string{"UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"} {
			if got := okrs.CurrentCycle(s, now.In(mustLoc(t, asker))); got.Name != tt.want {
				t.Errorf("team in %q, asked from %s: %s, want %s", tt.tz, asker, got.Name, tt.want)
			}
		}
	}
}
