package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// callbackCheckIn is the check-in modal.
const callbackCheckIn = "okr_checkin"

// maxCheckInKRs keeps the check-in modal within Slack's 100 blocks (four a
// key result).
const maxCheckInKRs = 20

// checkinMeta travels in the check-in modal. Nothing in it is trusted: the
// key results are looked up again and must be the caller's own.
type checkinMeta struct {
	KRs      []string `json:"k"`           // key result ids by position
	Kinds    []string `json:"t"`           // their kinds, to validate before the ack
	Team     string   `json:"m,omitempty"` // the team whose prompt opened it
	Channel  string   `json:"c,omitempty"`
	Response string   `json:"r,omitempty"`
}

func ciBlock(i int, field string) string { return fmt.Sprintf("ci%d_%s", i, field) }

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
		return checkInModal(m.objs, m.krs, checkinMeta{Team: team, Channel: r.channel, Response: r.responseURL}), nil
	})
}

func checkInModal(objs []okrs.Objective, krs []*okrs.KeyResult, m checkinMeta) slack.ModalViewRequest {
	objTitle := map[string]okrs.Objective{}
	for _, o := range objs {
		objTitle[o.ID] = o
	}
	blocks := []slack.Block{contextText("Nothing changed? The values are filled in: just press *Check in*. Confidence is how sure you are to hit the target by the end of the cycle.")}
	if len(krs) > maxCheckInKRs {
		blocks = append(blocks, contextText(fmt.Sprintf("You own %d key results; here are the first %d. Run `/okr checkin` again for the rest.", len(krs), maxCheckInKRs)))
		krs = krs[:maxCheckInKRs]
	}
	m.KRs, m.Kinds = nil, nil
	for i, kr := range krs {
		o := objTitle[kr.ObjectiveID]
		m.KRs = append(m.KRs, kr.ID)
		m.Kinds = append(m.Kinds, string(kr.Kind))
		blocks = append(blocks, section(fmt.Sprintf("*%s*\n_%s_ · %s · now %s · last: %s",
			esc(kr.Title), esc(shorten(o.Title, 80)), channelRef(o.Team), valueText(kr), confidenceLabel(kr.Confidence))))
		if kr.Kind == okrs.Milestone {
			initial := "not_done"
			if kr.Current >= 1 {
				initial = "done"
			}
			blocks = append(blocks, staticSelect(ciBlock(i, "value"), "Done yet?", "Done or not",
				[]*slack.OptionBlockObject{option("not_done", "Not done yet"), option("done", "Done")}, initial, false))
		} else {
			in := textInput(ciBlock(i, "value"), "Current value", typedValue(kr, kr.Current), "e.g. "+typedValue(kr, kr.Target), 40, false, false)
			in.Hint = plain("Target: " + kr.Format(kr.Target))
			blocks = append(blocks, in)
		}
		level := kr.Confidence.Level
		if level == "" {
			level = okrs.OnTrack
		}
		var opts []*slack.OptionBlockObject
		for _, l := range okrs.Levels {
			opts = append(opts, option(string(l), l.Label()))
		}
		radio := slack.NewRadioButtonsBlockElement(actionValue, opts...)
		for _, o := range opts {
			if o.Value == string(level) {
				radio.InitialOption = o
			}
		}
		blocks = append(blocks, slack.NewInputBlock(ciBlock(i, "conf"), plain("Confidence"), nil, radio))
		blocks = append(blocks, textInput(ciBlock(i, "note"), "Comment or blockers", "", "What moved? What is in the way?", okrs.MaxComment, true, true))
	}
	meta, _ := json.Marshal(m)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackCheckIn, PrivateMetadata: string(meta),
		Title: plain("Weekly check-in"), Submit: plain("Check in"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks}}
}

// checkInEntry is one key result's answer in the modal.
type checkInEntry struct {
	id    string
	value float64
	level okrs.Level
	note  string
}

// readCheckIn reads and validates the modal; problems are keyed by block.
func readCheckIn(state *slack.ViewState, m checkinMeta) ([]checkInEntry, formErrors) {
	fe := formErrors{}
	var out []checkInEntry
	for i, id := range m.KRs {
		e := checkInEntry{id: id, note: strings.TrimSpace(stateText(state, ciBlock(i, "note")))}
		kind := okrs.Increase
		if i < len(m.Kinds) {
			kind = okrs.Kind(m.Kinds[i])
		}
		raw := stateValue(state, ciBlock(i, "value"))
		if kind == okrs.Milestone {
			switch raw {
			case "done":
				e.value = 1
			case "not_done":
				e.value = 0
			default:
				fe.add(ciBlock(i, "value"), "Choose done or not done.")
			}
		} else if q, err := okrs.ParseQuantity(raw); err != nil {
			fe.add(ciBlock(i, "value"), okrs.ErrorMessage(err))
		} else {
			e.value = q.Value
		}
		e.level = okrs.Level(stateValue(state, ciBlock(i, "conf")))
		if !e.level.Valid() {
			fe.add(ciBlock(i, "conf"), "How confident are you? Choose on track, at risk or off track.")
		}
		if len([]rune(e.note)) > okrs.MaxComment {
			fe.add(ciBlock(i, "note"), fmt.Sprintf("Keep it within %d characters.", okrs.MaxComment))
		}
		out = append(out, e)
	}
	return out, fe
}

