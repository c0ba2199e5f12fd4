package bot

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
)

// cmdExport is "/okr export [csv|json|all] [#channel]": the team's OKRs
// (all cycles, archived ones included, with every check-in, change,
// proposal and grade) as a file in the caller's DM with okrbot. It answers
// at once, then loads, builds and uploads after the ack.
func (b *Bot) cmdExport(ctx context.Context, r *request, args string) {
	format, team, ok := b.exportArgs(ctx, r, args)
	if !ok {
		return
	}
	if format == "all" {
		b.exportAll(ctx, r)
		return
	}
	if !isChannelID(team) {
		b.say(ctx, r, views.Raw("Run `/okr export` in the team's channel, or name it: `/okr export csv #growth`."))
		return
	}
	if !b.insider(ctx, r, "export this team's OKRs") {
		return
	}
	sees, err := b.canSee(ctx, r.user, team)
	if err == nil && !sees {
		err = errPrivateTeam
	}
	if err != nil {
		b.fail(ctx, r, "export: checking the team", err)
		return
	}
	b.say(ctx, r, views.Sprintf("Preparing your export of %s (every cycle, archived objectives included)… I'll send it to you in a DM.", views.Channel(team)))
	if format == "json" {
		b.exportJSON(ctx, r, team)
		return
	}
	b.exportCSV(ctx, r, team)
}

// exportAll is "/okr export all": the whole workspace in the backup
// format, for its admins and owners only (as users.info says, for a member
// of this workspace: never a guest, nor another organisation's admin).
func (b *Bot) exportAll(ctx context.Context, r *request) {
	m, err := b.member(ctx, r.user)
	if err == nil && !m.BelongsTo(r.workspace) {
		err = errOutsider("export the workspace")
	}
	if err == nil && !m.IsAdminOf(r.workspace) {
		err = okrs.Errorf(okrs.EFORBIDDEN, "Only workspace admins and owners export the whole workspace. `/okr export` in a team's channel gives you that team's OKRs.")
	}
	if err != nil {
		b.fail(ctx, r, "export all: checking permission", err)
		return
	}
	b.say(ctx, r, views.Raw("Preparing the export of the whole workspace (every team and cycle, private teams and archived objectives included)… I'll send it to you in a DM."))
	b.exportJSON(ctx, r, "")
}

// exportJSON uploads the team's records (the workspace's, for team "") in
// okrbot's backup format to the person's DM.
func (b *Bot) exportJSON(ctx context.Context, r *request, team string) {
	now := b.now()
	data, summary, err := b.store.BackupJSON(ctx, r.workspace, team, now)
	if err != nil {
		b.fail(ctx, r, "export: reading the records", err)
		return
	}
	name, what := fmt.Sprintf("okrbot-workspace-%s-%s.json", fileSafe(r.workspace), now.UTC().Format(time.DateOnly)), views.Raw("the whole workspace")
	if team != "" {
		st, err := b.settings(ctx, r.workspace, team)
		if err != nil {
			b.fail(ctx, r, "export: settings", err)
			return
		}
		channel := ""
		if info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: team}); err == nil {
			channel = info.Name
		}
		name, what = exportName(channel, team, now, st.Location(), "json"), views.Channel(team)
	}
	comment := views.Sprintf("Your export of %s in okrbot's backup format (JSON, every cycle, archived objectives included): %s.", what, summary)
	dm, err := b.sendFile(ctx, r, name, data, comment)
	if err != nil {
		b.logError("export: uploading", r, err)
		b.say(ctx, r, views.Sprintf("I couldn't send you the export: %s", friendly(err)))
		return
	}
	b.log.Info("export sent", "workspace", r.workspace, "user", r.user, "team", team, "format", "json", "bytes", len(data))
	if r.channel != dm {
		b.say(ctx, r, views.Sprintf(":package: Done: `%s` is in your DM with me.", name))
	}
}

// sendFile uploads a file to the person's DM, with comment as its message,
// and returns the DM's id.
func (b *Bot) sendFile(ctx context.Context, r *request, name string, data []byte, comment views.Mrkdwn) (string, error) {
	dm, err := b.openDM(ctx, r.user)
	if err != nil {
		return "", err
	}
	_, err = b.api.UploadFileContext(ctx, slack.UploadFileParameters{
		Reader: bytes.NewReader(data), FileSize: len(data), Filename: name, Title: name,
		Channel: dm, InitialComment: comment.String(),
	})
	if err != nil {
		b.metrics.uploadFailures.Inc()
		return dm, b.slackErr("files.upload", err)
	}
	return dm, nil
}

