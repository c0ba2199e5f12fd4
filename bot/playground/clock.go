package playground

import (
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// Clock is the playground's time: the real clock shifted by however far the
// person has jumped ahead. Time flows as usual between jumps; a jump moves it
// at once, with no waiting, and the scheduler then sweeps. Timers and
// tickers run on real durations, so the bot's every-minute sweep still comes
// every real minute.
type Clock struct {
	clockwork.Clock
	offset atomic.Int64 // nanoseconds ahead of the real clock
}

// NewClock returns a clock that starts at the real time.
func NewClock() *Clock { return &Clock{Clock: clockwork.NewRealClock()} }

// Now is the playground's present.
func (c *Clock) Now() time.Time { return c.Clock.Now().Add(time.Duration(c.offset.Load())) }

// Since is Now().Sub(t).
func (c *Clock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until is t.Sub(Now()).
func (c *Clock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// JumpTo moves the clock forward to t (never back: the bot's records would
// then come out of order).
func (c *Clock) JumpTo(t time.Time) {
	if d := t.Sub(c.Now()); d > 0 {
		c.offset.Add(int64(d))
	}
}
