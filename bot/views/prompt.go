package views

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// ActionCheckInSame is the prompt's "No change this week" button.
const ActionCheckInSame = "okr_checkin_same"

// Prompt is the DM for a prompt, nudge or reminder.
func Prompt(p okrs.Prompt, now time.Time) Message {
	var intro Mrkdwn
	switch p.Kind {
	case okrs.KindNudge:
		intro = Raw("Friendly nudge: your check-in for this week is still open. It takes less than 30 seconds.")
	case okrs.KindRemind:
		intro = Raw("Your team asked for this week's check-in. It takes less than 30 seconds.")
	case okrs.KindLast:
		intro = Sprintf("%s ends in a week (%s): time for a last check-in, so that the grades start from where your key results really stand.",
			p.Cycle.Name, p.Cycle.End.Format("Jan 2"))
	default:
		intro = Raw("Time for your weekly check-in: where do your key results stand? It takes less than 30 seconds.")
	}
	switch {
	case p.CatchUp:
		intro = Raw("Welcome back! Here is this week's check-in, held while you were away. It takes less than 30 seconds.")
	case p.Snoozed:
		intro = Raw("As you asked: time for your check-in. It takes less than 30 seconds.")
	case p.Late:
		intro = intro.Append(Raw(" _(Sorry this comes late: I was offline when it was due.)_"))
	}
	blocks := []slack.Block{section(Sprintf(":wave: %s", intro))}
	n := 0
	var lines []Mrkdwn
	for oi := range p.Objectives {
		o := &p.Objectives[oi]
		lines = append(lines, Sprintf("*%s*", shorten(o.Title, 120)))
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			n++
			lines = append(lines, Sprintf("• %s — %s · %s · last: %s", kr.Title, valueText(kr),
				okrs.FormatPercent(kr.Achievement()), ConfidenceLabel(kr.Confidence)))
		}
	}
	if len(lines) > 0 { // Slack refuses an empty section
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	// One gentle question for each key result that is on track but flat.
	var questions []Mrkdwn
	for oi := range p.Objectives {
		for ki := range p.Objectives[oi].KeyResults {
			if kr := &p.Objectives[oi].KeyResults[ki]; kr.FlatButOnTrack(p.Cycle, now) {
				questions = append(questions, Sprintf(":thinking_face: %s", okrs.FlatQuestion(kr, now)))
			}
		}
	}
	if len(questions) > 0 {
		blocks = append(blocks, contextText(Join(questions, "\n")))
	}
	value := "prompt|" + p.Team + "|" + p.Period.Key
	buttons := []slack.BlockElement{slack.NewButtonBlockElement(ActionCheckIn, value, plain("Check in")).WithStyle(slack.StylePrimary)}
	if everyCheckedIn(p.Objectives) { // "no change" repeats the last check-in: there must be one
		buttons = append(buttons, slack.NewButtonBlockElement(ActionCheckInSame, value, plain("No change this week")))
	}
	if p.Kind == okrs.KindPrompt || p.Kind == okrs.KindNudge || p.Kind == okrs.KindRemind {
		buttons = append(buttons, snoozeSelect(p))
	}
	blocks = append(blocks, slack.NewActionBlock("prompt_actions", buttons...))
	blocks = append(blocks, contextText(Sprintf("%s · week of %s · %d key result%s", Channel(p.Team),
		p.Period.Start.Format("Jan 2"), n, Plural(n))))
	text := Sprintf("Time for your weekly check-in on %d key result%s.", n, Plural(n))
	switch p.Kind {
	case okrs.KindNudge:
		text = Raw("Reminder: your weekly check-in is still open.")
	case okrs.KindLast:
		text = Sprintf("%s ends in a week: time for a last check-in.", p.Cycle.Name)
	}
	return Message{Text: text, Blocks: blocks}
}

// everyCheckedIn reports whether every key result of objs has had a
// check-in.
func everyCheckedIn(objs []okrs.Objective) bool {
	for _, o := range objs {
		for _, kr := range o.KeyResults {
			if kr.Confidence.Level == "" {
				return false
			}
		}
	}
	return true
}

// PromptCheckedIn is what a prompt becomes once the person checked in on
// krs of team (their check-ins in byKR, made at at): "Checked in ✓", or
// "no change this week".
func PromptCheckedIn(team string, krs []*okrs.KeyResult, byKR map[string]okrs.CheckIn, at time.Time, noChange bool) Message {
	var lines []Mrkdwn
	for _, kr := range krs {
		c := byKR[kr.ID]
		lines = append(lines, Sprintf("• %s — %s · %s", kr.Title, kr.Format(c.Value), ConfidenceLabel(c.Confidence)))
	}
	head := Sprintf(":white_check_mark: *Checked in* — thank you! (%s)", at.UTC().Format("Mon Jan 2, 15:04 UTC"))
	if noChange {
		head = Raw(":white_check_mark: *Checked in: no change this week.* Thank you!")
	}
	blocks := []slack.Block{section(head)}
	if len(lines) > 0 { // Slack refuses an empty section
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	blocks = append(blocks, contextText(Sprintf("%s · see where the team stands with `/okr status`", Channel(team))))
	return Message{Text: Raw("Checked in ✓"), Blocks: blocks}
}

// SharedCheckIn is one check-in to share in a team's weekly thread.
type SharedCheckIn struct {
	KeyResult *okrs.KeyResult
	CheckIn   okrs.CheckIn
}

// SharedCheckIns is the team thread's line for a person's check-ins.
func SharedCheckIns(user string, cis []SharedCheckIn) Mrkdwn {
	var lines []Mrkdwn
	for _, s := range cis {
		line := Sprintf("• %s: *%s* (%s)", s.KeyResult.Title, s.KeyResult.Format(s.CheckIn.Value), ConfidenceLabel(s.CheckIn.Confidence))
		if s.CheckIn.Comment != "" {
			line = line.Append(Sprintf(" — %s", shorten(s.CheckIn.Comment, 300)))
		}
		lines = append(lines, line)
	}
	return Sprintf("%s checked in:\n%s", Mention(user), Join(lines, "\n")).shorten(MaxMessageText)
}
