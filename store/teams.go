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

// settleScript replaces a claim's value if the caller still holds it.
var settleScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`)

// releaseScript deletes a claim if the caller still holds it.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// Claim implements okrs.Marker with SET NX PX.
func (s *Store) Claim(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys(workspace).marker(key), token, ttl).Result()
	if err != nil {
		return false, unavailable("claim", err)
	}
	return ok, nil
}

// Settle implements okrs.Marker with a compare-and-set script.
func (s *Store) Settle(ctx context.Context, workspace, key, token, value string, ttl time.Duration) (bool, error) {
	n, err := settleScript.Run(ctx, s.rdb, []string{s.keys(workspace).marker(key)}, token, value, ttl.Milliseconds()).Int()
	if err != nil {
		return false, unavailable("settle", err)
	}
	return n == 1, nil
}

// Release implements okrs.Marker with a compare-and-delete script.
func (s *Store) Release(ctx context.Context, workspace, key, token string) (bool, error) {
	n, err := releaseScript.Run(ctx, s.rdb, []string{s.keys(workspace).marker(key)}, token).Int()
	if err != nil {
		return false, unavailable("release", err)
	}
	return n == 1, nil
}

// Put implements okrs.Marker.
func (s *Store) Put(ctx context.Context, workspace, key, value string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.keys(workspace).marker(key), value, ttl).Err(); err != nil {
		return unavailable("put", err)
	}
	return nil
}

// Get implements okrs.Marker.
func (s *Store) Get(ctx context.Context, workspace, key string) (string, error) {
	v, err := s.rdb.Get(ctx, s.keys(workspace).marker(key)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", unavailable("get", err)
	}
	return v, nil
}

// leaseScript takes a lease that is free or renews one the holder has.
var leaseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

// AcquireLease takes the lease name for holder, or renews it if holder
// has it, for ttl; it reports whether holder has it now. Leases are global,
// not per workspace: one replica leads the scheduler for all of them.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	n, err := leaseScript.Run(ctx, s.rdb, []string{s.prefix + ":lease:" + name}, holder, ttl.Milliseconds()).Int()
	if err != nil {
		return false, unavailable("lease", err)
	}
	return n == 1, nil
}

// ReleaseLease gives up the lease if holder has it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{s.prefix + ":lease:" + name}, holder).Err(); err != nil {
		return unavailable("release lease", err)
	}
	return nil
}
