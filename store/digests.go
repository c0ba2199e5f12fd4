package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// The digest archive: one record per team and week it was posted, in a
// hash keyed by the week (recording a week again replaces its record, so a
// retried digest is one entry). Kept for as long as the team's objectives.

type digestDoc struct {
	Cycle      string  `json:"cycle"`
	Week       string  `json:"week"`
	Channel    string  `json:"ch"`
	TS         string  `json:"ts"`
	PostedAt   int64   `json:"at"` // unix ms
	Objectives int     `json:"objs"`
	Progress   float64 `json:"prog"`
	Owners     int     `json:"owners"`
	CheckedIn  int     `json:"in"`
	AtRisk     int     `json:"risk"`
}

// RecordDigest keeps a posted digest in its team's archive.
func (s *Store) RecordDigest(ctx context.Context, workspace string, r okrs.DigestRecord) error {
	if r.Team == "" || r.Week == "" {
		return okrs.Errorf(okrs.EINVALID, "store: a digest record needs its team and week")
	}
	b, err := encodeDigest(r)
	if err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, s.keys(workspace).teamDigests(r.Team), r.Week, b).Err(); err != nil {
		return unavailable("record digest", err)
	}
	return nil
}

func encodeDigest(r okrs.DigestRecord) ([]byte, error) {
	b, err := json.Marshal(digestDoc{Cycle: r.Cycle, Week: r.Week, Channel: r.Channel, TS: r.TS, PostedAt: r.PostedAt.UnixMilli(),
		Objectives: r.Objectives, Progress: r.Progress, Owners: r.Owners, CheckedIn: r.CheckedIn, AtRisk: r.AtRisk})
	if err != nil {
		return nil, okrs.Errorf(okrs.EINTERNAL, "store: encoding a digest record: %v", err)
	}
	return b, nil
}

// decodeDigests reads a team's archive hash, newest week first; records
// that cannot be read are left out.
func decodeDigests(team string, m map[string]string) []okrs.DigestRecord {
	out := make([]okrs.DigestRecord, 0, len(m))
	for _, v := range m {
		var d digestDoc
		if json.Unmarshal([]byte(v), &d) != nil {
			continue
		}
		out = append(out, okrs.DigestRecord{Team: team, Cycle: d.Cycle, Week: d.Week, Channel: d.Channel, TS: d.TS,
			PostedAt: time.UnixMilli(d.PostedAt).UTC(), Objectives: d.Objectives, Progress: d.Progress,
			Owners: d.Owners, CheckedIn: d.CheckedIn, AtRisk: d.AtRisk})
	}
	slices.SortFunc(out, func(a, b okrs.DigestRecord) int { return strings.Compare(b.Week, a.Week) })
	return out
}

// Digests returns a team's archived digests, newest week first; those of
// one cycle when cycle is not empty.
func (s *Store) Digests(ctx context.Context, workspace, team, cycle string) ([]okrs.DigestRecord, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys(workspace).teamDigests(team)).Result()
	if err != nil {
		return nil, unavailable("digests", err)
	}
	all := decodeDigests(team, m)
	if cycle == "" {
		return all, nil
	}
	return slices.DeleteFunc(all, func(r okrs.DigestRecord) bool { return r.Cycle != cycle }), nil
}
