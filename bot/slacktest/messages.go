package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// Sources of recorded messages (Message.Source).
const (
	SourcePostMessage   = "chat.postMessage"
	SourcePostEphemeral = "chat.postEphemeral"
	SourceFileShare     = "files.completeUploadExternal"
	SourceResponseURL   = "response_url"
	SourceAck           = "ack" // a slash command ack with a message payload
)

// Message is a message as the fake recorded it. Messages are immutable
// snapshots: an edit (chat.update, replace_original) stores a new version with
// the old one appended to History.
type Message struct {
	Channel  string // C…/G… channel or D… DM, also for response_url posts and acks
	TS       string // unique per channel; message_ts for ephemerals
	ThreadTS string
	TeamID   string
	User     string // author; the bot user ID for the bot's messages
	BotID    string
	Text     string

	// Blocks holds the blocks parsed with slack-go; it stays empty when
	// slack-go cannot parse them. RawBlocks has them as stored: as sent, with
	// the block_ids and action_ids Slack assigns to blocks and elements
	// without one.
	Blocks      slack.Blocks
	RawBlocks   json.RawMessage
	Attachments json.RawMessage
	Metadata    json.RawMessage
	Files       []string // IDs of files shared with the message

	Ephemeral    bool   // only EphemeralTo sees it
	EphemeralTo  string // recipient of an ephemeral message
	ResponseType string // for response_url posts and acks: "in_channel" or "ephemeral"
	Source       string // one of the Source* constants

	Edits   int       // how many times it was edited
	History []Message // earlier versions, oldest first
	Deleted bool
	Time    time.Time // fake clock when posted (or edited)
}

// AllText returns the message's text together with the texts of its section
// (text and fields), header, context, markdown and rich_text blocks and of its
// legacy attachments, one per line — handy for
// strings.Contains(msg.AllText(), "Revenue").
func (m Message) AllText() string {
	parts := []string{}
	if m.Text != "" {
		parts = append(parts, m.Text)
	}
	parts = append(parts, blockTexts(m.RawBlocks)...)
	parts = append(parts, attachmentTexts(m.Attachments)...)
	return strings.Join(parts, "\n")
}

// ActionIDs returns the action_ids of the interactive elements in the
// message's blocks, in order.
func (m Message) ActionIDs() []string { return actionIDs(m.RawBlocks) }

func (m Message) String() string {
	text := m.Text
	if len(text) > 60 {
		text = text[:60] + "…"
	}
	flags := ""
	if m.Ephemeral {
		flags = " ephemeral→" + m.EphemeralTo
	}
	return fmt.Sprintf("%s/%s %s%s %q", m.Channel, m.TS, m.Source, flags, text)
}

func (m Message) surfaceRef() surfaceRef { return surfaceRef{channel: m.Channel, ts: m.TS} }

// wire renders the message as Slack's message object.
func (m *Message) wire() map[string]any {
	w := map[string]any{
		"type": "message",
		"text": m.Text,
		"ts":   m.TS,
		"team": m.TeamID,
	}
	if m.User != "" {
		w["user"] = m.User
	}
	if m.BotID != "" {
		w["bot_id"] = m.BotID
	}
	if m.ThreadTS != "" {
		w["thread_ts"] = m.ThreadTS
	}
	if len(m.RawBlocks) > 0 {
		w["blocks"] = m.RawBlocks
	}
	if len(m.Attachments) > 0 {
		w["attachments"] = m.Attachments
	}
	if len(m.Metadata) > 0 {
		w["metadata"] = m.Metadata
	}
	if len(m.Files) > 0 {
		files := make([]map[string]any, len(m.Files))
		for i, id := range m.Files {
			files[i] = map[string]any{"id": id}
		}
		w["files"] = files
	}
	if m.Edits > 0 {
		w["edited"] = map[string]any{"user": m.User, "ts": m.TS}
	}
	return w
}

type msgKey struct{ channel, ts string }

type messageStore struct {
	mu        sync.Mutex
	cur       map[msgKey]*Message
	byChannel map[string][]msgKey // posting order
	order     []msgKey            // posting order across channels
	log       []*Message          // every version, in order
	lastMicro int64
	n         notifier
}

func (st *messageStore) init() {
	st.cur = map[msgKey]*Message{}
	st.byChannel = map[string][]msgKey{}
}

