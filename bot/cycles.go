package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/charts"
	"github.com/okrbot/okrbot/okrs"
)

// cmdCycle is "/okr cycle": the team's current cycle, with buttons for its
// managers to start the next one, extend or close it.
func (b *Bot) cmdCycle(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr cycle` in the team's channel: each channel is a team with its own cycle."))
		return
	}
	st, err := b.settings(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "cycle: settings", err)
		return
	}
	now := b.now()
	cur := okrs.CurrentCycle(st, now)
	objs, err := b.store.TeamObjectives(ctx, r.workspace, r.channel, cur.Name, 0)
	if err != nil {
		b.fail(ctx, r, "cycle: objectives", err)
		return
	}
	v := views.CycleView{Team: r.channel, Cycle: cur, Next: okrs.NextCycles(st, now), Now: now, Location: st.Location()}
	for _, o := range objs {
		if !o.Archived {
			v.Objectives = append(v.Objectives, o)
		}
	}
	for _, c := range st.Cycles {
		if c.Start.After(cur.Start) && c.Name != cur.Name {
			v.Planned = &c
			break
		}
	}
	if prev := okrs.PreviousCycle(st, now); now.Sub(prev.EndsAt(st.Location())) < 30*24*time.Hour {
		if n, err := b.store.CountTeamObjectives(ctx, r.workspace, r.channel, prev.Name); err == nil && n > 0 {
			v.Previous = prev
		}
	}
	v.Manage = b.mayManage(ctx, r, st, "manage this team's cycle") == nil
	if err := b.respond(ctx, r, message{Message: views.CycleMessage(v)}); err != nil {
		b.logError("cycle: answering", r, err)
	}
}

// changeCycle applies change to the team's settings if the person manages
// the team, judged inside the update against the settings it replaces. It
// reports whether change changed anything (false: pressed twice).
func (b *Bot) changeCycle(ctx context.Context, r *request, team, what string, change func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error)) (okrs.Settings, bool, error) {
	who, err := b.member(ctx, r.user)
	if err == nil && !who.BelongsTo(r.workspace) {
		err = errOutsider(what)
	}
	if err != nil {
		return okrs.Settings{}, false, err
	}
	admin := who.IsAdminOf(r.workspace)
	now := b.now()
	may := b.manageCheck(r, team, admin)
	changed := false
	saved, err := b.store.UpdateSettings(ctx, r.workspace, team, func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		if !found {
			cur = okrs.DefaultSettings(b.defaultTZ)
		}
		if err := may(ctx, cur); err != nil {
			return cur, err
		}
		next, ok, err := change(cur, now)
		changed = ok
		if err == nil && ok {
			next.UpdatedBy, next.UpdatedAt = r.user, now
		}
		return next, err
	})
	return saved, changed, err
}

// onCycleClose is the "Close cycle" button: the cycle ends now, and its
// grading starts at once. A second press finds the cycle closed already.
func (b *Bot) onCycleClose(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	name, team := a.Value, r.channel
	if !isChannelID(team) {
		return
	}
	_, changed, err := b.changeCycle(ctx, r, team, "close this team's cycle", func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error) {
		next, ok := cur.CloseCycle(name, now)
		return next, ok, nil
	})
	if err != nil {
		b.fail(ctx, r, "cycle: closing", err)
		return
	}
	if !changed {
		b.say(ctx, r, views.Sprintf("%s is closed already.", name))
		return
	}
	b.say(ctx, r, views.Sprintf(":checkered_flag: %s is closed. Its owners are being asked to grade their objectives; the retrospective follows in %s once the grades are in.", name, views.Channel(team)))
	b.cycleNow(ctx, r, team)
}

// cycleNow runs the end of a team's previous cycle now (grade requests, a
// retrospective that is due), each thing once across replicas.
func (b *Bot) cycleNow(ctx context.Context, r *request, team string) {
	if b.scheduler == nil {
		return
	}
	if _, err := b.scheduler.CycleNow(ctx, r.workspace, team); err != nil {
		b.logError("cycle: grading now (the next sweep catches up)", r, err)
	}
}

// onCycleExtend is the "Extend…" menu: the value carries the new end, so
// that choosing it twice extends once.
func (b *Bot) onCycleExtend(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	name, date, _ := strings.Cut(a.SelectedOption.Value, "|")
	end, perr := time.Parse(time.DateOnly, date)
	team := r.channel
	if perr != nil || !isChannelID(team) {
		return
	}
	saved, _, err := b.changeCycle(ctx, r, team, "extend this team's cycle", func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error) {
		next, err := cur.ExtendCycle(name, end, now)
		return next, err == nil, err
	})
	if err != nil {
		b.fail(ctx, r, "cycle: extending", err)
		return
	}
	c := okrs.CurrentCycle(saved, b.now())
	b.say(ctx, r, views.Sprintf(":calendar: %s now ends on %s.", c.Name, c.End.Format("Mon Jan 2, 2006")))
}

// onCycleStart is a "Start 2027-Q1" button: it records the next cycle
// (pressed twice: one cycle), then offers the unfinished objectives of the
// cycle before it to carry over.
func (b *Bot) onCycleStart(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	parts := strings.Split(a.Value, "|")
	team := r.channel
	if len(parts) != 3 || !isChannelID(team) {
		return
	}
	start, err1 := time.Parse(time.DateOnly, parts[1])
	end, err2 := time.Parse(time.DateOnly, parts[2])
	if err1 != nil || err2 != nil {
		return
	}
	c := okrs.Cycle{Name: parts[0], Start: start, End: end}
	if p, ok := c.Planned(); !ok || p.End != end || start.Before(p.Start.AddDate(0, -3, 0)) {
		return // not a cycle okrbot offered
	}
	b.openModal(ctx, r, "Carry over", func(ctx context.Context) (slack.ModalViewRequest, error) {
		return b.startCycle(ctx, r, team, c, func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error) {
			return cur.StartCycle(c, now)
		})
	})
}

// startCycle records the team's next cycle c with start (pressed twice:
// one cycle) and returns the carry-over form offering the unfinished
// objectives of the cycle before it.
func (b *Bot) startCycle(ctx context.Context, r *request, team string, c okrs.Cycle, start func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error)) (slack.ModalViewRequest, error) {
	saved, _, err := b.changeCycle(ctx, r, team, "start this team's next cycle", start)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if c, err = saved.CycleNamed(c.Name); err != nil {
		return slack.ModalViewRequest{}, err
	}
	from := okrs.CurrentCycle(saved, time.Date(c.Start.Year(), c.Start.Month(), c.Start.Day(), 0, 0, 0, 0, saved.Location()).Add(-time.Nanosecond))
	objs, err := b.store.TeamObjectives(ctx, r.workspace, team, from.Name, 0)
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	var open []okrs.Objective
	for _, o := range objs {
		if !o.Archived && o.Unfinished() {
			open = append(open, o)
		}
	}
	return views.CarryOverModal(team, from, c, open), nil
}

// onCycleCustom is the "Custom cycle…" button: a form for the next cycle's
// own name and dates.
func (b *Bot) onCycleCustom(ctx context.Context, r *request, _ slack.InteractionCallback, _ *slack.BlockAction) {
	team := r.channel
	if !isChannelID(team) {
		return
	}
	b.openModal(ctx, r, "Custom cycle", func(ctx context.Context) (slack.ModalViewRequest, error) {
		st, err := b.settings(ctx, r.workspace, team)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if err := b.mayManage(ctx, r, st, "start this team's next cycle"); err != nil {
			return slack.ModalViewRequest{}, err
		}
		now := b.now()
		return views.CustomCycleModal(team, okrs.CurrentCycle(st, now), okrs.NextCycles(st, now)[0].Start), nil
	})
}

// submitCustomCycle starts the custom cycle the form names. What is wrong
// with it is said in the form (the name or dates, judged against the
// team's cycles: two Redis reads before the ack); then the form turns into
// the carry-over form while the cycle is recorded, permission judged
// inside that update.
func (b *Bot) submitCustomCycle(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	team, c, fe := views.ReadCustomCycle(cb.View.State, cb.View.PrivateMetadata)
	if !isChannelID(team) {
		e.ack(nil)
		return
	}
	objectivesNamed := false
	if len(fe) == 0 {
		fe, objectivesNamed = b.checkCustomCycle(ctx, r, team, c)
	}
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	loading := views.LoadingModal("Carry over")
	e.ack(slack.NewUpdateViewSubmissionResponse(&loading))
	view, err := b.startCycle(ctx, r, team, c, func(cur okrs.Settings, now time.Time) (okrs.Settings, bool, error) {
		return cur.StartCustomCycle(c, now, objectivesNamed)
	})
	if err != nil {
		var de *okrs.Error
		if !errors.As(err, &de) || de.Code == okrs.EINTERNAL || de.Code == okrs.EUNAVAILABLE {
			b.logError("custom cycle: starting", r, err)
		}
		view = views.NoticeModal("Custom cycle", friendly(err))
	}
	if _, err := b.api.UpdateViewContext(ctx, view, "", "", cb.View.ID); err != nil {
		b.logError("custom cycle: showing the carry-over form", r, b.slackErr("views.update", err))
	}
}

// checkCustomCycle judges a custom cycle against the team's cycles before
// the ack, as field errors; a Redis failure is one too (nothing is saved).
// It also reports whether objectives are filed under the cycle's name.
func (b *Bot) checkCustomCycle(ctx context.Context, r *request, team string, c okrs.Cycle) (views.FormErrors, bool) {
	ctx, cancel := context.WithTimeout(ctx, preAckBudget)
	defer cancel()
	fe := views.FormErrors{}
	st, err := b.settings(ctx, r.workspace, team)
	n := 0
	if err == nil {
		n, err = b.store.CountTeamObjectives(ctx, r.workspace, team, c.Name)
	}
	if err != nil {
		b.logError("custom cycle: checking", r, err)
		fe.Add(okrs.FieldCycleName, "I couldn't check this team's cycles just now: try again in a moment.")
		return fe, false
	}
	if _, _, err := st.StartCustomCycle(c, b.now(), n > 0); err != nil {
		for _, x := range okrs.FieldErrors(err) {
			fe.Add(x.Field, x.Message)
		}
		if len(fe) == 0 {
			fe.Add(okrs.FieldCycleName, "That cycle can't be started: check its name and dates.")
		}
	}
	return fe, n > 0
}

// submitCarryOver copies the chosen objectives into the next cycle, each
// once however often the form is sent: their key results start from their
// current values, and the originals stay in their cycle.
func (b *Bot) submitCarryOver(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	e.ack(nil)
	meta, ids := views.ReadCarryOver(cb.View.State, cb.View.PrivateMetadata)
	reply := &request{workspace: r.workspace, user: r.user, channel: meta.Team}
	if !isChannelID(meta.Team) || len(ids) == 0 {
		return
	}
	st, err := b.settings(ctx, r.workspace, meta.Team)
	if err == nil {
		err = b.mayManage(ctx, reply, st, "carry objectives over")
	}
	if err == nil && !st.IsManager(r.user) {
		// The form names its team: a forged one may name a private team
		// the person is not in (mayManage takes being in it for granted).
		if sees, serr := b.canSee(ctx, r.user, meta.Team); serr != nil {
			err = serr
		} else if !sees {
			err = errPrivateTeam
		}
	}
	if err != nil {
		b.fail(ctx, reply, "carry over: checking permission", err)
		return
	}
	to, err := st.CycleNamed(meta.To)
	if err != nil {
		b.fail(ctx, reply, "carry over: cycle", err)
		return
	}
	var titles []views.Mrkdwn
	for _, id := range ids {
		o, err := b.store.Objective(ctx, r.workspace, id)
		if err != nil || o.Team != meta.Team || o.Cycle != meta.From || o.Archived {
			continue
		}
		key := "carry:" + meta.Team + ":" + to.Name + ":" + o.ID
		token := randomToken()
		claimed, _, err := b.store.ClaimDelivery(ctx, r.workspace, key, token, b.workTimeout+5*time.Second)
		if err != nil || !claimed {
			continue // carried already, or being carried by another press
		}
		cp := o.CarryOver(to, r.user, b.now())
		err = b.store.CreateObjective(ctx, &cp)
		settle := context.WithoutCancel(ctx)
		if err != nil {
			b.logError("carry over: copying an objective", reply, err)
			b.store.ReleaseDelivery(settle, r.workspace, key, token)
			continue
		}
		if _, err := b.store.SettleDelivery(settle, r.workspace, key, token, okrs.Delivery{State: okrs.DeliverySent}, 400*24*time.Hour); err != nil {
			b.logError("carry over: remembering a copy", reply, err)
		}
		titles = append(titles, views.Sprintf("• %s", o.Title))
	}
	if len(titles) == 0 {
		b.say(ctx, reply, views.Sprintf("Nothing new to carry into %s: those objectives are there already.", to.Name))
		return
	}
	b.say(ctx, reply, views.Sprintf(":arrow_right: Carried into %s, each key result starting where it stands:\n%s", to.Name, views.Join(titles, "\n")))
}

// SendGradeRequest, for the scheduler, DMs an owner "Grade this cycle".
func (b *Bot) SendGradeRequest(ctx context.Context, g okrs.GradeRequest) (okrs.Posted, error) {
	ch, err := b.dmChannel(ctx, g.Workspace, g.User)
	if err != nil {
		return okrs.Posted{}, b.messengerErr(err)
	}
	m := message{Message: views.GradeRequestMessage(g)}
	_, ts, err := b.api.PostMessageContext(ctx, ch, m.options()...)
	if err != nil {
		return okrs.Posted{}, b.messengerErr(b.slackErr("chat.postMessage", err))
	}
	return okrs.Posted{Channel: ch, TS: ts}, nil
}

// PostRetrospective, for the scheduler, posts the retrospective in the
// team's channel and opens its thread with the questions.
func (b *Bot) PostRetrospective(ctx context.Context, r okrs.Retrospective) (okrs.Posted, error) {
	m := message{Message: views.Retrospective(r)}
	_, ts, err := b.api.PostMessageContext(ctx, r.Channel, m.options()...)
	if err != nil {
		err = b.slackErr("chat.postMessage", err)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found" || se.Err == "is_archived") {
			return okrs.Posted{}, fmt.Errorf("%w: %s", okrs.ErrGone, se.Err)
		}
		return okrs.Posted{}, b.messengerErr(err)
	}
	t := message{Message: views.RetrospectiveThread(r)}
	if _, _, err := b.api.PostMessageContext(ctx, r.Channel, t.options(slack.MsgOptionTS(ts))...); err != nil {
		b.log.Warn("opening the retrospective's thread failed; the retrospective is posted", slog.String("team", r.Team), slog.Any("err", err))
	}
	files, failed := renderCharts([]func() (chartFile, error){func() (chartFile, error) { return gradesChart(r) }})
	for _, err := range failed {
		b.log.Error("drawing the grades chart failed", slog.String("team", r.Team), slog.Any("err", err))
	}
	for _, f := range files {
		if err := b.upload(ctx, r.Channel, ts, f); err != nil {
			b.log.Warn("uploading the grades chart failed; the retrospective is posted without it", slog.String("team", r.Team), slog.Any("err", err))
		}
	}
	return okrs.Posted{Channel: r.Channel, TS: ts}, nil
}

// onGrade is the "Grade this cycle" button of the DM: the person's own
// objectives of that team's cycle, in a modal.
func (b *Bot) onGrade(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	team, cycle, _ := strings.Cut(a.Value, "|")
	b.openModal(ctx, r, "Grade this cycle", func(ctx context.Context) (slack.ModalViewRequest, error) {
		if !isChannelID(team) {
			return slack.ModalViewRequest{}, okrs.Errorf(okrs.EINVALID, "That cycle belongs to no team.")
		}
		st, err := b.settings(ctx, r.workspace, team)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		c, err := st.CycleNamed(cycle)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		objs, err := b.store.TeamObjectives(ctx, r.workspace, team, c.Name, 0)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		var mine []okrs.Objective
		for _, o := range objs {
			if !o.Archived && o.Owner == r.user && len(o.Active()) > 0 {
				mine = append(mine, o)
			}
		}
		if len(mine) == 0 {
			return slack.ModalViewRequest{}, okrs.Errorf(okrs.ENOTFOUND, "You own no objectives of %s in that team: only an objective's owner grades it.", c.Name)
		}
		// Those not graded yet first: the modal holds a few at a time.
		slices.SortStableFunc(mine, func(a, b okrs.Objective) int {
			switch {
			case a.Graded() == b.Graded():
				return 0
			case a.Graded():
				return 1
			}
			return -1
		})
		return views.GradeModal(team, c, mine), nil
	})
}

// submitGrade saves an owner's grades: once per submission, each objective
// checked inside its update (only its owner grades it), then the
// retrospective is posted if this was the last grading.
func (b *Bot) submitGrade(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	meta, gradings, fe := views.ReadGrades(cb.View.State, cb.View.PrivateMetadata, r.user)
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	e.ack(nil)
	reply := &request{workspace: r.workspace, user: r.user}
	first, done := b.claimSubmission(ctx, r, cb)
	if !first {
		return
	}
	now := b.now()
	var err error
	saved := 0
	for id, g := range gradings {
		_, uerr := b.store.UpdateObjective(ctx, r.workspace, id, func(o *okrs.Objective) error {
			if o.Team != meta.Team || o.Cycle != meta.Cycle {
				return okrs.Errorf(okrs.EINVALID, "That objective is not in %s any more.", meta.Cycle)
			}
			return o.Apply(g, now)
		})
		if uerr != nil {
			err = uerr
			continue
		}
		saved++
	}
	done(err)
	if err != nil {
		b.fail(ctx, reply, "grading: saving", err)
		if saved == 0 {
			return
		}
	}
	b.say(ctx, reply, views.Sprintf(":white_check_mark: Thank you: your grades for %s are saved. The retrospective goes to %s once every owner has graded (or 3 days after the end).", meta.Cycle, views.Channel(meta.Team)))
	b.cycleNow(ctx, r, meta.Team)
}

// cmdRetro is "/okr retro": the retrospective of the team's last cycle,
// only for the caller, with where it was posted; before it is posted, it
// shows how it stands.
func (b *Bot) cmdRetro(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr retro` in the team's channel."))
		return
	}
	if b.scheduler == nil {
		b.say(ctx, r, views.Raw("The retrospective is not available right now."))
		return
	}
	retro, d, err := b.scheduler.Retrospective(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "retro", err)
		return
	}
	if len(retro.Objectives) == 0 {
		b.say(ctx, r, views.Sprintf("%s had no objectives in %s: no retrospective to show.", views.Channel(r.channel), retro.Cycle.Name))
		return
	}
	m := views.Retrospective(retro)
	note := views.Sprintf("Not posted yet: it goes to %s once every owner has graded, or 3 days after the end. This is how it stands now.", views.Channel(r.channel))
	if d.State == okrs.DeliverySent && !d.Posted.Zero() {
		note = views.Sprintf("Posted in %s; the team's answers are in its thread. Here it is as it stands now.", views.Channel(d.Posted.Channel))
	}
	m.Blocks = append([]slack.Block{views.ContextText(note)}, m.Blocks...)
	if len(m.Blocks) > views.MaxMessageBlocks {
		m.Blocks = m.Blocks[:views.MaxMessageBlocks]
	}
	if err := b.respond(ctx, r, message{Message: m}); err != nil {
		b.logError("retro: answering", r, err)
	}
}

// gradesChart draws a retrospective's grades, one bar per objective.
func gradesChart(r okrs.Retrospective) (chartFile, error) {
	title := "Grades · " + r.Cycle.Name
	g := charts.Grades{Title: title}
	for i := range r.Objectives {
		g.Objectives = append(g.Objectives, charts.Grade{Title: r.Objectives[i].Title, Grade: float64(r.Objectives[i].Grade())})
	}
	png, err := charts.GradesChart(g)
	return chartFile{name: "okr-grades.png", title: title, png: png,
		alt: fmt.Sprintf("Bar chart of %d objectives' grades in %s, against 0.7", len(g.Objectives), r.Cycle.Name)}, err
}
