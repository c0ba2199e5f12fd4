package okrs_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// healthObjective has ana's and ben's key results, created Oct 1, with
// check-ins at the given times.
func healthObjective(cycle string, created time.Time, ana, ben []time.Time) okrs.Objective {
	kr := func(id, owner string, at []time.Time) okrs.KeyResult {
		k := okrs.KeyResult{ID: id, Owner: owner, Kind: okrs.Increase, Start: 0, Target: 10, CreatedAt: created}
		for i, t := range at {
			k.CheckIns = append(k.CheckIns, okrs.CheckIn{KeyResultID: id, Author: owner, At: t, Value: float64(i)})
			k.LastCheckIn = t
		}
		return k
	}
	return okrs.Objective{ID: "o-" + cycle, Cycle: cycle, KeyResults: []okrs.KeyResult{kr("a-"+cycle, "UANA", ana), kr("b-"+cycle, "UBEN", ben)}}
}

func TestCycleHealth(t *testing.T) {
	s := okrs.DefaultSettings("UTC") // Mondays 10:00, nudge after a day
	q4, _ := okrs.ParseCycle("2026-Q4")
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	o := healthObjective("2026-Q4", at(10, 1, 9),
		[]time.Time{at(10, 5, 9), at(10, 13, 11), at(10, 26, 12), at(11, 2, 12)}, // on time, late, (missed), on time, on time
		[]time.Time{at(10, 5, 12), at(10, 12, 12), at(10, 19, 12), at(10, 26, 12), at(11, 2, 12), at(11, 16, 10)})
	away := func(user string, p okrs.Period) bool { return user == "UANA" && p.Key == "2026-11-09" }
	weeks := okrs.CycleHealth(s, []okrs.Objective{o}, q4, at(11, 17, 12), away, nil)
	var got []string
	for _, w := range weeks {
		got = append(got, fmt.Sprintf("%s %d/%d on time %d late %d away %d missed %d current %v", w.Period.Key, w.CheckedIn(), w.Owners, w.OnTime, w.Late, w.Away, w.Missed, w.Current))
	}
	want := []string{
		// the week of Sep 28: the key results came after its prompt
		"2026-10-05 2/2 on time 2 late 0 away 0 missed 0 current false",
		"2026-10-12 2/2 on time 1 late 1 away 0 missed 0 current false",
		"2026-10-19 1/2 on time 1 late 0 away 0 missed 1 current false",
		"2026-10-26 2/2 on time 2 late 0 away 0 missed 0 current false",
		"2026-11-02 2/2 on time 2 late 0 away 0 missed 0 current false",
		"2026-11-09 0/2 on time 0 late 0 away 1 missed 1 current false",
		"2026-11-16 1/2 on time 1 late 0 away 0 missed 1 current true",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("health:\n%v\nwant\n%v", got, want)
	}
	if r := weeks[2].Rate(); r != 0.5 {
		t.Errorf("Oct 19's rate %v, want 0.5", r)
	}
	if r := weeks[5].Rate(); r != 0 {
		t.Errorf("Nov 9's rate %v, want 0 (ana away: 0 of 1)", r)
	}
	if r := (okrs.WeekHealth{Owners: 1, Away: 1}).Rate(); r != -1 {
		t.Errorf("everyone away: rate %v, want -1", r)
	}
	// On each owner's own clock: ben, in Los Angeles, checked in on
	// Tuesday Oct 13 at 11:00 UTC (04:00 his time), before his own nudge
	// (10:00 his time); ana's is at 10:00 UTC. Without OwnerLocalTime,
	// everyone is on the team's clock.
	la, _ := time.LoadLocation("America/Los_Angeles")
	clock := func(u string) *time.Location {
		if u == "UBEN" {
			return la
		}
		return nil
	}
	late := healthObjective("2026-Q4", at(10, 1, 9), []time.Time{at(10, 13, 11)}, []time.Time{at(10, 13, 11)})
	if w := okrs.CycleHealth(s, []okrs.Objective{late}, q4, at(10, 20, 12), nil, clock)[1]; w.OnTime != 1 || w.Late != 1 {
		t.Errorf("own clocks: Oct 12 %+v, want ben on time and ana late", w)
	}
	teamClock := s
	teamClock.OwnerLocalTime = false
	if w := okrs.CycleHealth(teamClock, []okrs.Objective{late}, q4, at(10, 20, 12), nil, clock)[1]; w.OnTime != 0 || w.Late != 2 {
		t.Errorf("the team's clock: Oct 12 %+v, want both late", w)
	}
	// With nudges off, a check-in any time in the week is on time.
	s.NudgeAfter = 0
	if w := okrs.CycleHealth(s, []okrs.Objective{o}, q4, at(11, 17, 12), nil, nil)[1]; w.OnTime != 2 || w.Late != 0 {
		t.Errorf("no nudges: Oct 12 %+v, want both on time", w)
	}
}

