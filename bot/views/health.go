package views

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// HealthLine is the digest's check-in health: this week's rate with its
// counts, last week's, and the cycle's trend. Counts only: who missed is
// never named.
func HealthLine(d okrs.Digest) (Mrkdwn, bool) {
	w, ok := d.WeekHealth()
	if !ok || w.Rate() < 0 {
		return Mrkdwn{}, false
	}
	line := Sprintf(":heartbeat: Check-ins: *%s* this week (%d of %d%s)", okrs.FormatPercent(w.Rate()), w.CheckedIn(), w.Owners-w.Away, healthDetail(w))
	if n := len(d.Health); n >= 2 && d.Health[n-1].Period.Key == w.Period.Key {
		if prev := d.Health[n-2]; prev.Rate() >= 0 {
			line = line.Append(Sprintf(" · %s the week before", okrs.FormatPercent(prev.Rate())))
		}
	}
	if len(d.Health) >= 3 {
		line = line.Append(Sprintf(" · this cycle `%s`", Sparkline(d.Health)))
	}
	return line, true
}

// healthDetail is ", 1 late, 2 away" for what there is.
func healthDetail(w okrs.WeekHealth) string {
	var parts []string
	if w.Late > 0 {
		parts = append(parts, fmt.Sprintf("%d late", w.Late))
	}
	if w.Away > 0 {
		parts = append(parts, fmt.Sprintf("%d away", w.Away))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

var sparks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws each period's check-in rate as a bar, oldest first; a
// period when everyone was away is a dot.
func Sparkline(weeks []okrs.WeekHealth) string {
	var b strings.Builder
	for _, w := range weeks {
		r := w.Rate()
		if r < 0 {
			b.WriteRune('·')
			continue
		}
		b.WriteRune(sparks[min(int(r*float64(len(sparks)-1)+0.5), len(sparks)-1)])
	}
	return b.String()
}

// HealthView is what "/okr health" shows a team's managers.
type HealthView struct {
	Team   string
	Cycle  okrs.Cycle
	Weeks  []okrs.WeekHealth
	Stale  []okrs.StaleKR // stale longest first
	Now    time.Time
	Cutoff int // stale key results listed, of len(Stale)
}

// maxHealthWeeks is how many periods "/okr health" lists, newest last.
const maxHealthWeeks = 14

// Health is "/okr health": the team's check-in rates period by period
// (on time, late, away, missed: counts), their trend, and the key results
// gone stale longest — what needs a check-in, not who.
func Health(v HealthView) Message {
	blocks := []slack.Block{header(shorten("Check-in health · "+v.Cycle.Name, MaxHeaderText))}
	if len(v.Weeks) == 0 {
		text := Sprintf("No check-ins asked for yet in %s this cycle: health shows once the team's first prompts have gone out.", Channel(v.Team))
		return Message{Text: text, Blocks: append(blocks, section(text))}
	}
	var total, asked int
	for _, w := range v.Weeks {
		if !w.Current {
			total += w.CheckedIn()
			asked += w.Owners - w.Away
		}
	}
	summary := Sprintf("%s · trend `%s`", Channel(v.Team), Sparkline(v.Weeks))
	if asked > 0 {
		summary = Sprintf("%s · past weeks: *%s* of check-ins came in · trend `%s`", Channel(v.Team), okrs.FormatPercent(float64(total)/float64(asked)), Sparkline(v.Weeks))
	}
	blocks = append(blocks, section(summary))
	weeks := v.Weeks
	if len(weeks) > maxHealthWeeks {
		weeks = weeks[len(weeks)-maxHealthWeeks:]
	}
	var lines []Mrkdwn
	for _, w := range weeks {
		label := "Week of " + w.Period.Start.Format("Jan 2")
		rate := "—"
		if r := w.Rate(); r >= 0 {
			rate = okrs.FormatPercent(r)
		}
		line := Sprintf("• %s: *%s* · %d on time, %d late, %d away, %d %s", label, rate, w.OnTime, w.Late, w.Away, w.Missed,
			map[bool]string{true: "not yet", false: "missed"}[w.Current])
		lines = append(lines, line)
	}
	blocks = append(blocks, packSections(lines)...)
	if len(v.Stale) > 0 {
		sl := []Mrkdwn{Raw("*Gone stale longest*")}
		for i, s := range v.Stale {
			if i == v.Cutoff {
				sl = append(sl, Sprintf("…and %d more.", len(v.Stale)-i))
				break
			}
			since := "never checked in"
			if !s.Since.IsZero() {
				since = fmt.Sprintf("%d days without a check-in", int(v.Now.Sub(s.Since).Hours()/24))
			}
			sl = append(sl, Sprintf("• %s (%s) — %s", shorten(s.KeyResult.Title, 120), shorten(s.Objective, 60), since))
		}
		blocks = append(blocks, packSections(sl)...)
	}
	blocks = append(blocks, contextText(Raw("Counts only, never names: a nudge works better than a call-out. Only you see this.")))
	return Message{Text: Sprintf("Check-in health of %s in %s.", Channel(v.Team), v.Cycle.Name), Blocks: blocks}
}

// StreakText says a streak: "5 weeks in a row", "3 check-ins in a row"
// (every two weeks); "" below two.
func StreakText(s okrs.Streak) string {
	switch {
	case s.Periods < 2:
		return ""
	case s.Biweekly:
		return fmt.Sprintf("%d check-ins in a row", s.Periods)
	}
	return fmt.Sprintf("%d weeks in a row", s.Periods)
}

// TeamStreak is a person's streak in one team.
type TeamStreak struct {
	Team   string
	Streak okrs.Streak
}

// WithStreak adds a person's streak to the "Checked in ✓" message.
func WithStreak(m Message, s okrs.Streak) Message {
	if t := StreakText(s); t != "" {
		m.Blocks = append(m.Blocks, contextText(Sprintf(":fire: %s. Thank you for keeping the picture true.", t)))
	}
	return m
}
