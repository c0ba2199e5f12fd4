package reminders

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// LeaseStore holds a global lease (package store implements it).
type LeaseStore interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Elector makes one replica the scheduler's leader with a Redis lease:
// SET NX PX to take it, a compare-and-expire script to renew it, a
// compare-and-delete script to give it up. It implements gocron.Elector.
// Leadership only spares work; the per-person claims are what guarantee that
// nothing is sent twice, even when two replicas briefly both think they lead.
type Elector struct {
	leases LeaseStore
	name   string
	holder string
	ttl    time.Duration
	leader atomic.Bool
	// OnChange, when set, hears when this replica becomes or stops being
	// the leader.
	OnChange func(leader bool)
}

// ErrNotLeader is IsLeader's answer on a replica that does not lead.
var ErrNotLeader = errors.New("reminders: another replica leads the scheduler")

// NewElector returns an elector for the lease name, held as holder (unique
// per replica), for ttl at a time.
func NewElector(leases LeaseStore, name, holder string, ttl time.Duration) *Elector {
	return &Elector{leases: leases, name: name, holder: holder, ttl: ttl}
}

// IsLeader takes or renews the lease; nil means this replica leads.
func (e *Elector) IsLeader(ctx context.Context) error {
	ok, err := e.leases.AcquireLease(ctx, e.name, e.holder, e.ttl)
	if err != nil {
		e.setLeader(false)
		return err
	}
	e.setLeader(ok)
	if !ok {
		return ErrNotLeader
	}
	return nil
}

func (e *Elector) setLeader(v bool) {
	if was := e.leader.Swap(v); was != v && e.OnChange != nil {
		e.OnChange(v)
	}
}

// Leader reports what the last IsLeader found.
func (e *Elector) Leader() bool { return e.leader.Load() }

// Resign gives the lease up, so another replica takes over at once.
func (e *Elector) Resign(ctx context.Context) error {
	e.setLeader(false)
	return e.leases.ReleaseLease(ctx, e.name, e.holder)
}

// hold renews the lease every ttl/3 until ctx ends, calling lost if it is
// lost, so that a long sweep keeps its leadership.
func (e *Elector) hold(ctx context.Context, lost func()) {
	t := time.NewTicker(e.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if e.IsLeader(ctx) != nil && ctx.Err() == nil {
				lost()
				return
			}
		}
	}
}
