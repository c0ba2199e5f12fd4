package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// mine is a person's open key results of their teams' current cycles,
// with the objectives they belong to.
type mine struct {
	objs []okrs.Objective
	krs  []*okrs.KeyResult
}

// byID returns the person's key result with id, or nil.
func (m mine) byID(id string) *okrs.KeyResult {
	for _, kr := range m.krs {
		if kr.ID == id {
			return kr
		}
	}
	return nil
}

// myKeyResults returns the person's open key results of the current cycle
// (each team's, okrs.CurrentCycle), those of team first, then by objective.
func (b *Bot) myKeyResults(ctx context.Context, r *request, team string) (mine, error) {
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, r.user)
	if err != nil {
		return mine{}, err
	}
	objs, _, err = b.currentObjectives(ctx, r.workspace, objs)
	if err != nil {
		return mine{}, err
	}
	slices.SortStableFunc(objs, func(a, b okrs.Objective) int {
		switch {
		case a.Team == team && b.Team != team:
			return -1
		case b.Team == team && a.Team != team:
			return 1
		}
		return 0
	})
	m := mine{objs: objs}
	for oi := range objs {
		for ki := range objs[oi].KeyResults {
			kr := &objs[oi].KeyResults[ki]
			if kr.Owner == r.user && !kr.Archived {
				m.krs = append(m.krs, kr)
			}
		}
	}
	return m, nil
}

// errNothingToCheckIn answers someone with no open key results.
var errNothingToCheckIn = okrs.Errorf(okrs.ENOTFOUND, "You don't own any open key results this cycle, so there is nothing to check in on.")

// openCheckIn opens the check-in modal for all of the person's key results:
// at once, then filled.
func (b *Bot) openCheckIn(ctx context.Context, r *request, team string) {
	b.openModal(ctx, r, "Weekly check-in", func(ctx context.Context) (slack.ModalViewRequest, error) {
		m, err := b.myKeyResults(ctx, r, team)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if len(m.krs) == 0 {
			return slack.ModalViewRequest{}, errNothingToCheckIn
		}
		return views.CheckInModal(m.objs, m.krs, views.CheckInMeta{Team: team, Channel: r.channel, Response: r.responseURL}), nil
	})
}

// submitCheckIn validates in the ack, then stores every check-in at once.
func (b *Bot) submitCheckIn(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	var m views.CheckInMeta
	json.Unmarshal([]byte(cb.View.PrivateMetadata), &m)
	entries, fe := views.ReadCheckIn(cb.View.State, m)
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	e.ack(nil)
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response, teamID: r.teamID}
	mk, err := b.myKeyResults(ctx, reply, m.Team)
	if err != nil {
		b.failCheckIn(ctx, reply, entries, err)
		return
	}
	outcome, saved := b.recordCheckIns(ctx, reply, checkInSave{promptTeam: m.Team, m: mk, entries: entries, key: submissionKey(cb)})
	if outcome == saveRecorded && m.Reply != "" {
		b.replySavedByForm(ctx, reply, m.Reply, mk, saved)
	}
}

// saveCheckIns records the entries for the person, after checking each key
// result is theirs (m, loaded by the caller), then marks their prompts done,
// refreshes App Home and shares the check-ins with the team if it wants that.
// The store records them once per idempotency key (the delivery's): a
// repeated delivery records nothing and says nothing.
func (b *Bot) saveCheckIns(ctx context.Context, r *request, promptTeam string, m mine, entries []views.CheckInEntry, noChange bool, key string) {
	b.recordCheckIns(ctx, r, checkInSave{promptTeam: promptTeam, m: m, entries: entries, noChange: noChange, key: key})
}

// checkInSave is what recordCheckIns records, and how.
type checkInSave struct {
	promptTeam string
	m          mine
	entries    []views.CheckInEntry
	noChange   bool
	key        string
	// lastAt, for check-ins prepared earlier (a reply's preview): when each
	// key result (by id) had its last check-in then. The store refuses them
	// if a newer one came in since.
	lastAt map[string]time.Time
	quiet  bool // the caller tells the person the outcome
}

