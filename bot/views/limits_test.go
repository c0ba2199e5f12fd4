package views

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// pieces people type: ASCII, emoji with ZWJ sequences and variation
// selectors, combining marks, right-to-left scripts, mrkdwn and entity
// characters, newlines.
var typedPieces = []string{
	"a", "Delight ", "new customers ", "x", "1,200 ", "45% ",
	"👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🧑‍💻", "❤️",
	"e\u0301", "n\u0303", "a\u0308\u0301",
	"مرحبا بالعالم ", "שלום עולם ", "\u200f", "\u202e",
	"<", ">", "&", "*", "_", "~", "`", "<!channel>", "&amp;",
	"\n", "\n\n", " ",
}

// typed is random text of up to max characters.
func typed(r *rand.Rand, max int) string {
	var n int
	switch r.IntN(4) {
	case 0:
		n = r.IntN(20)
	case 1:
		n = r.IntN(200)
	default:
		n = r.IntN(max + 1)
	}
	var sb strings.Builder
	for count := 0; count < n; {
		p := typedPieces[r.IntN(len(typedPieces))]
		sb.WriteString(p)
		count += utf8.RuneCountInString(p)
	}
	return sb.String()
}

// codeTitle is a modal title as okrbot's code writes it, some too long.
func codeTitle(r *rand.Rand) string {
	titles := []string{"Edit objective", "Can't", "Add a key result to an objective", "Archive which objective of the team?"}
	return titles[r.IntN(len(titles))]
}

func randomUser(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return typed(r, 300) // a name, not an id
	}
	return fmt.Sprintf("U%d", r.IntN(20))
}

func randomObjectives(r *rand.Rand, now time.Time, c okrs.Cycle) []okrs.Objective {
	kinds := append([]okrs.Kind(nil), okrs.Kinds...)
	units := []okrs.Unit{okrs.Number, okrs.Percent, okrs.Currency}
	levels := []okrs.Level{okrs.OnTrack, okrs.AtRisk, okrs.OffTrack, ""}
	var objs []okrs.Objective
	for i := range r.IntN(60) {
		o := okrs.Objective{ID: fmt.Sprintf("o%d", i), Team: "C1", Cycle: c.Name, Title: typed(r, 5000),
			Description: typed(r, 5000), Owner: randomUser(r), CreatedAt: now.Add(-time.Duration(r.IntN(2000)) * time.Hour)}
		if r.IntN(3) == 0 && i > 0 {
			o.ParentID = "o0"
		}
		for j := range r.IntN(7) {
			kr := okrs.KeyResult{ID: fmt.Sprintf("k%d_%d", i, j), ObjectiveID: o.ID, Title: typed(r, 5000), Owner: randomUser(r),
				Kind: kinds[r.IntN(len(kinds))], Unit: units[r.IntN(len(units))], UnitLabel: typed(r, 5000),
				Start: r.NormFloat64() * 1e6, Target: r.NormFloat64() * 1e9, Current: r.NormFloat64() * 1e12,
				Confidence: okrs.Confidence{Level: levels[r.IntN(len(levels))]}, CreatedAt: now.Add(-time.Duration(r.IntN(2000)) * time.Hour),
				Archived: r.IntN(8) == 0}
			if kr.Unit == okrs.Currency {
				kr.Currency = typed(r, 20)
			}
			if r.IntN(2) == 0 {
				kr.LastCheckIn = now.Add(-time.Duration(r.IntN(2000)) * time.Hour)
				kr.LastAuthor = randomUser(r)
			}
			for range r.IntN(4) {
				kr.CheckIns = append(kr.CheckIns, okrs.CheckIn{ID: "ci", KeyResultID: kr.ID, Author: randomUser(r),
					At: now.Add(-time.Duration(r.IntN(300)) * time.Hour), Value: r.NormFloat64() * 1e6,
					Confidence: okrs.Confidence{Level: levels[r.IntN(len(levels))]}, Comment: typed(r, 5000)})
			}
			for range r.IntN(8) {
				fields := []string{"", okrs.FieldTarget, okrs.FieldKind, okrs.FieldDue}
				kr.TargetHistory = append(kr.TargetHistory, okrs.TargetChange{Field: fields[r.IntN(len(fields))], By: randomUser(r),
					At: now.Add(-time.Duration(r.IntN(200)) * time.Hour), From: r.Float64() * 1e9, To: r.Float64() * 1e9,
					FromKind: kinds[r.IntN(len(kinds))], ToKind: okrs.Kind(typed(r, 30)), ToDue: now.Add(time.Duration(r.IntN(2000)) * time.Hour),
					Reason: typed(r, 2*okrs.MaxChangeReason)})
			}
			o.KeyResults = append(o.KeyResults, kr)
		}
		for j := range r.IntN(25) {
			p := randomProposal(r, now)
			p.ID = fmt.Sprintf("p%d_%d", i, j)
			o.Proposals = append(o.Proposals, p)
		}
		objs = append(objs, o)
	}
	return objs
}

