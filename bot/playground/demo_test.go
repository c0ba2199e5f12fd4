package playground

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// Titles of the key results the story is about.
const (
	demoLatency   = "Reduce P99 latency of payment processing from 400 ms to 280 ms"
	demoDeploys   = "Increase deployment frequency to daily"
	demoRollbacks = "Reduce rollback rate to under 1%"
	demoUptime    = "Keep checkout uptime at or above 99.9%"
	demoMTTA      = "Bring mean time to acknowledge a page from 12 to 5 minutes"
	demoRunbooks  = "Runbooks for every critical alert"
	demoTTFV      = "Cut time to first value from 3 days to 1 day"
	demoNPS       = "Raise onboarding NPS from 20 to 40"
)

// demoNow is a Wednesday afternoon in week 8 of 2026-Q4.
var demoNow = time.Date(2026, time.November, 25, 15, 0, 0, 0, time.UTC)

// demoTeamState is a team as the store has it after the demo was seeded.
type demoTeamState struct {
	settings   okrs.Settings
	cycle      okrs.Cycle
	objectives []okrs.Objective // with every check-in
}

// seedDemoAt seeds the demo as of now into a store of the test's own and
// reads it back, by team channel.
func seedDemoAt(t *testing.T, now time.Time) map[string]demoTeamState {
	t.Helper()
	st, _ := storetest.Store(t)
	if err := SeedDemo(context.Background(), st, now); err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	return loadDemo(t, st, now)
}

func loadDemo(t *testing.T, st *store.Store, now time.Time) map[string]demoTeamState {
	t.Helper()
	ctx := context.Background()
	teams, err := st.Teams(ctx, Acme)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{Growth, Payments}; !reflect.DeepEqual(teams, want) {
		t.Fatalf("teams = %v, want %v", teams, want)
	}
	out := map[string]demoTeamState{}
	for _, team := range teams {
		s, err := st.Settings(ctx, Acme, team)
		if err != nil {
			t.Fatalf("settings of %s: %v", team, err)
		}
		c := okrs.CurrentCycle(s, now)
		objs, err := st.TeamObjectives(ctx, Acme, team, c.Name, -1)
		if err != nil {
			t.Fatal(err)
		}
		out[team] = demoTeamState{settings: s, cycle: c, objectives: objs}
	}
	return out
}

// demoFind returns the key result with the given title and its team.
func demoFind(t *testing.T, teams map[string]demoTeamState, title string) (*okrs.KeyResult, demoTeamState) {
	t.Helper()
	for _, ts := range teams {
		for i := range ts.objectives {
			for j := range ts.objectives[i].KeyResults {
				if kr := &ts.objectives[i].KeyResults[j]; kr.Title == title {
					return kr, ts
				}
			}
		}
	}
	t.Fatalf("no key result %q", title)
	return nil, demoTeamState{}
}

// demoCycleStart is the first instant of the team's cycle, in its timezone.
func demoCycleStart(ts demoTeamState) time.Time {
	d := ts.cycle.Start
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, ts.settings.Location())
}

