package views

import (
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Action ids of App Home, prompts and objective lists.
const (
	ActionCheckIn       = "okr_checkin" // "Check in", on App Home and in prompts
	ActionNewObjective  = "okr_new"
	ActionObjectiveMenu = "okr_objective_menu" // overflow: edit, add, archive
)

// Home builds a person's App Home: their key results with progress and a
// "Check in" button, the teams they belong to, and a button to create an
// objective. It stays within Slack's 100 blocks.
func Home(user string, objs []okrs.Objective, c okrs.Cycle, now time.Time) slack.HomeTabViewRequest {
	blocks := []slack.Block{
		header("Your OKRs · " + c.Name),
		contextText(Sprintf("%s of the cycle gone · %d days left", okrs.FormatPercent(c.Elapsed(now)), c.DaysLeft(now))),
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
			text := Sprintf("*%s*\n`%s` *%s* · %s · %s\n%s · %s · _%s_ in %s",
				kr.Title, progressBar(kr.Progress()), okrs.FormatPercent(kr.Achievement()),
				valueText(kr), paceLabel(kr.Pace(c, now)), ConfidenceLabel(kr.Confidence), checkInAge(kr, now),
				shorten(o.Title, 80), Channel(o.Team))
			s := section(text)
			s.Accessory = slack.NewAccessory(slack.NewButtonBlockElement(ActionCheckIn, kr.ID, plain("Check in")))
			blocks = append(blocks, s, slack.NewDividerBlock())
		}
	}
	switch {
	case total == 0:
		blocks = append(blocks, section(Raw("You don't own any key results yet. Create an objective with its key results, or ask your team to add you as an owner.")))
	case shown < total:
		blocks = append(blocks, contextText(Sprintf("…and %d more: `/okr mine` lists them all.", total-shown)))
	}
	if len(teams) > 0 {
		var refs []Mrkdwn
		for _, t := range teams {
			refs = append(refs, Channel(t))
		}
		blocks = append(blocks, section(Sprintf("*Your teams:* %s", joinWords(refs))))
	}
	actions := []slack.BlockElement{slack.NewButtonBlockElement(ActionNewObjective, "new", plain("New objective"))}
	if total > 0 {
		all := slack.NewButtonBlockElement(ActionCheckIn, "all", plain("Check in on all")).WithStyle(slack.StylePrimary)
		actions = append([]slack.BlockElement{all}, actions...)
	}
	blocks = append(blocks, slack.NewActionBlock("home_actions", actions...))
	blocks = append(blocks, contextText(Raw("Good key results measure outcomes, not tasks. Check in every week: a small correction now beats a big surprise at the end of the quarter.")))
	if len(blocks) > MaxViewBlocks {
		blocks = blocks[:MaxViewBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
