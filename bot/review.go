package bot

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// The coach's review step. A valid objective form that the coach has tips
// for is not saved at once: the modal turns into a review of the tips, with
// "Save anyway" and "Back to edit". What was typed waits in Redis as a
// draft under the person's id (too big for private_metadata, which holds
// only its id). The same tips for the same text are never shown twice: the
// form that "Back to edit" shows remembers them (FormMeta.Reviewed).

// draft is a submitted form waiting for its review: an objective form, or
// the one-key-result form (add, propose, adjust) when KR is set.
type draft struct {
	Meta views.FormMeta      `json:"meta"`
	Form views.ObjectiveForm `json:"form"` // the edit history lines are not kept
	KR   *views.KRForm       `json:"kr,omitempty"`
	Tips []okrs.Tip          `json:"tips"`
}

const (
	draftTTL = 24 * time.Hour
	// preAckBudget bounds the Redis calls made before a submission's ack.
	preAckBudget = time.Second
)

// coach returns the tips for o, as submitted in a form of mode m: the
// method's rules about it and about how many objectives its team has (for
// an edit, only those the saved objective did not have).
func (b *Bot) coach(ctx context.Context, r *request, m views.FormMeta, o *okrs.Objective) []okrs.Tip {
	cctx, cancel := context.WithTimeout(ctx, preAckBudget)
	defer cancel()
	others, err := b.store.CountTeamObjectives(cctx, r.workspace, o.Team, o.Cycle)
	if err != nil {
		b.logError("review: counting the team's objectives", r, err)
		others = 0
	}
	if m.Mode == views.ModeEdit && others > 0 {
		others-- // this one, most likely
	}
	tips := okrs.Coach(o, others)
	if m.Mode != views.ModeEdit || len(tips) == 0 {
		return tips
	}
	// An edit is coached on what it changes: tips the objective already
	// had as saved (seen, and saved anyway) are not shown again.
	stored, err := b.store.Objective(cctx, r.workspace, m.ObjID)
	if err != nil {
		return tips // saving reports what is wrong
	}
	had := map[string]bool{}
	for _, t := range okrs.Coach(stored, others) {
		had[t.Rule+"\x00"+t.Message] = true
	}
	fresh := tips[:0]
	for _, t := range tips {
		if !had[t.Rule+"\x00"+t.Message] {
			fresh = append(fresh, t)
		}
	}
	return fresh
}

// reviewFirst answers a valid objective form with the review step when the
// coach has tips not shown yet for this text, and reports whether it did.
// It runs before the ack: when the draft cannot be kept it says so in the
// log and lets the form save without the review.
func (b *Bot) reviewFirst(ctx context.Context, e *envelope, r *request, m views.FormMeta, f views.ObjectiveForm, o *okrs.Objective) bool {
	tips := b.coach(ctx, r, m, o)
	if len(tips) == 0 {
		return false
	}
	what := "your objective"
	if m.Mode == views.ModeEdit {
		what = "your changes"
	}
	titles := make([]string, len(o.KeyResults))
	for i, kr := range o.KeyResults {
		titles[i] = kr.Title
	}
	return b.showReview(ctx, e, r, draft{Meta: m, Form: f, Tips: tips}, what, titles)
}

// reviewKRFirst is reviewFirst for the one-key-result form: the coach's
// tips about that key result, in the light of its objective.
func (b *Bot) reviewKRFirst(ctx context.Context, e *envelope, r *request, m views.FormMeta, kf views.KRForm, kr *okrs.KeyResult) bool {
	cctx, cancel := context.WithTimeout(ctx, preAckBudget)
	o, err := b.store.Objective(cctx, r.workspace, m.ObjID)
	cancel()
	if err != nil {
		return false // saving reports what is wrong
	}
	var tips []okrs.Tip
	for _, t := range proposalTips(o, kr) {
		if _, field, ok := strings.Cut(strings.TrimPrefix(t.Field, "kr."), "."); ok {
			t.Field = okrs.KRField(0, field) // the form's one key result
		}
		tips = append(tips, t)
	}
	if len(tips) == 0 {
		return false
	}
	return b.showReview(ctx, e, r, draft{Meta: m, KR: &kf, Tips: tips}, "this key result", []string{kr.Title})
}