// checkDemoHistory checks what holds whenever the demo is seeded: the
// teams' settings and objectives, and every check-in by the key result's
// owner, on a Monday or Tuesday in their working hours, one a week, within
// the cycle and not after now. It returns how many check-ins each key
// result has, by title.
func checkDemoHistory(t *testing.T, teams map[string]demoTeamState, now time.Time) map[string]int {
	t.Helper()
	pay, growth := teams[Payments], teams[Growth]
	if s := pay.settings; s.Timezone != "Europe/Berlin" || !reflect.DeepEqual(s.Managers, []string{Ana}) || !s.PostCheckIns || s.Cadence != okrs.Weekly {
		t.Errorf("payments settings = %+v", s)
	}
	if s := growth.settings; s.Timezone != "Asia/Tokyo" || !reflect.DeepEqual(s.Managers, []string{Emi}) || s.Cadence != okrs.Weekly {
		t.Errorf("growth settings = %+v", s)
	}
	want := map[string][]string{
		Payments: {"Make payments fast and boringly reliable", "Make on-call sustainable"},
		Growth:   {"Delight new customers in their first week"},
	}
	counts := map[string]int{}
	for team, titles := range want {
		ts := teams[team]
		if len(ts.objectives) != len(titles) {
			t.Fatalf("%s has %d objectives in %s, want %d", team, len(ts.objectives), ts.cycle.Name, len(titles))
		}
		start := demoCycleStart(ts)
		created := now.Add(-8 * 7 * 24 * time.Hour)
		if created.Before(start) {
			created = start
		}
		for i, o := range ts.objectives {
			if o.Title != titles[i] || o.Cycle != ts.cycle.Name || o.Team != team {
				t.Errorf("%s objective %d = %q in %s", team, i, o.Title, o.Cycle)
			}
			if o.CreatedAt.Before(created) || o.CreatedAt.After(created.Add(5*time.Minute)) || o.CreatedAt.After(now) {
				t.Errorf("%q created at %v, want at %v", o.Title, o.CreatedAt, created)
			}
			for _, kr := range o.KeyResults {
				counts[kr.Title] = len(kr.CheckIns)
				checkDemoCheckIns(t, ts, o, kr, now)
			}
		}
	}
	if len(counts) != 10 {
		t.Errorf("%d key results, want 10", len(counts))
	}
	return counts
}

func checkDemoCheckIns(t *testing.T, ts demoTeamState, o okrs.Objective, kr okrs.KeyResult, now time.Time) {
	t.Helper()
	loc := demoLocation(kr.Owner)
	start := demoCycleStart(ts)
	weeks := map[string]bool{}
	for i, ci := range kr.CheckIns {
		local := ci.At.In(loc)
		switch {
		case ci.Author != kr.Owner:
			t.Errorf("%q: check-in by %s, owner %s", kr.Title, ci.Author, kr.Owner)
		case ci.At.Before(start) || ci.At.Before(o.CreatedAt):
			t.Errorf("%q: check-in at %v, before the cycle's start %v or the objective", kr.Title, ci.At, start)
		case ci.At.After(now):
			t.Errorf("%q: check-in at %v, after now %v", kr.Title, ci.At, now)
		case local.Weekday() != time.Monday && local.Weekday() != time.Tuesday:
			t.Errorf("%q: check-in on a %v", kr.Title, local.Weekday())
		case local.Hour() < 9 || local.Hour() >= 17:
			t.Errorf("%q: check-in at %v local time, outside working hours", kr.Title, local.Format("15:04"))
		case i > 0 && !ci.At.Before(kr.CheckIns[i-1].At):
			t.Errorf("%q: check-ins not newest first", kr.Title)
		}
		if err := ci.Validate(&kr); err != nil {
			t.Errorf("%q: %v", kr.Title, err)
		}
		week := okrs.PlanAt(ts.settings, loc, ci.At).Period.Key
		if weeks[week] {
			t.Errorf("%q: two check-ins in the week of %s", kr.Title, week)
		}
		weeks[week] = true
	}
	if len(kr.CheckIns) > 0 {
		if last := kr.CheckIns[0]; kr.Current != last.Value || kr.LastAuthor != kr.Owner || !kr.LastCheckIn.Equal(last.At) {
			t.Errorf("%q: live state %v by %s at %v, newest check-in %v at %v", kr.Title, kr.Current, kr.LastAuthor, kr.LastCheckIn, last.Value, last.At)
		}
	} else if kr.Current != kr.Start {
		t.Errorf("%q: current %v without check-ins, start %v", kr.Title, kr.Current, kr.Start)
	}
}

