package store

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// Drafts are forms a person submitted and has not saved yet (the coach's
// review step stands between): kept under the person's own id, so that a
// draft id in a payload can only ever name the sender's drafts. The store
// does not read them: the bot encodes what it needs.

func (k keys) draft(user, id string) string { return k.marker("draft:" + user + ":" + id) }

// SaveDraft keeps a person's draft for ttl.
func (s *Store) SaveDraft(ctx context.Context, workspace, user, id string, data []byte, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.keys(workspace).draft(user, id), data, ttl).Err(); err != nil {
		return unavailable("save draft", err)
	}
	return nil
}

// Draft returns a person's draft, or nil when there is none (it expired, or
// was saved).
func (s *Store) Draft(ctx context.Context, workspace, user, id string) ([]byte, error) {
	b, err := s.rdb.Get(ctx, s.keys(workspace).draft(user, id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, unavailable("get draft", err)
	}
	return b, nil
}

// DropDraft forgets a draft once it is saved.
func (s *Store) DropDraft(ctx context.Context, workspace, user, id string) error {
	if err := s.rdb.Del(ctx, s.keys(workspace).draft(user, id)).Err(); err != nil {
		return unavailable("drop draft", err)
	}
	return nil
}
