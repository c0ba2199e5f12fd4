package bot

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// cmdNew opens the create modal, its title prefilled from the command text.
func (b *Bot) cmdNew(ctx context.Context, r *request, args string) {
	b.openCreate(ctx, r, args)
}

func (b *Bot) openCreate(ctx context.Context, r *request, title string) {
	now := b.now()
	team := ""
	if isChannelID(r.channel) {
		team = r.channel
	}
	// The trigger expires 3 s after the person acted: open at once with
	// what needs no lookup (the cycle in the default timezone), then set
	// the team's own current cycle and add the objectives it may align to,
	// which take Redis and Slack lookups.
	c := okrs.CurrentCycle(okrs.DefaultSettings(b.defaultTZ), now)
	choices := okrs.CycleChoices(okrs.DefaultSettings(b.defaultTZ), now, c.Name)
	// Key results are the objective's owner's unless someone else is
	// chosen: their owner fields start empty.
	f := views.ObjectiveForm{Title: title, Team: team, Cycle: c.Name, Owner: r.user,
		KRs: []views.KRForm{{Kind: okrs.Increase}}}
	v := views.FormView{Meta: views.FormMeta{Mode: views.ModeNew, Channel: r.channel, Response: r.responseURL}, Cycles: choices}
	resp, err := b.api.OpenViewContext(ctx, r.triggerID, views.ObjectiveModal(f, v))
	if err != nil {
		b.fail(ctx, r, "create: opening the modal", b.slackErr("views.open", err))
		return
	}
	// Only members create objectives; asked after opening (users.info could
	// outlast the trigger), the form turns into the refusal.
	if err := b.mayCreate(ctx, r); err != nil {
		if _, uerr := b.api.UpdateViewContext(ctx, views.NoticeModal("New objective", friendly(err)), "", resp.Hash, resp.ID); uerr != nil {
			b.fail(ctx, r, "create: refusing", err)
		}
		return
	}
	if team != "" {
		if st, err := b.settings(ctx, r.workspace, team); err != nil {
			b.logError("create: the team's cycle", r, err)
		} else if tc, tv := okrs.CurrentCycle(st, now), okrs.CycleChoices(st, now, ""); !sameCycles(tv, v.Cycles) {
			// near a quarter's end, or in a cycle of its own, the team
			// may be in another cycle than the calendar's
			f.Cycle, v.Cycles = tc.Name, tv
			resp = b.updateForm(ctx, r, resp, f, v)
		}
	}
	b.addParents(ctx, r, resp, f, v)
}

// mayCreate returns nil when the requester may create objectives: a full
// member of the workspace (errOutsider for guests and people from other
// organisations).
func (b *Bot) mayCreate(ctx context.Context, r *request) error {
	m, err := b.member(ctx, r.user)
	if err != nil {
		b.logError("create: checking permission", r, err)
		return err
	}
	if !m.BelongsTo(r.workspace) {
		return errOutsider("create objectives")
	}
	return nil
}

// updateForm shows f in an open objective modal and returns the view as
// updated (resp, unchanged, when the update fails: logged).
func (b *Bot) updateForm(ctx context.Context, r *request, resp *slack.ViewResponse, f views.ObjectiveForm, v views.FormView) *slack.ViewResponse {
	next, err := b.api.UpdateViewContext(ctx, views.ObjectiveModal(f, v), "", resp.Hash, resp.ID)
	if err != nil {
		b.logError("create: setting the team's cycle", r, b.slackErr("views.update", err))
		return resp
	}
	return next
}

// addParents updates an open objective modal with the objectives of its
// cycle that the person may align it to. What they typed meanwhile stays:
// the update keeps every input's block and action ids.
func (b *Bot) addParents(ctx context.Context, r *request, resp *slack.ViewResponse, f views.ObjectiveForm, v views.FormView) {
	parents, err := b.store.CycleObjectives(ctx, r.workspace, f.Cycle)
	if err != nil {
		b.logError("form: listing objectives to align to", r, err)
		return
	}
	v.Parents = b.visible(ctx, r.user, parents)
	if resp == nil || !views.HasParents(v.Parents, v.Meta.ObjID) {
		return
	}
	if _, err := b.api.UpdateViewContext(ctx, views.ObjectiveModal(f, v), "", resp.Hash, resp.ID); err != nil {
		if isHashConflict(err) {
			return // the person changed the form first; that update carried the objectives too
		}
		b.logError("form: adding objectives to align to", r, b.slackErr("views.update", err))
	}
}