// showReview answers a submission with the review of d's tips, unless they
// were shown for this text already, and reports whether it did.
func (b *Bot) showReview(ctx context.Context, e *envelope, r *request, d draft, what string, titles []string) bool {
	fp := views.Fingerprint(d.Tips)
	if d.Meta.Reviewed == fp {
		return false // seen, and nothing they are about has changed
	}
	d.Meta.Reviewed = fp
	data, err := json.Marshal(d)
	if err != nil {
		b.logError("review: encoding the draft", r, err)
		return false
	}
	id := randomToken()
	sctx, cancel := context.WithTimeout(ctx, preAckBudget)
	defer cancel()
	if err := b.store.SaveDraft(sctx, r.workspace, r.user, id, data, draftTTL); err != nil {
		b.logError("review: keeping the draft (saving without the review)", r, err)
		return false
	}
	review := views.ReviewModal(d.Tips, what, titles, views.ReviewMeta{Draft: id})
	e.ack(slack.NewUpdateViewSubmissionResponse(&review))
	return true
}

// loadDraft reads the draft a review modal names; nil when it is gone.
func (b *Bot) loadDraft(ctx context.Context, r *request, cb slack.InteractionCallback) (*draft, string, error) {
	id := views.DecodeReviewMeta(cb.View.PrivateMetadata).Draft
	if id == "" {
		return nil, "", nil
	}
	data, err := b.store.Draft(ctx, r.workspace, r.user, id)
	if err != nil || data == nil {
		return nil, id, err
	}
	var d draft
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, id, err
	}
	return &d, id, nil
}

// errDraftGone is the answer when a review's draft has expired.
var errDraftGone = okrs.Errorf(okrs.ENOTFOUND, "This form waited too long and its draft has expired. Please start again with `/okr new` or `/okr edit`.")

// submitReview is "Save anyway": it saves the draft as the form would have.
func (b *Bot) submitReview(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	lctx, cancel := context.WithTimeout(ctx, preAckBudget)
	d, id, err := b.loadDraft(lctx, r, cb)
	cancel()
	if err == nil && d == nil {
		err = errDraftGone
	}
	if err != nil {
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			b.logError("review: loading the draft", r, err)
		}
		notice := views.NoticeModal("Before you save", friendly(err))
		e.ack(slack.NewUpdateViewSubmissionResponse(&notice))
		return
	}
	if d.KR != nil {
		kr, fe := b.readKR(*d.KR, d.Meta.Cycle, nil)
		if len(fe) > 0 { // valid when reviewed; the cycle may have ended since
			form, err := b.krForm(ctx, r, d)
			if err != nil {
				form = views.NoticeModal("Before you save", friendly(err))
			}
			e.ack(slack.NewUpdateViewSubmissionResponse(&form))
			return
		}
		e.ack(nil)
		b.saveKR(ctx, r, cb, d.Meta, *d.KR, kr)
		b.dropDraft(ctx, r, id)
		return
	}
	o, _, fe := d.Form.Objective(d.Meta, r.workspace, r.user, b.now(), nil)
	if len(fe) > 0 { // valid when reviewed; the cycle may have ended since
		v := views.FormView{Meta: d.Meta, Cycles: offeredCycles(b, d.Meta), Tips: d.Tips}
		form := views.ObjectiveModal(d.Form, v)
		e.ack(slack.NewUpdateViewSubmissionResponse(&form))
		return
	}
	e.ack(nil)
	b.saveObjective(ctx, r, cb, d.Meta, d.Form, o)
	b.dropDraft(ctx, r, id)
}