// checkDemoMissing checks that every owner but demoLate has checked in on
// all their key results this week (their own week, as the scheduler sees
// it) and that demoLate has not.
func checkDemoMissing(t *testing.T, teams map[string]demoTeamState, now time.Time) {
	t.Helper()
	owned := map[string][]*okrs.KeyResult{}
	var s okrs.Settings
	for _, ts := range teams {
		s = ts.settings
		for i := range ts.objectives {
			for j := range ts.objectives[i].KeyResults {
				kr := &ts.objectives[i].KeyResults[j]
				owned[kr.Owner] = append(owned[kr.Owner], kr)
			}
		}
	}
	for owner, krs := range owned {
		p := okrs.PlanAt(s, demoLocation(owner), now).Period
		if got, want := okrs.CheckedIn(krs, p), owner != demoLate; got != want {
			t.Errorf("%s checked in this week (%s): %v, want %v", owner, p.Key, got, want)
		}
	}
}

// checkDemoConfidence checks that every key result's confidence matches
// its pace at now: on track when ahead or on pace, at risk or off track
// when behind.
func checkDemoConfidence(t *testing.T, teams map[string]demoTeamState, now time.Time) {
	t.Helper()
	for _, ts := range teams {
		for _, o := range ts.objectives {
			for _, kr := range o.KeyResults {
				if kr.Confidence.Level == "" {
					continue
				}
				pace := kr.Pace(ts.cycle, now.In(ts.settings.Location()))
				if onTrack := kr.Confidence.Level == okrs.OnTrack; onTrack != (pace != okrs.Behind) {
					t.Errorf("%q is %s but %s at %v", kr.Title, kr.Confidence.Level.Label(), pace.Label(), now)
				}
			}
		}
	}
}

// checkDemoPace checks a key result's pace and confidence at now.
func checkDemoPace(t *testing.T, teams map[string]demoTeamState, title string, now time.Time, pace okrs.Pace, level okrs.Level) {
	t.Helper()
	kr, ts := demoFind(t, teams, title)
	if got := kr.Pace(ts.cycle, now.In(ts.settings.Location())); got != pace || kr.Confidence.Level != level {
		t.Errorf("%q: %s and %s (at %.0f%%, expected %.0f%%), want %s and %s", title, got.Label(), kr.Confidence.Level.Label(),
			100*kr.Progress(), 100*kr.Expected(ts.cycle, now), pace.Label(), level.Label())
	}
}

func TestDemoQuarter(t *testing.T) {
	now := demoNow
	teams := seedDemoAt(t, now)
	for team, ts := range teams {
		if ts.cycle.Name != "2026-Q4" {
			t.Errorf("%s is in cycle %s, want 2026-Q4", team, ts.cycle.Name)
		}
		if got, want := ts.objectives[0].CreatedAt, demoCycleStart(ts); !got.Equal(want) {
			t.Errorf("%s's first objective created at %v, want the cycle's start %v", team, got, want)
		}
	}
	for title, n := range checkDemoHistory(t, teams, now) {
		kr, _ := demoFind(t, teams, title)
		want := 8
		if kr.Owner == demoLate {
			want = 7 // none yet this week
		}
		if n != want {
			t.Errorf("%q has %d check-ins, want %d", title, n, want)
		}
	}
	checkDemoMissing(t, teams, now)
	checkDemoConfidence(t, teams, now)

	// The story.
	checkDemoPace(t, teams, demoDeploys, now, okrs.Ahead, okrs.OnTrack)
	checkDemoPace(t, teams, demoLatency, now, okrs.Behind, okrs.AtRisk)
	checkDemoPace(t, teams, demoTTFV, now, okrs.Behind, okrs.OffTrack)
	checkDemoPace(t, teams, demoRunbooks, now, okrs.Ahead, okrs.OnTrack)
	checkDemoPace(t, teams, demoRollbacks, now, okrs.OnPace, okrs.OnTrack)
	checkDemoPace(t, teams, demoUptime, now, okrs.OnPace, okrs.OnTrack)

	latency, _ := demoFind(t, teams, demoLatency)
	if c := latency.CheckIns[0]; !strings.Contains(c.Comment, "card network's sandbox") {
		t.Errorf("latency's latest comment = %q, want the sandbox blocker", c.Comment)
	}
	// Oldest first: week 1 is CheckIns[7].
	rollbacks, _ := demoFind(t, teams, demoRollbacks)
	for i, ci := range rollbacks.CheckIns {
		week := 8 - i
		broke := rollbacks.AchievementOf(ci.Value) < 1
		if broke != (week == 3) || week == 3 && (ci.Value != 1.4 || ci.Confidence.Level != okrs.AtRisk) {
			t.Errorf("rollback rate in week %d: %v%% (%s)", week, ci.Value, ci.Confidence.Level.Label())
		}
	}
	runbooks, _ := demoFind(t, teams, demoRunbooks)
	for i, ci := range runbooks.CheckIns {
		if week := 8 - i; (ci.Value == 1) != (week >= 6) {
			t.Errorf("runbooks in week %d: %v, want done from week 6", week, ci.Value)
		}
	}

	// Each check-in's confidence matched the pace when it was made.
	for _, ts := range teams {
		for _, o := range ts.objectives {
			for _, kr := range o.KeyResults {
				for _, ci := range kr.CheckIns {
					then := kr
					then.Current = ci.Value
					pace := then.Pace(ts.cycle, ci.At.In(ts.settings.Location()))
					if onTrack := ci.Confidence.Level == okrs.OnTrack; onTrack != (pace != okrs.Behind) {
						t.Errorf("%q at %v: %v is %s but %s", kr.Title, ci.At, ci.Value, ci.Confidence.Level.Label(), pace.Label())
					}
				}
			}
		}
	}
}

