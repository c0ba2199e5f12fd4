package reminders

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/okrbot/okrbot/okrs"
)

// pacer spaces Slack calls within a rate and stops every sender while Slack
// asks for a pause (HTTP 429 with Retry-After). When Slack pushes back it
// also slows down: to just under the rate Slack was actually accepting over
// the last few seconds (and by at least a tenth, to no less than a tenth of
// the configured rate), then creeps back up after quiet spells, so a rate
// set too high settles just under Slack's real limit. Pacing and backoff use
// the wall clock, not the scheduler's: they are about Slack's real time.
type pacer struct {
	limiter *rate.Limiter
	ceiling float64 // the configured rate

	mu          sync.Mutex
	pauseUntil  time.Time
	lastLimited time.Time
	ok          []time.Time // recent successful calls, a ring
	next        int
}

const (
	recoverAfter = 10 * time.Second // quiet time before the pace creeps up
	okWindow     = 5 * time.Second  // how far back the accepted rate is measured
	okRing       = 512
)

func newPacer(perSecond float64, burst int) *pacer {
	return &pacer{limiter: rate.NewLimiter(rate.Limit(perSecond), max(burst, 1)), ceiling: perSecond, ok: make([]time.Time, okRing)}
}

// rate returns the current pace, in calls per second.
func (p *pacer) rate() float64 { return float64(p.limiter.Limit()) }

// success notes an accepted call and, after a quiet spell, raises the pace
// by 2% towards the ceiling.
func (p *pacer) success() {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	p.ok[p.next] = now
	p.next = (p.next + 1) % okRing
	if cur := p.rate(); cur < p.ceiling && now.Sub(p.lastLimited) > recoverAfter {
		p.limiter.SetLimit(rate.Limit(min(cur*1.02, p.ceiling)))
		p.lastLimited = now // one step per quiet spell
	}
}

// accepted returns the rate of successful calls over the last okWindow, or
// 0 when there were too few to tell.
func (p *pacer) accepted(now time.Time) float64 {
	since := now.Add(-okWindow)
	if p.pauseUntil.After(since) {
		since = p.pauseUntil // a pause is not Slack's rate
	}
	n, oldest := 0, now
	for _, t := range p.ok {
		if !t.IsZero() && !t.Before(since) {
			n++
			if t.Before(oldest) {
				oldest = t
			}
		}
	}
	span := now.Sub(oldest)
	if n < 10 || span < time.Second {
		return 0
	}
	return float64(n-1) / span.Seconds()
}

// wait blocks until the next call may go.
func (p *pacer) wait(ctx context.Context) error {
	for {
		p.mu.Lock()
		d := time.Until(p.pauseUntil)
		p.mu.Unlock()
		if d <= 0 {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
		}
	}
	return p.limiter.Wait(ctx)
}

// pause holds every caller back for d and slows the pace.
func (p *pacer) pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	// Slow down once per pause, not once per caller that hit it.
	if now.Sub(p.lastLimited) > d {
		next := p.rate() * 0.9
		if acc := p.accepted(now); acc > 0 {
			next = min(next, acc*0.97)
		}
		p.limiter.SetLimit(rate.Limit(max(next, p.ceiling/10)))
	}
	if until := now.Add(d); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
	p.lastLimited = now
}

// retryPolicy bounds retries of one send.
type retryPolicy struct {
	attempts    int           // tries for failures other than rate limits
	rateLimited int           // tries when Slack keeps saying 429
	base        time.Duration // first backoff; doubles, with jitter
	max         time.Duration
}

// InFlightTimeout bounds one send once it has started. A call on its way to
// Slack is not cancelled with the sweep (a shutdown, a lost lease): it may
// land, and then it must be recorded, not left for the next leader to send
// again. Only waiting for a turn and backing off end with the sweep.
const InFlightTimeout = 5 * time.Second

// send calls fn, paced, retrying rate limits after Retry-After and other
// failures with backoff, a bounded number of times. okrs.ErrGone is final.
// fn gets a context that outlives ctx's cancellation by up to
// InFlightTimeout (see there).
func (s *Scheduler) send(ctx context.Context, fn func(context.Context) (okrs.Posted, error)) (okrs.Posted, error) {
	fails, limited := 0, 0
	for {
		if err := s.pacer.wait(ctx); err != nil {
			return okrs.Posted{}, err
		}
		call, cancel := context.WithTimeout(context.WithoutCancel(ctx), InFlightTimeout)
		posted, err := fn(call)
		cancel()
		var rl *okrs.RateLimited
		switch {
		case err == nil:
			s.pacer.success()
			return posted, nil
		case errors.Is(err, okrs.ErrGone), errors.As(err, new(panicked)), ctx.Err() != nil:
			return okrs.Posted{}, err
		case errors.As(err, &rl):
			limited++
			s.metrics.rateLimited.Inc()
			if limited >= s.retry.rateLimited {
				return okrs.Posted{}, err
			}
			s.pacer.pause(rl.After)
			continue
		}
		fails++
		if fails >= s.retry.attempts {
			return okrs.Posted{}, err
		}
		backoff := min(s.retry.base<<(fails-1), s.retry.max)
		backoff += time.Duration(rand.Int64N(int64(backoff)/2 + 1))
		select {
		case <-ctx.Done():
			return okrs.Posted{}, ctx.Err()
		case <-time.After(backoff):
		}
	}
}
