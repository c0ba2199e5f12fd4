package reminders_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/reminders"
)

// presence is a fake Slack directory of statuses.
type presence struct {
	mu     sync.Mutex
	status map[string]okrs.Status
	calls  int
}

func (p *presence) set(user string, s okrs.Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.status == nil {
		p.status = map[string]okrs.Status{}
	}
	p.status[user] = s
}

func (p *presence) Away(_ context.Context, _ string, users []string, now time.Time) (map[string]okrs.Away, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	out := map[string]okrs.Away{}
	for _, u := range users {
		if a, ok := p.status[u].AwayAt(now); ok {
			out[u] = a
		}
	}
	return out, nil
}

func TestAwayByStatusHoldsThePromptAndCatchesUpOnce(t *testing.T) {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // Monday
	w := newWorld(t, start)
	// Berlin is on vacation until Wednesday 08:00 Berlin time.
	back := time.Date(2026, 11, 4, 8, 0, 0, 0, mustLoc(t, "Europe/Berlin"))
	pr := &presence{}
	pr.set(berlin, okrs.Status{Text: "On vacation", Emoji: ":palm_tree:", Expiration: back})
	pr.set(la, okrs.Status{Text: "In a meeting", Emoji: ":calendar:"})
	s := w.scheduler(func(o *reminders.Options) { o.Presence = pr })
	away := 0
	for !w.clock.Now().After(start.Add(6 * 24 * time.Hour)) {
		r, err := s.Sweep(ctx)
		if err != nil {
			t.Fatal(err)
		}
		away += r.Away
		w.clock.Advance(30 * time.Minute)
	}
	if away == 0 {
		t.Error("no sweep reported anyone away")
	}
	if got := w.msg.count(okrs.KindNudge, berlin); got != 0 {
		t.Errorf("berlin, away, got %d nudges", got)
	}
	var prompts []sent
	for _, m := range w.msg.all() {
		if m.user == berlin {
			prompts = append(prompts, m)
		}
	}
	if len(prompts) != 1 || !prompts[0].catchUp {
		t.Fatalf("berlin got %+v, want one catch-up prompt", prompts)
	}
	// Back on Wednesday 08:00: the catch-up comes at the check-in time, 10:00.
	if got, want := prompts[0].at, time.Date(2026, 11, 4, 10, 0, 0, 0, mustLoc(t, "Europe/Berlin")); got.Before(want) || got.Sub(want) > 30*time.Minute {
		t.Errorf("catch-up at %v, want %v", got, want)
	}
	// The others, not away ("in a meeting" is not away), as usual.
	if w.msg.count(okrs.KindPrompt, la) != 1 || w.msg.count(okrs.KindNudge, la) != 1 {
		t.Errorf("la: %d prompts, %d nudges; want 1 and 1", w.msg.count(okrs.KindPrompt, la), w.msg.count(okrs.KindNudge, la))
	}
	held, err := w.st.HeldPrompts(ctx, w.ws, w.team)
	if err != nil || !okrs.AwayIn(held, berlin, "2026-11-02") || okrs.AwayIn(held, la, "2026-11-02") {
		t.Errorf("held prompts %+v, %v: want berlin's of the week of Nov 2 only", held, err)
	}
}

func TestTeamHolidaySkipsThePromptUntilTheNextWorkingDay(t *testing.T) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC) // Monday
	w := newWorld(t, start)
	w.saveSettings(func(s *okrs.Settings) {
		s.OwnerLocalTime = false
		s.Holidays, _ = okrs.ParseHolidays("2026-11-23..2026-11-24")
	})
	s := w.scheduler()
	w.run(s, start.Add(5*24*time.Hour), 30*time.Minute, nil)
	for _, u := range []string{la, berlin, kolkat} {
		var got []sent
		for _, m := range w.msg.all() {
			if m.user == u {
				got = append(got, m)
			}
		}
		// Monday and Tuesday are holidays: one prompt, Wednesday 10:00 UTC, no nudge.
		if len(got) != 1 || got[0].kind != okrs.KindPrompt || !got[0].catchUp || !got[0].at.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("%s got %+v, want one catch-up prompt on Wednesday at 10:00", u, got)
		}
	}
}

