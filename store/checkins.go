package store

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// recordScript stores check-ins in one atomic step. KEYS come in threes
// per check-in (key result hash, its history list, the author's set of key
// results); ARGV in sixes (JSON, time ms, value, level, author, key result
// id). It checks every key result first, and writes nothing unless all
// exist, are active and are the author's own: the ownership check and the
// write happen together. The live state moves only to a check-in at least as
// new as the last one, so the newest always wins.
//
// With one more key after the triples (an idempotency marker) and one more
// ARGV after the sixes (its time to live in ms), the script first returns
// {'duplicate'} without writing anything when the marker exists, and sets
// it together with the writes: a delivery seen twice records once, and a
// delivery that failed a check leaves no marker, so it may be retried.
//
// With n more ARGV after those (one per check-in: the time in ms of the key
// result's last check-in the caller saw, 0 for none), it returns
// {'stale', i} without writing anything when a key result's last check-in
// is another one: a check-in prepared from an older state (a reply's
// preview) is refused once a newer check-in came in.
var recordScript = redis.NewScript(`
local n = math.floor(#KEYS / 3)
local idem = nil
if #KEYS % 3 == 1 then idem = KEYS[#KEYS] end
if idem and redis.call('EXISTS', idem) == 1 then return {'duplicate', '0'} end
local seen = 6 * n
if idem then seen = seen + 1 end
for i = 0, n - 1 do
  local h, u = KEYS[i * 3 + 1], KEYS[i * 3 + 3]
  if redis.call('EXISTS', h) == 0 then return {'notfound', tostring(i)} end
  if redis.call('HGET', h, 'x') == '1' then return {'archived', tostring(i)} end
  local member = (redis.call('HGET', h, 'o') or '') .. '/' .. ARGV[i * 6 + 6]
  if redis.call('SISMEMBER', u, member) == 0 then return {'notowner', tostring(i)} end
  if #ARGV >= seen + n then
    local last = tonumber(redis.call('HGET', h, 't') or '0') or 0
    if last ~= tonumber(ARGV[seen + i + 1]) then return {'stale', tostring(i)} end
  end
end
for i = 0, n - 1 do
  local h, l = KEYS[i * 3 + 1], KEYS[i * 3 + 2]
  local a = i * 6
  redis.call('LPUSH', l, ARGV[a + 1])
  local last = tonumber(redis.call('HGET', h, 't') or '0') or 0
  if tonumber(ARGV[a + 2]) >= last then
    redis.call('HSET', h, 'v', ARGV[a + 3], 'c', ARGV[a + 4], 't', ARGV[a + 2], 'a', ARGV[a + 5])
  end
end
if idem then redis.call('SET', idem, '1', 'PX', ARGV[6 * n + 1]) end
return {'ok', tostring(n)}
`)

// RecordCheckIns stores check-ins atomically in one round trip (EVALSHA,
// falling back to EVAL the first time a server sees the script), giving
// each an ID, and moves each key result's current value to its newest
// check-in. It fails with ENOTFOUND when a key result does not exist in the
// workspace, EINVALID when one is archived and EFORBIDDEN when one is not
// its author's own (any more), storing nothing.
func (s *Store) RecordCheckIns(ctx context.Context, workspace string, checkIns []okrs.CheckIn) ([]okrs.CheckIn, error) {
	out, _, err := s.RecordCheckInsOnce(ctx, workspace, "", 0, checkIns)
	return out, err
}

// RecordCheckInsOnce is RecordCheckIns that records the check-ins at most
// once per idempotency key within ttl: the key (say, a Slack view's id and
// hash) is claimed in the same atomic step as the writes, and a second call
// with the same key stores nothing and reports duplicate. A call that fails
// claims nothing. An empty key means no idempotency.
func (s *Store) RecordCheckInsOnce(ctx context.Context, workspace, key string, ttl time.Duration, checkIns []okrs.CheckIn) (stored []okrs.CheckIn, duplicate bool, err error) {
	return s.recordCheckIns(ctx, workspace, key, ttl, checkIns, nil)
}

// RecordCheckInsIfUnchanged is RecordCheckInsOnce for check-ins prepared
// earlier from what the caller saw: lastAt[i] is when checkIns[i]'s key
// result had its last check-in then (zero for none). In the same atomic
// step as the writes it checks that each key result's last check-in is
// still that one, and otherwise stores nothing and fails with ECONFLICT.
func (s *Store) RecordCheckInsIfUnchanged(ctx context.Context, workspace, key string, ttl time.Duration, checkIns []okrs.CheckIn, lastAt []time.Time) (stored []okrs.CheckIn, duplicate bool, err error) {
	if len(lastAt) != len(checkIns) {
		return nil, false, okrs.Errorf(okrs.EINTERNAL, "store: %d check-ins and %d last check-in times", len(checkIns), len(lastAt))
	}
	return s.recordCheckIns(ctx, workspace, key, ttl, checkIns, lastAt)
}

func (s *Store) recordCheckIns(ctx context.Context, workspace, key string, ttl time.Duration, checkIns []okrs.CheckIn, lastAt []time.Time) (stored []okrs.CheckIn, duplicate bool, err error) {
	if len(checkIns) == 0 {
		return nil, false, nil
	}
	if key != "" && ttl <= 0 {
		return nil, false, okrs.Errorf(okrs.EINTERNAL, "store: an idempotency key needs a time to live")
	}
	k := s.keys(workspace)
	out := slices.Clone(checkIns)
	keys := make([]string, 0, 3*len(out))
	args := make([]any, 0, 6*len(out))
	for i := range out {
		c := &out[i]
		if c.ID == "" {
			c.ID = newID()
		}
		doc, err := encodeCheckIn(c)
		if err != nil {
			return nil, false, err
		}
		keys = append(keys, k.keyResult(c.KeyResultID), k.krCheckIns(c.KeyResultID), k.userKeyResults(c.Author))
		args = append(args, doc, ms(c.At), fmtFloat(c.Value), string(c.Confidence.Level), c.Author, c.KeyResultID)
	}
	if key != "" {
		keys = append(keys, k.marker("idem:"+key))
		args = append(args, ttl.Milliseconds())
	}
	for _, t := range lastAt {
		args = append(args, ms(t))
	}
	res, err := recordScript.Run(ctx, s.rdb, keys, args...).StringSlice()
	if err != nil {
		return nil, false, unavailable("record check-ins", err)
	}
	if len(res) == 2 && res[0] != "ok" {
		i, _ := strconv.Atoi(res[1])
		switch res[0] {
		case "duplicate":
			return nil, true, nil
		case "archived":
			return nil, false, okrs.Errorf(okrs.EINVALID, "That key result has been archived, so it takes no more check-ins.")
		case "stale":
			return nil, false, okrs.Errorf(okrs.ECONFLICT, "A newer check-in came in since, so nothing was recorded.")
		case "notowner":
			return nil, false, okrs.Errorf(okrs.EFORBIDDEN, "That key result is not yours to check in on (any more), so nothing was recorded.")
		}
		return nil, false, notFound("That key result does not exist (key result %d of %d).", i+1, len(out))
	}
	return out, false, nil
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
