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

// maxModalStack is how many modal views a user can have stacked.
const maxModalStack = 3

// View is a modal or App Home view as the fake stores it. Views are immutable
// snapshots; every update stores a new version (same ID, new Hash).
type View struct {
	ID              string
	TeamID          string
	UserID          string // the user the modal is shown to, or whose Home it is
	Type            string // "modal" or "home"
	CallbackID      string
	PrivateMetadata string
	ExternalID      string
	Hash            string
	RootViewID      string
	PreviousViewID  string
	Title           string
	Submit          string
	Close           string
	NotifyOnClose   bool
	ClearOnClose    bool

	// Blocks holds the blocks parsed with slack-go (empty if it cannot parse
	// them); RawBlocks the blocks as stored, with Slack-assigned block_ids and
	// action_ids filled in; Raw the whole view object as Slack returns it.
	Blocks    slack.Blocks
	RawBlocks json.RawMessage
	Raw       json.RawMessage

	Open    bool // modal: on the user's modal stack; home: always true
	Updates int  // views.update / response_action update count
	Time    time.Time
}

// AllText returns the title and the texts of the view's blocks, one per line.
func (v *View) AllText() string {
	parts := []string{}
	if v.Title != "" {
		parts = append(parts, v.Title)
	}
	return strings.Join(append(parts, blockTexts(v.RawBlocks)...), "\n")
}

// ActionIDs returns the action_ids of the view's interactive elements.
func (v *View) ActionIDs() []string { return actionIDs(v.RawBlocks) }

func (v *View) String() string {
	return fmt.Sprintf("%s %s %s callback_id=%q title=%q open=%v", v.ID, v.Type, v.UserID, v.CallbackID, v.Title, v.Open)
}

func (v *View) surfaceRef() surfaceRef { return surfaceRef{viewID: v.ID} }

type viewStore struct {
	mu         sync.Mutex
	views      map[string]*View
	byExternal map[string]string
	stacks     map[string][]string // user → modal view IDs, root first
	homes      map[string]string   // user → home view ID
	log        []*View
	n          notifier
}

func (st *viewStore) init() {
	st.views = map[string]*View{}
	st.byExternal = map[string]string{}
	st.stacks = map[string][]string{}
	st.homes = map[string]string{}
}

// isOpenLocked reports whether a modal is on its user's stack.
func (st *viewStore) isOpenLocked(v *View) bool {
	if v.Type == "home" {
		return true
	}
	return slices.Contains(st.stacks[v.UserID], v.ID)
}

// snapshot returns a copy with Open computed. st.mu must be held.
func (st *viewStore) snapshotLocked(v *View) *View {
	c := *v
	c.Open = st.isOpenLocked(v)
	return &c
}

// putLocked stores a view version. st.mu must be held.
func (st *viewStore) putLocked(v *View) {
	if old, ok := st.views[v.ID]; ok && old.ExternalID != "" && old.ExternalID != v.ExternalID {
		delete(st.byExternal, old.ExternalID)
	}
	st.views[v.ID] = v
	if v.ExternalID != "" {
		st.byExternal[v.ExternalID] = v.ID
	}
	st.log = append(st.log, v)
}

// View returns the current version of a view, or nil.
func (s *Server) View(viewID string) *View {
	st := &s.views
	st.mu.Lock()
	defer st.mu.Unlock()
	v, ok := st.views[viewID]
	if !ok {
		return nil
	}
	return st.snapshotLocked(v)
}

// OpenModal returns the modal on top of a user's modal stack, or nil.
func (s *Server) OpenModal(userID string) *View {
	st := &s.views
	st.mu.Lock()
	defer st.mu.Unlock()
	stack := st.stacks[userID]
	if len(stack) == 0 {
		return nil
	}
	return st.snapshotLocked(st.views[stack[len(stack)-1]])
}

// ModalStack returns a user's open modals, root first.
func (s *Server) ModalStack(userID string) []*View {
	st := &s.views
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []*View
	for _, id := range st.stacks[userID] {
		out = append(out, st.snapshotLocked(st.views[id]))
	}
	return out
}

// HomeView returns the App Home view published for a user, or nil.
func (s *Server) HomeView(userID string) *View {
	st := &s.views
	st.mu.Lock()
	defer st.mu.Unlock()
	id, ok := st.homes[userID]
	if !ok {
		return nil
	}
	return st.snapshotLocked(st.views[id])
}

