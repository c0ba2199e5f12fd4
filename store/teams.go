package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Settings returns a team's settings, ENOTFOUND when it has none saved.
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

// SaveSettings stores a team's settings, whatever was there.
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

// UpdateSettings reads a team's settings (found is false, and cur the
// zero Settings, when it has none saved), lets update decide and change
// them, and saves what it returns, all in one optimistic transaction: a
// concurrent save makes it read again and call update again, so a
// permission check in update always judges the settings it replaces. An
// error from update aborts without writing.
func (s *Store) UpdateSettings(ctx context.Context, workspace, team string, update func(cur okrs.Settings, found bool) (okrs.Settings, error)) (okrs.Settings, error) {
	k := s.keys(workspace)
	key := k.teamSettings(team)
	var saved okrs.Settings
	txf := func(tx *redis.Tx) error {
		raw, err := tx.Get(ctx, key).Bytes()
		found := err == nil
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		var cur okrs.Settings
		if found {
			if cur, err = decodeSettings(raw); err != nil {
				return err
			}
		}
		next, err := update(cur, found)
		if err != nil {
			return err
		}
		doc, err := encodeSettings(next)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, doc, 0)
			p.SAdd(ctx, k.teams(), team)
			return nil
		})
		if err == nil {
			saved = next
		}
		return err
	}
	if err := s.watch(ctx, "update settings", "Someone else is changing these settings right now. Please try again.", txf, key); err != nil {
		return okrs.Settings{}, err
	}
	return saved, s.noteWorkspace(ctx, workspace)
}

// Teams returns the channels of the workspace's teams: those with
// objectives or settings.
func (s *Store) Teams(ctx context.Context, workspace string) ([]string, error) {
	teams, err := s.rdb.SMembers(ctx, s.keys(workspace).teams()).Result()
	if err != nil {
		return nil, unavailable("list teams", err)
	}
	slices.Sort(teams)
	return teams, nil
}

// Workspaces returns every workspace that has data.
func (s *Store) Workspaces(ctx context.Context) ([]string, error) {
	ws, err := s.rdb.SMembers(ctx, s.workspacesKey()).Result()
	if err != nil {
		return nil, unavailable("list workspaces", err)
	}
	slices.Sort(ws)
	return ws, nil
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