// saveOutcome is how recordCheckIns ended.
type saveOutcome int

const (
	saveFailed    saveOutcome = iota // the person was told why
	saveRecorded                     // recorded now
	saveDuplicate                    // a repeated delivery: recorded before
	saveStale                        // lastAt: a newer check-in came in (nothing said)
	saveNotTheirs                    // none of the key results is theirs (said unless quiet)
)

// recordCheckIns is saveCheckIns with its options; it returns how it ended
// and the check-ins recorded.
func (b *Bot) recordCheckIns(ctx context.Context, r *request, o checkInSave) (saveOutcome, []okrs.CheckIn) {
	promptTeam, m, entries, noChange, key := o.promptTeam, o.m, o.entries, o.noChange, o.key
	now := b.now()
	var cis []okrs.CheckIn
	for _, en := range entries {
		kr := m.byID(en.ID)
		if kr == nil {
			continue // not theirs (any more): never trust the form's ids
		}
		ci := okrs.CheckIn{KeyResultID: kr.ID, Author: r.user, At: now, Value: en.Value,
			Confidence: okrs.Confidence{Level: en.Level}, Comment: en.Note}
		if err := ci.Validate(kr); err != nil {
			b.failCheckIn(ctx, r, entries, err)
			return saveFailed, nil
		}
		cis = append(cis, ci)
	}
	if len(cis) == 0 {
		if !o.quiet {
			b.say(ctx, r, views.Raw("Those key results are no longer yours to check in on, so nothing was recorded."))
		}
		return saveNotTheirs, nil
	}
	var dup bool
	var err error
	if o.lastAt != nil {
		last := make([]time.Time, len(cis))
		for i, c := range cis {
			last[i] = o.lastAt[c.KeyResultID]
		}
		_, dup, err = b.store.RecordCheckInsIfUnchanged(ctx, r.workspace, "checkin:"+key, idemTTL, cis, last)
		if okrs.ErrorCode(err) == okrs.ECONFLICT {
			return saveStale, nil
		}
	} else {
		_, dup, err = b.store.RecordCheckInsOnce(ctx, r.workspace, "checkin:"+key, idemTTL, cis)
	}
	if err != nil {
		b.failCheckIn(ctx, r, entries, err)
		return saveFailed, nil
	}
	if dup {
		b.log.Debug("ignoring a repeated check-in", "workspace", r.workspace, "user", r.user)
		return saveDuplicate, nil
	}
	// Which teams are now fully checked in, and what the check-ins say.
	byKR := map[string]okrs.CheckIn{}
	for _, c := range cis {
		byKR[c.KeyResultID] = c
	}
	byTeam := map[string][]*okrs.KeyResult{}
	for _, kr := range m.krs {
		if o := objectiveOf(m.objs, kr); o != nil {
			byTeam[o.Team] = append(byTeam[o.Team], kr)
		}
	}
	updatedPrompt := false
	for team, teamKRs := range byTeam {
		all := true
		var mineHere []okrs.CheckIn
		for _, kr := range teamKRs {
			c, ok := byKR[kr.ID]
			all = all && ok
			if ok {
				mineHere = append(mineHere, c)
			}
		}
		if all && b.markPromptDone(ctx, r, team, teamKRs, byKR, noChange) && team == promptTeam {
			updatedPrompt = true
		}
		if len(mineHere) > 0 {
			b.shareCheckIns(ctx, r, team, mineHere, m)
		}
	}
	b.refreshHomes(ctx, r.workspace, r.user)
	if !updatedPrompt && !o.quiet {
		thanks := views.Sprintf(":white_check_mark: Checked in on %d key result%s. Thank you!", len(cis), views.Plural(len(cis)))
		teams := make([]string, 0, len(byTeam))
		for team := range byTeam {
			teams = append(teams, team)
		}
		slices.Sort(teams)
		var streaks []views.Mrkdwn
		for _, s := range b.streaks(ctx, r.workspace, r.user, teams) {
			if t := views.StreakText(s.Streak); t != "" {
				streaks = append(streaks, views.Sprintf("%s: %s", views.Channel(s.Team), t))
			}
		}
		if len(streaks) > 0 {
			thanks = thanks.Append(views.Sprintf(" :fire: %s.", views.Join(streaks, ", ")))
		}
		b.say(ctx, r, thanks)
	}
	return saveRecorded, cis
}