// submitCheckIn validates in the ack, then stores every check-in at once.
func (b *Bot) submitCheckIn(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	var m checkinMeta
	json.Unmarshal([]byte(cb.View.PrivateMetadata), &m)
	entries, fe := readCheckIn(cb.View.State, m)
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
	b.saveCheckIns(ctx, reply, m.Team, mk, entries, false)
}

// saveCheckIns records the entries for the person, after checking each key
// result is theirs (m, loaded by the caller), then marks their prompts done,
// refreshes App Home and shares the check-ins with the team if it wants that.
func (b *Bot) saveCheckIns(ctx context.Context, r *request, promptTeam string, m mine, entries []checkInEntry, noChange bool) {
	now := b.now()
	var cis []okrs.CheckIn
	for _, en := range entries {
		kr := m.byID(en.id)
		if kr == nil {
			continue // not theirs (any more): never trust the form's ids
		}
		ci := okrs.CheckIn{KeyResultID: kr.ID, Author: r.user, At: now, Value: en.value,
			Confidence: okrs.Confidence{Level: en.level}, Comment: en.note}
		if err := ci.Validate(kr); err != nil {
			b.failCheckIn(ctx, r, entries, err)
			return
		}
		cis = append(cis, ci)
	}
	if len(cis) == 0 {
		b.say(ctx, r, "Those key results are no longer yours to check in on, so nothing was recorded.")
		return
	}
	if _, err := b.store.RecordCheckIns(ctx, r.workspace, cis); err != nil {
		b.failCheckIn(ctx, r, entries, err)
		return
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
	if !updatedPrompt {
		b.say(ctx, r, ":white_check_mark: Checked in on %d key result%s. Thank you!", len(cis), plural(len(cis)))
	}
}

// failCheckIn tells the person their check-in was not saved and gives them
// back what they entered.
func (b *Bot) failCheckIn(ctx context.Context, r *request, entries []checkInEntry, err error) {
	b.logError("check-in: saving", r, err)
	var sb strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&sb, "%s: %s (%s) %s\n", e.id, okrs.FormatNumber(e.value), e.level.Label(), e.note)
	}
	b.dm(ctx, r.user, message{text: fmt.Sprintf("I couldn't save your check-in: %s\nHere is what you entered, so nothing is lost:\n```%s```", friendly(err), sb.String())})
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
	var lines []string
	for _, kr := range krs {
		c := byKR[kr.ID]
		lines = append(lines, fmt.Sprintf("• %s — %s · %s", esc(kr.Title), kr.Format(c.Value), confidenceLabel(c.Confidence)))
	}
	head := fmt.Sprintf(":white_check_mark: *Checked in* — thank you! (%s)", b.now().UTC().Format("Mon Jan 2, 15:04 UTC"))
	if noChange {
		head = ":white_check_mark: *Checked in: no change this week.* Thank you!"
	}
	blocks := []slack.Block{section(head), section(strings.Join(lines, "\n")), contextText(channelRef(team) + " · see where the team stands with `/okr status`")}
	_, _, _, err = b.api.UpdateMessageContext(ctx, ref.Channel, ref.TS, slack.MsgOptionText("Checked in ✓", false), slack.MsgOptionBlocks(blocks...))
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
func (b *Bot) onCheckInSame(ctx context.Context, r *request, value string) {
	team := promptTeam(value)
	m, err := b.myKeyResults(ctx, r, team)
	if err != nil {
		b.fail(ctx, r, "check-in: loading key results", err)
		return
	}
	var entries []checkInEntry
	for _, kr := range m.krs {
		if o := objectiveOf(m.objs, kr); o == nil || o.Team != team {
			continue
		}
		if kr.Confidence.Level == "" {
			b.say(ctx, r, "“%s” has no check-in yet to repeat. Press *Check in* to give this week's values.", esc(kr.Title))
			return
		}
		entries = append(entries, checkInEntry{id: kr.ID, value: kr.Current, level: kr.Confidence.Level})
	}
	if len(entries) == 0 {
		b.say(ctx, r, "You have no open key results in that team any more.")
		return
	}
	r.responseURL = "" // the prompt itself is updated
	b.saveCheckIns(ctx, r, team, m, entries, true)
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
	var lines []string
	for _, c := range cis {
		kr := m.byID(c.KeyResultID)
		line := fmt.Sprintf("• %s: *%s* (%s)", esc(kr.Title), kr.Format(c.Value), confidenceLabel(c.Confidence))
		if c.Comment != "" {
			line += " — " + esc(shorten(c.Comment, 300))
		}
		lines = append(lines, line)
	}
	text := fmt.Sprintf("%s checked in:\n%s", mention(r.user), strings.Join(lines, "\n"))
	if _, _, err := b.api.PostMessageContext(ctx, team, slack.MsgOptionText(text, false), slack.MsgOptionTS(thread)); err != nil {
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
	text := fmt.Sprintf(":spiral_calendar_pad: Check-ins for the week of %s", p.Start.Format("January 2"))
	_, ts, err := b.api.PostMessageContext(ctx, team, slack.MsgOptionText(text, false))
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
