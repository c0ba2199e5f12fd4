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
