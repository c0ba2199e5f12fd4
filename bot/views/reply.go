package views

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// The preview of a check-in written as a reply in the DM.
const (
	ActionReplySave = "okr_reply_save" // value: the preview's draft id
	ActionReplyEdit = "okr_reply_edit" // value: the preview's draft id
)

// MaxPreviewUpdates is how many key results a preview shows (one section
// each, as the check-in modal takes at most 20): the caller keeps no more
// in what Save records, so that nothing is saved unseen. Questions are
// shown up to the same number, so a preview stays within 50 blocks.
const MaxPreviewUpdates = maxCheckInKRs

const maxPreviewLines = MaxPreviewUpdates

// ReplyPreview shows what okrbot understood of a reply (rep, read against
// krs in the prompt's order): each key result's new value, confidence and
// comment, the questions it could not answer itself, and the buttons
// Save (when something was understood) and Edit in the form. draft names
// the stored understanding.
func ReplyPreview(krs []*okrs.KeyResult, rep okrs.Reply, draft string) Message {
	var blocks []slack.Block
	head := Raw(":memo: Here is what I understood. Nothing is saved until you press *Save*.")
	if rep.NoChange {
		head = Raw(":memo: No change this week: the same values and confidence as last time. Nothing is saved until you press *Save*.")
	}
	if len(rep.Updates) == 0 {
		head = Raw(":thinking_face: That looks like a check-in, but I need a little help before I can save it.")
	}
	blocks = append(blocks, section(head))
	for _, l := range updateLines(krs, rep.Updates) {
		blocks = append(blocks, section(l))
	}
	if qs := questionLines(krs, rep.Questions); len(qs) > 0 {
		for _, l := range qs {
			blocks = append(blocks, section(l))
		}
		if len(rep.Updates) > 0 {
			blocks = append(blocks, contextText(Raw("*Save* records only the key results listed above. Reply again with the rest, or fix everything in the form.")))
		} else {
			blocks = append(blocks, contextText(Raw("Reply again with the key result's name, like “signups 1,340 on track”, or use the form.")))
		}
	}
	var buttons []slack.BlockElement
	if len(rep.Updates) > 0 {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionReplySave, draft, plain("Save")).WithStyle(slack.StylePrimary))
	}
	buttons = append(buttons, slack.NewButtonBlockElement(ActionReplyEdit, draft, plain("Edit in the form")))
	blocks = append(blocks, slack.NewActionBlock("reply_actions", buttons...))
	n := len(rep.Updates)
	text := Sprintf("Check-in preview: %d key result%s understood, %d question%s.", n, Plural(n), len(rep.Questions), Plural(len(rep.Questions)))
	return Message{Text: text, Blocks: blocks}
}

// updateLines writes one line per understood key result.
func updateLines(krs []*okrs.KeyResult, us []okrs.ReplyUpdate) []Mrkdwn {
	var lines []Mrkdwn
	for i, u := range us {
		if i == maxPreviewLines {
			lines = append(lines, Sprintf("…and %d more.", len(us)-i))
			break
		}
		kr := krs[u.KeyResult]
		var value Mrkdwn
		switch {
		case u.ValueSaid && u.Value != kr.Current:
			value = Sprintf("%s (was %s)", kr.Format(u.Value), kr.Format(kr.Current))
		case u.ValueSaid:
			value = Sprintf("%s (the same)", kr.Format(u.Value))
		default:
			value = Sprintf("%s (no change)", kr.Format(u.Value))
		}
		conf := ConfidenceLabel(okrs.Confidence{Level: u.Level})
		if !u.LevelSaid {
			conf += " (as last time)"
		}
		line := Sprintf("• *%s* → %s · %s", shorten(kr.Title, 100), value, conf)
		if u.Comment != "" {
			line = line.Append(Sprintf(" · “%s”", shorten(u.Comment, 200)))
		}
		lines = append(lines, line)
	}
	return lines
}

// questionLines writes what okrbot asks about the parts it could not
// place.
func questionLines(krs []*okrs.KeyResult, qs []okrs.ReplyQuestion) []Mrkdwn {
	var lines []Mrkdwn
	for i, q := range qs {
		if i == maxPreviewLines {
			lines = append(lines, Sprintf("…and %d more questions.", len(qs)-i))
			break
		}
		part := shorten(q.Part, 80)
		var titles []Mrkdwn
		for _, k := range q.KeyResults {
			titles = append(titles, Sprintf("%s", shorten(krs[k].Title, 60)))
		}
		var line Mrkdwn
		switch q.Kind {
		case okrs.AskWhich:
			line = Sprintf("I could not tell which key result “%s” is for: %s?", part, orWords(titles))
		case okrs.AskTwice:
			line = Sprintf("You gave *%s* twice (“%s”): which one is it?", Join(titles, ", "), part)
		case okrs.AskValue:
			line = Sprintf("*%s* (“%s”): %s", Join(titles, ", "), part, q.Problem)
		case okrs.AskConfidence:
			line = Sprintf("How confident are you about *%s*: on track, at risk or off track?", Join(titles, ", "))
		case okrs.AskNoCheckIn:
			line = Sprintf("*%s* has no check-in yet to repeat: what is its value?", Join(titles, ", "))
		default:
			line = Sprintf("I could not place “%s”: %s", part, q.Problem)
		}
		lines = append(lines, Sprintf(":question: %s", line))
	}
	return lines
}

// orWords joins "a, b or c".
func orWords(ws []Mrkdwn) Mrkdwn {
	switch len(ws) {
	case 0:
		return Mrkdwn{}
	case 1:
		return ws[0]
	}
	return Join(ws[:len(ws)-1], ", ").Append(Raw(" or "), ws[len(ws)-1])
}

// ReplySaved is what a preview becomes once saved: the check-ins recorded.
func ReplySaved(krs []*okrs.KeyResult, saved []okrs.CheckIn, at time.Time) Message {
	by := map[string]*okrs.KeyResult{}
	for _, kr := range krs {
		by[kr.ID] = kr
	}
	var lines []Mrkdwn
	for i, c := range saved {
		if i == maxPreviewLines {
			lines = append(lines, Sprintf("…and %d more.", len(saved)-i))
			break
		}
		kr := by[c.KeyResultID]
		if kr == nil {
			continue
		}
		line := Sprintf("• %s — %s · %s", shorten(kr.Title, 100), kr.Format(c.Value), ConfidenceLabel(c.Confidence))
		if c.Comment != "" {
			line = line.Append(Sprintf(" · “%s”", shorten(c.Comment, 200)))
		}
		lines = append(lines, line)
	}
	n := len(saved)
	blocks := []slack.Block{section(Sprintf(":white_check_mark: *Saved ✓* — checked in on %d key result%s. Thank you! (%s)", n, Plural(n), at.UTC().Format("Mon Jan 2, 15:04 UTC")))}
	if len(lines) > 0 {
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	return Message{Text: Sprintf("Saved ✓ Checked in on %d key result%s.", n, Plural(n)), Blocks: blocks}
}

// ReplyNotSaved is what a preview becomes when it can no longer be saved:
// why, and what to do instead.
func ReplyNotSaved(why Mrkdwn) Message {
	t := Sprintf(":hourglass: Not saved: %s Reply again with your numbers, or use `/okr checkin`.", why)
	return Message{Text: t, Blocks: []slack.Block{section(t)}}
}
