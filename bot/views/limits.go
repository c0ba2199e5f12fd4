package views

import "github.com/okrbot/okrbot/okrs"

// Block Kit limits (https://docs.slack.dev/reference/block-kit).
const (
	MaxMessageBlocks = 50
	MaxViewBlocks    = 100
	MaxSectionText   = 3000
	MaxHeaderText    = 150
	MaxOptionText    = 75
	MaxOptions       = 100
	MaxModalTitle    = 24
	MaxContextText   = 2000
)

func shorten(s string, n int) string { return okrs.Shorten(s, n) }
