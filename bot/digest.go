package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// maxDigestProgressCharts is how many objectives get their own progress
// chart under the digest, besides the overview.
const maxDigestProgressCharts = 3

// PostDigest, for the scheduler, posts a digest: the digest's text in the
// channel, then its charts in the thread. A chart that cannot be uploaded
// is logged and counted; the digest stands without it.
func (b *Bot) PostDigest(ctx context.Context, d okrs.Digest) (okrs.Posted, error) {
	m := message{Message: views.Digest(d)}
	var tag []slack.MsgOption
	if d.Key != "" {
		tag = append(tag, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: digestEvent, EventPayload: map[string]any{"key": d.Key}}))
	}
	_, ts, err := b.api.PostMessageContext(ctx, d.Channel, m.options(tag...)...)
	if err != nil {
		err = b.slackErr("chat.postMessage", err)
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "not_in_channel" || se.Err == "channel_not_found" || se.Err == "is_archived") {
			b.tellManagers(ctx, d, se.Err)
			return okrs.Posted{}, fmt.Errorf("%w: %s", okrs.ErrGone, se.Err)
		}
		return okrs.Posted{}, b.messengerErr(err)
	}
	if !d.Empty() {
		files, failed := renderCharts(digestCharts(d))
		for _, err := range failed {
			b.log.Error("drawing a digest chart failed", slog.String("team", d.Team), slog.Any("err", err))
		}
		for _, f := range files {
			if err := b.upload(ctx, d.Channel, ts, f); err != nil {
				b.log.Warn("uploading a digest chart failed; the digest is posted without it",
					slog.String("team", d.Team), slog.String("chart", f.name), slog.Any("err", err))
			}
		}
	}
	return okrs.Posted{Channel: d.Channel, TS: ts}, nil
}

// digestEvent tags digest messages (Slack message metadata), so that a
// replica taking over from one that died can tell whether it was posted.
const digestEvent = "okrbot_digest"

// FindDigest, for the scheduler, looks through the latest messages of the
// digest's channel (conversations.history; okrbot is a member wherever it
// posts digests) for one tagged with the digest's key. Its charts may be
// missing if the poster died while uploading them: they are not uploaded
// again, so that nothing appears twice.
func (b *Bot) FindDigest(ctx context.Context, d okrs.Digest) (okrs.Posted, bool, error) {
	h, err := b.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{ChannelID: d.Channel, Limit: 100, IncludeAllMetadata: true})
	if err != nil {
		return okrs.Posted{}, false, b.messengerErr(b.slackErr("conversations.history", err))
	}
	for _, m := range h.Messages {
		if m.Metadata.EventType == digestEvent && m.Metadata.EventPayload["key"] == d.Key {
			return okrs.Posted{Channel: d.Channel, TS: m.Timestamp}, true, nil
		}
	}
	return okrs.Posted{}, false, nil
}

// tellManagers DMs a team's managers (or, without managers, its objective
// owners) that the digest could not be posted, and why.
func (b *Bot) tellManagers(ctx context.Context, d okrs.Digest, why string) {
	st, err := b.settings(ctx, d.Workspace, d.Team)
	if err != nil { // tell the owners instead
		b.logError("digest: finding the team's managers", &request{workspace: d.Workspace}, err)
	}
	people := st.Managers
	if len(people) == 0 {
		for _, o := range d.Objectives {
			people = append(people, o.Objective.Owner)
		}
	}
	text := views.Sprintf("I couldn't post the weekly OKR digest in %s: %s", views.Channel(d.Channel),
		friendly(slack.SlackErrorResponse{Err: why}))
	seen := map[string]bool{}
	for _, u := range people {
		if !seen[u] {
			seen[u] = true
			if err := b.dm(ctx, u, message{Message: views.Message{Text: text}}); err != nil {
				b.logError("telling a manager about the digest", &request{workspace: d.Workspace, user: u}, err)
			}
		}
	}
}

// digestCharts lists the digest's charts: the overview, then progress
// charts of the objectives that most need attention.
func digestCharts(d okrs.Digest) []func() (chartFile, error) {
	objs := make([]okrs.Objective, len(d.Objectives))
	for i, o := range d.Objectives {
		objs[i] = o.Objective
	}
	jobs := []func() (chartFile, error){func() (chartFile, error) {
		return overviewChart(d.Cycle.Name+" objectives", objs, d.Cycle, d.Now)
	}}
	for n, i := range attention(objs, d.Cycle, d.Now, func(i int) float64 { return d.Objectives[i].Change() }) {
		if n == maxDigestProgressCharts {
			break
		}
		o := &objs[i]
		jobs = append(jobs, func() (chartFile, error) { return progressChart(o, d.Cycle, d.Now) })
	}
	return jobs
}

