package bot

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// actionCheckIn is the "Check in" button on App Home and in prompts.
const actionCheckIn = "okr_checkin"

// homeView builds a person's App Home: their key results with progress and a
// "Check in" button, the teams they belong to, and a button to create an
// objective. It stays within Slack's 100 blocks.
func homeView(user string, objs []okrs.Objective, c okrs.Cycle, now time.Time) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		header("Your OKRs · " + c.Name),
		contextText(fmt.Sprintf("%s of the cycle gone · %d days left", okrs.FormatPercent(c.Elapsed(now)), c.DaysLeft(now))),
	}
	var teams []string
	shown, total := 0, 0
	const maxKRs = 30 // each takes two blocks
	for i := range objs {
		o := &objs[i]
		if !slices.Contains(teams, o.Team) {
			teams = append(teams, o.Team)
		}
		for k := range o.KeyResults {
			kr := &o.KeyResults[k]
			if kr.Archived || kr.Owner != user {
				continue
			}
			total++
			if shown == maxKRs {
				continue
			}
			shown++
			text := fmt.Sprintf("*%s*\n`%s` *%s* · %s · %s\n%s · %s · _%s_ in %s",
				esc(kr.Title), progressBar(kr.Progress()), okrs.FormatPercent(kr.Achievement()),
				valueText(kr), paceLabel(kr.Pace(c, now)), confidenceLabel(kr.Confidence), checkInAge(kr, now),
				esc(shorten(o.Title, 80)), channelRef(o.Team))
			s := section(text)
			s.Accessory = slack.NewAccessory(slack.NewButtonBlockElement(actionCheckIn, kr.ID, plain("Check in")))
			blocks = append(blocks, s, slack.NewDividerBlock())
		}
	}
	switch {
	case total == 0:
		blocks = append(blocks, section("You don't own any key results yet. Create an objective with its key results, or ask your team to add you as an owner."))
	case shown < total:
		blocks = append(blocks, contextText(fmt.Sprintf("…and %d more: `/okr mine` lists them all.", total-shown)))
	}
	if len(teams) > 0 {
		var refs []string
		for _, t := range teams {
			refs = append(refs, channelRef(t))
		}
		blocks = append(blocks, section("*Your teams:* "+joinWords(refs)))
	}
	actions := []slack.BlockElement{slack.NewButtonBlockElement(actionNewObjective, "new", plain("New objective"))}
	if total > 0 {
		all := slack.NewButtonBlockElement(actionCheckIn, "all", plain("Check in on all")).WithStyle(slack.StylePrimary)
		actions = append([]slack.BlockElement{all}, actions...)
	}
	blocks = append(blocks, slack.NewActionBlock("home_actions", actions...))
	blocks = append(blocks, contextText("Good key results measure outcomes, not tasks. Check in every week: a small correction now beats a big surprise at the end of the quarter."))
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// valueText is a key result's current value against its target.
func valueText(kr *okrs.KeyResult) string {
	switch kr.Kind {
	case okrs.Milestone:
		return kr.Format(kr.Current)
	case okrs.StayAbove:
		return fmt.Sprintf("%s (stay ≥ %s)", kr.Format(kr.Current), kr.Format(kr.Target))
	case okrs.StayBelow:
		return fmt.Sprintf("%s (stay ≤ %s)", kr.Format(kr.Current), kr.Format(kr.Target))
	}
	return fmt.Sprintf("%s / %s", kr.Format(kr.Current), kr.Format(kr.Target))
}

func joinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	s := ""
	for i, w := range ws {
		switch {
		case i == 0:
			s = w
		case i == len(ws)-1:
			s += " and " + w
		default:
			s += ", " + w
		}
	}
	return s
}

// publishHome publishes a person's App Home.
func (b *Bot) publishHome(ctx context.Context, workspace, user string) error {
	objs, err := b.store.OwnedObjectives(ctx, workspace, user)
	if err != nil {
		return err
	}
	objs, c, err := b.currentObjectives(ctx, workspace, objs)
	if err != nil {
		return err
	}
	_, err = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: homeView(user, objs, c, b.now())})
	return b.slackErr("views.publish", err)
}

// homeSeenTTL is how long okrbot keeps refreshing the App Home of someone
// who opened it: views.publish is rate limited (about 100 a minute per
// workspace), so homes nobody looks at are not rebuilt.
const homeSeenTTL = 90 * 24 * time.Hour

// refreshHomes republishes App Home for each distinct user who has opened
// it, after a change that shows there. Failures are logged, not shown: the
// change itself succeeded.
func (b *Bot) refreshHomes(ctx context.Context, workspace string, users ...string) {
	seen := map[string]bool{}
	for _, u := range users {
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		opened, err := b.store.HomeOpened(ctx, workspace, u)
		if err != nil {
			b.logError("refreshing App Home", &request{workspace: workspace, user: u}, err)
			continue
		}
		if !opened {
			continue // they will get a fresh one when they open it
		}
		if err := b.publishHome(ctx, workspace, u); err != nil {
			b.logError("refreshing App Home", &request{workspace: workspace, user: u}, err)
		}
	}
}
