package views

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okrbot/okrbot/okrs"
)

// FieldBlock maps a domain field name to the form block that shows it.
func FieldBlock(field string, blocks map[string]bool) string {
	id := field
	if rest, ok := strings.CutPrefix(field, "kr."); ok {
		idx, f, _ := strings.Cut(rest, ".")
		switch f {
		case okrs.FieldCurrent:
			f = okrs.FieldStart
		}
		id = "kr" + idx + "_" + f
	}
	if field == okrs.FieldKeyResults {
		id = krBlock(0, "title")
	}
	if blocks[id] {
		return id
	}
	if blocks["title"] {
		return "title"
	}
	return krBlock(0, "title")
}

// FormErrors collects field errors keyed by block id, first one per block.
// KeyResult turns a key result's fields into a domain key result, with
// field errors keyed "kr<i>_<field>".
func (kf KRForm) KeyResult(i int, fe FormErrors) okrs.KeyResult {
	kr := okrs.KeyResult{Title: kf.Title, Kind: kf.Kind, Owner: kf.Owner, Unit: kf.Unit, Archived: kf.Archive}
	if kf.Due != "" {
		if d, err := time.Parse(time.DateOnly, kf.Due); err == nil {
			kr.Due = d
		} else {
			fe.Add(krBlock(i, "due"), "Pick a date.")
		}
	}
	if kf.Archive {
		return kr // an archived key result keeps its numbers
	}
	start, target := strings.TrimSpace(kf.Start), strings.TrimSpace(kf.Target)
	if kf.Kind == okrs.Milestone {
		if start != "" {
			fe.Add(krBlock(i, "start"), "A milestone is done or not done: leave the start empty.")
		}
		if target != "" {
			fe.Add(krBlock(i, "target"), "A milestone is done or not done: leave the target empty.")
		}
		kr.Unit, kr.Target = okrs.Number, 1
		return kr
	}
	var qs, qt okrs.Quantity
	var err error
	if target == "" {
		fe.Add(krBlock(i, "target"), "Enter the target: where should this number be at the end?")
	} else if qt, err = okrs.ParseQuantity(target); err != nil {
		fe.Add(krBlock(i, "target"), okrs.ErrorMessage(err))
	}
	switch {
	case start == "" && kf.Kind.Threshold():
		qs = qt // a threshold without a start is assumed to hold today
	case start == "":
		fe.Add(krBlock(i, "start"), "Enter where it starts today, e.g. 0 or 40%.")
	default:
		if qs, err = okrs.ParseQuantity(start); err != nil {
			fe.Add(krBlock(i, "start"), okrs.ErrorMessage(err))
		}
	}
	kr.Start, kr.Target = qs.Value, qt.Value
	if start != "" && target != "" {
		// The numbers say which way: 3.5% → 2% is a decrease, whichever of
		// increase or decrease was picked.
		kr.Kind = okrs.InferKind(kr.Kind, kr.Start, kr.Target)
	}
	// The unit: the one chosen, else what the values' notation says.
	notation := okrs.Number
	for _, q := range []okrs.Quantity{qs, qt} {
		if q.Unit != okrs.Number && q.Unit != "" {
			if notation != okrs.Number && notation != q.Unit {
				fe.Add(krBlock(i, "target"), "Start and target are in different units.")
			}
			notation = q.Unit
		}
		if q.Currency != "" {
			kr.Currency = q.Currency
		}
		if q.Label != "" {
			kr.UnitLabel = q.Label
		}
	}
	switch {
	case kf.Unit == "":
		kr.Unit = notation
	case notation != okrs.Number && notation != kf.Unit:
		fe.Add(krBlock(i, "unit"), fmt.Sprintf("You chose %s but typed the values as %s.", strings.ToLower(kf.Unit.Label()), strings.ToLower(notation.Label())))
	}
	if kr.Unit != okrs.Number {
		kr.UnitLabel = ""
	}
	return kr
}

// Objective turns the form into a domain objective of its cycle, as m
// offered it, reporting every problem keyed by block id. It runs before the
// ack, so it does no I/O.
func (f ObjectiveForm) Objective(m FormMeta, workspace, by string, now time.Time, blockIDs map[string]bool) (okrs.Objective, okrs.Cycle, FormErrors) {
	fe := FormErrors{}
	o := okrs.Objective{
		Workspace: workspace, Team: f.Team, Title: f.Title, Description: f.Description,
		Owner: f.Owner, ParentID: f.Parent, SharedWith: f.Shared, CreatedBy: by, CreatedAt: now, UpdatedAt: now,
	}
	for _, t := range f.Shared {
		if !IsChannelID(t) {
			fe.Add("shared", "Choose channels, not direct messages: each team is a channel.")
			break
		}
	}
	if o.Owner == "" {
		o.Owner = by
	}
	if f.Team != "" && !IsChannelID(f.Team) {
		fe.Add("team", "Choose a channel, not a direct message: the team is the channel.")
	}
	c, err := m.OfferedCycle(f.Cycle)
	if err != nil {
		fe.Add("cycle", "Choose a cycle.")
	}
	if n := utf8.RuneCountInString(f.Reason); n > okrs.MaxChangeReason {
		fe.Add(BlockReason, fmt.Sprintf("Keep it to %d characters (this is %d).", okrs.MaxChangeReason, n))
	}
	o.Cycle = c.Name
	for i, kf := range f.KRs {
		kr := kf.KeyResult(i, fe)
		kr.CreatedAt = now
		if kr.Owner == "" {
			kr.Owner = o.Owner // the objective's owner's unless someone is chosen
		}
		o.KeyResults = append(o.KeyResults, kr)
	}
	o.Normalize()
	if err == nil {
		for _, e := range okrs.FieldErrors(o.Validate(c)) {
			fe.Add(FieldBlock(e.Field, blockIDs), e.Message)
		}
	}
	return o, c, fe
}

// DraftText writes what someone entered, for a message when it could not be
// saved, so that nothing they typed is lost.
func (f ObjectiveForm) DraftText() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Objective: %s\n", f.Title)
	if f.Description != "" {
		fmt.Fprintf(&sb, "Description: %s\n", f.Description)
	}
	for i, kr := range f.KRs {
		fmt.Fprintf(&sb, "Key result %d: %s\n", i+1, kr.DraftText())
	}
	if f.Reason != "" {
		fmt.Fprintf(&sb, "What changed and why: %s\n", f.Reason)
	}
	return sb.String()
}

// DraftText writes one key result as typed.
func (kf KRForm) DraftText() string {
	return fmt.Sprintf("%s (%s, from %s to %s)", kf.Title, kf.Kind.Label(), kf.Start, kf.Target)
}
