package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// Scheduler is what the Slack side asks of the scheduler (package
// reminders implements it): a manager's "/okr remind" and "/okr digest".
type Scheduler interface {
	// RemindNow sends a team's prompts now; started hears, before the
	// first is sent, how many will go out and how long that should take.
	RemindNow(ctx context.Context, workspace, team string, started func(sending int, eta time.Duration)) (okrs.SendReport, error)
	// Digest composes this week's digest of a team (for a preview).
	Digest(ctx context.Context, workspace, team string) (okrs.Digest, error)
	// PostDigestNow posts this week's digest unless it went out already
	// (or is going out on another replica): it reports whether this call
	// posted it, and otherwise where the week's digest stands.
	PostDigestNow(ctx context.Context, workspace, team string) (okrs.Delivery, bool, error)
}

// SetScheduler connects "/okr remind" and "/okr digest" to the scheduler.
func (b *Bot) SetScheduler(s Scheduler) { b.scheduler = s }

// isManager reports whether the requester may manage a team whose settings
// are st (okrs.Settings.MayManage), asking Slack whether they are an admin
// only when the settings alone do not say yes.
func (b *Bot) isManager(ctx context.Context, r *request, st okrs.Settings) (bool, error) {
	if st.MayManage(r.user, false) {
		return true, nil
	}
	admin, err := b.isAdmin(ctx, r.user)
	if err != nil {
		return false, err
	}
	return st.MayManage(r.user, admin), nil
}

var errNotManager = okrs.Errorf(okrs.EFORBIDDEN, "Only this team's managers or a workspace admin can do that. `/okr settings` shows who the managers are.")

// cmdSettings opens the team's settings: at once, then filled once the
// settings are loaded and the caller is known to manage the team.
func (b *Bot) cmdSettings(ctx context.Context, r *request, _ string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr settings` in the team's channel: each channel is a team with its own schedule."))
		return
	}
	b.openModal(ctx, r, "Team settings", func(ctx context.Context) (slack.ModalViewRequest, error) {
		st, err := b.settings(ctx, r.workspace, r.channel)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		ok, err := b.isManager(ctx, r, st)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if !ok {
			return slack.ModalViewRequest{}, shownError{errNotManager, views.Sprintf("%s Managers of %s: %s.", errNotManager.Message, views.Channel(r.channel), views.Mentions(st.Managers))}
		}
		if len(st.Managers) == 0 {
			st.Managers = []string{r.user}
		}
		return views.SettingsModal(r.channel, st, views.FormMeta{Channel: r.channel, Response: r.responseURL}), nil
	})
}

func (b *Bot) submitSettings(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	st, fe := views.ReadSettings(cb.View.State, okrs.DefaultSettings(b.defaultTZ))
	if len(fe) > 0 {
		e.ack(slack.NewErrorsViewSubmissionResponse(fe))
		return
	}
	e.ack(nil)
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	team := m.Channel
	if !isChannelID(team) {
		b.say(ctx, reply, views.Raw("Those settings belong to no team channel; run `/okr settings` in the team's channel."))
		return
	}
	// Whether the caller is an admin is asked once, up front; whether they
	// manage the team is judged inside the update, against the settings it
	// replaces.
	admin, err := b.isAdmin(ctx, r.user)
	if err != nil {
		b.fail(ctx, reply, "settings: checking permission", err)
		return
	}
	now := b.now()
	saved, err := b.store.UpdateSettings(ctx, r.workspace, team, func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		if !found {
			cur = okrs.DefaultSettings(b.defaultTZ)
		}
		if !cur.MayManage(r.user, admin) {
			return cur, errNotManager
		}
		next := st
		next.Anchor = cur.Anchor
		if next.Cadence == okrs.Biweekly && cur.Cadence != okrs.Biweekly {
			next.Anchor = okrs.DateOf(now.In(next.Location())) // fortnights start this week
		}
		next.UpdatedBy, next.UpdatedAt = r.user, now
		return next, nil
	})
	if err != nil {
		b.fail(ctx, reply, "settings: saving", err)
		return
	}
	b.say(ctx, reply, views.Sprintf(":white_check_mark: Saved. %s", views.DescribeSettings(saved, team)))
}

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
	st, err := b.settings(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, "remind: settings", err)
		return
	}
	if ok, err := b.isManager(ctx, r, st); err != nil || !ok {
		if err == nil {
			err = errNotManager
		}
		b.fail(ctx, r, "remind: checking permission", err)
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
	if rep.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d could not be sent (Slack failed; they were not reminded)", rep.Failed))
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
