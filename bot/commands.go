package bot

import (
	"context"
	"strings"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/views"
	"github.com/okrbot/okrbot/okrs"
)

// A command is one /okr subcommand. Commands are data: help is generated
// from this table.
type command struct {
	name    string
	args    string // how to call it, after the name
	summary string
	example string
	// run does the work after the ack. Commands that open a modal must do
	// so first: the trigger expires 3 s after the person pressed enter.
	run func(ctx context.Context, r *request, args string)
	// soon marks a command that a later release fills in.
	soon bool
}

func (b *Bot) commandTable() []*command {
	return []*command{
		{name: "help", summary: "Show this help.", example: "/okr help"},
		{name: "new", args: "[objective title]", summary: "Create an objective with its key results.", example: "/okr new Delight new customers", run: b.cmdNew},
		{name: "add", summary: "Add a key result to an objective.", example: "/okr add", run: b.cmdAdd},
		{name: "propose", args: "[key result]", summary: "Propose a key result for one of this team's objectives; its owner decides.", example: "/okr propose Raise week-1 activation to 60%", run: b.cmdPropose},
		{name: "edit", summary: "Edit an objective and its key results.", example: "/okr edit", run: b.cmdEdit},
		{name: "archive", summary: "Archive an objective: no more prompts, gone from status.", example: "/okr archive", run: b.cmdArchive},
		{name: "list", summary: "List this channel's objectives, with buttons to edit them.", example: "/okr list", run: b.cmdList},
		{name: "review", summary: "Coaching tips for this channel's objectives, only for you.", example: "/okr review", run: b.cmdReview},
		{name: "mine", summary: "Your key results, only for you.", example: "/okr mine", run: b.cmdMine},
		{name: "status", args: "[#channel | @person] [cycle]", summary: "Post where the team (or a person) stands, for everyone in the channel; name a cycle (2026-Q3) to look back.", example: "/okr status #growth", run: b.cmdStatus},
		{name: "tree", args: "[#channel]", summary: "The cycle's alignment: each objective under the one it aligns to, with rolled-up progress.", example: "/okr tree #growth", run: b.cmdTree},
		{name: "checkin", summary: "Check in on your key results: one short form for all of them.", example: "/okr checkin", run: b.cmdCheckIn},
		{name: "remind", summary: "Send this team's check-in prompts now, to whoever has not checked in (managers).", example: "/okr remind", run: b.cmdRemind},
		{name: "digest", args: "[preview | archive [cycle]]", summary: "Post this week's digest now (managers), preview it, or list the digests posted so far (only you).", example: "/okr digest archive 2026-Q3", run: b.cmdDigest},
		{name: "health", summary: "The team's check-in rates this cycle and the key results gone stale longest (managers, only you; counts, never names).", example: "/okr health", run: b.cmdHealth},
		{name: "away", args: "[until 2026-12-28]", summary: "You are away until a day: no prompts or nudges, one catch-up when you are back.", example: "/okr away until 2026-12-28", run: b.cmdAway},
		{name: "back", summary: "You are back early: prompts and nudges are on again.", example: "/okr back", run: b.cmdBack},
		{name: "settings", summary: "The team's check-in and digest schedule, and its managers.", example: "/okr settings", run: b.cmdSettings},
		{name: "cycle", summary: "The team's cycle and days left; managers start the next one (a quarter, a half or custom dates), extend or close it (grading follows).", example: "/okr cycle", run: b.cmdCycle},
		{name: "retro", summary: "The retrospective of the team's last cycle: grades, notes and questions, only for you.", example: "/okr retro", run: b.cmdRetro},
		{name: "export", args: "[csv | json | all] [#channel]", summary: "This team's OKRs of every cycle as a file in your DM: CSV files in a zip (the default) or JSON; `all` for workspace admins.", example: "/okr export csv", run: b.cmdExport},
	}
}

// lookup returns the command called name, or nil.
func (b *Bot) lookup(name string) *command {
	for _, c := range b.commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// splitCommand splits "/okr" text into a lower-case subcommand and the rest.
func splitCommand(text string) (name, args string) {
	text = strings.TrimSpace(text)
	name, args, _ = strings.Cut(text, " ")
	return strings.ToLower(name), strings.TrimSpace(args)
}

// onSlashCommand handles /okr: help and unknown subcommands are answered in
// the ack itself; everything else is acknowledged at once and answered later.
func (b *Bot) onSlashCommand(ctx context.Context, e *envelope, sc slack.SlashCommand) {
	r := commandRequest(sc)
	e.reply = func(ctx context.Context, t views.Mrkdwn) { b.say(ctx, r, t) }
	name, args := splitCommand(sc.Text)
	c := b.lookup(name)
	switch {
	case name == "" || name == "help":
		e.ack(b.helpMessage(""))
		return
	case c == nil:
		e.ack(b.helpMessage(name))
		return
	case c.soon:
		e.ack(ephemeralPayload(views.Sprintf("`/okr %s` is coming soon. Meanwhile, `/okr help` lists what works today.", c.name)))
		return
	}
	e.ack(nil)
	c.run(ctx, r, args)
}

// ephemeralPayload is a slash command ack that answers only the caller.
func ephemeralPayload(text views.Mrkdwn) map[string]any {
	return map[string]any{"response_type": "ephemeral", "text": text.String()}
}

// helpCommands is the command table as help shows it.
func (b *Bot) helpCommands() []views.Command {
	var out []views.Command
	for _, c := range b.commands {
		usage := "/okr " + c.name
		if c.args != "" {
			usage += " " + c.args
		}
		out = append(out, views.Command{Usage: usage, Summary: c.summary, Example: c.example, Soon: c.soon})
	}
	return out
}

// helpMessage is the /okr help answer, with a "did you mean" for an unknown
// subcommand.
func (b *Bot) helpMessage(unknown string) map[string]any {
	suggestion := ""
	if unknown != "" {
		suggestion = b.suggest(unknown)
	}
	m := views.Help(b.helpCommands(), unknown, suggestion)
	return map[string]any{"response_type": "ephemeral", "text": m.Text.String(), "blocks": m.Blocks}
}

// dmHelp answers a message someone wrote to okrbot.
func (b *Bot) dmHelp() message { return message{Message: views.DMHelp(b.helpCommands())} }

// suggest returns the command nearest to an unknown name, if any is near.
func (b *Bot) suggest(name string) string {
	best, bestDist := "", 3
	for _, c := range b.commands {
		if strings.HasPrefix(c.name, name) && len(name) >= 2 {
			return c.name
		}
		if d := okrs.EditDistance(name, c.name); d < bestDist {
			best, bestDist = c.name, d
		}
	}
	return best
}
