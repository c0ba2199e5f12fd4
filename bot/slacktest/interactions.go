package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// verificationToken is the deprecated verification token put in payloads.
const verificationToken = "fake-verification-token"

// Command is a slash command a user runs.
type Command struct {
	TeamID      string // default: the user's workspace
	UserID      string // must be a registered user
	ChannelID   string // default: the user's DM with the bot
	Command     string // e.g. "/okr"
	Text        string
	TriggerID   string // default: a fresh trigger_id
	ResponseURL string // default: a fresh response URL for the channel
	ConnID      int    // Socket Mode connection to use; 0 means round-robin
}

// SlashCommand sends a slash_commands envelope with a complete payload
// (team, enterprise, channel, user, command, text, response_url, trigger_id,
// api_app_id) and waits for the ack (3 s). A message in the ack payload (text
// or blocks) is recorded like Slack shows it: ephemeral to the user unless
// response_type is in_channel, Source "ack".
func (s *Server) SlashCommand(ctx context.Context, cmd Command) (*Ack, error) {
	u, ok := s.User(cmd.UserID)
	if !ok {
		return nil, fmt.Errorf("slacktest: unknown user %q (AddUser it first)", cmd.UserID)
	}
	if cmd.TeamID == "" {
		cmd.TeamID = u.TeamID
	}
	w := s.teamInfo(cmd.TeamID)
	if cmd.ChannelID == "" {
		cmd.ChannelID = s.DMChannel(u.ID)
	}
	e, code := s.resolveConv(cmd.ChannelID)
	if code != "" {
		return nil, fmt.Errorf("slacktest: unknown channel %q (AddChannel it first)", cmd.ChannelID)
	}
	if cmd.TriggerID == "" {
		cmd.TriggerID = s.issueTrigger(u.ID, w.ID)
	}
	if cmd.ResponseURL == "" {
		cmd.ResponseURL = s.issueResponseURL(w.ID, e.ch.ID, u.ID, "")
	}
	payload := slack.SlashCommand{
		Token:          verificationToken,
		TeamID:         w.ID,
		TeamDomain:     w.Domain,
		EnterpriseID:   w.EnterpriseID,
		EnterpriseName: w.EnterpriseName,
		ChannelID:      e.ch.ID,
		ChannelName:    channelName(e),
		UserID:         u.ID,
		UserName:       u.Name,
		Command:        cmd.Command,
		Text:           cmd.Text,
		ResponseURL:    cmd.ResponseURL,
		TriggerID:      cmd.TriggerID,
		APIAppID:       s.cfg.appID,
	}
	ack, err := s.Send(ctx, Envelope{Type: EnvelopeSlashCommands, Payload: payload, AcceptsResponsePayload: true, ConnID: cmd.ConnID})
	if err != nil {
		return nil, err
	}
	ack.TriggerID, ack.ResponseURL = cmd.TriggerID, cmd.ResponseURL
	s.recordAckMessage(ack, e, u.ID)
	return ack, nil
}

// channelName is the channel_name Slack puts in slash command payloads.
func channelName(e *convEntry) string {
	switch {
	case e.isIM():
		return "directmessage"
	case e.mpim:
		return "privategroup"
	}
	return e.ch.Name
}

// recordAckMessage records the message in a slash command's ack payload.
func (s *Server) recordAckMessage(ack *Ack, e *convEntry, userID string) {
	if ack.Payload == nil {
		return
	}
	var p struct {
		Text         string          `json:"text"`
		Blocks       json.RawMessage `json:"blocks"`
		Attachments  json.RawMessage `json:"attachments"`
		ResponseType string          `json:"response_type"`
	}
	if err := json.Unmarshal(ack.Payload, &p); err != nil {
		ack.Warnings = append(ack.Warnings, "ack payload is not a JSON object: "+err.Error())
		return
	}
	c := msgContent{text: p.Text}
	if len(p.Blocks) > 0 && string(p.Blocks) != "null" {
		blocks, norm, err := normalizeBlocks(p.Blocks, s.newID)
		if err != nil {
			ack.Warnings = append(ack.Warnings, "invalid blocks in ack: "+err.Error())
			return
		}
		var v validator
		v.blocks(blocks, maxMessageBlocks, "/blocks")
		ack.Warnings = append(ack.Warnings, v.problems...)
		c.blocks, c.hasBlocks, c.blockCount = norm, true, len(blocks)
	}
	if len(p.Attachments) > 0 && string(p.Attachments) != "null" {
		c.attachments, c.hasAttachments = p.Attachments, true
	}
	if c.empty() {
		return
	}
	m := s.newBotMessage(e, &c, SourceAck)
	m.ResponseType = "ephemeral"
	if p.ResponseType == "in_channel" {
		m.ResponseType = "in_channel"
	} else {
		m.Ephemeral, m.EphemeralTo = true, userID
	}
	s.msgs.add(m, s.now())
}

