// Package storetest gives tests a real Redis and a fresh, isolated corner of
// it.
//
// Which Redis: OKRBOT_TEST_REDIS_URL when set; otherwise a redis-server
// started on a free loopback port for the test binary (it dies with it);
// otherwise an in-process miniredis, said so in the test log. Each test gets
// its own key prefix and workspace id, and its keys are deleted when it ends:
// a shared server is never flushed.
//
// How to connect: OKRBOT_TEST_REDIS_MODE, single (the default) or cluster.
// With cluster, OKRBOT_TEST_REDIS_URL names a node of a Redis Cluster (more
// as addr=, as REDIS_URL does for REDIS_MODE=cluster), or, unset, the tests
// start their own (see ClusterURL); there is no miniredis fallback.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/store"
)

// EnvURL names the variable that points tests at a Redis server.
const EnvURL = "OKRBOT_TEST_REDIS_URL"

// EnvMode names the variable that says how tests connect to it:
// store.ModeSingle (unset or "single") or store.ModeCluster ("cluster").
const EnvMode = "OKRBOT_TEST_REDIS_MODE"

// Mode returns how the tests' Redis (URL) is reached: store.ModeSingle or
// store.ModeCluster, from OKRBOT_TEST_REDIS_MODE. It fails t on any other
// value. Tests that start okrbot pass it on as REDIS_MODE.
func Mode(t testing.TB) string {
	t.Helper()
	switch m := os.Getenv(EnvMode); m {
	case "", store.ModeSingle:
		return store.ModeSingle
	case store.ModeCluster:
		return store.ModeCluster
	default:
		t.Fatalf("storetest: %s=%q: want %s or %s", EnvMode, m, store.ModeSingle, store.ModeCluster)
		return ""
	}
}

// IsCluster reports whether the tests' Redis is a Redis Cluster.
func IsCluster(t testing.TB) bool { return Mode(t) == store.ModeCluster }

var (
	serverOnce sync.Once
	serverURL  string
	serverKind string // "server", "started" or "miniredis"
	serverErr  error
)

// URL returns the redis:// URL of the tests' Redis and what it is:
// "OKRBOT_TEST_REDIS_URL", "redis-server" (started here), "redis-cluster"
// (started here, in cluster mode) or "miniredis". Connect to it in Mode(t).
func URL(t testing.TB) (string, string) {
	t.Helper()
	cluster := IsCluster(t)
	serverOnce.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			serverURL, serverKind = u, EnvURL
			return
		}
		if cluster {
			serverURL, serverErr = startClusterOnce()
			serverKind = "redis-cluster"
			return
		}
		if u, err := StartServer(); err == nil {
			serverURL, serverKind = u, "redis-server"
			return
		}
		mr := miniredis.NewMiniRedis()
		if err := mr.StartAddr("127.0.0.1:0"); err != nil {
			serverErr = err
			return
		}
		serverURL, serverKind = "redis://"+mr.Addr()+"/0", "miniredis"
	})
	if serverErr != nil {
		t.Fatalf("storetest: no Redis for tests: %v", serverErr)
	}
	if serverKind == "miniredis" {
		t.Logf("storetest: no Redis server (set %s or put redis-server on PATH): using in-process miniredis", EnvURL)
	}
	return serverURL, serverKind
}

// IsMiniredis reports whether tests run on the miniredis fallback.
func IsMiniredis(t testing.TB) bool {
	_, kind := URL(t)
	return kind == "miniredis"
}

// Client returns a new client of the tests' Redis (in Mode(t): a
// *redis.ClusterClient in cluster mode), closed when t ends.
func Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	u, _ := URL(t)
	rdb, err := store.Connect(context.Background(), store.Options{URL: u, Mode: Mode(t)})
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Store returns a store on the tests' Redis with a prefix of its own, its
// keys deleted when t ends, and the client under it.
func Store(t testing.TB) (*store.Store, redis.UniversalClient) {
	t.Helper()
	rdb := Client(t)
	prefix := "okrbottest-" + Random(6)
	t.Cleanup(func() { DeletePrefix(rdb, prefix) })
	return store.New(rdb, prefix), rdb
}

// Workspace returns a workspace id no other test uses.
func Workspace() string { return "T" + Random(5) }

