package store_test

import (
	"fmt"
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

// TestClusterSlotMigration moves a workspace's hash slot to another master
// while the store writes to it, one write of each kind between batches of
// keys. Single-key writes (a delivery's claim and outcome) follow -ASK and
// succeed. A check-in's script touches several keys, one of them always new
// (the idempotency marker), so while the slot is split the target answers
// -TRYAGAIN; go-redis retries that a few times (MaxRedirects) and gives up:
// the store reports EUNAVAILABLE having written nothing, and the same
// submission tried again after the move records once.
func TestClusterSlotMigration(t *testing.T) {
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
	ws := storetest.Workspace()
	var objs []*okrs.Objective
	for range 8 {
		objs = append(objs, mustCreate(t, s, objective(ws, "C1", 3)))
	}
	kr := objs[0].KeyResults[0]

	var recorded, refused []string // idempotency keys
	m := storetest.MigrateSlot(t, url, "{"+ws+"}", 10, func(moved int) {
		d := fmt.Sprintf("d%d", moved)
		if ok, _, err := s.ClaimDelivery(ctx, ws, d, "tok", time.Minute); !ok || err != nil {
			t.Errorf("claim mid-migration = %v, %v", ok, err)
		}
		if ok, err := s.SettleDelivery(ctx, ws, d, "tok", okrs.Delivery{State: okrs.DeliveryGone}, time.Minute); !ok || err != nil {
			t.Errorf("settle mid-migration = %v, %v", ok, err)
		}
		key := fmt.Sprintf("view:%d", moved)
		c := checkIn(kr.ID, kr.Owner, t0.Add(time.Duration(moved)*time.Minute), float64(moved))
		switch _, dup, err := s.RecordCheckInsOnce(ctx, ws, key, time.Hour, []okrs.CheckIn{c}); {
		case err == nil && !dup:
			recorded = append(recorded, key)
		case okrs.ErrorCode(err) == okrs.EUNAVAILABLE:
			refused = append(refused, key)
		default:
			t.Errorf("check-in mid-migration: duplicate %v, %v", dup, err)
		}
	})
	if h, _ := s.CheckIns(ctx, ws, kr.ID, -1); len(h) != len(recorded) {
		t.Errorf("%d check-ins stored mid-migration, %d acknowledged", len(h), len(recorded))
	}
	for _, key := range refused { // the person submits again
		c := checkIn(kr.ID, kr.Owner, t0.Add(time.Hour), 1)
		if _, dup, err := s.RecordCheckInsOnce(ctx, ws, key, time.Hour, []okrs.CheckIn{c}); err != nil || dup {
			t.Errorf("check-in %s again after the migration: duplicate %v, %v", key, dup, err)
		}
	}
	for _, key := range recorded { // a redelivery of one that was stored
		c := checkIn(kr.ID, kr.Owner, t0.Add(time.Hour), 1)
		if _, dup, err := s.RecordCheckInsOnce(ctx, ws, key, time.Hour, []okrs.CheckIn{c}); err != nil || !dup {
			t.Errorf("check-in %s redelivered after the migration: duplicate %v, %v; want a duplicate", key, dup, err)
		}
	}
	if h, _ := s.CheckIns(ctx, ws, kr.ID, -1); len(h) != m.Batches {
		t.Errorf("%d check-ins stored, want one per batch (%d)", len(h), m.Batches)
	}
	if got, err := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 0); err != nil || len(got) != len(objs) {
		t.Errorf("after the migration: %d objectives, %v", len(got), err)
	}
	t.Logf("slot %d: %d keys in %d batches from %s to %s, %d -ASK, %d -TRYAGAIN; check-ins mid-migration: %d recorded, %d refused (recorded when sent again)",
		m.Slot, m.Keys, m.Batches, m.From, m.To, m.Asks, m.TryAgains, len(recorded), len(refused))
}
