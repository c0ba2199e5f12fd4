package views

import (
	"fmt"
	"math"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// change writes a weekly change in progress: "↑ 12 pts", "↓ 3 pts", "no change".
func change(delta float64) string {
	pts := math.Round(delta * 100)
	switch {
	case pts > 0:
		return fmt.Sprintf("↑ %.0f pts", pts)
	case pts < 0:
		return fmt.Sprintf("↓ %.0f pts", -pts)
	}
	return "no change"
}

// packSections puts lines into as few sections as fit Slack's 3,000
// characters each.
func packSections(lines []Mrkdwn) []slack.Block {
	var blocks []slack.Block
	var cur []Mrkdwn
	size := 0
	for _, l := range lines {
		l = l.shorten(MaxSectionText)
		n := len([]rune(l.s))
		if size+n+1 > MaxSectionText && len(cur) > 0 {
			blocks = append(blocks, section(Join(cur, "\n")))
			cur, size = nil, 0
		}
		cur = append(cur, l)
		size += n + 1
	}
	if len(cur) > 0 {
		blocks = append(blocks, section(Join(cur, "\n")))
	}
	return blocks
}

// Digest is the weekly digest. Owners of missing check-ins are counted,
// never @-mentioned: people dislike being called out.
func Digest(d okrs.Digest) Message {
	title := fmt.Sprintf("Weekly OKR digest · week of %s", d.Period.Start.Format("Jan 2"))
	if len(d.Objectives) == 0 {
		text := Sprintf(":seedling: A new cycle (%s) has started and %s has no objectives yet. Pick the few that matter most (no more than 5), each with 3–5 measurable key results: `/okr new`.",
			d.Cycle.Name, Channel(d.Team))
		return Message{Text: text, Blocks: []slack.Block{header(title), section(text)}}
	}
	if d.Empty() {
		text := Sprintf(":sunrise: A quiet week for %s: no check-ins yet. A two-minute update keeps everyone's picture true, and small corrections now beat big surprises in %s: `/okr checkin`.",
			Channel(d.Team), d.Cycle.End.Format("January"))
		blocks := []slack.Block{header(title), section(text)}
		if len(d.Corrections) > 0 { // a change of plan is news even in a quiet week
			blocks = append(blocks, packSections(correctionLines(d.Corrections))...)
		}
		return Message{Text: text, Blocks: blocks}
	}
	var overall float64
	for _, o := range d.Objectives {
		overall += o.Progress
	}
	overall /= float64(len(d.Objectives))
	expected := d.Cycle.Elapsed(d.Now)
	summary := Sprintf("%s · %s · %s of the cycle gone · overall *%s* · %s · %d of %d people checked in this week",
		Channel(d.Team), d.Cycle.Name, okrs.FormatPercent(expected), okrs.FormatPercent(overall),
		paceLabel(okrs.PaceOf(overall, expected)), d.CheckedIn, d.Owners)
	if d.Away > 0 { // away is not "did not check in"
		summary = summary.Append(Sprintf(" · %d away", d.Away))
	}
	blocks := []slack.Block{header(title), contextText(summary)}
	if line, ok := HealthLine(d); ok {
		blocks = append(blocks, contextText(line))
	}
	if d.Late {
		blocks = append(blocks, contextText(Raw(":hourglass: This digest comes late: I was offline when it was due.")))
	}
	lines := []Mrkdwn{Raw("*Objectives*")}
	for _, o := range d.Objectives {
		lines = append(lines, Sprintf("• *%s* `%s` %s (%s) · %s", shorten(o.Objective.Title, 100), progressBar(o.Progress),
			okrs.FormatPercent(o.Progress), change(o.Change()), paceLabel(o.Pace)))
	}
	blocks = append(blocks, packSections(lines)...)
	if len(d.AtRisk)+len(d.Flat) > 0 {
		lines = []Mrkdwn{Raw("*Needs attention*")}
		for i, k := range d.AtRisk {
			if i == 10 {
				lines = append(lines, Sprintf("…and %d more.", len(d.AtRisk)-10))
				break
			}
			lines = append(lines, Sprintf("• %s — %s (%s) · %s · %s", ConfidenceLabel(k.Confidence), k.KeyResult.Title,
				shorten(k.Objective, 60), valueText(&k.KeyResult), Mention(k.KeyResult.Owner)))
		}
		// On track but flat: one gentle question each, not an alarm.
		for i, k := range d.Flat {
			if i == 5 {
				lines = append(lines, Sprintf("…and %d more on track but not moving.", len(d.Flat)-5))
				break
			}
			lines = append(lines, Sprintf("• :thinking_face: %s · %s", okrs.FlatQuestion(&k.KeyResult, d.Now), Mention(k.KeyResult.Owner)))
		}
		blocks = append(blocks, packSections(lines)...)
	}
	if len(d.Missing) > 0 {
		var titles []Mrkdwn
		for i, k := range d.Missing {
			if i == 8 {
				titles = append(titles, Sprintf("and %d more", len(d.Missing)-8))
				break
			}
			titles = append(titles, Escape(shorten(k.KeyResult.Title, 60)))
		}
		blocks = append(blocks, section(Sprintf("*No check-in this week* (%d key result%s): %s", len(d.Missing), Plural(len(d.Missing)), Join(titles, ", "))))
	}
	if len(d.Corrections) > 0 {
		blocks = append(blocks, packSections(correctionLines(d.Corrections))...)
	}
	quotes := func(head Mrkdwn, cs []okrs.Comment) {
		lines := []Mrkdwn{head}
		for _, c := range cs {
			lines = append(lines, Sprintf("> “%s” — %s on _%s_", shorten(c.Text, 280), Mention(c.Author), c.KeyResult))
		}
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	if len(d.Highlights) > 0 {
		quotes(Raw("*Highlights*"), d.Highlights)
	}
	if len(d.Blockers) > 0 {
		quotes(Raw("*Blockers*"), d.Blockers)
	}
	blocks = append(blocks, contextText(Raw(":bulb: Charts are in the thread. Behind pace? Change the plan, not the target: that is what the weekly check-in is for.")))
	if len(blocks) > MaxMessageBlocks {
		blocks = blocks[:MaxMessageBlocks]
	}
	text := Sprintf("Weekly OKR digest for %s: overall %s, %d of %d people checked in.", Channel(d.Team), okrs.FormatPercent(overall), d.CheckedIn, d.Owners)
	if d.Away > 0 {
		text = Sprintf("Weekly OKR digest for %s: overall %s, %d of %d people checked in, %d away.", Channel(d.Team), okrs.FormatPercent(overall), d.CheckedIn, d.Owners, d.Away)
	}
	return Message{Text: text, Blocks: blocks}
}

// maxDigestCorrections is how many key results' course corrections a
// digest lists; the rest are counted.
const maxDigestCorrections = 8

// correctionLines is the digest's "Course corrections" section: for each
// key result, its changes of the week, a save per line (the changes of one
// save share its moment and reason).
func correctionLines(cs []okrs.DigestCorrection) []Mrkdwn {
	lines := []Mrkdwn{Raw("*Course corrections*")}
	for i, c := range cs {
		if i == maxDigestCorrections {
			lines = append(lines, Sprintf("…and %d more key result%s changed.", len(cs)-i, Plural(len(cs)-i)))
			break
		}
		kr := c.KeyResult
		for _, save := range bySave(c.Changes) {
			lines = append(lines, Sprintf("• %s (%s): %s · %s", shorten(kr.Title, 80), shorten(c.Objective, 60),
				ChangeLine(&kr, save, okrs.MaxChangeReason), Mention(save[len(save)-1].By)))
		}
	}
	return lines
}

// bySave groups changes, oldest first, into those made together.
func bySave(hs []okrs.TargetChange) [][]okrs.TargetChange {
	var out [][]okrs.TargetChange
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j].At.Equal(hs[i].At) && hs[j].By == hs[i].By {
			j++
		}
		out = append(out, hs[i:j])
		i = j
	}
	return out
}

// DigestPreview is the digest as "/okr digest preview" shows it, only to
// the caller.
func DigestPreview(d okrs.Digest) Message {
	m := Digest(d)
	m.Blocks = append([]slack.Block{contextText(Raw(":eyes: Preview, only for you. `/okr digest` posts it for everyone, with its charts."))}, m.Blocks...)
	return m
}
