package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Deliveries make a message go out exactly once across replicas, retries
// and crashes. A delivery's key names the message (the scheduler's
// "prompt:<team>:<period>:<user>", the bot's "thread:<team>:<period>"); its
// value is the store's own encoding of an okrs.Delivery:
//
//	claim:<token>          claimed by the holder of token (expires with the claim)
//	sent|<channel>|<ts>    sent, and where it landed
//	gone                   skipped: the recipient cannot be messaged
//	failed                 given up after repeated failures
//
// The encoding never leaves this package: callers see okrs.Delivery.

const claimPrefix = "claim:"

func encodeDelivery(d okrs.Delivery) string {
	switch d.State {
	case okrs.DeliverySent:
		return "sent|" + d.Posted.Channel + "|" + d.Posted.TS
	case okrs.DeliveryGone:
		return "gone"
	case okrs.DeliveryFailed:
		return "failed"
	}
	return ""
}

func decodeDelivery(v string) okrs.Delivery {
	switch {
	case v == "":
		return okrs.Delivery{}
	case strings.HasPrefix(v, claimPrefix):
		return okrs.Delivery{State: okrs.DeliveryClaimed}
	case v == "gone":
		return okrs.Delivery{State: okrs.DeliveryGone}
	case v == "failed":
		return okrs.Delivery{State: okrs.DeliveryFailed}
	case strings.HasPrefix(v, "sent"):
		d := okrs.Delivery{State: okrs.DeliverySent}
		if parts := strings.Split(v, "|"); len(parts) == 3 {
			d.Posted = okrs.Posted{Channel: parts[1], TS: parts[2]}
		}
		return d
	}
	// A value written by the first releases: the thread's ts alone.
	return okrs.Delivery{State: okrs.DeliverySent, Posted: okrs.Posted{TS: v}}
}

// claimScript sets KEYS[1] to ARGV[1] for ARGV[2] ms unless it is set (or,
// with ARGV[3] = "1", unless it is set to anything but a given-up delivery),
// and returns {1} when it did, else {0, current value}: claim and read in
// one step, so that a caller who loses knows at once why.
var claimScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if not cur or (ARGV[3] == '1' and (cur == 'gone' or cur == 'failed')) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, cur}
`)

// ClaimDelivery claims the delivery key for token, for ttl, unless someone
// claimed or settled it before. It reports whether this call claimed it and,
// when it did not, where the delivery stands.
func (s *Store) ClaimDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error) {
	return s.claim(ctx, workspace, key, token, ttl, false)
}

// RetryDelivery is ClaimDelivery that also takes over a delivery that was
// given up (gone or failed): for a person who asks again, say after
// inviting the bot to the channel it could not post in.
func (s *Store) RetryDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error) {
	return s.claim(ctx, workspace, key, token, ttl, true)
}

func (s *Store) claim(ctx context.Context, workspace, key, token string, ttl time.Duration, retry bool) (bool, okrs.Delivery, error) {
	flag := "0"
	if retry {
		flag = "1"
	}
	res, err := claimScript.Run(ctx, s.rdb, []string{s.keys(workspace).marker(key)}, claimPrefix+token, ttl.Milliseconds(), flag).Slice()
	if err != nil {
		return false, okrs.Delivery{}, unavailable("claim", err)
	}
	if n, _ := res[0].(int64); n == 1 {
		return true, okrs.Delivery{State: okrs.DeliveryClaimed}, nil
	}
	cur := ""
	if len(res) > 1 {
		cur, _ = res[1].(string)
	}
	return false, decodeDelivery(cur), nil
}

// Delivery returns where the delivery key stands.
func (s *Store) Delivery(ctx context.Context, workspace, key string) (okrs.Delivery, error) {
	v, err := s.rdb.Get(ctx, s.keys(workspace).marker(key)).Result()
	if errors.Is(err, redis.Nil) {
		return okrs.Delivery{}, nil
	}
	if err != nil {
		return okrs.Delivery{}, unavailable("get delivery", err)
	}
	return decodeDelivery(v), nil
}

// settleScript replaces a claim's value if the caller still holds it.
var settleScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`)

