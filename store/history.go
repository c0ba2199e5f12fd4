package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// TeamHistory returns every objective the team has had, in every cycle,
// archived ones and those other teams share with it included, oldest
// first, each key result with all its check-ins: what an export of the
// team holds. It reads the team's t:<team>:all index, which every write of
// an objective keeps. Objectives written before that index existed are
// added to it once per workspace, by a SCAN of the workspace's objectives
// (backfillHistory), the first time any team's history is asked for.
func (s *Store) TeamHistory(ctx context.Context, workspace, team string) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	n, err := s.rdb.Exists(ctx, k.marker(historyIndexed)).Result()
	if err != nil {
		return nil, unavailable("check the history index", err)
	}
	if n == 0 {
		if err := s.backfillHistory(ctx, workspace); err != nil {
			return nil, err
		}
	}
	ids, err := s.rdb.ZRange(ctx, k.teamAll(team), 0, -1).Result()
	if err != nil {
		return nil, unavailable("list the team's objectives", err)
	}
	objs, err := s.objectives(ctx, workspace, k, ids, -1)
	if err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(objs))
	for _, o := range objs {
		if o.BelongsTo(team) {
			out = append(out, *o)
		}
	}
	slices.SortStableFunc(out, func(a, b okrs.Objective) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

const historyIndexed = "history-indexed"

// backfillHistory adds every objective of the workspace to the history
// index of each of its teams, then marks the workspace as indexed. It
// SCANs (on each master of a cluster: the workspace's keys are in one slot
// of one of them), so it runs once per workspace; running it twice, or
// beside writes that index objectives themselves, only adds what is there
// already.
func (s *Store) backfillHistory(ctx context.Context, workspace string) error {
	k := s.keys(workspace)
	pattern := globEscape(k.base) + "o:*"
	var (
		mu   sync.Mutex
		keys []string
	)
	collect := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		var found []string
		for iter.Next(ctx) {
			found = append(found, iter.Val())
		}
		if err := iter.Err(); err != nil {
			return err
		}
		mu.Lock()
		keys = append(keys, found...)
		mu.Unlock()
		return nil
	}
	var err error
	switch c := s.rdb.(type) {
	case *redis.ClusterClient:
		err = c.ForEachMaster(ctx, collect)
	case *redis.Client:
		err = collect(ctx, c)
	default:
		err = fmt.Errorf("a %T is neither a *redis.Client nor a *redis.ClusterClient", s.rdb)
	}
	if err != nil {
		return unavailable("index the team histories", err)
	}
	for batch := range slices.Chunk(keys, 500) {
		raws, err := s.rdb.MGet(ctx, batch...).Result()
		if err != nil {
			return unavailable("index the team histories", err)
		}
		_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, r := range raws {
				str, ok := r.(string)
				if !ok {
					continue
				}
				o, err := decodeObjective(workspace, []byte(str))
				if err != nil {
					return errors.Join(errors.New("an objective that does not decode"), err)
				}
				for _, t := range o.Teams() {
					p.ZAddNX(ctx, k.teamAll(t), redis.Z{Score: float64(ms(o.CreatedAt)), Member: o.ID})
				}
			}
			return nil
		})
		if err != nil {
			return unavailable("index the team histories", err)
		}
	}
	if err := s.rdb.Set(ctx, k.marker(historyIndexed), "1", 0).Err(); err != nil {
		return unavailable("index the team histories", err)
	}
	return nil
}

// globEscape escapes the characters SCAN's MATCH treats specially.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`).Replace(s)
}
