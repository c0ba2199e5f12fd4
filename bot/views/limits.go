package views

import (
	"unicode"
	"unicode/utf8"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit), counted in
// characters, as Slack counts them.
const (
	MaxMessageBlocks = 50
	MaxViewBlocks    = 100
	MaxSectionText   = 3000
	MaxHeaderText    = 150
	MaxOptionText    = 75
	MaxOptions       = 100
	MaxModalTitle    = 24
	MaxContextText   = 2000
	MaxInputLength   = 3000  // a plain_text_input's max_length, and its initial_value without one
	MaxPlaceholder   = 150   // an input's placeholder
	MaxLabel         = 2000  // an input's label and hint
	MaxMessageText   = 40000 // a message's text
	MaxMetadata      = 3000  // a view's private_metadata
)

// shorten cuts s to at most n characters, ending it with "…" when it had
// to cut. It never cuts a character in half, and it steps back rather than
// split what shows as one character: a base and its combining marks, an
// emoji and its modifiers, a ZWJ sequence.
func shorten(s string, n int) string {
	if n < 1 {
		return ""
	}
	starts := make([]int, 0, min(n, len(s))) // byte offsets of the first n characters
	for i := range s {
		if len(starts) == n { // more than n: cut
			at := func(k int) rune { r, _ := utf8.DecodeRuneInString(s[starts[k]:]); return r }
			keep := n - 1
			for keep > 0 && (joins(at(keep)) || at(keep-1) == '\u200d') {
				keep--
			}
			if keep == 0 { // one cluster longer than n: cut it anyway
				keep = n - 1
			}
			return s[:starts[keep]] + "…"
		}
		starts = append(starts, i)
	}
	return s
}

// joins reports whether r attaches to the character before it.
func joins(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) ||
		r == '\u200d' || (r >= '\ufe00' && r <= '\ufe0f') ||
		(r >= 0x1f3fb && r <= 0x1f3ff) || (r >= 0xe0020 && r <= 0xe007f)
}
