package store

import (
	"context"
	"slices"
	"strings"

	"github.com/okrbot/okrbot/okrs"
)

// TeamHistory returns every objective the team has had, in every cycle,
// archived ones and those other teams share with it included, oldest
// first, each key result with all its check-ins: what an export of the
// team holds. It reads the workspace's objective index (schema version 1);
// on data not yet migrated to it, it finds the workspace's objectives by
// SCAN, as ExportWorkspace does. Three round trips (the index, the
// objectives, the team's key results and check-ins).
func (s *Store) TeamHistory(ctx context.Context, workspace, team string) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	v, err := s.SchemaVersionOf(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	if v >= 1 {
		if ids, err = s.rdb.SMembers(ctx, k.objectiveIndex()).Result(); err != nil {
			return nil, unavailable("list objectives", err)
		}
	} else {
		tag := tagSafe(workspace)
		found, err := s.scanObjectives(ctx, globEscape(tag))
		if err != nil {
			return nil, err
		}
		ids = found[tag]
	}
	docs, err := s.objectives(ctx, workspace, k, ids, noLive)
	if err != nil {
		return nil, err
	}
	var mine []*okrs.Objective
	for _, o := range docs {
		if o.BelongsTo(team) {
			mine = append(mine, o)
		}
	}
	if err := s.loadLive(ctx, s.rdb, k, mine, -1); err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(mine))
	for _, o := range mine {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b okrs.Objective) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}
