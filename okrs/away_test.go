package okrs_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestStatusSaysAway(t *testing.T) {
	cases := []struct {
		text, emoji string
		want        bool
	}{
		{"", ":palm_tree:", true},
		{"", ":face_with_thermometer:", true},
		{"OOO", "", true},
		{"OOO until Monday", ":calendar:", true},
		{"Out of office", "", true},
		{"out-of-office until the 4th", "", true},
		{"On vacation in Lisbon", "", true},
		{"Vacationing", "", true},
		{"Holiday!", "", true},
		{"on leave", "", true},
		{"Parental leave until March", "", true},
		{"Sick", "", true},
		{"off sick today", "", true},
		{"PTO", "", true},
		// No false alarms.
		{"In a meeting", ":calendar:", false},
		{"Lunch", ":hamburger:", false},
		{"Out to lunch", ":knife_fork_plate:", false},
		{"Commuting", ":bus:", false},
		{"Working remotely", ":house_with_garden:", false},
		{"Focus time", ":headphones:", false},
		{"Leaving at 5", "", false},
		{"Booking leave next month", "", false},
		{"Schooling the interns", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		if got := (okrs.Status{Text: c.text, Emoji: c.emoji}).SaysAway(); got != c.want {
			t.Errorf("%q %q: got %v, want %v", c.text, c.emoji, got, c.want)
		}
	}
}

func TestStatusAwayAt(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		s      okrs.Status
		away   bool
		expiry time.Time
	}{
		{"no expiration: until changed", okrs.Status{Emoji: ":palm_tree:"}, true, time.Time{}},
		{"expires later", okrs.Status{Text: "OOO", Expiration: now.Add(48 * time.Hour)}, true, now.Add(48 * time.Hour)},
		{"expired", okrs.Status{Text: "OOO", Expiration: now.Add(-time.Minute)}, false, time.Time{}},
		{"expires now", okrs.Status{Text: "OOO", Expiration: now}, false, time.Time{}},
		{"not away", okrs.Status{Text: "In a meeting", Expiration: now.Add(time.Hour)}, false, time.Time{}},
	}
	for _, c := range cases {
		a, ok := c.s.AwayAt(now)
		if ok != c.away || !a.Until.Equal(c.expiry) || ok && a.Source != okrs.AwayStatus {
			t.Errorf("%s: got %v %+v, want %v until %v", c.name, ok, a, c.away, c.expiry)
		}
	}
}

