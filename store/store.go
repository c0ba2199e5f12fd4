package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// DefaultPrefix starts every key okrbot writes.
const DefaultPrefix = "okrbot"

// Store keeps okrbot's data in Redis. It is safe for concurrent use. Every
// method is scoped by workspace: an id from one workspace is not found in
// another. Errors are *okrs.Error values (ENOTFOUND, ECONFLICT, EINVALID,
// EUNAVAILABLE) or wrap them.
type Store struct {
	rdb    redis.UniversalClient
	prefix string

	knownWorkspaces sync.Map // workspace → struct{}: already in the workspaces set
}

// New returns a Store on rdb whose keys start with prefix (DefaultPrefix
// when empty). The caller owns rdb and closes it.
func New(rdb redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{rdb: rdb, prefix: prefix}
}

// Ping checks that Redis answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// newID returns a random id of 10 characters (50 bits), lower-case base32.
func newID() string {
	var b [7]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("store: reading random bytes: %v", err)) // crypto/rand does not fail on Linux
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))[:10]
}

// unavailable wraps a Redis failure so that people see a domain message and
// logs keep the cause.
func unavailable(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *okrs.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("store: %s: %w", op, errors.Join(
			okrs.Errorf(okrs.EUNAVAILABLE, "Storage took too long to answer. Please try again in a moment."), err))
	}
	return fmt.Errorf("store: %s: %w", op, errors.Join(
		okrs.Errorf(okrs.EUNAVAILABLE, "Storage is unavailable right now. Please try again in a moment."), err))
}

func notFound(format string, args ...any) error { return okrs.Errorf(okrs.ENOTFOUND, format, args...) }

// noteWorkspace records the workspace in the global set, once per process.
// It is a separate single-key write: the set lives outside every
// workspace's slot.
func (s *Store) noteWorkspace(ctx context.Context, workspace string) error {
	if _, ok := s.knownWorkspaces.Load(workspace); ok {
		return nil
	}
	if err := s.rdb.SAdd(ctx, s.workspacesKey(), workspace).Err(); err != nil {
		return unavailable("add workspace", err)
	}
	s.knownWorkspaces.Store(workspace, struct{}{})
	return nil
}

// lastIndex turns a limit (-1 or less for all) into the stop of LRANGE.
func lastIndex(limit int) int64 {
	if limit < 0 {
		return -1
	}
	return int64(limit - 1)
}
