package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// publishHome publishes a person's App Home.
func (b *Bot) publishHome(ctx context.Context, workspace, user string) error {
	objs, err := b.store.OwnedObjectives(ctx, workspace, user)
	if err != nil {
		return err
	}
	all := objs
	objs, c, err := b.currentObjectives(ctx, workspace, objs)
	if err != nil {
		return err
	}
	past := okrs.PastCycles(all, b.teamCycles(ctx, workspace), b.now())
	awaiting, err := b.store.AwaitingDecision(ctx, workspace, user)
	if err != nil {
		return err
	}
	home := views.Home(views.HomeView{User: user, Objectives: objs, Awaiting: awaiting, Cycle: c, Now: b.now(), PastCycles: past,
		Streaks: b.streaks(ctx, workspace, user, teamsOf(objs))})
	_, err = b.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: home})
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
