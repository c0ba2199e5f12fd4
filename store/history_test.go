package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

// ids returns the objectives' ids in order.
func ids(objs []okrs.Objective) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.ID)
	}
	return out
}

func TestTeamHistory(t *testing.T) {
	s, rdb := storetest.Store(t)
	ws := storetest.Workspace()
	// An objective of an earlier cycle, archived; one of this cycle with
	// check-ins; one of another team shared with C1; one of another team.
	old := objective(ws, "C1", 1)
	old.Cycle, old.CreatedAt = "2026-Q3", t0.AddDate(0, -3, 0)
	if err := s.CreateObjective(ctx, old); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateObjective(ctx, ws, old.ID, func(o *okrs.Objective) error {
		o.Archived, o.ArchivedBy, o.ArchivedAt = true, "U1", t0
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cur := mustCreate(t, s, objective(ws, "C1", 2))
	kr := cur.KeyResults[0].ID
	for i, v := range []float64{20, 30, 45} {
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr, "U1", t0.AddDate(0, 0, 7*(i+1)), v)}); err != nil {
			t.Fatal(err)
		}
	}
	shared := objective(ws, "C2", 1)
	shared.SharedWith, shared.CreatedAt = []string{"C1"}, t0.Add(time.Second)
	mustCreate(t, s, shared)
	other := objective(ws, "C2", 1)
	other.CreatedAt = t0.Add(2 * time.Second)
	mustCreate(t, s, other)

	check := func(t *testing.T) {
		t.Helper()
		got, err := s.TeamHistory(ctx, ws, "C1")
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{old.ID, cur.ID, shared.ID}; !slices.Equal(ids(got), want) {
			t.Fatalf("got %v, want %v (archived, current, shared; oldest first)", ids(got), want)
		}
		if !got[0].Archived {
			t.Errorf("the archived objective: got Archived false")
		}
		if n := len(got[1].KeyResult(kr).CheckIns); n != 3 {
			t.Errorf("check-ins: got %d, want all 3", n)
		}
		if got[1].KeyResult(kr).Current != 45 {
			t.Errorf("current: got %v, want 45 (live state loaded)", got[1].KeyResult(kr).Current)
		}
		other, err := s.TeamHistory(ctx, storetest.Workspace(), "C1")
		if err != nil || len(other) != 0 {
			t.Errorf("another workspace's C1: got %v, %v, want nothing", ids(other), err)
		}
	}
	t.Run("indexed", func(t *testing.T) {
		if err := rdb.Set(ctx, s.Prefix()+":schema", "1", 0).Err(); err != nil { // as Migrate leaves it
			t.Fatal(err)
		}
		check(t)
	})

	// Data of schema version 0 has no objective index: the objectives are
	// found by a scan.
	t.Run("schema 0", func(t *testing.T) {
		keys, err := storetest.Keys(ctx, rdb, "*{"+ws+"}:objs")
		if err != nil || len(keys) != 1 {
			t.Fatalf("objective index: got %v, %v", keys, err)
		}
		for _, key := range []string{keys[0], s.Prefix() + ":schema"} { // one at a time: on a cluster they are in different slots
			if err := rdb.Del(ctx, key).Err(); err != nil {
				t.Fatal(err)
			}
		}
		check(t)
	})
}
