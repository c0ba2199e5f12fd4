package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// recordScript stores check-ins in one atomic step. KEYS come in threes per
// check-in (key result hash, its history list, the author's list); ARGV in
// sevens (JSON, time ms, value, level, score or "", author, author-list
// entry). It checks every key result first and writes nothing unless all
// exist and are active. The live state moves only to a check-in at least as
// new as the last one, so the newest always wins.
var recordScript = redis.NewScript(`
local n = #KEYS / 3
for i = 0, n - 1 do
  local h = KEYS[i * 3 + 1]
  if redis.call('EXISTS', h) == 0 then return {'notfound', tostring(i)} end
  if redis.call('HGET', h, 'x') == '1' then return {'archived', tostring(i)} end
end
for i = 0, n - 1 do
  local h, l, u = KEYS[i * 3 + 1], KEYS[i * 3 + 2], KEYS[i * 3 + 3]
  local a = i * 7
  redis.call('LPUSH', l, ARGV[a + 1])
  redis.call('LPUSH', u, ARGV[a + 7])
  local last = tonumber(redis.call('HGET', h, 't') or '0') or 0
  if tonumber(ARGV[a + 2]) >= last then
    redis.call('HSET', h, 'v', ARGV[a + 3], 'c', ARGV[a + 4], 't', ARGV[a + 2], 'a', ARGV[a + 6])
    if ARGV[a + 5] == '' then redis.call('HDEL', h, 's') else redis.call('HSET', h, 's', ARGV[a + 5]) end
  end
end
return {'ok', tostring(n)}
`)

// RecordCheckIns implements okrs.CheckInStore in one round trip (EVALSHA,
// falling back to EVAL the first time a server sees the script).
func (s *Store) RecordCheckIns(ctx context.Context, workspace string, checkIns []okrs.CheckIn) ([]okrs.CheckIn, error) {
	if len(checkIns) == 0 {
		return nil, nil
	}
	k := s.keys(workspace)
	out := slices.Clone(checkIns)
	keys := make([]string, 0, 3*len(out))
	args := make([]any, 0, 7*len(out))
	for i := range out {
		c := &out[i]
		if c.ID == "" {
			c.ID = newID()
		}
		doc, err := encodeCheckIn(c)
		if err != nil {
			return nil, err
		}
		score := ""
		if c.Confidence.HasScore {
			score = strconv.Itoa(c.Confidence.Score)
		}
		keys = append(keys, k.keyResult(c.KeyResultID), k.krCheckIns(c.KeyResultID), k.userCheckIns(c.Author))
		args = append(args, doc, ms(c.At), fmtFloat(c.Value), string(c.Confidence.Level), score, c.Author, c.KeyResultID+"/"+c.ID)
	}
	res, err := recordScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, unavailable("record check-ins", err)
	}
	if len(res) == 2 && res[0] != "ok" {
		i, _ := strconv.Atoi(res[1])
		if res[0] == "archived" {
			return nil, okrs.Errorf(okrs.EINVALID, "That key result has been archived, so it takes no more check-ins.")
		}
		return nil, notFound("That key result does not exist (key result %d of %d).", i+1, len(out))
	}
	return out, nil
}

// CheckIns implements okrs.CheckInStore.
func (s *Store) CheckIns(ctx context.Context, workspace, keyResult string, limit int) ([]okrs.CheckIn, error) {
	if limit == 0 {
		return nil, nil
	}
	k := s.keys(workspace)
	var exists *redis.IntCmd
	var items *redis.StringSliceCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		exists = p.Exists(ctx, k.keyResult(keyResult))
		items = p.LRange(ctx, k.krCheckIns(keyResult), 0, lastIndex(limit))
		return nil
	})
	if err != nil {
		return nil, unavailable("list check-ins", err)
	}
	if exists.Val() == 0 {
		return nil, notFound("That key result does not exist.")
	}
	return decodeCheckIns(keyResult, items.Val()), nil
}

func decodeCheckIns(kr string, items []string) []okrs.CheckIn {
	out := make([]okrs.CheckIn, 0, len(items))
	for _, it := range items {
		if c, err := decodeCheckIn(kr, []byte(it)); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// CheckInsBy implements okrs.CheckInStore in two round trips: the author's
// list of references, then the histories they point into.
func (s *Store) CheckInsBy(ctx context.Context, workspace, user string, limit int) ([]okrs.CheckIn, error) {
	if limit == 0 {
		return nil, nil
	}
	k := s.keys(workspace)
	refs, err := s.rdb.LRange(ctx, k.userCheckIns(user), 0, lastIndex(limit)).Result()
	if err != nil {
		return nil, unavailable("list check-ins", err)
	}
	if len(refs) == 0 {
		return nil, nil
	}
	lists := map[string]*redis.StringSliceCmd{}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, r := range refs {
			kr, _, _ := strings.Cut(r, "/")
			if lists[kr] == nil {
				lists[kr] = p.LRange(ctx, k.krCheckIns(kr), 0, -1)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, unavailable("list check-ins", err)
	}
	byID := map[string]okrs.CheckIn{}
	for kr, cmd := range lists {
		for _, c := range decodeCheckIns(kr, cmd.Val()) {
			byID[kr+"/"+c.ID] = c
		}
	}
	out := make([]okrs.CheckIn, 0, len(refs))
	for _, r := range refs {
		if c, ok := byID[r]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}
