package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// cmdTree posts the alignment tree of the current cycle: the workspace's,
// or with #channel only the trees that team has objectives in.
func (b *Bot) cmdTree(ctx context.Context, r *request, args string) {
	switch {
	case args == "":
		b.postTree(ctx, r, "", "", 0)
	case channelArg.MatchString(args):
		b.postTree(ctx, r, channelArg.FindStringSubmatch(args)[1], "", 0)
	default:
		b.say(ctx, r, views.Raw("Try `/okr tree` for the whole workspace's alignment, or `/okr tree #channel` for the trees a team is in (pick the channel from Slack's suggestions)."))
	}
}

// postTree posts one page of the alignment tree of cycleName (the current
// cycle when empty, by the settings of team, else of the channel asked
// in). Objectives the caller may not see are left out before the tree is
// built: their children are roots, and the roll-up counts only what is
// shown. It is posted for the channel only when everyone in it may see
// every objective of the tree.
func (b *Bot) postTree(ctx context.Context, r *request, team, cycleName string, offset int) {
	if team != "" && team != r.channel {
		ok, err := b.canSee(ctx, r.user, team)
		if err != nil {
			b.fail(ctx, r, "tree: channel access", err)
			return
		}
		if !ok {
			b.say(ctx, r, views.Sprintf("%s", friendly(errPrivateTeam)))
			return
		}
	}
	c, err := b.treeCycle(ctx, r, team, cycleName)
	if err != nil {
		b.fail(ctx, r, "tree: cycle", err)
		return
	}
	objs, err := b.store.AlignedObjectives(ctx, r.workspace, c.Name)
	if err != nil {
		b.fail(ctx, r, "tree: loading objectives", err)
		return
	}
	roots := okrs.Alignment(b.visible(ctx, r.user, objs))
	if team != "" {
		roots = slices.DeleteFunc(roots, func(n *okrs.AlignmentNode) bool { return !n.Involves(team) })
	}
	v := views.TreeView{Cycle: c, Team: team, Roots: roots, Offset: offset, MoreValue: team + "|" + c.Name}
	m := message{Message: views.Tree(v)}
	var teams []string
	for _, n := range okrs.Flatten(roots) {
		for _, t := range n.Objective.Teams() {
			if !slices.Contains(teams, t) {
				teams = append(teams, t)
			}
		}
	}
	m.inChannel = b.everyoneMaySee(ctx, r, r.channel, teams)
	if err := b.respond(ctx, r, m); err != nil {
		b.fail(ctx, r, "tree: posting", err)
	}
}

// treeCycle is the cycle a tree shows: the one named, else the current
// cycle of team, or of the channel asked in, or (in a DM) in the default
// timezone.
func (b *Bot) treeCycle(ctx context.Context, r *request, team, name string) (okrs.Cycle, error) {
	switch {
	case name != "" && team != "":
		return b.cycleNamed(ctx, r.workspace, team, name)
	case name != "" && isChannelID(r.channel):
		return b.cycleNamed(ctx, r.workspace, r.channel, name)
	case name != "":
		return okrs.ParseCycle(name)
	case team != "":
		return b.currentCycle(ctx, r.workspace, team)
	case isChannelID(r.channel):
		return b.currentCycle(ctx, r.workspace, r.channel)
	}
	return okrs.CurrentCycle(okrs.DefaultSettings(b.defaultTZ), b.now()), nil
}

// onTreeMore posts the next page of a tree: "team|cycle|offset".
func (b *Bot) onTreeMore(ctx context.Context, r *request, value string) {
	parts := strings.Split(value, "|")
	offset, err := strconv.Atoi(parts[len(parts)-1])
	if len(parts) != 3 || err != nil || offset < 0 || parts[0] != "" && !isChannelID(parts[0]) {
		b.say(ctx, r, views.Raw("That button is out of date. Run `/okr tree` again."))
		return
	}
	b.postTree(ctx, r, parts[0], parts[1], offset)
}
