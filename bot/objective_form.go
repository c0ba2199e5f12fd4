package bot

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Callback and action ids of the objective forms.
const (
	callbackObjective = "okr_objective" // create and edit
	callbackAddKR     = "okr_add_kr"    // add one key result
	callbackPick      = "okr_pick"      // choose an objective to edit, extend or archive
	callbackArchive   = "okr_archive"   // confirm an archive
	actionAddKRGroup  = "okr_form_add_kr"
	actionDropKRGroup = "okr_form_drop_kr"
	actionPick        = "okr_pick_objective"
	actionValue       = "v" // the action id of every input in okrbot's forms
)

// Form modes.
const (
	modeNew     = "new"
	modeEdit    = "edit"
	modeAdd     = "add"
	modeArchive = "archive"
)

// formMeta travels in a form's private_metadata. Nothing in it is trusted:
// ids are looked up again in the caller's own workspace, permissions are
// checked again on submission.
type formMeta struct {
	Mode     string   `json:"m"`
	ObjID    string   `json:"o,omitempty"`
	KRIDs    []string `json:"k,omitempty"` // existing key results, by form position (edit)
	N        int      `json:"n,omitempty"` // key-result groups in the form
	Channel  string   `json:"c,omitempty"` // where the form was opened from
	Response string   `json:"r,omitempty"` // response_url of the command that opened it
	Cycle    string   `json:"y,omitempty"` // the objective's cycle (add)
}

func (m formMeta) encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

func decodeMeta(s string) formMeta {
	var m formMeta
	json.Unmarshal([]byte(s), &m)
	return m
}

// objectiveForm is what the objective modal shows and what comes back.
type objectiveForm struct {
	Title, Description string
	Team, Cycle        string
	Owner, Parent      string
	KRs                []krForm
}

// krForm is one key result's group of fields, values as typed.
type krForm struct {
	Title         string
	Kind          okrs.Kind
	Start, Target string
	Unit          okrs.Unit // "" lets the values decide
	Owner         string
	Due           string // YYYY-MM-DD
	Archive       bool
	Existing      bool     // edit: an existing key result (can be archived)
	History       []string // edit: its target changes, for the record
}

func krBlock(i int, field string) string { return fmt.Sprintf("kr%d_%s", i, field) }

// formOf prefills a form from a stored objective.
func formOf(o *okrs.Objective) objectiveForm {
	f := objectiveForm{Title: o.Title, Description: o.Description, Team: o.Team, Cycle: o.Cycle, Owner: o.Owner, Parent: o.ParentID}
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		f.KRs = append(f.KRs, krFormOf(kr))
	}
	return f
}

func krFormOf(kr *okrs.KeyResult) krForm {
	kf := krForm{Title: kr.Title, Kind: kr.Kind, Unit: kr.Unit, Owner: kr.Owner, Existing: true}
	if kr.Kind != okrs.Milestone {
		kf.Start, kf.Target = typedValue(kr, kr.Start), typedValue(kr, kr.Target)
	}
	if !kr.Due.IsZero() {
		kf.Due = kr.Due.Format(time.DateOnly)
	}
	for _, h := range kr.TargetHistory {
		kf.History = append(kf.History, fmt.Sprintf("target %s → %s by %s on %s",
			kr.Format(h.From), kr.Format(h.To), mention(h.By), h.At.Format("Jan 2, 2006")))
	}
	return kf
}

// typedValue writes a value the way a person would type it back.
func typedValue(kr *okrs.KeyResult, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	switch kr.Unit {
	case okrs.Percent:
		return s + "%"
	case okrs.Currency:
		return kr.Currency + s
	}
	if kr.UnitLabel != "" {
		return s + " " + kr.UnitLabel
	}
	return s
}

// formView lists what a form needs besides its values.
type formView struct {
	Meta    formMeta
	Parents []okrs.Objective // candidates to align to
	Cycles  []okrs.Cycle     // choices of cycle
	Tips    []okrs.Tip       // coaching shown at the top
}

