package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// cmdRemind sends this team's prompts now to everyone who has not checked
// in. A big team's reminders are paced within Slack's limits and can take
// minutes, so they are sent in the background: the caller hears at once how
// many are going out and how long it should take, then the result.
func (b *Bot) cmdRemind(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr remind` in the team's channel."))
		return
	}
	if b.scheduler == nil {
		b.say(ctx, r, views.Raw("Reminders are not running on this okrbot."))
		return
	}
	if !b.managing(ctx, r, "remind") {
		return
	}
	b.background(ctx, "remind", func(ctx context.Context) { b.remind(ctx, r) })
}

// remindTimeout bounds a "/okr remind" in the background: at the default 5
// messages a second, time for about 3,000 people.
const remindTimeout = 10 * time.Minute

// remind runs "/okr remind" and reports to the caller, twice.
func (b *Bot) remind(ctx context.Context, r *request) {
	ctx, cancel := context.WithTimeout(ctx, remindTimeout)
	defer cancel()
	rep, err := b.scheduler.RemindNow(ctx, r.workspace, r.channel, func(n int, eta time.Duration) {
		if n > 0 && eta >= 5*time.Second {
			b.say(ctx, r, views.Sprintf(":mega: Sending %d reminder%s over about %s. I'll tell you here when they are out.", n, views.Plural(n), roughly(eta)))
		}
	})
	if err != nil {
		b.fail(ctx, r, "remind: sending", err)
		return
	}
	b.say(ctx, r, views.Sprintf(":mega: %s.", remindSummary(rep)))
}

// remindSummary says what a remind did, in a sentence.
func remindSummary(rep okrs.SendReport) string {
	parts := []string{fmt.Sprintf("Sent %d reminder%s", rep.Sent, views.Plural(rep.Sent))}
	if rep.CheckedIn > 0 {
		parts = append(parts, fmt.Sprintf("%d already checked in", rep.CheckedIn))
	}
	if rep.Already > 0 {
		parts = append(parts, fmt.Sprintf("%d reminded within the last hour", rep.Already))
	}
	if rep.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped (deactivated in Slack)", rep.Skipped))
	}
	if rep.Away > 0 {
		parts = append(parts, fmt.Sprintf("%d away (not reminded; they get one catch-up prompt when back)", rep.Away))
	}
	if rep.Retrying > 0 {
		parts = append(parts, fmt.Sprintf("%d could not be sent yet (Slack failed): I'll send them once Slack answers again", rep.Retrying))
	}
	if n := rep.Failed - rep.Retrying; n > 0 {
		parts = append(parts, fmt.Sprintf("%d could not be sent (Slack failed; they were not reminded)", n))
	}

	return strings.Join(parts, ", ")
}

// roughly writes a duration for people: "40 seconds", "3 minutes".
func roughly(d time.Duration) string {
	if d < 90*time.Second {
		return fmt.Sprintf("%d seconds", int(d.Round(time.Second).Seconds()))
	}
	return fmt.Sprintf("%d minutes", int(d.Round(time.Minute).Minutes()))
}