// WaitForView returns the first view version (opened, pushed, updated or
// published, including earlier ones) that satisfies match, waiting for it if
// needed. Open reflects the view's state when WaitForView returns. Without a
// deadline on ctx the wait times out after 5 s.
func (s *Server) WaitForView(ctx context.Context, match func(*View) bool) (*View, error) {
	ctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	st := &s.views
	next := 0
	for {
		ch := st.n.wait()
		st.mu.Lock()
		var found *View
		for _, v := range st.log[next:] {
			if c := st.snapshotLocked(v); match == nil || match(c) {
				found = c
				break
			}
		}
		next = len(st.log)
		st.mu.Unlock()
		if found != nil {
			return found, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("slacktest: no matching view: %w (%d view versions recorded)", ctx.Err(), next)
		}
	}
}

// WaitForModal waits until a user has a modal open and returns the one on
// top of the stack. Without a deadline on ctx the wait times out after 5 s.
func (s *Server) WaitForModal(ctx context.Context, userID string) (*View, error) {
	ctx, cancel := s.withDefaultTimeout(ctx)
	defer cancel()
	for {
		ch := s.views.n.wait()
		if v := s.OpenModal(userID); v != nil {
			return v, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, fmt.Errorf("slacktest: no modal opened for %s: %w", userID, ctx.Err())
		}
	}
}

// trigger is an issued trigger_id.
type trigger struct {
	userID string
	teamID string
	issued time.Time
	used   bool
}

type triggerStore struct {
	mu sync.Mutex
	m  map[string]*trigger
}

func (st *triggerStore) init() { st.m = map[string]*trigger{} }

// NewTriggerID issues a fresh trigger_id for a user, as Slack does with each
// slash command and interaction. It expires after 3 s (WithTriggerTTL) on the
// fake's clock and can be exchanged once.
func (s *Server) NewTriggerID(userID string) string {
	teamID := ""
	if u, ok := s.User(userID); ok {
		teamID = u.TeamID
	}
	return s.issueTrigger(userID, teamID)
}

func (s *Server) issueTrigger(userID, teamID string) string {
	now := s.now()
	id := fmt.Sprintf("%d.%d.%s", now.Unix(), s.seq.Add(1), randomHex(12))
	st := &s.triggers
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) > 10000 { // forget long-expired triggers
		for k, t := range st.m {
			if now.Sub(t.issued) > 100*s.cfg.triggerTTL {
				delete(st.m, k)
			}
		}
	}
	st.m[id] = &trigger{userID: userID, teamID: teamID, issued: now}
	return id
}

// exchangeTrigger consumes a trigger_id.
func (s *Server) exchangeTrigger(id string) (trigger, *apiError) {
	now := s.now()
	st := &s.triggers
	st.mu.Lock()
	defer st.mu.Unlock()
	t, ok := st.m[id]
	switch {
	case !ok:
		return trigger{}, fail("invalid_trigger_id")
	case t.used:
		return trigger{}, fail("exchanged_trigger_id")
	case now.Sub(t.issued) > s.cfg.triggerTTL:
		return trigger{}, fail("expired_trigger_id")
	}
	t.used = true
	return *t, nil
}

// parseView reads, normalizes and checks a view object from a request.
func (s *Server) parseView(raw json.RawMessage, wantType string) (jsonObject, *apiError) {
	if raw == nil {
		return nil, fail("invalid_arguments", "[ERROR] missing required field: view")
	}
	var view jsonObject
	if decodeJSON(raw, &view) != nil || view == nil {
		return nil, fail("invalid_arguments", "[ERROR] view must be a JSON object [json-pointer:/view]")
	}
	rawBlocks, _ := json.Marshal(view["blocks"])
	if view["blocks"] == nil {
		rawBlocks = nil
	}
	blocks, norm, err := normalizeBlocks(rawBlocks, s.newID)
	if err != nil {
		return nil, fail("invalid_arguments", "[ERROR] "+err.Error()+" [json-pointer:/view/blocks]")
	}
	var v validator
	v.view(view, blocks)
	if wantType != "" && str(view, "type") != wantType && len(v.problems) == 0 {
		v.errorf("/view/type", "must be %s", wantType)
	}
	if len(v.problems) > 0 {
		return nil, fail("invalid_arguments", v.problems...)
	}
	if norm == nil {
		norm = json.RawMessage("[]")
	}
	view["blocks"] = norm
	return view, nil
}