// objectiveModal builds the create/edit modal.
func objectiveModal(f objectiveForm, v formView) slack.ModalViewRequest {
	m := v.Meta
	m.N = len(f.KRs)
	title, submit := "New objective", "Create"
	if m.Mode == modeEdit {
		title, submit = "Edit objective", "Save"
	}
	var blocks []slack.Block
	intro := "An *objective* is a qualitative goal. Its *key results* measure whether you got there: outcomes, not tasks. Values like `1,200`, `45%`, `$3.2k` or `280 ms` are fine."
	blocks = append(blocks, contextText(intro))
	for _, t := range v.Tips {
		blocks = append(blocks, contextText(":bulb: "+esc(t.Message)))
	}
	blocks = append(blocks,
		textInput("title", "Objective", f.Title, "e.g. Delight new customers", okrs.MaxTitle, false, false),
		textInput("description", "Description", f.Description, "Why it matters, in a sentence or two", okrs.MaxDescription, true, true),
		conversationInput("team", "Team channel", f.Team),
		cycleInput(f.Cycle, v.Cycles),
		userInput("owner", "Owner", f.Owner),
	)
	if p := parentInput(f.Parent, v.Parents, m.ObjID); p != nil {
		blocks = append(blocks, p)
	}
	for i, kr := range f.KRs {
		blocks = append(blocks, krBlocks(i, kr, m.Mode == modeEdit)...)
	}
	var buttons []slack.BlockElement
	if len(f.KRs) < okrs.MaxKeyResults {
		buttons = append(buttons, slack.NewButtonBlockElement(actionAddKRGroup, "add", plain("+ Add another key result")))
	}
	if n := len(f.KRs); n > 1 && !f.KRs[n-1].Existing {
		buttons = append(buttons, slack.NewButtonBlockElement(actionDropKRGroup, "drop", plain("Remove the last one")))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("kr_buttons", buttons...))
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callbackObjective, PrivateMetadata: m.encode(),
		Title: plain(title), Submit: plain(submit), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// addKRModal builds the "add a key result" modal for an objective.
func addKRModal(o *okrs.Objective, kr krForm, m formMeta) slack.ModalViewRequest {
	m.Mode, m.ObjID, m.Cycle, m.N = modeAdd, o.ID, o.Cycle, 1
	blocks := []slack.Block{section(fmt.Sprintf("Add a key result to *%s*.", esc(o.Title)))}
	blocks = append(blocks, krBlocks(0, kr, false)[1:]...)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callbackAddKR, PrivateMetadata: m.encode(),
		Title: plain("Add a key result"), Submit: plain("Add"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

func krBlocks(i int, kr krForm, edit bool) []slack.Block {
	blocks := []slack.Block{section(fmt.Sprintf("*Key result %d*", i+1))}
	if len(kr.History) > 0 {
		h := kr.History
		if len(h) > 5 {
			h = h[len(h)-5:]
		}
		blocks = append(blocks, contextText("Changed: "+strings.Join(h, "; ")))
	}
	blocks = append(blocks,
		textInput(krBlock(i, "title"), "Key result", kr.Title, "e.g. Raise week-1 activation", okrs.MaxTitle, false, false),
		kindInput(krBlock(i, "kind"), kr.Kind),
		textInput(krBlock(i, "start"), "Start", kr.Start, "Today's value, e.g. 40%  (leave empty for a milestone)", 40, false, true),
		textInput(krBlock(i, "target"), "Target", kr.Target, "e.g. 60%, 1,200, $3.2k, 280 ms  (empty for a milestone)", 40, false, true),
		unitInput(krBlock(i, "unit"), kr.Unit),
		userInput(krBlock(i, "owner"), "Owner", kr.Owner),
		dateInput(krBlock(i, "due"), "Due (optional: the end of the cycle when empty)", kr.Due),
	)
	if edit && kr.Existing {
		cb := slack.NewCheckboxGroupsBlockElement(actionValue, slack.NewOptionBlockObject("archive", plain("Archive this key result"), nil))
		if kr.Archive {
			cb.InitialOptions = cb.Options
		}
		in := slack.NewInputBlock(krBlock(i, "archive"), plain("Archive"), nil, cb)
		in.Optional = true
		blocks = append(blocks, in)
	}
	return blocks
}

func textInput(blockID, label, value, placeholder string, maxLen int, multiline, optional bool) *slack.InputBlock {
	el := slack.NewPlainTextInputBlockElement(plain(placeholder), actionValue)
	el.InitialValue = value
	el.MaxLength = maxLen
	el.Multiline = multiline
	in := slack.NewInputBlock(blockID, plain(label), nil, el)
	in.Optional = optional
	return in
}

func conversationInput(blockID, label, channel string) *slack.InputBlock {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeConversations, plain("Choose the team's channel"), actionValue)
	el.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	if isChannelID(channel) {
		el.InitialConversation = channel
	}
	return slack.NewInputBlock(blockID, plain(label), plain("The team is the channel: status and digests go there."), el)
}

// isChannelID reports whether id is a public or private channel (not a DM).
func isChannelID(id string) bool {
	return len(id) > 1 && (id[0] == 'C' || id[0] == 'G')
}

func userInput(blockID, label, user string) *slack.InputBlock {
	el := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Choose a person"), actionValue)
	el.InitialUser = user
	return slack.NewInputBlock(blockID, plain(label), nil, el)
}

func dateInput(blockID, label, date string) *slack.InputBlock {
	el := slack.NewDatePickerBlockElement(actionValue)
	el.InitialDate = date
	in := slack.NewInputBlock(blockID, plain(label), nil, el)
	in.Optional = true
	return in
}

func option(value, text string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, plain(shorten(text, maxOptionText)), nil)
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

func kindInput(blockID string, k okrs.Kind) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, kind := range okrs.Kinds {
		opts = append(opts, option(string(kind), kind.Label()))
	}
	if k == "" {
		k = okrs.Increase
	}
	return staticSelect(blockID, "Kind", "How is it measured?", opts, string(k), false)
}

func unitInput(blockID string, u okrs.Unit) *slack.InputBlock {
	opts := []*slack.OptionBlockObject{
		option(string(okrs.Number), "Number"), option(string(okrs.Percent), "Percent (%)"), option(string(okrs.Currency), "Currency"),
	}
	return staticSelect(blockID, "Unit", "From the values you type", opts, string(u), true)
}

func cycleInput(current string, cycles []okrs.Cycle) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, c := range cycles {
		opts = append(opts, option(c.Name, fmt.Sprintf("%s (%s – %s)", c.Name, c.Start.Format("Jan 2"), c.End.Format("Jan 2, 2006"))))
	}
	return staticSelect("cycle", "Cycle", "Choose a cycle", opts, current, false)
}