// Interaction sends an interactive envelope with a caller-built payload. The
// fake fills in what Slack always sets when it is empty: trigger_id,
// api_app_id, token, team.id and, for block_actions on a message,
// message_action and interactive_message payloads, a response_url.
// view_submission acks are applied to the user's modal stack as by
// SubmitView.
func (s *Server) Interaction(ctx context.Context, cb slack.InteractionCallback) (*Ack, error) {
	u, known := s.User(cb.User.ID)
	if cb.Team.ID == "" && known {
		cb.Team.ID = u.TeamID
	}
	if cb.User.TeamID == "" {
		cb.User.TeamID = cb.Team.ID
	}
	if cb.User.Name == "" && known {
		cb.User.Name = u.Name
	}
	if cb.APIAppID == "" {
		cb.APIAppID = s.cfg.appID
	}
	if cb.Token == "" {
		cb.Token = verificationToken
	}
	if cb.TriggerID == "" && cb.Type != slack.InteractionTypeViewClosed {
		cb.TriggerID = s.issueTrigger(cb.User.ID, cb.Team.ID)
	}
	if cb.ResponseURL == "" {
		switch cb.Type {
		case slack.InteractionTypeBlockActions, slack.InteractionTypeMessageAction, slack.InteractionTypeInteractionMessage:
			ch := cb.Channel.ID
			if ch == "" {
				ch = cb.Container.ChannelID
			}
			origin := cb.Container.MessageTs
			if origin == "" {
				origin = cb.Message.Timestamp
			}
			if ch != "" {
				cb.ResponseURL = s.issueResponseURL(cb.Team.ID, ch, cb.User.ID, origin)
			}
		}
	}
	payload, err := json.Marshal(&cb)
	if err != nil {
		return nil, fmt.Errorf("slacktest: encoding interaction: %w", err)
	}
	accepts := cb.Type == slack.InteractionTypeViewSubmission
	ack, err := s.Send(ctx, Envelope{Type: EnvelopeInteractive, Payload: json.RawMessage(payload), AcceptsResponsePayload: accepts})
	if err != nil {
		return nil, err
	}
	ack.TriggerID, ack.ResponseURL = cb.TriggerID, cb.ResponseURL
	if cb.Type == slack.InteractionTypeViewSubmission {
		if v := s.View(cb.View.ID); v != nil {
			s.applySubmissionAck(v, ack)
		}
	}
	return ack, nil
}

// Event sends an events_api envelope for a workspace with an Events API
// payload around event (a map, struct or json.RawMessage; event_ts is added
// to maps that lack it): token, team_id, enterprise_id, api_app_id, type
// event_callback, event_id, event_time, authorizations (the bot) and
// event_context. The inner event type must be one slack-go knows, or slack-go
// cannot parse the envelope and never acks it.
//
// To simulate Slack's redelivery, resend ack.Request with Send and
// RetryAttempt/RetryReason set.
func (s *Server) Event(ctx context.Context, teamID string, event any) (*Ack, error) {
	w := s.teamInfo(teamID)
	now := s.now()
	if m, ok := event.(map[string]any); ok {
		if _, has := m["event_ts"]; !has {
			c := make(map[string]any, len(m)+1)
			for k, v := range m {
				c[k] = v
			}
			c["event_ts"] = fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)
			event = c
		}
	}
	raw, ok := event.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(event); err != nil {
			return nil, fmt.Errorf("slacktest: encoding event: %w", err)
		}
	}
	var ent any
	if w.EnterpriseID != "" {
		ent = w.EnterpriseID
	}
	payload := jsonObject{
		"token":      verificationToken,
		"team_id":    w.ID,
		"api_app_id": s.cfg.appID,
		"event":      raw,
		"type":       "event_callback",
		"event_id":   s.newID("Ev"),
		"event_time": now.Unix(),
		"authorizations": []jsonObject{{
			"enterprise_id": ent, "team_id": w.ID, "user_id": s.cfg.botUserID,
			"is_bot": true, "is_enterprise_install": false,
		}},
		"is_ext_shared_channel": false,
		"event_context":         "4-" + randomHex(16),
	}
	if w.EnterpriseID != "" {
		payload["enterprise_id"] = w.EnterpriseID
	}
	return s.Send(ctx, Envelope{Type: EnvelopeEventsAPI, Payload: payload})
}