// gradedRandomly grades some of objs, with hostile notes.
func gradedRandomly(r *rand.Rand, objs []okrs.Objective, now time.Time) []okrs.Objective {
	out := make([]okrs.Objective, len(objs))
	for i, o := range objs {
		if r.IntN(2) == 0 {
			o.Grading = okrs.Grading{By: o.Owner, At: now, Note: typed(r, okrs.MaxGradeNote), Grades: map[string]okrs.Grade{}}
			for _, kr := range o.KeyResults {
				o.Grading.Grades[kr.ID] = okrs.Grade(float64(r.IntN(11)) / 10)
			}
		}
		out[i] = o
	}
	return out
}

func planned(r *rand.Rand, c okrs.Cycle) *okrs.Cycle {
	if r.IntN(2) == 0 {
		return nil
	}
	n := okrs.QuarterOf(c.End.AddDate(0, 0, 1))
	return &n
}

// randomProposal is a proposal in any state, with hostile texts.
func randomProposal(r *rand.Rand, now time.Time) okrs.Proposal {
	kinds := append([]okrs.Kind(nil), okrs.Kinds...)
	states := []okrs.ProposalState{okrs.ProposalPending, okrs.ProposalPending, okrs.ProposalAccepted, okrs.ProposalDeclined, okrs.ProposalWithdrawn}
	p := okrs.Proposal{ID: "p" + typed(r, 20), ProposedBy: randomUser(r), ProposedAt: now.Add(-time.Duration(r.IntN(2000)) * time.Hour),
		State: states[r.IntN(len(states))], DecidedBy: randomUser(r), DecidedAt: now, Reason: typed(r, 5000),
		KeyResult: okrs.KeyResult{Title: typed(r, 5000), Owner: randomUser(r), Kind: kinds[r.IntN(len(kinds))], Unit: okrs.Number,
			UnitLabel: typed(r, 5000), Start: r.NormFloat64() * 1e9, Target: r.NormFloat64() * 1e12}}
	if r.IntN(2) == 0 {
		p.KeyResult.Due = now
	}
	for range r.IntN(8) {
		p.Changes = append(p.Changes, okrs.Change{Field: []string{okrs.FieldTitle, okrs.FieldOwner, okrs.FieldTarget, typed(r, 50)}[r.IntN(4)],
			From: typed(r, 5000), To: typed(r, 5000)})
	}
	return p
}

func randomKRForm(r *rand.Rand) KRForm {
	kinds := append([]okrs.Kind(nil), okrs.Kinds...)
	return KRForm{Title: typed(r, 5000), Kind: kinds[r.IntN(len(kinds))], Start: typed(r, 5000), Target: typed(r, 5000),
		Owner: randomUser(r), Due: typed(r, 30), Archive: r.IntN(2) == 0, Existing: r.IntN(2) == 0,
		History: []Mrkdwn{Escape(typed(r, 5000)), Escape(typed(r, 500))}}
}