func TestParseAwayUntil(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"until 2026-12-28", time.Date(2026, 12, 28, 0, 0, 0, 0, berlin), false},
		{"2026-12-28", time.Date(2026, 12, 28, 0, 0, 0, 0, berlin), false},
		{"until Dec 28", time.Date(2026, 12, 28, 0, 0, 0, 0, berlin), false},
		{"28 January", time.Date(2027, 1, 28, 0, 0, 0, 0, berlin), false},
		{"2026-12-03", time.Date(2026, 12, 3, 0, 0, 0, 0, berlin), false},
		{"2026-12-02", time.Time{}, true}, // today: not in the future
		{"2026-11-30", time.Time{}, true}, // past
		{"2028-01-01", time.Time{}, true}, // more than a year
		{"soon", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, c := range cases {
		got, err := okrs.ParseAwayUntil(c.in, now, berlin)
		if (err != nil) != c.wantErr || !got.Equal(c.want) {
			t.Errorf("%q: got %v, %v; want %v (error %v)", c.in, got, err, c.want, c.wantErr)
		}
		if err != nil && okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("%q: error %v is not EINVALID", c.in, err)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	d := okrs.Date
	cases := []struct {
		in      string
		want    []okrs.Holiday
		wantErr bool
	}{
		{"", nil, false},
		{"2026-12-24", []okrs.Holiday{{d(2026, 12, 24), d(2026, 12, 24)}}, false},
		{"2026-12-24, 2026-12-28..2027-01-01", []okrs.Holiday{{d(2026, 12, 24), d(2026, 12, 24)}, {d(2026, 12, 28), d(2027, 1, 1)}}, false},
		{"2026-12-28 to 2027-01-01\n2027-04-02", []okrs.Holiday{{d(2026, 12, 28), d(2027, 1, 1)}, {d(2027, 4, 2), d(2027, 4, 2)}}, false},
		{"2026-12-28 - 2026-12-30", []okrs.Holiday{{d(2026, 12, 28), d(2026, 12, 30)}}, false},
		{"2026-12-28-2026-12-30", []okrs.Holiday{{d(2026, 12, 28), d(2026, 12, 30)}}, false},
		{"Christmas", nil, true},
		{"2026-13-01", nil, true},
		{"2026-12-30..2026-12-28", nil, true}, // ends before it starts
		{"2026-06-01..2026-08-31", nil, true}, // a season, not a holiday
		{"1999-12-31", nil, true},
	}
	for _, c := range cases {
		got, err := okrs.ParseHolidays(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("%q: error %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if err != nil {
			if fe := okrs.FieldErrors(err); len(fe) != 1 || fe[0].Field != "holidays" {
				t.Errorf("%q: %v is not an error on the holidays field", c.in, err)
			}
			continue
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if !got[i].From.Equal(c.want[i].From) || !got[i].To.Equal(c.want[i].To) {
				t.Errorf("%q: got %v, want %v", c.in, got, c.want)
			}
		}
		if back, err := okrs.ParseHolidays(okrs.FormatHolidays(got)); err != nil || len(back) != len(got) {
			t.Errorf("%q: formatted %q does not read back: %v", c.in, okrs.FormatHolidays(got), err)
		}
	}
	st := okrs.DefaultSettings("UTC")
	st.Holidays = []okrs.Holiday{{d(2026, 12, 30), d(2026, 12, 28)}}
	if fe := okrs.FieldErrors(st.Validate()); len(fe) != 1 || fe[0].Field != "holidays" {
		t.Errorf("Settings.Validate with a backwards holiday: got %v", fe)
	}
}

func TestHolidaysAndWorkingDays(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	st := okrs.DefaultSettings("Asia/Tokyo")
	st.Holidays, _ = okrs.ParseHolidays("2026-12-24..2026-12-25, 2026-12-28")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, tokyo) }
	cases := []struct {
		name    string
		t       time.Time
		holiday bool
		working bool
		until   time.Time
	}{
		{"the day before", at(2026, 12, 23, 10), false, true, time.Time{}},
		{"first day of a range", at(2026, 12, 24, 0), true, false, at(2026, 12, 26, 0)},
		{"last day of a range, late", at(2026, 12, 25, 23), true, false, at(2026, 12, 26, 0)},
		{"a weekend day is not a holiday but not working", at(2026, 12, 26, 10), false, false, time.Time{}},
		{"a single day", at(2026, 12, 28, 10), true, false, at(2026, 12, 29, 0)},
		{"back", at(2026, 12, 29, 9), false, true, time.Time{}},
		// 23:30 UTC on the 23rd is already the 24th in Tokyo.
		{"team timezone, not UTC", time.Date(2026, 12, 23, 23, 30, 0, 0, time.UTC), true, false, at(2026, 12, 26, 0)},
	}
	for _, c := range cases {
		a, holiday := st.HolidayAt(c.t, tokyo)
		if holiday != c.holiday || !a.Until.Equal(c.until) {
			t.Errorf("%s: holiday %v until %v, want %v until %v", c.name, holiday, a.Until, c.holiday, c.until)
		}
		if w := st.WorkingDay(c.t, tokyo); w != c.working {
			t.Errorf("%s: working day %v, want %v", c.name, w, c.working)
		}
	}
	// Tomorrow morning skips the weekend and the holidays.
	if got, want := st.NextWorkingMorning(at(2026, 12, 23, 15), tokyo), at(2026, 12, 29, 10); !got.Equal(want) {
		t.Errorf("next working morning after Dec 23: got %v, want %v", got, want)
	}
	if got, want := st.NextMondayMorning(at(2026, 12, 21, 9), tokyo), at(2026, 12, 28, 10); !got.Equal(want) {
		t.Errorf("next Monday morning from a Monday: got %v, want %v", got, want)
	}
	if st.CatchUpDue(at(2026, 12, 29, 9), tokyo) || !st.CatchUpDue(at(2026, 12, 29, 10), tokyo) || st.CatchUpDue(at(2026, 12, 28, 11), tokyo) {
		t.Error("a catch-up is due on a working day from the check-in time only")
	}
}

func TestSnoozeUntil(t *testing.T) {
	st := okrs.DefaultSettings("UTC")
	tue := time.Date(2026, 12, 1, 10, 5, 0, 0, time.UTC)
	fri := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		o    okrs.SnoozeOption
		now  time.Time
		want time.Time
	}{
		{okrs.SnoozeTwoHours, tue, tue.Add(2 * time.Hour)},
		{okrs.SnoozeTomorrow, tue, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)},
		{okrs.SnoozeTomorrow, fri, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
		{okrs.SnoozeMonday, tue, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := st.SnoozeUntil(c.o, c.now, time.UTC)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("%s from %v: got %v, %v; want %v", c.o, c.now, got, err, c.want)
		}
	}
	if _, err := st.SnoozeUntil("forever", tue, time.UTC); okrs.ErrorCode(err) != okrs.EINVALID {
		t.Errorf("an unknown option: got %v", err)
	}
	held := []okrs.HeldPrompt{{User: "U1", Period: "2026-11-30"}}
	if !okrs.AwayIn(held, "U1", "2026-11-30") || okrs.AwayIn(held, "U1", "2026-12-07") || okrs.AwayIn(held, "U2", "2026-11-30") {
		t.Error("AwayIn answers for the held person and period only")
	}
}
