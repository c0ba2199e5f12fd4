package bot

import (
	"context"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Store is what the Slack side needs from package store: named methods that
// take and return domain values.
type Store interface {
	CreateObjective(ctx context.Context, o *okrs.Objective) error
	Objective(ctx context.Context, workspace, id string) (*okrs.Objective, error)
	// UpdateObjective reads, lets update check and change, and writes
	// atomically; update is called again on a fresh read after a
	// concurrent write, so a permission check inside it always judges
	// what it replaces.
	UpdateObjective(ctx context.Context, workspace, id string, update func(*okrs.Objective) error) (*okrs.Objective, error)
	TeamObjectives(ctx context.Context, workspace, team, cycle string, history int) ([]okrs.Objective, error)
	CountTeamObjectives(ctx context.Context, workspace, team, cycle string) (int, error)
	// TeamHistory returns every objective the team has had, in every
	// cycle, archived ones included, with all check-ins (for exports).
	TeamHistory(ctx context.Context, workspace, team string) ([]okrs.Objective, error)
	// BackupJSON returns the workspace's (or, with a team, that team's)
	// records in okrbot's backup format, and a summary of what they hold.
	BackupJSON(ctx context.Context, workspace, team string, now time.Time) ([]byte, string, error)
	CycleObjectives(ctx context.Context, workspace, cycle string) ([]okrs.Objective, error)
	// AlignedObjectives is CycleObjectives with key results' live state.
	AlignedObjectives(ctx context.Context, workspace, cycle string) ([]okrs.Objective, error)
	OwnedObjectives(ctx context.Context, workspace, user string) ([]okrs.Objective, error)
	// AwaitingDecision returns the objectives user owns with proposals
	// waiting for them.
	AwaitingDecision(ctx context.Context, workspace, user string) ([]okrs.Objective, error)
	// RecordCheckInsOnce stores check-ins at most once per idempotency key
	// within ttl (claimed atomically with the writes) and reports a
	// duplicate without storing anything.
	RecordCheckInsOnce(ctx context.Context, workspace, key string, ttl time.Duration, checkIns []okrs.CheckIn) ([]okrs.CheckIn, bool, error)
	// RecordCheckInsIfUnchanged is RecordCheckInsOnce for check-ins
	// prepared earlier: it also checks, atomically with the writes, that
	// each key result's last check-in is still at lastAt[i], and fails
	// with ECONFLICT otherwise.
	RecordCheckInsIfUnchanged(ctx context.Context, workspace, key string, ttl time.Duration, checkIns []okrs.CheckIn, lastAt []time.Time) ([]okrs.CheckIn, bool, error)

	Settings(ctx context.Context, workspace, team string) (okrs.Settings, error)
	// Digests returns a team's archived digests, newest first (of one
	// cycle, when cycle is not empty).
	Digests(ctx context.Context, workspace, team, cycle string) ([]okrs.DigestRecord, error)
	// HeldPrompts returns a team's prompts held while their owners were
	// away: who was away in which period.
	HeldPrompts(ctx context.Context, workspace, team string) ([]okrs.HeldPrompt, error)
	// UpdateSettings is UpdateObjective for a team's settings (found is
	// false for a team that has saved none).
	UpdateSettings(ctx context.Context, workspace, team string, update func(cur okrs.Settings, found bool) (okrs.Settings, error)) (okrs.Settings, error)

	LastPrompt(ctx context.Context, workspace, team, user string) (okrs.PromptRef, error)
	// Away and snooze: what a person said with /okr away, and the prompts
	// they asked to see again later (once per message snoozed).
	SetAway(ctx context.Context, workspace string, r okrs.AwayRecord) error
	ClearAway(ctx context.Context, workspace, user string) (bool, error)
	SaveSnooze(ctx context.Context, workspace string, z okrs.Snooze) (okrs.Snooze, bool, error)
	DMChannel(ctx context.Context, workspace, user string) (string, error)
	SetDMChannel(ctx context.Context, workspace, user, channel string) error
	MarkHomeOpened(ctx context.Context, workspace, user string, ttl time.Duration) error
	HomeOpened(ctx context.Context, workspace, user string) (bool, error)
	Once(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error)
	ClaimDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error)
	SettleDelivery(ctx context.Context, workspace, key, token string, d okrs.Delivery, ttl time.Duration) (bool, error)
	ReleaseDelivery(ctx context.Context, workspace, key, token string) (bool, error)

	// Drafts wait for the coach's review step, under the person's id.
	SaveDraft(ctx context.Context, workspace, user, id string, data []byte, ttl time.Duration) error
	Draft(ctx context.Context, workspace, user, id string) ([]byte, error) // nil: none
	DropDraft(ctx context.Context, workspace, user, id string) error
}
