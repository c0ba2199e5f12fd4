package bot

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// statusPageSize is how many objectives one status message shows; more come
// behind a "Show more" button. Each objective takes two blocks, so a page
// stays far inside Slack's 50 blocks.
const statusPageSize = 10

// Action ids of status messages.
const actionStatusMore = "okr_status_more"

var (
	channelArg = regexp.MustCompile(`^<#([CGD][A-Z0-9]+)(\|[^>]*)?>$`)
	userArg    = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(\|[^>]*)?>$`)
)

// cmdStatus posts where a team or a person stands, for the whole channel.
func (b *Bot) cmdStatus(ctx context.Context, r *request, args string) {
	switch {
	case args == "":
		b.postTeamStatus(ctx, r, r.channel, "", 0)
	case channelArg.MatchString(args):
		b.postTeamStatus(ctx, r, channelArg.FindStringSubmatch(args)[1], "", 0)
	case userArg.MatchString(args):
		b.postPersonStatus(ctx, r, userArg.FindStringSubmatch(args)[1], 0)
	case strings.HasPrefix(args, "#") || strings.HasPrefix(args, "@"):
		b.say(ctx, r, "I couldn't tell which %s `%s` is. Pick it from Slack's suggestions as you type, so it becomes a link: `/okr status #growth` or `/okr status @ana`.",
			map[bool]string{true: "channel", false: "person"}[args[0] == '#'], esc(args))
	default:
		b.say(ctx, r, "Try `/okr status` for this channel's team, `/okr status #channel` for another team, or `/okr status @person`.")
	}
}

func (b *Bot) postTeamStatus(ctx context.Context, r *request, team, cycleName string, offset int) {
	if team != r.channel {
		ok, err := b.canSee(ctx, r.user, team)
		if err != nil {
			b.fail(ctx, r, "status: channel access", err)
			return
		}
		if !ok {
			b.say(ctx, r, "%s", friendly(errPrivateTeam))
			return
		}
	}
	var c okrs.Cycle
	var err error
	if cycleName == "" {
		c, err = b.currentCycle(ctx, r.workspace, team)
	} else {
		c, err = okrs.ParseCycle(cycleName)
	}
	if err != nil {
		b.fail(ctx, r, "status: cycle", err)
		return
	}
	objs, err := b.store.TeamObjectives(ctx, r.workspace, team, c.Name, 0)
	if err != nil {
		b.fail(ctx, r, "status: loading objectives", err)
		return
	}
	v := statusView{Scope: channelRef(team), Cycle: c, Now: b.now(), Objectives: objs, Offset: offset,
		MoreValue: fmt.Sprintf("t|%s|%s", team, c.Name), ChartValue: fmt.Sprintf("t|%s|%s", team, c.Name)}
	m := v.message()
	m.inChannel = b.everyoneMaySee(ctx, r, r.channel, []string{team})
	if err := b.respond(ctx, r, m); err != nil {
		b.fail(ctx, r, "status: posting", err)
	}
}

func (b *Bot) postPersonStatus(ctx context.Context, r *request, user string, offset int) {
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, user)
	if err != nil {
		b.fail(ctx, r, "status: loading objectives", err)
		return
	}
	objs, c, err := b.currentObjectives(ctx, r.workspace, b.visible(ctx, r.user, objs))
	if err != nil {
		b.fail(ctx, r, "status: cycle", err)
		return
	}
	v := statusView{Scope: mention(user), Person: user, Cycle: c, Now: b.now(), Objectives: objs, Offset: offset,
		MoreValue: "u|" + user, ChartValue: "u|" + user}
	m := v.message()
	m.inChannel = b.everyoneMaySee(ctx, r, r.channel, teamsOf(objs))
	if err := b.respond(ctx, r, m); err != nil {
		b.fail(ctx, r, "status: posting", err)
	}
}

// teamsOf returns the distinct teams of objs.
func teamsOf(objs []okrs.Objective) []string {
	var teams []string
	for _, o := range objs {
		if !slices.Contains(teams, o.Team) {
			teams = append(teams, o.Team)
		}
	}
	return teams
}

