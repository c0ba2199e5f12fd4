package slacktest

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Web API chat.* methods.

// msgContent is the content part of a chat.* request.
type msgContent struct {
	text           string
	hasText        bool
	blocks         json.RawMessage // "[]" when the request cleared them
	hasBlocks      bool            // blocks were given, possibly empty
	blockCount     int
	attachments    json.RawMessage
	hasAttachments bool
	metadata       json.RawMessage
}

// empty reports whether there is nothing to show.
func (c *msgContent) empty() bool {
	return c.text == "" && c.blockCount == 0 && !c.hasAttachments
}

// readContent reads and checks text, blocks, attachments and metadata.
func (s *Server) readContent(r *apiRequest) (msgContent, *apiError) {
	c := msgContent{text: r.str("text"), hasText: r.has("text")}
	if utf8.RuneCountInString(c.text) > maxMessageText {
		return c, fail("msg_too_long")
	}
	if raw := r.raw("blocks"); raw != nil {
		blocks, norm, err := normalizeBlocks(raw, s.newID)
		if err != nil {
			return c, fail("invalid_blocks_format", "[ERROR] "+err.Error())
		}
		var v validator
		v.blocks(blocks, maxMessageBlocks, "/blocks")
		if len(v.problems) > 0 {
			return c, fail("invalid_blocks", v.problems...)
		}
		c.hasBlocks, c.blockCount = true, len(blocks)
		if len(blocks) == 0 {
			norm = json.RawMessage("[]")
		}
		c.blocks = norm
	}
	if raw := r.raw("attachments"); raw != nil {
		var atts []jsonObject
		if decodeJSON(raw, &atts) != nil {
			return c, fail("invalid_attachments")
		}
		c.hasAttachments = true
		c.attachments = raw
	}
	c.metadata = r.raw("metadata")
	return c, nil
}

// postableConv resolves a channel the bot wants to post to.
func (s *Server) postableConv(id string) (*convEntry, *apiError) {
	e, code := s.resolveConv(id)
	switch {
	case code != "":
		return nil, fail(code)
	case e.ch.IsArchived:
		return nil, fail("is_archived")
	case !e.ch.BotIsMember:
		return nil, fail("not_in_channel")
	}
	return e, nil
}

func (s *Server) newBotMessage(e *convEntry, c *msgContent, source string) *Message {
	m := &Message{
		Channel:     e.ch.ID,
		TeamID:      e.ch.TeamID,
		User:        s.cfg.botUserID,
		BotID:       s.cfg.botID,
		Text:        c.text,
		Attachments: c.attachments,
		Metadata:    c.metadata,
		Source:      source,
	}
	if c.blockCount > 0 {
		m.RawBlocks = c.blocks
		m.Blocks = parseBlocks(c.blocks)
	}
	return m
}

func (s *Server) chatPostMessage(r *apiRequest) (jsonObject, *apiError) {
	e, aerr := s.postableConv(r.str("channel"))
	if aerr != nil {
		return nil, aerr
	}
	c, aerr := s.readContent(r)
	if aerr != nil {
		return nil, aerr
	}
	if c.empty() {
		return nil, fail("no_text")
	}
	m := s.newBotMessage(e, &c, SourcePostMessage)
	m.ThreadTS = r.str("thread_ts")
	stored := s.msgs.add(m, s.now())
	return jsonObject{"channel": stored.Channel, "ts": stored.TS, "message": stored.wire()}, nil
}

func (s *Server) chatPostEphemeral(r *apiRequest) (jsonObject, *apiError) {
	e, aerr := s.postableConv(r.str("channel"))
	if aerr != nil {
		return nil, aerr
	}
	user := r.str("user")
	if _, ok := s.User(user); !ok {
		return nil, fail("user_not_found")
	}
	if e.isIM() && e.imUser != user || !e.isIM() && !e.members[user] {
		return nil, fail("user_not_in_channel")
	}
	c, aerr := s.readContent(r)
	if aerr != nil {
		return nil, aerr
	}
	if c.empty() {
		return nil, fail("no_text")
	}
	m := s.newBotMessage(e, &c, SourcePostEphemeral)
	m.ThreadTS = r.str("thread_ts")
	m.Ephemeral, m.EphemeralTo = true, user
	stored := s.msgs.add(m, s.now())
	return jsonObject{"message_ts": stored.TS}, nil
}

// ownMessage checks that a message can be edited or deleted by the bot.
func (s *Server) ownMessage(m *Message) string {
	if m.User != s.cfg.botUserID || m.Ephemeral {
		return "message_not_found"
	}
	return ""
}

func (s *Server) chatUpdate(r *apiRequest) (jsonObject, *apiError) {
	e, code := s.resolveConv(r.str("channel"))
	if code != "" {
		return nil, fail(code)
	}
	c, aerr := s.readContent(r)
	if aerr != nil {
		return nil, aerr
	}
	if !c.hasText && !c.hasBlocks && !c.hasAttachments {
		return nil, fail("no_text")
	}
	m, code := s.msgs.edit(e.ch.ID, r.str("ts"), s.now(), func(m *Message) string {
		if code := s.ownMessage(m); code != "" {
			return code
		}
		applyContent(m, &c)
		return ""
	})
	if code != "" {
		return nil, fail(code)
	}
	return jsonObject{"channel": m.Channel, "ts": m.TS, "text": m.Text, "message": m.wire()}, nil
}

// applyContent edits a message the way chat.update does: given fields
// replace, omitted blocks and attachments are kept.
func applyContent(m *Message, c *msgContent) {
	if c.hasText {
		m.Text = c.text
	}
	if c.hasBlocks {
		m.RawBlocks, m.Blocks = nil, slack.Blocks{}
		if c.blockCount > 0 {
			m.RawBlocks, m.Blocks = c.blocks, parseBlocks(c.blocks)
		}
	}
	if c.hasAttachments {
		m.Attachments = c.attachments
	}
	if c.metadata != nil {
		m.Metadata = c.metadata
	}
	m.Edits++
}

func (s *Server) chatDelete(r *apiRequest) (jsonObject, *apiError) {
	e, code := s.resolveConv(r.str("channel"))
	if code != "" {
		return nil, fail(code)
	}
	m, code := s.msgs.edit(e.ch.ID, r.str("ts"), s.now(), func(m *Message) string {
		if code := s.ownMessage(m); code != "" {
			return code
		}
		m.Deleted = true
		return ""
	})
	if code != "" {
		return nil, fail(code)
	}
	return jsonObject{"channel": m.Channel, "ts": m.TS}, nil
}

func (s *Server) chatGetPermalink(r *apiRequest) (jsonObject, *apiError) {
	e, code := s.resolveConv(r.str("channel"))
	if code != "" {
		return nil, fail(code)
	}
	ts := r.str("message_ts")
	if m, ok := s.msgs.get(e.ch.ID, ts); !ok || m.Deleted {
		return nil, fail("message_not_found")
	}
	w := s.teamInfo(e.ch.TeamID)
	link := "https://" + w.Domain + ".slack.com/archives/" + e.ch.ID + "/p" + strings.ReplaceAll(ts, ".", "")
	return jsonObject{"channel": e.ch.ID, "permalink": link}, nil
}
