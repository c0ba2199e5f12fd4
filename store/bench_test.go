package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

// BenchmarkRecordCheckIn records one check-in per op: one round trip.
//
//	go test ./store -run '^$' -bench RecordCheckIn -benchmem
func BenchmarkRecordCheckIn(b *testing.B) {
	s, rdb := storetest.Store(b)
	ws := storetest.Workspace()
	o := mustCreate(b, s, objective(ws, "C1", 1))
	c := checkIn(o.KeyResults[0].ID, "U1", t0, 1)
	if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{c}); err != nil { // loads the script
		b.Fatal(err)
	}
	rt := storetest.CountRoundTrips(rdb)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.At = t0.Add(time.Duration(i) * time.Second)
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{c}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
}

// BenchmarkTeamObjectives loads a large team's whole cycle for a status view:
// 25 objectives × 5 key results, each with 13 check-ins.
//
//	go test ./store -run '^$' -bench TeamObjectives -benchmem
func BenchmarkTeamObjectives(b *testing.B) {
	s, rdb := storetest.Store(b)
	ws := storetest.Workspace()
	for i := range 25 {
		o := objective(ws, "C1", 5)
		o.Title = fmt.Sprintf("Objective %d", i)
		mustCreate(b, s, o)
		for w := range 13 {
			var cs []okrs.CheckIn
			for _, kr := range o.KeyResults {
				cs = append(cs, checkIn(kr.ID, kr.Owner, t0.Add(time.Duration(w)*7*24*time.Hour), float64(10+w*7)))
			}
			if _, err := s.RecordCheckIns(ctx, ws, cs); err != nil {
				b.Fatal(err)
			}
		}
	}
	// All of the histories (the digest), the last few (each sweep: the
	// prompts ask about flat key results), none (status).
	for _, h := range []struct {
		name    string
		history int
		want    int
	}{{"all", -1, 13}, {"sweep", okrs.FlatCheckIns + 1, okrs.FlatCheckIns + 1}, {"none", 0, 0}} {
		b.Run("history="+h.name, func(b *testing.B) {
			rt := storetest.CountRoundTrips(rdb)
			b.ReportAllocs()
			for b.Loop() {
				objs, err := s.TeamObjectives(ctx, ws, "C1", cycle.Name, h.history)
				if err != nil || len(objs) != 25 || len(objs[24].KeyResults[4].CheckIns) != h.want {
					b.Fatalf("got %d objectives, %v", len(objs), err)
				}
			}
			b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
		})
	}
}

// BenchmarkCheckInMemory reports the Redis memory per stored check-in with a
// 40-character comment (MEMORY USAGE of the history and author lists).
//
//	go test ./store -run '^$' -bench CheckInMemory
func BenchmarkCheckInMemory(b *testing.B) {
	if storetest.IsMiniredis(b) {
		b.Skip("MEMORY USAGE needs a real Redis server")
	}
	var per float64
	for b.Loop() {
		s, rdb := storetest.Store(b)
		per = checkInMemory(b, s, rdb, storetest.Workspace())
	}
	b.ReportMetric(per, "bytes/checkin")
}
