package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestAwayRecords(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	until := t0.Add(10 * 24 * time.Hour)
	if err := s.SetAway(ctx, ws, okrs.AwayRecord{User: "U1", Until: until, SetAt: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := s.AwayRecords(ctx, ws, []string{"U1", "U2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got["U1"].Until.Equal(until) || !got["U1"].SetAt.Equal(t0) {
		t.Fatalf("got %+v, want U1 away until %v", got, until)
	}
	if other, _ := s.AwayRecords(ctx, storetest.Workspace(), []string{"U1"}); len(other) != 0 {
		t.Errorf("another workspace sees %+v", other)
	}
	if ok, err := s.ClearAway(ctx, ws, "U1"); !ok || err != nil {
		t.Fatalf("ClearAway: %v, %v", ok, err)
	}
	if ok, _ := s.ClearAway(ctx, ws, "U1"); ok {
		t.Error("ClearAway twice: cleared twice")
	}
	if got, _ := s.AwayRecords(ctx, ws, []string{"U1"}); len(got) != 0 {
		t.Errorf("after /okr back: %+v", got)
	}
}

func TestHeldPrompts(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	h := okrs.HeldPrompt{User: "U1", Period: "2026-10-05", At: t0, Why: okrs.AwayStatus}
	var wg sync.WaitGroup
	var mu sync.Mutex
	firsts := 0
	for range 5 {
		wg.Go(func() {
			first, err := s.HoldPrompt(ctx, ws, "C1", h)
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firsts != 1 {
		t.Errorf("5 concurrent holds: %d first, want 1", firsts)
	}
	if _, err := s.HoldPrompt(ctx, ws, "C1", okrs.HeldPrompt{User: "U2", Period: "2026-10-12", At: t0, Why: okrs.AwayHoliday}); err != nil {
		t.Fatal(err)
	}
	held, err := s.HeldPrompts(ctx, ws, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 || !okrs.AwayIn(held, "U1", "2026-10-05") || !okrs.AwayIn(held, "U2", "2026-10-12") || okrs.AwayIn(held, "U1", "2026-10-12") {
		t.Errorf("got %+v", held)
	}
	// A hold months later forgets the old ones.
	if _, err := s.HoldPrompt(ctx, ws, "C1", okrs.HeldPrompt{User: "U1", Period: "2027-03-01", At: t0.Add(150 * 24 * time.Hour), Why: okrs.AwaySaid}); err != nil {
		t.Fatal(err)
	}
	if held, _ := s.HeldPrompts(ctx, ws, "C1"); len(held) != 1 || held[0].Period != "2027-03-01" {
		t.Errorf("after a hold 150 days later: %+v, want only the new one", held)
	}
	if other, _ := s.HeldPrompts(ctx, ws, "C2"); len(other) != 0 {
		t.Errorf("another team: %+v", other)
	}
}

func TestSnoozes(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	z := okrs.Snooze{Team: "C1", User: "U1", Period: "2026-10-05", Until: t0.Add(2 * time.Hour), Source: "100.1"}
	first, ok, err := s.SaveSnooze(ctx, ws, z)
	if err != nil || !ok || first.N != 1 || !first.Until.Equal(z.Until) {
		t.Fatalf("first snooze: %+v %v %v", first, ok, err)
	}
	// A double click: another until (a moment later), same message.
	again := z
	again.Until = z.Until.Add(time.Second)
	got, ok, err := s.SaveSnooze(ctx, ws, again)
	if err != nil || ok || got.N != 1 || !got.Until.Equal(z.Until) {
		t.Fatalf("double click: %+v %v %v, want the first snooze kept", got, ok, err)
	}
	// Snoozed again from the re-sent prompt: the next one.
	next := z
	next.Source, next.Until = "200.2", t0.Add(24*time.Hour)
	got, ok, err = s.SaveSnooze(ctx, ws, next)
	if err != nil || !ok || got.N != 2 || got.DeliveryKey() == first.DeliveryKey() {
		t.Fatalf("snoozed again: %+v %v %v", got, ok, err)
	}
	all, err := s.Snoozes(ctx, ws)
	if err != nil || len(all) != 1 || all[0].N != 2 || !all[0].Until.Equal(next.Until) {
		t.Fatalf("Snoozes: %+v %v", all, err)
	}
	if cur, found, _ := s.Snoozed(ctx, ws, "C1", "2026-10-05", "U1"); !found || cur.N != 2 {
		t.Errorf("Snoozed: %+v %v", cur, found)
	}
	// Dropping the first (stale) snooze leaves the newer one.
	if err := s.DropSnooze(ctx, ws, first); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Snoozes(ctx, ws); len(all) != 1 {
		t.Errorf("a stale drop removed a newer snooze: %+v", all)
	}
	if err := s.DropSnooze(ctx, ws, all[0]); err != nil {
		t.Fatal(err)
	}
	if all, _ := s.Snoozes(ctx, ws); len(all) != 0 {
		t.Errorf("after drop: %+v", all)
	}
}
