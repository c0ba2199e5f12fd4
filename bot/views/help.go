package views

import (
	"github.com/slack-go/slack"
)

// Command is one /okr subcommand, as help shows it.
type Command struct {
	Usage   string // "/okr status [#channel | @person]"
	Summary string
	Example string
	Soon    bool // a later release fills it in
}

// Help is the /okr help answer. For an unknown subcommand it says so first,
// with suggestion (when not empty) as a "did you mean".
func Help(cmds []Command, unknown, suggestion string) Message {
	var parts []Mrkdwn
	if unknown != "" {
		parts = append(parts, Sprintf("I don't know `/okr %s`.", unknown))
		if suggestion != "" {
			parts = append(parts, Sprintf(" Did you mean `/okr %s`?", suggestion))
		}
		parts = append(parts, Raw("\n\n"))
	}
	parts = append(parts, Raw("*okrbot* keeps your team's OKRs alive. Here is what `/okr` can do:\n"))
	for _, c := range cmds {
		soon := Mrkdwn{}
		if c.Soon {
			soon = Raw(" _(coming soon)_")
		}
		parts = append(parts, Sprintf("• `%s` — %s%s  e.g. `%s`\n", c.Usage, c.Summary, soon, c.Example))
	}
	text := Join(parts, "")
	blocks := []slack.Block{
		section(text),
		contextText(Raw("Tip: good key results measure outcomes (what changes) rather than outputs (what you ship). Aim for 3–5 per objective.")),
	}
	return Message{Text: text, Blocks: blocks}
}

// DMHelp answers a message someone wrote to okrbot: what it can do, and
// that it speaks through /okr and the buttons on its messages.
func DMHelp(cmds []Command) Message {
	hi := Raw("Hi! I work through `/okr` (type it here or in your team's channel) and the buttons on my messages. To check in, you can also reply here with your numbers, like “signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout”, or “no change”.")
	help := Help(cmds, "", "")
	return Message{Text: hi.Append(Raw("\n\n"), help.Text), Blocks: append([]slack.Block{section(hi)}, help.Blocks...)}
}
