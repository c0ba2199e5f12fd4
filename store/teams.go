package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Settings implements okrs.TeamStore.
func (s *Store) Settings(ctx context.Context, workspace, team string) (okrs.Settings, error) {
	raw, err := s.rdb.Get(ctx, s.keys(workspace).teamSettings(team)).Bytes()
	if errors.Is(err, redis.Nil) {
		return okrs.Settings{}, notFound("This team has no settings yet.")
	}
	if err != nil {
		return okrs.Settings{}, unavailable("get settings", err)
	}
	return decodeSettings(raw)
}

// SaveSettings implements okrs.TeamStore.
func (s *Store) SaveSettings(ctx context.Context, workspace, team string, st okrs.Settings) error {
	k := s.keys(workspace)
	doc, err := encodeSettings(st)
	if err != nil {
		return err
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, k.teamSettings(team), doc, 0)
		p.SAdd(ctx, k.teams(), team)
		return nil
	})
	if err != nil {
		return unavailable("save settings", err)
	}
	return s.noteWorkspace(ctx, workspace)
}

// Teams implements okrs.TeamStore.
func (s *Store) Teams(ctx context.Context, workspace string) ([]string, error) {
	teams, err := s.rdb.SMembers(ctx, s.keys(workspace).teams()).Result()
	if err != nil {
		return nil, unavailable("list teams", err)
	}
	slices.Sort(teams)
	return teams, nil
}

// Workspaces implements okrs.TeamStore.
func (s *Store) Workspaces(ctx context.Context) ([]string, error) {
	ws, err := s.rdb.SMembers(ctx, s.workspacesKey()).Result()
	if err != nil {
		return nil, unavailable("list workspaces", err)
	}
	slices.Sort(ws)
	return ws, nil
}

// Mark implements okrs.Marker with SET NX PX.
func (s *Store) Mark(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys(workspace).marker(key), "1", ttl).Result()
	if err != nil {
		return false, unavailable("set marker", err)
	}
	return ok, nil
}

// Unmark implements okrs.Marker.
func (s *Store) Unmark(ctx context.Context, workspace, key string) error {
	if err := s.rdb.Del(ctx, s.keys(workspace).marker(key)).Err(); err != nil {
		return unavailable("delete marker", err)
	}
	return nil
}

// SetMark implements okrs.Marker.
func (s *Store) SetMark(ctx context.Context, workspace, key string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.keys(workspace).marker(key), "1", ttl).Err(); err != nil {
		return unavailable("set marker", err)
	}
	return nil
}

// Marked implements okrs.Marker.
func (s *Store) Marked(ctx context.Context, workspace, key string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys(workspace).marker(key)).Result()
	if err != nil {
		return false, unavailable("read marker", err)
	}
	return n == 1, nil
}