// AppHomeOpened sends the app_home_opened event of a user opening the app's
// Home tab (with the currently published home view, if any).
func (s *Server) AppHomeOpened(ctx context.Context, userID string) (*Ack, error) {
	u, ok := s.User(userID)
	if !ok {
		return nil, fmt.Errorf("slacktest: unknown user %q", userID)
	}
	ev := map[string]any{"type": "app_home_opened", "user": u.ID, "channel": s.DMChannel(u.ID), "tab": "home"}
	if v := s.HomeView(u.ID); v != nil {
		ev["view"] = v.Raw
	}
	return s.Event(ctx, u.TeamID, ev)
}

// surfaceRef points at a recorded message or view.
type surfaceRef struct {
	channel, ts string
	viewID      string
}

// Surface is where interactive elements live: a Message or a *View returned
// by the fake. The fake always uses the surface's current version.
type Surface interface {
	surfaceRef() surfaceRef
}

// PressButton clicks the button with actionID on a message or view: it sends
// a block_actions interaction with the button's value, block_id and text, the
// container (message or view), the message or view with its state, a fresh
// trigger_id, a response_url (for messages), team and user.
func (s *Server) PressButton(ctx context.Context, userID string, on Surface, actionID string) (*Ack, error) {
	return s.Act(ctx, userID, on, actionID, nil)
}

// Act uses any interactive element of a message or view and sends the
// block_actions interaction: a button (value ignored), a select, overflow,
// radio buttons, checkboxes or a picker with value as in Values, or an input
// with dispatch_action.
func (s *Server) Act(ctx context.Context, userID string, on Surface, actionID string, value any) (*Ack, error) {
	return s.ActWithValues(ctx, userID, on, actionID, value, nil)
}