// isHashConflict reports whether views.update refused a stale hash: the
// view changed since it was read.
func isHashConflict(err error) bool {
	var se slack.SlackErrorResponse
	return errors.As(err, &se) && se.Err == "hash_conflict"
}

// onFormGroups adds or drops a key-result group in an open objective modal,
// keeping everything typed so far.
func (b *Bot) onFormGroups(ctx context.Context, r *request, cb slack.InteractionCallback, add bool) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	f := views.ReadObjectiveForm(cb.View.State, m.N)
	switch {
	case add && len(f.KRs) < okrs.MaxKeyResults:
		f.KRs = append(f.KRs, views.KRForm{Kind: okrs.Increase})
	case !add && len(f.KRs) > 1 && !f.KRs[len(f.KRs)-1].Existing && len(f.KRs) > len(m.KRIDs):
		f.KRs = f.KRs[:len(f.KRs)-1]
	}
	for i := range f.KRs {
		f.KRs[i].Existing = i < len(m.KRIDs)
	}
	parents, err := b.store.CycleObjectives(ctx, r.workspace, f.Cycle)
	if err != nil {
		b.logError("form: listing objectives to align to", r, err) // the form still grows, without them
	}
	v := views.FormView{Meta: m, Parents: b.visible(ctx, r.user, parents), Cycles: offeredCycles(b, m)}
	view := views.ObjectiveModal(f, v)
	_, err = b.api.UpdateViewContext(ctx, view, "", cb.View.Hash, cb.View.ID)
	if isHashConflict(err) {
		// okrbot itself changed the view since the click (it added the
		// objectives to align to): this view has everything, typed values
		// included, so it replaces that one.
		_, err = b.api.UpdateViewContext(ctx, view, "", "", cb.View.ID)
	}
	if err != nil {
		b.logError("form: updating the modal", r, b.slackErr("views.update", err))
	}
}

// submitObjective handles the create and edit modal. Field errors travel in
// the ack; nothing is stored unless the whole form is valid.
func (b *Bot) submitObjective(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	f := views.ReadObjectiveForm(cb.View.State, m.N)
	o, _, fe := f.Objective(m, r.workspace, r.user, b.now(), views.BlockIDs(cb.View))
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	if b.reviewFirst(ctx, e, r, m, f, &o) {
		return // the coach has tips: the modal shows them before saving
	}
	e.ack(nil)
	b.saveObjective(ctx, r, cb, m, f, o)
}

// saveObjective creates or edits (m.Mode) the objective o read from form f,
// once per submission cb.
func (b *Bot) saveObjective(ctx context.Context, r *request, cb slack.InteractionCallback, m views.FormMeta, f views.ObjectiveForm, o okrs.Objective) {
	// A double submission must not create two objectives (nor add an edit's
	// new key results twice): see claimSubmission.
	first, done := b.claimSubmission(ctx, r, cb)
	if !first {
		return
	}
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	if m.Mode == views.ModeEdit {
		done(b.saveEdit(ctx, reply, m, f, &o))
		return
	}
	if !b.insider(ctx, reply, "create objectives") {
		done(nil) // refused, and so is a second delivery
		return
	}
	// The form offers only channels the person sees; a forged one may name
	// a private team they are not in.
	// So may a team it is shared with.
	for _, team := range o.Teams() {
		sees, err := b.canSee(ctx, r.user, team)
		if err != nil {
			b.fail(ctx, reply, "create: checking the team", err)
			done(err) // a second try may work
			return
		}
		if !sees {
			b.fail(ctx, reply, "create: checking the team", errPrivateTeam)
			done(nil) // refused, and so is a second delivery
			return
		}
	}
	done(b.saveNew(ctx, reply, f, &o))
}