// parentInput offers the objectives this one may align to, or nil when there
// are none.
func parentInput(current string, parents []okrs.Objective, self string) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, p := range parents {
		if p.ID == self || len(opts) == maxOptions {
			continue
		}
		opts = append(opts, option(p.ID, p.Title))
	}
	if len(opts) == 0 {
		return nil
	}
	return staticSelect("parent", "Aligns to (optional)", "A higher-level objective this one supports", opts, current, true)
}

// cycleChoices returns the previous, current and next quarters around now,
// plus keep (an objective's own cycle) if it is another one.
func cycleChoices(now time.Time, keep string) []okrs.Cycle {
	cur := okrs.QuarterOf(now)
	prev := okrs.QuarterOf(cur.Start.AddDate(0, -1, 0))
	next := okrs.QuarterOf(cur.End.AddDate(0, 0, 1))
	out := []okrs.Cycle{prev, cur, next}
	if keep != "" && keep != prev.Name && keep != cur.Name && keep != next.Name {
		if c, err := okrs.ParseCycle(keep); err == nil {
			out = append([]okrs.Cycle{c}, out...)
		}
	}
	return out
}

// readObjectiveForm reads a submitted (or in-progress) objective modal.
func readObjectiveForm(state *slack.ViewState, n int) objectiveForm {
	f := objectiveForm{
		Title: stateText(state, "title"), Description: stateText(state, "description"),
		Team: stateValue(state, "team"), Cycle: stateValue(state, "cycle"),
		Owner: stateValue(state, "owner"), Parent: stateValue(state, "parent"),
	}
	for i := range n {
		f.KRs = append(f.KRs, readKRForm(state, i))
	}
	return f
}

