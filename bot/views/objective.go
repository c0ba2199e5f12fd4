package views

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Callback and action ids of the objective forms.
const (
	CallbackObjective = "okr_objective" // create and edit
	CallbackAddKR     = "okr_add_kr"    // add one key result
	CallbackPick      = "okr_pick"      // choose an objective to edit, extend or archive
	CallbackArchive   = "okr_archive"   // confirm an archive
	ActionAddKRGroup  = "okr_form_add_kr"
	ActionDropKRGroup = "okr_form_drop_kr"
	ActionPick        = "okr_pick_objective"
)

// ObjectiveForm is what the objective modal shows and what comes back.
type ObjectiveForm struct {
	Title, Description string
	Team, Cycle        string
	Owner, Parent      string
	Shared             []string // other teams' channels sharing it
	KRs                []KRForm
	Reason             string // edit: why targets, kinds or due dates changed (optional)
}

// BlockReason is the edit form's "What changed and why?" input.
const BlockReason = "reason"

// KRForm is one key result's group of fields, values as typed.
type KRForm struct {
	Title         string
	Kind          okrs.Kind
	Start, Target string
	Unit          okrs.Unit // "" lets the values decide
	Owner         string
	Due           string // YYYY-MM-DD
	Archive       bool
	Existing      bool     // edit: an existing key result (can be archived)
	History       []Mrkdwn // edit: its target changes, for the record
}

// FormOf prefills a form from a stored objective.
func FormOf(o *okrs.Objective) ObjectiveForm {
	f := ObjectiveForm{Title: o.Title, Description: o.Description, Team: o.Team, Cycle: o.Cycle, Owner: o.Owner, Parent: o.ParentID,
		Shared: o.SharedWith}
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		f.KRs = append(f.KRs, krFormOf(kr))
	}
	return f
}

func krFormOf(kr *okrs.KeyResult) KRForm {
	kf := KRForm{Title: kr.Title, Kind: kr.Kind, Unit: kr.Unit, Owner: kr.Owner, Existing: true}
	if kr.Kind != okrs.Milestone {
		kf.Start, kf.Target = typedValue(kr, kr.Start), typedValue(kr, kr.Target)
	}
	if !kr.Due.IsZero() {
		kf.Due = kr.Due.Format(time.DateOnly)
	}
	for _, h := range kr.TargetHistory {
		line := Sprintf("%s by %s on %s", ChangeText(kr, h), Mention(h.By), h.At.Format("Jan 2, 2006"))
		if h.Reason != "" {
			line = line.Append(Sprintf(" (%s)", shorten(h.Reason, 60)))
		}
		kf.History = append(kf.History, line)
	}
	return kf
}

// FormView lists what a form needs besides its values.
type FormView struct {
	Meta    FormMeta
	Parents []okrs.Objective // candidates to align to
	Cycles  []okrs.Cycle     // choices of cycle
	Tips    []okrs.Tip       // coaching shown at the top
}

// ObjectiveModal builds the create/edit modal.
func ObjectiveModal(f ObjectiveForm, v FormView) slack.ModalViewRequest {
	m := v.Meta
	m.N = len(f.KRs)
	m.Cycles = metaCycles(v.Cycles)
	title, submit := "New objective", "Create"
	if m.Mode == ModeEdit {
		title, submit = "Edit objective", "Save"
	}
	var blocks []slack.Block
	intro := Raw("An *objective* is a qualitative goal. Its *key results* measure whether you got there: outcomes, not tasks. Values like `1,200`, `45%`, `$3.2k` or `280 ms` are fine.")
	blocks = append(blocks, contextText(intro))
	for _, t := range v.Tips {
		blocks = append(blocks, contextText(Sprintf(":bulb: %s", t.Message)))
	}
	if note, ok := f.fitTitle(); ok {
		blocks = append(blocks, contextText(note))
	}
	blocks = append(blocks,
		textInput("title", "Objective", f.Title, "e.g. Delight new customers", okrs.MaxTitle, false, false),
		textInput("description", "Description", f.Description, "Why it matters, in a sentence or two", okrs.MaxDescription, true, true),
		conversationInput("team", "Team channel", f.Team),
		sharedInput(f.Shared),
		cycleInput(f.Cycle, v.Cycles),
		userInput("owner", "Owner", f.Owner),
	)
	if p := parentInput(f.Parent, v.Parents, m.ObjID); p != nil {
		blocks = append(blocks, p)
	}
	for i, kr := range f.KRs {
		blocks = append(blocks, krBlocks(i, kr, m.Mode == ModeEdit)...)
	}
	var buttons []slack.BlockElement
	if len(f.KRs) < okrs.MaxKeyResults {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionAddKRGroup, "add", plain("+ Add another key result")))
	}
	if n := len(f.KRs); n > 1 && !f.KRs[n-1].Existing {
		buttons = append(buttons, slack.NewButtonBlockElement(ActionDropKRGroup, "drop", plain("Remove the last one")))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("kr_buttons", buttons...))
	}
	if m.Mode == ModeEdit {
		in := textInput(BlockReason, "What changed and why?", f.Reason, "e.g. New baseline after the pricing change", okrs.MaxChangeReason, false, true)
		in.Hint = plain("Optional. Kept with every target, kind or due date you change here, and shown in status and the digest.")
		blocks = append(blocks, in)
	}
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackObjective, PrivateMetadata: m.Encode(),
		Title: plain(title), Submit: plain(submit), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// fitTitle shortens a title longer than an objective's (one typed after
