package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// mayManage returns nil when the requester may manage the team of the
// channel they ran a command in, whose settings are st
// (okrs.Settings.MayManage; being in the channel, they see it): they must
// be a member of the workspace (never a guest or someone from a partner
// organisation, whatever the settings list), and its admins may manage
// every team. Else it returns the refusal: errOutsider(what) or
// errNotManager.
func (b *Bot) mayManage(ctx context.Context, r *request, st okrs.Settings, what string) error {
	m, err := b.member(ctx, r.user)
	if err != nil {
		return err
	}
	if !m.BelongsTo(r.workspace) {
		return errOutsider(what)
	}
	if !st.MayManage(r.user, m.IsAdminOf(r.workspace), true) {
		return errNotManager
	}
	return nil
}

// managing reports whether the requester manages the team of the channel
// they are in; when not (or when that cannot be told), it has told them why.
// what names the action in logs ("remind", "digest").
func (b *Bot) managing(ctx context.Context, r *request, what string) bool {
	st, err := b.settings(ctx, r.workspace, r.channel)
	if err != nil {
		b.fail(ctx, r, what+": settings", err)
		return false
	}
	if err := b.mayManage(ctx, r, st, managingAsk[what]); err != nil {
		b.fail(ctx, r, what+": checking permission", err)
		return false
	}
	return true
}

// managingAsk is what an outsider is told to ask a member to do, by action.
var managingAsk = map[string]string{"remind": "send the reminders", "digest": "post the digest", "health": "see the team's check-in health"}

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
		if err := b.mayManage(ctx, r, st, "change this team's settings"); err != nil {
			if err != errNotManager {
				return slack.ModalViewRequest{}, err
			}
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
	if len(fe) == 0 {
		fe = b.checkManagers(ctx, r, st.Managers)
	}
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
	// Whether the caller is a member and an admin is asked once, up front;
	// whether they manage the team is judged inside the update, against the
	// settings it replaces.
	who, err := b.member(ctx, r.user)
	if err == nil && !who.BelongsTo(r.workspace) {
		err = errOutsider("change this team's settings")
	}
	if err != nil {
		b.fail(ctx, reply, "settings: checking permission", err)
		return
	}
	first, done := b.claimSubmission(ctx, r, cb) // see claimSubmission
	if !first {
		return
	}
	admin := who.IsAdminOf(r.workspace)
	now := b.now()
	may := b.manageCheck(r, team, admin)
	saved, err := b.store.UpdateSettings(ctx, r.workspace, team, func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		if !found {
			cur = okrs.DefaultSettings(b.defaultTZ)
		}
		if err := may(ctx, cur); err != nil {
			return cur, err
		}
		next := st
		next.Anchor = cur.Anchor
		if next.Cadence == okrs.Biweekly && cur.Cadence != okrs.Biweekly {
			next.Anchor = okrs.DateOf(now.In(next.Location())) // fortnights start this week
		}
		next.UpdatedBy, next.UpdatedAt = r.user, now
		return next, nil
	})
	done(err)
	if err != nil {
		b.fail(ctx, reply, "settings: saving", err)
		return
	}
	b.say(ctx, reply, views.Sprintf(":white_check_mark: Saved. %s", views.DescribeSettings(saved, team)))
}

// managerCheckTimeout bounds the users.info lookups of the managers a
// settings form names: they come before the ack, which Slack wants within
// 3 s. They are mostly answered from the user cache.
const managerCheckTimeout = 2 * time.Second

// checkManagers returns a field error on the managers block when the form
// names someone who may not manage a team: a guest or someone from another
// organisation (okrs.Member.BelongsTo), as Slack's people picker offers
// them too. It asks Slack (users.info), never the payload; when Slack
// cannot tell in time, the form is refused with a request to try again.
func (b *Bot) checkManagers(ctx context.Context, r *request, managers []string) views.FormErrors {
	ctx, cancel := context.WithTimeout(ctx, managerCheckTimeout)
	defer cancel()
	var problems []string
	for _, id := range managers {
		u, err := b.users.get(ctx, id)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && se.Err == "user_not_found" {
			return views.FormErrors{"managers": "I can't find one of these people in Slack: choose the managers again."}
		}
		if err != nil {
			b.logError("settings: checking a manager", r, b.slackErr("users.info", err))
			return views.FormErrors{"managers": "I couldn't check the managers with Slack just now. Please try again."}
		}
		switch m := memberOf(u); {
		case m.BelongsTo(r.workspace):
		case m.IsGuestOf(r.workspace):
			problems = append(problems, displayName(u)+" is a guest")
		default:
			problems = append(problems, displayName(u)+" is from another organisation")
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return views.FormErrors{"managers": joinAnd(problems) + ": guests and people from other organisations can't manage a team's OKRs."}
}

// joinAnd joins plain text as "a, b and c".
func joinAnd(ss []string) string {
	if len(ss) < 2 {
		return strings.Join(ss, "")
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " and " + ss[len(ss)-1]
}

// displayName is how Slack shows a person: their display name, else their
// full name, else their username.
func displayName(u *slack.User) string {
	for _, n := range []string{u.Profile.DisplayName, u.RealName, u.Profile.RealName, u.Name} {
		if n != "" {
			return n
		}
	}
	return u.ID
}

// manageCheck returns the check, made inside a settings update against the
// settings it replaces, that the requester (admin of this workspace or not)
// manages team (okrs.Settings.MayManage). Whether they see the team's
// channel (a form names it, and a forged one may name any team) is asked of
// Slack only when the settings alone do not let them manage it, and once.
func (b *Bot) manageCheck(r *request, team string, admin bool) func(ctx context.Context, cur okrs.Settings) error {
	var sees *bool
	return func(ctx context.Context, cur okrs.Settings) error {
		if cur.MayManage(r.user, admin, false) {
			return nil
		}
		if sees == nil {
			s, err := b.canSee(ctx, r.user, team)
			if err != nil {
				return err
			}
			sees = &s
		}
		switch {
		case !*sees:
			return errPrivateTeam
		case !cur.MayManage(r.user, admin, true):
			return errNotManager
		}
		return nil
	}
}
