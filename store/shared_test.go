package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// teamIDs returns the ids of a team's objectives in the test cycle.
func teamIDs(t *testing.T, s *store.Store, ws, team string) []string {
	t.Helper()
	objs, err := s.TeamObjectives(ctx, ws, team, cycle.Name, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, o := range objs {
		ids = append(ids, o.ID)
	}
	n, err := s.CountTeamObjectives(ctx, ws, team, cycle.Name)
	if err != nil || n != len(ids) {
		t.Errorf("CountTeamObjectives(%s) = %d, %v; TeamObjectives has %d", team, n, err, len(ids))
	}
	return ids
}

func TestSharedObjectives(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := objective(ws, "C1", 2)
	o.SharedWith = []string{"C2"}
	mustCreate(t, s, o)
	own := objective(ws, "C2", 1)
	own.CreatedAt = t0.Add(time.Hour) // after the shared one
	mustCreate(t, s, own)

	check := func(t *testing.T, team string, want ...string) {
		t.Helper()
		if got := teamIDs(t, s, ws, team); !slices.Equal(got, want) {
			t.Errorf("%s's objectives: got %v, want %v", team, got, want)
		}
	}
	t.Run("create: in each sharing team's index", func(t *testing.T) {
		check(t, "C1", o.ID)
		check(t, "C2", o.ID, own.ID)
		check(t, "C3")
		got, err := s.Objective(ctx, ws, o.ID)
		if err != nil || !slices.Equal(got.SharedWith, []string{"C2"}) {
			t.Errorf("Objective: SharedWith %v, %v", got.SharedWith, err)
		}
		all, err := s.CycleObjectives(ctx, ws, cycle.Name)
		if err != nil || len(all) != 2 {
			t.Errorf("CycleObjectives: %d objectives, %v; want 2 (the shared one once)", len(all), err)
		}
	})
	t.Run("update: add a team and drop another", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.SharedWith = []string{"C3"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		check(t, "C1", o.ID)
		check(t, "C2", own.ID)
		check(t, "C3", o.ID)
	})
	t.Run("update: move the team, keep sharing", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.Team, o.SharedWith = "C4", []string{"C3", "C1"}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		check(t, "C1", o.ID)
		check(t, "C3", o.ID)
		check(t, "C4", o.ID)
	})
	t.Run("archive: out of every index, and back", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Archived = true; return nil }); err != nil {
			t.Fatal(err)
		}
		for _, team := range []string{"C1", "C3", "C4"} {
			check(t, team)
		}
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Archived = false; o.SharedWith = nil; return nil }); err != nil {
			t.Fatal(err)
		}
		check(t, "C1")
		check(t, "C3")
		check(t, "C4", o.ID)
	})
}
