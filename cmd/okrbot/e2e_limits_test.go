package main

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// longTitle is n characters of text with multi-byte letters and an emoji.
func longTitle(n int) string {
	r := []rune(strings.Repeat("Délight nëw customers 🚀 ", n/20+1))
	r = r[:n]
	r[n-1] = 'x' // no trailing space for the command to trim
	return string(r)
}

// inputValue returns the initial_value of the input block blockID.
func inputValue(t *testing.T, v *slacktest.View, blockID string) string {
	t.Helper()
	var blocks []struct {
		BlockID string `json:"block_id"`
		Element struct {
			InitialValue string `json:"initial_value"`
			MaxLength    int    `json:"max_length"`
		} `json:"element"`
	}
	if err := json.Unmarshal(v.RawBlocks, &blocks); err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.BlockID == blockID {
			if n := utf8.RuneCountInString(b.Element.InitialValue); b.Element.MaxLength > 0 && n > b.Element.MaxLength {
				t.Errorf("%s: initial_value of %d characters, max_length %d", blockID, n, b.Element.MaxLength)
			}
			return b.Element.InitialValue
		}
	}
	t.Fatalf("no %s input in the modal", blockID)
	return ""
}

// A title longer than an objective's typed after /okr new opens the modal
// (Slack refuses a view prefilled beyond an input's max_length) with the
// title cut, a note saying so and the full text in the description; the
// objective can be created from it.
func TestNewWithTooLongTitleOpensModal(t *testing.T) {
	e := newEnv(t)
	title := longTitle(3000)
	if ack := e.okr(teamA, ana, growth, "new "+title); ack.Text() != "" {
		t.Fatalf("/okr new acked with %q, want an empty ack", ack.Text())
	}
	v := e.waitModal(ana, "okr_objective")
	got := inputValue(t, v, "title")
	if n := utf8.RuneCountInString(got); n != okrs.MaxTitle {
		t.Errorf("title prefilled with %d characters, want %d", n, okrs.MaxTitle)
	}
	if !strings.HasPrefix(title, strings.TrimSuffix(got, "…")) {
		t.Errorf("the prefilled title %q is not the start of what was typed", got)
	}
	text := v.AllText() + string(v.RawBlocks)
	if !strings.Contains(text, "Your title was 3,000 characters; objective titles take up to 150, so it was cut: the full text is in the description.") {
		t.Errorf("the modal does not say the title was cut:\n%s", v.AllText())
	}
	if d := inputValue(t, v, "description"); d != title {
		t.Errorf("description prefilled with %d characters, want the full title", utf8.RuneCountInString(d))
	}

	ack := e.submitForm(ana, v.ID, kr(0, "Raise week-1 activation", "increase", "40%", "60%", ana))
	if len(ack.Errors()) > 0 {
		t.Fatalf("create: field errors %v", ack.Errors())
	}
	e.waitMessage(growth, "Created")
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 1 {
		t.Fatalf("stored %d objectives, want 1", len(objs))
	}
	if objs[0].Title != got || objs[0].Description != title {
		t.Errorf("stored title %q (%d characters), description of %d characters", objs[0].Title,
			utf8.RuneCountInString(objs[0].Title), utf8.RuneCountInString(objs[0].Description))
	}
}