// TestEveryViewWithinBlockKitLimits builds every view and message okrbot
// sends from random, hostile input and checks Slack's limits on the JSON.
func TestEveryViewWithinBlockKitLimits(t *testing.T) {
	r := rand.New(rand.NewPCG(20261202, 4))
	cases := 120
	if testing.Short() {
		cases = 25
	}
	built, ran := 0, 0
	for n := range cases {
		ran++
		now := viewNow.Add(time.Duration(r.IntN(24*90)) * time.Hour)
		c := okrs.QuarterOf(now)
		objs := randomObjectives(r, now, c)
		var krs []*okrs.KeyResult
		byKR := map[string]okrs.CheckIn{}
		var shared []SharedCheckIn
		for i := range objs {
			for j := range objs[i].KeyResults {
				kr := &objs[i].KeyResults[j]
				krs = append(krs, kr)
				if len(kr.CheckIns) > 0 {
					byKR[kr.ID] = kr.CheckIns[0]
					shared = append(shared, SharedCheckIn{KeyResult: kr, CheckIn: kr.CheckIns[0]})
				}
			}
		}
		week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, now).Period
		prompt := okrs.Prompt{Kind: okrs.KindPrompt, Team: "C1", User: randomUser(r), Period: week, Objectives: objs, Cycle: c, Late: r.IntN(2) == 0}
		meta := FormMeta{Mode: ModeNew, Channel: "C1", Response: "https://hooks.slack.com/commands/T1/1/" + strings.Repeat("x", r.IntN(200))}
		form := ObjectiveForm{Title: typed(r, 5000), Description: typed(r, 5000), Team: "C1", Cycle: c.Name, Owner: randomUser(r), Parent: "o0",
			Reason: typed(r, 2*okrs.MaxChangeReason),
			Shared: []string{"C2", typed(r, 300), "C3", "C4", "C5"}[:r.IntN(6)]}
		for range r.IntN(okrs.MaxKeyResults + 1) {
			form.KRs = append(form.KRs, randomKRForm(r))
		}
		editMeta := meta
		editMeta.Mode, editMeta.ObjID = ModeEdit, "o1"
		st := okrs.DefaultSettings("Europe/Berlin")
		for range r.IntN(30) {
			st.Managers = append(st.Managers, randomUser(r))
		}
		if r.IntN(2) == 0 {
			st.DigestChannel = "C2"
		}
		var cmds []Command
		for range 1 + r.IntN(15) {
			cmds = append(cmds, Command{Usage: typed(r, 300), Summary: typed(r, 500), Example: typed(r, 300), Soon: r.IntN(4) == 0})
		}
		one := okrs.Objective{ID: "o1", Title: typed(r, 5000)}
		if len(objs) > 0 {
			one = objs[0]
		}
		prop := randomProposal(r, now)
		if len(one.Proposals) > 0 {
			prop = one.Proposals[r.IntN(len(one.Proposals))]
		}
		tips := okrs.Coach(&one, r.IntN(5))
		for range r.IntN(4) {
			tips = append(tips, okrs.Tip{Message: typed(r, 5000)})
		}
		var sumKRs []*okrs.KeyResult
		if len(krs) > 60 {
			sumKRs = krs[:60]
		} else {
			sumKRs = krs
		}
		// The alignment tree of the same objectives with random parents
		// (cycles and missing ones included) and sharing teams.
		aligned := make([]okrs.Objective, len(objs))
		for i, o := range objs {
			o.ParentID = fmt.Sprintf("o%d", r.IntN(len(objs)+2))
			for range r.IntN(okrs.MaxSharedTeams + 2) {
				o.SharedWith = append(o.SharedWith, fmt.Sprintf("C%d", r.IntN(9)))
			}
			aligned[i] = o
		}
		views := []struct {
			name string
			v    any
			kind string // message, modal, home
		}{
			{"status", Status(StatusView{Scope: Channel("C1"), Cycle: c, Now: now, Objectives: objs, Offset: r.IntN(len(objs) + 1), MoreValue: "t|C1|" + c.Name, ChartValue: "c|C1"}), "message"},
			{"person status", Status(StatusView{Scope: Mention("U1"), Person: "U1", Cycle: c, Now: now, Objectives: objs}), "message"},
			{"past cycle status", Status(StatusView{Scope: Channel("C1"), Cycle: c, Now: c.End.AddDate(0, 2, 0), Objectives: objs, MoreValue: "t|C1|" + c.Name}), "message"},
			{"list", List(objs, "C1", c, now), "message"},
			{"tree", Tree(TreeView{Cycle: c, Roots: okrs.Alignment(aligned), Offset: r.IntN(len(objs) + 1), MoreValue: "C1|" + c.Name}), "message"},
			{"tree of a team", Tree(TreeView{Cycle: c, Team: "C2", Roots: okrs.Alignment(aligned), MoreValue: "C2|" + c.Name}), "message"},
			{"home", Home(HomeView{User: randomUser(r), Objectives: objs, Awaiting: objs, Cycle: c, Now: now, PastCycles: okrs.PastCycles(pastObjs(r), func(o *okrs.Objective) (okrs.Cycle, error) { return okrs.ParseCycle(o.Cycle) }, now)}), "home"},
			{"prompt", Prompt(prompt, now), "message"},
			{"checked-in prompt", PromptCheckedIn("C1", sumKRs, byKR, now, r.IntN(2) == 0), "message"},
			{"shared check-ins", Message{Text: SharedCheckIns(randomUser(r), shared)}, "message"},
			{"digest", Digest(okrs.ComposeDigest("C1", objs, c, week, now)), "message"},
			{"digest preview", DigestPreview(okrs.ComposeDigest("C1", objs, c, week, now)), "message"},
			{"check-in modal", CheckInModal(objs, krs, CheckInMeta{Team: "C1", Channel: "C1", Response: meta.Response}), "modal"},
			{"create modal", ObjectiveModal(form, FormView{Meta: meta, Parents: objs, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), now, c.Name), Tips: okrs.Coach(&one, 0)}), "modal"},
			{"edit modal", ObjectiveModal(FormOf(&one), FormView{Meta: editMeta, Parents: objs, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), now, one.Cycle)}), "modal"},
			{"edit modal typed", ObjectiveModal(form, FormView{Meta: editMeta, Parents: objs, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), now, c.Name)}), "modal"},
			{"add key result modal", AddKRModal(&one, randomKRForm(r), meta), "modal"},
			{"archive modal", ArchiveModal(&one, meta), "modal"},
			{"propose modal", ProposeKRModal(&one, randomKRForm(r), meta, r.IntN(2) == 0), "modal"},
			{"adjust modal", AdjustKRModal(&one, &prop, meta), "modal"},
			{"decline modal", DeclineModal(&one, &prop, meta), "modal"},
			{"proposal to owner", ProposalToOwner(&one, &prop, tips), "message"},
			{"proposal to proposer", ProposalToProposer(&one, &prop), "message"},
			{"proposal outcome", ProposalOutcome(&one, &prop, nil), "message"},
			{"picker to propose", PickerModal(objs, Escape(typed(r, 5000)), codeTitle(r), ModePropose, meta), "modal"},
			{"picker", PickerModal(objs, Escape(typed(r, 5000)), codeTitle(r), ModeEdit, meta), "modal"},
			{"settings modal", SettingsModal("C1", st, meta), "modal"},
			{"help", Help(cmds, typed(r, 5000), typed(r, 5000)), "message"},
			{"dm help", DMHelp(cmds), "message"},
			{"notice", NoticeModal(codeTitle(r), Sprintf("“%s” is already archived.", typed(r, 5000))), "modal"},
			{"loading", LoadingModal(codeTitle(r)), "modal"},
			{"describe settings", Message{Text: DescribeSettings(st, "C1")}, "message"},
			{"review modal", ReviewModal(reviewTips(r, tips, len(one.KeyResults)), "your objective", krTitles(&one), ReviewMeta{Draft: "d1"}), "modal"},
			{"review command", Review("C1", c, objs, reviewTipsOf(r, objs)), "message"},
			{"cycle", CycleMessage(CycleView{Team: "C1", Cycle: c, Objectives: objs, Next: okrs.NextCycles(st, now), Planned: planned(r, c), Previous: c, Manage: r.IntN(2) == 0, Now: now, Location: time.UTC}), "message"},
			{"grade request", GradeRequestMessage(okrs.GradeRequest{Team: "C1", User: randomUser(r), Cycle: c, Objectives: objs, Late: r.IntN(2) == 0}), "message"},
			{"grade modal", GradeModal("C1", c, gradedRandomly(r, objs, now)), "modal"},
			{"retrospective", Retrospective(okrs.Retrospective{Team: "C1", Channel: "C1", Cycle: c, Objectives: gradedRandomly(r, objs, now), Late: r.IntN(2) == 0}), "message"},
			{"retrospective thread", RetrospectiveThread(okrs.Retrospective{Cycle: c}), "message"},
			{"carry-over modal", CarryOverModal("C1", c, okrs.NextCycles(st, now)[0], objs), "modal"},
			{"custom cycle modal", CustomCycleModal("C1", c, okrs.NextCycles(st, now)[0].Start), "modal"},
		}
		for _, tt := range views {
			v := tt.v
			if m, ok := v.(Message); ok {
				v = map[string]any{"text": m.Text.String(), "blocks": m.Blocks}
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("case %d %s: %v", n, tt.name, err)
			}
			for _, p := range checkLimits(b, tt.kind) {
				t.Errorf("case %d %s: %s", n, tt.name, p)
			}
			built++
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d random cases, %d views and messages checked against Block Kit limits", ran, built)
}