// /okr new: Slack refuses a view whose input is prefilled beyond its
// max_length) and says so; the full text goes into an empty description.
func (f *ObjectiveForm) fitTitle() (Mrkdwn, bool) {
	n := utf8.RuneCountInString(f.Title)
	if n <= okrs.MaxTitle {
		return Mrkdwn{}, false
	}
	where := Raw(".")
	if f.Description == "" {
		f.Description = shorten(f.Title, okrs.MaxDescription)
		where = Raw(": the full text is in the description.")
		if n > okrs.MaxDescription {
			where = Sprintf(": the description holds its first %s.", okrs.FormatNumber(okrs.MaxDescription))
		}
	}
	f.Title = shorten(f.Title, okrs.MaxTitle)
	return Sprintf(":scissors: Your title was %s characters; objective titles take up to %d, so it was cut%s",
		okrs.FormatNumber(float64(n)), okrs.MaxTitle, where), true
}

// AddKRModal builds the "add a key result" modal for an objective.
func AddKRModal(o *okrs.Objective, kr KRForm, m FormMeta) slack.ModalViewRequest {
	m.Mode, m.ObjID, m.Cycle, m.N = ModeAdd, o.ID, o.Cycle, 1
	blocks := []slack.Block{section(Sprintf("Add a key result to *%s*.", o.Title))}
	blocks = append(blocks, krBlocks(0, kr, false)[1:]...)
	return slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: CallbackAddKR, PrivateMetadata: m.Encode(),
		Title: plain("Add a key result"), Submit: plain("Add"), Close: plain("Cancel"),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

func krBlocks(i int, kr KRForm, edit bool) []slack.Block {
	blocks := []slack.Block{section(Sprintf("*Key result %d*", i+1))}
	if len(kr.History) > 0 {
		h := kr.History
		if len(h) > 5 {
			h = h[len(h)-5:]
		}
		blocks = append(blocks, contextText(Sprintf("Changed: %s", Join(h, "; "))))
	}
	blocks = append(blocks,
		textInput(krBlock(i, "title"), "Key result", kr.Title, "e.g. Raise week-1 activation", okrs.MaxTitle, false, false),
		kindInput(krBlock(i, "kind"), kr.Kind),
		textInput(krBlock(i, "start"), "Start", kr.Start, "Today's value, e.g. 40%  (leave empty for a milestone)", 40, false, true),
		textInput(krBlock(i, "target"), "Target", kr.Target, "e.g. 60%, 1,200, $3.2k, 280 ms  (empty for a milestone)", 40, false, true),
		unitInput(krBlock(i, "unit"), kr.Unit),
		optionalUserInput(krBlock(i, "owner"), "Owner", "The objective's owner when left empty.", kr.Owner),
		dateInput(krBlock(i, "due"), "Due", "The end of the cycle when empty.", kr.Due),
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

// sharedInput picks the other teams that share the objective
// (cross-functional): up to okrs.MaxSharedTeams channels.
func sharedInput(shared []string) *slack.InputBlock {
	el := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeConversations, plain("Choose channels"), actionValue)
	el.Filter = &slack.SelectBlockElementFilter{Include: []string{"public", "private"}, ExcludeBotUsers: true}
	maxItems := okrs.MaxSharedTeams
	el.MaxSelectedItems = &maxItems
	for _, c := range shared {
		if IsChannelID(c) && len(el.InitialConversations) < maxItems {
			el.InitialConversations = append(el.InitialConversations, c)
		}
	}
	in := slack.NewInputBlock("shared", plain("Shared with"),
		plain(fmt.Sprintf("Other teams working on it with you (cross-functional), up to %d: it shows in their status and tree too, and their people own key results.", maxItems)), el)
	in.Optional = true
	return in
}

// HasParents reports whether the form offers objectives to align to.
func HasParents(parents []okrs.Objective, self string) bool {
	return parentInput("", parents, self) != nil
}

// parentInput offers the objectives this one may align to, or nil when there
// are none.
func parentInput(current string, parents []okrs.Objective, self string) *slack.InputBlock {
	var opts []*slack.OptionBlockObject
	for _, p := range parents {
		if p.ID == self || len(opts) == MaxOptions {
			continue
		}
		opts = append(opts, option(p.ID, p.Title))
	}
	if len(opts) == 0 {
		return nil
	}
	return staticSelect("parent", "Aligns to", "A higher-level objective this one supports", opts, current, true)
}

// ReadObjectiveForm reads a submitted (or in-progress) objective modal.
func ReadObjectiveForm(state *slack.ViewState, n int) ObjectiveForm {
	f := ObjectiveForm{
		Title: stateText(state, "title"), Description: stateText(state, "description"),
		Team: stateValue(state, "team"), Cycle: stateValue(state, "cycle"),
		Owner: stateValue(state, "owner"), Parent: stateValue(state, "parent"),
		Reason: stateText(state, BlockReason),
		Shared: stateValues(state, "shared"),
	}
	for i := range n {
		f.KRs = append(f.KRs, ReadKRForm(state, i))
	}
	return f
}

// ReadKRForm reads key result i of a submitted form.
func ReadKRForm(state *slack.ViewState, i int) KRForm {
	return KRForm{
		Title: stateText(state, krBlock(i, "title")), Kind: okrs.Kind(stateValue(state, krBlock(i, "kind"))),
		Start: stateText(state, krBlock(i, "start")), Target: stateText(state, krBlock(i, "target")),
		Unit: okrs.Unit(stateValue(state, krBlock(i, "unit"))), Owner: stateValue(state, krBlock(i, "owner")),
		Due: stateValue(state, krBlock(i, "due")), Archive: stateValue(state, krBlock(i, "archive")) != "",
	}
}
