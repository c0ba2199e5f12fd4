package store_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

// TestRecordCheckInsIfUnchanged: a check-in prepared from an older state
// (a reply's preview) is recorded only while each key result's last
// check-in is still the one it was prepared from; once, per key.
func TestRecordCheckInsIfUnchanged(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	fixture := objective(ws, "C1", 2)
	fixture.KeyResults[1].Owner = "U1"
	o := mustCreate(t, s, fixture)
	kr1, kr2 := o.KeyResults[0].ID, o.KeyResults[1].ID

	t.Run("never checked in: recorded, once", func(t *testing.T) {
		cis := []okrs.CheckIn{checkIn(kr1, "U1", t0, 20), checkIn(kr2, "U1", t0, 5)}
		if _, dup, err := s.RecordCheckInsIfUnchanged(ctx, ws, "reply:1", time.Minute, cis, []time.Time{{}, {}}); err != nil || dup {
			t.Fatalf("first = dup %v, %v", dup, err)
		}
		if _, dup, err := s.RecordCheckInsIfUnchanged(ctx, ws, "reply:1", time.Minute, cis, []time.Time{{}, {}}); err != nil || !dup {
			t.Fatalf("second = dup %v, %v; want a duplicate", dup, err)
		}
		if h, _ := s.CheckIns(ctx, ws, kr1, -1); len(h) != 1 {
			t.Errorf("history = %d check-ins, want 1", len(h))
		}
	})

	t.Run("a newer check-in makes it stale: nothing is written", func(t *testing.T) {
		cis := []okrs.CheckIn{checkIn(kr1, "U1", t0.Add(time.Hour), 30), checkIn(kr2, "U1", t0.Add(time.Hour), 6)}
		// Prepared when kr2 had no check-in: it has one at t0 now.
		_, _, err := s.RecordCheckInsIfUnchanged(ctx, ws, "reply:2", time.Minute, cis, []time.Time{t0, {}})
		if okrs.ErrorCode(err) != okrs.ECONFLICT {
			t.Fatalf("err = %v, want a conflict", err)
		}
		if h, _ := s.CheckIns(ctx, ws, kr1, -1); len(h) != 1 {
			t.Errorf("history of the first = %d check-ins, want 1 (nothing written)", len(h))
		}
		// Refused: the key is not used up, and with what is current it records.
		if _, dup, err := s.RecordCheckInsIfUnchanged(ctx, ws, "reply:2", time.Minute, cis, []time.Time{t0, t0}); err != nil || dup {
			t.Fatalf("with the current state = dup %v, %v", dup, err)
		}
		got, err := s.Objective(ctx, ws, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if kr := got.KeyResult(kr2); kr.Current != 6 || !kr.LastCheckIn.Equal(t0.Add(time.Hour)) {
			t.Errorf("live state = %v at %v, want 6 at %v", kr.Current, kr.LastCheckIn, t0.Add(time.Hour))
		}
	})

	t.Run("the times must match the check-ins", func(t *testing.T) {
		if _, _, err := s.RecordCheckInsIfUnchanged(ctx, ws, "reply:3", time.Minute, []okrs.CheckIn{checkIn(kr1, "U1", t0, 1)}, nil); okrs.ErrorCode(err) != okrs.EINTERNAL {
			t.Errorf("err = %v, want internal", err)
		}
	})
}
