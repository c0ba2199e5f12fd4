package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Respecting people's time: what a person said with /okr away, the prompts
// held while people were away, and the prompts they snoozed.

func (k keys) away(u string) string    { return k.base + "u:" + u + ":away" }
func (k keys) held(team string) string { return k.marker("held:" + team) }
func (k keys) snoozes() string         { return k.marker("snoozes") }
func awayDoc(r okrs.AwayRecord) string {
	return strconv.FormatInt(ms(r.Until), 10) + "|" + strconv.FormatInt(ms(r.SetAt), 10)
}
func heldField(user, period string) string { return period + "|" + user }

// SetAway records that a person is away until r.Until (they said /okr away);
// the record expires a day after it ends.
func (s *Store) SetAway(ctx context.Context, workspace string, r okrs.AwayRecord) error {
	if r.SetAt.IsZero() || r.Until.IsZero() {
		return okrs.Errorf(okrs.EINTERNAL, "store: an away record needs its dates")
	}
	ttl := awayTTL(r, r.SetAt)
	if ttl < time.Hour {
		ttl = time.Hour
	}
	if err := s.rdb.Set(ctx, s.keys(workspace).away(r.User), awayDoc(r), ttl).Err(); err != nil {
		return unavailable("set away", err)
	}
	return s.noteWorkspace(ctx, workspace)
}

// ClearAway forgets what a person said with /okr away (/okr back) and
// reports whether there was anything to forget.
func (s *Store) ClearAway(ctx context.Context, workspace, user string) (bool, error) {
	n, err := s.rdb.Del(ctx, s.keys(workspace).away(user)).Result()
	if err != nil {
		return false, unavailable("clear away", err)
	}
	return n == 1, nil
}

// AwayRecords returns what each of users said with /okr away, in one round
// trip; people who said nothing are left out.
func (s *Store) AwayRecords(ctx context.Context, workspace string, users []string) (map[string]okrs.AwayRecord, error) {
	out := map[string]okrs.AwayRecord{}
	if len(users) == 0 {
		return out, nil
	}
	k := s.keys(workspace)
	ks := make([]string, len(users))
	for i, u := range users {
		ks[i] = k.away(u)
	}
	vals, err := s.rdb.MGet(ctx, ks...).Result()
	if err != nil {
		return nil, unavailable("get away", err)
	}
	for i, v := range vals {
		str, ok := v.(string)
		if !ok {
			continue
		}
		if r, ok := decodeAway(users[i], str); ok {
			out[users[i]] = r
		}
	}
	return out, nil
}

// decodeAway reads an away record written by awayDoc.
func decodeAway(user, str string) (okrs.AwayRecord, bool) {
	until, set, _ := strings.Cut(str, "|")
	u, err1 := strconv.ParseInt(until, 10, 64)
	a, err2 := strconv.ParseInt(set, 10, 64)
	if err1 != nil || err2 != nil {
		return okrs.AwayRecord{}, false
	}
	return okrs.AwayRecord{User: user, Until: fromMS(u), SetAt: fromMS(a)}, true
}

// awayTTL is how long an away record is kept: until a day after it ends.
func awayTTL(r okrs.AwayRecord, now time.Time) time.Duration {
	return r.Until.Sub(now) + 24*time.Hour
}

// heldTTL keeps a team's held prompts for longer than a cycle, for streaks.
const heldTTL = 120 * 24 * time.Hour

type heldDoc struct {
	At  int64           `json:"a"`
	Why okrs.AwaySource `json:"w"`
}

// holdScript records a held prompt (HSETNX) and, when it is new, forgets
// those older than heldTTL, so that a team's hash stays small. ARGV: field,
// doc, cutoff (ms), ttl (ms).
var holdScript = redis.NewScript(`
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if added == 1 then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local ok, d = pcall(cjson.decode, all[i + 1])
    if not ok or type(d) ~= 'table' or (tonumber(d['a']) or 0) < tonumber(ARGV[3]) then
      redis.call('HDEL', KEYS[1], all[i])
    end
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return added
`)

// HoldPrompt records that a person's prompt of a period was held (they were
// away when it was due) and reports whether this call recorded it first.
// Records older than heldTTL are forgotten.
func (s *Store) HoldPrompt(ctx context.Context, workspace, team string, h okrs.HeldPrompt) (bool, error) {
	doc, err := json.Marshal(heldDoc{At: ms(h.At), Why: h.Why})
	if err != nil {
		return false, err
	}
	cutoff := ms(h.At.Add(-heldTTL))
	n, err := holdScript.Run(ctx, s.rdb, []string{s.keys(workspace).held(team)}, heldField(h.User, h.Period), doc, cutoff, heldTTL.Milliseconds()).Int()
	if err != nil {
		return false, unavailable("hold prompt", err)
	}
	return n == 1, nil
}

// HeldPrompts returns a team's held prompts (of the last months), in no
// order: okrs.AwayIn tells from them whether someone was away in a week.
func (s *Store) HeldPrompts(ctx context.Context, workspace, team string) ([]okrs.HeldPrompt, error) {
	all, err := s.rdb.HGetAll(ctx, s.keys(workspace).held(team)).Result()
	if err != nil {
		return nil, unavailable("list held prompts", err)
	}
	return decodeHeld(all), nil
}