// cmdDigest posts the digest now (managers), or previews it for the caller.
func (b *Bot) cmdDigest(ctx context.Context, r *request, args string) {
	if !isChannelID(r.channel) {
		b.say(ctx, r, views.Raw("Run `/okr digest` in the team's channel."))
		return
	}
	if b.scheduler == nil {
		b.say(ctx, r, views.Raw("Digests are not running on this okrbot."))
		return
	}
	switch strings.ToLower(strings.TrimSpace(args)) {
	case "preview":
		d, err := b.scheduler.Digest(ctx, r.workspace, r.channel)
		if err != nil {
			b.fail(ctx, r, "digest: composing", err)
			return
		}
		m := message{Message: views.DigestPreview(d)}
		if err := b.respond(ctx, r, m); err != nil {
			b.fail(ctx, r, "digest: preview", err)
		}
		return
	case "":
	default:
		if rest, ok := strings.CutPrefix(strings.TrimSpace(args), "archive"); ok && (rest == "" || rest[0] == ' ') {
			b.digestArchive(ctx, r, strings.TrimSpace(rest))
			return
		}
		b.say(ctx, r, views.Raw("Use `/okr digest` to post this week's digest now, `/okr digest preview` to see it first (only you), or `/okr digest archive [cycle]` for the digests posted so far."))
		return
	}
	if !b.managing(ctx, r, "digest") {
		return
	}
	d, posted, err := b.scheduler.PostDigestNow(ctx, r.workspace, r.channel)
	switch {
	case err != nil:
		b.fail(ctx, r, "digest: posting", err)
	case !posted && d.State == okrs.DeliveryClaimed:
		b.say(ctx, r, views.Raw(":newspaper: This week's digest is being posted right now."))
	case !posted:
		b.say(ctx, r, views.Sprintf(":newspaper: This week's digest is already posted%s: it goes out once a week. `/okr digest preview` shows how it reads now.", b.where(ctx, d.Posted)))
	case d.Posted.Channel != r.channel:
		b.say(ctx, r, views.Sprintf(":newspaper: Posted this week's digest in %s.", views.Channel(d.Posted.Channel)))
	}
}

// where says where a message is, as " in #channel (link)", or "" when Slack
// cannot give a link.
func (b *Bot) where(ctx context.Context, p okrs.Posted) views.Mrkdwn {
	if p.Zero() {
		return views.Raw("")
	}
	link, err := b.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: p.Channel, Ts: p.TS})
	if err != nil {
		b.logError("linking to a message", nil, b.slackErr("chat.getPermalink", err))
		return views.Sprintf(" in %s", views.Channel(p.Channel))
	}
	return views.Sprintf(" in %s (%s)", views.Channel(p.Channel), views.Link(link, "see it"))
}

// maxArchiveLinks is how many digests an archive answer lists (and links:
// one chat.getPermalink each): a half year of weeks.
const maxArchiveLinks = 26

// digestArchive answers "/okr digest archive [cycle]": the team's posted
// digests, newest first, each with a link, only for the caller.
func (b *Bot) digestArchive(ctx context.Context, r *request, cycleName string) {
	cycle := ""
	if cycleName != "" {
		c, err := b.cycleNamed(ctx, r.workspace, r.channel, cycleName)
		if okrs.ErrorCode(err) == okrs.EINVALID {
			b.say(ctx, r, unknownCycle(cycleName))
			return
		}
		if err != nil {
			b.fail(ctx, r, "digest archive: cycle", err)
			return
		}
		cycle = c.Name
	}
	recs, err := b.store.Digests(ctx, r.workspace, r.channel, cycle)
	if err != nil {
		b.fail(ctx, r, "digest archive: loading", err)
		return
	}
	v := views.DigestArchiveView{Team: r.channel, Cycle: cycle, Total: len(recs)}
	for i, rec := range recs {
		if i == maxArchiveLinks {
			break
		}
		item := views.DigestArchiveItem{Record: rec}
		if link, err := b.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: rec.Channel, Ts: rec.TS}); err == nil {
			item.Link = link
		} else {
			b.logError("digest archive: linking to a digest", r, b.slackErr("chat.getPermalink", err))
		}
		v.Items = append(v.Items, item)
	}
	if err := b.respond(ctx, r, message{Message: views.DigestArchive(v)}); err != nil {
		b.logError("digest archive: answering", r, err)
	}
}
