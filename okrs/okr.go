package okrs

import (
	"time"
)

// Limits, chosen to fit Slack: a Block Kit header and a modal's text input
// take 150 characters for a title, option texts take 75.
const (
	MaxTitle         = 150
	MaxDescription   = 3000
	MaxComment       = 2000
	MaxChangeReason  = 200 // why a key result's target, kind or due date changed
	MaxUnitLabel     = 20
	MaxCycleName     = 40
	MaxKeyResults    = 5                  // per objective; the method asks for 3–5
	MinKeyResults    = 1                  // to create an objective
	StaleAfter       = 8 * 24 * time.Hour // a key result with no check-in for longer is stale
	PaceTolerance    = 0.10               // progress within 10 points of expected is on pace
	DefaultCurrency  = "$"
	maxAbsoluteValue = 1e15
)

// Field names used by validation errors. Key-result fields are prefixed with
// "kr.<index>." by Objective.Validate (see KRField).
const (
	FieldTitle       = "title"
	FieldDescription = "description"
	FieldTeam        = "team"
	FieldCycle       = "cycle"
	FieldOwner       = "owner"
	FieldParent      = "parent"
	FieldShared      = "shared"
	FieldKeyResults  = "key_results"
	FieldKind        = "kind"
	FieldUnit        = "unit"
	FieldStart       = "start"
	FieldTarget      = "target"
	FieldCurrent     = "current"
	FieldDue         = "due"
	FieldValue       = "value"
	FieldConfidence  = "confidence"
	FieldComment     = "comment"
)

// Kind says how a key result is measured.
type Kind string

const (
	Increase  Kind = "increase"   // move a number up to a target: 40 → 60 customers
	Decrease  Kind = "decrease"   // bring a number down to a target: P99 400 ms → 280 ms
	StayAbove Kind = "stay_above" // keep a number at or above a threshold: uptime ≥ 99.9%
	StayBelow Kind = "stay_below" // keep a number at or below a threshold: churn ≤ 2%
	Milestone Kind = "milestone"  // done or not done
)

// Kinds lists every kind, in the order a form offers them.
var Kinds = []Kind{Increase, Decrease, StayAbove, StayBelow, Milestone}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the plain-English name of a kind.
func (k Kind) Label() string {
	switch k {
	case Increase:
		return "Increase to a target"
	case Decrease:
		return "Decrease to a target"
	case StayAbove:
		return "Stay above a threshold"
	case StayBelow:
		return "Stay below a threshold"
	case Milestone:
		return "Milestone (done / not done)"
	}
	return string(k)
}

// InferKind returns the direction a numeric key result's start and target
// imply: Decrease when the target is below the start (3.5 % → 2 %),
// Increase when it is above. k is kept when it is a threshold or a
// milestone, or when the numbers are equal or not finite; an empty k (not
// chosen yet) is inferred like Increase and Decrease.
func InferKind(k Kind, start, target float64) Kind {
	if k != Increase && k != Decrease && k != "" || !finite(start) || !finite(target) {
		return k
	}
	switch {
	case target < start:
		return Decrease
	case target > start:
		return Increase
	}
	return k
}

// Threshold reports whether k is one of the stay-above/stay-below kinds.
func (k Kind) Threshold() bool { return k == StayAbove || k == StayBelow }

// Unit says how a key result's numbers are shown.
type Unit string

const (
	Number   Unit = "number"
	Percent  Unit = "percent"
	Currency Unit = "currency"
)

// Units lists every unit, in the order a form offers them.
var Units = []Unit{Number, Percent, Currency}

// Valid reports whether u is one of Units.
func (u Unit) Valid() bool { return u == Number || u == Percent || u == Currency }

// Label is the plain-English name of a unit.
func (u Unit) Label() string {
	switch u {
	case Number:
		return "Number"
	case Percent:
		return "Percent (%)"
	case Currency:
		return "Currency"
	}
	return string(u)
}

// Level is how confident an owner is that a key result will be met.
type Level string

const (
	OnTrack  Level = "on_track"
	AtRisk   Level = "at_risk"
	OffTrack Level = "off_track"
)

// Levels lists every confidence level, best first.
var Levels = []Level{OnTrack, AtRisk, OffTrack}

// Valid reports whether l is one of Levels.
func (l Level) Valid() bool { return l == OnTrack || l == AtRisk || l == OffTrack }

// Label is the plain-English name of a level ("" reads "No check-in yet").
func (l Level) Label() string {
	switch l {
	case OnTrack:
		return "On track"
	case AtRisk:
		return "At risk"
	case OffTrack:
		return "Off track"
	}
	return "No check-in yet"
}

// Confidence is an owner's view, at a check-in, of whether a key result will
// be met by the end of the cycle.
type Confidence struct {
	Level Level
}

// TargetChange records a course correction: an edit of a key result's
// target, kind or due date, with who made it, when, and an optional reason.
// Field says which one changed, and which pair of From/To fields holds the
// old and new values. Records kept before kinds and due dates were
// recorded have no Field: they are target changes (see IsTarget).
type TargetChange struct {
	Field    string // FieldTarget ("" in older records), FieldKind or FieldDue
	By       string // Slack user id
	At       time.Time
	From     float64   // FieldTarget
	To       float64   // FieldTarget
	FromKind Kind      // FieldKind
	ToKind   Kind      // FieldKind
	FromDue  time.Time // FieldDue; zero is the cycle end
	ToDue    time.Time // FieldDue; zero is the cycle end
	Reason   string    // optional, up to MaxChangeReason characters
}