// checkLimits walks a view's or message's JSON and lists what Slack would
// refuse.
func checkLimits(b []byte, kind string) []string {
	var problems []string
	bad := func(path, format string, args ...any) {
		problems = append(problems, path+": "+fmt.Sprintf(format, args...))
	}
	if !utf8.Valid(b) {
		bad("/", "invalid UTF-8")
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return []string{err.Error()}
	}
	length := func(path string, s string, limit int) {
		if strings.ContainsRune(s, utf8.RuneError) {
			bad(path, "a character was cut in half (U+FFFD)")
		}
		if n := utf8.RuneCountInString(s); n > limit {
			bad(path, "%d characters, limit %d", n, limit)
		}
	}
	str := func(o map[string]any, k string) string { s, _ := o[k].(string); return s }
	text := func(path string, v any, limit int, required bool) {
		o, ok := v.(map[string]any)
		if !ok {
			if required || v != nil {
				bad(path, "missing text object")
			}
			return
		}
		if t := str(o, "type"); t != "plain_text" && t != "mrkdwn" {
			bad(path, "text object of type %q", t)
		}
		s := str(o, "text")
		if s == "" {
			bad(path, "empty text")
		}
		length(path+"/text", s, limit)
	}
	option := func(path string, v any) {
		o, _ := v.(map[string]any)
		if o == nil {
			bad(path, "not an option")
			return
		}
		text(path+"/text", o["text"], MaxOptionText, true)
		text(path+"/description", o["description"], MaxOptionText, false)
		length(path+"/value", str(o, "value"), 150)
	}
	element := func(path string, e map[string]any) {
		length(path+"/action_id", str(e, "action_id"), 255)
		text(path+"/placeholder", e["placeholder"], 150, false)
		switch t := str(e, "type"); t {
		case "button":
			text(path+"/text", e["text"], 75, true)
			length(path+"/value", str(e, "value"), 2000)
		case "plain_text_input":
			max := 3000
			if m, ok := e["max_length"].(float64); ok {
				if m > 3000 {
					bad(path+"/max_length", "%v above 3000", m)
				}
				max = int(m)
			}
			length(path+"/initial_value", str(e, "initial_value"), max)
		case "number_input":
			length(path+"/initial_value", str(e, "initial_value"), 3000)
		case "static_select", "multi_static_select", "radio_buttons", "checkboxes", "overflow":
			opts, _ := e["options"].([]any)
			limit := map[string]int{"radio_buttons": 10, "checkboxes": 10, "overflow": 5}[t]
			if limit == 0 {
				limit = MaxOptions
			}
			if len(opts) > limit {
				bad(path+"/options", "%d options, limit %d", len(opts), limit)
			}
			for i, o := range opts {
				option(fmt.Sprintf("%s/options/%d", path, i), o)
			}
			if o, ok := e["initial_option"]; ok {
				option(path+"/initial_option", o)
			}
			inits, _ := e["initial_options"].([]any)
			for i, o := range inits {
				option(fmt.Sprintf("%s/initial_options/%d", path, i), o)
			}
		case "image":
			length(path+"/alt_text", str(e, "alt_text"), 2000)
		case "datepicker", "users_select", "conversations_select", "channels_select", "multi_users_select", "multi_conversations_select", "timepicker":
		default:
			bad(path, "element of type %q not checked", t)
		}
	}
	blocks, _ := doc["blocks"].([]any)
	limit := MaxViewBlocks
	if kind == "message" {
		limit = MaxMessageBlocks
		length("/text", str(doc, "text"), 40000)
		if str(doc, "text") == "" {
			bad("/text", "no fallback text")
		}
	} else {
		if kind == "modal" {
			text("/title", doc["title"], MaxModalTitle, true)
			text("/submit", doc["submit"], MaxModalTitle, false)
			text("/close", doc["close"], MaxModalTitle, false)
		}
		length("/private_metadata", str(doc, "private_metadata"), 3000)
		length("/callback_id", str(doc, "callback_id"), 255)
	}
	if len(blocks) > limit {
		bad("/blocks", "%d blocks, limit %d", len(blocks), limit)
	}
	ids := map[string]bool{}
	for i, raw := range blocks {
		p := fmt.Sprintf("/blocks/%d", i)
		bl, _ := raw.(map[string]any)
		if id := str(bl, "block_id"); id != "" {
			length(p+"/block_id", id, 255)
			if ids[id] {
				bad(p+"/block_id", "duplicate %q", id)
			}
			ids[id] = true
		}
		switch t := str(bl, "type"); t {
		case "section":
			fields, _ := bl["fields"].([]any)
			text(p+"/text", bl["text"], MaxSectionText, len(fields) == 0)
			if len(fields) > 10 {
				bad(p+"/fields", "%d fields", len(fields))
			}
			for j, f := range fields {
				text(fmt.Sprintf("%s/fields/%d", p, j), f, 2000, true)
			}
			if a, ok := bl["accessory"].(map[string]any); ok {
				element(p+"/accessory", a)
			}
		case "header":
			text(p+"/text", bl["text"], MaxHeaderText, true)
		case "context":
			els, _ := bl["elements"].([]any)
			if len(els) == 0 || len(els) > 10 {
				bad(p+"/elements", "%d elements", len(els))
			}
			for j, e := range els {
				eo, _ := e.(map[string]any)
				ep := fmt.Sprintf("%s/elements/%d", p, j)
				if str(eo, "type") == "image" {
					element(ep, eo)
				} else {
					text(ep, eo, MaxContextText, true)
				}
			}
		case "actions":
			els, _ := bl["elements"].([]any)
			if len(els) == 0 || len(els) > 25 {
				bad(p+"/elements", "%d elements", len(els))
			}
			for j, e := range els {
				eo, _ := e.(map[string]any)
				element(fmt.Sprintf("%s/elements/%d", p, j), eo)
			}
		case "input":
			text(p+"/label", bl["label"], 2000, true)
			text(p+"/hint", bl["hint"], 2000, false)
			e, _ := bl["element"].(map[string]any)
			if e == nil {
				bad(p+"/element", "missing")
			} else {
				element(p+"/element", e)
			}
		case "divider":
		case "image":
			element(p, bl)
		default:
			bad(p, "block of type %q not checked", t)
		}
	}
	return problems
}