// saveNew stores a new objective and returns the error that kept it from
// being stored, if any.
func (b *Bot) saveNew(ctx context.Context, r *request, f views.ObjectiveForm, o *okrs.Objective) error {
	// The form's cycles came back from Slack: the objective is judged
	// again against its team's own (a cycle of another team, or dates
	// that were forged, are refused).
	c, err := b.cycleNamed(ctx, r.workspace, o.Team, o.Cycle)
	if err == nil && c.Name != o.Cycle {
		err = okrs.Invalid(okrs.FieldCycle, "%s is not one of this team's cycles.", o.Cycle)
	}
	if err == nil {
		err = o.Validate(c)
	}
	if err != nil && okrs.ErrorCode(err) == okrs.EINVALID {
		b.dmDraft(ctx, r, views.Sprintf("I couldn't save your objective: %s", friendly(err)), f.DraftText())
		return nil // refused, and so is a second delivery
	}
	if err != nil {
		b.logError("create: the team's cycle", r, err)
		b.dmDraft(ctx, r, views.Sprintf("I couldn't save your objective: %s", friendly(err)), f.DraftText())
		return err
	}
	if err := b.store.CreateObjective(ctx, o); err != nil {
		b.logError("create: saving", r, err)
		b.dmDraft(ctx, r, views.Sprintf("I couldn't save your objective: %s", friendly(err)), f.DraftText())
		return err
	}
	b.log.Info("objective created", slog.String("workspace", r.workspace), slog.String("objective", o.ID),
		slog.String("team", o.Team), slog.Int("key_results", len(o.KeyResults)))
	lines := []views.Mrkdwn{views.Sprintf(":white_check_mark: Created *%s* for %s (%s) with %d key result%s. Owners will get a short check-in prompt each week.",
		o.Title, views.Channel(o.Team), o.Cycle, len(o.KeyResults), views.Plural(len(o.KeyResults)))}
	if note := b.membershipNote(ctx, o.Team); !note.IsZero() {
		lines = append(lines, note)
	}
	b.say(ctx, r, views.Join(lines, "\n"))
	b.refreshHomes(ctx, r.workspace, append(owners(o), r.user)...)
	return nil
}

// membershipNote asks the person to invite the bot when it is not in the
// team channel (digests and status need it there).
func (b *Bot) membershipNote(ctx context.Context, channel string) views.Mrkdwn {
	e, err := b.access.get(ctx, b, channel)
	if err != nil || e.botIn {
		return views.Raw("")
	}
	return views.Sprintf(":information_source: I'm not in %s yet: invite me with `/invite @okrbot` so I can post the weekly digest there.", views.Channel(channel))
}

// owners returns the owners of an objective and of its active key results.
func owners(o *okrs.Objective) []string {
	out := []string{o.Owner}
	for _, kr := range o.KeyResults {
		if !slices.Contains(out, kr.Owner) {
			out = append(out, kr.Owner)
		}
	}
	return out
}

// errForbidden is the refusal for editing someone else's objective.
var errForbidden = okrs.Errorf(okrs.EFORBIDDEN, "Only the objective's owner, its creator or a workspace admin can change it.")

// editCheck returns the check, made inside a store update against the
// objective it replaces, of whether the requester may edit it: its owner,
// its creator or an admin of this workspace (okrs.Objective.CanEdit,
// okrs.Member.IsAdminOf), and in any case a member of this workspace:
// guests and people from other organisations only check in, even on
// objectives they were made owners of. Slack is asked once (users.info,
// cached).
func (b *Bot) editCheck(r *request) func(ctx context.Context, o *okrs.Objective) error {
	var who *okrs.Member
	return func(ctx context.Context, o *okrs.Objective) error {
		if who == nil {
			m, err := b.member(ctx, r.user)
			if err != nil {
				return err
			}
			who = &m
		}
		if !who.BelongsTo(r.workspace) {
			return errOutsider("change objectives")
		}
		if !o.CanEdit(r.user, who.IsAdminOf(r.workspace)) {
			return errForbidden
		}
		return nil
	}
}