// exportArgs reads the format and the team of "/okr export": csv (the
// default), json or all, and a #channel (this channel by default). It has
// answered the person when ok is false.
func (b *Bot) exportArgs(ctx context.Context, r *request, args string) (format, team string, ok bool) {
	format, team = "csv", r.channel
	for _, w := range strings.Fields(args) {
		switch lw := strings.ToLower(w); {
		case lw == "csv" || lw == "json" || lw == "all":
			format = lw
		case channelArg.MatchString(w):
			team = channelArg.FindStringSubmatch(w)[1]
		case strings.HasPrefix(w, "#"):
			b.say(ctx, r, views.Sprintf("I couldn't tell which channel `%s` is. Pick it from Slack's suggestions as you type, so it becomes a link: `/okr export #growth`.", shortArg(w)))
			return "", "", false
		default:
			b.say(ctx, r, views.Sprintf("I don't know `%s` here. Try `/okr export` (CSV files in a zip), `/okr export json`, `/okr export #channel` for another team, or `/okr export all` (workspace admins: everything, as JSON).", shortArg(w)))
			return "", "", false
		}
	}
	return format, team, true
}

// exportCSV builds the team's zip of CSV files and uploads it to the
// person's DM, telling them where it is (or what went wrong).
func (b *Bot) exportCSV(ctx context.Context, r *request, team string) {
	objs, err := b.store.TeamHistory(ctx, r.workspace, team)
	if err != nil {
		b.fail(ctx, r, "export: loading objectives", err)
		return
	}
	st, err := b.settings(ctx, r.workspace, team)
	if err != nil {
		b.fail(ctx, r, "export: settings", err)
		return
	}
	now := b.now()
	d := okrcsv.Data{Team: team, Timezone: st.Location().String(), Objectives: objs, Generated: now, People: b.names(ctx, r, objs)}
	if info, err := b.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: team}); err == nil {
		d.TeamName = info.Name
	} else {
		b.logError("export: the channel's name (left out)", r, b.slackErr("conversations.info", err))
	}
	zip, n, err := okrcsv.Export(d)
	if err != nil {
		b.fail(ctx, r, "export: building the zip", err)
		return
	}
	name := exportName(d.TeamName, team, now, st.Location(), "zip")
	comment := views.Sprintf("Your export of %s: %s of every cycle (archived ones included), %s, %s, %s and %s, as CSV files (UTF-8). What each column means: docs/export-csv.md in okrbot's repository.",
		views.Channel(team), count(n.Objectives, "objective"), count(n.KeyResults, "key result"), count(n.CheckIns, "check-in"),
		count(n.Changes, "change"), count(n.Proposals, "proposal"))
	dm, err := b.sendFile(ctx, r, name, zip, comment)
	if err != nil {
		b.logError("export: uploading", r, err)
		b.say(ctx, r, views.Sprintf("I couldn't send you the export: %s", friendly(err)))
		return
	}
	b.log.Info("export sent", "workspace", r.workspace, "user", r.user, "team", team, "objectives", n.Objectives, "bytes", len(zip))
	if r.channel != dm {
		b.say(ctx, r, views.Sprintf(":package: Done: `%s` (%s, %s, %s) is in your DM with me.", name,
			count(n.Objectives, "objective"), count(n.KeyResults, "key result"), count(n.CheckIns, "check-in")))
	}
}

// count is "1 objective", "2 objectives".
func count(n int, what string) string { return fmt.Sprintf("%d %s%s", n, what, views.Plural(n)) }

// openDM returns the id of okrbot's DM with user (conversations.open).
func (b *Bot) openDM(ctx context.Context, user string) (string, error) {
	ch, _, _, err := b.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}})
	if err != nil {
		return "", b.slackErr("conversations.open", err)
	}
	return ch.ID, nil
}

// exportName is an export's file name: okrbot-<channel>-<date>.<ext>, the
// date in the team's timezone.
func exportName(channelName, team string, now time.Time, loc *time.Location, ext string) string {
	base := channelName
	if base == "" {
		base = team
	}
	return fmt.Sprintf("okrbot-%s-%s.%s", fileSafe(base), now.In(loc).Format(time.DateOnly), ext)
}

// fileSafe keeps letters, digits, '-' and '_' of s, and turns the rest into
// '-'.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}

// names returns the names of everyone the objectives mention (owners,
// authors, deciders), as Slack knows them; someone Slack cannot describe is
// left out (their id is in the export anyway).
func (b *Bot) names(ctx context.Context, r *request, objs []okrs.Objective) map[string]string {
	ids := map[string]bool{}
	add := func(id string) {
		if id != "" {
			ids[id] = true
		}
	}
	for _, o := range objs {
		add(o.Owner)
		add(o.CreatedBy)
		add(o.Grading.By)
		for _, kr := range o.KeyResults {
			add(kr.Owner)
			for _, ci := range kr.CheckIns {
				add(ci.Author)
			}
			for _, h := range kr.TargetHistory {
				add(h.By)
			}
		}
		for _, p := range o.Proposals {
			add(p.KeyResult.Owner)
			add(p.ProposedBy)
			add(p.DecidedBy)
		}
	}
	if len(ids) > 20 {
		if _, err := b.workspaceStatuses(ctx, r.workspace); err != nil { // lists the workspace: warms the users.info cache
			b.logError("export: listing people (names looked up one by one)", r, b.slackErr("users.list", err))
		}
	}
	out := map[string]string{}
	for id := range ids {
		u, err := b.users.get(ctx, id)
		if err != nil {
			b.logError("export: a person's name (left out)", r, b.slackErr("users.info", err))
			continue
		}
		out[id] = displayName(u)
	}
	return out
}
