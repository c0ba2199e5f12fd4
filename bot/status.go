package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
	"github.com/slack-go/slack"
)

var (
	channelArg = regexp.MustCompile(`^<#([CGD][A-Z0-9]+)(\|[^>]*)?>$`)
	userArg    = regexp.MustCompile(`^<@([UW][A-Z0-9]+)(\|[^>]*)?>$`)
	anyRef     = regexp.MustCompile(`<[#@][A-Z0-9]+(\|[^>]*)?>`)
)

// cmdStatus posts where a team or a person stands, for the whole channel:
// this channel's team, another team (#channel) or a person (@person), in
// the current cycle or in a named one ("2026-Q3", before or after).
func (b *Bot) cmdStatus(ctx context.Context, r *request, args string) {
	refs := anyRef.FindAllString(args, -1)
	cycle := strings.Join(strings.Fields(anyRef.ReplaceAllString(args, " ")), " ")
	for _, w := range strings.Fields(cycle) {
		if strings.HasPrefix(w, "#") || strings.HasPrefix(w, "@") {
			b.say(ctx, r, views.Sprintf("I couldn't tell which %s `%s` is. Pick it from Slack's suggestions as you type, so it becomes a link: `/okr status #growth` or `/okr status @ana`.",
				map[bool]string{true: "channel", false: "person"}[w[0] == '#'], w))
			return
		}
	}
	if len(refs) > 1 {
		b.say(ctx, r, views.Raw("Try `/okr status` for this channel's team, `/okr status #channel` for another team, `/okr status @person`, or add a cycle: `/okr status 2026-Q3 #channel`."))
		return
	}
	if utf8.RuneCountInString(cycle) > okrs.MaxCycleName {
		b.say(ctx, r, views.Sprintf("I don't know the cycle `%s`. Name a quarter or a half year, like `/okr status 2026-Q3` or `/okr status 2026-H1 #growth`, or a cycle the team started.", shortArg(cycle)))
		return
	}
	switch {
	case len(refs) == 0:
		b.postTeamStatus(ctx, r, r.channel, cycle, 0)
	case channelArg.MatchString(refs[0]):
		b.postTeamStatus(ctx, r, channelArg.FindStringSubmatch(refs[0])[1], cycle, 0)
	case userArg.MatchString(refs[0]):
		b.postPersonStatus(ctx, r, userArg.FindStringSubmatch(refs[0])[1], cycle, 0)
	default:
		b.say(ctx, r, views.Raw("Try `/okr status` for this channel's team, `/okr status #channel` for another team, or `/okr status @person`."))
	}
}

// shortArg cuts what someone typed for quoting it back.
func shortArg(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
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
		c, err = b.cycleNamed(ctx, r.workspace, team, cycleName)
	}
	if okrs.ErrorCode(err) == okrs.EINVALID {
		b.say(ctx, r, unknownCycle(cycleName))
		return
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

// postPersonStatus posts a person's key results: in each team's current
// cycle, or in the cycle named cycleName.
func (b *Bot) postPersonStatus(ctx context.Context, r *request, user, cycleName string, offset int) {
	objs, err := b.store.OwnedObjectives(ctx, r.workspace, user)
	if err != nil {
		b.fail(ctx, r, "status: loading objectives", err)
		return
	}
	objs, c, err := b.personObjectives(ctx, r, cycleName, b.visible(ctx, r.user, objs))
	if okrs.ErrorCode(err) == okrs.EINVALID {
		b.say(ctx, r, unknownCycle(cycleName))
		return
	}
	if err != nil {
		b.fail(ctx, r, "status: cycle", err)
		return
	}
	more, chart := "u|"+user, "u|"+user
	if cycleName != "" {
		more, chart = more+"|"+c.Name, chart+"|"+c.Name
	}
	v := views.StatusView{Scope: views.Mention(user), Person: user, Cycle: c, Now: b.now(), Objectives: objs, Offset: offset,
		MoreValue: more, ChartValue: chart}
	m := message{Message: views.Status(v)}
	m.inChannel = b.everyoneMaySee(ctx, r, r.channel, teamsOf(objs))
	if err := b.respond(ctx, r, m); err != nil {
		b.fail(ctx, r, "status: posting", err)
	}
}

// personObjectives keeps objs of their team's current cycle
// (currentObjectives), or of the cycle named cycleName when one is given.
func (b *Bot) personObjectives(ctx context.Context, r *request, cycleName string, objs []okrs.Objective) ([]okrs.Objective, okrs.Cycle, error) {
	if cycleName == "" {
		return b.currentObjectives(ctx, r.workspace, objs)
	}
	// Each team names its own cycles: the name is looked up in each
	// objective's team, and the objectives of that cycle kept.
	settingsOf := b.teamSettings(ctx, r.workspace)
	var heading okrs.Cycle
	out := objs[:0:0]
	for _, o := range objs {
		st, err := settingsOf(o.Team)
		if err != nil {
			return nil, okrs.Cycle{}, err
		}
		c, err := st.CycleNamed(cycleName)
		if err != nil {
			continue // not a cycle of this team
		}
		if own, err := st.CycleNamed(o.Cycle); err == nil && own.Name == c.Name {
			out = append(out, o)
			if heading.Name == "" {
				heading = c
			}
		}
	}
	if heading.Name == "" {
		c, err := okrs.ParseCycle(cycleName)
		if err != nil {
			return nil, okrs.Cycle{}, err
		}
		heading = c
	}
	return out, heading, nil
}

// unknownCycle is the answer to a cycle name the team does not know.
func unknownCycle(name string) views.Mrkdwn {
	return views.Sprintf("I don't know the cycle `%s`. Name a quarter or a half year, like `/okr status 2026-Q3` or `/okr status 2026-H1 #growth`, or a cycle the team started (`/okr cycle` shows it).", shortArg(name))
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
		b.postPersonStatus(ctx, r, parts[1], "", offset)
	case len(parts) == 4 && parts[0] == "u":
		b.postPersonStatus(ctx, r, parts[1], parts[2], offset)
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
			c, err = b.cycleNamed(ctx, r.workspace, parts[1], parts[2])
		}
		if err == nil {
			objs, err = b.store.TeamObjectives(ctx, r.workspace, parts[1], c.Name, 0)
		}
		title = c.Name + " objectives"
	case (len(parts) == 2 || len(parts) == 3) && parts[0] == "u":
		cycleName := ""
		if len(parts) == 3 {
			cycleName = parts[2]
		}
		objs, err = b.store.OwnedObjectives(ctx, r.workspace, parts[1])
		if err == nil {
			objs, c, err = b.personObjectives(ctx, r, cycleName, b.visible(ctx, r.user, objs))
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
	if parts[0] == "t" {
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
