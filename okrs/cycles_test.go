package okrs_test

import (
	"strings"
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

func TestCustomCycle(t *testing.T) {
	d := okrs.Date
	tests := []struct {
		name       string
		cycle      string
		start, end time.Time
		want       string // the field of the first error; "" for none
		wantName   string
	}{
		{"a name and ten weeks", "Winter launch", d(2027, 1, 4), d(2027, 3, 14), "", "Winter launch"},
		{"spacing is tidied", "  Winter   launch ", d(2027, 1, 4), d(2027, 3, 14), "", "Winter launch"},
		{"no name", "  ", d(2027, 1, 4), d(2027, 3, 14), okrs.FieldCycleName, ""},
		{"a long name", strings.Repeat("x", okrs.MaxCycleName+1), d(2027, 1, 4), d(2027, 3, 14), okrs.FieldCycleName, ""},
		{"a pipe would break buttons", "Q1 | launch", d(2027, 1, 4), d(2027, 3, 14), okrs.FieldCycleName, ""},
		{"mrkdwn characters", "*launch*", d(2027, 1, 4), d(2027, 3, 14), okrs.FieldCycleName, ""},
		{"a quarter's name has the quarter's dates", "2027 q1", d(2027, 1, 4), d(2027, 3, 14), okrs.FieldCycleName, ""},
		{"a half's name", "H2 2027", d(2027, 7, 1), d(2027, 12, 31), okrs.FieldCycleName, ""},
		{"no start", "Launch", time.Time{}, d(2027, 3, 14), okrs.FieldCycleStart, ""},
		{"no end", "Launch", d(2027, 1, 4), time.Time{}, okrs.FieldCycleEnd, ""},
		{"ends before it starts", "Launch", d(2027, 3, 14), d(2027, 1, 4), okrs.FieldCycleEnd, ""},
		{"six days", "Launch", d(2027, 1, 4), d(2027, 1, 9), okrs.FieldCycleEnd, ""},
		{"seven days", "Launch", d(2027, 1, 4), d(2027, 1, 10), "", "Launch"},
		{"a year and a day", "Launch", d(2027, 1, 1), d(2028, 1, 1), "", "Launch"},
		{"longer than a year", "Launch", d(2027, 1, 1), d(2028, 1, 2), okrs.FieldCycleEnd, ""},
	}
	for _, tt := range tests {
		c, err := okrs.CustomCycle(tt.cycle, tt.start, tt.end)
		if got := firstField(err); got != tt.want || (err != nil) != (tt.want != "") {
			t.Errorf("%s: error %v (field %q), want field %q", tt.name, err, got, tt.want)
		}
		if tt.want == "" && c.Name != tt.wantName {
			t.Errorf("%s: name %q, want %q", tt.name, c.Name, tt.wantName)
		}
	}
}

func TestStartCustomCycle(t *testing.T) {
	d := okrs.Date
	now := at(2026, time.December, 2, 9) // in 2026-Q4, a calendar quarter
	base := okrs.DefaultSettings("UTC")
	launch := okrs.Cycle{Name: "Winter launch", Start: d(2027, 1, 4), End: d(2027, 3, 14)}
	started, ok, err := base.StartCustomCycle(launch, now, false)
	if err != nil || !ok {
		t.Fatalf("starting %v: %v %v", launch, ok, err)
	}
	if _, again, err := started.StartCustomCycle(launch, now, false); again || err != nil {
		t.Errorf("starting it twice: started %v, %v", again, err)
	}
	tests := []struct {
		name      string
		s         okrs.Settings
		c         okrs.Cycle
		objsNamed bool
		want      string
	}{
		{"before the current cycle ends", base, okrs.Cycle{Name: "Early", Start: d(2026, 12, 20), End: d(2027, 2, 28)}, false, okrs.FieldCycleStart},
		{"the day after it ends", base, okrs.Cycle{Name: "Right after", Start: d(2027, 1, 1), End: d(2027, 2, 28)}, false, ""},
		{"four weeks after it ends", base, okrs.Cycle{Name: "Later", Start: d(2027, 1, 29), End: d(2027, 3, 28)}, false, ""},
		{"more than four weeks after", base, okrs.Cycle{Name: "Much later", Start: d(2027, 1, 30), End: d(2027, 3, 28)}, false, okrs.FieldCycleStart},
		{"a name used by past objectives", base, okrs.Cycle{Name: "Sprint 9", Start: d(2027, 1, 1), End: d(2027, 2, 28)}, true, okrs.FieldCycleName},
		{"the same name, other dates", started, okrs.Cycle{Name: "winter LAUNCH", Start: d(2027, 4, 1), End: d(2027, 5, 28)}, false, okrs.FieldCycleName},
		{"another one planned already", started, okrs.Cycle{Name: "Spring", Start: d(2027, 3, 15), End: d(2027, 5, 28)}, false, okrs.FieldCycleStart},
	}
	for _, tt := range tests {
		_, _, err := tt.s.StartCustomCycle(tt.c, now, tt.objsNamed)
		if got := firstField(err); got != tt.want || (err != nil) != (tt.want != "") {
			t.Errorf("%s: error %v (field %q), want field %q", tt.name, err, got, tt.want)
		}
	}

	// The custom cycle is the current one on its days, found by any
	// spelling of its name; after it, the quarter's remainder runs until
	// another cycle is started, and the next choices skip a remainder
	// shorter than four weeks.
	in := okrs.CurrentCycle(started, at(2027, time.February, 1, 12))
	if in.Name != "Winter launch" || !in.Start.Equal(launch.Start) || !in.End.Equal(launch.End) {
		t.Errorf("on Feb 1: current %v, want %v", in, launch)
	}
	if got := okrs.CurrentCycle(started, at(2027, time.January, 2, 12)); got.Name != "2026-Q4" || !got.End.Equal(d(2027, 1, 3)) {
		t.Errorf("on Jan 2, before it starts: current %v, want 2026-Q4 stretched to Jan 3", got)
	}
	if c, err := started.CycleNamed(" winter   Launch"); err != nil || c.Name != "Winter launch" {
		t.Errorf("CycleNamed by another spelling: %v %v", c, err)
	}
	if _, err := started.CycleNamed("Summer launch"); err == nil {
		t.Error("CycleNamed of a cycle the team never had: no error")
	}
	next := okrs.NextCycles(started, at(2027, time.February, 1, 12))
	if len(next) != 2 || next[0].Name != "2027-Q2" || !next[0].Start.Equal(d(2027, 3, 15)) || !next[0].End.Equal(d(2027, 6, 30)) {
		t.Errorf("next choices during the custom cycle: %v, want 2027-Q2 from Mar 15", next)
	}
	if after := okrs.CurrentCycle(started, at(2027, time.March, 20, 12)); after.Name != "2027-Q1" || !after.Start.Equal(d(2027, 3, 15)) {
		t.Errorf("after it ends: current %v, want the rest of 2027-Q1 from Mar 15", after)
	}
}

func TestCycleChoices(t *testing.T) {
	d := okrs.Date
	base := okrs.DefaultSettings("UTC")
	launch := okrs.Cycle{Name: "Winter launch", Start: d(2027, 1, 4), End: d(2027, 3, 14)}
	started, _, err := base.StartCustomCycle(launch, at(2026, time.December, 2, 9), false)
	if err != nil {
		t.Fatal(err)
	}
	names := func(cs []okrs.Cycle) string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return strings.Join(out, ", ")
	}
	tests := []struct {
		name string
		s    okrs.Settings
		now  time.Time
		keep string
		want string
	}{
		{"calendar quarters", base, at(2026, time.December, 2, 9), "", "2026-Q3, 2026-Q4, 2027-Q1"},
		{"an objective's own older cycle first", base, at(2026, time.December, 2, 9), "2026-Q1", "2026-Q1, 2026-Q3, 2026-Q4, 2027-Q1"},
		{"a custom cycle started next", started, at(2026, time.December, 2, 9), "", "2026-Q3, 2026-Q4, Winter launch"},
		{"in the custom cycle", started, at(2027, time.February, 1, 9), "", "2026-Q4, Winter launch, 2027-Q2"},
		{"an unknown cycle to keep is left out", base, at(2026, time.December, 2, 9), "Nope", "2026-Q3, 2026-Q4, 2027-Q1"},
	}
	for _, tt := range tests {
		if got := names(okrs.CycleChoices(tt.s, tt.now, tt.keep)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

// firstField is the field of err's first field error, "" for none.
func firstField(err error) string {
	if fe := okrs.FieldErrors(err); len(fe) > 0 {
		return fe[0].Field
	}
	return ""
}
