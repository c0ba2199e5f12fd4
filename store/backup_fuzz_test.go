package store_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/okrbot/okrbot/store"
)

const fuzzSeed = `{"format": "okrbot-backup", "schema_version": 1, "exported_at": "2026-10-05T09:00:00Z", "workspaces": [{"id": "T1",
 "teams": [{"channel": "C1", "settings": {"cadence": "weekly", "prompt_day": "monday", "prompt_time": "10:00", "owner_local_time": true,
  "timezone": "UTC", "nudge_after_seconds": 86400, "digest_day": "friday", "digest_time": "16:00", "post_check_ins": false,
  "direct_key_results": false, "cycles": [{"name": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31"}]}}],
 "objectives": [{"id": "o1", "team": "C1", "cycle": "2026-Q4", "title": "Delight", "owner": "U1", "created_by": "U1",
  "created_at": "2026-10-05T09:00:00Z", "key_results": [{"id": "k1", "title": "NPS", "owner": "U1", "kind": "increase",
  "unit": "number", "start": 1, "target": 2, "current": 1.5, "history": [{"field": "target", "by": "U1", "at": "2026-10-06T09:00:00Z", "from": 3, "to": 2}],
  "check_ins": [{"id": "c1", "author": "U1", "at": "2026-10-06T09:00:00Z", "value": 1.5, "confidence": "on_track"}]}],
  "proposals": [{"id": "p1", "key_result": {"id": "", "title": "X", "owner": "", "kind": "milestone", "unit": "number", "start": 0, "target": 1},
   "proposed_by": "U2", "proposed_at": "2026-10-06T09:00:00Z", "state": "pending", "owner_dm": {"channel": "D1", "ts": "1.2"}}],
  "grading": {"by": "U1", "at": "2026-12-31T09:00:00Z", "grades": {"k1": 0.7}}}]}]}`

// FuzzDecodeBackup: whatever the file, DecodeBackup returns a backup or an
// error, and a backup it accepts encodes and decodes to the same bytes.
func FuzzDecodeBackup(f *testing.F) {
	f.Add(fuzzSeed)
	f.Add(`{"format": "okrbot-backup", "schema_version": 1, "exported_at": "2026-10-05T09:00:00Z", "workspaces": []}`)
	f.Fuzz(func(t *testing.T, data string) {
		b, err := store.DecodeBackup(bytes.NewReader([]byte(data)))
		if err != nil {
			return
		}
		first, err := store.MarshalBackup(b)
		if err != nil {
			t.Fatal(err)
		}
		b2, err := store.DecodeBackup(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("an accepted backup, encoded again, is refused: %v\n%s", err, first)
		}
		if second, _ := store.MarshalBackup(b2); !bytes.Equal(first, second) {
			t.Fatalf("encoding is not stable:\n%s\n%s", first, second)
		}
	})
}

// TestDecodeBackupMutations runs the fuzz property on a few thousand
// random corruptions of the seed (the fuzz engine needs -fuzz; this runs
// every time): no panic, and what is accepted encodes stably.
func TestDecodeBackupMutations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range 3000 {
		b := []byte(fuzzSeed)
		for range 1 + r.IntN(4) {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		got, err := store.DecodeBackup(bytes.NewReader(b))
		if err != nil {
			continue
		}
		accepted++
		first, err := store.MarshalBackup(got)
		if err != nil {
			t.Fatal(err)
		}
		again, err := store.DecodeBackup(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("accepted %q, but not its own encoding: %v", b, err)
		}
		if second, _ := store.MarshalBackup(again); !bytes.Equal(first, second) {
			t.Fatalf("encoding of %q is not stable", b)
		}
	}
	if accepted == 0 || accepted == 3000 {
		t.Errorf("%d of 3000 corruptions accepted: the test is not testing", accepted)
	}
}
