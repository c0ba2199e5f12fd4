package bot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// The team proposes key results, the objective's owner decides (okrs.Propose,
// Accept, Decline, Withdraw). Who may propose is asked of Slack, never taken
// from a payload: a full member of the workspace (not a guest, not someone
// from a partner organisation) who is in the team's channel. The objective's
// owner, its creator and admins add key results directly, and so does
// everyone in the team when its settings say so. Every decision is one
// checked write (UpdateObjective), so a double click or a replayed button
// finds the proposal decided and changes nothing.

// keyResultRoute is how someone's key result for an objective goes in.
type keyResultRoute struct {
	direct bool   // added at once, not proposed
	admin  bool   // the person is an admin of the workspace
	team   string // the team they were found in ("" when they may edit the objective)
}

// routeKeyResult decides, for the requester and o, whether a key result is
// added directly or proposed, or why neither: errOutsider for guests and
// people of other organisations, errNotInTeam for people outside the team's
// channel.
func (b *Bot) routeKeyResult(ctx context.Context, r *request, o *okrs.Objective) (keyResultRoute, error) {
	m, err := b.member(ctx, r.user)
	if err != nil {
		return keyResultRoute{}, err
	}
	if !m.BelongsTo(r.workspace) {
		return keyResultRoute{}, errOutsider("propose key results")
	}
	admin := m.IsAdminOf(r.workspace)
	if o.CanEdit(r.user, admin) {
		return keyResultRoute{direct: true, admin: admin}, nil
	}
	// The team's people propose, and so do those of each team sharing the
	// objective, under the settings of the first of its teams they are in.
	for _, team := range o.Teams() {
		in, err := b.inTeam(ctx, r.user, team)
		if err != nil {
			return keyResultRoute{}, err
		}
		if !in {
			continue
		}
		st, err := b.settings(ctx, r.workspace, team)
		if err != nil {
			return keyResultRoute{}, err
		}
		return keyResultRoute{direct: st.DirectKeyResults, admin: admin, team: team}, nil
	}
	return keyResultRoute{}, errNotInTeam(o.Team)
}

// check is the route's check inside the write, against the objective it
// replaces: it still is the team's the person was found in, or theirs to
// edit.
func (rt keyResultRoute) check(user string) func(ctx context.Context, o *okrs.Objective) error {
	return func(_ context.Context, o *okrs.Objective) error {
		switch {
		case rt.team == "" && !o.CanEdit(user, rt.admin):
			return errForbidden
		case rt.team != "" && !o.BelongsTo(rt.team):
			return errMoved
		}
		return nil
	}
}

var errMoved = okrs.Errorf(okrs.ECONFLICT, "That objective moved to another team meanwhile. Please open it again.")

// errNotInTeam refuses a proposal from someone outside the team's channel.
func errNotInTeam(team string) error {
	return shownError{okrs.Errorf(okrs.EFORBIDDEN, "Only people in the team's channel can propose key results for its objectives."),
		views.Sprintf("Only people in %s can propose key results for its objectives: join the channel first.", views.Channel(team))}
}

