package views

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Hostile input, continuously: what arrives in a view's private_metadata
// and state is written by whoever sent the payload. Decoding and reading it
// never panics, and the objective it yields either validates or names the
// fields in error. `.ci/run` runs each target for a few seconds.

// stateOf builds a view state from a JSON object block → action → value
// (fuzzed), as Slack sends it; garbage gives an empty state.
func stateOf(raw []byte) *slack.ViewState {
	var values map[string]map[string]slack.BlockAction
	if json.Unmarshal(raw, &values) != nil {
		return &slack.ViewState{}
	}
	return &slack.ViewState{Values: values}
}

func FuzzDecodeMeta(f *testing.F) {
	for _, s := range []string{``, `{}`, `null`, `{"m":"edit","o":"abc","k":["a","b"],"n":3}`, `{"k":[1,2]}`, `{"n":-1}`, `{"n":1e9}`, `[`, `"x"`,
		`{"k":["K1"],"t":["milestone"],"m":"C1"}`, `{"t":["nope"]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := DecodeFormMeta(s)
		_ = m.Encode()
		c := DecodeCheckInMeta(s)
		entries, fe := ReadCheckIn(&slack.ViewState{}, c)
		if len(entries) != len(c.KRs) {
			t.Fatalf("%d entries for %d key results", len(entries), len(c.KRs))
		}
		_ = fe
	})
}

func FuzzReadForms(f *testing.F) {
	f.Add(`{"title":{"v":{"type":"plain_text_input","value":"Delight"}},"kr0_title":{"v":{"value":"Raise activation"}},"kr0_kind":{"v":{"selected_option":{"value":"increase"}}},"kr0_start":{"v":{"value":"40%"}},"kr0_target":{"v":{"value":"60%"}},"cycle":{"v":{"selected_option":{"value":"2026-Q4"}}}}`, 1)
	f.Add(`{"kr0_target":{"v":{"value":"1e999"}},"kr0_kind":{"v":{"selected_option":{"value":"milestone"}}}}`, 3)
	f.Add(`{"cadence":{"v":{"selected_option":{"value":"weekly"}}},"prompt_day":{"v":{"selected_option":{"value":"9"}}},"timezone":{"v":{"selected_option":{"value":"Mars/Olympus"}}}}`, 0)
	f.Add(`{"ci0_value":{"v":{"value":"-3"}},"ci0_conf":{"v":{"selected_option":{"value":"on_track"}}}}`, 2)
	f.Add(`not json`, -1)
	f.Fuzz(func(t *testing.T, raw string, n int) {
		n = min(max(n, 0), okrs.MaxKeyResults+2)
		state := stateOf([]byte(raw))
		form := ReadObjectiveForm(state, n)
		o, _, fe := form.Objective(FormMeta{}, "T1", "U1", time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC), map[string]bool{"title": true})
		if len(fe) == 0 {
			c, err := okrs.ParseCycle(o.Cycle)
			if err != nil {
				t.Fatalf("a form without errors has cycle %q: %v", o.Cycle, err)
			}
			if err := o.Validate(c); err != nil {
				t.Fatalf("a form without errors gives an invalid objective: %v", err)
			}
		}
		_, _ = ReadSettings(state, okrs.DefaultSettings("UTC"))
		kinds := []string{"increase", "milestone", "stay_above", "nonsense"}
		meta := CheckInMeta{KRs: make([]string, n), Kinds: make([]string, n)}
		for i := range n {
			meta.KRs[i], meta.Kinds[i] = "K", kinds[i%len(kinds)]
		}
		entries, fe := ReadCheckIn(state, meta)
		for i, e := range entries {
			if _, bad := fe[ciBlock(i, "value")]; !bad && meta.Kinds[i] == "milestone" && e.Value != 0 && e.Value != 1 {
				t.Fatalf("a milestone read as %v", e.Value)
			}
		}
	})
}
