package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxSectionText   = 3000
	maxHeaderText    = 150
	maxOptionText    = 75
	maxOptions       = 100
	maxModalTitle    = 24
	maxContextText   = 2000
)

func shorten(s string, n int) string { return okrs.Shorten(s, n) }

// esc escapes the three characters Slack's mrkdwn treats as control.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func mention(user string) string  { return "<@" + user + ">" }
func channelRef(ch string) string { return "<#" + ch + ">" }
func md(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text, false, false)
}
func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// section is a mrkdwn section, its text cut to Slack's limit.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(md(shorten(text, maxSectionText)), nil, nil)
}

func header(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(plain(shorten(text, maxHeaderText)))
}

func contextText(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", md(shorten(text, maxContextText)))
}

// progressBar draws a fraction as ten cells: ▰▰▰▰▰▱▱▱▱▱.
func progressBar(p float64) string {
	if math.IsNaN(p) {
		p = 0
	}
	n := int(math.Round(min(max(p, 0), 1) * 10))
	return strings.Repeat("▰", n) + strings.Repeat("▱", 10-n)
}

// paceLabel names a pace with an emoji; the words carry the meaning, the
// emoji only helps the eye.
func paceLabel(p okrs.Pace) string {
	switch p {
	case okrs.Ahead:
		return ":rocket: Ahead"
	case okrs.OnPace:
		return ":white_check_mark: On pace"
	case okrs.Behind:
		return ":warning: Behind"
	}
	return string(p)
}

func confidenceLabel(c okrs.Confidence) string {
	var s string
	switch c.Level {
	case okrs.OnTrack:
		s = ":large_green_circle: On track"
	case okrs.AtRisk:
		s = ":large_yellow_circle: At risk"
	case okrs.OffTrack:
		s = ":red_circle: Off track"
	default:
		return ":white_circle: No check-in yet"
	}
	return s
}

// ago says how long ago t was, from now: "today", "yesterday", "3 days ago".
func ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	days := int(d.Hours() / 24)
	switch {
	case d < 0 || days == 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 14:
		return fmt.Sprintf("%d days ago", days)
	case days < 60:
		return fmt.Sprintf("%d weeks ago", days/7)
	}
	return fmt.Sprintf("%d months ago", days/30)
}

// checkInAge says how long since a key result's last check-in, flagging it
// when stale.
func checkInAge(kr *okrs.KeyResult, now time.Time) string {
	if kr.LastCheckIn.IsZero() {
		if kr.Stale(now) {
			return ":hourglass: no check-in yet"
		}
		return "no check-in yet"
	}
	s := "checked in " + ago(kr.LastCheckIn, now)
	if kr.Stale(now) {
		s = ":hourglass: " + s + " (stale)"
	}
	return s
}

// krLine is one key result in a list: title, current / target, progress,
// confidence, owner and check-in age.
func krLine(kr *okrs.KeyResult, c okrs.Cycle, now time.Time) string {
	value := valueText(kr)
	progress := okrs.FormatPercent(kr.Achievement()) + " done"
	return fmt.Sprintf("• %s — *%s* · %s · %s · %s · %s · %s",
		esc(shorten(kr.Title, okrs.MaxTitle)), value, progress, paceLabel(kr.Pace(c, now)), confidenceLabel(kr.Confidence),
		mention(kr.Owner), checkInAge(kr, now))
}

// objectiveLine is an objective's heading in a list: title, bar, progress
// and pace.
func objectiveLine(o *okrs.Objective, c okrs.Cycle, now time.Time) string {
	p := o.Progress()
	return fmt.Sprintf("*%s*\n`%s` *%s* · %s (expected %s) · owner %s",
		esc(shorten(o.Title, okrs.MaxTitle)), progressBar(p), okrs.FormatPercent(p), paceLabel(o.Pace(c, now)),
		okrs.FormatPercent(c.Elapsed(now)), mention(o.Owner))
}
