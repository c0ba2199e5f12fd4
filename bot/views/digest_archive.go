package views

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// DigestArchiveView is what "/okr digest archive" lists: a team's posted
// digests, newest first, of one cycle or of all.
type DigestArchiveView struct {
	Team  string
	Cycle string // "" for every cycle
	Items []DigestArchiveItem
	Total int // digests archived, listed or not
}

// DigestArchiveItem is one archived digest and its link ("" when Slack
// gave none).
type DigestArchiveItem struct {
	Record okrs.DigestRecord
	Link   string
}

// DigestArchive lists a team's posted digests, a line each, grouped by
// cycle, only for the caller.
func DigestArchive(v DigestArchiveView) Message {
	of := Sprintf("%s", Channel(v.Team))
	if v.Cycle != "" {
		of = Sprintf("%s in %s", Channel(v.Team), v.Cycle)
	}
	if len(v.Items) == 0 {
		text := Sprintf(":newspaper: No digests archived for %s yet. A digest goes to the team's channel each week once it has objectives; `/okr digest preview` shows this week's.", of)
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	blocks := []slack.Block{section(Sprintf(":newspaper: *Digests of %s*, newest first", of))}
	var lines []Mrkdwn
	cycle := ""
	flush := func() {
		if len(lines) > 0 {
			blocks = append(blocks, section(Join(lines, "\n")))
			lines = nil
		}
	}
	for _, it := range v.Items {
		r := it.Record
		if r.Cycle != cycle && v.Cycle == "" {
			flush()
			blocks = append(blocks, contextText(Sprintf("*%s*", r.Cycle)))
			cycle = r.Cycle
		}
		week := r.Week
		if t, err := time.Parse(time.DateOnly, r.Week); err == nil {
			week = "Week of " + t.Format("Mon Jan 2, 2006")
		}
		label := Link(it.Link, week)
		line := Sprintf("• %s — %d objective%s, %s overall · %d of %d owner%s checked in", label, r.Objectives, Plural(r.Objectives),
			okrs.FormatPercent(r.Progress), r.CheckedIn, r.Owners, Plural(r.Owners))
		if r.AtRisk > 0 {
			line = line.Append(Sprintf(" · %d at risk", r.AtRisk))
		}
		lines = append(lines, line)
		if len(lines) == 10 { // a section holds 3000 characters
			flush()
		}
	}
	flush()
	if more := v.Total - len(v.Items); more > 0 {
		blocks = append(blocks, contextText(Sprintf("…and %d older: name a cycle to see its digests, like `/okr digest archive %s`.", more, v.Items[len(v.Items)-1].Record.Cycle)))
	}
	return Message{Text: Sprintf("Digests of %s: %d.", of, v.Total), Blocks: blocks}
}
