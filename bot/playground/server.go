// Package playground lets a newcomer try okrbot in a browser with no Slack
// workspace: a web page that looks and works like a small Slack workspace,
// drawn from what the real okrbot sent to the project's fake Slack
// (bot/slacktest) running in the same process.
//
// The page shows only what the bot sent through the Slack API, rendered
// from its Block Kit by a renderer that knows nothing of okrbot, so it is
// also a faithful way to look at any Block Kit change. What the fake Slack
// refused (Block Kit limits, unknown element types, bad response_action
// keys) shows as an error banner, as Slack would refuse it.
package playground

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
)

//go:embed web
var web embed.FS

// Options configure a Server.
type Options struct {
	Slack *slacktest.Server
	Clock *Clock
	// Sweep runs the scheduler once, now (after a jump in time).
	Sweep func(ctx context.Context) error
	// CycleEnd returns when the first of the teams' current cycles ends
	// (okrs.CurrentCycle, as the teams chose them), for the "End of cycle"
	// jump; nil: the end of the calendar quarter.
	CycleEnd func(ctx context.Context, now time.Time) (time.Time, error)
	Logger   *slog.Logger
}

// Server serves the playground's page and its small JSON API.
type Server struct {
	slack    *slacktest.Server
	clock    *Clock
	sweep    func(ctx context.Context) error
	cycleEnd func(ctx context.Context, now time.Time) (time.Time, error)
	log      *slog.Logger

	mu      sync.Mutex
	typed   []typedMessage // plain messages people typed in channels
	changed chan struct{}  // closed when the playground itself changed something
}

// typedMessage is a plain message someone typed in a channel: Slack would
// show it to everyone there; the fake has no such API, so the page keeps it.
type typedMessage struct {
	Channel, User, Text string
	At                  time.Time
}

// New returns a Server.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Server{slack: o.Slack, clock: o.Clock, sweep: o.Sweep, cycleEnd: o.CycleEnd, log: o.Logger, changed: make(chan struct{})}
}

// Handler returns the playground's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(web, "web")
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/state", s.getState)
	mux.HandleFunc("GET /api/conversation", s.getConversation)
	mux.HandleFunc("GET /api/home", s.getHome)
	mux.HandleFunc("GET /api/modal", s.getModal)
	mux.HandleFunc("GET /api/file/{id}", s.getFile)
	mux.HandleFunc("GET /api/events", s.events)
	mux.HandleFunc("POST /api/send", s.postSend)
	mux.HandleFunc("POST /api/act", s.postAct)
	mux.HandleFunc("POST /api/submit", s.postSubmit)
	mux.HandleFunc("POST /api/close", s.postClose)
	mux.HandleFunc("POST /api/clock", s.postClock)
	return mux
}

// touch wakes the page: something changed that the fake Slack did not see.
func (s *Server) touch() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *Server) localChange() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// events streams "change" server-sent events: the page fetches again what
// it shows.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprint(w, "retry: 1000\n\n")
	flusher.Flush()
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	for {
		slackChanged, local := s.slack.Changed(), s.localChange()
		select {
		case <-r.Context().Done():
			return
		case <-keepAlive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-slackChanged:
			fmt.Fprint(w, "event: change\ndata: slack\n\n")
		case <-local:
			fmt.Fprint(w, "event: change\ndata: playground\n\n")
		}
		flusher.Flush()
		// Let a burst of calls (a message and its charts) settle into
		// one refresh.
		select {
		case <-r.Context().Done():
			return
		case <-time.After(40 * time.Millisecond):
		}
	}
}

// decode reads a POST's JSON body into req and returns the person it acts
// as (named by *user once decoded); on a bad request it has answered.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, req any, user *string) (slacktest.User, bool) {
	if err := json.NewDecoder(r.Body).Decode(req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return slacktest.User{}, false
	}
	me, err := s.person(r, *user)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return slacktest.User{}, false
	}
	return me, true
}

// person returns the user the request acts as.
func (s *Server) person(r *http.Request, id string) (slacktest.User, error) {
	if id == "" {
		id = r.URL.Query().Get("user")
	}
	u, ok := s.slack.User(id)
	if !ok || u.IsBot {
		return slacktest.User{}, fmt.Errorf("no such person %q", id)
	}
	return u, nil
}

// Person is one person the page can act as.
type Person struct {
	ID, Name, Timezone, Workspace string
	Admin                         bool
	Now                           string // the playground's time on their clock
}

// Conversation is one entry of the sidebar.
type Conversation struct {
	ID, Name string
	Kind     string // "channel", "private", "dm"
}

