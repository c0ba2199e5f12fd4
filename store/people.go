package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Facts about people that okrbot remembers: where their latest prompt in a
// team is, their DM channel, whether they have opened App Home.

// SetLastPrompt records where a person's latest prompt in a team landed,
// for ttl.
func (s *Store) SetLastPrompt(ctx context.Context, workspace, team, user string, ref okrs.PromptRef, ttl time.Duration) error {
	v := ref.Period + "|" + ref.Channel + "|" + ref.TS
	if err := s.rdb.Set(ctx, s.keys(workspace).lastPrompt(team, user), v, ttl).Err(); err != nil {
		return unavailable("set last prompt", err)
	}
	return nil
}

// LastPrompt returns where a person's latest prompt in a team landed; the
// zero PromptRef when there is none.
func (s *Store) LastPrompt(ctx context.Context, workspace, team, user string) (okrs.PromptRef, error) {
	v, err := s.rdb.Get(ctx, s.keys(workspace).lastPrompt(team, user)).Result()
	if errors.Is(err, redis.Nil) {
		return okrs.PromptRef{}, nil
	}
	if err != nil {
		return okrs.PromptRef{}, unavailable("get last prompt", err)
	}
	parts := strings.Split(v, "|")
	if len(parts) != 3 {
		return okrs.PromptRef{}, nil
	}
	return okrs.PromptRef{Period: parts[0], Posted: okrs.Posted{Channel: parts[1], TS: parts[2]}}, nil
}

// dmTTL keeps a DM channel id for a year: it never changes.
const dmTTL = 365 * 24 * time.Hour

// SetDMChannel remembers the id of okrbot's DM channel with user.
func (s *Store) SetDMChannel(ctx context.Context, workspace, user, channel string) error {
	if err := s.rdb.Set(ctx, s.keys(workspace).dm(user), channel, dmTTL).Err(); err != nil {
		return unavailable("set DM channel", err)
	}
	return nil
}

// DMChannel returns the id of okrbot's DM channel with user, "" when it
// was never opened.
func (s *Store) DMChannel(ctx context.Context, workspace, user string) (string, error) {
	v, err := s.rdb.Get(ctx, s.keys(workspace).dm(user)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", unavailable("get DM channel", err)
	}
	return v, nil
}

// MarkHomeOpened remembers, for ttl, that user has opened okrbot's App Home.
func (s *Store) MarkHomeOpened(ctx context.Context, workspace, user string, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.keys(workspace).home(user), "1", ttl).Err(); err != nil {
		return unavailable("mark App Home opened", err)
	}
	return nil
}

// HomeOpened reports whether user has opened okrbot's App Home lately.
func (s *Store) HomeOpened(ctx context.Context, workspace, user string) (bool, error) {
	n, err := s.rdb.Exists(ctx, s.keys(workspace).home(user)).Result()
	if err != nil {
		return false, unavailable("get App Home opened", err)
	}
	return n == 1, nil
}
