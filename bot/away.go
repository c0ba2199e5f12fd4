package bot

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// Respecting people's time: Slack statuses for the scheduler, /okr away and
// /okr back, and the prompt's "Remind me later".

// statusTTL is how long a workspace's statuses, read in bulk with
// users.list, are trusted: a sweep reads them at most once in that time,
// however many teams and people it goes through.
const statusTTL = 3 * time.Minute

// statuses caches each workspace's Slack statuses.
type statuses struct {
	mu   sync.Mutex
	byWS map[string]*wsStatuses
}

type wsStatuses struct {
	mu     sync.Mutex // held while loading: one users.list at a time per workspace
	at     time.Time
	status map[string]okrs.Status
}

func (s *statuses) of(ws string) *wsStatuses {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byWS == nil {
		s.byWS = map[string]*wsStatuses{}
	}
	w := s.byWS[ws]
	if w == nil {
		w = &wsStatuses{}
		s.byWS[ws] = w
	}
	return w
}

// workspaceStatuses returns the workspace's statuses, from users.list (all
// pages, 1,000 people a call) when the cached ones are older than
// statusTTL. The users it loads also warm the users.info cache.
func (b *Bot) workspaceStatuses(ctx context.Context, ws string) (map[string]okrs.Status, error) {
	w := b.statuses.of(ws)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := b.now()
	if w.status != nil && now.Sub(w.at) < statusTTL && !now.Before(w.at) {
		return w.status, nil
	}
	opts := []slack.GetUsersOption{slack.GetUsersOptionLimit(1000)}
	if strings.HasPrefix(ws, "T") { // a workspace install; an org-wide one lists the organisation
		opts = append(opts, slack.GetUsersOptionTeamID(ws))
	}
	users, err := b.api.GetUsersContext(ctx, opts...)
	if err != nil {
		return nil, b.slackErr("users.list", err)
	}
	out := make(map[string]okrs.Status, len(users))
	b.users.mu.Lock()
	for i := range users {
		u := &users[i]
		b.users.entries[u.ID] = userEntry{user: u, at: now}
		st := okrs.Status{Text: u.Profile.StatusText, Emoji: u.Profile.StatusEmoji}
		if u.Profile.StatusExpiration > 0 {
			st.Expiration = time.Unix(int64(u.Profile.StatusExpiration), 0).UTC()
		}
		if st.Text != "" || st.Emoji != "" {
			out[u.ID] = st
		}
	}
	b.users.mu.Unlock()
	w.status, w.at = out, now
	return out, nil
}

// Away tells the scheduler which of users are away at now by their Slack
// status (reminders.Presence).
func (b *Bot) Away(ctx context.Context, workspace string, users []string, now time.Time) (map[string]okrs.Away, error) {
	all, err := b.workspaceStatuses(ctx, workspace)
	if err != nil {
		return nil, err
	}
	out := map[string]okrs.Away{}
	for _, u := range users {
		if a, ok := all[u].AwayAt(now); ok {
			out[u] = a
		}
	}
	return out, nil
}

// personLocation returns a person's Slack timezone, UTC when unknown.
func (b *Bot) personLocation(ctx context.Context, user string) *time.Location {
	u, err := b.users.get(ctx, user)
	if err != nil || u.TZ == "" {
		return time.UTC
	}
	return okrs.Location(u.TZ)
}

// cmdAway is "/okr away until 2026-12-28", or "/okr away" alone: a small
// modal with a date picker.
func (b *Bot) cmdAway(ctx context.Context, r *request, args string) {
	if strings.TrimSpace(args) == "" {
		meta := views.FormMeta{Channel: r.channel, Response: r.responseURL}
		b.openModal(ctx, r, "Away", func(ctx context.Context) (slack.ModalViewRequest, error) {
			return views.AwayModal(b.now().In(b.personLocation(ctx, r.user)), meta), nil
		})
		return
	}
	b.saveAway(ctx, r, args)
}

