package okrs

import (
	"errors"
	"fmt"
	"time"
)

// PromptKind is what a check-in message to an owner is.
type PromptKind string

const (
	KindPrompt PromptKind = "prompt" // the scheduled weekly prompt
	KindNudge  PromptKind = "nudge"  // one follow-up when someone has not checked in
	KindRemind PromptKind = "remind" // a manager's "/okr remind" after the prompt went out
	KindLast   PromptKind = "last"   // a week before the cycle ends: the last check-in
)

// Prompt is one check-in message to one key-result owner: what it says and
// for which period. The scheduler decides when it is due; the Slack side
// draws and sends it.
type Prompt struct {
	Kind      PromptKind
	Workspace string
	Team      string // the team channel
	User      string
	Period    Period
	DueAt     time.Time // when it was due
	Late      bool      // sent well after it was due (the bot was down)
	CatchUp   bool      // held while the person was away: the one prompt on their return
	Snoozed   bool      // the prompt again, as the person asked ("Remind me later")
	// Objectives holds the owner's open key results, grouped by objective:
	// each objective carries only the key results the person owns.
	Objectives []Objective
	Cycle      Cycle
	// Key identifies this one message (kind, team, period, person): the
	// sender tags the message with it, so an attempt can be found later.
	Key string
}

// KeyResults counts the prompt's key results.
func (p Prompt) KeyResults() int {
	n := 0
	for _, o := range p.Objectives {
		n += len(o.KeyResults)
	}
	return n
}

// Posted is where a message landed in Slack: a channel and a timestamp.
type Posted struct{ Channel, TS string }

// Zero reports whether nothing was posted.
func (p Posted) Zero() bool { return p.Channel == "" || p.TS == "" }

// Recipient is what the scheduler knows about a person it may message.
type Recipient struct {
	Location *time.Location // nil: use the team's timezone
	Active   bool           // false for deactivated users and bots
}

// ErrGone says a recipient is deactivated, unknown or cannot be messaged, or
// a channel cannot be posted in: the message is skipped and not retried.
var ErrGone = errors.New("okrs: recipient is deactivated, unknown or cannot be posted to")

// RateLimited says the messaging service asked to wait before the next call.
type RateLimited struct{ After time.Duration }

func (e *RateLimited) Error() string { return fmt.Sprintf("rate limited: retry after %v", e.After) }

// SendReport counts what a sweep or a reminder did.
type SendReport struct {
	Sent      int // prompts, nudges and reminders delivered
	CheckedIn int // owners already checked in for the period
	Skipped   int // deactivated or unknown people
	Failed    int // sends that failed and were not delivered
	Already   int // already sent this period (or being sent by another replica)
	Retrying  int // of the failed, those the scheduler tries again in its next sweeps
	Away      int // owners away (status, /okr away, a team holiday): nothing sent, their prompt held
}

// Add adds o's counts to r.
func (r *SendReport) Add(o SendReport) {
	r.Sent += o.Sent
	r.CheckedIn += o.CheckedIn
	r.Skipped += o.Skipped
	r.Failed += o.Failed
	r.Already += o.Already
	r.Retrying += o.Retrying
	r.Away += o.Away
}

// PromptRef is where a person's latest prompt in a team landed, and for
// which period, so that a check-in can turn it into "Checked in ✓".
type PromptRef struct {
	Period string // the period's key
	Posted
}

// DeliveryState is where one message that must go out exactly once stands.
type DeliveryState string

const (
	DeliveryNone    DeliveryState = ""        // nobody has claimed it
	DeliveryClaimed DeliveryState = "claimed" // a replica holds it and is sending it
	DeliverySent    DeliveryState = "sent"    // it went out; Posted says where
	DeliveryGone    DeliveryState = "gone"    // its recipient cannot be messaged: skipped
	DeliveryFailed  DeliveryState = "failed"  // it kept failing and was given up
)

// Delivery is the state of one exactly-once message.
type Delivery struct {
	State  DeliveryState
	Posted Posted // where it landed, once sent
}

// Settled reports whether the delivery is over: sent, skipped or given up.
func (d Delivery) Settled() bool {
	return d.State == DeliverySent || d.State == DeliveryGone || d.State == DeliveryFailed
}

// PendingSend is a message a person asked for (a manager's "/okr remind")
// that could not be sent yet: the scheduler tries it again on its next
// sweeps, under the same delivery key, so it goes out once.
type PendingSend struct {
	Key   string // the delivery key
	Team  string
	User  string
	Since time.Time // when it was first tried
}
