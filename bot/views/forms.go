package views

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// actionValue is the action id of every input in okrbot's forms.
const actionValue = "v"

// Form modes.
const (
	ModeNew     = "new"
	ModeEdit    = "edit"
	ModeAdd     = "add"
	ModeArchive = "archive"
)

// FormMeta travels in a form's private_metadata. Nothing in it is trusted:
// ids are looked up again in the caller's own workspace, permissions are
// checked again on submission.
type FormMeta struct {
	Mode     string   `json:"m"`
	ObjID    string   `json:"o,omitempty"`
	KRIDs    []string `json:"k,omitempty"` // existing key results, by form position (edit)
	N        int      `json:"n,omitempty"` // key-result groups in the form
	Channel  string   `json:"c,omitempty"` // where the form was opened from
	Response string   `json:"r,omitempty"` // response_url of the command that opened it
	Cycle    string   `json:"y,omitempty"` // the objective's cycle (add)
	Reviewed string   `json:"v,omitempty"` // the coach's tips already shown for this text (Fingerprint)
	Proposal string   `json:"p,omitempty"` // the proposal adjusted or declined
	Title    string   `json:"t,omitempty"` // a key result's title typed after /okr propose (picker)
	// Cycles are the cycles the form offered, with their team's dates, so
	// that reading it needs no I/O. They come back from Slack: what is
	// saved is checked again against the team's cycles after the ack.
	Cycles []MetaCycle `json:"cy,omitempty"`
}

// MetaCycle is a cycle offered by a form: name, first and last day.
type MetaCycle struct {
	Name  string `json:"n"`
	Start string `json:"s"`
	End   string `json:"e"`
}

// metaCycles writes cycles for FormMeta.
func metaCycles(cycles []okrs.Cycle) []MetaCycle {
	var out []MetaCycle
	for _, c := range cycles {
		out = append(out, MetaCycle{Name: c.Name, Start: c.Start.Format(time.DateOnly), End: c.End.Format(time.DateOnly)})
	}
	return out
}

// OfferedCycles returns the cycles the form offered.
func (m FormMeta) OfferedCycles() []okrs.Cycle {
	var out []okrs.Cycle
	for _, mc := range m.Cycles {
		if c, err := m.OfferedCycle(mc.Name); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// OfferedCycle returns the cycle named name as the form offered it, else
// the standard dates of a standard name.
func (m FormMeta) OfferedCycle(name string) (okrs.Cycle, error) {
	for _, c := range m.Cycles {
		if c.Name != name {
			continue
		}
		start, err1 := time.Parse(time.DateOnly, c.Start)
		end, err2 := time.Parse(time.DateOnly, c.End)
		if err1 == nil && err2 == nil {
			return okrs.Cycle{Name: c.Name, Start: start, End: end}, nil
		}
	}
	return okrs.ParseCycle(name)
}

// Encode writes m for private_metadata.
func (m FormMeta) Encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeFormMeta reads private_metadata written by Encode; anything else
// reads as the zero FormMeta.
func DecodeFormMeta(s string) FormMeta {
	var m FormMeta
	json.Unmarshal([]byte(s), &m)
	return m
}

// FormErrors collects field errors keyed by block id, first one per block;
// it is what a view_submission ack with errors carries.
type FormErrors map[string]string

// Add records msg for block unless the block has an error already.
func (fe FormErrors) Add(block, msg string) {
	if _, ok := fe[block]; !ok {
		fe[block] = msg
	}
}

// BlockIDs returns the ids of a view's input blocks.
func BlockIDs(v slack.View) map[string]bool {
	ids := map[string]bool{}
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			ids[in.BlockID] = true
		}
	}
	return ids
}

// IsChannelID reports whether id is a public or private channel (not a DM).
func IsChannelID(id string) bool {
	return len(id) > 1 && (id[0] == 'C' || id[0] == 'G')
}

func krBlock(i int, field string) string { return fmt.Sprintf("kr%d_%s", i, field) }

func textInput(blockID, label, value, placeholder string, maxLen int, multiline, optional bool) *slack.InputBlock {
	maxLen = min(maxLen, MaxInputLength)
	el := slack.NewPlainTextInputBlockElement(plain(shorten(placeholder, MaxPlaceholder)), actionValue)
	el.InitialValue = shorten(value, maxLen) // Slack refuses the view otherwise
	el.MaxLength = maxLen
	el.Multiline = multiline
	in := slack.NewInputBlock(blockID, plain(shorten(label, MaxLabel)), nil, el)
	in.Optional = optional
	return in
}

func conversationInput(blockID, label, channel string) *slack.InputBlock {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("Choose the team's channel"), actionValue)
	el.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	if IsChannelID(channel) {
		el.InitialConversation = channel
	}
	return slack.NewInputBlock(blockID, plain(label), plain("The team is the channel: status and digests go there."), el)
}

func userInput(blockID, label, user string) *slack.InputBlock {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Choose a person"), actionValue)
	el.InitialUser = user
	return slack.NewInputBlock(blockID, plain(label), nil, el)
}

// optionalUserInput is a person picker that may be left empty.
func optionalUserInput(blockID, label, hint, user string) *slack.InputBlock {
	in := userInput(blockID, label, user)
	in.Hint, in.Optional = plain(hint), true
	return in
}

func dateInput(blockID, label, hint, date string) *slack.InputBlock {
	el := slack.NewDatePickerBlockElement(actionValue)
	el.InitialDate = date
	var h *slack.TextBlockObject
	if hint != "" {
		h = plain(hint)
	}
	in := slack.NewInputBlock(blockID, plain(label), h, el)
	in.Optional = true
	return in
}

func option(value, text string) *slack.OptionBlockObject {
	if strings.TrimSpace(text) == "" { // Slack refuses an empty option
		text = "(untitled)"
	}
	return slack.NewOptionBlockObject(value, plain(shorten(text, MaxOptionText)), nil)
}

func staticSelect(blockID, label, placeholder string, opts []*slack.OptionBlockObject, initial string, optional bool) *slack.InputBlock {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(placeholder), actionValue, opts...)
	for _, o := range opts {
		if o.Value == initial {
			el.InitialOption = o
		}
	}
	in := slack.NewInputBlock(blockID, plain(label), nil, el)
	in.Optional = optional
	return in
}

// stateAction returns the input of a block, if the view state has it.
func stateAction(state *slack.ViewState, blockID string) (slack.BlockAction, bool) {
	if state == nil {
		return slack.BlockAction{}, false
	}
	a, ok := state.Values[blockID][actionValue]
	return a, ok
}

func stateText(state *slack.ViewState, blockID string) string {
	a, _ := stateAction(state, blockID)
	return a.Value
}

// stateValue returns whatever a select, picker or checkbox chose.
func stateValue(state *slack.ViewState, blockID string) string {
	a, ok := stateAction(state, blockID)
	if !ok {
		return ""
	}
	for _, v := range []string{a.SelectedOption.Value, a.SelectedUser, a.SelectedConversation, a.SelectedChannel, a.SelectedDate, a.Value} {
		if v != "" {
			return v
		}
	}
	if len(a.SelectedOptions) > 0 {
		return a.SelectedOptions[0].Value
	}
	return ""
}

// stateValues returns what a multi-select chose, in order.
func stateValues(state *slack.ViewState, blockID string) []string {
	a, ok := stateAction(state, blockID)
	if !ok {
		return nil
	}
	out := append(append(append([]string(nil), a.SelectedConversations...), a.SelectedChannels...), a.SelectedUsers...)
	for _, o := range a.SelectedOptions {
		out = append(out, o.Value)
	}
	return out
}
