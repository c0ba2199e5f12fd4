package okrs

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The team proposes key results and the objective's owner decides: a
// proposal is kept on its objective, so that accepting it (the key result
// added, the proposal marked accepted) is one write, checked against the
// objective it replaces, and the objective keeps the record of who proposed
// what, who decided and when.

// Limits of proposals, per objective.
const (
	MaxPendingProposals = 20  // waiting for the owner at once
	MaxProposals        = 100 // in all, decided ones included (the record)
	MaxReason           = 500 // a decline's reason
)

// FieldReason names a decline's reason in validation errors.
const FieldReason = "reason"

// ProposalState is where a proposal stands.
type ProposalState string

const (
	ProposalPending   ProposalState = "pending"
	ProposalAccepted  ProposalState = "accepted"
	ProposalDeclined  ProposalState = "declined"
	ProposalWithdrawn ProposalState = "withdrawn"
)

// A Proposal is a key result someone in the team proposed for an objective,
// waiting for, or decided by, the objective's owner.
type Proposal struct {
	ID         string
	KeyResult  KeyResult // as proposed; its Owner is who would own it
	ProposedBy string
	ProposedAt time.Time
	State      ProposalState
	DecidedBy  string // who accepted or declined it, or the proposer who withdrew it
	DecidedAt  time.Time
	Reason     string   // a decline's reason, optional
	Changes    []Change // what the owner changed in accepting it, if anything
	// Where the owner's and the proposer's DMs about it landed, so that a
	// decision can update them wherever it is taken.
	OwnerDM    Posted
	ProposerDM Posted
}

// Pending reports whether the proposal waits for a decision.
func (p *Proposal) Pending() bool { return p.State == ProposalPending }

// A Change is one field the owner changed in a proposed key result before
// accepting it. From and To are as people read them ("60%", "Jan 31,
// 2027"), except for FieldOwner, whose values are Slack user ids.
type Change struct {
	Field string // FieldTitle, FieldKind, FieldUnit, FieldStart, FieldTarget, FieldOwner or FieldDue
	From  string
	To    string
}

// Proposal returns the objective's proposal with the given id, or nil.
func (o *Objective) Proposal(id string) *Proposal {
	for i := range o.Proposals {
		if o.Proposals[i].ID == id && id != "" {
			return &o.Proposals[i]
		}
	}
	return nil
}

// Pending returns the proposals waiting for the owner, oldest first.
func (o *Objective) Pending() []Proposal {
	var out []Proposal
	for _, p := range o.Proposals {
		if p.Pending() {
			out = append(out, p)
		}
	}
	return out
}

// Propose adds a pending proposal of kr by user by, at at, checked against
// c, the objective's cycle. The key result is owned by the proposer unless
// they chose someone. Whether by may propose (a member of the objective's
// team) is the caller's to check; the store gives the proposal its ID.
func (o *Objective) Propose(kr KeyResult, by string, at time.Time, c Cycle) (*Proposal, error) {
	switch pending := len(o.Pending()); {
	case by == "":
		return nil, Invalid(FieldOwner, "A proposal needs someone who proposes it.")
	case o.Archived:
		return nil, Errorf(EINVALID, "“%s” is archived: it takes no more key results.", o.Title)
	case len(o.Active()) >= MaxKeyResults:
		return nil, Errorf(EINVALID, "“%s” already has %d key results, the most an objective should have. Ask its owner which one yours could replace.", o.Title, MaxKeyResults)
	case pending >= MaxPendingProposals:
		return nil, Errorf(EINVALID, "“%s” has %d proposals waiting for its owner already. Let them decide on those first.", o.Title, pending)
	case len(o.Proposals) >= MaxProposals:
		return nil, Errorf(EINVALID, "“%s” has had %d proposals, as many as one objective keeps. Talk to its owner directly.", o.Title, MaxProposals)
	}
	kr = proposed(kr, "", time.Time{})
	if kr.Owner == "" {
		kr.Owner = by
	}
	if err := kr.Validate(c); err != nil {
		return nil, err
	}
	o.Proposals = append(o.Proposals, Proposal{KeyResult: kr, ProposedBy: by, ProposedAt: at, State: ProposalPending})
	return &o.Proposals[len(o.Proposals)-1], nil
}

// proposed is kr tidied as a new key result of objective objID: no id, no
// live state, no history.
func proposed(kr KeyResult, objID string, at time.Time) KeyResult {
	kr.Normalize()
	kr.ID, kr.ObjectiveID, kr.Archived, kr.CreatedAt = "", objID, false, at
	kr.Current, kr.Confidence, kr.LastCheckIn, kr.LastAuthor = kr.Start, Confidence{}, time.Time{}, ""
	kr.TargetHistory, kr.CheckIns = nil, nil
	return kr
}

// Decidable returns the pending proposal id for by to decide, or why not:
// ENOTFOUND when there is none, EFORBIDDEN for anyone but the objective's
// owner, ECONFLICT (with the proposal) when it was decided already.
func (o *Objective) Decidable(id, by string) (*Proposal, error) {
	p := o.Proposal(id)
	switch {
	case p == nil:
		return nil, Errorf(ENOTFOUND, "That proposal is not on “%s” (any more).", o.Title)
	case by == "" || by != o.Owner:
		return nil, Errorf(EFORBIDDEN, "Only the objective's owner decides on the key results proposed for it.")
	}
	return p, p.stillPending()
}

