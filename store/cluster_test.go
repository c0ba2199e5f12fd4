package store_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// TestCluster runs every multi-key write on a real three-master Redis
// Cluster: a cross-slot command would fail with CROSSSLOT here.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Redis Cluster")
	}
	url := storetest.ClusterURL(t)
	rdb, err := store.Connect(ctx, store.Options{URL: url, Mode: store.ModeCluster})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	prefix := "okrbottest-" + storetest.Random(6)
	defer storetest.DeletePrefix(rdb, prefix)
	s := store.New(rdb, prefix)

	// Several workspaces, so that their keys land in different slots.
	for range 3 {
		ws := storetest.Workspace()
		o := mustCreate(t, s, objective(ws, "C1", 3))
		updated, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.KeyResults[0].SetTarget(200, "U1", t0)
			o.KeyResults[1].Owner = "U5"
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: "More", Owner: "U1", Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 1})
			return nil
		})
		if err != nil {
			t.Fatalf("UpdateObjective: %v", err)
		}
		var cs []okrs.CheckIn
		for _, kr := range updated.KeyResults {
			cs = append(cs, checkIn(kr.ID, kr.Owner, t0.Add(time.Hour), 50))
		}
		if _, err := s.RecordCheckIns(ctx, ws, cs); err != nil {
			t.Fatalf("RecordCheckIns: %v", err)
		}
		team, err := s.TeamObjectives(ctx, ws, "C1", cycle.Name, -1)
		if err != nil || len(team) != 1 || len(team[0].KeyResults[0].CheckIns) != 1 || team[0].KeyResults[0].Target != 200 {
			t.Fatalf("TeamObjectives = %+v, %v", team, err)
		}
		if owned, err := s.OwnedObjectives(ctx, ws, "U5"); err != nil || len(owned) != 1 {
			t.Fatalf("OwnedObjectives = %d, %v", len(owned), err)
		}
		if err := s.SaveSettings(ctx, ws, "C1", okrs.DefaultSettings("UTC")); err != nil {
			t.Fatalf("SaveSettings: %v", err)
		}
		if ok, _, err := s.ClaimDelivery(ctx, ws, "m", "tok", time.Minute); err != nil || !ok {
			t.Fatalf("ClaimDelivery = %v, %v", ok, err)
		}
		if ok, err := s.SettleDelivery(ctx, ws, "m", "tok", okrs.Delivery{State: okrs.DeliveryGone}, time.Minute); err != nil || !ok {
			t.Fatalf("SettleDelivery = %v, %v", ok, err)
		}
		if _, err := s.CountFailure(ctx, ws, "m", time.Minute); err != nil {
			t.Fatalf("CountFailure: %v", err)
		}
		if _, err := s.UpdateSettings(ctx, ws, "C1", func(cur okrs.Settings, _ bool) (okrs.Settings, error) { return cur, nil }); err != nil {
			t.Fatalf("UpdateSettings: %v", err)
		}
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Archived = true; return nil }); err != nil {
			t.Fatalf("archive: %v", err)
		}
	}
	if ws, err := s.Workspaces(ctx); err != nil || len(ws) != 3 {
		t.Fatalf("Workspaces = %v, %v; want 3", ws, err)
	}
}
