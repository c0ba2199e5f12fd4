package okrs_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func TestCurrentCycleWithRecordedCycles(t *testing.T) {
	base := okrs.DefaultSettings("UTC")
	closed, ok := base.CloseCycle("2026-Q4", at(2026, time.December, 2, 9))
	if !ok {
		t.Fatal("closing 2026-Q4 on Dec 2: not closed")
	}
	if _, again := closed.CloseCycle("2026-Q4", at(2026, time.December, 2, 10)); again {
		t.Error("closing 2026-Q4 twice: closed again")
	}
	extended, err := base.ExtendCycle("2026-Q4", okrs.Date(2027, time.January, 14), at(2026, time.December, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := base.ExtendCycle("2026-Q4", okrs.Date(2027, time.February, 1), at(2026, time.December, 2, 9)); err == nil {
		t.Error("extending by 4½ weeks: no error")
	}
	half, started, err := base.StartCycle(okrs.NextCycles(base, at(2026, time.December, 2, 9))[1], at(2026, time.December, 2, 9))
	if err != nil || !started {
		t.Fatalf("starting the next half: %v %v", started, err)
	}
	if _, err := half.ExtendCycle("2026-Q4", okrs.Date(2027, time.January, 7), at(2026, time.December, 2, 9)); err == nil {
		t.Error("extending into the next half, started already: no error")
	}
	if _, again, _ := half.StartCycle(okrs.NextCycles(base, at(2026, time.December, 2, 9))[1], at(2026, time.December, 2, 9)); again {
		t.Error("starting the next half twice: started again")
	}
	tests := []struct {
		name       string
		s          okrs.Settings
		now        time.Time
		want       string
		start, end time.Time
		prev       string
	}{
		{"calendar quarter", base, at(2026, time.December, 2, 9), "2026-Q4", okrs.Date(2026, 10, 1), okrs.Date(2026, 12, 31), "2026-Q3"},
		{"closed early: before closing", closed, at(2026, time.December, 2, 8), "2026-Q4", okrs.Date(2026, 10, 1), okrs.Date(2026, 12, 2), "2026-Q3"},
		{"closed early: the next quarter starts on the closing day", closed, at(2026, time.December, 2, 10), "2027-Q1", okrs.Date(2026, 12, 2), okrs.Date(2027, 3, 31), "2026-Q4"},
		{"closed early: a week later", closed, at(2026, time.December, 9, 10), "2027-Q1", okrs.Date(2026, 12, 2), okrs.Date(2027, 3, 31), "2026-Q4"},
		{"closed early: in January", closed, at(2027, time.January, 9, 10), "2027-Q1", okrs.Date(2026, 12, 2), okrs.Date(2027, 3, 31), "2026-Q4"},
		{"extended: in the extension", extended, at(2027, time.January, 10, 10), "2026-Q4", okrs.Date(2026, 10, 1), okrs.Date(2027, 1, 14), "2026-Q3"},
		{"extended: after it", extended, at(2027, time.January, 15, 0), "2027-Q1", okrs.Date(2027, 1, 15), okrs.Date(2027, 3, 31), "2026-Q4"},
		{"next half started: it follows the quarter", half, at(2027, time.February, 1, 0), "2027-H1", okrs.Date(2027, 1, 1), okrs.Date(2027, 6, 30), "2026-Q4"},
		{"next half started: the quarter still runs", half, at(2026, time.December, 31, 23), "2026-Q4", okrs.Date(2026, 10, 1), okrs.Date(2026, 12, 31), "2026-Q3"},
	}
	for _, tt := range tests {
		c := okrs.CurrentCycle(tt.s, tt.now)
		if c.Name != tt.want || !c.Start.Equal(tt.start) || !c.End.Equal(tt.end) {
			t.Errorf("%s: got %v, want %s (%s – %s)", tt.name, c, tt.want, tt.start.Format("Jan 2 2006"), tt.end.Format("Jan 2 2006"))
		}
		if p := okrs.PreviousCycle(tt.s, tt.now); p.Name != tt.prev {
			t.Errorf("%s: previous %v, want %s", tt.name, p, tt.prev)
		}
	}
}

func TestNextCycles(t *testing.T) {
	base := okrs.DefaultSettings("UTC")
	got := okrs.NextCycles(base, at(2026, time.December, 2, 9))
	if len(got) != 2 || got[0].Name != "2027-Q1" || got[1].Name != "2027-H1" || !got[0].Start.Equal(okrs.Date(2027, 1, 1)) {
		t.Errorf("after 2026-Q4: got %v", got)
	}
	closed, _ := base.CloseCycle("2026-Q4", at(2026, time.December, 2, 9))
	got = okrs.NextCycles(closed, at(2026, time.December, 3, 9))
	if got[0].Name != "2027-Q1" || !got[0].Start.Equal(okrs.Date(2026, 12, 2)) {
		t.Errorf("after closing 2026-Q4: got %v, want 2027-Q1 from Dec 2", got)
	}
	s, ok, err := closed.StartCycle(got[0], at(2026, time.December, 3, 9))
	if err != nil || !ok {
		t.Fatalf("starting %v: %v %v", got[0], ok, err)
	}
	if c := okrs.CurrentCycle(s, at(2026, time.December, 3, 9)); c.Name != "2027-Q1" {
		t.Errorf("after starting it: current %v", c)
	}
}

func TestCycleEndsAtTeamMidnight(t *testing.T) {
	s := okrs.DefaultSettings("Europe/Berlin")
	c := okrs.CurrentCycle(s, at(2026, time.December, 31, 12))
	want := time.Date(2027, 1, 1, 0, 0, 0, 0, okrs.Location("Europe/Berlin"))
	if got := c.EndsAt(s.Location()); !got.Equal(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
