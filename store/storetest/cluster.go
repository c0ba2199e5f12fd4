package storetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	clusterOnce.Do(func() { clusterURL, clusterErr = startCluster() })
	if clusterErr != nil {
		t.Fatalf("storetest: starting a Redis Cluster: %v", clusterErr)
	}
	return clusterURL
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
