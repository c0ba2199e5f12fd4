package reminders

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer spaces Slack calls within a rate and stops every sender while Slack
// asks for a pause (HTTP 429 with Retry-After). Pacing and backoff use the
// wall clock, not the scheduler's: they are about Slack's real time.
type pacer struct {
	limiter *rate.Limiter

	mu         sync.Mutex
	pauseUntil time.Time
}

func newPacer(perSecond float64, burst int) *pacer {
	return &pacer{limiter: rate.NewLimiter(rate.Limit(perSecond), max(burst, 1))}
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

// pause holds every caller back for d.
func (p *pacer) pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); until.After(p.pauseUntil) {
		p.pauseUntil = until
	}
}

// retryPolicy bounds retries of one send.
type retryPolicy struct {
	attempts    int           // tries for failures other than rate limits
	rateLimited int           // tries when Slack keeps saying 429
	base        time.Duration // first backoff; doubles, with jitter
	max         time.Duration
}

// send calls fn, paced, retrying rate limits after Retry-After and other
// failures with backoff, a bounded number of times. ErrGone is final.
func (s *Scheduler) send(ctx context.Context, fn func() (Posted, error)) (Posted, error) {
	fails, limited := 0, 0
	for {
		if err := s.pacer.wait(ctx); err != nil {
			return Posted{}, err
		}
		posted, err := fn()
		var rl *RateLimited
		switch {
		case err == nil:
			return posted, nil
		case errors.Is(err, ErrGone), ctx.Err() != nil:
			return Posted{}, err
		case errors.As(err, &rl):
			limited++
			s.metrics.rateLimited.Inc()
			if limited >= s.retry.rateLimited {
				return Posted{}, err
			}
			s.pacer.pause(rl.After)
			continue
		}
		fails++
		if fails >= s.retry.attempts {
			return Posted{}, err
		}
		backoff := min(s.retry.base<<(fails-1), s.retry.max)
		backoff += time.Duration(rand.Int64N(int64(backoff)/2 + 1))
		select {
		case <-ctx.Done():
			return Posted{}, ctx.Err()
		case <-time.After(backoff):
		}
	}
}
