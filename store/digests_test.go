package store_test

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestDigestArchive(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	ctx := t.Context()
	at := time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC)
	rec := func(cycle, week, ts string) okrs.DigestRecord {
		return okrs.DigestRecord{Team: "CTEAM", Cycle: cycle, Week: week, Channel: "CTEAM", TS: ts, PostedAt: at,
			Objectives: 3, Progress: 0.42, Owners: 4, CheckedIn: 3, AtRisk: 1}
	}
	for _, r := range []okrs.DigestRecord{
		rec("2026-Q3", "2026-09-21", "1.1"),
		rec("2026-Q4", "2026-11-23", "2.1"),
		rec("2026-Q4", "2026-11-16", "3.1"),
		rec("2026-Q4", "2026-11-23", "2.2"), // the same week again: replaced
	} {
		if err := s.RecordDigest(ctx, ws, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordDigest(ctx, ws, okrs.DigestRecord{Team: "CTEAM"}); err == nil {
		t.Error("a record without its week: no error")
	}
	all, err := s.Digests(ctx, ws, "CTEAM", "")
	if err != nil {
		t.Fatal(err)
	}
	var weeks []string
	for _, r := range all {
		weeks = append(weeks, r.Week+"@"+r.TS)
	}
	if got, want := weeks, []string{"2026-11-23@2.2", "2026-11-16@3.1", "2026-09-21@1.1"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("archive %v, want %v", got, want)
	}
	if r := all[0]; r.Team != "CTEAM" || r.Cycle != "2026-Q4" || !r.PostedAt.Equal(at) || r.Objectives != 3 || r.Progress != 0.42 || r.Owners != 4 || r.CheckedIn != 3 || r.AtRisk != 1 {
		t.Errorf("round trip: %+v", r)
	}
	q3, err := s.Digests(ctx, ws, "CTEAM", "2026-Q3")
	if err != nil || len(q3) != 1 || q3[0].Week != "2026-09-21" {
		t.Errorf("2026-Q3's digests: %+v %v", q3, err)
	}
	if none, err := s.Digests(ctx, ws, "COTHER", ""); err != nil || len(none) != 0 {
		t.Errorf("another team's archive: %+v %v", none, err)
	}
}
