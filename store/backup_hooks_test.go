package store_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// addHook adds h to rdb, or to each node of a cluster (where transactions
// run on the node's client).
func addHook(rdb redis.UniversalClient, h redis.Hook) {
	switch c := rdb.(type) {
	case *redis.ClusterClient:
		c.OnNewNode(func(n *redis.Client) { n.AddHook(h) })
		c.ForEachShard(context.Background(), func(ctx context.Context, n *redis.Client) error {
			n.AddHook(h)
			return nil
		})
	default:
		rdb.AddHook(h)
	}
}

// recordHook records the names of the commands sent, alone or in
// pipelines, until stopped.
type recordHook struct {
	mu        sync.Mutex
	stopped   bool
	single    []string
	pipelines [][]string
}

func (h *recordHook) stop() { h.mu.Lock(); h.stopped = true; h.mu.Unlock() }

func (h *recordHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *recordHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.mu.Lock()
		if !h.stopped {
			h.single = append(h.single, strings.ToLower(cmd.Name()))
		}
		h.mu.Unlock()
		return next(ctx, cmd)
	}
}

func (h *recordHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = strings.ToLower(c.Name())
		}
		h.mu.Lock()
		if !h.stopped && len(names) > 0 {
			h.pipelines = append(h.pipelines, names)
		}
		h.mu.Unlock()
		return next(ctx, cmds)
	}
}

// isWrite reports whether a command changes data.
func isWrite(name string) bool {
	switch name {
	case "set", "del", "hset", "hdel", "sadd", "srem", "zadd", "zrem", "lpush", "rpush", "evalsha", "eval", "incr", "pexpire", "expire":
		return true
	}
	return false
}

// failExecHook fails, while on, every MULTI/EXEC pipeline before it is
// sent, as a connection lost at that moment would.
type failExecHook struct{ on, hit atomic.Bool }

func (h *failExecHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *failExecHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return next
}
func (h *failExecHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if h.on.Load() && len(cmds) > 0 && cmds[0].Name() == "multi" {
			h.hit.Store(true)
			err := &net.OpError{Op: "write", Net: "tcp", Err: errors.New("connection reset by test")}
			for _, c := range cmds {
				c.SetErr(err)
			}
			return err
		}
		return next(ctx, cmds)
	}
}

// interleaveHook runs do once, just before the first MULTI/EXEC it sees is
// sent: a concurrent write between an import's reads and its writes.
type interleaveHook struct {
	done atomic.Bool
	do   func()
}

func (h *interleaveHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *interleaveHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return next
}
func (h *interleaveHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) > 0 && cmds[0].Name() == "multi" {
			if h.done.CompareAndSwap(false, true) {
				h.do() // its own MULTI passes through here again: done is set
			}
		}
		return next(ctx, cmds)
	}
}
