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
	"github.com/okrbot/okrbot/reminders"
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

// myKeyResults returns the person's open key results of the current cycle,
// those of team first, then by objective.
func (b *Bot) myKeyResults(ctx context.Context, r *request, team string) ([]okrs.Objective, []*okrs.KeyResult, error) {
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, r.user)
	if err != nil {
		return nil, nil, err
	}
	c := b.personCycle(ctx, r.user)
	objs = currentOnly(objs, c)
	slices.SortStableFunc(objs, func(a, b okrs.Objective) int {
		switch {
		case a.Team == team && b.Team != team:
			return -1
		case b.Team == team && a.Team != team:
			return 1
		}
		return 0
	})
	var krs []*okrs.KeyResult
	for oi := range objs {
		for ki := range objs[oi].KeyResults {
			kr := &objs[oi].KeyResults[ki]
			if kr.Owner == r.user && !kr.Archived {
				krs = append(krs, kr)
			}
		}
	}
	return objs, krs, nil
}

// personCycle is the current quarter in the person's timezone.
func (b *Bot) personCycle(ctx context.Context, user string) okrs.Cycle {
	now := b.now()
	if u, err := b.users.get(ctx, user); err == nil && u.TZ != "" {
		if loc, err := time.LoadLocation(u.TZ); err == nil {
			now = now.In(loc)
		}
	}
	return okrs.QuarterOf(now)
}

// openCheckIn opens the check-in modal for all of the person's key results.
func (b *Bot) openCheckIn(ctx context.Context, r *request, team string) {
	objs, krs, err := b.myKeyResults(ctx, r, team)
	if err != nil {
		b.fail(ctx, r, "check-in: loading key results", err)
		return
	}
	if len(krs) == 0 {
		b.say(ctx, r, "You don't own any open key results this cycle, so there is nothing to check in on.")
		return
	}
	view := checkInModal(objs, krs, checkinMeta{Team: team, Channel: r.channel, Response: r.responseURL})
	if _, err := b.api.OpenViewContext(ctx, r.triggerID, view); err != nil {
		b.fail(ctx, r, "check-in: opening the modal", b.slackErr("views.open", err))
	}
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
	b.saveCheckIns(ctx, reply, m.Team, entries, false)
}

// saveCheckIns records the entries for the person, after checking each key
// result is theirs, then marks their prompts done, refreshes App Home and
// shares the check-ins with the team if it wants that.
func (b *Bot) saveCheckIns(ctx context.Context, r *request, promptTeam string, entries []checkInEntry, noChange bool) {
	objs, krs, err := b.myKeyResults(ctx, r, promptTeam)
	if err != nil {
		b.failCheckIn(ctx, r, entries, err)
		return
	}
	mine := map[string]*okrs.KeyResult{}
	for _, kr := range krs {
		mine[kr.ID] = kr
	}
	now := b.now()
	var cis []okrs.CheckIn
	for _, en := range entries {
		kr := mine[en.id]
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
	for _, kr := range krs {
		if o := objectiveOf(objs, kr); o != nil {
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
		if all && b.markPromptDone(ctx, r, team, teamKRs, cis, noChange) && team == promptTeam {
			updatedPrompt = true
		}
		if len(mineHere) > 0 {
			b.shareCheckIns(ctx, r, team, mineHere, mine)
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
func (b *Bot) markPromptDone(ctx context.Context, r *request, team string, krs []*okrs.KeyResult, cis []okrs.CheckIn, noChange bool) bool {
	v, err := b.store.Get(ctx, r.workspace, reminders.LastPromptKey(team, r.user))
	parts := strings.Split(v, "|")
	if err != nil || len(parts) != 3 {
		return false
	}
	byKR := map[string]okrs.CheckIn{}
	for _, c := range cis {
		byKR[c.KeyResultID] = c
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
	_, _, _, err = b.api.UpdateMessageContext(ctx, parts[1], parts[2], slack.MsgOptionText("Checked in ✓", false), slack.MsgOptionBlocks(blocks...))
	if err != nil {
		b.logError("check-in: updating the prompt", r, b.slackErr("chat.update", err))
		return false
	}
	return true
}

// onCheckInSame records "no change" for the person's key results in the
// prompt's team: same value, same confidence. Without an earlier check-in to
// repeat, it opens the modal instead.
func (b *Bot) onCheckInSame(ctx context.Context, r *request, value string) {
	team := promptTeam(value)
	objs, krs, err := b.myKeyResults(ctx, r, team)
	if err != nil {
		b.fail(ctx, r, "check-in: loading key results", err)
		return
	}
	var entries []checkInEntry
	for _, kr := range krs {
		if o := objectiveOf(objs, kr); o == nil || o.Team != team {
			continue
		}
		if kr.Confidence.Level == "" {
			b.openCheckIn(ctx, r, team) // nothing to repeat yet
			return
		}
		entries = append(entries, checkInEntry{id: kr.ID, value: kr.Current, level: kr.Confidence.Level})
	}
	if len(entries) == 0 {
		b.say(ctx, r, "You have no open key results in that team any more.")
		return
	}
	r.responseURL = "" // the prompt itself is updated
	b.saveCheckIns(ctx, r, team, entries, true)
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
func (b *Bot) shareCheckIns(ctx context.Context, r *request, team string, cis []okrs.CheckIn, krs map[string]*okrs.KeyResult) {
	st, err := b.settings(ctx, r.workspace, team)
	if err != nil || !st.PostCheckIns {
		return
	}
	period := reminders.PlanAt(st, st.Location(), b.now()).Period
	thread, err := b.weeklyThread(ctx, r.workspace, team, period)
	if err != nil {
		b.logError("check-in: weekly thread", r, err)
		return
	}
	var lines []string
	for _, c := range cis {
		kr := krs[c.KeyResultID]
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

// weeklyThread returns the ts of the team's thread for a period, posting it
// once (across replicas) the first time.
func (b *Bot) weeklyThread(ctx context.Context, workspace, team string, p reminders.Period) (string, error) {
	key := "thread:" + team + ":" + p.Key
	token := "claim:" + randomToken()
	for range 30 {
		v, err := b.store.Get(ctx, workspace, key)
		if err != nil {
			return "", err
		}
		if v != "" && !strings.HasPrefix(v, "claim:") {
			return v, nil
		}
		if v == "" {
			ok, err := b.store.Claim(ctx, workspace, key, token, time.Minute)
			if err != nil {
				return "", err
			}
			if ok {
				text := fmt.Sprintf(":spiral_calendar_pad: Check-ins for the week of %s", p.Start.Format("January 2"))
				_, ts, err := b.api.PostMessageContext(ctx, team, slack.MsgOptionText(text, false))
				if err != nil {
					b.store.Release(ctx, workspace, key, token)
					return "", b.slackErr("chat.postMessage", err)
				}
				b.store.Settle(ctx, workspace, key, token, ts, 40*24*time.Hour)
				return ts, nil
			}
		}
		time.Sleep(100 * time.Millisecond) // another replica is posting it
	}
	return "", fmt.Errorf("weekly thread for %s: still being posted elsewhere", team)
}
