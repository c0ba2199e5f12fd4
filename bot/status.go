package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
	"github.com/slack-go/slack"
)

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
		b.say(ctx, r, views.Sprintf("I couldn't tell which %s `%s` is. Pick it from Slack's suggestions as you type, so it becomes a link: `/okr status #growth` or `/okr status @ana`.",
			map[bool]string{true: "channel", false: "person"}[args[0] == '#'], args))
	default:
		b.say(ctx, r, views.Raw("Try `/okr status` for this channel's team, `/okr status #channel` for another team, or `/okr status @person`."))
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
			b.say(ctx, r, views.Sprintf("%s", friendly(errPrivateTeam)))
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
	v := views.StatusView{Scope: views.Channel(team), Cycle: c, Now: b.now(), Objectives: objs, Offset: offset,
		MoreValue: fmt.Sprintf("t|%s|%s", team, c.Name), ChartValue: fmt.Sprintf("t|%s|%s", team, c.Name)}
	m := message{Message: views.Status(v)}
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
	v := views.StatusView{Scope: views.Mention(user), Person: user, Cycle: c, Now: b.now(), Objectives: objs, Offset: offset,
		MoreValue: "u|" + user, ChartValue: "u|" + user}
	m := message{Message: views.Status(v)}
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
		b.say(ctx, r, views.Raw("That button is out of date. Run `/okr status` again."))
	}
}

// onStatusChart uploads the overview chart of a status message: into the
// message's thread when everyone in the channel may see all of it (and the
// message is not ephemeral), else into the caller's DM.
func (b *Bot) onStatusChart(ctx context.Context, r *request, cb slack.InteractionCallback, value string) {
	parts := strings.Split(value, "|")
	var objs []okrs.Objective
	var c okrs.Cycle
	var err error
	title := ""
	switch {
	case len(parts) == 3 && parts[0] == "t":
		var ok bool
		if ok, err = b.canSee(ctx, r.user, parts[1]); err == nil && !ok {
			err = errPrivateTeam
		}
		if err == nil {
			c, err = okrs.ParseCycle(parts[2])
		}
		if err == nil {
			objs, err = b.store.TeamObjectives(ctx, r.workspace, parts[1], c.Name, 0)
		}
		title = c.Name + " objectives"
	case len(parts) == 2 && parts[0] == "u":
		objs, err = b.store.OwnedObjectives(ctx, r.workspace, parts[1])
		if err == nil {
			objs, c, err = b.currentObjectives(ctx, r.workspace, b.visible(ctx, r.user, objs))
		}
		title = c.Name + " objectives with their key results"
	default:
		b.say(ctx, r, views.Raw("That button is out of date. Run `/okr status` again."))
		return
	}
	if err != nil {
		b.fail(ctx, r, "status chart: loading", err)
		return
	}
	f, err := overviewChart(title, objs, c, b.now())
	if err != nil {
		b.fail(ctx, r, "status chart: drawing", err)
		return
	}
	teams := teamsOf(objs)
	if len(parts) == 3 {
		teams = []string{parts[1]}
	}
	if cb.Container.IsEphemeral || !b.everyoneMaySee(ctx, r, r.channel, teams) {
		dm, err := b.dmChannel(ctx, r.workspace, r.user)
		if err == nil {
			err = b.upload(ctx, dm, "", f)
		}
		if err != nil {
			b.fail(ctx, r, "status chart: uploading", err)
			return
		}
		b.say(ctx, r, views.Raw(":bar_chart: Not everyone here may see all of it, so I sent you the chart in our DM."))
		return
	}
	ts := cb.Container.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	if err := b.upload(ctx, r.channel, ts, f); err != nil {
		b.fail(ctx, r, "status chart: uploading", err)
	}
}