func (b *Bot) saveEdit(ctx context.Context, r *request, m views.FormMeta, f views.ObjectiveForm, edited *okrs.Objective) error {
	// The form offers only channels the person sees; a forged one may name
	// a private team they are not in, as its team or one sharing it.
	for _, team := range edited.Teams() {
		sees, err := b.canSee(ctx, r.user, team)
		if err == nil && !sees {
			err = errPrivateTeam
		}
		if err != nil {
			b.fail(ctx, r, "edit: checking the teams", err)
			return err
		}
	}
	if err := b.noParentLoop(ctx, r, m.ObjID, edited.ParentID); err != nil {
		b.fail(ctx, r, "edit: checking the alignment", err)
		return err
	}
	may := b.editCheck(r)
	now := b.now()
	var before []string
	saved, err := b.store.UpdateObjective(ctx, r.workspace, m.ObjID, func(o *okrs.Objective) error {
		if err := may(ctx, o); err != nil {
			return err
		}
		before = owners(o)
		was := map[string]okrs.KeyResult{} // existing key results as they were, for their course corrections
		for _, kr := range o.KeyResults {
			was[kr.ID] = kr
		}
		o.Title, o.Description, o.Owner, o.ParentID = edited.Title, edited.Description, edited.Owner, edited.ParentID
		o.Team, o.Cycle, o.UpdatedAt = edited.Team, edited.Cycle, now
		o.SharedWith = edited.SharedWith
		for i, in := range edited.KeyResults {
			var kr *okrs.KeyResult
			if i < len(m.KRIDs) {
				if kr = o.KeyResult(m.KRIDs[i]); kr == nil {
					return okrs.Errorf(okrs.ECONFLICT, "This objective changed while you were editing it. Please open it again.")
				}
			} else {
				o.KeyResults = append(o.KeyResults, okrs.KeyResult{CreatedAt: now})
				kr = &o.KeyResults[len(o.KeyResults)-1]
			}
			if in.Archived {
				kr.Archived = true
				continue
			}
			kr.Title, kr.Kind, kr.Owner, kr.Unit, kr.UnitLabel, kr.Currency, kr.Due =
				in.Title, in.Kind, in.Owner, in.Unit, in.UnitLabel, in.Currency, in.Due
			kr.Start, kr.Target = in.Start, in.Target
		}
		c, err := b.cycleNamed(ctx, r.workspace, o.Team, o.Cycle)
		if err != nil {
			return err
		}
		o.Normalize()
		for i := range o.KeyResults {
			if kr := &o.KeyResults[i]; !kr.Archived && kr.ID != "" {
				if w, ok := was[kr.ID]; ok {
					kr.RecordChanges(&w, r.user, now, f.Reason)
				}
			}
		}
		return o.Validate(c)
	})
	switch {
	case okrs.ErrorCode(err) == okrs.EFORBIDDEN:
		b.say(ctx, r, friendly(err))
		return err
	case err != nil:
		b.logError("edit: saving", r, err)
		b.dmDraft(ctx, r, views.Sprintf("I couldn't save your changes: %s", friendly(err)), f.DraftText())
		return err
	}
	b.say(ctx, r, views.Sprintf(":white_check_mark: Saved *%s*.", saved.Title))
	b.refreshHomes(ctx, r.workspace, append(append(before, owners(saved)...), r.user)...)
	return nil
}

// dmDraft tells the person something could not be saved and gives them
// back what they typed, so that nothing is lost. A DM that fails too is
// logged.
func (b *Bot) dmDraft(ctx context.Context, r *request, why views.Mrkdwn, draft string) {
	t := views.Sprintf("%s\nHere is what you entered, so nothing is lost:\n```%s```", why, draft)
	if err := b.dm(ctx, r.user, text(t)); err != nil {
		b.logError("sending back an unsaved draft", r, err)
	}
}

// cmdEdit, cmdAdd and cmdArchive open a picker of this channel's objectives
// (or the person's own, outside a team channel); choosing one leads on.
func (b *Bot) cmdEdit(ctx context.Context, r *request, _ string) {
	b.openPicker(ctx, r, views.ModeEdit)
}
func (b *Bot) cmdAdd(ctx context.Context, r *request, _ string) { b.openPicker(ctx, r, views.ModeAdd) }
func (b *Bot) cmdArchive(ctx context.Context, r *request, _ string) {
	b.openPicker(ctx, r, views.ModeArchive)
}

// pickable returns the objectives a person would pick from in a channel:
// the team's current ones, else their own.
func (b *Bot) pickable(ctx context.Context, r *request) ([]okrs.Objective, views.Mrkdwn, error) {
	if isChannelID(r.channel) {
		c, err := b.currentCycle(ctx, r.workspace, r.channel)
		if err != nil {
			return nil, views.Mrkdwn{}, err
		}
		objs, err := b.store.TeamObjectives(ctx, r.workspace, r.channel, c.Name, 0)
		if err != nil || len(objs) > 0 {
			return objs, views.Sprintf("%s in %s", views.Channel(r.channel), c.Name), err
		}
	}
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, r.user)
	return objs, views.Raw("you own key results in"), err
}

