package store

import (
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Records written before proposals and the key-result policy existed still
// read: an objective without proposals, a team that proposes key results.
func TestOldRecordsDecode(t *testing.T) {
	o, err := decodeObjective("T1", []byte(`{"id":"o1","team":"C1","cycle":"2026-Q4","title":"Delight","owner":"U1","cby":"U1","cat":1,"krs":[{"id":"k1","title":"Raise","owner":"U1","kind":"increase","unit":"number","start":1,"target":2,"cat":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Proposals) != 0 || len(o.Pending()) != 0 || len(o.KeyResults) != 1 {
		t.Errorf("old objective = %+v", o)
	}
	st, err := decodeSettings([]byte(`{"cadence":"weekly","pday":1,"ptime":"10:00","local":true,"tz":"UTC","nudge_s":86400,"dday":5,"dtime":"16:00"}`))
	if err != nil {
		t.Fatal(err)
	}
	if st.DirectKeyResults {
		t.Error("an old team's settings let everyone add key results directly; want proposals")
	}
	st.DirectKeyResults = true
	b, err := encodeSettings(st)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := decodeSettings(b); !again.DirectKeyResults {
		t.Error("the key-result policy did not survive a round trip")
	}
}

// A key result's history written when it kept only target changes (no
// field, no reason) reads as target changes; the course corrections of
// kind and due date, with their reasons, survive a round trip.
func TestTargetHistoryDecodes(t *testing.T) {
	old := `{"id":"o1","team":"C1","cycle":"2026-Q4","title":"Delight","owner":"U1","cby":"U1","cat":1,"krs":[{"id":"k1","title":"Raise","owner":"U1","kind":"increase","unit":"number","start":1,"target":3,"cat":1,"th":[{"by":"U2","at":1762128000000,"from":2,"to":3}]}]}`
	o, err := decodeObjective("T1", []byte(old))
	if err != nil {
		t.Fatal(err)
	}
	want := okrs.TargetChange{Field: okrs.FieldTarget, By: "U2", At: time.UnixMilli(1762128000000).UTC(), From: 2, To: 3}
	if h := o.KeyResults[0].TargetHistory; len(h) != 1 || h[0] != want {
		t.Errorf("old history = %+v, want [%+v]", h, want)
	}

	at := time.Date(2026, 11, 18, 9, 30, 0, 0, time.UTC)
	kr := &o.KeyResults[0]
	kr.TargetHistory = append(kr.TargetHistory,
		okrs.TargetChange{Field: okrs.FieldKind, By: "U1", At: at, FromKind: okrs.Increase, ToKind: okrs.StayAbove, Reason: "hold it"},
		okrs.TargetChange{Field: okrs.FieldDue, By: "U1", At: at, ToDue: okrs.Date(2026, 12, 1), Reason: "<!channel> *bold*"},
		okrs.TargetChange{Field: okrs.FieldDue, By: "U1", At: at, FromDue: okrs.Date(2026, 12, 1)},
	)
	b, err := encodeObjective(o)
	if err != nil {
		t.Fatal(err)
	}
	again, err := decodeObjective("T1", b)
	if err != nil {
		t.Fatal(err)
	}
	got := again.KeyResults[0].TargetHistory
	if len(got) != len(kr.TargetHistory) {
		t.Fatalf("round trip: %d changes, want %d", len(got), len(kr.TargetHistory))
	}
	for i := range got {
		if got[i] != kr.TargetHistory[i] {
			t.Errorf("round trip: change %d = %+v, want %+v", i, got[i], kr.TargetHistory[i])
		}
	}
}

// An objective written before teams could share one belongs to its team
// alone, and sharing teams survive a round trip.
func TestSharedTeamsDecode(t *testing.T) {
	o, err := decodeObjective("T1", []byte(`{"id":"o1","team":"C1","cycle":"2026-Q4","title":"Delight","owner":"U1","cby":"U1","cat":1,"krs":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.SharedWith) != 0 || len(o.Teams()) != 1 {
		t.Errorf("old objective shared with %v", o.SharedWith)
	}
	o.SharedWith = []string{"C2", "C3"}
	b, err := encodeObjective(o)
	if err != nil {
		t.Fatal(err)
	}
	again, err := decodeObjective("T1", b)
	if err != nil || len(again.SharedWith) != 2 || again.SharedWith[1] != "C3" {
		t.Errorf("round trip: %v, %v", again.SharedWith, err)
	}
}

func TestSettingsKeepCycles(t *testing.T) {
	st := okrs.DefaultSettings("Europe/Berlin")
	closedAt := time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)
	st.Cycles = []okrs.Cycle{
		{Name: "2026-Q4", Start: okrs.Date(2026, 10, 1), End: okrs.Date(2026, 12, 2), ClosedAt: closedAt},
		{Name: "2027-H1", Start: okrs.Date(2026, 12, 2), End: okrs.Date(2027, 6, 30)},
	}
	b, err := encodeSettings(st)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeSettings(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cycles) != 2 || got.Cycles[0] != st.Cycles[0] || got.Cycles[1] != st.Cycles[1] {
		t.Errorf("got %+v, want %+v", got.Cycles, st.Cycles)
	}
}

func TestObjectiveKeepsGrading(t *testing.T) {
	o := &okrs.Objective{ID: "o1", Title: "Delight", Owner: "U1", KeyResults: []okrs.KeyResult{{ID: "k1", Title: "NPS"}}}
	if err := o.Apply(okrs.Grading{By: "U1", Note: "We learned a lot", Grades: map[string]okrs.Grade{"k1": 0.7}}, time.UnixMilli(1e12).UTC()); err != nil {
		t.Fatal(err)
	}
	b, err := encodeObjective(o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeObjective("W1", b)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Graded() || got.Grading.Note != "We learned a lot" || got.Grading.Grades["k1"] != 0.7 || got.Grading.By != "U1" {
		t.Errorf("got %+v", got.Grading)
	}
}
