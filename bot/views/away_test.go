package views

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

func TestAwayViewsGolden(t *testing.T) {
	golden(t, "away_modal", AwayModal(viewNow, FormMeta{Channel: "C1"}))
	berlin, _ := time.LoadLocation("Europe/Berlin")
	m := PromptSnoozed("C1", time.Date(2026, 11, 17, 10, 0, 0, 0, berlin))
	golden(t, "prompt_snoozed", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	if !strings.Contains(m.Text.String(), "Snoozed until Tue 10:00") {
		t.Errorf("snoozed prompt says %q", m.Text.String())
	}
	p := okrs.Prompt{Kind: okrs.KindPrompt, Team: "C1", User: "U1", Period: okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period,
		Objectives: sampleObjectives(), Cycle: viewCycle, CatchUp: true, Late: true}
	if b := string(mustJSON(t, Prompt(p, viewNow).Blocks)); !strings.Contains(b, "Welcome back") || strings.Contains(b, "Sorry this comes late") {
		t.Errorf("a catch-up prompt says:\n%s", b)
	}
	p.CatchUp, p.Snoozed = false, true
	if b := string(mustJSON(t, Prompt(p, viewNow).Blocks)); !strings.Contains(b, "As you asked") || !strings.Contains(b, ActionSnooze) {
		t.Errorf("a snoozed prompt says:\n%s", b)
	}
	p.Kind = okrs.KindLast
	if b := string(mustJSON(t, Prompt(p, viewNow).Blocks)); strings.Contains(b, ActionSnooze) {
		t.Error("the last check-in offers Remind me later")
	}
}

func TestParseSnooze(t *testing.T) {
	cases := []struct {
		in           string
		team, period string
		o            okrs.SnoozeOption
		ok           bool
	}{
		{"snooze|C1|2026-11-16|2h", "C1", "2026-11-16", okrs.SnoozeTwoHours, true},
		{"snooze|G12|2026-11-16|monday", "G12", "2026-11-16", okrs.SnoozeMonday, true},
		{"snooze|U1|2026-11-16|2h", "", "", "", false}, // not a channel
		{"snooze|C1|someday|2h", "", "", "", false},
		{"prompt|C1|2026-11-16", "", "", "", false},
		{"snooze|C1|2026-11-16|2h|x", "", "", "", false},
		{"", "", "", "", false},
	}
	for _, c := range cases {
		team, period, o, ok := ParseSnooze(c.in)
		if team != c.team || period != c.period || o != c.o || ok != c.ok {
			t.Errorf("%q: got %q %q %q %v", c.in, team, period, o, ok)
		}
	}
}

func TestReadSettingsHolidays(t *testing.T) {
	base := okrs.DefaultSettings("UTC")
	state := func(holidays string) *slack.ViewState {
		return &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"cadence":     {actionValue: {SelectedOption: slack.OptionBlockObject{Value: "weekly"}}},
			"prompt_day":  {actionValue: {SelectedOption: slack.OptionBlockObject{Value: "1"}}},
			"prompt_time": {actionValue: {SelectedTime: "10:00"}},
			"digest_day":  {actionValue: {SelectedOption: slack.OptionBlockObject{Value: "5"}}},
			"digest_time": {actionValue: {SelectedTime: "16:00"}},
			"timezone":    {actionValue: {SelectedOption: slack.OptionBlockObject{Value: "UTC"}}},
			"managers":    {actionValue: {SelectedUsers: []string{"U1"}}},
			"holidays":    {actionValue: {Value: holidays}},
		}}
	}
	st, fe := ReadSettings(state("2026-12-24..2026-12-26, 2027-01-01"), base)
	if len(fe) != 0 || okrs.FormatHolidays(st.Holidays) != "2026-12-24..2026-12-26, 2027-01-01" {
		t.Errorf("good holidays: %v %v", st.Holidays, fe)
	}
	if _, fe := ReadSettings(state("Christmas"), base); !strings.Contains(fe["holidays"], "Christmas") {
		t.Errorf("a bad holiday: errors %v, want one under holidays naming it", fe)
	}
	withHolidays := base
	withHolidays.Holidays = st.Holidays
	if b := string(mustJSON(t, SettingsModal("C1", withHolidays, FormMeta{}).Blocks)); !strings.Contains(b, `"initial_value":"2026-12-24..2026-12-26, 2027-01-01"`) {
		t.Errorf("the settings modal does not show the saved holidays:\n%s", b)
	}
}