// Random returns n random bytes in hex.
func Random(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// DeletePrefix deletes every key starting with prefix+":". It scans, so it
// is for tests only.
func DeletePrefix(rdb redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	forEachServer(ctx, rdb, func(ctx context.Context, c *redis.Client) error {
		batch, err := scan(ctx, c, prefix+":*")
		for _, k := range batch { // one by one: keys of several slots
			c.Del(ctx, k)
		}
		return err
	})
}

// Keys returns the keys matching pattern (as KEYS takes it) on every
// server: on a Redis Cluster, KEYS and SCAN see one node only. It scans, so
// it is for tests only.
func Keys(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	var mu sync.Mutex
	var out []string
	err := forEachServer(ctx, rdb, func(ctx context.Context, c *redis.Client) error {
		keys, err := scan(ctx, c, pattern)
		mu.Lock()
		out = append(out, keys...)
		mu.Unlock()
		return err
	})
	return out, err
}

// forEachServer calls fn with a client of each master of a cluster (at
// once), or with rdb itself.
func forEachServer(ctx context.Context, rdb redis.UniversalClient, fn func(context.Context, *redis.Client) error) error {
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		return c.ForEachMaster(ctx, fn)
	case *redis.Client:
		return fn(ctx, c)
	}
	return fmt.Errorf("storetest: a %T is neither a *redis.Client nor a *redis.ClusterClient", rdb)
}

func scan(ctx context.Context, c *redis.Client, pattern string) ([]string, error) {
	iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

// StartServer starts a redis-server on a free loopback port, without
// persistence, that is killed when the test binary exits, and returns its
// URL.
func StartServer(extraArgs ...string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	if _, err := startRedis(port, extraArgs...); err != nil {
		return "", err
	}
	return "redis://127.0.0.1:" + strconv.Itoa(port) + "/0", nil
}

// Outage starts a redis-server of t's own, to be stopped in the middle of
// a test: it returns the server's URL and a function that kills it. It
// skips t without redis-server.
func Outage(t testing.TB) (string, func()) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("storetest: redis-server not on PATH: no outage test")
	}
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	proc, err := startRedis(port)
	if err != nil {
		t.Fatal(err)
	}
	kill := func() { proc.Kill() }
	t.Cleanup(kill)
	return "redis://127.0.0.1:" + strconv.Itoa(port) + "/0", kill
}

// startRedis runs redis-server on port from a goroutine locked to its OS
// thread, so that Pdeathsig (tied to the thread) kills the server when the
// test process dies and not before.
func startRedis(port int, extraArgs ...string) (*os.Process, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, err
	}
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", os.TempDir()}, extraArgs...)
	return spawn(bin, args, port)
}

// startSentinel runs a sentinel from its config file (which Sentinel
// rewrites as it learns) on port, as startRedis runs a server.
func startSentinel(conf string, port int) (*os.Process, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, err
	}
	return spawn(bin, []string{conf, "--sentinel"}, port)
}

// spawn starts bin with args and waits until it answers PING on port.
func spawn(bin string, args []string, port int) (*os.Process, error) {
	type result struct {
		proc *os.Process
		err  error
	}
	started := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread lives as long as the server
		cmd := exec.Command(bin, args...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			started <- result{err: err}
			return
		}
		started <- result{proc: cmd.Process}
		cmd.Wait()
	}()
	res := <-started
	if res.err != nil {
		return nil, res.err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond})
		err := c.Ping(context.Background()).Err()
		c.Close()
		if err == nil {
			return res.proc, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	res.proc.Kill()
	return nil, fmt.Errorf("redis-server on %s did not answer within 5s", addr)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// RoundTrips counts the network round trips a client makes: one per command
// sent on its own, one per pipeline or transaction.
type RoundTrips struct{ n atomic.Int64 }

// CountRoundTrips installs a counter on rdb.
func CountRoundTrips(rdb redis.UniversalClient) *RoundTrips {
	rt := &RoundTrips{}
	rdb.AddHook(rt)
	return rt
}

// Load returns the count so far.
func (rt *RoundTrips) Load() int64 { return rt.n.Load() }

// Reset sets the count to zero.
func (rt *RoundTrips) Reset() { rt.n.Store(0) }

func (rt *RoundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (rt *RoundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		rt.n.Add(1)
		return next(ctx, cmd)
	}
}

func (rt *RoundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		rt.n.Add(1)
		return next(ctx, cmds)
	}
}
