package views

import (
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Away and snooze: "/okr away" (a date picker), "/okr back", and the
// prompt's "Remind me later".

const (
	CallbackAway = "okr_away"
	ActionSnooze = "okr_snooze"
)

// AwayModal asks until when the person is away: the day they are back.
func AwayModal(today time.Time, m FormMeta) slack.ModalViewRequest {
	picker := slack.NewDatePickerBlockElement(actionValue)
	picker.InitialDate = today.AddDate(0, 0, 7).Format(time.DateOnly)
	in := slack.NewInputBlock("until", plain("I'm back on"), plain("No prompts or nudges until then; one catch-up prompt on your first working day back."), picker)
	blocks := []slack.Block{
		section(Raw(":palm_tree: Going away? I'll hold your check-in prompts and nudges, and the digest counts you as away, not as missing.")),
		in,
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackAway, PrivateMetadata: m.Encode(),
		Title: plain("Away"), Submit: plain("Save"), Close: plain("Cancel"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// ReadAway reads the away modal's date, as typed ("2026-12-28").
func ReadAway(state *slack.ViewState) string { return stateValue(state, "until") }

// AwaySaved is the answer to /okr away.
func AwaySaved(until time.Time) Mrkdwn {
	return Sprintf(":palm_tree: Enjoy! No prompts or nudges until %s; I'll send one catch-up prompt on your first working day back. Back early? `/okr back`.",
		until.Format("Mon Jan 2"))
}

// Back is the answer to /okr back: was says whether they had said they were away.
func Back(was bool, status bool) Mrkdwn {
	switch {
	case was && status:
		return Raw(":wave: Welcome back! Your Slack status still says you are away, so prompts wait until you change it.")
	case was:
		return Raw(":wave: Welcome back! Prompts and nudges are on again; a held prompt comes on your next working day.")
	case status:
		return Raw("You had not said you were away; your Slack status does, so prompts wait until you change it.")
	}
	return Raw("You had not said you were away: prompts and nudges are on.")
}

// snoozeOptions are the prompt's "Remind me later" choices.
var snoozeOptions = []struct {
	o    okrs.SnoozeOption
	text string
}{
	{okrs.SnoozeTwoHours, "In 2 hours"},
	{okrs.SnoozeTomorrow, "Tomorrow morning"},
	{okrs.SnoozeMonday, "Monday morning"},
}

// snoozeSelect is the prompt's "Remind me later" menu; each option's value
// is "snooze|<team>|<period>|<option>".
func snoozeSelect(p okrs.Prompt) slack.BlockElement {
	opts := make([]*slack.OptionBlockObject, len(snoozeOptions))
	for i, s := range snoozeOptions {
		opts[i] = option("snooze|"+p.Team+"|"+p.Period.Key+"|"+string(s.o), s.text)
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Remind me later"), ActionSnooze, opts...)
}

// ParseSnooze reads a "Remind me later" option's value.
func ParseSnooze(value string) (team, period string, o okrs.SnoozeOption, ok bool) {
	parts := strings.Split(value, "|")
	if len(parts) != 4 || parts[0] != "snooze" || !IsChannelID(parts[1]) {
		return "", "", "", false
	}
	if _, err := time.Parse(time.DateOnly, parts[2]); err != nil {
		return "", "", "", false
	}
	return parts[1], parts[2], okrs.SnoozeOption(parts[3]), true
}

// PromptSnoozed is what a prompt becomes once snoozed until then (in the
// person's timezone).
func PromptSnoozed(team string, until time.Time) Message {
	text := Sprintf(":zzz: Snoozed until %s — I'll ask again then.", until.Format("Mon 15:04"))
	return Message{Text: text, Blocks: []slack.Block{section(text), contextText(Sprintf("%s · `/okr checkin` any time before", Channel(team)))}}
}
