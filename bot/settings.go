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

const callbackSettings = "okr_settings"

// Scheduler is what the Slack side asks of the scheduler (package
// reminders implements it): a manager's "/okr remind" and "/okr digest".
type Scheduler interface {
	// RemindNow sends a team's prompts now; started hears, before the
	// first is sent, how many will go out and how long that should take.
	RemindNow(ctx context.Context, workspace, team string, started func(sending int, eta time.Duration)) (okrs.SendReport, error)
	// Digest composes this week's digest of a team (for a preview).
	Digest(ctx context.Context, workspace, team string) (okrs.Digest, error)
	// PostDigestNow posts this week's digest unless it went out already
	// (or is going out on another replica): it reports whether this call
	// posted it, and otherwise where the week's digest stands.
	PostDigestNow(ctx context.Context, workspace, team string) (okrs.Delivery, bool, error)
}

// SetScheduler connects "/okr remind" and "/okr digest" to the scheduler.
func (b *Bot) SetScheduler(s Scheduler) { b.scheduler = s }

// isManager reports whether the requester may manage a team whose settings
// are st (okrs.Settings.MayManage), asking Slack whether they are an admin
// only when the settings alone do not say yes.
func (b *Bot) isManager(ctx context.Context, r *request, st okrs.Settings) (bool, error) {
	if st.MayManage(r.user, false) {
		return true, nil
	}
	admin, err := b.isAdmin(ctx, r.user)
	if err != nil {
		return false, err
	}
	return st.MayManage(r.user, admin), nil
}

var errNotManager = okrs.Errorf(okrs.EFORBIDDEN, "Only this team's managers or a workspace admin can do that. `/okr settings` shows who the managers are.")

// cmdSettings opens the team's settings: at once, then filled once the
// settings are loaded and the caller is known to manage the team.
func (b *Bot) cmdSettings(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, "Run `/okr settings` in the team's channel: each channel is a team with its own schedule.")
		return
	}
	b.openModal(ctx, r, "Team settings", func(ctx context.Context) (slack.ModalViewRequest, error) {
		st, err := b.settings(ctx, r.workspace, r.channel)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		ok, err := b.isManager(ctx, r, st)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if !ok {
			return slack.ModalViewRequest{}, okrs.Errorf(okrs.EFORBIDDEN, "%s Managers of %s: %s.", errNotManager.Message, channelRef(r.channel), mentions(st.Managers))
		}
		if len(st.Managers) == 0 {
			st.Managers = []string{r.user}
		}
		return settingsModal(r.channel, st, formMeta{Channel: r.channel, Response: r.responseURL}), nil
	})
}

func mentions(users []string) string {
	var out []string
	for _, u := range users {
		out = append(out, mention(u))
	}
	if len(out) == 0 {
		return "none yet"
	}
	return joinWords(out)
}

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func weekdayInput(blockID, label string, d time.Weekday) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, w := range weekdays {
		opts = append(opts, option(fmt.Sprint(int(w)), w.String()))
	}
	return staticSelect(blockID, label, "Day", opts, fmt.Sprint(int(d)), false)
}

func timeInput(blockID, label string, t okrs.TimeOfDay) *slack.InputBlock {
	el := slack.NewTimePickerBlockElement(actionValue)
	el.InitialTime = t.String()
	return slack.NewInputBlock(blockID, plain(label), nil, el)
}

// commonTimezones are offered in the settings; a team's own is added.
var commonTimezones = []string{
	"UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Toronto",
	"America/Mexico_City", "America/Bogota", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Berlin",
	"Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "Europe/Rome", "Europe/Athens", "Europe/Helsinki",
	"Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow", "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg",
	"Africa/Nairobi", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Seoul", "Asia/Tokyo",
	"Australia/Perth", "Australia/Sydney", "Pacific/Auckland", "Pacific/Honolulu",
}