func (b *Bot) openPicker(ctx context.Context, r *request, mode string) {
	title := map[string]string{views.ModeEdit: "Edit objective", views.ModeAdd: "Add a key result", views.ModeArchive: "Archive objective"}[mode]
	b.openModal(ctx, r, title, func(ctx context.Context) (slack.ModalViewRequest, error) {
		objs, scope, err := b.pickable(ctx, r)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if len(objs) == 0 {
			return slack.ModalViewRequest{}, okrs.Errorf(okrs.ENOTFOUND, "There are no objectives here yet. Create one with `/okr new`.")
		}
		return views.PickerModal(objs, scope, title, mode, views.FormMeta{Mode: mode, Channel: r.channel, Response: r.responseURL}), nil
	})
}

// onPick follows a choice in the picker: it checks the objective belongs to
// the caller's workspace and that they may change it, then shows the form.
func (b *Bot) onPick(ctx context.Context, r *request, cb slack.InteractionCallback, objID string) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	if m.Mode == views.ModePropose {
		b.onPickPropose(ctx, r, cb, m, objID) // see proposals.go
		return
	}
	form, err := b.formFor(ctx, r, m, objID)
	if err != nil {
		form.view = views.NoticeModal("Can't do that", friendly(err))
		b.logError("picker: "+m.Mode, r, err)
	}
	resp, err := b.api.UpdateViewContext(ctx, form.view, "", cb.View.Hash, cb.View.ID)
	if err != nil {
		b.logError("picker: updating the modal", r, b.slackErr("views.update", err))
		return
	}
	if form.edit != nil {
		b.addParents(ctx, r, resp, form.edit.f, form.edit.v)
	}
}

// form is a modal to show, and for an objective's edit form what it needs
// to add the objectives it may align to.
type form struct {
	view slack.ModalViewRequest
	edit *struct {
		f views.ObjectiveForm
		v views.FormView
	}
}

// formFor loads an objective of the caller's workspace, checks permission
// and returns the modal for mode. An edit form comes without the
// objectives it may align to: addParents adds them once it is open.
func (b *Bot) formFor(ctx context.Context, r *request, m views.FormMeta, objID string) (form, error) {
	o, err := b.store.Objective(ctx, r.workspace, objID)
	if err != nil {
		return form{}, err
	}
	if o.Archived {
		return form{}, okrs.Errorf(okrs.ENOTFOUND, "That objective is archived.")
	}
	if err := b.editCheck(r)(ctx, o); err != nil { // checked again when saving
		return form{}, err
	}
	meta := views.FormMeta{Mode: m.Mode, ObjID: o.ID, Channel: m.Channel, Response: m.Response}
	switch m.Mode {
	case views.ModeAdd:
		if len(o.Active()) >= okrs.MaxKeyResults {
			return form{}, okrs.Errorf(okrs.EINVALID, "“%s” already has %d key results, the most an objective should have. Archive one first, or sharpen the ones you have.", o.Title, okrs.MaxKeyResults)
		}
		return form{view: views.AddKRModal(o, views.KRForm{Kind: okrs.Increase}, meta)}, nil
	case views.ModeArchive:
		return form{view: views.ArchiveModal(o, meta)}, nil
	}
	f := views.FormOf(o)
	for _, kr := range o.KeyResults {
		if !kr.Archived {
			meta.KRIDs = append(meta.KRIDs, kr.ID)
		}
	}
	st, err := b.settings(ctx, o.Workspace, o.Team)
	if err != nil {
		return form{}, err
	}
	v := views.FormView{Meta: meta, Cycles: okrs.CycleChoices(st, b.now(), o.Cycle)}
	fm := form{view: views.ObjectiveModal(f, v)}
	fm.edit = &struct {
		f views.ObjectiveForm
		v views.FormView
	}{f, v}
	return fm, nil
}

// submitArchive archives after checking, again, who is asking.
func (b *Bot) submitArchive(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	e.ack(nil)
	first, done := b.claimSubmission(ctx, r, cb) // a repeat would say "already archived"
	if !first {
		return
	}
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	may := b.editCheck(r)
	now := b.now()
	saved, err := b.store.UpdateObjective(ctx, r.workspace, m.ObjID, func(o *okrs.Objective) error {
		if err := may(ctx, o); err != nil {
			return err
		}
		if o.Archived {
			return okrs.Errorf(okrs.ENOTFOUND, "“%s” is already archived.", o.Title)
		}
		o.Archived, o.ArchivedBy, o.ArchivedAt, o.UpdatedAt = true, r.user, now, now
		return nil
	})
	done(err)
	if err != nil {
		b.fail(ctx, reply, "archive: saving", err)
		return
	}
	b.say(ctx, reply, views.Sprintf(":file_cabinet: Archived *%s*. Its history is kept.", saved.Title))
	b.refreshHomes(ctx, r.workspace, append(owners(saved), r.user)...)
}

