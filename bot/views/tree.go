package views

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// TreePageSize is how many objectives one page of the alignment tree
// shows; more come behind a "Show more" button. Lines are packed into
// sections of at most MaxSectionText characters, so a page of the longest
// titles takes about 20 blocks, inside Slack's 50.
const TreePageSize = 40

// maxIndent is the deepest indentation drawn; deeper objectives line up
// with it (their depth is still written).
const maxIndent = 6

// ActionTreeMore is the "Show more" button of the alignment tree.
const ActionTreeMore = "okr_tree_more"

// TreeView is the alignment tree of a cycle: its objectives, each below the
// one it aligns to, with rolled-up progress.
type TreeView struct {
	Cycle     okrs.Cycle
	Team      string                // when set, only the trees with this team's objectives
	Roots     []*okrs.AlignmentNode // from okrs.Alignment
	Offset    int                   // first line of this page
	MoreValue string                // "Show more" button value, without the offset
}

// Tree builds one page of the alignment tree.
func Tree(v TreeView) Message {
	lines := okrs.Flatten(v.Roots)
	scope := Raw("the workspace")
	if v.Team != "" {
		scope = Sprintf("the trees %s is in", Channel(v.Team))
	}
	if len(lines) == 0 {
		text := Sprintf("No objectives for %s in %s yet. `/okr new` creates one; its “Aligns to” field puts it under another.", scope, v.Cycle.Name)
		return Message{Text: text, Blocks: []slack.Block{section(text)}}
	}
	var sum float64
	for _, r := range v.Roots {
		sum += r.Progress
	}
	overall := sum / float64(len(v.Roots))
	summary := Sprintf("%s · %s · %d objective%s in %d tree%s · overall *%s*",
		scope, v.Cycle.Name, len(lines), Plural(len(lines)), len(v.Roots), Plural(len(v.Roots)), okrs.FormatPercent(overall))
	blocks := []slack.Block{header("OKR alignment · " + v.Cycle.Name), contextText(summary)}
	text := Sprintf("OKR alignment for %s, %s: %d objectives, overall %s.", scope, v.Cycle.Name, len(lines), okrs.FormatPercent(overall))

	start := min(max(v.Offset, 0), len(lines))
	end := min(start+TreePageSize, len(lines))
	var chunk []Mrkdwn
	size := 0
	flush := func() {
		if len(chunk) > 0 {
			blocks = append(blocks, section(Join(chunk, "\n")))
			chunk, size = nil, 0
		}
	}
	for _, n := range lines[start:end] {
		line := treeLine(n)
		if l := len([]rune(line.String())); size+l+1 > MaxSectionText {
			flush()
		}
		chunk = append(chunk, line)
		size += len([]rune(line.String())) + 1
	}
	flush()
	blocks = append(blocks, contextText(Raw("An objective's progress is rolled up: the mean of its own key results and of the objectives aligned to it, each of those counting as one key result. Objectives of private teams you are not in are left out.")))
	if end < len(lines) {
		blocks = append(blocks, slack.NewActionBlock("tree_actions",
			slack.NewButtonBlockElement(ActionTreeMore, fmt.Sprintf("%s|%d", v.MoreValue, end),
				plain(fmt.Sprintf("Show more (%d of %d shown)", end, len(lines))))))
	}
	return Message{Text: text, Blocks: blocks}
}

// treeLine is one objective of the tree: indented by its depth, its
// rolled-up progress, its title and its teams, and what the figure comes
// from when other objectives align to it.
func treeLine(n *okrs.AlignmentNode) Mrkdwn {
	o := n.Objective
	indent := Raw("")
	if n.Depth > 0 {
		indent = Sprintf("%s↳ ", strings.Repeat("\u2003\u2003", min(n.Depth, maxIndent)-1))
	}
	var teams []Mrkdwn
	for _, t := range o.Teams() {
		teams = append(teams, Channel(t))
	}
	line := Sprintf("%s`%s` *%s* %s · %s", indent, progressBar(n.Progress), okrs.FormatPercent(n.Progress),
		shorten(o.Title, okrs.MaxTitle), Join(teams, " + "))
	if n.Depth > maxIndent {
		line = line.Append(Sprintf(" · level %d", n.Depth+1))
	}
	if k := len(n.Children); k > 0 {
		if own := len(o.Active()); own > 0 {
			line = line.Append(Sprintf(" · from %d key result%s (%s) and %d aligned objective%s",
				own, Plural(own), okrs.FormatPercent(o.Progress()), k, Plural(k)))
		} else {
			line = line.Append(Sprintf(" · from %d aligned objective%s", k, Plural(k)))
		}
	}
	return line
}