// failCheckIn tells the person their check-in was not saved and gives them
// back what they entered.
func (b *Bot) failCheckIn(ctx context.Context, r *request, entries []views.CheckInEntry, err error) {
	b.logError("check-in: saving", r, err)
	var sb strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&sb, "%s: %s (%s) %s\n", e.ID, okrs.FormatNumber(e.Value), e.Level.Label(), e.Note)
	}
	b.dm(ctx, r.user, text(views.Sprintf("I couldn't save your check-in: %s\nHere is what you entered, so nothing is lost:\n```%s```", friendly(err), sb.String())))
}

// markPromptDone turns the person's latest prompt in a team into "Checked
// in ✓" and reports whether there was one.
func (b *Bot) markPromptDone(ctx context.Context, r *request, team string, krs []*okrs.KeyResult, byKR map[string]okrs.CheckIn, noChange bool) bool {
	ref, err := b.store.LastPrompt(ctx, r.workspace, team, r.user)
	if err != nil {
		b.logError("check-in: finding the prompt", r, err)
		return false
	}
	if ref.Posted.Zero() {
		return false
	}
	m := message{Message: views.PromptCheckedIn(team, krs, byKR, b.now(), noChange)}
	if s, err := b.streak(ctx, r.workspace, team, r.user); err != nil {
		b.logError("check-in: reading the streak", r, err)
	} else {
		m.Message = views.WithStreak(m.Message, s)
	}
	_, _, _, err = b.api.UpdateMessageContext(ctx, ref.Channel, ref.TS, m.options()...)
	if err != nil {
		b.logError("check-in: updating the prompt", r, b.slackErr("chat.update", err))
		return false
	}
	return true
}

// onCheckInSame records "no change" for the person's key results in the
// prompt's team: same value, same confidence. Without an earlier check-in
// to repeat it opens no modal (its trigger may have expired while loading):
// it asks the person to use "Check in".
func (b *Bot) onCheckInSame(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	value := a.Value
	team := promptTeam(value)
	m, err := b.myKeyResults(ctx, r, team)
	if err != nil {
		b.fail(ctx, r, "check-in: loading key results", err)
		return
	}
	var entries []views.CheckInEntry
	for _, kr := range m.krs {
		if o := objectiveOf(m.objs, kr); o == nil || o.Team != team {
			continue
		}
		if kr.Confidence.Level == "" {
			b.say(ctx, r, views.Sprintf("“%s” has no check-in yet to repeat. Press *Check in* to give this week's values.", kr.Title))
			return
		}
		entries = append(entries, views.CheckInEntry{ID: kr.ID, Value: kr.Current, Level: kr.Confidence.Level})
	}
	if len(entries) == 0 {
		b.say(ctx, r, views.Raw("You have no open key results in that team any more."))
		return
	}
	r.responseURL = "" // the prompt itself is updated
	b.saveCheckIns(ctx, r, team, m, entries, true, actionKey(r, cb, a.ActionID))
}

func objectiveOf(objs []okrs.Objective, kr *okrs.KeyResult) *okrs.Objective {
	for i := range objs {
		if objs[i].ID == kr.ObjectiveID {
			return &objs[i]
		}
	}
	return nil
}

