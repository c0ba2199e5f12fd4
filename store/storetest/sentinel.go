package storetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// SentinelMaster is the name the sentinels of Sentinel monitor.
const SentinelMaster = "mymaster"

// SentinelSet is a primary, a replica and three sentinels on loopback,
// started for one test by Sentinel.
type SentinelSet struct {
	URL       string // REDIS_URL for store.ModeSentinel
	Primary   string // address of the primary at the start
	Replica   string // address of the replica at the start
	Sentinels []string

	t       testing.TB
	primary *os.Process
}

// Sentinel starts, for t alone, on free loopback ports, a Redis primary, a
// replica of it and three sentinels monitoring it as SentinelMaster (quorum
// 2, down after 500 ms), waits until the sentinels see both servers, and
// stops everything when t ends. It skips t without redis-server on PATH.
func Sentinel(t testing.TB) *SentinelSet {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("storetest: redis-server not on PATH: no Sentinel test")
	}
	dir := t.TempDir()
	start := func(args ...string) (int, *os.Process) {
		t.Helper()
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		proc, err := startRedis(port, append([]string{"--dir", dir}, args...)...)
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
		t.Cleanup(func() { proc.Kill() })
		return port, proc
	}
	pport, pproc := start()
	rport, _ := start("--replicaof", "127.0.0.1", strconv.Itoa(pport))
	s := &SentinelSet{t: t, primary: pproc,
		Primary: "127.0.0.1:" + strconv.Itoa(pport), Replica: "127.0.0.1:" + strconv.Itoa(rport)}
	for range 3 {
		port, err := freePort()
		if err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(dir, "sentinel-"+strconv.Itoa(port)+".conf")
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel resolve-hostnames no\n"+
			"sentinel monitor %s 127.0.0.1 %d 2\nsentinel down-after-milliseconds %[3]s 500\n"+
			"sentinel failover-timeout %[3]s 5000\n", port, dir, SentinelMaster, pport)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		// startRedis puts its own --port first; the config file comes
		// first on the command line, so pass it through startSentinel.
		proc, err := startSentinel(conf, port)
		if err != nil {
			t.Fatalf("storetest: %v", err)
		}
		t.Cleanup(func() { proc.Kill() })
		s.Sentinels = append(s.Sentinels, "127.0.0.1:"+strconv.Itoa(port))
	}
	// Every sentinel names the primary and knows the replica, and the
	// replica is in sync.
	if err := s.waitFor(15*time.Second, func(ctx context.Context) error {
		for _, a := range s.Sentinels {
			c := redis.NewSentinelClient(&redis.Options{Addr: a, DialTimeout: 200 * time.Millisecond})
			m, err := c.GetMasterAddrByName(ctx, SentinelMaster).Result()
			if err != nil {
				c.Close()
				return err
			}
			if got := m[0] + ":" + m[1]; got != s.Primary {
				c.Close()
				return fmt.Errorf("sentinel %s names %s as primary", a, got)
			}
			reps, err := c.Replicas(ctx, SentinelMaster).Result()
			c.Close()
			if err != nil {
				return err
			}
			if !hasUp(reps, s.Replica) {
				return fmt.Errorf("sentinel %s does not see the replica %s up: %v", a, s.Replica, reps)
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("storetest: Sentinel not ready: %v", err)
	}
	s.URL = "redis://" + s.Sentinels[0] + "?master_name=" + SentinelMaster + "&addr=" + s.Sentinels[1] + "&addr=" + s.Sentinels[2]
	return s
}

// hasUp reports whether a SENTINEL replicas answer lists addr and not as
// down or disconnected.
func hasUp(reps []map[string]string, addr string) bool {
	for _, r := range reps {
		if r["ip"]+":"+r["port"] == addr {
			flags := r["flags"]
			return flags == "slave" && r["master-link-status"] == "ok"
		}
	}
	return false
}

// Master returns the address the first sentinel names as the primary.
func (s *SentinelSet) Master(ctx context.Context) (string, error) {
	c := redis.NewSentinelClient(&redis.Options{Addr: s.Sentinels[0], DialTimeout: 200 * time.Millisecond})
	defer c.Close()
	m, err := c.GetMasterAddrByName(ctx, SentinelMaster).Result()
	if err != nil {
		return "", err
	}
	return m[0] + ":" + m[1], nil
}

// Failover asks a sentinel to fail the primary over to the replica
// (SENTINEL FAILOVER) and waits until every sentinel names the replica and
// the replica answers as a primary. It returns how long that took.
func (s *SentinelSet) Failover() time.Duration {
	s.t.Helper()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	err := redis.NewSentinelClient(&redis.Options{Addr: s.Sentinels[0]}).Failover(ctx, SentinelMaster).Err()
	cancel()
	if err != nil {
		s.t.Fatalf("storetest: SENTINEL FAILOVER: %v", err)
	}
	s.waitPromoted()
	return time.Since(start)
}

// KillPrimary kills the primary's process (SIGKILL) and returns at once:
// the sentinels notice after down-after-milliseconds (500 ms), agree and
// promote the replica. WaitPromoted waits for that.
func (s *SentinelSet) KillPrimary() { s.primary.Kill() }

// WaitPromoted waits (up to 20 s, failing t after) until every sentinel
// names the replica as the primary and the replica answers as one.
func (s *SentinelSet) WaitPromoted() {
	s.t.Helper()
	s.waitPromoted()
}

func (s *SentinelSet) waitPromoted() {
	s.t.Helper()
	if err := s.waitFor(20*time.Second, func(ctx context.Context) error {
		for _, a := range s.Sentinels {
			c := redis.NewSentinelClient(&redis.Options{Addr: a, DialTimeout: 200 * time.Millisecond})
			m, err := c.GetMasterAddrByName(ctx, SentinelMaster).Result()
			c.Close()
			if err != nil {
				return err
			}
			if got := m[0] + ":" + m[1]; got != s.Replica {
				return fmt.Errorf("sentinel %s still names %s", a, got)
			}
		}
		c := redis.NewClient(&redis.Options{Addr: s.Replica, DialTimeout: 200 * time.Millisecond})
		defer c.Close()
		role, err := c.Do(ctx, "ROLE").Slice()
		if err != nil {
			return err
		}
		if len(role) == 0 || role[0] != "master" {
			return fmt.Errorf("the replica's role is %v", role)
		}
		return nil
	}); err != nil {
		s.t.Fatalf("storetest: failover did not complete: %v", err)
	}
}

// waitFor polls check every 20 ms until it returns nil or d has passed.
func (s *SentinelSet) waitFor(d time.Duration, check func(context.Context) error) error {
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := check(ctx)
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
