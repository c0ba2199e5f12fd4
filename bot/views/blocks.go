package views

import (
	"github.com/slack-go/slack"
)

// Message is a message's fallback text (mrkdwn, also the notification) and
// its blocks.
type Message struct {
	Text   Mrkdwn
	Blocks []slack.Block
}

func md(text Mrkdwn) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, text.s, false, false)
}

func plain(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, true, false)
}

// Section is a mrkdwn section, its text cut to Slack's limit.
func Section(text Mrkdwn) *slack.SectionBlock {
	return slack.NewSectionBlock(md(text.shorten(MaxSectionText)), nil, nil)
}

func header(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(plain(shorten(text, MaxHeaderText)))
}

// ContextText is a context block of mrkdwn, cut to Slack's limit.
func ContextText(text Mrkdwn) *slack.ContextBlock {
	return slack.NewContextBlock("", md(text.shorten(MaxContextText)))
}

func section(text Mrkdwn) *slack.SectionBlock     { return Section(text) }
func contextText(text Mrkdwn) *slack.ContextBlock { return ContextText(text) }

// NoticeModal is a modal that only says something.
func NoticeModal(title string, text Mrkdwn) slack.ModalViewRequest {
	return slack.ModalViewRequest{Type: slack.VTModal, Title: plain(shorten(title, MaxModalTitle)), Close: plain("Close"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{section(text)}}}
}

// CallbackLoading is the modal shown while a modal's content is loaded.
const CallbackLoading = "okr_loading"

// LoadingModal says "Loading…" under title.
func LoadingModal(title string) slack.ModalViewRequest {
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackLoading,
		Title: plain(shorten(title, MaxModalTitle)), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: []slack.Block{contextText(Raw(":hourglass_flowing_sand: Loading…"))}}}
}

// Plural is "s" unless n is 1.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