// cmdPropose opens the key-result form for one of this channel's team's
// objectives: at once when it has one, after a picker when it has several.
// Text after the command prefills the title.
func (b *Bot) cmdPropose(ctx context.Context, r *request, args string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr propose` in the team's channel, or press *Propose a key result* on an objective in `/okr status` or App Home."))
		return
	}
	if rs := []rune(args); len(rs) > okrs.MaxTitle+1 {
		args = string(rs[:okrs.MaxTitle+1]) // enough for the form to say it was cut
	}
	meta := views.FormMeta{Mode: views.ModePropose, Channel: r.channel, Response: r.responseURL, Title: args}
	b.openModal(ctx, r, "Propose a key result", func(ctx context.Context) (slack.ModalViewRequest, error) {
		c, err := b.currentCycle(ctx, r.workspace, r.channel)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		objs, err := b.store.TeamObjectives(ctx, r.workspace, r.channel, c.Name, 0)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		switch len(objs) {
		case 0:
			return slack.ModalViewRequest{}, shownError{okrs.Errorf(okrs.ENOTFOUND, "This team has no objectives yet."),
				views.Sprintf("%s has no objectives in %s yet: `/okr new` creates one, with its key results.", views.Channel(r.channel), c.Name)}
		case 1:
			return b.proposeForm(ctx, r, &objs[0], meta)
		}
		m, err := b.member(ctx, r.user) // guests and outsiders hear it before they pick
		if err == nil && !m.BelongsTo(r.workspace) {
			err = errOutsider("propose key results")
		}
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return views.PickerModal(objs, views.Sprintf("%s in %s", views.Channel(r.channel), c.Name), "Propose a key result", views.ModePropose, meta), nil
	})
}

// onPropose answers an objective's "Propose a key result" button (status,
// App Home).
func (b *Bot) onPropose(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	meta := views.FormMeta{Mode: views.ModePropose, Channel: r.channel, Response: r.responseURL}
	b.openModal(ctx, r, "Propose a key result", func(ctx context.Context) (slack.ModalViewRequest, error) {
		o, err := b.store.Objective(ctx, r.workspace, a.Value)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return b.proposeForm(ctx, r, o, meta)
	})
}

// onPickPropose follows the choice of an objective in /okr propose's picker.
func (b *Bot) onPickPropose(ctx context.Context, r *request, cb slack.InteractionCallback, m views.FormMeta, objID string) {
	o, err := b.store.Objective(ctx, r.workspace, objID)
	var view slack.ModalViewRequest
	if err == nil {
		view, err = b.proposeForm(ctx, r, o, m)
	}
	if err != nil {
		b.logError("picker: propose", r, err)
		view = views.NoticeModal("Propose a key result", friendly(err))
	}
	if _, err := b.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID); err != nil {
		b.logError("picker: updating the modal", r, b.slackErr("views.update", err))
	}
}

// proposeForm is the key-result form for the requester and o: the
// proposal form, or the add form where they may add directly.
func (b *Bot) proposeForm(ctx context.Context, r *request, o *okrs.Objective, m views.FormMeta) (slack.ModalViewRequest, error) {
	if o.Archived {
		return slack.ModalViewRequest{}, okrs.Errorf(okrs.ENOTFOUND, "That objective is archived.")
	}
	rt, err := b.routeKeyResult(ctx, r, o)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if len(o.Active()) >= okrs.MaxKeyResults {
		return slack.ModalViewRequest{}, okrs.Errorf(okrs.EINVALID, "“%s” already has %d key results, the most an objective should have. Ask its owner which one yours could replace.", o.Title, okrs.MaxKeyResults)
	}
	kf := views.KRForm{Title: m.Title, Kind: okrs.Increase, Owner: r.user}
	return views.ProposeKRModal(o, kf, m, rt.direct), nil
}

// submitProposed handles the key-result form of a proposal (ModePropose)
// or of its adjustment by the owner (ModeAdjust); kr is valid. It returns
// the error of a write that failed (the person may submit again), nil when
// it was done or refused.
func (b *Bot) submitProposed(ctx context.Context, r, reply *request, m views.FormMeta, kf views.KRForm, kr okrs.KeyResult) error {
	if m.Mode == views.ModeAdjust {
		return b.accept(ctx, r, reply, m.ObjID, m.Proposal, &kr, nil)
	}
	if kr.Owner == "" {
		kr.Owner = r.user // a proposed key result is the proposer's unless they chose someone
	}
	o, err := b.store.Objective(ctx, r.workspace, m.ObjID)
	if err != nil {
		b.fail(ctx, reply, "propose: loading the objective", err)
		return err
	}
	rt, err := b.routeKeyResult(ctx, r, o)
	if err != nil {
		b.fail(ctx, reply, "propose: checking permission", err)
		return nil
	}
	if rt.direct {
		return b.addKR(ctx, r, reply, o.ID, kf, kr, rt.check(r.user))
	}
	return b.propose(ctx, r, reply, o.ID, kf, kr, rt)
}

// propose stores a proposal and tells the owner (with the decision
// buttons) and the proposer (with Withdraw).
func (b *Bot) propose(ctx context.Context, r, reply *request, objID string, kf views.KRForm, kr okrs.KeyResult, rt keyResultRoute) error {
	now := b.now()
	check := rt.check(r.user)
	idx := -1
	saved, err := b.store.UpdateObjective(ctx, r.workspace, objID, func(o *okrs.Objective) error {
		if err := check(ctx, o); err != nil {
			return err
		}
		c, err := b.cycleNamed(ctx, r.workspace, o.Team, o.Cycle)
		if err != nil {
			return err
		}
		if _, err := o.Propose(kr, r.user, now, c); err != nil {
			return err
		}
		idx = len(o.Proposals) - 1
		return nil
	})
	if err != nil {
		b.logError("propose: saving", r, err)
		b.dmDraft(ctx, r, views.Sprintf("I couldn't send your key result “%s”: %s", kf.Title, friendly(err)), kf.DraftText())
		return err
	}
	p := saved.Proposals[idx]
	b.log.Info("key result proposed", slog.String("workspace", r.workspace), slog.String("objective", saved.ID),
		slog.String("proposal", p.ID), slog.String("by", r.user), slog.String("owner", saved.Owner))
	tips := proposalTips(saved, &p.KeyResult)
	ownerDM, err := b.postDM(ctx, r.workspace, saved.Owner, message{Message: views.ProposalToOwner(saved, &p, tips)})
	if err != nil {
		b.logError("propose: telling the owner", r, err)
		b.say(ctx, reply, views.Sprintf("I saved your proposal, but couldn't DM %s about it (%s). They will find it on their App Home.", views.Mention(saved.Owner), friendly(err)))
	}
	proposerDM, err := b.postDM(ctx, r.workspace, r.user, message{Message: views.ProposalToProposer(saved, &p)})
	if err != nil {
		b.logError("propose: telling the proposer", r, err)
		b.say(ctx, reply, views.Sprintf(":outbox_tray: Sent *%s* to %s, the objective's owner.", p.KeyResult.Title, views.Mention(saved.Owner)))
	}
	b.rememberDMs(ctx, r, saved.ID, p.ID, ownerDM, proposerDM)
	b.refreshHomes(ctx, r.workspace, saved.Owner)
	return nil
}

// rememberDMs records on the proposal where its DMs landed, so that a
// decision taken anywhere updates them. A decision that came first (a quick
// owner) finds nothing to update in the proposer's DM: it is brought up to
// date here.
func (b *Bot) rememberDMs(ctx context.Context, r *request, objID, pid string, owner, proposer okrs.Posted) {
	if owner.Zero() && proposer.Zero() {
		return
	}
	saved, err := b.store.UpdateObjective(ctx, r.workspace, objID, func(o *okrs.Objective) error {
		p := o.Proposal(pid)
		if p == nil {
			return okrs.Errorf(okrs.ENOTFOUND, "That proposal is gone.")
		}
		if !owner.Zero() {
			p.OwnerDM = owner
		}
		if !proposer.Zero() {
			p.ProposerDM = proposer
		}
		return nil
	})
	if err != nil {
		b.logError("propose: remembering its DMs", r, err)
		return
	}
	b.log.Debug("proposal DMs remembered", slog.String("proposal", pid))
	if p := saved.Proposal(pid); p != nil && !p.Pending() {
		b.showDecision(ctx, r, saved, p, nil)
	}
}

// proposalTips is the coaching on a proposed key result: the tips about it
// that the objective's coach gives with it added.
func proposalTips(o *okrs.Objective, kr *okrs.KeyResult) []okrs.Tip {
	x := *o
	x.KeyResults = append(slices.Clone(o.Active()), *kr)
	prefix := okrs.KRField(len(x.KeyResults)-1, "")
	var out []okrs.Tip
	for _, t := range okrs.Coach(&x, 0) {
		if strings.HasPrefix(t.Field, prefix) {
			out = append(out, t)
		}
	}
	return out
}

// postDM posts m in user's DM and returns where it landed.
func (b *Bot) postDM(ctx context.Context, workspace, user string, m message) (okrs.Posted, error) {
	ch, err := b.dmChannel(ctx, workspace, user)
	if err != nil {
		return okrs.Posted{}, err
	}
	_, ts, err := b.api.PostMessageContext(ctx, ch, m.options()...)
	if err != nil {
		return okrs.Posted{}, b.slackErr("chat.postMessage", err)
	}
	return okrs.Posted{Channel: ch, TS: ts}, nil
}

// proposalButton reads a proposal button's value.
func proposalButton(a *slack.BlockAction) (objID, pid string, ok bool) {
	return views.ParseProposalValue(a.Value)
}

// onAccept answers Accept on a proposal (the owner's DM, App Home).
func (b *Bot) onAccept(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	objID, pid, ok := proposalButton(a)
	if !ok {
		return
	}
	b.accept(ctx, r, r, objID, pid, nil, &cb)
}

// accept accepts a proposal, as proposed or adjusted; cb is the button
// press, if it was one. It returns the error of a write that failed.
func (b *Bot) accept(ctx context.Context, r, reply *request, objID, pid string, adjusted *okrs.KeyResult, cb *slack.InteractionCallback) error {
	if !b.insider(ctx, reply, "decide on proposals") {
		return nil
	}
	now := b.now()
	var found okrs.Proposal
	saved, err := b.store.UpdateObjective(ctx, r.workspace, objID, func(o *okrs.Objective) error {
		c, err := b.cycleNamed(ctx, r.workspace, o.Team, o.Cycle)
		if err != nil {
			return err
		}
		p, err := o.Accept(pid, r.user, now, adjusted, c)
		if p != nil {
			found = *p
		}
		return err
	})
	if err != nil {
		return b.undecided(ctx, r, reply, "accept", okrs.ProposalAccepted, found, err)
	}
	p := saved.Proposal(pid)
	kr := &saved.KeyResults[len(saved.KeyResults)-1]
	b.log.Info("proposal accepted", slog.String("workspace", r.workspace), slog.String("objective", saved.ID),
		slog.String("proposal", pid), slog.String("key_result", kr.ID), slog.Int("changes", len(p.Changes)))
	b.showDecision(ctx, r, saved, p, cb)
	b.tellProposer(ctx, r, saved, p, kr)
	b.refreshHomes(ctx, r.workspace, saved.Owner, p.ProposedBy, kr.Owner)
	return nil
}

// undecided tells the person why their decision was not taken, and
// returns err when it is worth trying again. A second click of the same
// decision by the same person (a double click, a stale button) is quiet:
// it is done.
func (b *Bot) undecided(ctx context.Context, r, reply *request, what string, want okrs.ProposalState, found okrs.Proposal, err error) error {
	switch okrs.ErrorCode(err) {
	case okrs.ECONFLICT:
		if found.ID == "" || found.Pending() {
			break // a busy objective: try again
		}
		if found.State == want && found.DecidedBy == r.user {
			b.log.Debug("proposal decided already by the same person", slog.String("proposal", found.ID), slog.String("state", string(found.State)))
			return nil
		}
		b.say(ctx, reply, views.Sprintf("Nothing changed: %s", views.OutcomeLine(&found)))
		return nil
	case okrs.EFORBIDDEN, okrs.ENOTFOUND, okrs.EINVALID:
		b.logError(what+": refused", r, err)
		b.say(ctx, reply, friendly(err))
		return nil
	}
	b.fail(ctx, reply, what+": saving", err)
	return err
}

// showDecision brings the DMs about a proposal up to date: the owner's and
// the proposer's, and the message a decision's button was pressed on (cb,
// when it was a button: the owner's unless it was Withdraw), should its
// place not be recorded yet.
func (b *Bot) showDecision(ctx context.Context, r *request, o *okrs.Objective, p *okrs.Proposal, cb *slack.InteractionCallback) {
	owner := message{Message: views.ProposalToOwner(o, p, nil)}
	proposer := message{Message: views.ProposalToProposer(o, p)}
	b.updateMessage(ctx, r, p.OwnerDM, owner)
	b.updateMessage(ctx, r, p.ProposerDM, proposer)
	if cb == nil || cb.Container.Type != "message" || cb.Container.IsEphemeral {
		return
	}
	pressed := okrs.Posted{Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs}
	switch {
	case pressed == p.OwnerDM || pressed == p.ProposerDM:
	case p.State == okrs.ProposalWithdrawn:
		b.updateMessage(ctx, r, pressed, proposer)
	default:
		b.updateMessage(ctx, r, pressed, owner)
	}
}

func (b *Bot) updateMessage(ctx context.Context, r *request, at okrs.Posted, m message) {
	if at.Zero() {
		return
	}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, at.Channel, at.TS, m.options()...); err != nil {
		b.logError("proposal: updating a DM", r, b.slackErr("chat.update", err))
	}
}

// tellProposer DMs the proposer how their proposal was decided.
func (b *Bot) tellProposer(ctx context.Context, r *request, o *okrs.Objective, p *okrs.Proposal, kr *okrs.KeyResult) {
	if _, err := b.postDM(ctx, r.workspace, p.ProposedBy, message{Message: views.ProposalOutcome(o, p, kr)}); err != nil {
		b.logError("proposal: telling the proposer", r, err)
	}
}

// decisionForm opens a form about a pending proposal for its objective's
// owner (Adjust, Decline), checking first that it is theirs to decide.
func (b *Bot) decisionForm(ctx context.Context, r *request, a *slack.BlockAction, title string, form func(o *okrs.Objective, p *okrs.Proposal, m views.FormMeta) slack.ModalViewRequest) {
	b.openModal(ctx, r, title, func(ctx context.Context) (slack.ModalViewRequest, error) {
		objID, pid, ok := proposalButton(a)
		if !ok {
			return slack.ModalViewRequest{}, okrs.Errorf(okrs.ENOTFOUND, "That button is out of date.")
		}
		m, err := b.member(ctx, r.user)
		if err == nil && !m.BelongsTo(r.workspace) {
			err = errOutsider("decide on proposals")
		}
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		o, err := b.store.Objective(ctx, r.workspace, objID)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		p, err := o.Decidable(pid, r.user)
		if err != nil {
			if p != nil && !p.Pending() {
				return slack.ModalViewRequest{}, shownError{okrs.Errorf(okrs.ECONFLICT, "Decided already."), views.OutcomeLine(p)}
			}
			return slack.ModalViewRequest{}, err
		}
		return form(o, p, views.FormMeta{Channel: r.channel, Response: r.responseURL}), nil
	})
}

// onAdjust opens the key-result form prefilled with the proposal; its
// submission accepts it as adjusted (submitProposed).
func (b *Bot) onAdjust(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	b.decisionForm(ctx, r, a, "Adjust and accept", views.AdjustKRModal)
}

// onDecline asks for an optional reason; the submission declines.
func (b *Bot) onDecline(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	b.decisionForm(ctx, r, a, "Decline the proposal", views.DeclineModal)
}

// submitDecline declines a proposal with the reason given.
func (b *Bot) submitDecline(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	reason := strings.TrimSpace(views.ReadDeclineReason(cb.View.State))
	if n := len([]rune(reason)); n > okrs.MaxReason {
		e.ack(slack.NewErrorsViewSubmissionResponse(map[string]string{"reason": fmt.Sprintf("Keep the reason within %d characters (it has %d).", okrs.MaxReason, n)}))
		return
	}
	e.ack(nil)
	first, done := b.claimSubmission(ctx, r, cb)
	if !first {
		return
	}
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	if !b.insider(ctx, reply, "decide on proposals") {
		done(nil)
		return
	}
	now := b.now()
	var found okrs.Proposal
	saved, err := b.store.UpdateObjective(ctx, r.workspace, m.ObjID, func(o *okrs.Objective) error {
		p, err := o.Decline(m.Proposal, r.user, now, reason)
		if p != nil {
			found = *p
		}
		return err
	})
	if err != nil {
		done(b.undecided(ctx, r, reply, "decline", okrs.ProposalDeclined, found, err))
		return
	}
	done(nil)
	p := saved.Proposal(m.Proposal)
	b.log.Info("proposal declined", slog.String("workspace", r.workspace), slog.String("objective", saved.ID),
		slog.String("proposal", p.ID), slog.Bool("reason", p.Reason != ""))
	b.showDecision(ctx, r, saved, p, nil)
	b.tellProposer(ctx, r, saved, p, nil)
	b.refreshHomes(ctx, r.workspace, saved.Owner)
}

// onWithdraw takes a proposal back, for the person who made it.
func (b *Bot) onWithdraw(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	objID, pid, ok := proposalButton(a)
	if !ok {
		return
	}
	now := b.now()
	var found okrs.Proposal
	saved, err := b.store.UpdateObjective(ctx, r.workspace, objID, func(o *okrs.Objective) error {
		p, err := o.Withdraw(pid, r.user, now)
		if p != nil {
			found = *p
		}
		return err
	})
	if err != nil {
		b.undecided(ctx, r, r, "withdraw", okrs.ProposalWithdrawn, found, err)
		return
	}
	p := saved.Proposal(pid)
	b.log.Info("proposal withdrawn", slog.String("workspace", r.workspace), slog.String("objective", saved.ID), slog.String("proposal", pid))
	b.showDecision(ctx, r, saved, p, &cb)
	b.refreshHomes(ctx, r.workspace, saved.Owner)
}
