package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestRecordCheckInsOnce(t *testing.T) {
	s, rdb := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2))
	kr1, kr2 := o.KeyResults[0].ID, o.KeyResults[1].ID

	t.Run("the same key at once records once", func(t *testing.T) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		stored, dups := 0, 0
		for range 8 {
			wg.Go(func() {
				out, dup, err := s.RecordCheckInsOnce(ctx, ws, "view:V1:h1", time.Minute, []okrs.CheckIn{checkIn(kr1, "U1", t0, 20)})
				if err != nil {
					t.Errorf("RecordCheckInsOnce: %v", err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if dup {
					dups++
					if len(out) != 0 {
						t.Errorf("a duplicate returned check-ins: %+v", out)
					}
				} else {
					stored++
				}
			})
		}
		wg.Wait()
		if stored != 1 || dups != 7 {
			t.Errorf("stored %d times, %d duplicates; want 1 and 7", stored, dups)
		}
		if h, _ := s.CheckIns(ctx, ws, kr1, -1); len(h) != 1 {
			t.Errorf("history = %d check-ins, want 1", len(h))
		}
	})

	t.Run("the marker lives in the workspace's hash tag for ttl", func(t *testing.T) {
		keys, err := storetest.Keys(ctx, rdb, "*{"+ws+"}:m:idem:view:V1:h1")
		if err != nil || len(keys) != 1 {
			t.Fatalf("idempotency keys = %v, %v", keys, err)
		}
		if ttl := rdb.PTTL(ctx, keys[0]).Val(); ttl <= 0 || ttl > time.Minute {
			t.Errorf("marker ttl = %v, want (0, 1m]", ttl)
		}
	})

	t.Run("a refused write claims nothing, so a retry works", func(t *testing.T) {
		_, dup, err := s.RecordCheckInsOnce(ctx, ws, "view:V2:h1", time.Minute, []okrs.CheckIn{checkIn(kr2, "U1", t0, 30)}) // kr2 is U2's
		if okrs.ErrorCode(err) != okrs.EFORBIDDEN || dup {
			t.Fatalf("someone else's key result: dup %v, err %v", dup, err)
		}
		if _, dup, err := s.RecordCheckInsOnce(ctx, ws, "view:V2:h1", time.Minute, []okrs.CheckIn{checkIn(kr1, "U1", t0, 30)}); err != nil || dup {
			t.Fatalf("retry after a refusal: dup %v, err %v", dup, err)
		}
	})

	t.Run("other keys and no key are independent", func(t *testing.T) {
		before, _ := s.CheckIns(ctx, ws, kr1, -1)
		if _, dup, err := s.RecordCheckInsOnce(ctx, ws, "view:V1:h2", time.Minute, []okrs.CheckIn{checkIn(kr1, "U1", t0, 40)}); err != nil || dup {
			t.Fatalf("another key: dup %v, err %v", dup, err)
		}
		for range 2 {
			if _, dup, err := s.RecordCheckInsOnce(ctx, ws, "", 0, []okrs.CheckIn{checkIn(kr1, "U1", t0, 50)}); err != nil || dup {
				t.Fatalf("no key: dup %v, err %v", dup, err)
			}
		}
		if after, _ := s.CheckIns(ctx, ws, kr1, -1); len(after) != len(before)+3 {
			t.Errorf("history grew by %d, want 3", len(after)-len(before))
		}
	})

	t.Run("a key needs a ttl", func(t *testing.T) {
		if _, _, err := s.RecordCheckInsOnce(ctx, ws, "k", 0, []okrs.CheckIn{checkIn(kr1, "U1", t0, 1)}); err == nil {
			t.Error("a key without a ttl was accepted")
		}
	})
}
