package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Modes of connecting to Redis.
const (
	ModeSingle   = "single"   // one server (or a proxy): REDIS_URL is redis:// or rediss://
	ModeSentinel = "sentinel" // Sentinel: REDIS_URL names a sentinel, with master_name and more sentinels as addr=
	ModeCluster  = "cluster"  // Redis Cluster: REDIS_URL names a node, more nodes as addr=
)

// Retries of a failed command: a few, quickly, so that a person waiting on
// Slack hears about an outage in about a second, not several.
const (
	maxRetries      = 2
	maxRetryBackoff = 100 * time.Millisecond
)

// Options say how to reach Redis.
type Options struct {
	URL  string // see the modes; database 0 only
	Mode string // ModeSingle (default), ModeSentinel or ModeCluster

	DialTimeout  time.Duration // default 2 s
	ReadTimeout  time.Duration // default 1 s
	WriteTimeout time.Duration // default 1 s
	PoolSize     int           // default go-redis' (10 per CPU)
}

// Connect returns a client for opts, with context timeouts honoured and
// short socket timeouts, and checks that Redis answers.
func Connect(ctx context.Context, opts Options) (redis.UniversalClient, error) {
	rdb, err := NewClient(opts)
	if err != nil {
		return nil, err
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("store: connecting to Redis (%s): %w", RedactURL(opts.URL), err)
	}
	return rdb, nil
}

// NewClient returns a client for opts without connecting.
func NewClient(opts Options) (redis.UniversalClient, error) {
	dial, read, write := or(opts.DialTimeout, 2*time.Second), or(opts.ReadTimeout, time.Second), or(opts.WriteTimeout, time.Second)
	switch strings.ToLower(opts.Mode) {
	case "", ModeSingle:
		o, err := redis.ParseURL(opts.URL)
		if err != nil {
			return nil, fmt.Errorf("store: REDIS_URL: %w", err)
		}
		if o.DB != 0 {
			return nil, fmt.Errorf("store: REDIS_URL selects database %d: okrbot uses database 0 only (Redis Cluster has no other)", o.DB)
		}
		o.ContextTimeoutEnabled = true
		o.DialTimeout, o.ReadTimeout, o.WriteTimeout = dial, read, write
		o.MaxRetries, o.MaxRetryBackoff = maxRetries, maxRetryBackoff
		o.DialerRetries, o.DialerRetryTimeout = 1, 50*time.Millisecond
		if opts.PoolSize > 0 {
			o.PoolSize = opts.PoolSize
		}
		return redis.NewClient(o), nil
	case ModeSentinel:
		o, err := redis.ParseFailoverURL(opts.URL)
		if err != nil {
			return nil, fmt.Errorf("store: REDIS_URL (sentinel): %w", err)
		}
		if o.MasterName == "" {
			return nil, fmt.Errorf("store: REDIS_URL (sentinel) needs master_name=, e.g. redis://sentinel-1:26379?master_name=mymaster&addr=sentinel-2:26379")
		}
		if o.DB != 0 {
			return nil, fmt.Errorf("store: REDIS_URL selects database %d: okrbot uses database 0 only", o.DB)
		}
		o.ContextTimeoutEnabled = true
		o.DialTimeout, o.ReadTimeout, o.WriteTimeout = dial, read, write
		o.MaxRetries, o.MaxRetryBackoff = maxRetries, maxRetryBackoff
		o.DialerRetries, o.DialerRetryTimeout = 1, 50*time.Millisecond
		if opts.PoolSize > 0 {
			o.PoolSize = opts.PoolSize
		}
		return redis.NewFailoverClient(o), nil
	case ModeCluster:
		o, err := redis.ParseClusterURL(opts.URL)
		if err != nil {
			return nil, fmt.Errorf("store: REDIS_URL (cluster): %w", err)
		}
		o.ContextTimeoutEnabled = true
		o.DialTimeout, o.ReadTimeout, o.WriteTimeout = dial, read, write
		o.MaxRetries, o.MaxRetryBackoff = maxRetries, maxRetryBackoff
		o.DialerRetries, o.DialerRetryTimeout = 1, 50*time.Millisecond
		if opts.PoolSize > 0 {
			o.PoolSize = opts.PoolSize
		}
		return redis.NewClusterClient(o), nil
	}
	return nil, fmt.Errorf("store: unknown Redis mode %q: use single, sentinel or cluster", opts.Mode)
}

// Embedded starts an in-process Redis for trying okrbot without a server.
// Its data lives in memory and is lost on exit. Close the returned
// function's server after the client.
//
// It is miniredis, linked into the binary deliberately (not a test
// dependency that leaked in): it speaks the Redis protocol with the Lua
// scripts, MULTI and WATCH the store relies on, so the very same store code
// runs with or without a server and there is no second storage engine to
// keep in step with Redis.
func Embedded() (redis.UniversalClient, func(), error) {
	mr := miniredis.NewMiniRedis()
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, nil, fmt.Errorf("store: starting the in-memory store: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), ContextTimeoutEnabled: true, DialTimeout: time.Second})
	return rdb, mr.Close, nil
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// RedactURL hides the passwords of a Redis URL (user info and a
// password= parameter) for messages and logs.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.User != nil {
		u.User = url.User("***")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "***")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
