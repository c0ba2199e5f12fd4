package storetest

import (
	"context"
	"testing"

	"github.com/okrbot/okrbot/store"
)

func TestSentinelFailover(t *testing.T) {
	s := Sentinel(t)
	ctx := context.Background()
	rdb, err := store.Connect(ctx, store.Options{URL: s.URL, Mode: store.ModeSentinel})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.Set(ctx, "okrbottest-sentinel", "before", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Do(ctx, "WAIT", 1, 2000).Err(); err != nil {
		t.Fatal(err)
	}
	d := s.Failover()
	t.Logf("SENTINEL FAILOVER took %v", d)
	if m, _ := s.Master(ctx); m != s.Replica {
		t.Fatalf("master is %s, want %s", m, s.Replica)
	}
	var got string
	for range 50 { // the client reconnects to the new primary
		if got, err = rdb.Get(ctx, "okrbottest-sentinel").Result(); err == nil {
			break
		}
	}
	if got != "before" {
		t.Fatalf("after the failover: %q %v", got, err)
	}
	if err := rdb.Set(ctx, "okrbottest-sentinel", "after", 0).Err(); err != nil {
		t.Fatalf("write after the failover: %v", err)
	}
}
