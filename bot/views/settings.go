package views

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// CallbackSettings is the team settings modal.
const CallbackSettings = "okr_settings"

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

// SettingsModal shows a team's settings, for its managers.
func SettingsModal(team string, st okrs.Settings, m FormMeta) slack.ModalViewRequest {
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
		section(Sprintf("Check-in schedule of %s. Owners get a short DM; it takes them less than 30 seconds.", Channel(team))),
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
		slack.NewInputBlock("managers", plain("Managers (may change these settings and send reminders)"),
			plain("Members of this workspace: not guests, nor people from other organisations."), managers),
	}
	postIn := slack.NewInputBlock("post", plain("Check-ins in the channel"), nil, post)
	postIn.Optional = true
	blocks = append(blocks, postIn, krPolicyInput(st), holidaysInput(st))
	meta, _ := json.Marshal(m)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackSettings, PrivateMetadata: string(meta),
		Title: plain("Team settings"), Submit: plain("Save"), Close: plain("Cancel"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// holidaysInput lists the team's holidays: no prompts or nudges on them.
func holidaysInput(st okrs.Settings) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(plain("2026-12-24, 2026-12-28..2027-01-01"), actionValue)
	el.Multiline, el.MaxLength = true, 1000
	if v := okrs.FormatHolidays(st.Holidays); len(v) <= el.MaxLength {
		el.InitialValue = v
	}
	in := slack.NewInputBlock("holidays", plain("Team holidays (team timezone)"),
		plain("Dates or ranges, separated by commas: no prompts or nudges on them, one catch-up prompt the next working day."), el)
	in.Optional = true
	return in
}

// krPolicyInput asks how the team's key results come in: proposed and
// accepted by each objective's owner, or added directly by anyone in it.
func krPolicyInput(st okrs.Settings) *slack.InputBlock {
	el := slack.NewRadioButtonsBlockElement(actionValue,
		option("propose", "Proposed by the team, accepted by the objective's owner"),
		option("direct", "Anyone in the team may add them directly"))
	el.InitialOption = el.Options[0]
	if st.DirectKeyResults {
		el.InitialOption = el.Options[1]
	}
	return slack.NewInputBlock("kr_policy", plain("Key results"), plain("Objective owners, creators and admins add key results directly either way."), el)
}

// ReadSettings reads the settings modal onto base.
func ReadSettings(state *slack.ViewState, base okrs.Settings) (okrs.Settings, FormErrors) {
	fe := FormErrors{}
	st := base
	st.Cadence = okrs.Cadence(stateValue(state, "cadence"))
	day := func(block string) time.Weekday {
		var d int
		if _, err := fmt.Sscan(stateValue(state, block), &d); err != nil || d < 0 || d > 6 {
			fe.Add(block, "Choose a day of the week.")
		}
		return time.Weekday(d)
	}
	tod := func(block string) okrs.TimeOfDay {
		a, _ := stateAction(state, block)
		t, err := okrs.ParseTimeOfDay(a.SelectedTime)
		if err != nil {
			fe.Add(block, "Choose a time.")
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
			fe.Add("nudge", "Choose when to nudge.")
		}
		st.NudgeAfter = d
	}
	st.DigestChannel = stateValue(state, "digest_channel")
	if a, ok := stateAction(state, "managers"); ok {
		st.Managers = a.SelectedUsers
	}
	st.PostCheckIns = stateValue(state, "post") == "post"
	st.DirectKeyResults = stateValue(state, "kr_policy") == "direct"
	if hs, err := okrs.ParseHolidays(stateText(state, "holidays")); err != nil {
		for _, e := range okrs.FieldErrors(err) {
			fe.Add(e.Field, e.Message)
		}
	} else {
		st.Holidays = hs
	}
	if len(st.Managers) == 0 {
		fe.Add("managers", "Name at least one manager, so that someone can change these settings.")
	}
	for _, e := range okrs.FieldErrors(st.Validate()) {
		fe.Add(e.Field, e.Message)
	}
	return st, fe
}

// DescribeSettings says a team's schedule in a sentence.
func DescribeSettings(st okrs.Settings, team string) Mrkdwn {
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
	krs := Raw("The team proposes key results; each objective's owner accepts them.")
	if st.DirectKeyResults {
		krs = Raw("Anyone in the team may add key results directly.")
	}
	return Sprintf("Check-in prompts go out %s at %s %s, with %s. The digest goes to %s on %ss at %s (%s). %s",
		every, st.PromptTime, whose, nudge, Channel(digest), st.DigestDay, st.DigestTime, st.Timezone, krs)
}