// submitAddKR adds one key result to an objective.
func (b *Bot) submitAddKR(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	kf := views.ReadKRForm(cb.View.State, 0)
	kr, fe := b.readKR(kf, m.Cycle, views.BlockIDs(cb.View))
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	if b.reviewKRFirst(ctx, e, r, m, kf, &kr) {
		return // the coach has tips: the modal shows them before saving
	}
	e.ack(nil)
	b.saveKR(ctx, r, cb, m, kf, kr)
}

// readKR turns the one-key-result form into a key result of cycle, with
// its field errors keyed by block id.
func (b *Bot) readKR(kf views.KRForm, cycle string, blockIDs map[string]bool) (okrs.KeyResult, views.FormErrors) {
	fe := views.FormErrors{}
	kr := kf.KeyResult(0, fe)
	kr.CreatedAt = b.now()
	kr.Normalize()
	if c, err := okrs.ParseCycle(cycle); err == nil {
		for _, x := range okrs.FieldErrors(kr.Validate(c)) {
			fe.Add(views.FieldBlock("kr.0."+x.Field, blockIDs), x.Message)
		}
	}
	return kr, fe
}

// saveKR adds, proposes or accepts as adjusted (m.Mode) the key result kr
// read from form kf, once per submission cb.
func (b *Bot) saveKR(ctx context.Context, r *request, cb slack.InteractionCallback, m views.FormMeta, kf views.KRForm, kr okrs.KeyResult) {
	first, done := b.claimSubmission(ctx, r, cb) // a repeat would add the key result twice
	if !first {
		return
	}
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	if m.Mode == views.ModePropose || m.Mode == views.ModeAdjust {
		done(b.submitProposed(ctx, r, reply, m, kf, kr)) // see proposals.go
		return
	}
	done(b.addKR(ctx, r, reply, m.ObjID, kf, kr, b.editCheck(r)))
}

// addKR adds kr to an objective when may, checked inside the write,
// allows it, and says so; it returns the error that kept it out, if any.
func (b *Bot) addKR(ctx context.Context, r, reply *request, objID string, kf views.KRForm, kr okrs.KeyResult, may func(ctx context.Context, o *okrs.Objective) error) error {
	saved, err := b.store.UpdateObjective(ctx, r.workspace, objID, func(o *okrs.Objective) error {
		if err := may(ctx, o); err != nil {
			return err
		}
		if kr.Owner == "" {
			kr.Owner = o.Owner // the objective's owner's unless someone is chosen
		}
		o.KeyResults = append(o.KeyResults, kr)
		o.UpdatedAt = kr.CreatedAt
		c, err := b.cycleNamed(ctx, r.workspace, o.Team, o.Cycle)
		if err != nil {
			return err
		}
		if err := o.Validate(c); err != nil {
			var fe []string
			for _, x := range okrs.FieldErrors(err) {
				fe = append(fe, x.Message)
			}
			return okrs.Errorf(okrs.EINVALID, "%s", strings.Join(fe, " "))
		}
		return nil
	})
	if err != nil {
		if okrs.ErrorCode(err) == okrs.EFORBIDDEN {
			b.say(ctx, reply, friendly(err))
			return err
		}
		b.logError("add: saving", r, err)
		b.dmDraft(ctx, r, views.Sprintf("I couldn't add the key result “%s”: %s", kf.Title, friendly(err)), kf.DraftText())
		return err
	}
	b.say(ctx, reply, views.Sprintf(":white_check_mark: Added *%s* to *%s*.", kr.Title, saved.Title))
	b.refreshHomes(ctx, r.workspace, r.user, kr.Owner)
	return nil
}