// A title longer than an objective's is cut in the create modal, the modal
// says so, and an empty description takes the full text (within its own
// limit).
func TestObjectiveModalFitsALongTitle(t *testing.T) {
	for _, tt := range []struct {
		n           int
		description string
		note        string
	}{
		{3000, "", "Your title was 3,000 characters; objective titles take up to 150, so it was cut: the full text is in the description."},
		{5000, "", "Your title was 5,000 characters; objective titles take up to 150, so it was cut: the description holds its first 3,000."},
		{151, "Mine", "Your title was 151 characters; objective titles take up to 150, so it was cut."},
	} {
		title := strings.Repeat("👩‍👩‍👧‍👦e\u0301", tt.n/6+1)
		title = string([]rune(title)[:tt.n])
		m := ObjectiveModal(ObjectiveForm{Title: title, Description: tt.description, Cycle: viewCycle.Name},
			FormView{Meta: FormMeta{Mode: ModeNew}, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), viewNow, viewCycle.Name)})
		b := mustJSON(t, m)
		for _, p := range checkLimits(b, "modal") {
			t.Errorf("%d: %s", tt.n, p)
		}
		if !strings.Contains(string(b), tt.note) {
			t.Errorf("%d: the modal lacks %q", tt.n, tt.note)
		}
		var desc string
		for _, bl := range m.Blocks.BlockSet {
			if in, ok := bl.(*slack.InputBlock); ok && in.BlockID == "description" {
				desc = in.Element.(*slack.PlainTextInputBlockElement).InitialValue
			}
		}
		want := tt.description
		if want == "" {
			want = shorten(title, okrs.MaxDescription)
		}
		if desc != want {
			t.Errorf("%d: description of %d characters, want %d", tt.n, utf8.RuneCountInString(desc), utf8.RuneCountInString(want))
		}
	}
	// A title within the limit is left alone, without a note.
	m := ObjectiveModal(ObjectiveForm{Title: strings.Repeat("é", okrs.MaxTitle)}, FormView{})
	if strings.Contains(string(mustJSON(t, m)), "so it was cut") {
		t.Error("a 150-character title was reported cut")
	}
}