// decodeHeld reads a team's held prompts hash.
func decodeHeld(all map[string]string) []okrs.HeldPrompt {
	out := make([]okrs.HeldPrompt, 0, len(all))
	for f, raw := range all {
		period, user, ok := strings.Cut(f, "|")
		var d heldDoc
		if !ok || json.Unmarshal([]byte(raw), &d) != nil {
			continue
		}
		out = append(out, okrs.HeldPrompt{User: user, Period: period, At: fromMS(d.At), Why: d.Why})
	}
	slices.SortFunc(out, func(a, b okrs.HeldPrompt) int {
		if c := strings.Compare(a.Period, b.Period); c != 0 {
			return c
		}
		return strings.Compare(a.User, b.User)
	})
	return out
}

type snoozeDoc struct {
	Team   string `json:"t"`
	User   string `json:"u"`
	Period string `json:"p"`
	Until  int64  `json:"at"`
	Source string `json:"src"`
	N      int    `json:"n"`
}

func encodeSnooze(z okrs.Snooze) string {
	b, _ := json.Marshal(snoozeDoc{Team: z.Team, User: z.User, Period: z.Period, Until: ms(z.Until), Source: z.Source, N: z.N})
	return string(b)
}

func decodeSnooze(raw string) (okrs.Snooze, bool) {
	var d snoozeDoc
	if json.Unmarshal([]byte(raw), &d) != nil {
		return okrs.Snooze{}, false
	}
	return okrs.Snooze{Team: d.Team, User: d.User, Period: d.Period, Until: fromMS(d.Until), Source: d.Source, N: d.N}, true
}

// snoozeScript saves a snooze unless the same message was snoozed already
// (a double click): then it returns the snooze saved first. A snooze from
// another message (the re-sent prompt, snoozed again) replaces it, one
// further along (n + 1). ARGV: field, source, the new snooze without n.
var snoozeScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local n = 1
if cur then
  local d = cjson.decode(cur)
  if d['src'] == ARGV[2] then return {0, cur} end
  n = (tonumber(d['n']) or 0) + 1
end
local d = cjson.decode(ARGV[3])
d['n'] = n
local v = cjson.encode(d)
redis.call('HSET', KEYS[1], ARGV[1], v)
return {1, v}
`)

// SaveSnooze records a snoozed prompt, once per message snoozed: it
// reports whether this call saved it, and the snooze that stands (the
// first click's, for a double click).
func (s *Store) SaveSnooze(ctx context.Context, workspace string, z okrs.Snooze) (okrs.Snooze, bool, error) {
	z.N = 0
	res, err := snoozeScript.Run(ctx, s.rdb, []string{s.keys(workspace).snoozes()}, z.Key(), z.Source, encodeSnooze(z)).Slice()
	if err != nil {
		return okrs.Snooze{}, false, unavailable("save snooze", err)
	}
	first, _ := res[0].(int64)
	raw, _ := res[1].(string)
	saved, ok := decodeSnooze(raw)
	if !ok {
		return okrs.Snooze{}, false, okrs.Errorf(okrs.EINTERNAL, "store: a snooze reads back badly")
	}
	if err := s.noteWorkspace(ctx, workspace); err != nil {
		return saved, first == 1, err
	}
	return saved, first == 1, nil
}

// Snoozes returns the workspace's snoozed prompts, in no order.
func (s *Store) Snoozes(ctx context.Context, workspace string) ([]okrs.Snooze, error) {
	all, err := s.rdb.HGetAll(ctx, s.keys(workspace).snoozes()).Result()
	if err != nil {
		return nil, unavailable("list snoozes", err)
	}
	out := make([]okrs.Snooze, 0, len(all))
	for _, raw := range all {
		if z, ok := decodeSnooze(raw); ok {
			out = append(out, z)
		}
	}
	return out, nil
}

// Snoozed returns a person's snoozed prompt of a team and period, if any.
func (s *Store) Snoozed(ctx context.Context, workspace, team, period, user string) (okrs.Snooze, bool, error) {
	z := okrs.Snooze{Team: team, Period: period, User: user}
	raw, err := s.rdb.HGet(ctx, s.keys(workspace).snoozes(), z.Key()).Result()
	if errors.Is(err, redis.Nil) {
		return okrs.Snooze{}, false, nil
	}
	if err != nil {
		return okrs.Snooze{}, false, unavailable("get snooze", err)
	}
	z, ok := decodeSnooze(raw)
	return z, ok, nil
}

// dropSnoozeScript deletes a snooze if it is still the n-th (a newer one,
// snoozed meanwhile, stays).
var dropSnoozeScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then return 0 end
local d = cjson.decode(cur)
if tonumber(d['n']) == tonumber(ARGV[2]) then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`)

// DropSnooze forgets a snoozed prompt (checked in, or its period is over)
// unless it was snoozed again since z was read.
func (s *Store) DropSnooze(ctx context.Context, workspace string, z okrs.Snooze) error {
	if err := dropSnoozeScript.Run(ctx, s.rdb, []string{s.keys(workspace).snoozes()}, z.Key(), z.N).Err(); err != nil {
		return unavailable("drop snooze", err)
	}
	return nil
}