func TestPersonStreak(t *testing.T) {
	s := okrs.DefaultSettings("UTC")
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	q3, _ := okrs.ParseCycle("2026-Q3")
	q4, _ := okrs.ParseCycle("2026-Q4")
	var weekly []time.Time
	for d := at(2026, 9, 7, 12); d.Before(at(2026, 11, 17, 0)); d = d.AddDate(0, 0, 7) {
		weekly = append(weekly, d)
	}
	past := healthObjective("2026-Q3", at(2026, 7, 1, 9), []time.Time{at(2026, 9, 7, 12), at(2026, 9, 14, 12), at(2026, 9, 21, 12), at(2026, 9, 28, 12)}, nil)
	cur := healthObjective("2026-Q4", at(2026, 10, 1, 9), weekly[4:], nil) // from Oct 5, every Monday
	cycles := []okrs.CycleObjectives{{Cycle: q4, Objectives: []okrs.Objective{cur}}, {Cycle: q3, Objectives: []okrs.Objective{past}}}
	gap := healthObjective("2026-Q4", at(2026, 10, 1, 9), []time.Time{at(2026, 10, 5, 12), at(2026, 10, 12, 12), at(2026, 10, 26, 12), at(2026, 11, 2, 12), at(2026, 11, 9, 12), at(2026, 11, 16, 12)}, nil)
	tests := []struct {
		name   string
		cycles []okrs.CycleObjectives
		now    time.Time
		away   okrs.AwayFunc
		want   int
	}{
		// Q3: Sep 7–28 (4), Q4: Oct 5 – Nov 16 (7); the Sep 28 week's
		// prompt is in Q3, so it counts Q3's key result.
		{"across the cycle boundary", cycles, at(2026, 11, 16, 18), nil, 11},
		{"not yet this week: up to last week", cycles, at(2026, 11, 23, 9), nil, 11},
		{"a missed week ends it", []okrs.CycleObjectives{{Cycle: q4, Objectives: []okrs.Objective{gap}}}, at(2026, 11, 16, 18), nil, 4},
		{"an away week keeps it", []okrs.CycleObjectives{{Cycle: q4, Objectives: []okrs.Objective{gap}}}, at(2026, 11, 16, 18),
			func(u string, p okrs.Period) bool { return p.Key == "2026-10-19" }, 6},
		{"no key results", nil, at(2026, 11, 16, 18), nil, 0},
		{"missed last week", cycles, at(2026, 11, 30, 9), nil, 0},
	}
	for _, tt := range tests {
		if got := okrs.PersonStreak(s, "UANA", tt.cycles, tt.now, tt.away, nil); got.Periods != tt.want {
			t.Errorf("%s: streak %d, want %d", tt.name, got.Periods, tt.want)
		}
	}
	if got := okrs.PersonStreak(s, "UBEN", cycles, at(2026, 11, 16, 18), nil, nil); got.Periods != 0 {
		t.Errorf("ben, who never checked in: streak %d", got.Periods)
	}
}
