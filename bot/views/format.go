package views

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

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

// ConfidenceLabel names a confidence with an emoji.
func ConfidenceLabel(c okrs.Confidence) string {
	switch c.Level {
	case okrs.OnTrack:
		return ":large_green_circle: On track"
	case okrs.AtRisk:
		return ":large_yellow_circle: At risk"
	case okrs.OffTrack:
		return ":red_circle: Off track"
	}
	return ":white_circle: No check-in yet"
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
func krLine(kr *okrs.KeyResult, c okrs.Cycle, now time.Time) Mrkdwn {
	progress := okrs.FormatPercent(kr.Achievement()) + " done"
	return Sprintf("• %s — *%s* · %s · %s · %s · %s · %s",
		shorten(kr.Title, okrs.MaxTitle), valueText(kr), progress, paceLabel(kr.Pace(c, now)), ConfidenceLabel(kr.Confidence),
		Mention(kr.Owner), checkInAge(kr, now))
}

// objectiveLine is an objective's heading in a list: title, bar, progress
// and pace.
func objectiveLine(o *okrs.Objective, c okrs.Cycle, now time.Time) Mrkdwn {
	p := o.Progress()
	return Sprintf("*%s*\n`%s` *%s* · %s (expected %s) · owner %s",
		shorten(o.Title, okrs.MaxTitle), progressBar(p), okrs.FormatPercent(p), paceLabel(o.Pace(c, now)),
		okrs.FormatPercent(c.Elapsed(now)), Mention(o.Owner))
}

// valueText is a key result's current value against its target, as plain
// text (its unit label is a person's).
func valueText(kr *okrs.KeyResult) string {
	switch kr.Kind {
	case okrs.Milestone:
		return kr.Format(kr.Current)
	case okrs.StayAbove:
		return fmt.Sprintf("%s (stay ≥ %s)", kr.Format(kr.Current), kr.Format(kr.Target))
	case okrs.StayBelow:
		return fmt.Sprintf("%s (stay ≤ %s)", kr.Format(kr.Current), kr.Format(kr.Target))
	}
	return fmt.Sprintf("%s / %s", kr.Format(kr.Current), kr.Format(kr.Target))
}

// typedValue writes a value the way a person would type it back.
func typedValue(kr *okrs.KeyResult, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	switch kr.Unit {
	case okrs.Percent:
		return s + "%"
	case okrs.Currency:
		return kr.Currency + s
	}
	if kr.UnitLabel != "" {
		return s + " " + kr.UnitLabel
	}
	return s
}

// joinWords joins "a, b and c".
func joinWords(ws []Mrkdwn) Mrkdwn {
	switch len(ws) {
	case 0:
		return Mrkdwn{}
	case 1:
		return ws[0]
	}
	s := ""
	for i, w := range ws {
		switch {
		case i == 0:
			s = w.s
		case i == len(ws)-1:
			s += " and " + w.s
		default:
			s += ", " + w.s
		}
	}
	return Mrkdwn{s}
}

// Mentions links people as "<@U1>, <@U2> and <@U3>", or says "none yet".
func Mentions(users []string) Mrkdwn {
	var out []Mrkdwn
	for _, u := range users {
		out = append(out, Mention(u))
	}
	if len(out) == 0 {
		return Raw("none yet")
	}
	return joinWords(out)
}