// saveAway records that the person is away until the day args names.
func (b *Bot) saveAway(ctx context.Context, r *request, args string) {
	now := b.now()
	until, err := okrs.ParseAwayUntil(args, now, b.personLocation(ctx, r.user))
	if err != nil {
		b.say(ctx, r, friendly(err))
		return
	}
	if err := b.store.SetAway(ctx, r.workspace, okrs.AwayRecord{User: r.user, Until: until, SetAt: now}); err != nil {
		b.fail(ctx, r, "away: saving", err)
		return
	}
	b.say(ctx, r, views.AwaySaved(until))
}

// submitAway saves the away modal. A date that is not in the future (by
// UTC's calendar, checked before the ack) or more than a year ahead shows
// under the picker; the person's own timezone is judged after the ack.
func (b *Bot) submitAway(ctx context.Context, e *envelope, r *request, cb slack.InteractionCallback) {
	date := views.ReadAway(cb.View.State)
	if _, err := okrs.ParseAwayUntil(date, b.now(), time.UTC); err != nil {
		e.ack(slack.NewErrorsViewSubmissionResponse(map[string]string{"until": friendly(err).String()}))
		return
	}
	e.ack(nil)
	m := views.DecodeFormMeta(cb.View.PrivateMetadata)
	reply := &request{workspace: r.workspace, user: r.user, channel: m.Channel, responseURL: m.Response}
	b.saveAway(ctx, reply, date)
}

// cmdBack is "/okr back": prompts and nudges are on again.
func (b *Bot) cmdBack(ctx context.Context, r *request, _ string) {
	was, err := b.store.ClearAway(ctx, r.workspace, r.user)
	if err != nil {
		b.fail(ctx, r, "back: saving", err)
		return
	}
	status := false
	if away, err := b.Away(ctx, r.workspace, []string{r.user}, b.now()); err == nil {
		_, status = away[r.user]
	}
	b.say(ctx, r, views.Back(was, status))
}

// onSnooze is the prompt's "Remind me later": the prompt comes back then
// (the scheduler's sweep re-sends it, once), and the prompt message says
// until when. Pressed twice on one message, it snoozes once.
func (b *Bot) onSnooze(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	team, period, opt, ok := views.ParseSnooze(a.SelectedOption.Value)
	at := okrs.Posted{Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs}
	if at.Channel == "" {
		at.Channel = cb.Channel.ID
	}
	if at.TS == "" {
		at.TS = cb.Message.Timestamp
	}
	if !ok || at.Zero() {
		b.say(ctx, r, views.Raw("That menu is out of date; `/okr checkin` works any time."))
		return
	}
	st, err := b.store.Settings(ctx, r.workspace, team)
	if okrs.ErrorCode(err) == okrs.ENOTFOUND {
		st, err = okrs.DefaultSettings(b.defaultTZ), nil
	}
	if err != nil {
		b.fail(ctx, r, "snooze: loading settings", err)
		return
	}
	loc := st.Location()
	if person := b.personLocation(ctx, r.user); st.OwnerLocalTime && person != time.UTC {
		loc = person
	}
	now := b.now()
	if okrs.PlanAt(st, loc, now).Period.Key != period {
		b.say(ctx, r, views.Raw("That prompt is from an earlier check-in period; this one's comes on its own. `/okr checkin` works any time."))
		return
	}
	until, err := st.SnoozeUntil(opt, now, loc)
	if err != nil {
		b.say(ctx, r, friendly(err))
		return
	}
	saved, _, err := b.store.SaveSnooze(ctx, r.workspace, okrs.Snooze{Team: team, User: r.user, Period: period, Until: until, Source: at.TS})
	if err != nil {
		b.fail(ctx, r, "snooze: saving", err)
		return
	}
	m := message{Message: views.PromptSnoozed(team, saved.Until.In(loc))}
	// Only the person's own prompt, in their DM with okrbot, is turned
	// into "Snoozed": the payload's message is not trusted to be one.
	if dm, err := b.store.DMChannel(ctx, r.workspace, r.user); err != nil || dm != at.Channel {
		b.say(ctx, r, m.Text)
		return
	}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, at.Channel, at.TS, m.options()...); err != nil {
		b.logError("snooze: updating the prompt", r, b.slackErr("chat.update", err))
		b.say(ctx, r, m.Text)
	}
}
