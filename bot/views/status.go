package views

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// StatusPageSize is how many objectives one status message shows; more come
// behind a "Show more" button. Each objective takes two blocks, so a page
// stays far inside Slack's 50 blocks.
const StatusPageSize = 10

// Action ids of status messages.
const (
	ActionStatusMore  = "okr_status_more"
	ActionStatusChart = "okr_status_chart"
)

// StatusView is a status message: a team's or a person's objectives.
type StatusView struct {
	Scope      Mrkdwn // Channel("C1"), Mention("U1") or Raw("you")
	Person     string // for a person's status: only their key results
	Cycle      okrs.Cycle
	Now        time.Time
	Objectives []okrs.Objective
	Offset     int    // first objective of this page
	MoreValue  string // "Show more" button value, without the offset
	ChartValue string // "Show chart" button value; no button when empty
}

// Status builds the status message for one page.
func Status(v StatusView) Message {
	now, c := v.Now, v.Cycle
	past := okrs.DateOf(now).After(c.End)
	if past && len(v.Objectives) == 0 {
		text := Sprintf("No objectives for %s in %s, a past cycle (it ended on %s).", v.Scope, c.Name, c.End.Format("Jan 2, 2006"))
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	if len(v.Objectives) == 0 {
		text := Sprintf("No objectives for %s in %s yet. Start with `/okr new`: one objective, 3–5 measurable key results.", v.Scope, c.Name)
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	var sum float64
	for i := range v.Objectives {
		sum += v.Objectives[i].Progress()
	}
	overall := sum / float64(len(v.Objectives))
	elapsed := c.Elapsed(now)
	weeks := max(int(math.Round((c.End.Sub(c.Start).Hours()/24+1)/7)), 1)
	week := min(max(int(now.Sub(c.Start).Hours()/24/7)+1, 1), weeks)
	summary := Sprintf("%s · %s · week %d of %d (%s of the cycle gone) · overall *%s* · %s",
		v.Scope, c.Name, week, weeks, okrs.FormatPercent(elapsed), okrs.FormatPercent(overall), paceLabel(okrs.PaceOf(overall, elapsed)))
	title := "OKR status · " + c.Name
	if past {
		title += " (past cycle)"
		summary = Sprintf("%s · %s · a past cycle: it ran from %s to %s · it ended at *%s*",
			v.Scope, c.Name, c.Start.Format("Jan 2"), c.End.Format("Jan 2, 2006"), okrs.FormatPercent(overall))
	}
	blocks := []slack.Block{header(title), contextText(summary)}
	text := Sprintf("OKR status for %s, %s: overall %s.", v.Scope, c.Name, okrs.FormatPercent(overall))

	end := min(v.Offset+StatusPageSize, len(v.Objectives))
	for i := v.Offset; i < end; i++ {
		o := &v.Objectives[i]
		lines := []Mrkdwn{objectiveLine(o, c, now)}
		for k := range o.KeyResults {
			kr := &o.KeyResults[k]
			if kr.Archived || (v.Person != "" && kr.Owner != v.Person) {
				continue
			}
			lines = append(lines, krLine(kr, c, now))
			if o.Graded() {
				lines[len(lines)-1] = lines[len(lines)-1].Append(Sprintf(" · graded *%s*", o.GradeOfKeyResult(kr).String()))
			}
			if hs := latestChanges(kr, c.Start, now.Add(time.Nanosecond)); len(hs) > 0 {
				lines = append(lines, Sprintf("    :pencil2: %s", ChangeLine(kr, hs, statusReasonLen)))
			}
		}
		if v.Person != "" && o.Team != "" {
			lines[0] = lines[0].Append(Raw(" · team "), Channel(o.Team))
		}
		lines[0] = lines[0].Append(pendingNote(o))
		if o.Graded() { // the owner's end-of-cycle grades and what the team learned
			g := o.Grade()
			lines[0] = lines[0].Append(Sprintf("\n:mortar_board: Graded *%s* · %s", g.String(), g.Verdict()))
			if note := strings.TrimSpace(o.Grading.Note); note != "" {
				lines[0] = lines[0].Append(Sprintf(" · _What we learned:_ %s", shorten(note, 300)))
			}
		}
		s := section(Join(lines, "\n"))
		if !past { // a cycle that is over takes no new key results
			s.Accessory = slack.NewAccessory(proposeButton(o, ""))
		}
		blocks = append(blocks, s, slack.NewDividerBlock())
	}
	if tips := okrs.Nudges(v.Objectives[v.Offset:end], c, now); len(tips) > 0 && !past { // no nudging a cycle that is over
		var t []Mrkdwn
		for i, tip := range tips {
			if i == 2 {
				t = append(t, Sprintf("…and %d more.", len(tips)-2))
				break
			}
			t = append(t, Sprintf(":bulb: %s", tip.Message))
		}
		blocks = append(blocks, contextText(Join(t, "\n")))
	}
	if past && v.Person == "" && end == len(v.Objectives) {
		blocks = append(blocks, contextText(Sprintf("Its weekly digests: `/okr digest archive %s`.", c.Name)))
	}
	var buttons []slack.BlockElement
	if v.ChartValue != "" && v.Offset == 0 {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionStatusChart, v.ChartValue, plain("Show chart")))
	}
	if end < len(v.Objectives) {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionStatusMore, fmt.Sprintf("%s|%d", v.MoreValue, end),
			plain(fmt.Sprintf("Show more (%d of %d shown)", end, len(v.Objectives)))))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("status_actions", buttons...))
	}
	return Message{Text: text, Blocks: blocks}
}
