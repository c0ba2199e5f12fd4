package store

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// CheckIns returns a key result's check-ins, newest first, at most limit
// (-1 for all): for tests, which look at what was stored.
func (s *Store) CheckIns(ctx context.Context, workspace, keyResult string, limit int) ([]okrs.CheckIn, error) {
	k := s.keys(workspace)
	items, err := s.rdb.LRange(ctx, k.krCheckIns(keyResult), 0, lastIndex(limit)).Result()
	if err != nil && err != redis.Nil {
		return nil, err
	}
	return decodeCheckIns(keyResult, items), nil
}
