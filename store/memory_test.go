package store_test

import (
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// checkInMemory records a cycle's worth of weekly check-ins (13) with
// 40-character comments on each of 5 key results and returns the Redis
// memory they take per check-in: their history lists and the authors' lists,
// as MEMORY USAGE reports them.
func checkInMemory(t testing.TB, s *store.Store, rdb redis.UniversalClient, ws string) float64 {
	o := mustCreate(t, s, objective(ws, "C1", 5))
	const weeks = 13
	comment := "Shipped the pricing page; churn is flat." // 40 characters
	if len([]rune(comment)) != 40 {
		t.Fatalf("comment has %d characters", len([]rune(comment)))
	}
	for w := range weeks {
		var cs []okrs.CheckIn
		for _, kr := range o.KeyResults {
			c := checkIn(kr.ID, kr.Owner, t0.Add(time.Duration(w)*7*24*time.Hour), float64(10+w*7))
			c.Comment = comment
			cs = append(cs, c)
		}
		if _, err := s.RecordCheckIns(ctx, ws, cs); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := storetest.Keys(ctx, rdb, "*{"+ws+"}*") // every node of a cluster
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	lists := 0
	for _, k := range keys {
		if len(k) > 2 && (k[len(k)-2:] == ":c") { // history and author lists
			n, err := rdb.MemoryUsage(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			total += n
			lists++
		}
	}
	if lists != len(o.KeyResults) {
		t.Fatalf("found %d history lists, want %d", lists, len(o.KeyResults))
	}
	return float64(total) / float64(weeks*len(o.KeyResults))
}