func settingsModal(team string, st okrs.Settings, m formMeta) slack.ModalViewRequest {
	cadence := staticSelect("cadence", "Check-ins", "How often",
		[]*slack.OptionBlockObject{option(string(okrs.Weekly), "Every week"), option(string(okrs.Biweekly), "Every two weeks")}, string(st.Cadence), false)
	mode := slack.NewRadioButtonsBlockElement(actionValue,
		option("local", "Each owner's own morning (their Slack timezone)"), option("team", "The team's timezone, for everyone"))
	mode.InitialOption = mode.Options[1]
	if st.OwnerLocalTime {
		mode.InitialOption = mode.Options[0]
	}
	zones := slices.Clone(commonTimezones)
	if !slices.Contains(zones, st.Timezone) {
		zones = append([]string{st.Timezone}, zones...)
	}
	var tzOpts []*slack.OptionBlockObject
	for _, z := range zones {
		tzOpts = append(tzOpts, option(z, strings.ReplaceAll(z, "_", " ")))
	}
	nudges := []*slack.OptionBlockObject{option("0", "No nudges"), option("4h", "4 hours later"), option("24h", "A day later"), option("48h", "Two days later")}
	nudge := "0"
	if st.NudgeAfter > 0 {
		nudge = strings.TrimSuffix(strings.TrimSuffix(st.NudgeAfter.String(), "0s"), "0m")
	}
	managers := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeUser, plain("Choose people"), actionValue)
	managers.InitialUsers = st.Managers
	digestCh := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("The team's channel"), actionValue)
	digestCh.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	digestCh.InitialConversation = st.DigestChannel
	if digestCh.InitialConversation == "" {
		digestCh.InitialConversation = team
	}
	post := slack.NewCheckboxGroupsBlockElement(actionValue, option("post", "Share each check-in as a line in the channel's weekly thread"))
	if st.PostCheckIns {
		post.InitialOptions = post.Options
	}
	blocks := []slack.Block{
		section(fmt.Sprintf("Check-in schedule of %s. Owners get a short DM; it takes them less than 30 seconds.", channelRef(team))),
		cadence,
		weekdayInput("prompt_day", "Prompt day", st.PromptDay),
		timeInput("prompt_time", "Prompt time", st.PromptTime),
		slack.NewInputBlock("tz_mode", plain("Whose time?"), nil, mode),
		staticSelect("timezone", "Team timezone", "Timezone", tzOpts, st.Timezone, false),
		staticSelect("nudge", "Nudge people who have not checked in", "When", nudges, nudge, false),
		header("Weekly digest"),
		slack.NewInputBlock("digest_channel", plain("Post it in"), nil, digestCh),
		weekdayInput("digest_day", "Digest day", st.DigestDay),
		timeInput("digest_time", "Digest time (team timezone)", st.DigestTime),
		slack.NewInputBlock("managers", plain("Managers (may change these settings and send reminders)"), nil, managers),
	}
	postIn := slack.NewInputBlock("post", plain("Check-ins in the channel"), nil, post)
	postIn.Optional = true
	blocks = append(blocks, postIn)
	meta, _ := json.Marshal(m)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: callbackSettings, PrivateMetadata: string(meta),
		Title: plain("Team settings"), Submit: plain("Save"), Close: plain("Cancel"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// readSettings reads the settings modal onto base.
func readSettings(state *slack.ViewState, base okrs.Settings) (okrs.Settings, formErrors) {
	fe := formErrors{}
	st := base
	st.Cadence = okrs.Cadence(stateValue(state, "cadence"))
	day := func(block string) time.Weekday {
		var d int
		if _, err := fmt.Sscan(stateValue(state, block), &d); err != nil || d < 0 || d > 6 {
			fe.add(block, "Choose a day of the week.")
		}
		return time.Weekday(d)
	}
	tod := func(block string) okrs.TimeOfDay {
		a, _ := stateAction(state, block)
		t, err := okrs.ParseTimeOfDay(a.SelectedTime)
		if err != nil {
			fe.add(block, "Choose a time.")
		}
		return t
	}
	st.PromptDay, st.PromptTime = day("prompt_day"), tod("prompt_time")
	st.DigestDay, st.DigestTime = day("digest_day"), tod("digest_time")
	st.OwnerLocalTime = stateValue(state, "tz_mode") == "local"
	st.Timezone = stateValue(state, "timezone")
	switch n := stateValue(state, "nudge"); n {
	case "0", "":
		st.NudgeAfter = 0
	default:
		d, err := time.ParseDuration(n)
		if err != nil {
			fe.add("nudge", "Choose when to nudge.")
		}
		st.NudgeAfter = d
	}
	st.DigestChannel = stateValue(state, "digest_channel")
	if a, ok := stateAction(state, "managers"); ok {
		st.Managers = a.SelectedUsers
	}
	st.PostCheckIns = stateValue(state, "post") == "post"
	if len(st.Managers) == 0 {
		fe.add("managers", "Name at least one manager, so that someone can change these settings.")
	}
	for _, e := range okrs.FieldErrors(st.Validate()) {
		fe.add(e.Field, e.Message)
	}
	return st, fe
}

func (b *Bot) submitSettings(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	m := decodeMeta(cb.View.PrivateMetadata)
	st, fe := readSettings(cb.View.State, okrs.DefaultSettings(b.defaultTZ))
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	e.ack(nil)
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	team := m.Channel
	if !isChannelID(team) {
		b.say(ctx, reply, "Those settings belong to no team channel; run `/okr settings` in the team's channel.")
		return
	}
	// Whether the caller is an admin is asked once, up front; whether they
	// manage the team is judged inside the update, against the settings it
	// replaces.
	admin, err := b.isAdmin(ctx, r.user)
	if err != nil {
		b.fail(ctx, reply, "settings: checking permission", err)
		return
	}
	now := b.now()
	saved, err := b.store.UpdateSettings(ctx, r.workspace, team, func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		if !found {
			cur = okrs.DefaultSettings(b.defaultTZ)
		}
		if !cur.MayManage(r.user, admin) {
			return cur, errNotManager
		}
		next := st
		next.Anchor = cur.Anchor
		if next.Cadence == okrs.Biweekly && cur.Cadence != okrs.Biweekly {
			next.Anchor = okrs.DateOf(now.In(next.Location())) // fortnights start this week
		}
		next.UpdatedBy, next.UpdatedAt = r.user, now
		return next, nil
	})
	if err != nil {
		b.fail(ctx, reply, "settings: saving", err)
		return
	}
	b.say(ctx, reply, ":white_check_mark: Saved. %s", describeSettings(saved, team))
}