// ActWithValues is Act on a view into which the user has typed typed (as
// in Values) without submitting it yet: the interaction's view state holds
// what they typed, as Slack sends it. Values naming no element of the view
// are left out.
func (s *Server) ActWithValues(ctx context.Context, userID string, on Surface, actionID string, value any, typed Values) (*Ack, error) {
	u, ok := s.User(userID)
	if !ok {
		return nil, fmt.Errorf("slacktest: unknown user %q", userID)
	}
	w := s.teamInfo(u.TeamID)
	ref := on.surfaceRef()
	var (
		rawBlocks json.RawMessage
		msg       Message
		view      *View
	)
	if ref.viewID != "" {
		if view = s.View(ref.viewID); view == nil {
			return nil, fmt.Errorf("slacktest: no view %s", ref.viewID)
		}
		if view.UserID != userID || !view.Open {
			return nil, fmt.Errorf("slacktest: view %s is not open for %s", view.ID, userID)
		}
		rawBlocks = view.RawBlocks
		w = s.viewTeam(view, u)
	} else {
		if msg, ok = s.msgs.get(ref.channel, ref.ts); !ok || msg.Deleted {
			return nil, fmt.Errorf("slacktest: no message %s/%s", ref.channel, ref.ts)
		}
		if msg.Ephemeral && msg.EphemeralTo != userID {
			return nil, fmt.Errorf("slacktest: message %s/%s is ephemeral to %s, not %s", msg.Channel, msg.TS, msg.EphemeralTo, userID)
		}
		rawBlocks = msg.RawBlocks
	}
	blocks, err := decodeBlocks(rawBlocks)
	if err != nil {
		return nil, fmt.Errorf("slacktest: %w", err)
	}
	block, elem := findElement(blocks, actionID)
	if elem == nil {
		return nil, fmt.Errorf("slacktest: no element with action_id %q (action_ids: %s)", actionID, strings.Join(actionIDs(rawBlocks), ", "))
	}
	blockID := str(block, "block_id")
	now := s.now()
	actionTS := fmt.Sprintf("%d.%06d", now.Unix(), now.Nanosecond()/1000)

	var action jsonObject
	var values Values
	switch t := str(elem, "type"); t {
	case "button", "workflow_button", "icon_button":
		action = jsonObject{"type": t, "text": elem["text"]}
		if v, has := elem["value"]; has {
			action["value"] = v
		}
		if st, has := elem["style"]; has {
			action["style"] = st
		}
	case "overflow":
		sv, err := scalarString(value)
		if err != nil {
			return nil, err
		}
		opt, err := findOption(elem, sv)
		if err != nil || opt == nil {
			return nil, fmt.Errorf("slacktest: overflow %s: %v", actionID, err)
		}
		action = jsonObject{"type": t, "selected_option": opt}
	default:
		st, _, err := elementState(elem, value, true)
		if err != nil || st == nil {
			return nil, fmt.Errorf("slacktest: element %s (%s) cannot take %v: %v", actionID, t, value, err)
		}
		action = st
		values = Values{blockID: {actionID: value}}
	}
	values = mergeTyped(blocks, values, typed)
	action["action_id"], action["block_id"], action["action_ts"] = actionID, blockID, actionTS

	state, err := buildState(blocks, values, false)
	if err != nil {
		return nil, err
	}
	trig := s.issueTrigger(u.ID, w.ID)
	payload := s.basePayload("block_actions", u, w)
	payload["trigger_id"] = trig
	payload["actions"] = []any{action}
	payload["state"] = jsonObject{"values": state}
	respURL := ""
	if view != nil {
		payload["container"] = jsonObject{"type": "view", "view_id": view.ID}
		payload["view"] = viewWithState(view, state)
	} else {
		name := msg.Channel
		if e, code := s.resolveConv(msg.Channel); code == "" {
			name = channelName(e)
		}
		respURL = s.issueResponseURL(w.ID, msg.Channel, u.ID, msg.TS)
		payload["container"] = jsonObject{"type": "message", "message_ts": msg.TS, "channel_id": msg.Channel, "is_ephemeral": msg.Ephemeral}
		payload["channel"] = jsonObject{"id": msg.Channel, "name": name}
		payload["response_url"] = respURL
		if !msg.Ephemeral {
			payload["message"] = msg.wire()
		}
	}
	ack, err := s.Send(ctx, Envelope{Type: EnvelopeInteractive, Payload: payload})
	if err != nil {
		return nil, err
	}
	ack.TriggerID, ack.ResponseURL = trig, respURL
	return ack, nil
}

// basePayload has the fields every interaction payload shares.
func (s *Server) basePayload(typ string, u User, w Workspace) jsonObject {
	team := jsonObject{"id": w.ID, "domain": w.Domain}
	var ent any
	if w.EnterpriseID != "" {
		team["enterprise_id"], team["enterprise_name"] = w.EnterpriseID, w.EnterpriseName
		ent = jsonObject{"id": w.EnterpriseID, "name": w.EnterpriseName}
	}
	return jsonObject{
		"type":                  typ,
		"team":                  team,
		"user":                  jsonObject{"id": u.ID, "username": u.Name, "name": u.Name, "team_id": u.TeamID},
		"api_app_id":            s.cfg.appID,
		"token":                 verificationToken,
		"enterprise":            ent,
		"is_enterprise_install": false,
	}
}

// viewWithState returns a view object with state.values set.
func viewWithState(v *View, state jsonObject) jsonObject {
	var o jsonObject
	_ = decodeJSON(v.Raw, &o)
	o["state"] = jsonObject{"values": state}
	return o
}

// SubmitView submits the modal on top of a user's stack, as if the user
// filled it in and clicked submit. values override what the view's elements
// hold initially (see Values); they must name existing blocks and elements,
// and required inputs must end up with a value. The view_submission payload
// carries the view with state.values in Slack's per-type shapes, its
// callback_id, private_metadata, hash and id, plus team, user and a fresh
// trigger_id. The ack's response_action is applied: none closes the view,
// "clear" closes the stack, "update" replaces the view, "push" pushes one,
// "errors" keeps it open (see Ack.Errors).
func (s *Server) SubmitView(ctx context.Context, userID, viewID string, values Values) (*Ack, error) {
	v, env, trig, err := s.submission(userID, viewID, values)
	if err != nil {
		return nil, err
	}
	ack, err := s.Send(ctx, env)
	if err != nil {
		return nil, err
	}
	ack.TriggerID = trig
	s.applySubmissionAck(v, ack)
	return ack, nil
}