// stillPending returns nil for a pending proposal and ECONFLICT, saying how
// it was decided, for any other.
func (p *Proposal) stillPending() error {
	switch p.State {
	case ProposalPending:
		return nil
	case ProposalAccepted:
		return Errorf(ECONFLICT, "That proposal was accepted already.")
	case ProposalDeclined:
		return Errorf(ECONFLICT, "That proposal was declined already.")
	case ProposalWithdrawn:
		return Errorf(ECONFLICT, "That proposal was withdrawn.")
	}
	return Errorf(ECONFLICT, "That proposal was decided already.")
}

// Accept makes a pending proposal a key result of o, as proposed or, when
// adjusted is not nil, as the owner adjusted it (the changes are recorded
// on the proposal). Only the objective's owner accepts; the key result is
// checked against c, the objective's cycle, and must fit in the objective.
// The new key result is the last of o.KeyResults; the store gives it its ID.
func (o *Objective) Accept(id, by string, at time.Time, adjusted *KeyResult, c Cycle) (*Proposal, error) {
	p, err := o.Decidable(id, by)
	if err != nil {
		return p, err
	}
	if o.Archived {
		return p, Errorf(EINVALID, "“%s” is archived: it takes no more key results.", o.Title)
	}
	if len(o.Active()) >= MaxKeyResults {
		return p, Errorf(EINVALID, "“%s” already has %d key results, the most an objective should have. Archive one first, or decline this one.", o.Title, MaxKeyResults)
	}
	kr := p.KeyResult
	if adjusted != nil {
		kr = *adjusted
	}
	kr = proposed(kr, o.ID, at)
	if kr.Owner == "" {
		kr.Owner = p.ProposedBy
	}
	if err := kr.Validate(c); err != nil {
		return p, err
	}
	p.Changes = nil
	if adjusted != nil {
		p.Changes = KeyResultChanges(&p.KeyResult, &kr)
	}
	o.KeyResults = append(o.KeyResults, kr)
	p.State, p.DecidedBy, p.DecidedAt = ProposalAccepted, by, at
	o.UpdatedAt = at
	return p, nil
}

// Decline turns down a pending proposal, with an optional reason for the
// proposer. Only the objective's owner declines.
func (o *Objective) Decline(id, by string, at time.Time, reason string) (*Proposal, error) {
	p, err := o.Decidable(id, by)
	if err != nil {
		return p, err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > MaxReason {
		return p, Invalid(FieldReason, "Keep the reason within %d characters.", MaxReason)
	}
	p.State, p.DecidedBy, p.DecidedAt, p.Reason = ProposalDeclined, by, at, reason
	return p, nil
}

// Withdraw takes back a pending proposal. Only the person who proposed it
// withdraws it.
func (o *Objective) Withdraw(id, by string, at time.Time) (*Proposal, error) {
	p := o.Proposal(id)
	switch {
	case p == nil:
		return nil, Errorf(ENOTFOUND, "That proposal is not on “%s” (any more).", o.Title)
	case by == "" || by != p.ProposedBy:
		return p, Errorf(EFORBIDDEN, "Only the person who proposed a key result can withdraw it.")
	}
	if err := p.stillPending(); err != nil {
		return p, err
	}
	p.State, p.DecidedBy, p.DecidedAt = ProposalWithdrawn, by, at
	return p, nil
}

// KeyResultChanges lists what differs between a key result as proposed and
// as accepted, in the order a form shows the fields.
func KeyResultChanges(from, to *KeyResult) []Change {
	var out []Change
	add := func(field, a, b string) {
		if a != b {
			out = append(out, Change{Field: field, From: a, To: b})
		}
	}
	add(FieldTitle, from.Title, to.Title)
	add(FieldKind, from.Kind.Label(), to.Kind.Label())
	add(FieldUnit, unitName(from), unitName(to))
	if from.Start != to.Start {
		add(FieldStart, from.Format(from.Start), to.Format(to.Start))
	}
	if from.Target != to.Target {
		add(FieldTarget, from.Format(from.Target), to.Format(to.Target))
	}
	add(FieldOwner, from.Owner, to.Owner)
	add(FieldDue, dueName(from.Due), dueName(to.Due))
	return out
}

// unitName says a key result's unit as a person would: "percent", "$",
// "ms", "number".
func unitName(kr *KeyResult) string {
	switch {
	case kr.Kind == Milestone:
		return "done / not done"
	case kr.Unit == Percent:
		return "percent"
	case kr.Unit == Currency:
		if kr.Currency == "" {
			return DefaultCurrency
		}
		return kr.Currency
	case kr.UnitLabel != "":
		return kr.UnitLabel
	}
	return "number"
}

func dueName(d time.Time) string {
	if d.IsZero() {
		return "the end of the cycle"
	}
	return d.Format("Jan 2, 2006")
}