// describeSettings says a team's schedule in a sentence.
func describeSettings(st okrs.Settings, team string) string {
	every := "every " + st.PromptDay.String()
	if st.Cadence == okrs.Biweekly {
		every = "every other " + st.PromptDay.String()
	}
	whose := "in each owner's own timezone"
	if !st.OwnerLocalTime {
		whose = st.Timezone + " time"
	}
	nudge := "no nudges"
	if st.NudgeAfter > 0 {
		nudge = "a nudge " + strings.TrimSuffix(strings.TrimSuffix(st.NudgeAfter.String(), "0s"), "0m") + " later"
	}
	digest := st.DigestChannel
	if digest == "" {
		digest = team
	}
	return fmt.Sprintf("Check-in prompts go out %s at %s %s, with %s. The digest goes to %s on %ss at %s (%s).",
		every, st.PromptTime, whose, nudge, channelRef(digest), st.DigestDay, st.DigestTime, st.Timezone)
}

// cmdRemind sends this team's prompts now to everyone who has not checked
// in. A big team's reminders are paced within Slack's limits and can take
// minutes, so they are sent in the background: the caller hears at once how
// many are going out and how long it should take, then the result.
func (b *Bot) cmdRemind(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, "Run `/okr remind` in the team's channel.")
		return
	}
	if b.scheduler == nil {
		b.say(ctx, r, "Reminders are not running on this okrbot.")
		return
	}
	st, err := b.settings(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "remind: settings", err)
		return
	}
	if ok, err := b.isManager(ctx, r, st); err != nil || !ok {
		if err == nil {
			err = errNotManager
		}
		b.fail(ctx, r, "remind: checking permission", err)
		return
	}
	b.background(ctx, "remind", func(ctx context.Context) { b.remind(ctx, r) })
}

// remindTimeout bounds a "/okr remind" in the background: at the default 5
// messages a second, time for about 3,000 people.
const remindTimeout = 10 * time.Minute

// remind runs "/okr remind" and reports to the caller, twice.
func (b *Bot) remind(ctx context.Context, r *request) {
	ctx, cancel := context.WithTimeout(ctx, remindTimeout)
	defer cancel()
	rep, err := b.scheduler.RemindNow(ctx, r.workspace, r.channel, func(n int, eta time.Duration) {
		if n > 0 && eta >= 5*time.Second {
			b.say(ctx, r, ":mega: Sending %d reminder%s over about %s. I'll tell you here when they are out.", n, plural(n), roughly(eta))
		}
	})
	if err != nil {
		b.fail(ctx, r, "remind: sending", err)
		return
	}
	b.say(ctx, r, ":mega: %s.", remindSummary(rep))
}

// remindSummary says what a remind did, in a sentence.
func remindSummary(rep okrs.SendReport) string {
	parts := []string{fmt.Sprintf("Sent %d reminder%s", rep.Sent, plural(rep.Sent))}
	if rep.CheckedIn > 0 {
		parts = append(parts, fmt.Sprintf("%d already checked in", rep.CheckedIn))
	}
	if rep.Already > 0 {
		parts = append(parts, fmt.Sprintf("%d reminded within the last hour", rep.Already))
	}
	if rep.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (deactivated in Slack)", rep.Skipped))
	}
	if rep.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d could not be sent (Slack failed; they were not reminded)", rep.Failed))
	}
	return strings.Join(parts, ", ")
}

// roughly writes a duration for people: "40 seconds", "3 minutes".
func roughly(d time.Duration) string {
	if d < 90*time.Second {
		return fmt.Sprintf("%d seconds", int(d.Round(time.Second).Seconds()))
	}
	return fmt.Sprintf("%d minutes", int(d.Round(time.Minute).Minutes()))
}