// SettleDelivery records the outcome d of a delivery key, for ttl, if
// token still holds its claim, and reports whether it did.
func (s *Store) SettleDelivery(ctx context.Context, workspace, key, token string, d okrs.Delivery, ttl time.Duration) (bool, error) {
	v := encodeDelivery(d)
	if v == "" {
		return false, okrs.Errorf(okrs.EINTERNAL, "store: a delivery settles as sent, gone or failed, not %q", d.State)
	}
	n, err := settleScript.Run(ctx, s.rdb, []string{s.keys(workspace).marker(key)}, claimPrefix+token, v, ttl.Milliseconds()).Int()
	if err != nil {
		return false, unavailable("settle", err)
	}
	return n == 1, nil
}

// releaseScript deletes a key if the caller still holds it.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)

// ReleaseDelivery gives up token's claim on the delivery key, so that it
// may be tried again, and reports whether token held it.
func (s *Store) ReleaseDelivery(ctx context.Context, workspace, key, token string) (bool, error) {
	n, err := releaseScript.Run(ctx, s.rdb, []string{s.keys(workspace).marker(key)}, claimPrefix+token).Int()
	if err != nil {
		return false, unavailable("release", err)
	}
	return n == 1, nil
}

// NoteAttempt records that holder is about to send the delivery key, and
// reports whether an earlier attempt was recorded (which may have landed:
// the sender died, or its call timed out, after Slack accepted it).
func (s *Store) NoteAttempt(ctx context.Context, workspace, key, holder string, ttl time.Duration) (bool, error) {
	err := s.rdb.SetArgs(ctx, s.keys(workspace).marker("attempt:"+key), holder, redis.SetArgs{Get: true, TTL: ttl}).Err()
	switch {
	case errors.Is(err, redis.Nil):
		return false, nil
	case err != nil:
		return false, unavailable("note attempt", err)
	}
	return true, nil
}

// CountFailure adds one to the failures of the delivery key (kept for ttl)
// and returns how many there have been.
func (s *Store) CountFailure(ctx context.Context, workspace, key string, ttl time.Duration) (int, error) {
	k := s.keys(workspace).marker("fail:" + key)
	var n *redis.IntCmd
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		n = p.Incr(ctx, k)
		p.PExpire(ctx, k, ttl)
		return nil
	})
	if err != nil {
		return 0, unavailable("count failure", err)
	}
	return int(n.Val()), nil
}

// Once records key for ttl and reports whether this call was the first to
// do so: for "handle this event once", "log this once a period".
func (s *Store) Once(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.keys(workspace).marker("once:"+key), "1", ttl).Result()
	if err != nil {
		return false, unavailable("once", err)
	}
	return ok, nil
}

// pendingDoc is how a pending send is kept, as a field of the workspace's
// pending hash (keyed by its delivery key).
type pendingDoc struct {
	Team  string `json:"t"`
	User  string `json:"u"`
	Since int64  `json:"s"` // unix ms
}

// SavePendingSend records a send to try again.
func (s *Store) SavePendingSend(ctx context.Context, workspace string, p okrs.PendingSend) error {
	doc, err := json.Marshal(pendingDoc{Team: p.Team, User: p.User, Since: ms(p.Since)})
	if err != nil {
		return err
	}
	if err := s.rdb.HSet(ctx, s.keys(workspace).marker("pending"), p.Key, doc).Err(); err != nil {
		return unavailable("save pending send", err)
	}
	return s.noteWorkspace(ctx, workspace)
}

// PendingSends returns the workspace's sends to try again, in no order.
func (s *Store) PendingSends(ctx context.Context, workspace string) ([]okrs.PendingSend, error) {
	all, err := s.rdb.HGetAll(ctx, s.keys(workspace).marker("pending")).Result()
	if err != nil {
		return nil, unavailable("list pending sends", err)
	}
	out := make([]okrs.PendingSend, 0, len(all))
	for key, raw := range all {
		var d pendingDoc
		if json.Unmarshal([]byte(raw), &d) != nil {
			continue
		}
		out = append(out, okrs.PendingSend{Key: key, Team: d.Team, User: d.User, Since: fromMS(d.Since)})
	}
	return out, nil
}

// DropPendingSend forgets a pending send (sent, skipped or given up).
func (s *Store) DropPendingSend(ctx context.Context, workspace, key string) error {
	if err := s.rdb.HDel(ctx, s.keys(workspace).marker("pending"), key).Err(); err != nil {
		return unavailable("drop pending send", err)
	}
	return nil
}
