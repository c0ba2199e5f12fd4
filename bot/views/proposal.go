package views

import (
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Form modes of the key-result form (CallbackAddKR) for proposals.
const (
	ModePropose = "propose" // from anyone in the team: proposed to the owner, or added where it may be
	ModeAdjust  = "adjust"  // a proposal, prefilled, for its objective's owner to adjust and accept
)

// Callback and action ids of proposals.
const (
	CallbackDecline = "okr_decline"           // a decline's optional reason
	ActionPropose   = "okr_propose"           // "Propose a key result"; value: the objective's id
	ActionAccept    = "okr_proposal_accept"   // value: ProposalValue
	ActionAdjust    = "okr_proposal_adjust"   // value: ProposalValue
	ActionDecline   = "okr_proposal_decline"  // value: ProposalValue
	ActionWithdraw  = "okr_proposal_withdraw" // value: ProposalValue
)

// ProposalValue is the value of a proposal's buttons. Like any payload it
// can be forged: the objective is loaded again in the caller's workspace and
// the decision checked against it.
func ProposalValue(objID, proposalID string) string { return objID + "|" + proposalID }

// ParseProposalValue reads a ProposalValue.
func ParseProposalValue(v string) (objID, proposalID string, ok bool) {
	objID, proposalID, ok = strings.Cut(v, "|")
	return objID, proposalID, ok && objID != "" && proposalID != ""
}

// ProposeKRModal is the key-result form for someone proposing one for o:
// the add-a-key-result form, which says who decides. When direct (the
// person may add key results to o, or the team adds them directly) it reads
// as the add form, and its submission adds the key result at once.
func ProposeKRModal(o *okrs.Objective, kf KRForm, m FormMeta, direct bool) slack.ModalViewRequest {
	m.Mode, m.ObjID, m.Cycle, m.N, m.Proposal, m.Title = ModePropose, o.ID, o.Cycle, 1, "", ""
	intro := Sprintf("Propose a key result for *%s*. Its owner, %s, accepts, adjusts or declines it, and I'll tell you in a DM.", o.Title, Mention(o.Owner))
	title, submit := "Propose a key result", "Propose"
	if direct {
		intro, title, submit = Sprintf("Add a key result to *%s*.", o.Title), "Add a key result", "Add"
	}
	return krModal(kf, m, []Mrkdwn{intro}, title, submit)
}

// AdjustKRModal is the key-result form prefilled with a proposal, for the
// objective's owner to change and accept.
func AdjustKRModal(o *okrs.Objective, p *okrs.Proposal, m FormMeta) slack.ModalViewRequest {
	return AdjustKRModalWith(o, p, ProposalForm(p), m)
}

// AdjustKRModalWith is AdjustKRModal showing kf (what the owner typed).
func AdjustKRModalWith(o *okrs.Objective, p *okrs.Proposal, kf KRForm, m FormMeta) slack.ModalViewRequest {
	m.Mode, m.ObjID, m.Cycle, m.N, m.Proposal, m.Title = ModeAdjust, o.ID, o.Cycle, 1, p.ID, ""
	intro := Sprintf("%s proposed this key result for *%s*. Change what you like and accept it: %s will see what you changed.",
		Mention(p.ProposedBy), o.Title, Mention(p.ProposedBy))
	return krModal(kf, m, []Mrkdwn{intro}, "Adjust and accept", "Accept")
}

// ProposalForm prefills the key-result form with a proposal.
func ProposalForm(p *okrs.Proposal) KRForm {
	kf := krFormOf(&p.KeyResult)
	kf.Existing, kf.History = false, nil
	if kf.Owner == "" {
		kf.Owner = p.ProposedBy
	}
	return kf
}

// krModal is the one-key-result form: intro, the key result's fields.
func krModal(kf KRForm, m FormMeta, intro []Mrkdwn, title, submit string) slack.ModalViewRequest {
	var blocks []slack.Block
	for _, t := range intro {
		blocks = append(blocks, section(t))
	}
	if n := utf8.RuneCountInString(kf.Title); n > okrs.MaxTitle {
		blocks = append(blocks, contextText(Sprintf(":scissors: Your title was %s characters; key results take up to %d, so it was cut.",
			okrs.FormatNumber(float64(n)), okrs.MaxTitle)))
	}
	blocks = append(blocks, contextText(Raw(":bulb: A good key result measures an outcome, not a task: “Raise week-1 activation from 40% to 60%”, not “Send the onboarding email”.")))
	blocks = append(blocks, krBlocks(0, kf, false)[1:]...)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackAddKR, PrivateMetadata: m.Encode(),
		Title: plain(shorten(title, MaxModalTitle)), Submit: plain(shorten(submit, MaxModalTitle)), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// DeclineModal asks the owner for an optional reason before declining.
func DeclineModal(o *okrs.Objective, p *okrs.Proposal, m FormMeta) slack.ModalViewRequest {
	m.Mode, m.ObjID, m.Proposal = "", o.ID, p.ID
	blocks := []slack.Block{
		section(Sprintf("Decline %s's proposal for *%s*?\n%s", Mention(p.ProposedBy), o.Title, proposalSummary(&p.KeyResult))),
		textInput("reason", "Why? (optional)", "", "A word for them: what would make it fit better, or why not now", okrs.MaxReason, true, true),
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackDecline, PrivateMetadata: m.Encode(),
		Title: plain("Decline the proposal"), Submit: plain("Decline"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// ReadDeclineReason reads the decline modal's reason.
func ReadDeclineReason(state *slack.ViewState) string { return stateText(state, "reason") }

// proposalSummary is a proposed key result in two lines: its title, then
// how it is measured, its owner and its due date.
func proposalSummary(kr *okrs.KeyResult) Mrkdwn {
	due := Mrkdwn{}
	if !kr.Due.IsZero() {
		due = Sprintf(" · due %s", kr.Due.Format("Jan 2"))
	}
	return Sprintf(">*%s*\n>%s · owner %s%s", shorten(kr.Title, okrs.MaxTitle), measureText(kr), Mention(kr.Owner), due)
}

// measureText says how a key result is measured: "from 40% up to 60%".
func measureText(kr *okrs.KeyResult) string {
	switch kr.Kind {
	case okrs.Increase:
		return "from " + kr.Format(kr.Start) + " up to " + kr.Format(kr.Target)
	case okrs.Decrease:
		return "from " + kr.Format(kr.Start) + " down to " + kr.Format(kr.Target)
	case okrs.StayAbove:
		return "stay at or above " + kr.Format(kr.Target)
	case okrs.StayBelow:
		return "stay at or below " + kr.Format(kr.Target)
	case okrs.Milestone:
		return "a milestone: done or not done"
	}
	return kr.Format(kr.Target)
}

// changeLabels name a Change's field.
var changeLabels = map[string]string{
	okrs.FieldTitle: "title", okrs.FieldKind: "kind", okrs.FieldUnit: "unit", okrs.FieldStart: "start",
	okrs.FieldTarget: "target", okrs.FieldOwner: "owner", okrs.FieldDue: "due date",
}

// changesText lists what the owner changed, one "• target: 60% → 70%" a
// line; people are mentioned.
func changesText(cs []okrs.Change) Mrkdwn {
	var lines []Mrkdwn
	for _, c := range cs {
		label := changeLabels[c.Field]
		if label == "" {
			label = c.Field
		}
		from, to := Escape(shorten(c.From, okrs.MaxTitle)), Escape(shorten(c.To, okrs.MaxTitle))
		if c.Field == okrs.FieldOwner {
			from, to = Mention(c.From), Mention(c.To)
		}
		lines = append(lines, Sprintf("• %s: %s → %s", label, from, to))
	}
	return Join(lines, "\n")
}

// OutcomeLine says how a decided proposal ended.
func OutcomeLine(p *okrs.Proposal) Mrkdwn {
	on := p.DecidedAt.Format("Jan 2, 2006")
	switch p.State {
	case okrs.ProposalAccepted:
		if len(p.Changes) > 0 {
			return Sprintf(":white_check_mark: Accepted by %s on %s, with changes:\n%s", Mention(p.DecidedBy), on, changesText(p.Changes))
		}
		return Sprintf(":white_check_mark: Accepted by %s on %s.", Mention(p.DecidedBy), on)
	case okrs.ProposalDeclined:
		if p.Reason != "" {
			return Sprintf(":x: Declined by %s on %s: “%s”", Mention(p.DecidedBy), on, shorten(p.Reason, okrs.MaxReason))
		}
		return Sprintf(":x: Declined by %s on %s.", Mention(p.DecidedBy), on)
	case okrs.ProposalWithdrawn:
		return Sprintf(":leftwards_arrow_with_hook: Withdrawn by %s on %s.", Mention(p.DecidedBy), on)
	}
	return Raw(":hourglass_flowing_sand: Waiting for a decision.")
}

// decisionButtons are Accept, Adjust and Decline for a pending proposal.
func decisionButtons(blockID string, o *okrs.Objective, p *okrs.Proposal) *slack.ActionBlock {
	v := ProposalValue(o.ID, p.ID)
	return slack.NewActionBlock(blockID,
		slack.NewButtonBlockElement(ActionAccept, v, plain("Accept")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(ActionAdjust, v, plain("Adjust")),
		slack.NewButtonBlockElement(ActionDecline, v, plain("Decline")))
}

// ProposalToOwner is the DM to an objective's owner about a proposal: with
// Accept, Adjust and Decline while it is pending, with its outcome after.
// tips is coaching on the proposed key result.
func ProposalToOwner(o *okrs.Objective, p *okrs.Proposal, tips []okrs.Tip) Message {
	head := Sprintf(":inbox_tray: %s proposes a key result for your objective *%s* (%s):", Mention(p.ProposedBy), shorten(o.Title, okrs.MaxTitle), Channel(o.Team))
	text := Sprintf("%s proposes a key result for your objective %s: %s", Mention(p.ProposedBy), shorten(o.Title, okrs.MaxTitle), shorten(p.KeyResult.Title, okrs.MaxTitle))
	blocks := []slack.Block{section(head.Append(Raw("\n"), proposalSummary(&p.KeyResult)))}
	if !p.Pending() {
		blocks = append(blocks, section(OutcomeLine(p)))
		return Message{Text: text, Blocks: blocks}
	}
	for i, t := range tips {
		if i == 3 {
			break
		}
		blocks = append(blocks, contextText(Sprintf(":bulb: %s", t.Message)))
	}
	blocks = append(blocks, decisionButtons("proposal", o, p),
		contextText(Raw("*Accept* adds it as it is; *Adjust* opens it in the form first, and they see what you changed; *Decline* asks for an optional reason.")))
	return Message{Text: text, Blocks: blocks}
}

// ProposalToProposer is the DM that tracks a proposal for the person who
// made it: with Withdraw while it is pending, with its outcome after.
func ProposalToProposer(o *okrs.Objective, p *okrs.Proposal) Message {
	head := Sprintf(":outbox_tray: Your key result for *%s* (%s) was sent to %s, the objective's owner:\n%s",
		shorten(o.Title, okrs.MaxTitle), Channel(o.Team), Mention(o.Owner), proposalSummary(&p.KeyResult))
	text := Sprintf("Your key result %s was sent to %s.", shorten(p.KeyResult.Title, okrs.MaxTitle), Mention(o.Owner))
	blocks := []slack.Block{section(head)}
	if !p.Pending() {
		return Message{Text: text, Blocks: append(blocks, section(OutcomeLine(p)))}
	}
	blocks = append(blocks,
		contextText(Raw("I'll tell you here when they decide.")),
		slack.NewActionBlock("proposal", slack.NewButtonBlockElement(ActionWithdraw, ProposalValue(o.ID, p.ID), plain("Withdraw"))))
	return Message{Text: text, Blocks: blocks}
}

// ProposalOutcome is the DM telling the proposer how their proposal was
// decided.
func ProposalOutcome(o *okrs.Objective, p *okrs.Proposal, kr *okrs.KeyResult) Message {
	title, obj := shorten(p.KeyResult.Title, okrs.MaxTitle), shorten(o.Title, okrs.MaxTitle)
	var t Mrkdwn
	switch p.State {
	case okrs.ProposalAccepted:
		owner := p.KeyResult.Owner
		if kr != nil {
			owner = kr.Owner
		}
		t = Sprintf(":tada: %s accepted your key result *%s* for *%s*. It is owned by %s.", Mention(p.DecidedBy), title, obj, Mention(owner))
		if len(p.Changes) > 0 {
			t = Sprintf(":tada: %s accepted your key result *%s* for *%s*, with changes:\n%s", Mention(p.DecidedBy), title, obj, changesText(p.Changes))
		}
	case okrs.ProposalDeclined:
		t = Sprintf(":speech_balloon: %s declined your key result *%s* for *%s*. They gave no reason: ask them if you'd like to know more.", Mention(p.DecidedBy), title, obj)
		if p.Reason != "" {
			t = Sprintf(":speech_balloon: %s declined your key result *%s* for *%s*: “%s”", Mention(p.DecidedBy), title, obj, shorten(p.Reason, okrs.MaxReason))
		}
	default:
		t = Sprintf("Your key result *%s* for *%s*: %s", title, obj, OutcomeLine(p))
	}
	return Message{Text: t, Blocks: []slack.Block{section(t)}}
}

// proposeButton is an objective's "Propose a key result" button; for its
// owner and creator, who add key results directly, "Add a key result".
func proposeButton(o *okrs.Objective, user string) *slack.ButtonBlockElement {
	label := "Propose a key result"
	if user != "" && (user == o.Owner || user == o.CreatedBy) {
		label = "Add a key result"
	}
	return slack.NewButtonBlockElement(ActionPropose, o.ID, plain(label))
}

// pendingNote says how many proposals wait for the objective's owner (a
// count: a status is for the whole channel).
func pendingNote(o *okrs.Objective) Mrkdwn {
	n := len(o.Pending())
	if n == 0 {
		return Mrkdwn{}
	}
	return Sprintf("\n:inbox_tray: %d proposal%s waiting for %s", n, Plural(n), Mention(o.Owner))
}