func (b *Bot) dropDraft(ctx context.Context, r *request, id string) {
	if err := b.store.DropDraft(context.WithoutCancel(ctx), r.workspace, r.user, id); err != nil {
		b.logError("review: dropping a saved draft (it expires by itself)", r, err)
	}
}

// krForm rebuilds the one-key-result form a draft came from, with what was
// typed.
func (b *Bot) krForm(ctx context.Context, r *request, d *draft) (slack.ModalViewRequest, error) {
	o, err := b.store.Objective(ctx, r.workspace, d.Meta.ObjID)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	switch d.Meta.Mode {
	case views.ModePropose:
		rt, err := b.routeKeyResult(ctx, r, o)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		return views.ProposeKRModal(o, *d.KR, d.Meta, rt.direct), nil
	case views.ModeAdjust:
		for i := range o.Proposals {
			if p := &o.Proposals[i]; p.ID == d.Meta.Proposal {
				return views.AdjustKRModalWith(o, p, *d.KR, d.Meta), nil
			}
		}
		return slack.ModalViewRequest{}, okrs.Errorf(okrs.ENOTFOUND, "That proposal is gone.")
	}
	return views.AddKRModal(o, *d.KR, d.Meta), nil
}

// onBackToEdit turns the review back into the form, with everything typed
// and the tips at its top.
func (b *Bot) onBackToEdit(ctx context.Context, r *request, cb slack.InteractionCallback, _ *slack.BlockAction) {
	d, _, err := b.loadDraft(ctx, r, cb)
	if err == nil && d == nil {
		err = errDraftGone
	}
	if err != nil {
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			b.logError("review: loading the draft", r, err)
		}
		if _, uerr := b.api.UpdateViewContext(ctx, views.NoticeModal("Before you save", friendly(err)), "", cb.View.Hash, cb.View.ID); uerr != nil {
			b.logError("review: updating the modal", r, b.slackErr("views.update", uerr))
		}
		return
	}
	if d.KR != nil {
		form, err := b.krForm(ctx, r, d)
		if err != nil {
			form = views.NoticeModal("Before you save", friendly(err))
		}
		if _, err := b.api.UpdateViewContext(ctx, form, "", cb.View.Hash, cb.View.ID); err != nil {
			b.logError("review: back to the form", r, b.slackErr("views.update", err))
		}
		return
	}
	v := views.FormView{Meta: d.Meta, Cycles: offeredCycles(b, d.Meta), Tips: d.Tips}
	resp, err := b.api.UpdateViewContext(ctx, views.ObjectiveModal(d.Form, v), "", cb.View.Hash, cb.View.ID)
	if err != nil {
		b.logError("review: back to the form", r, b.slackErr("views.update", err))
		return
	}
	b.addParents(ctx, r, resp, d.Form, v)
}

// cmdReview lists the coach's tips for the channel's team's objectives of
// its current cycle, only to the caller, each objective with an Edit button.
func (b *Bot) cmdReview(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr review` in a team's channel to see coaching tips for its objectives."))
		return
	}
	c, err := b.currentCycle(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "review: cycle", err)
		return
	}
	objs, err := b.store.TeamObjectives(ctx, r.workspace, r.channel, c.Name, okrs.FlatCheckIns+1)
	if err != nil {
		b.fail(ctx, r, "review: loading", err)
		return
	}
	now := b.now()
	tips := make([][]okrs.Tip, len(objs))
	for i := range objs {
		// How it is written, then how it is going (stale, flat, behind).
		tips[i] = append(okrs.Coach(&objs[i], len(objs)-1), okrs.Nudges(objs[i:i+1], c, now)...)
	}
	if err := b.respond(ctx, r, message{Message: views.Review(r.channel, c, objs, tips)}); err != nil {
		b.fail(ctx, r, "review: answering", err)
	}
}
