package bot

import (
	"context"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Scheduler is what the Slack side asks of the scheduler (package
// reminders implements it): a manager's "/okr remind" and "/okr digest".
type Scheduler interface {
	// RemindNow sends a team's prompts now; started hears, before the
	// first is sent, how many will go out and how long that should take.
	RemindNow(ctx context.Context, workspace, team string, started func(sending int, eta time.Duration)) (okrs.SendReport, error)
	// Digest composes this week's digest of a team (for a preview).
	Digest(ctx context.Context, workspace, team string) (okrs.Digest, error)
	// PostDigestNow posts this week's digest unless it went out already
	// (or is going out on another replica): it reports whether this call
	// posted it, and otherwise where the week's digest stands.
	PostDigestNow(ctx context.Context, workspace, team string) (okrs.Delivery, bool, error)
	// CycleNow handles the end of a team's last cycle at once: grade
	// requests, and the retrospective when it is due; each once.
	CycleNow(ctx context.Context, workspace, team string) (okrs.SendReport, error)
	// Retrospective composes the retrospective of a team's last cycle as
	// it stands, and says where it was posted, if it was.
	Retrospective(ctx context.Context, workspace, team string) (okrs.Retrospective, okrs.Delivery, error)
}

// SetScheduler connects "/okr remind" and "/okr digest" to the scheduler.
func (b *Bot) SetScheduler(s Scheduler) { b.scheduler = s }
