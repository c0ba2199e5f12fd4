package playground

import (
	"context"
	"fmt"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// DemoStore is what the demo needs from package store.
type DemoStore interface {
	CreateObjective(ctx context.Context, o *okrs.Objective) error
	RecordCheckIns(ctx context.Context, workspace string, checkIns []okrs.CheckIn) ([]okrs.CheckIn, error)
	SaveSettings(ctx context.Context, workspace, team string, s okrs.Settings) error
}

// demoWeeks is how many weeks of check-ins the demo goes back.
const demoWeeks = 8

// demoLate is the owner who has not checked in yet this week: the digest
// has a missing check-in to show, and whoever tries the demo as Ana (the
// first person the page offers) finds check-ins waiting for them.
const demoLate = Ana

// SeedDemo writes a realistic quarter for Acme as of now: objectives with
// their key results in the current cycle of each team (okrs.CurrentCycle of
// the team's settings at now), created at the cycle's start (or eight weeks
// before now, whichever is later), and eight weeks of weekly check-ins (one
// per key result per week, by its owner, on each week's Monday or Tuesday in
// the owner's working hours, values moving believably towards or away from
// the targets, confidence levels that match the pace, with short real-style
// comments on some of them, including a blocker or two on key results at
// risk). Check-ins are never in the future.
//
// The story is told by the week of the cycle (see demoKR), so it reads the
// same whenever the demo starts: the deployment frequency is ahead, the P99
// latency behind and at risk, waiting on the card network's sandbox, the
// time to first value off track, the rollback rate broke its threshold in
// week 3 and recovered, the runbooks were done in week 6, and Ana has not
// checked in this week. Nothing is random: the same now seeds the same data.
func SeedDemo(ctx context.Context, st DemoStore, now time.Time) error {
	return seedDemo(ctx, st, now, demoTeams())
}

// seedDemo checks every team's objectives and check-ins first, then
// stores them: an invalid story stores nothing.
func seedDemo(ctx context.Context, st DemoStore, now time.Time, teams []demoTeam) error {
	plans := make([]demoPlan, len(teams))
	for i, t := range teams {
		p, err := t.plan(now)
		if err != nil {
			return err
		}
		plans[i] = p
	}
	for _, p := range plans {
		if err := p.store(ctx, st); err != nil {
			return err
		}
	}
	return nil
}

// A demoTeam is one team channel of the demo with its settings and
// objectives.
type demoTeam struct {
	channel    string
	settings   okrs.Settings
	objectives []demoObjective
}

// A demoObjective is an objective of the demo with its key results.
type demoObjective struct {
	title, description, owner string
	krs                       []demoKR
}

// A demoKR is a key result with its story: what its owner reports at the
// check-in of each week of the cycle. Week 1 is the first week (Monday to
// Sunday) that starts within the cycle; weeks past the end of the story
// repeat its last week.
type demoKR struct {
	kr     okrs.KeyResult
	values []float64      // week 1 first
	levels string         // one letter a week, week 1 first: G on track, A at risk, R off track
	notes  map[int]string // comments, by week
}

// demoLevels reads the letters of demoKR.levels, traffic-light style.
var demoLevels = map[byte]okrs.Level{'G': okrs.OnTrack, 'A': okrs.AtRisk, 'R': okrs.OffTrack}

// demoHabit is when an owner usually checks in, on their own wall clock:
// on Monday at a time of day, on Tuesday every third week (from phase), and
// up to an hour earlier or later from week to week.
type demoHabit struct {
	at    okrs.TimeOfDay
	phase int
}

var demoHabits = map[string]demoHabit{
	Ana:   {okrs.TimeOfDay{Hour: 9, Minute: 40}, 0},
	Ben:   {okrs.TimeOfDay{Hour: 10, Minute: 20}, 1},
	Chidi: {okrs.TimeOfDay{Hour: 11, Minute: 10}, 2},
	Devi:  {okrs.TimeOfDay{Hour: 14, Minute: 30}, 3},
	Emi:   {okrs.TimeOfDay{Hour: 9, Minute: 25}, 4},
}

// demoDrift is how many minutes a check-in strays from the owner's habit,
// week by week.
var demoDrift = []int{0, 35, -25, 50, 10, -15, 25}

// demoTeams returns the demo's teams and their story.
func demoTeams() []demoTeam {
	payments := okrs.DefaultSettings("Europe/Berlin")
	payments.Managers = []string{Ana}
	payments.PostCheckIns = true
	growth := okrs.DefaultSettings("Asia/Tokyo")
	growth.Managers = []string{Emi}

	return []demoTeam{{
		channel:  Payments,
		settings: payments,
		objectives: []demoObjective{{
			title:       "Make payments fast and boringly reliable",
			description: "Every slow or failed payment is a customer who may not come back.",
			owner:       Ana,
			krs: []demoKR{{
				kr: okrs.KeyResult{Title: "Reduce P99 latency of payment processing from 400 ms to 280 ms", Owner: Ben,
					Kind: okrs.Decrease, UnitLabel: "ms", Start: 400, Target: 280},
				values: []float64{392, 382, 373, 385, 378, 370, 362, 354, 345, 333, 322, 312, 303},
				levels: "GGGAAAAAAAAAA",
				notes: map[int]string{
					1:  "Resized the connection pool: the easy win is in.",
					2:  "Caching BIN lookups took another 10 ms off.",
					3:  "Batched the fraud calls: 9 ms. The big win left needs the card network's new API.",
					4:  "Risk's new fraud rules added 12 ms, and the big fix waits on the card network's sandbox.",
					5:  "Waiting on the card network's sandbox to try the new API.",
					6:  "Tuned the database pool while we wait. Still no sandbox.",
					8:  "Waiting on the card network's sandbox. Escalated through our account manager.",
					9:  "Sandbox access came through; the tokenization change is in review.",
					10: "New tokenization is live for a fifth of traffic.",
					12: "Rolling out region by region, Asia last.",
					13: "Live everywhere: 303 ms. Short of 280, but moving the right way.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Increase deployment frequency to daily", Owner: Chidi,
					Kind: okrs.Increase, UnitLabel: "deploys/week", Start: 2, Target: 5},
				values: []float64{2.5, 3.5, 3.5, 4, 4, 4.5, 4.5, 4.5, 5, 5, 5.5, 5.5, 6},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					1:  "Deploys wait on flaky tests and on someone eyeballing the canary.",
					2:  "Quarantined the flaky tests: CI is green most mornings now.",
					4:  "Merges deploy from the queue without anyone pressing a button.",
					6:  "Canary analysis is automatic, so no more waiting for someone to eyeball graphs.",
					7:  "Friday deploys are boring now. Boring is good.",
					8:  "4.5 a week on average: daily is within reach.",
					9:  "Five a week. Daily deploys are the new normal.",
					11: "Small PRs ship on their own; we are past the target.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Reduce rollback rate to under 1%", Owner: Devi,
					Kind: okrs.StayBelow, Unit: okrs.Percent, Start: 0.8, Target: 1},
				values: []float64{0.8, 0.9, 1.4, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.4, 0.4, 0.3, 0.3},
				levels: "GGAGGGGGGGGGG",
				notes: map[int]string{
					1: "0.8% over the last four weeks, against a budget of 1%.",
					3: "Two rollbacks from the config migration put us at 1.4%. Adding a config check to the pipeline.",
					4: "The config check is in and we are back under 1%.",
					8: "Canaries catch bad builds before anyone has to roll back.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Keep checkout uptime at or above 99.9%", Owner: Ben,
					Kind: okrs.StayAbove, Unit: okrs.Percent, Start: 99.95, Target: 99.9},
				values: []float64{99.95, 99.97, 99.93, 99.96, 99.98, 99.94, 99.97, 99.96, 99.97, 99.98, 99.95, 99.97, 99.98},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					3: "The config migration cost checkout 12 minutes; 99.93% for the quarter so far.",
					6: "A five-minute DNS blip at our provider.",
				},
			}},
		}, {
			title:       "Make on-call sustainable",
			description: "Fewer, better pages, answered quickly, each with a runbook.",
			owner:       Chidi,
			krs: []demoKR{{
				kr: okrs.KeyResult{Title: "Cut pages per week from 30 to 10", Owner: Chidi,
					Kind: okrs.Decrease, UnitLabel: "pages/week", Start: 30, Target: 10},
				values: []float64{28, 27, 31, 24, 22, 20, 19, 17, 16, 14, 13, 11, 10},
				levels: "GGAGGGGGGGGGG",
				notes: map[int]string{
					1:  "28 pages in the first week, 11 of them at night.",
					3:  "31 pages, most from the config migration. Reviewing every alert that fired.",
					4:  "Deleted the disk-space alerts nobody ever acted on.",
					6:  "Merged the duplicate ledger alerts.",
					8:  "17 pages, and only two at night.",
					10: "We page on customer-facing symptoms only now.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Bring mean time to acknowledge a page from 12 to 5 minutes", Owner: Ana,
					Kind: okrs.Decrease, UnitLabel: "min", Start: 12, Target: 5},
				values: []float64{11.1, 10.6, 10, 9.5, 8.9, 8.4, 7.8, 7.3, 6.7, 6.2, 5.6, 5.1, 4.9},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					2: "Escalating after five minutes instead of fifteen.",
					4: "Pages reach phones now, not just email.",
					7: "Fewer pages, so people look at the ones that come.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Runbooks for every critical alert", Owner: Devi,
					Kind: okrs.Milestone},
				values: []float64{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					1:  "18 critical alerts, 4 of them with runbooks.",
					3:  "10 of 18 written.",
					5:  "16 of 18; the last two need the ledger team.",
					6:  "Done: every critical alert links to its runbook.",
					10: "An alert cannot be marked critical without a runbook any more.",
				},
			}},
		}},
	}, {
		channel:  Growth,
		settings: growth,
		objectives: []demoObjective{{
			title:       "Delight new customers in their first week",
			description: "New customers should get value from us in their first week, not their first month.",
			owner:       Emi,
			krs: []demoKR{{
				kr: okrs.KeyResult{Title: "Raise week-1 activation from 40% to 60%", Owner: Emi,
					Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 60},
				values: []float64{42, 43, 45, 46, 48, 50, 51, 53, 54, 56, 57, 59, 60},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					1:  "40% last quarter; the checklist experiment starts this week.",
					2:  "The onboarding checklist is on for half of new signups.",
					4:  "The checklist is on for everyone now.",
					7:  "Sample data in new workspaces is live.",
					8:  "53%. Sample data helps teams of one the most.",
					11: "The invite-your-team nudge shipped.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Cut time to first value from 3 days to 1 day", Owner: Devi,
					Kind: okrs.Decrease, UnitLabel: "days", Start: 3, Target: 1},
				values: []float64{2.8, 2.7, 2.9, 2.8, 2.8, 2.9, 2.8, 2.7, 2.6, 2.4, 2.2, 2.1, 2},
				levels: "GGAAARRRRRRRR",
				notes: map[int]string{
					1:  "Skipping the empty tutorial saves new teams a few hours.",
					2:  "The CSV import is the long pole; started rewriting it.",
					3:  "The import rewrite slipped: I was pulled into the payments config migration.",
					5:  "The rewrite is still paused; nobody is free to pick it up.",
					6:  "The import rewrite will not land this quarter. Proposing a guided sample import instead.",
					8:  "Blocked on design for the sample import; asked for a slot in Emi's roadmap review.",
					10: "The guided sample import is live: first reports come sooner.",
					13: "Two days, down from three. The rewrite is first on next quarter's list.",
				},
			}, {
				kr: okrs.KeyResult{Title: "Raise onboarding NPS from 20 to 40", Owner: Ana,
					Kind: okrs.Increase, Start: 20, Target: 40},
				values: []float64{23, 24, 26, 28, 29, 31, 32, 34, 35, 37, 38, 40, 41},
				levels: "GGGGGGGGGGGGG",
				notes: map[int]string{
					1: "The survey goes out on day 7 now, not day 30.",
					3: "Detractors mostly mention the CSV import.",
					4: "Warm words for the checklist: two points up.",
				},
			}},
		}},
	}}
}

