package storetest

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

var (
	clusterOnce sync.Once
	clusterURL  string
	clusterErr  error
)

// ClusterURL starts, once per test binary, a Redis Cluster of three masters
// on free loopback ports and returns a redis:// URL for store.ModeCluster. It
// skips t when redis-server or redis-cli is missing.
func ClusterURL(t testing.TB) string {
	t.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("storetest: %s not on PATH: no Redis Cluster test", bin)
		}
	}
	u, err := startClusterOnce()
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	return u
}

func startClusterOnce() (string, error) {
	clusterOnce.Do(func() {
		clusterURL, clusterErr = startCluster()
		if clusterErr != nil {
			clusterErr = fmt.Errorf("starting a Redis Cluster: %w", clusterErr)
		}
	})
	return clusterURL, clusterErr
}

func startCluster() (string, error) {
	dir, err := os.MkdirTemp("", "okrbot-cluster-")
	if err != nil {
		return "", err
	}
	var addrs []string
	for range 3 {
		port, err := freePort()
		if err != nil {
			return "", err
		}
		conf := filepath.Join(dir, "nodes-"+strconv.Itoa(port)+".conf")
		if _, err := startRedis(port, "--cluster-enabled", "yes", "--cluster-config-file", conf, "--dir", dir); err != nil {
			return "", err
		}
		addrs = append(addrs, "127.0.0.1:"+strconv.Itoa(port))
	}
	args := append([]string{"--cluster", "create"}, addrs...)
	args = append(args, "--cluster-yes")
	if out, err := exec.Command("redis-cli", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("redis-cli --cluster create: %v: %s", err, out)
	}
	// Wait until every node agrees the cluster is up.
	deadline := time.Now().Add(15 * time.Second)
	for _, a := range addrs {
		for {
			c := redis.NewClient(&redis.Options{Addr: a})
			info, err := c.ClusterInfo(context.Background()).Result()
			c.Close()
			if err == nil && strings.Contains(info, "cluster_state:ok") {
				break
			}
			if time.Now().After(deadline) {
				return "", fmt.Errorf("cluster node %s not ready: %v %s", a, err, info)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	u := "redis://" + addrs[0] + "?addr=" + addrs[1] + "&addr=" + addrs[2]
	return u, nil
}

// Migration is what MigrateSlot did.
type Migration struct {
	Slot     int    // the hash slot moved
	From, To string // addresses of the masters that served it before and after
	Keys     int    // keys moved
	Batches  int    // MIGRATE calls that moved them

	// Redirections the two masters answered meanwhile (INFO errorstats):
	// -ASK from the source for keys it no longer had, and -TRYAGAIN from
	// either for commands on several keys split between them.
	Asks, TryAgains int
}

// MigrateSlot moves the hash slot of key (CLUSTER KEYSLOT; with a hash tag
// such as "{T123}", the slot of every key carrying that tag) from the
// master that serves it to another master of the Redis Cluster at
// clusterURL (as ClusterURL returns), live, the way redis-cli --cluster
// reshard does:
//
//  1. CLUSTER SETSLOT <slot> IMPORTING <source> on the target, then
//     MIGRATING <target> on the source. From then on the source serves the
//     keys it still has and answers -ASK for the others (new ones included),
//     which clients follow to the target with ASKING; a command on several
//     keys split between the two gets -TRYAGAIN.
//  2. CLUSTER GETKEYSINSLOT on the source and MIGRATE <target> "" 0 … KEYS
//     of batch keys at a time, until the source has none left. After each
//     batch, between (when not nil) is called, on the caller's goroutine,
//     with the number of keys moved so far: a test holds the slot
//     half-migrated there until its own events have happened.
//  3. CLUSTER SETSLOT <slot> NODE <target> on the target, the source and
//     every other master (the order the Redis Cluster specification asks
//     for), and a wait until every master's CLUSTER NODES names the target.
//
// The target is the master with the lowest address other than the source.
// Any error fails t. The cluster keeps the new layout afterwards.
func MigrateSlot(t testing.TB, clusterURL, key string, batch int, between func(moved int)) Migration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nodes := masters(ctx, t, clusterURL)
	defer func() {
		for _, n := range nodes {
			n.c.Close()
		}
	}()
	slot64, err := nodes[0].c.ClusterKeySlot(ctx, key).Result()
	if err != nil {
		t.Fatalf("storetest: CLUSTER KEYSLOT %s: %v", key, err)
	}
	slot := int(slot64)
	owner := slotOwner(ctx, t, nodes[0].c, slot)
	var src, dst *master
	for i := range nodes {
		if nodes[i].addr == owner {
			src = &nodes[i]
		} else if dst == nil {
			dst = &nodes[i] // nodes are sorted by address
		}
	}
	if src == nil || dst == nil {
		t.Fatalf("storetest: slot %d is served by %s, and the cluster has %d masters: nothing to migrate it to", slot, owner, len(nodes))
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("storetest: migrating slot %d from %s to %s: %s: %v", slot, src.addr, dst.addr, what, err)
		}
	}
	asks, tryAgains := errorStat(ctx, t, src.c, "ASK"), errorStat(ctx, t, src.c, "TRYAGAIN")+errorStat(ctx, t, dst.c, "TRYAGAIN")
	must("SETSLOT IMPORTING", dst.c.Do(ctx, "CLUSTER", "SETSLOT", slot, "IMPORTING", src.id).Err())
	must("SETSLOT MIGRATING", src.c.Do(ctx, "CLUSTER", "SETSLOT", slot, "MIGRATING", dst.id).Err())
	host, port, err := net.SplitHostPort(dst.addr)
	must("target address", err)
	m := Migration{Slot: slot, From: src.addr, To: dst.addr}
	for {
		keys, err := src.c.ClusterGetKeysInSlot(ctx, slot, batch).Result()
		must("GETKEYSINSLOT", err)
		if len(keys) == 0 {
			break
		}
		args := []any{"MIGRATE", host, port, "", 0, 5000, "KEYS"}
		for _, k := range keys {
			args = append(args, k)
		}
		must("MIGRATE", src.c.Do(ctx, args...).Err()) // "NOKEY" (all expired meanwhile) is no error
		m.Keys += len(keys)
		m.Batches++
		if between != nil {
			between(m.Keys)
		}
	}
	m.Asks = errorStat(ctx, t, src.c, "ASK") - asks
	m.TryAgains = errorStat(ctx, t, src.c, "TRYAGAIN") + errorStat(ctx, t, dst.c, "TRYAGAIN") - tryAgains
	must("SETSLOT NODE on the target", dst.c.Do(ctx, "CLUSTER", "SETSLOT", slot, "NODE", dst.id).Err())
	must("SETSLOT NODE on the source", src.c.Do(ctx, "CLUSTER", "SETSLOT", slot, "NODE", dst.id).Err())
	for _, n := range nodes {
		if n.addr != src.addr && n.addr != dst.addr {
			must("SETSLOT NODE on "+n.addr, n.c.Do(ctx, "CLUSTER", "SETSLOT", slot, "NODE", dst.id).Err())
		}
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		settled := true
		for addr, o := range SlotOwners(t, clusterURL, slot) {
			if o != dst.addr {
				settled = false
				if time.Now().After(deadline) {
					t.Fatalf("storetest: after migrating slot %d, %s says %s serves it, not %s", slot, addr, o, dst.addr)
				}
			}
		}
		if settled {
			return m
		}
	}
}

// errorStat returns how many error replies of a kind (ASK, TRYAGAIN…) c's
// server has sent, from INFO errorstats.
func errorStat(ctx context.Context, t testing.TB, c *redis.Client, kind string) int {
	t.Helper()
	info, err := c.Info(ctx, "errorstats").Result()
	if err != nil {
		t.Fatalf("storetest: INFO errorstats on %s: %v", c.Options().Addr, err)
	}
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "errorstat_"+kind+":count="); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

// SlotOwners asks every master of the Redis Cluster at clusterURL (CLUSTER
// NODES) which master serves slot, and returns the answers by the address
// of the master asked.
func SlotOwners(t testing.TB, clusterURL string, slot int) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out := map[string]string{}
	for _, n := range masters(ctx, t, clusterURL) {
		out[n.addr] = slotOwner(ctx, t, n.c, slot)
		n.c.Close()
	}
	return out
}