// onStatusMore posts the next page of a status message.
func (b *Bot) onStatusMore(ctx context.Context, r *request, value string) {
	parts := strings.Split(value, "|")
	offset, _ := strconv.Atoi(parts[len(parts)-1])
	switch {
	case len(parts) == 4 && parts[0] == "t":
		b.postTeamStatus(ctx, r, parts[1], parts[2], offset)
	case len(parts) == 3 && parts[0] == "u":
		b.postPersonStatus(ctx, r, parts[1], offset)
	case len(parts) == 3 && parts[0] == "m":
		b.postMine(ctx, r, offset)
	default:
		b.say(ctx, r, "That button is out of date. Run `/okr status` again.")
	}
}

// statusView is a status message: a team's or a person's objectives.
type statusView struct {
	Scope      string // "<#C1>" or "<@U1>"
	Person     string // for a person's status: only their key results
	Cycle      okrs.Cycle
	Now        time.Time
	Objectives []okrs.Objective
	Offset     int    // first objective of this page
	MoreValue  string // "Show more" button value, without the offset
	ChartValue string // "Show chart" button value; no button when empty
}

// message builds the status blocks for one page.
func (v statusView) message() message {
	now, c := v.Now, v.Cycle
	if len(v.Objectives) == 0 {
		text := fmt.Sprintf("No objectives for %s in %s yet. Start with `/okr new`: one objective, 3–5 measurable key results.", v.Scope, c.Name)
		return message{text: text, blocks: []slack.Block{section(text)}}
	}
	var sum float64
	for i := range v.Objectives {
		sum += v.Objectives[i].Progress()
	}
	overall := sum / float64(len(v.Objectives))
	elapsed := c.Elapsed(now)
	weeks := max(int(math.Round((c.End.Sub(c.Start).Hours()/24+1)/7)), 1)
	week := min(max(int(now.Sub(c.Start).Hours()/24/7)+1, 1), weeks)
	summary := fmt.Sprintf("%s · %s · week %d of %d (%s of the cycle gone) · overall *%s* · %s",
		v.Scope, c.Name, week, weeks, okrs.FormatPercent(elapsed), okrs.FormatPercent(overall), paceLabel(okrs.PaceOf(overall, elapsed)))
	blocks := []slack.Block{header("OKR status · " + c.Name), contextText(summary)}
	text := fmt.Sprintf("OKR status for %s, %s: overall %s.", v.Scope, c.Name, okrs.FormatPercent(overall))

	end := min(v.Offset+statusPageSize, len(v.Objectives))
	for i := v.Offset; i < end; i++ {
		o := &v.Objectives[i]
		lines := []string{objectiveLine(o, c, now)}
		for k := range o.KeyResults {
			kr := &o.KeyResults[k]
			if kr.Archived || (v.Person != "" && kr.Owner != v.Person) {
				continue
			}
			lines = append(lines, krLine(kr, c, now))
		}
		if v.Person != "" && o.Team != "" {
			lines[0] += " · team " + channelRef(o.Team)
		}
		blocks = append(blocks, section(strings.Join(lines, "\n")), slack.NewDividerBlock())
	}
	if tips := okrs.Nudges(v.Objectives[v.Offset:end], c, now); len(tips) > 0 {
		var t []string
		for i, tip := range tips {
			if i == 2 {
				t = append(t, fmt.Sprintf("…and %d more.", len(tips)-2))
				break
			}
			t = append(t, ":bulb: "+esc(tip.Message))
		}
		blocks = append(blocks, contextText(strings.Join(t, "\n")))
	}
	var buttons []slack.BlockElement
	if v.ChartValue != "" && v.Offset == 0 {
		buttons = append(buttons, slack.NewButtonBlockElement(actionStatusChart, v.ChartValue, plain("Show chart")))
	}
	if end < len(v.Objectives) {
		buttons = append(buttons, slack.NewButtonBlockElement(actionStatusMore, fmt.Sprintf("%s|%d", v.MoreValue, end),
			plain(fmt.Sprintf("Show more (%d of %d shown)", end, len(v.Objectives)))))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("status_actions", buttons...))
	}
	return message{text: text, blocks: blocks}
}