// A demoPlan is one team's part of the demo, checked and ready to store.
type demoPlan struct {
	channel  string
	settings okrs.Settings
	writes   []demoWrite
}

// A demoWrite is an objective and the check-ins of each of its key
// results, oldest first.
type demoWrite struct {
	objective *okrs.Objective
	checkIns  [][]okrs.CheckIn
}

// plan builds the team's objectives and check-ins as of now and checks
// them.
func (t demoTeam) plan(now time.Time) (demoPlan, error) {
	s := t.settings
	cycle := okrs.CurrentCycle(s, now)
	loc := s.Location()
	start := time.Date(cycle.Start.Year(), cycle.Start.Month(), cycle.Start.Day(), 0, 0, 0, 0, loc)
	created := now.Add(-demoWeeks * 7 * 24 * time.Hour)
	if created.Before(start) {
		created = start
	}
	s.UpdatedBy, s.UpdatedAt = s.Managers[0], created
	if err := s.Validate(); err != nil {
		return demoPlan{}, fmt.Errorf("playground: demo settings of %s: %w", t.channel, err)
	}
	p := demoPlan{channel: t.channel, settings: s}
	for i, d := range t.objectives {
		// A minute apart, so that they list in this order.
		at := created.Add(time.Duration(i) * time.Minute)
		if at.After(now) {
			at = now
		}
		o := &okrs.Objective{
			Workspace: Acme, Team: t.channel, Cycle: cycle.Name,
			Title: d.title, Description: d.description, Owner: d.owner,
			CreatedBy: d.owner, CreatedAt: at, UpdatedAt: at,
		}
		w := demoWrite{objective: o}
		for _, k := range d.krs {
			o.KeyResults = append(o.KeyResults, k.kr)
		}
		o.Normalize()
		if err := o.Validate(cycle); err != nil {
			return demoPlan{}, fmt.Errorf("playground: demo objective %q: %w", o.Title, err)
		}
		for j, k := range d.krs {
			cis, err := k.checkIns(s, cycle, &o.KeyResults[j], at, now)
			if err != nil {
				return demoPlan{}, fmt.Errorf("playground: demo key result %q: %w", k.kr.Title, err)
			}
			w.checkIns = append(w.checkIns, cis)
		}
		p.writes = append(p.writes, w)
	}
	return p, nil
}

