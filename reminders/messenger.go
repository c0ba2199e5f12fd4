package reminders

import (
	"context"

	"github.com/okrbot/okrbot/okrs"
)

// Messenger is what reminders needs from Slack; package bot implements it
// with domain values only, so that neither package imports the other.
type Messenger interface {
	// Person tells where a Slack user is (their timezone) and whether they
	// can be messaged at all. An unknown user is okrs.ErrGone.
	Person(ctx context.Context, workspace, user string) (okrs.Recipient, error)
	// SendPrompt sends one prompt, nudge or reminder as a DM, tagged with
	// p.Key, and says where it landed. It returns okrs.ErrGone (wrapped)
	// for a deactivated or unknown user, an *okrs.RateLimited when Slack
	// asked to slow down, and any other error for failures worth retrying.
	SendPrompt(ctx context.Context, p okrs.Prompt) (okrs.Posted, error)
	// FindPrompt looks in the person's DM for a message tagged with p.Key:
	// after a crash or a failed call, whether the earlier attempt landed.
	FindPrompt(ctx context.Context, p okrs.Prompt) (okrs.Posted, bool, error)
}
