package store_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// BenchmarkBackup exports, decodes and imports a team's cycle of 25
// objectives × 5 key results × 13 check-ins (1,625 check-ins), reporting
// the backup's size and Redis round trips.
//
//	go test ./store -run '^$' -bench Backup -benchtime 20x
func BenchmarkBackup(b *testing.B) {
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
	var data []byte
	b.Run("export", func(b *testing.B) {
		rt := storetest.CountRoundTrips(rdb)
		b.ReportAllocs()
		for b.Loop() {
			w, err := s.ExportWorkspace(ctx, ws)
			if err != nil || len(w.Objectives) != 25 {
				b.Fatalf("%d objectives, %v", len(w.Objectives), err)
			}
			if data, err = store.MarshalBackup(store.NewBackup(t0, w)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
		b.ReportMetric(float64(len(data)), "bytes")
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := store.DecodeBackup(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	bk, err := store.DecodeBackup(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import", func(b *testing.B) {
		dst, drdb := storetest.Store(b)
		rt := storetest.CountRoundTrips(drdb)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := dst.ImportWorkspace(ctx, bk.Workspaces[0], true, false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(rt.Load())/float64(b.N), "roundtrips/op")
	})
}