// checkIns returns the check-ins of the key result's owner in the last
// demoWeeks weeks of their own calendar, oldest first: one a week, none
// before created or after now, none from demoLate this week.
func (d demoKR) checkIns(s okrs.Settings, cycle okrs.Cycle, kr *okrs.KeyResult, created, now time.Time) ([]okrs.CheckIn, error) {
	if len(d.values) == 0 || len(d.values) != len(d.levels) {
		return nil, fmt.Errorf("playground: %d values and %d levels", len(d.values), len(d.levels))
	}
	habit, ok := demoHabits[kr.Owner]
	if !ok {
		return nil, fmt.Errorf("playground: no check-in habit for %s", kr.Owner)
	}
	loc := demoLocation(kr.Owner)
	this := okrs.PlanAt(s, loc, now).Period
	first := demoFirstMonday(cycle)
	var out []okrs.CheckIn
	for back := demoWeeks - 1; back >= 0; back-- {
		monday := okrs.DateOf(this.Start).AddDate(0, 0, -7*back)
		if monday.Before(first) {
			continue
		}
		week := int(monday.Sub(first).Hours()/24)/7 + 1
		at := habit.when(loc, monday, week)
		if at.Before(created) || at.After(now) || kr.Owner == demoLate && this.Contains(at) {
			continue
		}
		i := min(week, len(d.values)) - 1
		ci := okrs.CheckIn{
			Author:     kr.Owner,
			At:         at,
			Value:      d.values[i],
			Confidence: okrs.Confidence{Level: demoLevels[d.levels[i]]},
			Comment:    d.notes[week],
		}
		if err := ci.Validate(kr); err != nil {
			return nil, fmt.Errorf("week %d: %w", week, err)
		}
		out = append(out, ci)
	}
	return out, nil
}