// add stores a new message, assigning its TS (unique and increasing across
// the server) unless set, and returns the stored copy.
func (st *messageStore) add(m *Message, now time.Time) Message {
	st.mu.Lock()
	micro := max(now.UnixMicro(), st.lastMicro+1)
	st.lastMicro = micro
	if m.TS == "" {
		m.TS = fmt.Sprintf("%d.%06d", micro/1e6, micro%1e6)
	}
	m.Time = now
	k := msgKey{m.Channel, m.TS}
	st.cur[k] = m
	st.byChannel[m.Channel] = append(st.byChannel[m.Channel], k)
	st.order = append(st.order, k)
	st.log = append(st.log, m)
	out := *m
	st.mu.Unlock()
	st.n.notify()
	return out
}

// edit replaces the message at (channel, ts) with a version edit produces
// from a copy. edit returns a Slack error code to refuse. Missing messages
// yield message_not_found.
func (st *messageStore) edit(channel, ts string, now time.Time, edit func(*Message) string) (Message, string) {
	st.mu.Lock()
	old, ok := st.cur[msgKey{channel, ts}]
	if !ok || old.Deleted {
		st.mu.Unlock()
		return Message{}, "message_not_found"
	}
	nm := *old
	prev := *old
	prev.History = nil
	nm.History = append(slices.Clip(old.History), prev)
	if code := edit(&nm); code != "" {
		st.mu.Unlock()
		return Message{}, code
	}
	nm.Time = now
	st.cur[msgKey{channel, ts}] = &nm
	st.log = append(st.log, &nm)
	out := nm
	st.mu.Unlock()
	st.n.notify()
	return out, ""
}

func (st *messageStore) get(channel, ts string) (Message, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	m, ok := st.cur[msgKey{channel, ts}]
	if !ok {
		return Message{}, false
	}
	return *m, true
}

// Messages returns the current version of the messages in a channel (a DM's
// D… ID for DMs; a user ID is resolved to the DM) in posting order, without
// deleted ones. Ephemerals, response_url posts and slash command ack messages
// are included and flagged (Ephemeral, Source). channelID "" returns the
// messages of all channels.
func (s *Server) Messages(channelID string) []Message {
	if isUserID(channelID) {
		s.dir.mu.RLock()
		if id, ok := s.dir.ims[channelID]; ok {
			channelID = id
		}
		s.dir.mu.RUnlock()
	}
	st := &s.msgs
	st.mu.Lock()
	defer st.mu.Unlock()
	keys := st.order
	if channelID != "" {
		keys = st.byChannel[channelID]
	}
	out := make([]Message, 0, len(keys))
	for _, k := range keys {
		if m := st.cur[k]; !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// Message returns the current version of a message, deleted or not.
func (s *Server) Message(channelID, ts string) (Message, bool) { return s.msgs.get(channelID, ts) }

// Ephemerals returns the ephemeral messages shown to a user (chat.postEphemeral,
// ephemeral response_url posts and ack messages), in order.
func (s *Server) Ephemerals(userID string) []Message {
	st := &s.msgs
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []Message
	for _, k := range st.order {
		if m := st.cur[k]; m.Ephemeral && m.EphemeralTo == userID && !m.Deleted {
			out = append(out, *m)
		}
	}
	return out
}

// WaitForMessage returns the first message version satisfying match, waiting
// for it if needed. Every version counts — posts, edits and deletions (with
// Deleted set) — including those recorded before the call. Without a deadline
// on ctx the wait times out after 5 s.
func (s *Server) WaitForMessage(ctx context.Context, match func(Message) bool) (Message, error) {
	ctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	st := &s.msgs
	next := 0
	for {
		ch := st.n.wait()
		st.mu.Lock()
		cand := slices.Clone(st.log[next:])
		next = len(st.log)
		st.mu.Unlock()
		for _, m := range cand {
			if match == nil || match(*m) {
				return *m, nil
			}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return Message{}, fmt.Errorf("slacktest: no matching message: %w (messages: %s)", ctx.Err(), s.summarizeMessages())
		}
	}
}

func (s *Server) summarizeMessages() string { return summarize(s.Messages(""), "") }

// parseBlocks parses raw blocks with slack-go; failures leave them empty.
func parseBlocks(raw json.RawMessage) slack.Blocks {
	var b slack.Blocks
	if len(raw) == 0 {
		return b
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return slack.Blocks{}
	}
	return b
}