func (s *Server) newHash() string {
	return fmt.Sprintf("%d.%s", s.now().Unix(), randomHex(4))
}

// makeView builds a stored view version from a parsed view object.
func (s *Server) makeView(view jsonObject, id, teamID, userID, rootID, prevID string, updates int) *View {
	rawBlocks, _ := view["blocks"].(json.RawMessage)
	v := &View{
		ID:              id,
		TeamID:          teamID,
		UserID:          userID,
		Type:            str(view, "type"),
		CallbackID:      str(view, "callback_id"),
		PrivateMetadata: str(view, "private_metadata"),
		ExternalID:      str(view, "external_id"),
		Hash:            s.newHash(),
		RootViewID:      rootID,
		PreviousViewID:  prevID,
		Title:           textOf(view, "title"),
		Submit:          textOf(view, "submit"),
		Close:           textOf(view, "close"),
		NotifyOnClose:   view["notify_on_close"] == true,
		ClearOnClose:    view["clear_on_close"] == true,
		RawBlocks:       rawBlocks,
		Blocks:          parseBlocks(rawBlocks),
		Updates:         updates,
		Time:            s.now(),
	}
	full := jsonObject{}
	for k, val := range view {
		full[k] = val
	}
	var prev any
	if prevID != "" {
		prev = prevID
	}
	full["id"], full["team_id"], full["hash"] = v.ID, v.TeamID, v.Hash
	full["state"] = jsonObject{"values": jsonObject{}}
	full["root_view_id"], full["previous_view_id"] = v.RootViewID, prev
	full["app_id"], full["bot_id"], full["app_installed_team_id"] = s.cfg.appID, s.cfg.botID, v.TeamID
	full["private_metadata"], full["callback_id"], full["external_id"] = v.PrivateMetadata, v.CallbackID, v.ExternalID
	full["clear_on_close"], full["notify_on_close"] = v.ClearOnClose, v.NotifyOnClose
	if v.Type == "modal" {
		for _, k := range []string{"title", "close", "submit"} {
			if _, ok := full[k]; !ok {
				full[k] = nil
			}
		}
	}
	v.Raw, _ = json.Marshal(full)
	return v
}

func viewAnswer(v *View) jsonObject { return jsonObject{"view": v.Raw} }

func (s *Server) viewsOpen(r *apiRequest) (jsonObject, *apiError) {
	view, aerr := s.parseView(r.raw("view"), "modal")
	if aerr != nil {
		return nil, aerr
	}
	t, aerr := s.exchangeTrigger(r.str("trigger_id"))
	if aerr != nil {
		return nil, aerr
	}
	st := &s.views
	st.mu.Lock()
	if ext := str(view, "external_id"); ext != "" {
		if _, dup := st.byExternal[ext]; dup {
			st.mu.Unlock()
			return nil, fail("duplicate_external_id")
		}
	}
	id := s.newID("V")
	v := s.makeView(view, id, t.teamID, t.userID, id, "", 0)
	st.stacks[t.userID] = []string{id}
	st.putLocked(v)
	st.mu.Unlock()
	st.n.notify()
	return viewAnswer(v), nil
}

func (s *Server) viewsPush(r *apiRequest) (jsonObject, *apiError) {
	view, aerr := s.parseView(r.raw("view"), "modal")
	if aerr != nil {
		return nil, aerr
	}
	t, aerr := s.exchangeTrigger(r.str("trigger_id"))
	if aerr != nil {
		return nil, aerr
	}
	v, code := s.pushView(view, t.userID, t.teamID)
	if code != "" {
		return nil, fail(code)
	}
	return viewAnswer(v), nil
}

