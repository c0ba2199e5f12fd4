package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Pseudo methods under which the fake records requests that are not Web API
// methods.
const (
	// MethodResponseURL records POSTs to response URLs.
	MethodResponseURL = "response_url"
	// MethodUpload records file uploads to upload_url.
	MethodUpload = "upload"
)

// notifier wakes waiters when a store changes. A waiter takes the channel
// before checking the store, so no change is missed.
type notifier struct {
	mu sync.Mutex
	ch chan struct{}
}

func (n *notifier) wait() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

func (n *notifier) notify() {
	n.mu.Lock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
	n.mu.Unlock()
}

// Call is one recorded request to the fake: a Web API method, a response_url
// POST (Method MethodResponseURL) or an upload (Method MethodUpload).
type Call struct {
	Seq      int    // 1-based position among all calls
	Method   string // e.g. "chat.postMessage"
	Token    string // token as sent (header or form field)
	Params   url.Values
	JSON     json.RawMessage // the body when it was JSON
	Time     time.Time       // fake clock
	Status   int             // HTTP status of the answer
	Response json.RawMessage // the answer body
	Error    string          // Slack error code when ok was false, "ratelimited" for 429, "http_NNN" for other statuses
}

// Param returns a request parameter: a form or query field, or a top-level
// field of a JSON body (strings unquoted, other values as JSON text).
func (c Call) Param(name string) string { return c.Params.Get(name) }

// OK reports whether the call succeeded.
func (c Call) OK() bool { return c.Error == "" }

func (c Call) String() string {
	if c.Error != "" {
		return fmt.Sprintf("#%d %s → %s", c.Seq, c.Method, c.Error)
	}
	return fmt.Sprintf("#%d %s → ok", c.Seq, c.Method)
}

type callLog struct {
	mu       sync.Mutex
	calls    []Call
	byMethod map[string][]int
	n        notifier
}

func (l *callLog) init() { l.byMethod = map[string][]int{} }

func (l *callLog) add(c Call) {
	l.mu.Lock()
	c.Seq = len(l.calls) + 1
	l.byMethod[c.Method] = append(l.byMethod[c.Method], len(l.calls))
	l.calls = append(l.calls, c)
	l.mu.Unlock()
	l.n.notify()
}

// Calls returns the recorded calls of a method in order, or all calls when
// method is "".
func (s *Server) Calls(method string) []Call {
	l := &s.calls
	l.mu.Lock()
	defer l.mu.Unlock()
	if method == "" {
		return slices.Clone(l.calls)
	}
	idx := l.byMethod[method]
	out := make([]Call, len(idx))
	for i, j := range idx {
		out[i] = l.calls[j]
	}
	return out
}

// CallCount returns how many calls of a method were recorded ("" for all).
func (s *Server) CallCount(method string) int {
	l := &s.calls
	l.mu.Lock()
	defer l.mu.Unlock()
	if method == "" {
		return len(l.calls)
	}
	return len(l.byMethod[method])
}

// WaitForCall returns the first recorded call of method ("" for any) that
// satisfies match (nil matches everything), waiting for it if needed. Calls
// recorded before WaitForCall was called count too. Without a deadline on
// ctx the wait times out after 5 s (WithWaitTimeout).
func (s *Server) WaitForCall(ctx context.Context, method string, match func(Call) bool) (Call, error) {
	ctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	l := &s.calls
	next := 0
	for {
		ch := l.n.wait()
		l.mu.Lock()
		var cand []Call
		if method == "" {
			cand = slices.Clone(l.calls[next:])
			next = len(l.calls)
		} else {
			idx := l.byMethod[method]
			for _, j := range idx[min(next, len(idx)):] {
				cand = append(cand, l.calls[j])
			}
			next = len(idx)
		}
		l.mu.Unlock()
		for _, c := range cand {
			if match == nil || match(c) {
				return c, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Call{}, fmt.Errorf("slacktest: no matching %s call: %w (seen: %s)",
				orAny(method), ctx.Err(), summarizeCalls(s.Calls(method)))
		}
	}
}

func orAny(method string) string {
	if method == "" {
		return "Web API"
	}
	return method
}

func summarizeCalls(calls []Call) string { return summarize(calls, "calls, ") }

// summarize lists the last few records for an error message.
func summarize[T fmt.Stringer](items []T, unit string) string {
	if len(items) == 0 {
		return "none"
	}
	const maxShown = 10
	var b strings.Builder
	if len(items) > maxShown {
		fmt.Fprintf(&b, "%d %slast %d: ", len(items), unit, maxShown)
		items = items[len(items)-maxShown:]
	}
	for i, it := range items {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(it.String())
	}
	return b.String()
}