// promptTeam reads the team from a prompt button's value "prompt|team|period".
func promptTeam(value string) string {
	parts := strings.Split(value, "|")
	if len(parts) == 3 && parts[0] == "prompt" && isChannelID(parts[1]) {
		return parts[1]
	}
	return ""
}

// cmdCheckIn is "/okr checkin".
func (b *Bot) cmdCheckIn(ctx context.Context, r *request, _ string) {
	team := ""
	if isChannelID(r.channel) {
		team = r.channel
	}
	b.openCheckIn(ctx, r, team)
}

// shareCheckIns posts the person's check-ins as short lines in the team
// channel's weekly thread, when the team's settings ask for it.
func (b *Bot) shareCheckIns(ctx context.Context, r *request, team string, cis []okrs.CheckIn, m mine) {
	st, err := b.settings(ctx, r.workspace, team)
	if err != nil {
		b.logError("check-in: team settings", r, err)
		return
	}
	if !st.PostCheckIns {
		return
	}
	period := okrs.PlanAt(st, st.Location(), b.now()).Period
	thread, err := b.weeklyThread(ctx, r.workspace, team, period)
	if err != nil {
		b.logError("check-in: weekly thread", r, err)
		return
	}
	var shared []views.SharedCheckIn
	for _, c := range cis {
		shared = append(shared, views.SharedCheckIn{KeyResult: m.byID(c.KeyResultID), CheckIn: c})
	}
	m2 := text(views.SharedCheckIns(r.user, shared))
	if _, _, err := b.api.PostMessageContext(ctx, team, m2.options(slack.MsgOptionTS(thread))...); err != nil {
		b.logError("check-in: posting to the team thread", r, b.slackErr("chat.postMessage", err))
	}
}

// threadTTL keeps a weekly thread's ts for longer than any period.
const threadTTL = 40 * 24 * time.Hour

// weeklyThread returns the ts of the team's thread for a period, posting it
// exactly once across replicas the first time: whoever claims it posts it;
// the others wait (within ctx) for its ts.
func (b *Bot) weeklyThread(ctx context.Context, workspace, team string, p okrs.Period) (string, error) {
	key := "thread:" + team + ":" + p.Key
	token := randomToken()
	wait := 50 * time.Millisecond
	for {
		claimed, cur, err := b.store.ClaimDelivery(ctx, workspace, key, token, time.Minute)
		if err != nil {
			return "", err
		}
		switch {
		case claimed:
			return b.postWeeklyThread(ctx, workspace, team, key, token, p)
		case cur.State == okrs.DeliverySent && cur.Posted.TS != "":
			return cur.Posted.TS, nil
		case cur.State != okrs.DeliveryClaimed:
			return "", fmt.Errorf("weekly thread for %s: %s", team, cur.State)
		}
		// Another replica is posting it.
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("weekly thread for %s: still being posted elsewhere: %w", team, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Second)
	}
}

func (b *Bot) postWeeklyThread(ctx context.Context, workspace, team, key, token string, p okrs.Period) (string, error) {
	m := text(views.Sprintf(":spiral_calendar_pad: Check-ins for the week of %s", p.Start.Format("January 2")))
	_, ts, err := b.api.PostMessageContext(ctx, team, m.options()...)
	settleCtx := context.WithoutCancel(ctx)
	if err != nil {
		if _, rerr := b.store.ReleaseDelivery(settleCtx, workspace, key, token); rerr != nil {
			b.logError("weekly thread: releasing the claim", &request{workspace: workspace}, rerr)
		}
		return "", b.slackErr("chat.postMessage", err)
	}
	sent := okrs.Delivery{State: okrs.DeliverySent, Posted: okrs.Posted{Channel: team, TS: ts}}
	if ok, err := b.store.SettleDelivery(settleCtx, workspace, key, token, sent, threadTTL); err != nil || !ok {
		// The thread is posted; another check-in may start a second one.
		b.logError("weekly thread: recording it", &request{workspace: workspace}, fmt.Errorf("claim held: %v: %w", ok, err))
	}
	return ts, nil
}
