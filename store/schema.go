package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// SchemaVersion is the version of the Redis data layout this okrbot writes
// and understands. The data carries its version in the key "<prefix>:schema";
// data without one (every install before version 1) is version 0.
//
// Version 1 adds the index "<prefix>:{W}:objs", the set of every objective
// id of the workspace, archived ones included. Before it, an archived
// objective was in no index at all: nothing but a SCAN over the whole
// keyspace could find it, so a backup, a restore with --replace or any
// future "all of a workspace" operation had to scan. Migration 0 → 1 builds
// the index from the objectives' keys (one SCAN, once) and puts every
// workspace it finds in the workspaces set (which a failed write could have
// missed).
const SchemaVersion = 1

// SchemaError is data newer than this okrbot understands.
type SchemaError struct {
	Prefix string
	Found  int // the data's version
	Known  int // SchemaVersion
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("the data under Redis prefix %q is at schema version %d, newer than this okrbot understands (version %d): "+
		"run the okrbot release that wrote it (or a newer one), or restore a backup into an empty Redis", e.Prefix, e.Found, e.Known)
}

func (s *Store) schemaKey() string { return s.prefix + ":schema" }

// objectiveIndex is the set of every objective id of the workspace.
func (k keys) objectiveIndex() string { return k.base + "objs" }

// SchemaVersionOf returns the version the data in Redis carries: 0 when it
// carries none.
func (s *Store) SchemaVersionOf(ctx context.Context) (int, error) {
	v, err := s.rdb.Get(ctx, s.schemaKey()).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, unavailable("get schema version", err)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("store: %s is %q, not a schema version", s.schemaKey(), v)
	}
	return n, nil
}

// stampScript raises the schema version to ARGV[1], never lowers it.
var stampScript = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if cur < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return cur
`)

// MigrationLease is the lease migrations run under, and how long it lasts
// without renewal.
const (
	migrationLease    = "schema-migration"
	migrationLeaseTTL = time.Minute
)

// Migrate brings the data to SchemaVersion, exactly once across replicas:
// the replica that takes the migration lease migrates and stamps the
// version; the others wait for the stamp. It returns the version found and
// the version now, and a *SchemaError, changing nothing, when the data is
// newer than SchemaVersion. Each migration is idempotent, so one cut short
// (a crash, a lost lease) is simply run again by the next start.
func (s *Store) Migrate(ctx context.Context, holder string) (from, to int, err error) {
	for {
		v, err := s.SchemaVersionOf(ctx)
		if err != nil {
			return 0, 0, err
		}
		if v > SchemaVersion {
			return v, v, &SchemaError{Prefix: s.prefix, Found: v, Known: SchemaVersion}
		}
		if v == SchemaVersion {
			return v, v, nil
		}
		ok, err := s.AcquireLease(ctx, migrationLease, holder, migrationLeaseTTL)
		if err != nil {
			return v, v, err
		}
		if ok {
			return s.migrateHolding(ctx, holder)
		}
		select { // another replica migrates: wait for its stamp
		case <-ctx.Done():
			return v, v, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Store) migrateHolding(ctx context.Context, holder string) (int, int, error) {
	defer s.ReleaseLease(context.WithoutCancel(ctx), migrationLease, holder)
	v, err := s.SchemaVersionOf(ctx) // another replica may have finished meanwhile
	if err != nil || v >= SchemaVersion {
		return v, v, err
	}
	from := v
	for v < SchemaVersion {
		if err := migrations[v](ctx, s, holder); err != nil {
			return from, v, fmt.Errorf("store: migrating the data from schema version %d to %d: %w", v, v+1, err)
		}
		if _, err := stampScript.Run(ctx, s.rdb, []string{s.schemaKey()}, v+1).Result(); err != nil {
			return from, v, unavailable("stamp schema version", err)
		}
		v++
	}
	return from, v, nil
}

// migrations[v] takes the data from version v to v+1.
var migrations = []func(ctx context.Context, s *Store, holder string) error{
	0: migrateObjectiveIndex,
}

// migrateObjectiveIndex (0 → 1) builds each workspace's objective index
// from its objectives' keys, and lists every workspace that has some.
func migrateObjectiveIndex(ctx context.Context, s *Store, holder string) error {
	found, err := s.scanObjectives(ctx, "*")
	if err != nil {
		return err
	}
	for ws, ids := range found {
		for start := 0; start < len(ids); start += 1000 {
			batch := ids[start:min(start+1000, len(ids))]
			members := make([]any, len(batch))
			for i, id := range batch {
				members[i] = id
			}
			if err := s.rdb.SAdd(ctx, s.keysOfTag(ws).objectiveIndex(), members...).Err(); err != nil {
				return unavailable("build objective index", err)
			}
		}
		if err := s.rdb.SAdd(ctx, s.workspacesKey(), ws).Err(); err != nil {
			return unavailable("add workspace", err)
		}
		if ok, err := s.AcquireLease(ctx, migrationLease, holder, migrationLeaseTTL); err != nil || !ok {
			return fmt.Errorf("store: lost the migration lease: %v", err)
		}
	}
	return nil
}

// keysOfTag returns the keys of the workspace whose hash tag is tag (the
// workspace id as keys carry it).
func (s *Store) keysOfTag(tag string) keys { return keys{base: s.prefix + ":{" + tag + "}:"} }

// scanObjectives finds, by SCAN on every server, the objective keys of the
// workspaces whose tag matches the glob tagPattern, and returns their ids
// by tag. It reads the whole keyspace: for migrations and backups of
// unmigrated data only, never a request path.
func (s *Store) scanObjectives(ctx context.Context, tagPattern string) (map[string][]string, error) {
	pattern := globEscape(s.prefix) + ":{" + tagPattern + "}:o:*"
	out := map[string][]string{}
	var mu sync.Mutex
	err := forEachNode(ctx, s.rdb, func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			key := iter.Val()
			rest := strings.TrimPrefix(key, s.prefix+":{")
			tag, id, ok := strings.Cut(rest, "}:o:")
			if !ok || id == "" || strings.Contains(id, ":") {
				continue
			}
			mu.Lock()
			out[tag] = append(out[tag], id)
			mu.Unlock()
		}
		return iter.Err()
	})
	if err != nil {
		return nil, unavailable("scan objectives", err)
	}
	return out, nil
}

// forEachNode calls fn with each master of a cluster, or with rdb itself.
func forEachNode(ctx context.Context, rdb redis.UniversalClient, fn func(context.Context, *redis.Client) error) error {
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	}
	return fmt.Errorf("store: a %T is neither a *redis.Client nor a *redis.ClusterClient", rdb)
}

// globEscape escapes the characters SCAN's MATCH treats specially.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`, `]`, `\]`).Replace(s)
}
