package slacktest

import (
	"math"
	"net/http"
	"sync"
	"time"
)

// fault is a queued failure for the next calls of a method.
type fault struct {
	remaining int
	code      string // Slack error code (ok:false, HTTP 200)
	status    int    // HTTP status when non-zero
}

// bucket is a token bucket.
type bucket struct {
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

type faultTable struct {
	mu      sync.Mutex
	queued  map[string][]*fault
	buckets map[string]*bucket
}

func (f *faultTable) init() {
	f.queued = map[string][]*fault{}
	f.buckets = map[string]*bucket{}
}

// RateLimit limits a method ("upload" and "response_url" included) to
// perSecond calls per second with bursts of up to burst calls, measured on
// the fake's clock. Calls over the limit get HTTP 429 with a Retry-After
// header (whole seconds, at least 1), which slack-go reports as
// *slack.RateLimitedError. perSecond <= 0 removes the limit.
func (s *Server) RateLimit(method string, perSecond float64, burst int) {
	f := &s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	if perSecond <= 0 {
		delete(f.buckets, method)
		return
	}
	b := float64(max(burst, 1))
	f.buckets[method] = &bucket{rate: perSecond, burst: b, tokens: b, last: s.now()}
}

// FailNext makes the next n calls of a method answer
// {"ok":false,"error":code} (HTTP 200). Faults queue up behind earlier ones.
func (s *Server) FailNext(method, code string, n int) {
	s.faults.push(method, &fault{remaining: n, code: code})
}

// FailNextHTTP makes the next n calls of a method answer with an HTTP status
// such as 500 or 503 (slack-go returns slack.StatusCodeError). For 429 a
// Retry-After of 1 s is sent.
func (s *Server) FailNextHTTP(method string, status, n int) {
	s.faults.push(method, &fault{remaining: n, status: status})
}

func (f *faultTable) push(method string, ft *fault) {
	if ft.remaining <= 0 {
		return
	}
	f.mu.Lock()
	f.queued[method] = append(f.queued[method], ft)
	f.mu.Unlock()
}

// check applies the rate limit and queued faults of a method to one call.
func (f *faultTable) check(method string, now time.Time) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	if b := f.buckets[method]; b != nil {
		if el := now.Sub(b.last).Seconds(); el > 0 {
			b.tokens = math.Min(b.burst, b.tokens+el*b.rate)
			b.last = now
		}
		if b.tokens < 1 {
			wait := math.Ceil((1 - b.tokens) / b.rate)
			return &apiError{code: "ratelimited", status: http.StatusTooManyRequests, retryAfter: max(int(wait), 1)}
		}
		b.tokens--
	}
	q := f.queued[method]
	if len(q) == 0 {
		return nil
	}
	ft := q[0]
	ft.remaining--
	if ft.remaining <= 0 {
		f.queued[method] = q[1:]
	}
	if ft.status != 0 {
		e := &apiError{code: "", status: ft.status}
		if ft.status == http.StatusTooManyRequests {
			e.code, e.retryAfter = "ratelimited", 1
		}
		return e
	}
	return fail(ft.code)
}
