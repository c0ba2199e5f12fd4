package views

import (
	"fmt"
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

// HomeView is what a person's App Home shows.
type HomeView struct {
	User       string
	Objectives []okrs.Objective // those in which User owns key results
	Awaiting   []okrs.Objective // those User owns with proposals waiting for them
	Cycle      okrs.Cycle
	Now        time.Time
	PastCycles []string // earlier cycles in which User owned key results, newest first
	Streaks    []TeamStreak
}

// ActionPastCycle is App Home's choice of a past cycle to see the
// person's status of; its option values are cycle names.
const ActionPastCycle = "okr_past_cycle"

// homePastCycles is how many past cycles App Home offers.
const homePastCycles = 8

// Home limits: proposals shown (each takes two blocks) and key results
// shown (each takes two, and its objective's heading one).
const (
	homeProposals = 5
	homeKRs       = 30
)

// Home builds a person's App Home: the key results proposed to them, with
// Accept, Adjust and Decline; their key results with progress and a "Check
// in" button, under their objectives, each with a button to propose (or
// add) a key result; the teams they belong to, and a button to create an
// objective. It stays within Slack's 100 blocks.
func Home(v HomeView) slack.HomeTabViewRequest {
	user, objs, c, now := v.User, v.Objectives, v.Cycle, v.Now
	blocks := []slack.Block{
		header("Your OKRs · " + c.Name),
		contextText(Sprintf("%s of the cycle gone · %d days left", okrs.FormatPercent(c.Elapsed(now)), c.DaysLeft(now))),
	}
	blocks = append(blocks, awaitingBlocks(v.Awaiting)...)
	const tail = 5 // "…and more", teams, past cycles, buttons, tip
	var teams []string
	shown, total := 0, 0
	for i := range objs {
		o := &objs[i]
		if !slices.Contains(teams, o.Team) {
			teams = append(teams, o.Team)
		}
		headed := false
		for k := range o.KeyResults {
			kr := &o.KeyResults[k]
			if kr.Archived || kr.Owner != user {
				continue
			}
			total++
			need := 2
			if !headed {
				need++
			}
			if shown == homeKRs || len(blocks)+need > MaxViewBlocks-tail {
				continue
			}
			if !headed {
				h := section(Sprintf("*%s* · %s", shorten(o.Title, okrs.MaxTitle), Channel(o.Team)))
				h.Accessory = slack.NewAccessory(proposeButton(o, user))
				blocks = append(blocks, h)
				headed = true
			}
			shown++
			text := Sprintf("*%s*\n`%s` *%s* · %s · %s\n%s · %s",
				kr.Title, progressBar(kr.Progress()), okrs.FormatPercent(kr.Achievement()),
				valueText(kr), paceLabel(kr.Pace(c, now)), ConfidenceLabel(kr.Confidence), checkInAge(kr, now))
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
	var streaks []Mrkdwn
	for _, s := range v.Streaks {
		if t := StreakText(s.Streak); t != "" {
			streaks = append(streaks, Sprintf("%s: %s", Channel(s.Team), t))
		}
	}
	if len(streaks) > 0 {
		blocks = append(blocks, contextText(Sprintf(":fire: Your check-in streak · %s", Join(streaks, " · "))))
	}
	if b := pastCyclesBlock(v.PastCycles); b != nil {
		blocks = append(blocks, b)
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

// pastCyclesBlock lists the person's past cycles with a menu that sends
// them their status of one (as "/okr status @them <cycle>" would, in a
// DM); nil when there are none.
func pastCyclesBlock(cycles []string) slack.Block {
	if len(cycles) == 0 {
		return nil
	}
	cycles = cycles[:min(len(cycles), homePastCycles)]
	names := make([]Mrkdwn, len(cycles))
	opts := make([]*slack.OptionBlockObject, len(cycles))
	for i, c := range cycles {
		names[i] = Escape(c)
		opts[i] = option(shorten(c, okrs.MaxCycleName), c)
	}
	menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("View a past cycle"), ActionPastCycle, opts...)
	s := section(Sprintf("*Past cycles:* %s", Join(names, ", ")))
	s.Accessory = slack.NewAccessory(menu)
	return s
}

// awaitingBlocks list the proposals waiting for the person, oldest first,
// each with its decision buttons: at most homeProposals, in at most
// 3+2*homeProposals blocks.
func awaitingBlocks(objs []okrs.Objective) []slack.Block {
	type pending struct {
		o *okrs.Objective
		p okrs.Proposal
	}
	var all []pending
	for i := range objs {
		for _, p := range objs[i].Pending() {
			all = append(all, pending{&objs[i], p})
		}
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortStableFunc(all, func(a, b pending) int { return a.p.ProposedAt.Compare(b.p.ProposedAt) })
	blocks := []slack.Block{section(Sprintf("*Key results proposed to you* · %d waiting for your decision", len(all)))}
	for i, x := range all {
		if i == homeProposals {
			blocks = append(blocks, contextText(Sprintf("…and %d more. Each one's DM has these buttons too.", len(all)-i)))
			break
		}
		blocks = append(blocks,
			section(Sprintf("%s proposes, for *%s* (%s), on %s:\n%s", Mention(x.p.ProposedBy), shorten(x.o.Title, okrs.MaxTitle),
				Channel(x.o.Team), x.p.ProposedAt.Format("Jan 2"), proposalSummary(&x.p.KeyResult))),
			decisionButtons(fmt.Sprintf("home_proposal_%d", i), x.o, &x.p))
	}
	return append(blocks, slack.NewDividerBlock())
}
