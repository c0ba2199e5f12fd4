package reminders

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Messenger is what reminders needs from Slack. package bot implements it.
type Messenger interface {
	// Person tells where a Slack user is (their timezone) and whether they
	// can be messaged at all. An unknown user is ErrGone.
	Person(ctx context.Context, workspace, user string) (Person, error)
	// SendPrompt sends one prompt, nudge or reminder as a DM, tagged with
	// p.Key, and says where it landed. It returns ErrGone (wrapped) for a
	// deactivated or unknown user, a *RateLimited when Slack asked to slow
	// down, and any other error for failures worth retrying.
	SendPrompt(ctx context.Context, p Prompt) (Posted, error)
	// FindPrompt looks in the person's DM for a message tagged with p.Key:
	// after a crash or a failed call, whether the earlier attempt landed.
	FindPrompt(ctx context.Context, p Prompt) (Posted, bool, error)
}

// Person is what reminders knows about a Slack user.
type Person struct {
	Location *time.Location // nil: use the team's timezone
	Active   bool           // false for deactivated users and bots
}

// Kind is what a prompt is.
type Kind string

const (
	KindPrompt Kind = "prompt" // the scheduled weekly prompt
	KindNudge  Kind = "nudge"  // one follow-up when someone has not checked in
	KindRemind Kind = "remind" // a manager's "/okr remind" after the prompt went out
)

// Prompt is one message to one key-result owner.
type Prompt struct {
	Kind      Kind
	Workspace string
	Team      string // the team channel
	User      string
	Period    Period
	DueAt     time.Time // when it was due
	Late      bool      // sent well after it was due (the bot was down)
	// Objectives holds the owner's open key results, grouped by objective:
	// each objective carries only the key results the person owns.
	Objectives []okrs.Objective
	Cycle      okrs.Cycle
	// Key identifies this one message (kind, team, period, person): the
	// messenger tags the message with it, so an attempt can be found later.
	Key string
}

// Posted is where a prompt landed.
type Posted struct{ Channel, TS string }

// ErrGone says a recipient is deactivated, unknown or cannot be messaged:
// okrbot skips them for the period and does not retry.
var ErrGone = errors.New("reminders: recipient is deactivated or unknown")

// RateLimited says Slack asked to wait before the next call.
type RateLimited struct{ After time.Duration }

func (e *RateLimited) Error() string { return fmt.Sprintf("slack rate limit: retry after %v", e.After) }