// TestDemoDigest checks that this week's digests have something to show:
// a missing check-in, key results at risk and blockers, and highlights.
func TestDemoDigest(t *testing.T) {
	teams := seedDemoAt(t, demoNow)
	for _, tc := range []struct {
		team     string
		missing  string
		atRisk   []string
		blockers []string
	}{
		{Payments, demoMTTA, []string{demoLatency}, []string{demoLatency}},
		{Growth, demoNPS, []string{demoTTFV}, []string{demoTTFV}},
	} {
		ts := teams[tc.team]
		p, _ := okrs.DigestAt(ts.settings, demoNow)
		d := okrs.ComposeDigest(tc.team, ts.objectives, ts.cycle, p, demoNow.In(ts.settings.Location()))
		if d.Empty() {
			t.Errorf("%s: empty digest", tc.team)
			continue
		}
		if len(d.Missing) != 1 || d.Missing[0].KeyResult.Title != tc.missing || d.CheckedIn != d.Owners-1 {
			t.Errorf("%s: missing %v (%d of %d owners checked in), want only %q", tc.team, digestTitles(d.Missing), d.CheckedIn, d.Owners, tc.missing)
		}
		if got := digestTitles(d.AtRisk); !reflect.DeepEqual(got, tc.atRisk) {
			t.Errorf("%s: at risk %v, want %v", tc.team, got, tc.atRisk)
		}
		var blockers []string
		for _, b := range d.Blockers {
			blockers = append(blockers, b.KeyResult)
		}
		if !reflect.DeepEqual(blockers, tc.blockers) {
			t.Errorf("%s: blockers %v, want %v", tc.team, blockers, tc.blockers)
		}
		if len(d.Highlights) == 0 {
			t.Errorf("%s: no highlights", tc.team)
		}
	}
}

func digestTitles(krs []okrs.DigestKR) []string {
	var out []string
	for _, k := range krs {
		out = append(out, k.KeyResult.Title)
	}
	return out
}

// TestDemoQuarterStart seeds the demo days after a quarter began: the
// objectives are there, with only the check-ins of the cycle's first days.
func TestDemoQuarterStart(t *testing.T) {
	now := time.Date(2026, time.October, 6, 15, 0, 0, 0, time.UTC) // Tuesday of week 1
	teams := seedDemoAt(t, now)
	total := 0
	for title, n := range checkDemoHistory(t, teams, now) {
		kr, _ := demoFind(t, teams, title)
		switch {
		case n > 1:
			t.Errorf("%q has %d check-ins in the cycle's first week", title, n)
		case kr.Owner == demoLate && n != 0:
			t.Errorf("%q has a check-in by %s, who has not checked in yet this week", title, kr.Owner)
		}
		total += n
	}
	if total == 0 {
		t.Error("no check-ins in the cycle's first week")
	}
	checkDemoMissing(t, teams, now)
	checkDemoConfidence(t, teams, now)
}

