package store

import (
	"testing"
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
