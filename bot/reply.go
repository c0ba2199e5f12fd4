package bot

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// Check in by replying: what a person writes in the DM is read against their
// key results (okrs.ParseReply). What okrbot understood comes back as a
// preview with Save and Edit in the form, and is kept as a draft under the
// person's id, named by their message's ts: the buttons carry only that
// name, so nothing in a button is trusted. Save records the draft's
// check-ins once (keyed by the draft), through the check-in modal's path,
// and only while each key result's last check-in is still the one the
// preview was made from: a preview made stale by a newer check-in, or by a
// new cycle, is refused politely. Questions the parser could not answer are
// shown, never guessed: Save records only the key results it placed, and
// the form has everything.

// replyDraftTTL is how long a preview can be saved.
const replyDraftTTL = 24 * time.Hour

// replyDraft is a preview's understanding, as stored.
type replyDraft struct {
	Team     string       `json:"m,omitempty"` // the team whose prompt was answered
	Channel  string       `json:"c"`           // where the preview is
	TS       string       `json:"s"`
	NoChange bool         `json:"n,omitempty"`
	Entries  []replyEntry `json:"e"`
}

type replyEntry struct {
	KR      string     `json:"k"`
	Value   float64    `json:"v"`
	Level   okrs.Level `json:"l"`
	Comment string     `json:"m,omitempty"`
	LastAt  int64      `json:"t"` // the key result's last check-in when the preview was made, unix ms (0: none)
}

func replyDraftID(ts string) string { return "reply:" + ts }

// onDM answers a person's own message in their DM with okrbot: a check-in
// preview when it reads as one, else the help; in the message's thread
// when it was written in one (thread is its thread_ts, "" for none).
func (b *Bot) onDM(ctx context.Context, r *request, channel, ts, thread, text string) {
	var where []slack.MsgOption
	if thread != "" {
		where = append(where, slack.MsgOptionTS(thread))
	}
	if m, team, ok := b.replyKeyResults(ctx, r); ok && len(m.krs) > 0 {
		rep := okrs.ParseReply(text, m.krs)
		if !rep.Empty() {
			b.postPreview(ctx, r, channel, ts, team, m, rep, where...)
			return
		}
	}
	msg := b.dmHelp()
	if _, _, err := b.api.PostMessageContext(ctx, channel, msg.options(where...)...); err != nil {
		b.logError("answering a DM", r, b.slackErr("chat.postMessage", err))
	}
}

// replyKeyResults loads the person's open key results of the current
// cycles as the check-in modal does, those of the team that prompted them
// last first, in the prompt's order.
func (b *Bot) replyKeyResults(ctx context.Context, r *request) (mine, string, bool) {
	m, err := b.myKeyResults(ctx, r, "")
	if err != nil {
		b.logError("reading a reply: loading key results", r, err)
		return mine{}, "", false
	}
	team, latest := "", 0.0
	seen := map[string]bool{}
	for _, o := range m.objs {
		if seen[o.Team] {
			continue
		}
		seen[o.Team] = true
		ref, err := b.store.LastPrompt(ctx, r.workspace, o.Team, r.user)
		if err != nil {
			b.logError("reading a reply: finding the prompt", r, err)
			continue
		}
		if t, err := strconv.ParseFloat(ref.TS, 64); err == nil && t > latest {
			team, latest = o.Team, t
		}
	}
	if team != "" {
		if m, err = b.myKeyResults(ctx, r, team); err != nil {
			b.logError("reading a reply: loading key results", r, err)
			return mine{}, "", false
		}
	}
	return m, team, true
}

// postPreview posts what okrbot understood and keeps it as a draft.
func (b *Bot) postPreview(ctx context.Context, r *request, channel, ts, team string, m mine, rep okrs.Reply, where ...slack.MsgOption) {
	id := replyDraftID(ts)
	if len(rep.Updates) > views.MaxPreviewUpdates {
		rep.Updates = rep.Updates[:views.MaxPreviewUpdates] // as shown: nothing is saved unseen
	}
	d := replyDraft{Team: team, Channel: channel, NoChange: rep.NoChange}
	for _, u := range rep.Updates {
		kr := m.krs[u.KeyResult]
		d.Entries = append(d.Entries, replyEntry{KR: kr.ID, Value: u.Value, Level: u.Level, Comment: u.Comment, LastAt: msOf(kr.LastCheckIn)})
	}
	// Kept before it is posted, so that its buttons find it at once; then
	// again with where it landed, for chat.update.
	data, _ := json.Marshal(d)
	if err := b.store.SaveDraft(ctx, r.workspace, r.user, id, data, replyDraftTTL); err != nil {
		b.logError("keeping a reply's preview", r, err)
		b.say(ctx, &request{workspace: r.workspace, user: r.user}, views.Sprintf("I read your check-in but could not keep it to save (%s). Please try again, or use `/okr checkin`.", friendly(err)))
		return
	}
	preview := message{Message: views.ReplyPreview(m.krs, rep, id)}
	_, posted, err := b.api.PostMessageContext(ctx, channel, preview.options(where...)...)
	if err != nil {
		b.logError("answering a reply", r, b.slackErr("chat.postMessage", err))
		return
	}
	d.TS = posted
	data, _ = json.Marshal(d)
	if err := b.store.SaveDraft(ctx, r.workspace, r.user, id, data, replyDraftTTL); err != nil {
		b.logError("keeping where a reply's preview is", r, err) // Save still works; the preview is then not updated
	}
}