type state struct {
	People        []Person
	Me            Person
	WorkspaceName string
	Conversations []Conversation
	Refused       []string // what the fake Slack refused lately, as Slack would
	UsageHint     string
	Latest        string // the conversation with the newest message, to open first
}

// UsageHint is /okr's usage hint, as the Slack app manifest gives it and as
// Slack shows it while one types the command.
const UsageHint = "help | new [title] | propose | status [#channel|@person] | checkin | mine | cycle | retro"

func (s *Server) getState(w http.ResponseWriter, r *http.Request) {
	me, err := s.person(r, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	st := state{UsageHint: UsageHint}
	for _, u := range s.slack.Users() {
		if u.IsBot {
			continue
		}
		p := s.personOf(u)
		st.People = append(st.People, p)
		if u.ID == me.ID {
			st.Me = p
		}
	}
	if ws, ok := s.slack.Workspace(me.TeamID); ok {
		st.WorkspaceName = ws.Name
	}
	for _, c := range s.slack.Channels() {
		if c.TeamID != me.TeamID || c.IsPrivate && !slices.Contains(c.Members, me.ID) {
			continue
		}
		kind := "channel"
		if c.IsPrivate {
			kind = "private"
		}
		st.Conversations = append(st.Conversations, Conversation{ID: c.ID, Name: c.Name, Kind: kind})
	}
	st.Conversations = append(st.Conversations, Conversation{ID: s.slack.DMChannel(me.ID), Name: "okrbot", Kind: "dm"})
	var newest time.Time
	for _, c := range st.Conversations {
		for _, m := range s.slack.Messages(c.ID) {
			if (!m.Ephemeral || m.EphemeralTo == me.ID) && m.Time.After(newest) {
				newest, st.Latest = m.Time, c.ID
			}
		}
	}
	st.Refused = s.refused()
	writeJSON(w, st)
}

func (s *Server) personOf(u slacktest.User) Person {
	p := Person{ID: u.ID, Name: u.RealName, Timezone: u.TZ, Admin: u.IsAdmin || u.IsOwner}
	if ws, ok := s.slack.Workspace(u.TeamID); ok {
		p.Workspace = ws.Name
	}
	loc, err := time.LoadLocation(u.TZ)
	if err != nil {
		loc = time.UTC
	}
	p.Now = s.clock.Now().In(loc).Format("Mon Jan 2, 15:04 MST")
	return p
}

// refused lists the latest calls the fake Slack refused for breaking
// Slack's rules, newest first.
func (s *Server) refused() []string {
	var out []string
	calls := s.slack.Calls("")
	for i := len(calls) - 1; i >= 0 && len(out) < 5; i-- {
		c := calls[i]
		switch c.Error {
		case "invalid_blocks", "invalid_arguments", "invalid_blocks_format", "msg_too_long", "too_many_attachments":
			var resp struct {
				Meta struct {
					Messages []string `json:"messages"`
				} `json:"response_metadata"`
			}
			json.Unmarshal(c.Response, &resp)
			out = append(out, fmt.Sprintf("Slack refused %s (%s): %s", c.Method, c.Error, strings.Join(resp.Meta.Messages, "; ")))
		}
	}
	return out
}

// directory answers the renderer's questions from the fake's directory.
type directory struct{ s *slacktest.Server }

func (d directory) UserName(id string) string {
	if u, ok := d.s.User(id); ok {
		return u.RealName
	}
	return ""
}

func (d directory) ChannelName(id string) string {
	if c, ok := d.s.Channel(id); ok && !strings.HasPrefix(id, "D") {
		return c.Name
	}
	return ""
}

func (d directory) Users() []Choice {
	var out []Choice
	for _, u := range d.s.Users() {
		if !u.IsBot {
			out = append(out, Choice{ID: u.ID, Name: u.RealName})
		}
	}
	return out
}

func (d directory) Channels() []Choice {
	var out []Choice
	for _, c := range d.s.Channels() {
		out = append(out, Choice{ID: c.ID, Name: "#" + c.Name})
	}
	return out
}

// renderedMessage is a message as the page shows it.
type renderedMessage struct {
	TS, ThreadTS string
	Author       string
	Bot          bool
	Time         string
	HTML         template.HTML
	Ephemeral    bool
	Edited       bool
	Files        []renderedFile
	Replies      []renderedMessage
}

type renderedFile struct{ ID, Name, Title, Alt string }

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	me, err := s.person(r, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ch := r.URL.Query().Get("id")
	if c, ok := s.slack.Channel(ch); !ok || c.TeamID != me.TeamID && !strings.HasPrefix(ch, "D") ||
		c.IsPrivate && !slices.Contains(c.Members, me.ID) || strings.HasPrefix(ch, "D") && ch != s.slack.DMChannel(me.ID) {
		http.Error(w, "not a conversation of yours", http.StatusForbidden)
		return
	}
	dir := directory{s.slack}
	files := map[string]slacktest.File{}
	for _, f := range s.slack.Files() {
		files[f.ID] = f
	}
	var top []renderedMessage
	index := map[string]int{}
	add := func(m renderedMessage) {
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			if i, ok := index[m.ThreadTS]; ok {
				top[i].Replies = append(top[i].Replies, m)
				return
			}
		}
		index[m.TS] = len(top)
		top = append(top, m)
	}
	for _, m := range s.slack.Messages(ch) {
		if m.Ephemeral && m.EphemeralTo != me.ID {
			continue
		}
		rm := renderedMessage{TS: m.TS, ThreadTS: m.ThreadTS, Ephemeral: m.Ephemeral, Edited: m.Edits > 0,
			Time: m.Time.In(loc(me.TZ)).Format("Mon 15:04")}
		if m.User == s.slack.BotUserID() || m.BotID != "" || m.Source != "" {
			rm.Author, rm.Bot = "okrbot", true
		} else {
			rm.Author = dir.UserName(m.User)
		}
		if len(m.RawBlocks) > 2 {
			rm.HTML, err = Blocks(m.RawBlocks, dir, SurfaceMessage)
		} else {
			rm.HTML = Mrkdwn(m.Text, dir)
		}
		if err != nil {
			rm.HTML = template.HTML(`<div class="bk-unknown">` + template.HTMLEscapeString(err.Error()) + `</div>`)
		}
		for _, id := range m.Files {
			if f, ok := files[id]; ok {
				rm.Files = append(rm.Files, renderedFile{ID: f.ID, Name: f.Name, Title: f.Title, Alt: f.AltText})
			}
		}
		add(rm)
	}
	// Files shared without a message of their own (in a thread).
	for _, f := range s.slack.Files() {
		if f.Completed && slices.Contains(f.Channels, ch) && len(f.MessageTS) == 0 {
			add(renderedMessage{TS: f.Time.Format("20060102150405.000000"), ThreadTS: f.ThreadTS, Author: "okrbot", Bot: true,
				Time: f.Time.In(loc(me.TZ)).Format("Mon 15:04"), Files: []renderedFile{{ID: f.ID, Name: f.Name, Title: f.Title, Alt: f.AltText}}})
		}
	}
	s.mu.Lock()
	typed := slices.Clone(s.typed)
	s.mu.Unlock()
	for _, t := range typed {
		if t.Channel == ch {
			add(renderedMessage{TS: t.At.Format("20060102150405.000000"), Author: dir.UserName(t.User), Time: t.At.In(loc(me.TZ)).Format("Mon 15:04"), HTML: Mrkdwn(t.Text, dir)})
		}
	}
	writeJSON(w, top)
}