// master is a master of a cluster and a client of it alone.
type master struct {
	id, addr string
	c        *redis.Client
}

// masters returns the masters of the cluster at clusterURL (as CLUSTER
// NODES on its first node lists them), sorted by address.
func masters(ctx context.Context, t testing.TB, clusterURL string) []master {
	t.Helper()
	o, err := redis.ParseClusterURL(clusterURL)
	if err != nil || len(o.Addrs) == 0 {
		t.Fatalf("storetest: cluster URL %q: %v", clusterURL, err)
	}
	c := redis.NewClient(&redis.Options{Addr: o.Addrs[0]})
	defer c.Close()
	var out []master
	for _, n := range clusterNodes(ctx, t, c) {
		if n.master {
			out = append(out, master{id: n.id, addr: n.addr, c: redis.NewClient(&redis.Options{Addr: n.addr})})
		}
	}
	slices.SortFunc(out, func(a, b master) int { return strings.Compare(a.addr, b.addr) })
	return out
}

// slotOwner returns the address of the master that c's CLUSTER NODES says
// serves slot.
func slotOwner(ctx context.Context, t testing.TB, c *redis.Client, slot int) string {
	t.Helper()
	for _, n := range clusterNodes(ctx, t, c) {
		for _, r := range n.slots {
			if n.master && r[0] <= slot && slot <= r[1] {
				return n.addr
			}
		}
	}
	t.Fatalf("storetest: %s's CLUSTER NODES has no owner for slot %d", c.Options().Addr, slot)
	return ""
}

// node is a line of CLUSTER NODES.
type node struct {
	id, addr string
	master   bool     // a master not failing
	slots    [][2]int // ranges of the slots it serves
}

// clusterNodes returns c's CLUSTER NODES, parsed.
func clusterNodes(ctx context.Context, t testing.TB, c *redis.Client) []node {
	t.Helper()
	text, err := c.ClusterNodes(ctx).Result()
	if err != nil {
		t.Fatalf("storetest: CLUSTER NODES on %s: %v", c.Options().Addr, err)
	}
	var out []node
	for line := range strings.Lines(text) {
		// <id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>...
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		flags := strings.Split(f[2], ",")
		n := node{id: f[0], master: slices.Contains(flags, "master") && !slices.Contains(flags, "fail")}
		n.addr, _, _ = strings.Cut(f[1], "@")
		for _, r := range f[8:] {
			if strings.HasPrefix(r, "[") {
				continue // [slot->-id] or [slot-<-id]: being migrated or imported
			}
			lo, hi, _ := strings.Cut(r, "-")
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(cmp.Or(hi, lo))
			if err1 != nil || err2 != nil {
				t.Fatalf("storetest: CLUSTER NODES on %s: slots %q in %q", c.Options().Addr, r, line)
			}
			n.slots = append(n.slots, [2]int{a, b})
		}
		out = append(out, n)
	}
	return out
}