// SubmissionEnvelope returns the envelope SubmitView would send, without
// sending it: Send it more than once (at once, say) to deliver the same
// submission twice, as Slack does with a double click. Its acks are not
// applied to the user's modal stack.
func (s *Server) SubmissionEnvelope(userID, viewID string, values Values) (Envelope, error) {
	_, env, _, err := s.submission(userID, viewID, values)
	return env, err
}

func (s *Server) submission(userID, viewID string, values Values) (*View, Envelope, string, error) {
	v, u, w, err := s.topModal(userID, viewID)
	if err != nil {
		return nil, Envelope{}, "", err
	}
	blocks, err := decodeBlocks(v.RawBlocks)
	if err != nil {
		return nil, Envelope{}, "", fmt.Errorf("slacktest: %w", err)
	}
	state, err := buildState(blocks, values, true)
	if err != nil {
		return nil, Envelope{}, "", err
	}
	trig := s.issueTrigger(u.ID, w.ID)
	payload := s.basePayload("view_submission", u, w)
	payload["trigger_id"] = trig
	payload["view"] = viewWithState(v, state)
	payload["response_urls"] = []any{}
	return v, Envelope{Type: EnvelopeInteractive, Payload: payload, AcceptsResponsePayload: true}, trig, nil
}

// CloseView closes the modal on top of a user's stack as if the user clicked
// its close button (the whole stack when clear_on_close is set). Slack
// notifies the app only when the view has notify_on_close; then CloseView
// sends the view_closed interaction and returns its ack, otherwise it returns
// a nil Ack.
func (s *Server) CloseView(ctx context.Context, userID, viewID string) (*Ack, error) {
	v, u, w, err := s.topModal(userID, viewID)
	if err != nil {
		return nil, err
	}
	s.closeModal(userID, v.ID, v.ClearOnClose)
	if !v.NotifyOnClose {
		return nil, nil
	}
	blocks, _ := decodeBlocks(v.RawBlocks)
	state, err := buildState(blocks, nil, false)
	if err != nil {
		return nil, err
	}
	payload := s.basePayload("view_closed", u, w)
	payload["view"] = viewWithState(v, state)
	payload["is_cleared"] = v.ClearOnClose
	return s.Send(ctx, Envelope{Type: EnvelopeInteractive, Payload: payload})
}

// topModal checks that a view is the user's visible modal.
func (s *Server) topModal(userID, viewID string) (*View, User, Workspace, error) {
	u, ok := s.User(userID)
	if !ok {
		return nil, User{}, Workspace{}, fmt.Errorf("slacktest: unknown user %q", userID)
	}
	top := s.OpenModal(userID)
	switch {
	case top == nil:
		return nil, u, Workspace{}, fmt.Errorf("slacktest: %s has no open modal", userID)
	case top.ID != viewID:
		return nil, u, Workspace{}, fmt.Errorf("slacktest: view %s is not the modal %s sees (%s is on top)", viewID, userID, top.ID)
	}
	return top, u, s.viewTeam(top, u), nil
}

// viewTeam is the workspace a view's payloads name: the one it was opened in
// (a person from a partner organisation using a modal opened from a Slack
// Connect channel acts in the host's workspace), else the user's.
func (s *Server) viewTeam(v *View, u User) Workspace {
	if v != nil && v.TeamID != "" {
		return s.teamInfo(v.TeamID)
	}
	return s.teamInfo(u.TeamID)
}