// TestDemoAnyWeek seeds the demo in the middle of each week of quarters
// that start on different weekdays and checks that the story holds
// whenever the demo starts.
func TestDemoAnyWeek(t *testing.T) {
	for _, start := range []time.Time{
		okrs.Date(2024, 1, 1),  // a Monday
		okrs.Date(2025, 7, 1),  // a Tuesday
		okrs.Date(2026, 10, 1), // a Thursday
		okrs.Date(2027, 1, 1),  // a Friday
	} {
		q := okrs.QuarterOf(start)
		first := demoFirstMonday(q)
		for week := 1; week <= 13; week++ {
			// Wednesday afternoon in Berlin, midnight in Tokyo.
			now := first.AddDate(0, 0, 7*(week-1)+2).Add(15 * time.Hour)
			if !q.Contains(now.Add(12 * time.Hour)) {
				break // in the next quarter, in Tokyo at least
			}
			t.Run(fmt.Sprintf("%s/week %d", q.Name, week), func(t *testing.T) {
				teams := seedDemoAt(t, now)
				for title, n := range checkDemoHistory(t, teams, now) {
					kr, _ := demoFind(t, teams, title)
					want := min(week, 8)
					if kr.Owner == demoLate {
						want = min(week-1, 7)
					}
					if n != want {
						t.Errorf("%q has %d check-ins, want %d", title, n, want)
					}
				}
				checkDemoMissing(t, teams, now)
				checkDemoConfidence(t, teams, now)
				if week >= 2 && week <= 11 {
					checkDemoPace(t, teams, demoDeploys, now, okrs.Ahead, okrs.OnTrack)
				}
				if week >= 4 {
					checkDemoPace(t, teams, demoLatency, now, okrs.Behind, okrs.AtRisk)
				}
				if week >= 6 {
					checkDemoPace(t, teams, demoTTFV, now, okrs.Behind, okrs.OffTrack)
				}
			})
		}
	}
}

// TestDemoConfidenceAnyTime checks, without a store, that whenever the
// demo starts every key result's latest confidence matches its pace: on
// track unless behind.
func TestDemoConfidenceAnyTime(t *testing.T) {
	for _, start := range []time.Time{okrs.Date(2025, 1, 1), okrs.Date(2025, 4, 1), okrs.Date(2025, 7, 1), okrs.Date(2025, 10, 1),
		okrs.Date(2026, 1, 1), okrs.Date(2026, 4, 1), okrs.Date(2026, 7, 1), okrs.Date(2026, 10, 1)} {
		q := okrs.QuarterOf(start)
		for now := q.Start; okrs.DateOf(now).Before(q.End); now = now.Add(7*time.Hour + 13*time.Minute) {
			for _, team := range demoTeams() {
				p, err := team.plan(now)
				if err != nil {
					t.Fatal(err)
				}
				cycle := okrs.CurrentCycle(p.settings, now)
				for _, w := range p.writes {
					for i, kr := range w.objective.KeyResults {
						cis := w.checkIns[i]
						if len(cis) == 0 {
							continue
						}
						last := cis[len(cis)-1]
						kr.Current = last.Value
						pace := kr.Pace(cycle, now.In(p.settings.Location()))
						if onTrack := last.Confidence.Level == okrs.OnTrack; onTrack != (pace != okrs.Behind) {
							t.Errorf("%v: %q is %s but %s", now, kr.Title, last.Confidence.Level.Label(), pace.Label())
						}
					}
				}
			}
		}
	}
}

// TestDemoDeterministic seeds the demo twice: the values are the same.
func TestDemoDeterministic(t *testing.T) {
	a, b := seedDemoAt(t, demoNow), seedDemoAt(t, demoNow)
	for team := range a {
		x, y := demoWithoutIDs(a[team]), demoWithoutIDs(b[team])
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s differs between two seedings:\n%+v\n%+v", team, x, y)
		}
	}
}