// cmdList shows this channel's objectives, each with a menu to edit, extend
// or archive it. Only the caller sees it.
func (b *Bot) cmdList(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr list` in a team's channel to see its objectives, or `/okr mine` for your own."))
		return
	}
	c, err := b.currentCycle(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "list: cycle", err)
		return
	}
	objs, err := b.store.TeamObjectives(ctx, r.workspace, r.channel, c.Name, 0)
	if err != nil {
		b.fail(ctx, r, "list: loading", err)
		return
	}
	if err := b.respond(ctx, r, message{Message: views.List(objs, r.channel, c, b.now())}); err != nil {
		b.fail(ctx, r, "list: answering", err)
	}
}

// onObjectiveMenu opens the modal an objective's menu asked for, after
// checking the objective is in the caller's workspace and theirs to change.
func (b *Bot) onObjectiveMenu(ctx context.Context, r *request, value string) {
	mode, objID, ok := strings.Cut(value, "|")
	if !ok || (mode != views.ModeEdit && mode != views.ModeAdd && mode != views.ModeArchive) {
		return
	}
	title := map[string]string{views.ModeEdit: "Edit objective", views.ModeAdd: "Add a key result", views.ModeArchive: "Archive objective"}[mode]
	var fm form
	resp := b.openModal(ctx, r, title, func(ctx context.Context) (slack.ModalViewRequest, error) {
		var err error
		fm, err = b.formFor(ctx, r, views.FormMeta{Mode: mode, Channel: r.channel, Response: r.responseURL}, objID)
		return fm.view, err
	})
	if resp != nil && fm.edit != nil {
		b.addParents(ctx, r, resp, fm.edit.f, fm.edit.v)
	}
}

// cmdMine shows the caller's key results, only to them.
func (b *Bot) cmdMine(ctx context.Context, r *request, _ string) { b.postMine(ctx, r, 0) }

func (b *Bot) postMine(ctx context.Context, r *request, offset int) {
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, r.user)
	if err != nil {
		b.fail(ctx, r, "mine: loading", err)
		return
	}
	objs, c, err := b.currentObjectives(ctx, r.workspace, objs)
	if err != nil {
		b.fail(ctx, r, "mine: cycle", err)
		return
	}
	v := views.StatusView{Scope: views.Raw("you"), Person: r.user, Cycle: c, Now: b.now(), Objectives: objs, Offset: offset, MoreValue: "m|" + r.user}
	m := message{Message: views.Status(v)}
	if len(v.Objectives) == 0 {
		m = text(views.Raw("You don't own any key results this cycle. `/okr new` creates an objective; owners are chosen per key result."))
	}
	if err := b.respond(ctx, r, m); err != nil {
		b.fail(ctx, r, "mine: answering", err)
	}
}

// sameCycles reports whether a and b offer the same cycles, dates included.
func sameCycles(a, b []okrs.Cycle) bool {
	return slices.EqualFunc(a, b, func(x, y okrs.Cycle) bool {
		return x.Name == y.Name && x.Start.Equal(y.Start) && x.End.Equal(y.End)
	})
}

// offeredCycles are the cycles a form offered (kept in its metadata), or,
// for a form from before they were kept there, the calendar's.
func offeredCycles(b *Bot, m views.FormMeta) []okrs.Cycle {
	if cs := m.OfferedCycles(); len(cs) > 0 {
		return cs
	}
	return okrs.CycleChoices(okrs.DefaultSettings(b.defaultTZ), b.now(), "")
}

// noParentLoop refuses to align objective id to parent when parent is id
// itself or aligns, up its chain, to id: the tree would go round in circles.
func (b *Bot) noParentLoop(ctx context.Context, r *request, id, parent string) error {
	if parent == "" {
		return nil
	}
	var lookupErr error
	titles := map[string]string{}
	loop := okrs.ParentLoop(id, parent, func(id string) (string, bool) {
		o, err := b.store.Objective(ctx, r.workspace, id)
		if err != nil {
			if okrs.ErrorCode(err) != okrs.ENOTFOUND {
				lookupErr = err
			}
			return "", false
		}
		titles[id] = o.Title
		return o.ParentID, true
	})
	if lookupErr != nil {
		return lookupErr
	}
	if loop == nil {
		return nil
	}
	if len(loop) == 1 {
		return okrs.Invalid(okrs.FieldParent, "An objective can't align to itself: choose a higher-level objective under “Aligns to”.")
	}
	return okrs.Invalid(okrs.FieldParent, "“%s” already aligns to this objective (through %d level%s), so this one can't align to it: the alignment would go round in a circle. Choose another objective under “Aligns to”.",
		titles[parent], len(loop)-1, views.Plural(len(loop)-1))
}
