package store_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// asVersion0 turns data written by today's store into what every install
// before schema version 1 has: no version key and no objective index.
func asVersion0(t *testing.T, rdb redis.UniversalClient, s *store.Store, ws string) {
	t.Helper()
	if err := rdb.Del(ctx, s.Prefix()+":schema").Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Del(ctx, s.Prefix()+":{"+ws+"}:objs").Err(); err != nil {
		t.Fatal(err)
	}
	// A workspace whose only registration failed (noteWorkspace is a
	// separate write after each change): the migration registers it.
	if err := rdb.SRem(ctx, s.Prefix()+":workspaces", ws).Err(); err != nil {
		t.Fatal(err)
	}
}

// scanCounter counts the SCANs a client sends.
type scanCounter struct{ n atomic.Int64 }

func (h *scanCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *scanCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if strings.EqualFold(cmd.Name(), "scan") {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}
func (h *scanCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestMigrateFromVersion0(t *testing.T) {
	s, rdb := storetest.Store(t)
	ws := backupFixture(t, s) // three objectives, one archived
	want := exportJSON(t, s, ws)
	asVersion0(t, rdb, s, ws)

	if v, err := s.SchemaVersionOf(ctx); err != nil || v != 0 {
		t.Fatalf("SchemaVersionOf = %d, %v; want 0", v, err)
	}
	t.Run("export before the migration scans", func(t *testing.T) {
		if got := exportJSON(t, s, ws); !bytes.Equal(got, want) {
			t.Errorf("export of version-0 data differs:\n%s", got)
		}
	})

	// Two replicas start at once, each with its own connection: one
	// migrates, the other waits for the stamp.
	otherRDB := storetest.Client(t)
	other := store.New(otherRDB, s.Prefix())
	counters := []*scanCounter{{}, {}}
	stores := []*store.Store{s, other}
	addHook(rdb, counters[0])
	addHook(otherRDB, counters[1])
	var wg sync.WaitGroup
	errs := make([]error, 2)
	froms := make([]int, 2)
	for i := range stores {
		wg.Go(func() {
			var to int
			froms[i], to, errs[i] = stores[i].Migrate(ctx, []string{"replica-a", "replica-b"}[i])
			if errs[i] == nil && to != store.SchemaVersion {
				errs[i] = errors.New("migrated to the wrong version")
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Migrate: %v", i, err)
		}
	}
	if a, b := counters[0].n.Load(), counters[1].n.Load(); (a == 0) == (b == 0) {
		t.Errorf("SCANs by replica: %d and %d; want exactly one replica to migrate", a, b)
	}
	if v, _ := s.SchemaVersionOf(ctx); v != store.SchemaVersion {
		t.Errorf("schema version after the migration = %d, want %d", v, store.SchemaVersion)
	}
	ids, err := rdb.SMembers(ctx, s.Prefix()+":{"+ws+"}:objs").Result()
	if err != nil {
		t.Fatal(err)
	}
	w, _ := s.ExportWorkspace(ctx, ws)
	var all []string
	for _, o := range w.Objectives {
		all = append(all, o.ID)
	}
	slices.Sort(ids)
	slices.Sort(all)
	if len(all) != 3 || !slices.Equal(ids, all) {
		t.Errorf("objective index = %v, want every objective, the archived one too: %v", ids, all)
	}
	if got := exportJSON(t, s, ws); !bytes.Equal(got, want) {
		t.Errorf("the migration changed the data:\n%s", got)
	}
	if all, _ := s.Workspaces(ctx); !slices.Equal(all, []string{ws}) {
		t.Errorf("Workspaces after the migration = %v, want [%s]", all, ws)
	}

	t.Run("a second run does nothing", func(t *testing.T) {
		before := counters[0].n.Load()
		from, to, err := s.Migrate(ctx, "replica-c")
		if err != nil || from != store.SchemaVersion || to != store.SchemaVersion {
			t.Errorf("Migrate again = %d → %d, %v; want nothing to do", from, to, err)
		}
		if n := counters[0].n.Load() - before; n != 0 {
			t.Errorf("a second run scanned %d times", n)
		}
	})
	if froms[0] != 0 && froms[1] != 0 {
		t.Errorf("Migrate reported from = %v: one replica found version 0", froms)
	}
}

func TestMigrateEmptyStamps(t *testing.T) {
	s, _ := storetest.Store(t)
	from, to, err := s.Migrate(ctx, "r1")
	if err != nil || from != 0 || to != store.SchemaVersion {
		t.Fatalf("Migrate on an empty prefix = %d → %d, %v", from, to, err)
	}
	if v, _ := s.SchemaVersionOf(ctx); v != store.SchemaVersion {
		t.Errorf("version = %d, want %d", v, store.SchemaVersion)
	}
}

func TestMigrateRefusesNewer(t *testing.T) {
	s, rdb := storetest.Store(t)
	if err := rdb.Set(ctx, s.Prefix()+":schema", "99", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Migrate(ctx, "r1")
	var se *store.SchemaError
	if !errors.As(err, &se) || se.Found != 99 || se.Known != store.SchemaVersion {
		t.Fatalf("err = %v, want a SchemaError 99 > %d", err, store.SchemaVersion)
	}
	if msg := err.Error(); !strings.Contains(msg, "schema version 99") || !strings.Contains(msg, "(version 1)") {
		t.Errorf("message %q does not name both versions", msg)
	}
	if v, _ := rdb.Get(ctx, s.Prefix()+":schema").Result(); v != "99" {
		t.Errorf("the version key is now %q: refusing must change nothing", v)
	}
}

// TestUpdateIndexesObjective: an objective an older release created after
// the migration (so not in the index) is indexed at its next edit.
func TestUpdateIndexesObjective(t *testing.T) {
	s, rdb := storetest.Store(t)
	ws := storetest.Workspace()
	if _, _, err := s.Migrate(ctx, "new-release"); err != nil {
		t.Fatal(err)
	}
	o := mustCreate(t, s, objective(ws, "C1", 1))
	if err := rdb.SRem(ctx, s.Prefix()+":{"+ws+"}:objs", o.ID).Err(); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.ExportWorkspace(ctx, ws); len(w.Objectives) != 0 {
		t.Fatalf("the unindexed objective is exported: the test's premise is wrong")
	}
	if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Title = "Delight every new customer"; return nil }); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.ExportWorkspace(ctx, ws); len(w.Objectives) != 1 || w.Objectives[0].Title != "Delight every new customer" {
		t.Errorf("after an edit the export has %d objectives, want the edited one", len(w.Objectives))
	}
}