// IsTarget reports whether the change is of the target.
func (h TargetChange) IsTarget() bool { return h.Field == FieldTarget || h.Field == "" }

// A KeyResult is one measurable result of an objective.
type KeyResult struct {
	ID          string
	ObjectiveID string
	Title       string
	Owner       string // Slack user id
	Kind        Kind
	Unit        Unit
	UnitLabel   string // optional, for numbers: "ms", "customers"
	Currency    string // symbol for Currency, DefaultCurrency when empty
	Start       float64
	Target      float64
	Due         time.Time // optional date; the cycle end when zero
	Archived    bool
	CreatedAt   time.Time

	// Live state, moved by check-ins.
	Current     float64
	Confidence  Confidence
	LastCheckIn time.Time // zero until the first check-in
	LastAuthor  string

	TargetHistory []TargetChange // course corrections of target, kind and due date, oldest first
	CheckIns      []CheckIn      // newest first, when loaded
}

// An Objective is a qualitative goal of a team for a cycle.
type Objective struct {
	ID          string
	Workspace   string // Slack team id, or enterprise id for org-wide installs
	Team        string // the Slack channel id that is the team
	Cycle       string // the cycle's name
	Title       string
	Description string
	Owner       string // Slack user id
	ParentID    string // optional objective this one aligns to
	CreatedBy   string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Archived    bool
	ArchivedBy  string
	ArchivedAt  time.Time
	KeyResults  []KeyResult
	Proposals   []Proposal // key results proposed by the team, oldest first: see Propose
	SharedWith  []string   // other teams' channels sharing it (cross-functional), besides Team: see Teams
	Grading     Grading    // the owner's end-of-cycle grades (see Apply)
}

// KeyResult returns the key result with the given id, or nil.
func (o *Objective) KeyResult(id string) *KeyResult {
	for i := range o.KeyResults {
		if o.KeyResults[i].ID == id {
			return &o.KeyResults[i]
		}
	}
	return nil
}

// Active returns the key results that are not archived.
func (o *Objective) Active() []KeyResult {
	out := make([]KeyResult, 0, len(o.KeyResults))
	for _, kr := range o.KeyResults {
		if !kr.Archived {
			out = append(out, kr)
		}
	}
	return out
}

// CanEdit reports whether user may edit or archive the objective: its owner,
// its creator, the owner of one of its key results (for that key result, see
// CanEditKeyResult), or a workspace admin (isAdmin, from Slack).
func (o *Objective) CanEdit(user string, isAdmin bool) bool {
	return isAdmin || user != "" && (user == o.Owner || user == o.CreatedBy)
}

// CanEditKeyResult reports whether user may edit the key result: anyone who
// may edit its objective, and the key result's own owner.
func (o *Objective) CanEditKeyResult(kr *KeyResult, user string, isAdmin bool) bool {
	return o.CanEdit(user, isAdmin) || user != "" && kr != nil && user == kr.Owner
}

// SetTarget changes the key result's target and keeps the old one in its
// history. It does nothing when the target is unchanged.
func (kr *KeyResult) SetTarget(target float64, by string, at time.Time) {
	was := *kr
	kr.Target = target
	kr.RecordChanges(&was, by, at, "")
}

// RecordChanges appends to the key result's history a change for each of
// target, kind and due date that differs from was (the key result before
// an edit), each with by, at and reason. Nothing is recorded for a field
// left as it was.
func (kr *KeyResult) RecordChanges(was *KeyResult, by string, at time.Time, reason string) {
	if kr.Kind != was.Kind {
		kr.TargetHistory = append(kr.TargetHistory, TargetChange{Field: FieldKind, By: by, At: at,
			FromKind: was.Kind, ToKind: kr.Kind, Reason: reason})
	}
	if kr.Target != was.Target {
		kr.TargetHistory = append(kr.TargetHistory, TargetChange{Field: FieldTarget, By: by, At: at,
			From: was.Target, To: kr.Target, Reason: reason})
	}
	if !kr.Due.Equal(was.Due) {
		kr.TargetHistory = append(kr.TargetHistory, TargetChange{Field: FieldDue, By: by, At: at,
			FromDue: was.Due, ToDue: kr.Due, Reason: reason})
	}
}

// TargetAt returns the target the key result had at t: its target, unless
// a target change after t replaced an older one.
func (kr *KeyResult) TargetAt(t time.Time) float64 {
	target := kr.Target
	for i := len(kr.TargetHistory) - 1; i >= 0; i-- {
		if h := kr.TargetHistory[i]; h.IsTarget() && h.At.After(t) {
			target = h.From
		}
	}
	return target
}

// ChangesBetween returns the key result's changes made in [from, to),
// oldest first.
func (kr *KeyResult) ChangesBetween(from, to time.Time) []TargetChange {
	var out []TargetChange
	for _, h := range kr.TargetHistory {
		if !h.At.Before(from) && h.At.Before(to) {
			out = append(out, h)
		}
	}
	return out
}

// A CheckIn is an owner's weekly report on one key result.
type CheckIn struct {
	ID          string
	KeyResultID string
	Author      string // Slack user id
	At          time.Time
	Value       float64
	Confidence  Confidence
	Comment     string // progress notes, and what is in the way
}

// Team is a Slack channel that owns objectives, with its settings.
type Team struct {
	Workspace string
	Channel   string // Slack channel id
	Settings  Settings
}
