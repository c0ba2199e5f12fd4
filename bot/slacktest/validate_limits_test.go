package slacktest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Slack refuses a view whose plain_text_input is prefilled beyond its
// max_length (counted in characters), or without one beyond 3000.
func TestValidateInitialValueWithinMaxLength(t *testing.T) {
	input := func(maxLength, value string) string {
		ml := ""
		if maxLength != "" {
			ml = `"max_length":` + maxLength + `,`
		}
		return `[{"type":"input","block_id":"title","label":{"type":"plain_text","text":"x"},"element":{"type":"plain_text_input","action_id":"v",` +
			ml + `"initial_value":"` + value + `"}}]`
	}
	for _, tt := range []struct {
		raw  string
		want string
	}{
		{input("150", strings.Repeat("é", 150)), ""},
		{input("150", strings.Repeat("é", 151)), "[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/initial_value]"},
		{input("", strings.Repeat("a", 3001)), "[ERROR] must be less than 3001 characters [json-pointer:/view/blocks/0/element/initial_value]"},
		{input("3001", "a"), "[ERROR] must be between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]"},
	} {
		blocks, _, err := normalizeBlocks(json.RawMessage(tt.raw), func(string) string { return "x" })
		if err != nil {
			t.Fatal(err)
		}
		var v validator
		v.blocks(blocks, maxViewBlocks, "/view/blocks")
		if got := strings.Join(v.problems, "; "); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