// pushView puts a modal on top of a user's stack.
func (s *Server) pushView(view jsonObject, userID, teamID string) (*View, string) {
	st := &s.views
	st.mu.Lock()
	stack := st.stacks[userID]
	if len(stack) >= maxModalStack {
		st.mu.Unlock()
		return nil, "push_limit_reached"
	}
	if ext := str(view, "external_id"); ext != "" {
		if _, dup := st.byExternal[ext]; dup {
			st.mu.Unlock()
			return nil, "duplicate_external_id"
		}
	}
	id := s.newID("V")
	root, prev := id, ""
	if len(stack) > 0 {
		root, prev = stack[0], stack[len(stack)-1]
	}
	v := s.makeView(view, id, teamID, userID, root, prev, 0)
	st.stacks[userID] = append(slices.Clip(stack), id)
	st.putLocked(v)
	st.mu.Unlock()
	st.n.notify()
	return v, ""
}

func (s *Server) viewsUpdate(r *apiRequest) (jsonObject, *apiError) {
	view, aerr := s.parseView(r.raw("view"), "")
	if aerr != nil {
		return nil, aerr
	}
	st := &s.views
	st.mu.Lock()
	id := r.str("view_id")
	if id == "" {
		id = st.byExternal[r.str("external_id")]
	}
	old, ok := st.views[id]
	switch {
	case !ok || !st.isOpenLocked(old):
		st.mu.Unlock()
		return nil, fail("not_found")
	case r.str("hash") != "" && r.str("hash") != old.Hash:
		st.mu.Unlock()
		return nil, fail("hash_conflict")
	case str(view, "type") != old.Type:
		st.mu.Unlock()
		return nil, fail("invalid_arguments", "[ERROR] cannot change the type of a view [json-pointer:/view/type]")
	}
	if ext := str(view, "external_id"); ext != "" && st.byExternal[ext] != "" && st.byExternal[ext] != id {
		st.mu.Unlock()
		return nil, fail("duplicate_external_id")
	}
	keepExternalID(view, old)
	v := s.makeView(view, old.ID, old.TeamID, old.UserID, old.RootViewID, old.PreviousViewID, old.Updates+1)
	st.putLocked(v)
	st.mu.Unlock()
	st.n.notify()
	return viewAnswer(v), nil
}

func (s *Server) viewsPublish(r *apiRequest) (jsonObject, *apiError) {
	view, aerr := s.parseView(r.raw("view"), "home")
	if aerr != nil {
		return nil, aerr
	}
	userID := r.str("user_id")
	u, ok := s.User(userID)
	if !ok {
		return nil, fail("user_not_found")
	}
	st := &s.views
	st.mu.Lock()
	id, existed := st.homes[userID]
	updates := 0
	if existed {
		old := st.views[id]
		if h := r.str("hash"); h != "" && h != old.Hash {
			st.mu.Unlock()
			return nil, fail("hash_conflict")
		}
		updates = old.Updates + 1
	} else {
		id = s.newID("V")
		st.homes[userID] = id
	}
	v := s.makeView(view, id, u.TeamID, userID, "", "", updates)
	st.putLocked(v)
	st.mu.Unlock()
	st.n.notify()
	return viewAnswer(v), nil
}

// closeModal pops a user's top modal, if it is viewID, or clears the whole
// stack when all is set (after a submission or a close).
func (s *Server) closeModal(userID, viewID string, all bool) {
	st := &s.views
	st.mu.Lock()
	stack := st.stacks[userID]
	switch {
	case all:
		delete(st.stacks, userID)
	case len(stack) > 0 && stack[len(stack)-1] == viewID:
		st.stacks[userID] = slices.Clip(stack[:len(stack)-1])
		if len(stack) == 1 {
			delete(st.stacks, userID)
		}
	}
	st.mu.Unlock()
	st.n.notify()
}

// replaceView stores a new version of a view from a response_action update.
func (s *Server) replaceView(viewID string, view jsonObject) (*View, string) {
	st := &s.views
	st.mu.Lock()
	old, ok := st.views[viewID]
	if !ok {
		st.mu.Unlock()
		return nil, "not_found"
	}
	keepExternalID(view, old)
	v := s.makeView(view, old.ID, old.TeamID, old.UserID, old.RootViewID, old.PreviousViewID, old.Updates+1)
	st.putLocked(v)
	st.mu.Unlock()
	st.n.notify()
	return v, ""
}

// keepExternalID carries a view's external_id over to an update that does
// not set one.
func keepExternalID(view jsonObject, old *View) {
	if str(view, "external_id") == "" && old.ExternalID != "" {
		view["external_id"] = old.ExternalID
	}
}