func msOf(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMSOf(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

// loadReplyDraft reads the person's draft a button names; nil when it is
// gone (saved, or expired).
func (b *Bot) loadReplyDraft(ctx context.Context, r *request, id string) (*replyDraft, error) {
	data, err := b.store.Draft(ctx, r.workspace, r.user, id)
	if err != nil || data == nil {
		return nil, err
	}
	var d replyDraft
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, nil
	}
	return &d, nil
}

// errPreviewGone answers a button of a preview that is no longer kept.
var errPreviewGone = okrs.Errorf(okrs.ENOTFOUND, "I no longer have that preview (it was saved, or it is more than a day old). Reply again with your numbers, or use `/okr checkin`.")

// onReplySave records a preview's check-ins, once.
func (b *Bot) onReplySave(ctx context.Context, r *request, cb slack.InteractionCallback, a *slack.BlockAction) {
	id := a.Value
	d, err := b.loadReplyDraft(ctx, r, id)
	if err != nil {
		b.fail(ctx, r, "saving a reply: loading its preview", err)
		return
	}
	if d == nil {
		b.say(ctx, r, friendly(errPreviewGone))
		return
	}
	if d.TS == "" && cb.Container.ChannelID == d.Channel {
		// Pressed before okrbot noted where the preview landed: the
		// button's message, in the person's own DM, is it.
		d.TS = cb.Container.MessageTs
	}
	m, err := b.myKeyResults(ctx, r, d.Team)
	if err != nil {
		b.fail(ctx, r, "saving a reply: loading key results", err)
		return
	}
	entries := make([]views.CheckInEntry, 0, len(d.Entries))
	lastAt := map[string]time.Time{}
	for _, e := range d.Entries {
		if m.byID(e.KR) == nil {
			// Archived, given to someone else, or of a cycle that ended.
			b.refusePreview(ctx, r, d, id, views.Raw("your key results changed since this preview (a new cycle, or one of them is no longer yours)."))
			return
		}
		entries = append(entries, views.CheckInEntry{ID: e.KR, Value: e.Value, Level: e.Level, Note: e.Comment})
		lastAt[e.KR] = fromMSOf(e.LastAt)
	}
	outcome, saved := b.recordCheckIns(ctx, r, checkInSave{promptTeam: d.Team, m: m, entries: entries,
		noChange: d.NoChange, key: "reply:" + r.user + ":" + id, lastAt: lastAt, quiet: true})
	switch outcome {
	case saveRecorded:
		b.updatePreview(ctx, r, d.Channel, d.TS, views.ReplySaved(m.krs, saved, b.now()))
		if err := b.store.DropDraft(context.WithoutCancel(ctx), r.workspace, r.user, id); err != nil {
			b.logError("saving a reply: forgetting its preview", r, err)
		}
	case saveStale:
		b.refusePreview(ctx, r, d, id, views.Raw("you checked in again after this preview, and I would not overwrite the newer check-in with it."))
	case saveNotTheirs:
		b.refusePreview(ctx, r, d, id, views.Raw("those key results are no longer yours to check in on."))
	}
}

// refusePreview says why a preview cannot be saved, on the preview itself,
// and forgets it.
func (b *Bot) refusePreview(ctx context.Context, r *request, d *replyDraft, id string, why views.Mrkdwn) {
	b.updatePreview(ctx, r, d.Channel, d.TS, views.ReplyNotSaved(why))
	if err := b.store.DropDraft(context.WithoutCancel(ctx), r.workspace, r.user, id); err != nil {
		b.logError("refusing a reply: forgetting its preview", r, err)
	}
}

// updatePreview replaces a preview (where its draft says it is) by m.
func (b *Bot) updatePreview(ctx context.Context, r *request, channel, ts string, m views.Message) {
	if channel == "" || ts == "" {
		return
	}
	if _, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, message{Message: m}.options()...); err != nil {
		b.logError("updating a reply's preview", r, b.slackErr("chat.update", err))
	}
}

// onReplyEdit opens the check-in modal with what the preview understood
// filled in: at once, then filled.
func (b *Bot) onReplyEdit(ctx context.Context, r *request, _ slack.InteractionCallback, a *slack.BlockAction) {
	id := a.Value
	b.openModal(ctx, r, "Weekly check-in", func(ctx context.Context) (slack.ModalViewRequest, error) {
		d, err := b.loadReplyDraft(ctx, r, id)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		team := ""
		prefill := map[string]views.CheckInEntry{}
		if d != nil {
			team = d.Team
			for _, e := range d.Entries {
				prefill[e.KR] = views.CheckInEntry{ID: e.KR, Value: e.Value, Level: e.Level, Note: e.Comment}
			}
		}
		m, err := b.myKeyResults(ctx, r, team)
		if err != nil {
			return slack.ModalViewRequest{}, err
		}
		if len(m.krs) == 0 {
			return slack.ModalViewRequest{}, errNothingToCheckIn
		}
		meta := views.CheckInMeta{Team: team, Channel: r.channel, Response: r.responseURL}
		if d != nil {
			meta.Reply = id
		}
		return views.CheckInModalPrefilled(m.objs, m.krs, meta, prefill), nil
	})
}

// replySavedByForm turns the preview the check-in form was opened from into
// "Saved ✓" once the form recorded the check-ins, and forgets its draft.
// The id comes from the form's metadata, but drafts are kept under the
// person's own id: it can only name one of theirs.
func (b *Bot) replySavedByForm(ctx context.Context, r *request, id string, m mine, saved []okrs.CheckIn) {
	d, err := b.loadReplyDraft(ctx, r, id)
	if err != nil || d == nil {
		if err != nil {
			b.logError("check-in form: finding its reply's preview", r, err)
		}
		return
	}
	b.updatePreview(ctx, r, d.Channel, d.TS, views.ReplySaved(m.krs, saved, b.now()))
	if err := b.store.DropDraft(context.WithoutCancel(ctx), r.workspace, r.user, id); err != nil {
		b.logError("check-in form: forgetting its reply's preview", r, err)
	}
}