// applySubmissionAck applies a view_submission ack's response_action.
func (s *Server) applySubmissionAck(v *View, ack *Ack) {
	var p struct {
		ResponseAction string            `json:"response_action"`
		View           json.RawMessage   `json:"view"`
		Errors         map[string]string `json:"errors"`
	}
	if ack.Payload != nil {
		if err := json.Unmarshal(ack.Payload, &p); err != nil {
			ack.Warnings = append(ack.Warnings, "ack payload is not a view submission response: "+err.Error())
			return
		}
	}
	switch p.ResponseAction {
	case "":
		s.closeModal(v.UserID, v.ID, false)
	case "clear":
		s.closeModal(v.UserID, v.ID, true)
	case "errors":
		blocks, _ := decodeBlocks(v.RawBlocks)
		inputs := map[string]bool{}
		for _, b := range blocks {
			if str(b, "type") == "input" {
				inputs[str(b, "block_id")] = true
			}
		}
		keys := make([]string, 0, len(p.Errors))
		for k := range p.Errors {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !inputs[k] {
				ack.Warnings = append(ack.Warnings, "errors key "+strconv.Quote(k)+" is not an input block_id; Slack shows a generic error")
			}
		}
		if len(p.Errors) == 0 {
			ack.Warnings = append(ack.Warnings, "response_action errors without errors")
		}
	case "update", "push":
		view, aerr := s.parseView(p.View, "modal")
		if aerr != nil {
			ack.Warnings = append(ack.Warnings, "invalid view in "+p.ResponseAction+": "+strings.Join(append([]string{aerr.code}, aerr.messages...), " "))
			return
		}
		var code string
		if p.ResponseAction == "update" {
			_, code = s.replaceView(v.ID, view)
		} else {
			_, code = s.pushView(view, v.UserID, v.TeamID)
		}
		if code != "" {
			ack.Warnings = append(ack.Warnings, p.ResponseAction+": "+code)
		}
	default:
		ack.Warnings = append(ack.Warnings, "unknown response_action "+strconv.Quote(p.ResponseAction))
	}
}

// ResponseAction returns the response_action of a view_submission ack.
func (a *Ack) ResponseAction() string {
	var p struct {
		ResponseAction string `json:"response_action"`
	}
	_ = a.Decode(&p)
	return p.ResponseAction
}

// Errors returns the errors of a response_action "errors" ack, keyed by
// block_id.
func (a *Ack) Errors() map[string]string {
	var p struct {
		Errors map[string]string `json:"errors"`
	}
	_ = a.Decode(&p)
	return p.Errors
}

// Text returns the text of a message ack payload.
func (a *Ack) Text() string {
	var p struct {
		Text string `json:"text"`
	}
	_ = a.Decode(&p)
	return p.Text
}

// ResponseType returns the response_type of a message ack payload.
func (a *Ack) ResponseType() string {
	var p struct {
		ResponseType string `json:"response_type"`
	}
	_ = a.Decode(&p)
	return p.ResponseType
}

// Blocks returns the blocks of a message ack payload, parsed by slack-go.
func (a *Ack) Blocks() slack.Blocks {
	var p struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	_ = a.Decode(&p)
	return parseBlocks(p.Blocks)
}

// AllText returns the text and block texts of a message ack payload.
func (a *Ack) AllText() string {
	var p struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	_ = a.Decode(&p)
	return Message{Text: p.Text, RawBlocks: p.Blocks}.AllText()
}

// Decode unmarshals the ack payload into v; a bare ack leaves v unchanged.
func (a *Ack) Decode(v any) error {
	if a == nil || a.Payload == nil {
		return nil
	}
	return json.Unmarshal(a.Payload, v)
}

// mergeTyped adds the typed values that name an element of blocks to
// values (values win).
func mergeTyped(blocks []jsonObject, values, typed Values) Values {
	if len(typed) == 0 {
		return values
	}
	known := map[string]map[string]bool{}
	for _, b := range blocks {
		for _, e := range blockElements(b) {
			if statefulElement(str(e, "type")) {
				if known[str(b, "block_id")] == nil {
					known[str(b, "block_id")] = map[string]bool{}
				}
				known[str(b, "block_id")][str(e, "action_id")] = true
			}
		}
	}
	out := Values{}
	for blockID, byAction := range typed {
		for actionID, v := range byAction {
			if known[blockID][actionID] {
				if out[blockID] == nil {
					out[blockID] = map[string]any{}
				}
				out[blockID][actionID] = v
			}
		}
	}
	for blockID, byAction := range values {
		if out[blockID] == nil {
			out[blockID] = map[string]any{}
		}
		for actionID, v := range byAction {
			out[blockID][actionID] = v
		}
	}
	return out
}