func readKRForm(state *slack.ViewState, i int) krForm {
	return krForm{
		Title: stateText(state, krBlock(i, "title")), Kind: okrs.Kind(stateValue(state, krBlock(i, "kind"))),
		Start: stateText(state, krBlock(i, "start")), Target: stateText(state, krBlock(i, "target")),
		Unit: okrs.Unit(stateValue(state, krBlock(i, "unit"))), Owner: stateValue(state, krBlock(i, "owner")),
		Due: stateValue(state, krBlock(i, "due")), Archive: stateValue(state, krBlock(i, "archive")) != "",
	}
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

// fieldBlock maps a domain field name to the form block that shows it.
func fieldBlock(field string, blocks map[string]bool) string {
	id := field
	if rest, ok := strings.CutPrefix(field, "kr."); ok {
		idx, f, _ := strings.Cut(rest, ".")
		switch f {
		case okrs.FieldCurrent:
			f = okrs.FieldStart
		}
		id = "kr" + idx + "_" + f
	}
	if field == okrs.FieldKeyResults {
		id = krBlock(0, "title")
	}
	if blocks[id] {
		return id
	}
	if blocks["title"] {
		return "title"
	}
	return krBlock(0, "title")
}

// formErrors collects field errors keyed by block id, first one per block.
type formErrors map[string]string

func (fe formErrors) add(block, msg string) {
	if _, ok := fe[block]; !ok {
		fe[block] = msg
	}
}

// keyResult turns a key result's fields into a domain key result, with
// field errors keyed "kr<i>_<field>".
func (kf krForm) keyResult(i int, fe formErrors) okrs.KeyResult {
	kr := okrs.KeyResult{Title: kf.Title, Kind: kf.Kind, Owner: kf.Owner, Unit: kf.Unit, Archived: kf.Archive}
	if kf.Due != "" {
		if d, err := time.Parse(time.DateOnly, kf.Due); err == nil {
			kr.Due = d
		} else {
			fe.add(krBlock(i, "due"), "Pick a date.")
		}
	}
	if kf.Archive {
		return kr // an archived key result keeps its numbers
	}
	start, target := strings.TrimSpace(kf.Start), strings.TrimSpace(kf.Target)
	if kf.Kind == okrs.Milestone {
		if start != "" {
			fe.add(krBlock(i, "start"), "A milestone is done or not done: leave the start empty.")
		}
		if target != "" {
			fe.add(krBlock(i, "target"), "A milestone is done or not done: leave the target empty.")
		}
		kr.Unit, kr.Target = okrs.Number, 1
		return kr
	}
	var qs, qt okrs.Quantity
	var err error
	if target == "" {
		fe.add(krBlock(i, "target"), "Enter the target: where should this number be at the end?")
	} else if qt, err = okrs.ParseQuantity(target); err != nil {
		fe.add(krBlock(i, "target"), okrs.ErrorMessage(err))
	}
	switch {
	case start == "" && kf.Kind.Threshold():
		qs = qt // a threshold without a start is assumed to hold today
	case start == "":
		fe.add(krBlock(i, "start"), "Enter where it starts today, e.g. 0 or 40%.")
	default:
		if qs, err = okrs.ParseQuantity(start); err != nil {
			fe.add(krBlock(i, "start"), okrs.ErrorMessage(err))
		}
	}
	kr.Start, kr.Target = qs.Value, qt.Value
	// The unit: the one chosen, else what the values' notation says.
	notation := okrs.Number
	for _, q := range []okrs.Quantity{qs, qt} {
		if q.Unit != okrs.Number && q.Unit != "" {
			if notation != okrs.Number && notation != q.Unit {
				fe.add(krBlock(i, "target"), "Start and target are in different units.")
			}
			notation = q.Unit
		}
		if q.Currency != "" {
			kr.Currency = q.Currency
		}
		if q.Label != "" {
			kr.UnitLabel = q.Label
		}
	}
	switch {
	case kf.Unit == "":
		kr.Unit = notation
	case notation != okrs.Number && notation != kf.Unit:
		fe.add(krBlock(i, "unit"), fmt.Sprintf("You chose %s but typed the values as %s.", strings.ToLower(kf.Unit.Label()), strings.ToLower(notation.Label())))
	}
	if kr.Unit != okrs.Number {
		kr.UnitLabel = ""
	}
	return kr
}

// objective turns the form into a domain objective of cycle c, reporting
// every problem keyed by block id. It runs before the ack, so it does no I/O.
func (f objectiveForm) objective(workspace, by string, now time.Time, blockIDs map[string]bool) (okrs.Objective, okrs.Cycle, formErrors) {
	fe := formErrors{}
	o := okrs.Objective{
		Workspace: workspace, Team: f.Team, Title: f.Title, Description: f.Description,
		Owner: f.Owner, ParentID: f.Parent, CreatedBy: by, CreatedAt: now, UpdatedAt: now,
	}
	if o.Owner == "" {
		o.Owner = by
	}
	if f.Team != "" && !isChannelID(f.Team) {
		fe.add("team", "Choose a channel, not a direct message: the team is the channel.")
	}
	c, err := okrs.ParseCycle(f.Cycle)
	if err != nil {
		fe.add("cycle", "Choose a cycle.")
	}
	o.Cycle = c.Name
	for i, kf := range f.KRs {
		kr := kf.keyResult(i, fe)
		kr.CreatedAt = now
		o.KeyResults = append(o.KeyResults, kr)
	}
	o.Normalize()
	if err == nil {
		for _, e := range okrs.FieldErrors(o.Validate(c)) {
			fe.add(fieldBlock(e.Field, blockIDs), e.Message)
		}
	}
	return o, c, fe
}

// blockIDs returns the ids of a view's blocks.
func blockIDs(v slack.View) map[string]bool {
	ids := map[string]bool{}
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			ids[in.BlockID] = true
		}
	}
	return ids
}

// draftText writes what someone entered, for a message when it could not be
// saved, so that nothing they typed is lost.
func (f objectiveForm) draftText() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "Objective: %s\n", f.Title)
	if f.Description != "" {
		fmt.Fprintf(&sb, "Description: %s\n", f.Description)
	}
	for i, kr := range f.KRs {
		fmt.Fprintf(&sb, "Key result %d: %s\n", i+1, kr.draftText())
	}
	return sb.String()
}

// draftText writes one key result as typed.
func (kf krForm) draftText() string {
	return fmt.Sprintf("%s (%s, from %s to %s)", kf.Title, kf.Kind.Label(), kf.Start, kf.Target)
}