func loc(tz string) *time.Location {
	if l, err := time.LoadLocation(tz); err == nil {
		return l
	}
	return time.UTC
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	f, ok := s.slack.File(r.PathValue("id"))
	if !ok || !f.Uploaded {
		http.NotFound(w, r)
		return
	}
	ct := http.DetectContentType(f.Data)
	if !strings.HasPrefix(ct, "image/") { // an export: downloaded, never shown as a page
		ct = "application/octet-stream"
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	}
	w.Header().Set("Content-Type", ct)
	w.Write(f.Data)
}

type renderedView struct {
	ID, Hash, Title, Submit, Close, CallbackID string
	HTML                                       template.HTML
	Stack                                      int // how many modals are stacked
}

func (s *Server) getHome(w http.ResponseWriter, r *http.Request) {
	me, err := s.person(r, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	v := s.slack.HomeView(me.ID)
	if v == nil || r.URL.Query().Get("opened") == "1" {
		// Opening the tab is an event for the bot, as in Slack.
		if _, err := s.slack.AppHomeOpened(r.Context(), me.ID); err != nil {
			s.log.Warn("playground: app_home_opened", slog.Any("err", err))
		}
	}
	if v == nil {
		writeJSON(w, nil)
		return
	}
	writeJSON(w, s.renderView(v, SurfaceHome))
}

func (s *Server) getModal(w http.ResponseWriter, r *http.Request) {
	me, err := s.person(r, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	v := s.slack.OpenModal(me.ID)
	if v == nil {
		writeJSON(w, nil)
		return
	}
	rv := s.renderView(v, SurfaceModal)
	rv.Stack = len(s.slack.ModalStack(me.ID))
	writeJSON(w, rv)
}

func (s *Server) renderView(v *slacktest.View, surface Surface) renderedView {
	html, err := Blocks(v.RawBlocks, directory{s.slack}, surface)
	if err != nil {
		html = template.HTML(`<div class="bk-unknown">` + template.HTMLEscapeString(err.Error()) + `</div>`)
	}
	return renderedView{ID: v.ID, Hash: v.Hash, Title: v.Title, Submit: v.Submit, Close: v.Close, CallbackID: v.CallbackID, HTML: html}
}

// sendRequest is what the message box sends.
type sendRequest struct {
	User, Channel, Text string
}

// sendAnswer is what the page shows after a send: the slash command's
// immediate answer is in the conversation already; Error is for the person.
type sendAnswer struct{ Error string }

func (s *Server) postSend(w http.ResponseWriter, r *http.Request) {
	var req sendRequest
	me, ok := s.decode(w, r, &req, &req.User)
	if !ok {
		return
	}
	var err error
	text := strings.TrimSpace(req.Text)
	switch {
	case text == "":
	case strings.HasPrefix(text, "/"):
		cmd, rest, _ := strings.Cut(text, " ")
		if cmd != "/okr" {
			writeJSON(w, sendAnswer{Error: cmd + " is not a valid command. This workspace has /okr."})
			return
		}
		_, err = s.slack.SlashCommand(r.Context(), slacktest.Command{TeamID: me.TeamID, UserID: me.ID, ChannelID: req.Channel, Command: "/okr", Text: rest})
	case strings.HasPrefix(req.Channel, "D"):
		ev := map[string]any{"type": "message", "channel": req.Channel, "channel_type": "im", "user": me.ID, "text": text,
			"ts": fmt.Sprintf("%d.%06d", s.clock.Now().Unix(), s.clock.Now().Nanosecond()/1000)}
		s.remember(typedMessage{Channel: req.Channel, User: me.ID, Text: text, At: s.clock.Now()})
		_, err = s.slack.Event(r.Context(), me.TeamID, ev)
	default:
		s.remember(typedMessage{Channel: req.Channel, User: me.ID, Text: text, At: s.clock.Now()})
	}
	s.answer(w, err)
}

func (s *Server) remember(t typedMessage) {
	s.mu.Lock()
	s.typed = append(s.typed, t)
	s.mu.Unlock()
	s.touch()
}

// actRequest is a click, a choice or a date on a message, App Home or
// modal.
type actRequest struct {
	User        string
	Channel, TS string // on a message
	View        string // on App Home or a modal
	ActionID    string
	Value       any
	Typed       map[string]map[string]any // a modal's inputs as typed so far
}

func (s *Server) postAct(w http.ResponseWriter, r *http.Request) {
	var req actRequest
	me, ok := s.decode(w, r, &req, &req.User)
	if !ok {
		return
	}
	var err error
	var on slacktest.Surface
	if req.View != "" {
		v := s.slack.View(req.View)
		if v == nil || v.UserID != me.ID {
			http.Error(w, "no such view", http.StatusBadRequest)
			return
		}
		on = v
	} else {
		m, ok := s.slack.Message(req.Channel, req.TS)
		if !ok {
			http.Error(w, "no such message", http.StatusBadRequest)
			return
		}
		on = m
	}
	_, err = s.slack.ActWithValues(r.Context(), me.ID, on, req.ActionID, req.Value, values(req.Typed))
	s.answer(w, err)
}

// values turns the page's typed inputs into the fake's Values.
func values(in map[string]map[string]any) slacktest.Values {
	out := slacktest.Values{}
	for block, byAction := range in {
		out[block] = map[string]any{}
		for action, v := range byAction {
			switch x := v.(type) {
			case []any:
				var ss []string
				for _, e := range x {
					ss = append(ss, fmt.Sprint(e))
				}
				out[block][action] = ss
			case nil:
				out[block][action] = nil
			default:
				s := fmt.Sprint(x)
				if s == "" {
					out[block][action] = nil // cleared
					continue
				}
				out[block][action] = s
			}
		}
	}
	return out
}

type submitRequest struct {
	User, View string
	Typed      map[string]map[string]any
}

// submitAnswer carries a submission's field errors, shown under their
// inputs as Slack would.
type submitAnswer struct {
	Errors map[string]string
	Error  string
}

func (s *Server) postSubmit(w http.ResponseWriter, r *http.Request) {
	var req submitRequest
	me, ok := s.decode(w, r, &req, &req.User)
	if !ok {
		return
	}
	ack, err := s.slack.SubmitView(r.Context(), me.ID, req.View, values(req.Typed))
	if err != nil {
		writeJSON(w, submitAnswer{Error: friendly(err)})
		return
	}
	ans := submitAnswer{Errors: ack.Errors()}
	if len(ack.Warnings) > 0 {
		ans.Error = "Slack would refuse this answer: " + strings.Join(ack.Warnings, "; ")
	}
	writeJSON(w, ans)
}

func (s *Server) postClose(w http.ResponseWriter, r *http.Request) {
	var req submitRequest
	me, ok := s.decode(w, r, &req, &req.User)
	if !ok {
		return
	}
	_, err := s.slack.CloseView(r.Context(), me.ID, req.View)
	s.answer(w, err)
}

// clockRequest is a jump in time, on the person's own clock.
type clockRequest struct {
	User, Jump string
}

// Jumps the clock offers, by name.
var jumps = map[string]func(now time.Time) time.Time{
	"monday-10": func(now time.Time) time.Time { return next(now, time.Monday, 10) },
	"friday-16": func(now time.Time) time.Time { return next(now, time.Friday, 16) },
	"day":       func(now time.Time) time.Time { return now.AddDate(0, 0, 1) },
	"week":      func(now time.Time) time.Time { return now.AddDate(0, 0, 7) },
	"cycle-end": func(now time.Time) time.Time { // just after the quarter ends
		y, m, _ := now.Date()
		first := time.Month((int(m)-1)/3*3 + 1)
		return time.Date(y, first+3, 1, 9, 0, 0, 0, now.Location())
	},
}

// morningAfter is 09:00 on the day of t, or the next day's when t is later.
func morningAfter(t time.Time) time.Time {
	m := time.Date(t.Year(), t.Month(), t.Day(), 9, 0, 0, 0, t.Location())
	if m.Before(t) {
		m = m.AddDate(0, 0, 1)
	}
	return m
}

// next returns the next day's hour:00 after now (a week later when it is
// that day and hour already).
func next(now time.Time, day time.Weekday, hour int) time.Time {
	t := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, now.Location())
	for !t.After(now) || t.Weekday() != day {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func (s *Server) postClock(w http.ResponseWriter, r *http.Request) {
	var req clockRequest
	me, ok := s.decode(w, r, &req, &req.User)
	if !ok {
		return
	}
	var err error
	jump, ok := jumps[req.Jump]
	if !ok {
		http.Error(w, "no such jump", http.StatusBadRequest)
		return
	}
	now := s.clock.Now().In(loc(me.TZ))
	target := jump(now)
	if req.Jump == "cycle-end" && s.cycleEnd != nil {
		end, cerr := s.cycleEnd(r.Context(), now)
		if cerr != nil {
			s.answer(w, cerr)
			return
		}
		target = morningAfter(end.In(now.Location()))
	}
	err = s.travel(r.Context(), target)
	s.touch()
	s.answer(w, err)
}

// travelStep is how far time moves between two sweeps on a jump: under
// okrs' two hours after which a prompt counts as late, so what falls due on
// the way happens on time, as it would have.
const travelStep = time.Hour

// travel moves the clock to target an hour at a time, sweeping at each
// step, so prompts, nudges and digests due on the way go out in order.
func (s *Server) travel(ctx context.Context, target time.Time) error {
	for s.clock.Now().Before(target) {
		step := s.clock.Now().Add(travelStep)
		if step.After(target) {
			step = target
		}
		s.clock.JumpTo(step)
		if s.sweep == nil {
			continue
		}
		if err := s.sweep(ctx); err != nil {
			return err
		}
	}
	return nil
}

// answer writes an empty answer, or one with the error for the person.
func (s *Server) answer(w http.ResponseWriter, err error) {
	if err != nil {
		s.log.Warn("playground", slog.Any("err", err))
		writeJSON(w, sendAnswer{Error: friendly(err)})
		return
	}
	writeJSON(w, sendAnswer{})
}

// friendly says what went wrong in the fake Slack's own words.
func friendly(err error) string {
	if errors.Is(err, slacktest.ErrNoAck) {
		return "okrbot did not answer within 3 seconds (Slack would show an error)."
	}
	return strings.TrimPrefix(err.Error(), "slacktest: ")
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(v)
}