func TestSaidAwayAndSnoozeWithTwoReplicas(t *testing.T) {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) // Monday
	w := newWorld(t, start)
	w.saveSettings(func(s *okrs.Settings) { s.OwnerLocalTime = false })
	// Kolkata said /okr away until Thursday.
	if err := w.st.SetAway(ctx, w.ws, okrs.AwayRecord{User: kolkat, Until: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), SetAt: start}); err != nil {
		t.Fatal(err)
	}
	a, b := w.scheduler(), w.scheduler()
	sweepBoth := func() {
		var wg sync.WaitGroup
		for _, s := range []*reminders.Scheduler{a, b} {
			wg.Go(func() {
				if _, err := s.Sweep(ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	w.clock.Advance(time.Hour) // 10:00: prompts
	sweepBoth()
	if w.msg.count(okrs.KindPrompt, berlin) != 1 || w.msg.count(okrs.KindPrompt, kolkat) != 0 {
		t.Fatalf("at 10:00: %+v", w.msg.all())
	}
	// Berlin snoozes for two hours, twice (a double click).
	for range 2 {
		if _, _, err := w.st.SaveSnooze(ctx, w.ws, okrs.Snooze{Team: w.team, User: berlin, Period: "2026-11-02",
			Until: w.clock.Now().Add(2 * time.Hour), Source: "1.000001"}); err != nil {
			t.Fatal(err)
		}
	}
	for range 8 { // to 14:00
		w.clock.Advance(30 * time.Minute)
		sweepBoth()
	}
	var again []sent
	for _, m := range w.msg.all() {
		if m.user == berlin && m.snoozed {
			again = append(again, m)
		}
	}
	if len(again) != 1 || !again[0].at.Equal(time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("snoozed prompt sent %+v, want once at 12:00", again)
	}
	// Tuesday 10:00 is the usual nudge; the snoozed prompt's own delay
	// (24 h after 12:00) holds it back until Tuesday 12:00.
	for w.clock.Now().Before(time.Date(2026, 11, 3, 11, 30, 0, 0, time.UTC)) {
		w.clock.Advance(30 * time.Minute)
		sweepBoth()
	}
	if n := w.msg.count(okrs.KindNudge, berlin); n != 0 {
		zs, _ := w.st.Snoozes(ctx, w.ws)
		t.Errorf("berlin nudged %d times before the snoozed prompt's delay passed: %+v; snoozes %+v", n, w.msg.all(), zs)
	}
	if n := w.msg.count(okrs.KindNudge, la); n != 1 {
		t.Errorf("la (not snoozed) nudged %d times by Tuesday 12:00, want 1", n)
	}
	for w.clock.Now().Before(time.Date(2026, 11, 5, 12, 0, 0, 0, time.UTC)) {
		w.clock.Advance(30 * time.Minute)
		sweepBoth()
	}
	for _, m := range w.msg.all() {
		if m.user == berlin && m.kind == okrs.KindNudge && !m.at.Equal(time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC)) {
			t.Errorf("berlin nudged at %v, want Tuesday 12:00 (24 h after the snoozed prompt)", m.at)
		}
	}
	if n := w.msg.count(okrs.KindNudge, berlin); n != 1 {
		t.Errorf("berlin nudged %d times after the delay, want 1", n)
	}
	// Kolkata: nothing until Thursday, then one catch-up at 10:00, no nudge.
	var k []sent
	for _, m := range w.msg.all() {
		if m.user == kolkat {
			k = append(k, m)
		}
	}
	if len(k) != 1 || !k[0].catchUp || !k[0].at.Equal(time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("kolkata got %+v, want one catch-up on Thursday 10:00", k)
	}
	if zs, _ := w.st.Snoozes(ctx, w.ws); len(zs) != 0 {
		t.Errorf("snoozes left after their nudge delay: %+v", zs)
	}
}