func TestShortenKeepsCharactersWhole(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "ab…"},
		{"ae\u0301bc", 3, "a…"}, // not between e and its accent
		{"a👍🏽bc", 3, "a…"},      // not between the thumb and its skin tone
		{"a👩‍👧bc", 4, "a…"},     // not inside a ZWJ sequence
		{"שלום עולם", 5, "שלום…"},
		{"e\u0301\u0301\u0301\u0301", 3, "e\u0301…"}, // one cluster longer than n: cut anyway
		{"x", 0, ""},
	} {
		if got := shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// reviewTips gives tips (some typed, huge) fields of key results 0..n, as
// the coach does, and some of the objective.
func reviewTips(r *rand.Rand, tips []okrs.Tip, n int) []okrs.Tip {
	out := append([]okrs.Tip(nil), tips...)
	for i := range r.IntN(30) {
		t := okrs.Tip{Rule: okrs.RuleOutcomes, Message: typed(r, 5000), Suggestion: typed(r, 3000)}
		if n > 0 && i%3 != 0 {
			t.Field = okrs.KRField(r.IntN(n), okrs.FieldTitle)
		}
		out = append(out, t)
	}
	return out
}

func reviewTipsOf(r *rand.Rand, objs []okrs.Objective) [][]okrs.Tip {
	out := make([][]okrs.Tip, len(objs))
	for i := range objs {
		out[i] = reviewTips(r, okrs.Coach(&objs[i], len(objs)), len(objs[i].KeyResults))
	}
	return out
}

func krTitles(o *okrs.Objective) []string {
	var out []string
	for _, kr := range o.KeyResults {
		out = append(out, kr.Title)
	}
	return out
}

// pastObjs are objectives of up to 30 cycles, most of them past.
func pastObjs(r *rand.Rand) []okrs.Objective {
	var objs []okrs.Objective
	for range r.IntN(30) {
		objs = append(objs, okrs.Objective{Cycle: fmt.Sprintf("%d-Q%d", 2019+r.IntN(8), 1+r.IntN(4))})
	}
	return objs
}
