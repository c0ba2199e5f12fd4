package okrs

import (
	"context"
	"time"
)

// Store is the persistence okrbot needs. package store implements it on
// Redis. Every method is scoped by workspace: an id from one workspace is not
// found in another. Errors are *Error values (ENOTFOUND, ECONFLICT,
// EINVALID, EUNAVAILABLE) or wrap them.
//
// The smaller interfaces let a consumer ask for only what it uses.
type Store interface {
	ObjectiveStore
	CheckInStore
	TeamStore
	Marker
}

// ObjectiveStore keeps objectives and their key results.
type ObjectiveStore interface {
	// CreateObjective stores a new objective with its key results in one
	// atomic write, giving each an ID. It checks that a parent objective
	// exists in the workspace. The caller validates first.
	CreateObjective(ctx context.Context, o *Objective) error
	// Objective returns one objective with its key results' live state.
	Objective(ctx context.Context, workspace, id string) (*Objective, error)
	// UpdateObjective reads the objective, lets update change it and writes
	// it back atomically, retrying when a concurrent write got in first.
	// Key results with an empty ID are added; key results are never removed
	// (archive them). An error from update aborts without writing.
	UpdateObjective(ctx context.Context, workspace, id string, update func(*Objective) error) (*Objective, error)
	// TeamObjectives returns a team's objectives for a cycle, oldest first,
	// archived ones left out, each key result with up to history check-ins
	// (newest first; -1 for all, 0 for none). It takes a constant number of
	// round trips whatever the team's size.
	TeamObjectives(ctx context.Context, workspace, team, cycle string, history int) ([]Objective, error)
	// CountTeamObjectives returns how many active objectives a team has in
	// a cycle, in one round trip.
	CountTeamObjectives(ctx context.Context, workspace, team, cycle string) (int, error)
	// CycleObjectives returns every team's objectives for a cycle, oldest
	// first, without key-result live state: enough for a picker.
	CycleObjectives(ctx context.Context, workspace, cycle string) ([]Objective, error)
	// OwnedObjectives returns the objectives, across teams and cycles, in
	// which user owns at least one active key result, with every key
	// result's live state.
	OwnedObjectives(ctx context.Context, workspace, user string) ([]Objective, error)
}

// CheckInStore keeps the history of check-ins.
type CheckInStore interface {
	// RecordCheckIns stores check-ins atomically, with their history by key
	// result and by author, giving each an ID, and moves each key result's
	// current value to its newest check-in. It fails with ENOTFOUND when a
	// key result does not exist in the workspace and EINVALID when one is
	// archived, storing nothing.
	RecordCheckIns(ctx context.Context, workspace string, checkIns []CheckIn) ([]CheckIn, error)
	// CheckIns returns a key result's check-ins, newest first, at most limit
	// (-1 for all).
	CheckIns(ctx context.Context, workspace, keyResult string, limit int) ([]CheckIn, error)
	// CheckInsBy returns user's check-ins across key results, newest first,
	// at most limit (-1 for all).
	CheckInsBy(ctx context.Context, workspace, user string, limit int) ([]CheckIn, error)
}

// TeamStore keeps teams' settings.
type TeamStore interface {
	// Settings returns a team's settings, ENOTFOUND when it has none saved.
	Settings(ctx context.Context, workspace, team string) (Settings, error)
	// SaveSettings stores a team's settings.
	SaveSettings(ctx context.Context, workspace, team string, s Settings) error
	// Teams returns the channels of the workspace's teams: those with
	// objectives or settings.
	Teams(ctx context.Context, workspace string) ([]string, error)
	// Workspaces returns every workspace that has data.
	Workspaces(ctx context.Context) ([]string, error)
}

// Marker keeps small facts with an expiry in a workspace: idempotency
// markers ("this prompt was sent"), claims that one replica holds while it
// acts, and where something was posted.
type Marker interface {
	// Mark sets key unless it is set and reports whether this call set it.
	Mark(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error)
	// Claim sets key to token unless it is set (a lease on an action) and
	// reports whether this call set it.
	Claim(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, error)
	// Settle replaces key's value with value and ttl if it still holds token,
	// and reports whether it did.
	Settle(ctx context.Context, workspace, key, token, value string, ttl time.Duration) (bool, error)
	// Release deletes key if it still holds token, so that the action may be
	// tried again, and reports whether it did.
	Release(ctx context.Context, workspace, key, token string) (bool, error)
	// Put sets key to value, whatever it held.
	Put(ctx context.Context, workspace, key, value string, ttl time.Duration) error
	// Get returns key's value, "" when it is not set.
	Get(ctx context.Context, workspace, key string) (string, error)
	// Unmark removes key.
	Unmark(ctx context.Context, workspace, key string) error
}