// when returns the moment of the check-in in the week starting on monday
// (a date) that is the cycle's week-th, in loc.
func (h demoHabit) when(loc *time.Location, monday time.Time, week int) time.Time {
	day := 0
	if (week+h.phase)%3 == 0 {
		day = 1 // Tuesday
	}
	drift := demoDrift[(week+h.phase)%len(demoDrift)]
	return time.Date(monday.Year(), monday.Month(), monday.Day()+day, h.at.Hour, h.at.Minute+drift, 0, 0, loc)
}

// demoFirstMonday returns the date of the first Monday within the cycle:
// the start of its week 1.
func demoFirstMonday(c okrs.Cycle) time.Time {
	start := okrs.DateOf(c.Start)
	return start.AddDate(0, 0, (int(time.Monday)-int(start.Weekday())+7)%7)
}

// demoLocation returns the timezone of one of the playground's people.
func demoLocation(user string) *time.Location {
	for _, u := range People {
		if u.ID == user {
			return okrs.Location(u.TZ)
		}
	}
	return time.UTC
}

// store writes the team's settings, objectives and check-ins.
func (p demoPlan) store(ctx context.Context, st DemoStore) error {
	if err := st.SaveSettings(ctx, Acme, p.channel, p.settings); err != nil {
		return fmt.Errorf("playground: demo settings: %w", err)
	}
	for _, w := range p.writes {
		if err := st.CreateObjective(ctx, w.objective); err != nil {
			return fmt.Errorf("playground: demo objective %q: %w", w.objective.Title, err)
		}
		for i, cis := range w.checkIns {
			if len(cis) == 0 {
				continue
			}
			for j := range cis {
				cis[j].KeyResultID = w.objective.KeyResults[i].ID
			}
			if _, err := st.RecordCheckIns(ctx, Acme, cis); err != nil {
				return fmt.Errorf("playground: demo check-ins on %q: %w", w.objective.KeyResults[i].Title, err)
			}
		}
	}
	return nil
}