// demoWithoutIDs clears the ids the store gives, which are random.
func demoWithoutIDs(ts demoTeamState) demoTeamState {
	for i := range ts.objectives {
		o := &ts.objectives[i]
		o.ID = ""
		for j := range o.KeyResults {
			kr := &o.KeyResults[j]
			kr.ID, kr.ObjectiveID = "", ""
			for k := range kr.CheckIns {
				kr.CheckIns[k].ID, kr.CheckIns[k].KeyResultID = "", ""
			}
		}
	}
	return ts
}

// TestDemoStoryTable checks that every key result tells a whole quarter:
// a value and a confidence letter for each of 13 weeks, comments within
// them.
func TestDemoStoryTable(t *testing.T) {
	for _, team := range demoTeams() {
		for _, o := range team.objectives {
			for _, d := range o.krs {
				if len(d.values) != 13 || len(d.levels) != 13 {
					t.Errorf("%q: %d values and %d levels, want 13 weeks", d.kr.Title, len(d.values), len(d.levels))
				}
				for i := 0; i < len(d.levels); i++ {
					if _, ok := demoLevels[d.levels[i]]; !ok {
						t.Errorf("%q: level %q in week %d", d.kr.Title, d.levels[i], i+1)
					}
				}
				for week, c := range d.notes {
					if week < 1 || week > len(d.values) || c == "" || len([]rune(c)) > 120 {
						t.Errorf("%q: comment %q in week %d", d.kr.Title, c, week)
					}
				}
				if _, ok := demoHabits[d.kr.Owner]; !ok {
					t.Errorf("%q: owner %s has no check-in habit", d.kr.Title, d.kr.Owner)
				}
			}
		}
	}
}

// demoFakeStore records what is written to it.
type demoFakeStore struct{ writes int }

func (f *demoFakeStore) CreateObjective(context.Context, *okrs.Objective) error {
	f.writes++
	return nil
}

func (f *demoFakeStore) RecordCheckIns(_ context.Context, _ string, cis []okrs.CheckIn) ([]okrs.CheckIn, error) {
	f.writes++
	return cis, nil
}

func (f *demoFakeStore) SaveSettings(context.Context, string, string, okrs.Settings) error {
	f.writes++
	return nil
}

// TestDemoInvalid checks that an invalid objective or check-in in the
// story fails the seeding before anything is stored.
func TestDemoInvalid(t *testing.T) {
	for name, breakIt := range map[string]func(*demoKR){
		"target equals start": func(d *demoKR) { d.kr.Target = d.kr.Start },
		"no owner":            func(d *demoKR) { d.kr.Owner = "" },
		"unknown level":       func(d *demoKR) { d.levels = strings.Repeat("X", len(d.levels)) },
		"missing weeks":       func(d *demoKR) { d.values = d.values[:3] },
	} {
		t.Run(name, func(t *testing.T) {
			teams := demoTeams()
			last := &teams[len(teams)-1].objectives[0]
			breakIt(&last.krs[len(last.krs)-1])
			f := &demoFakeStore{}
			err := seedDemo(context.Background(), f, demoNow, teams)
			if err == nil {
				t.Fatal("no error")
			}
			if f.writes != 0 {
				t.Errorf("%d writes before the error %v", f.writes, err)
			}
		})
	}
	if err := SeedDemo(context.Background(), &demoFakeStore{}, demoNow); err != nil {
		t.Errorf("SeedDemo: %v", err)
	}
	// A store's failure is returned.
	boom := errors.New("boom")
	if err := seedDemo(context.Background(), demoFailingStore{boom}, demoNow, demoTeams()); !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

type demoFailingStore struct{ err error }

func (f demoFailingStore) CreateObjective(context.Context, *okrs.Objective) error { return f.err }
func (f demoFailingStore) RecordCheckIns(context.Context, string, []okrs.CheckIn) ([]okrs.CheckIn, error) {
	return nil, f.err
}
func (f demoFailingStore) SaveSettings(context.Context, string, string, okrs.Settings) error {
	return f.err
}
