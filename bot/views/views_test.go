package views

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares v, as indented JSON, with testdata/name.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot/views -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s (go test ./bot/views -update rewrites it); got:\n%s", name, path, got)
	}
}

var (
	viewNow   = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	viewCycle = okrs.QuarterOf(viewNow)
)

func sampleObjectives() []okrs.Objective {
	return []okrs.Objective{{
		ID: "o1", Team: "C1", Cycle: viewCycle.Name, Title: "Delight new customers <fast> & well", Owner: "U1",
		KeyResults: []okrs.KeyResult{
			{ID: "k1", Title: "Raise week-1 activation", Owner: "U1", Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 60, Current: 52,
				Confidence: okrs.Confidence{Level: okrs.AtRisk}, LastCheckIn: viewNow.Add(-3 * 24 * time.Hour)},
			{ID: "k2", Title: "Cut P99 checkout latency", Owner: "U2", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms", Start: 400, Target: 280, Current: 300,
				Confidence: okrs.Confidence{Level: okrs.OnTrack}, LastCheckIn: viewNow.Add(-10 * 24 * time.Hour)},
			{ID: "k3", Title: "Onboarding guide live", Owner: "U1", Kind: okrs.Milestone, Unit: okrs.Number, Target: 1, CreatedAt: viewNow.Add(-2 * time.Hour)},
			{ID: "k4", Title: "Uptime", Owner: "U2", Kind: okrs.StayAbove, Unit: okrs.Percent, Start: 99.95, Target: 99.9, Current: 99.95},
		},
	}}
}

func TestStatusMessageGolden(t *testing.T) {
	objs := sampleObjectives()
	objs[0].Proposals = sampleAwaiting()[0].Proposals // two pending: a count shows
	v := StatusView{Scope: Channel("C1"), Cycle: viewCycle, Now: viewNow, Objectives: objs, MoreValue: "t|C1|2026-Q4"}
	m := Status(v)
	golden(t, "status", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	empty := Status(StatusView{Scope: Channel("C9"), Cycle: viewCycle, Now: viewNow})
	if !strings.Contains(empty.Text.String(), "No objectives for <#C9> in 2026-Q4 yet") {
		t.Errorf("empty status = %q", empty.Text.String())
	}
}

func TestStatusStaysWithinBlockKitLimits(t *testing.T) {
	long := strings.Repeat("x", 150)
	var objs []okrs.Objective
	for range 40 {
		o := okrs.Objective{ID: "o", Team: "C1", Cycle: viewCycle.Name, Title: long, Owner: "U1"}
		for range 5 {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: long, Owner: "U1", Kind: okrs.Increase, Unit: okrs.Number, UnitLabel: strings.Repeat("u", 20), Start: 1e14, Target: 9e14, Current: 5e14})
		}
		objs = append(objs, o)
	}
	for offset := 0; offset < 40; offset += StatusPageSize {
		m := Status(StatusView{Scope: Channel("C1"), Cycle: viewCycle, Now: viewNow, Objectives: objs, Offset: offset, MoreValue: "t|C1|2026-Q4"})
		if len(m.Blocks) > MaxMessageBlocks {
			t.Errorf("offset %d: %d blocks", offset, len(m.Blocks))
		}
		for _, b := range m.Blocks {
			if s, ok := b.(*slack.SectionBlock); ok && len([]rune(s.Text.Text)) > MaxSectionText {
				t.Errorf("offset %d: section of %d characters", offset, len([]rune(s.Text.Text)))
			}
		}
	}
}

func TestHomeViewGolden(t *testing.T) {
	golden(t, "home", Home(HomeView{User: "U1", Objectives: sampleObjectives(), Awaiting: sampleAwaiting(), Cycle: viewCycle, Now: viewNow}))
	empty := Home(HomeView{User: "U9", Cycle: viewCycle, Now: viewNow})
	if n := len(empty.Blocks.BlockSet); n == 0 || n > MaxViewBlocks {
		t.Errorf("empty home has %d blocks", n)
	}
}

func TestObjectiveModalGolden(t *testing.T) {
	f := ObjectiveForm{Title: "Delight new customers", Team: "C1", Cycle: "2026-Q4", Owner: "U1",
		KRs: []KRForm{{Title: "Raise activation", Kind: okrs.Increase, Start: "40%", Target: "60%", Owner: "U1"}}}
	v := FormView{Meta: FormMeta{Mode: ModeNew, Channel: "C1", Response: "https://hooks.slack.com/x"},
		Parents: []okrs.Objective{{ID: "p1", Title: strings.Repeat("Company objective ", 10)}}, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), viewNow, "2026-Q4")}
	golden(t, "objective_modal", ObjectiveModal(f, v))

	// Five key results in edit mode: within 100 blocks, unique block ids.
	for len(f.KRs) < okrs.MaxKeyResults {
		f.KRs = append(f.KRs, KRForm{Kind: okrs.Milestone, Existing: true})
	}
	f.KRs[0].Existing = true
	v.Meta.Mode = ModeEdit
	m := ObjectiveModal(f, v)
	if n := len(m.Blocks.BlockSet); n > MaxViewBlocks {
		t.Errorf("edit modal with 5 key results has %d blocks", n)
	}
	if !slack.ValidateUniqueBlockID(m) {
		t.Error("duplicate block ids")
	}
	if len(m.PrivateMetadata) > 3000 {
		t.Errorf("private_metadata of %d bytes", len(m.PrivateMetadata))
	}
	if strings.Contains(string(mustJSON(t, m)), ActionAddKRGroup) {
		t.Error("a full modal still offers to add a key result")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestKeyResultFromForm(t *testing.T) {
	tests := []struct {
		name string
		in   KRForm
		want okrs.KeyResult
		errs []string
	}{
		{"percent from notation", KRForm{Title: "A", Kind: okrs.Increase, Start: "40%", Target: "60%", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Increase, Owner: "U1", Unit: okrs.Percent, Start: 40, Target: 60}, nil},
		{"unit label", KRForm{Title: "A", Kind: okrs.Decrease, Start: "400 ms", Target: "280ms", Owner: "U1"},
			okrs.KeyResult{}, []string{"kr0_target"}},
		{"unit label both", KRForm{Title: "A", Kind: okrs.Decrease, Start: "400 ms", Target: "280 ms", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Decrease, Owner: "U1", Unit: okrs.Number, UnitLabel: "ms", Start: 400, Target: 280}, nil},
		{"currency", KRForm{Title: "A", Kind: okrs.Increase, Start: "€0", Target: "€1.5M", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Increase, Owner: "U1", Unit: okrs.Currency, Currency: "€", Start: 0, Target: 1.5e6}, nil},
		{"chosen unit", KRForm{Title: "A", Kind: okrs.Increase, Start: "1", Target: "5", Unit: okrs.Percent, Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Increase, Owner: "U1", Unit: okrs.Percent, Start: 1, Target: 5}, nil},
		{"threshold without start", KRForm{Title: "A", Kind: okrs.StayBelow, Target: "2%", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.StayBelow, Owner: "U1", Unit: okrs.Percent, Start: 2, Target: 2}, nil},
		{"milestone", KRForm{Title: "A", Kind: okrs.Milestone, Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Milestone, Owner: "U1", Unit: okrs.Number, Target: 1}, nil},
		{"direction from the numbers: down", KRForm{Title: "A", Kind: okrs.Increase, Start: "3.5%", Target: "2%", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Decrease, Owner: "U1", Unit: okrs.Percent, Start: 3.5, Target: 2}, nil},
		{"direction from the numbers: up", KRForm{Title: "A", Kind: okrs.Decrease, Start: "10", Target: "25", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.Increase, Owner: "U1", Unit: okrs.Number, Start: 10, Target: 25}, nil},
		{"a threshold keeps its kind", KRForm{Title: "A", Kind: okrs.StayAbove, Start: "99.9%", Target: "99.5%", Owner: "U1"},
			okrs.KeyResult{Title: "A", Kind: okrs.StayAbove, Owner: "U1", Unit: okrs.Percent, Start: 99.9, Target: 99.5}, nil},
		{"missing target", KRForm{Title: "A", Kind: okrs.Increase, Start: "1", Owner: "U1"}, okrs.KeyResult{}, []string{"kr0_target"}},
		{"bad due date", KRForm{Title: "A", Kind: okrs.Milestone, Due: "tomorrow", Owner: "U1"}, okrs.KeyResult{}, []string{"kr0_due"}},
	}
	for _, tt := range tests {
		fe := FormErrors{}
		got := tt.in.KeyResult(0, fe)
		var keys []string
		for k := range fe {
			keys = append(keys, k)
		}
		if strings.Join(keys, ",") != strings.Join(tt.errs, ",") {
			t.Errorf("%s: errors %v, want on %v", tt.name, fe, tt.errs)
		}
		if tt.errs == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestFieldBlock(t *testing.T) {
	blocks := map[string]bool{"title": true, "team": true, "kr0_title": true, "kr2_target": true, "kr2_start": true}
	tests := []struct{ field, want string }{
		{"title", "title"},
		{"team", "team"},
		{"kr.2.target", "kr2_target"},
		{"kr.2.current", "kr2_start"},
		{"kr.2.weight", "title"}, // no such block: falls back to the title
		{"key_results", "kr0_title"},
		{"parent", "title"},
	}
	for _, tt := range tests {
		if got := FieldBlock(tt.field, blocks); got != tt.want {
			t.Errorf("FieldBlock(%q) = %q, want %q", tt.field, got, tt.want)
		}
	}
}

func TestFormatHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{progressBar(0), "▱▱▱▱▱▱▱▱▱▱"},
		{progressBar(0.54), "▰▰▰▰▰▱▱▱▱▱"},
		{progressBar(1.3), "▰▰▰▰▰▰▰▰▰▰"},
		{ago(viewNow.Add(-time.Hour), viewNow), "today"},
		{ago(viewNow.Add(-30*time.Hour), viewNow), "yesterday"},
		{ago(viewNow.Add(-5*24*time.Hour), viewNow), "5 days ago"},
		{ago(viewNow.Add(-20*24*time.Hour), viewNow), "2 weeks ago"},
		{ago(time.Time{}, viewNow), "never"},
		{Escape("a<b>&c").String(), "a&lt;b&gt;&amp;c"},
		{joinWords([]Mrkdwn{Raw("a"), Raw("b"), Raw("c")}).String(), "a, b and c"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestPromptMessageGolden(t *testing.T) {
	objs := sampleObjectives()
	p := okrs.Prompt{Kind: okrs.KindPrompt, Workspace: "T1", Team: "C1", User: "U1",
		Period: okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period, Objectives: objs, Cycle: viewCycle}
	m := Prompt(p, viewNow)
	golden(t, "prompt", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	p.Kind, p.Late = okrs.KindNudge, true
	n := Prompt(p, viewNow)
	if !strings.Contains(n.Text.String(), "Reminder") || !strings.Contains(string(mustJSON(t, n.Blocks)), "Sorry this comes late") {
		t.Errorf("late nudge = %s %s", n.Text.String(), mustJSON(t, n.Blocks))
	}
}

func TestCheckInModalGolden(t *testing.T) {
	objs := sampleObjectives()
	var krs []*okrs.KeyResult
	for i := range objs[0].KeyResults {
		objs[0].KeyResults[i].ObjectiveID = objs[0].ID
		krs = append(krs, &objs[0].KeyResults[i])
	}
	v := CheckInModal(objs, krs, CheckInMeta{Team: "C1"})
	golden(t, "checkin_modal", v)
	if len(v.Blocks.BlockSet) > MaxViewBlocks || !slack.ValidateUniqueBlockID(v) {
		t.Errorf("%d blocks, unique ids %v", len(v.Blocks.BlockSet), slack.ValidateUniqueBlockID(v))
	}
	// Many key results stay within 100 blocks.
	for len(krs) < 30 {
		krs = append(krs, krs[0])
	}
	if big := CheckInModal(objs, krs, CheckInMeta{}); len(big.Blocks.BlockSet) > MaxViewBlocks {
		t.Errorf("30 key results: %d blocks", len(big.Blocks.BlockSet))
	}
}

func TestSettingsModalGolden(t *testing.T) {
	st := okrs.DefaultSettings("Europe/Berlin")
	st.Managers = []string{"U1"}
	golden(t, "settings_modal", SettingsModal("C1", st, FormMeta{Channel: "C1"}))
}

// sampleAwaiting is U1's objective with two proposals waiting for them.
func sampleAwaiting() []okrs.Objective {
	o := sampleObjectives()[0]
	o.KeyResults = o.KeyResults[:2]
	o.Proposals = []okrs.Proposal{
		{ID: "p1", ProposedBy: "U2", ProposedAt: viewNow.Add(-26 * time.Hour), State: okrs.ProposalPending,
			KeyResult: okrs.KeyResult{Title: "Lift NPS of new customers <first week>", Owner: "U2", Kind: okrs.Increase, Unit: okrs.Number, Start: 20, Target: 45}},
		{ID: "p2", ProposedBy: "U3", ProposedAt: viewNow.Add(-2 * time.Hour), State: okrs.ProposalAccepted, DecidedBy: "U1", DecidedAt: viewNow},
		{ID: "p3", ProposedBy: "U3", ProposedAt: viewNow.Add(-time.Hour), State: okrs.ProposalPending,
			KeyResult: okrs.KeyResult{Title: "Launch the onboarding email", Owner: "U4", Kind: okrs.Milestone, Unit: okrs.Number, Target: 1, Due: okrs.Date(2026, time.December, 15)}},
	}
	return []okrs.Objective{o}
}

func TestProposalMessagesGolden(t *testing.T) {
	o := &sampleAwaiting()[0]
	p := o.Proposals[0]
	msg := func(m Message) map[string]any { return map[string]any{"text": m.Text.String(), "blocks": m.Blocks} }
	tips := []okrs.Tip{{Rule: okrs.RuleOutcomes, Message: "“Lift NPS” is fine & measurable."}}
	golden(t, "proposal_owner", msg(ProposalToOwner(o, &p, tips)))
	golden(t, "proposal_proposer", msg(ProposalToProposer(o, &p)))
	decided := p
	decided.State, decided.DecidedBy, decided.DecidedAt = okrs.ProposalAccepted, "U1", viewNow
	decided.Changes = []okrs.Change{{Field: okrs.FieldTarget, From: "45", To: "50"}, {Field: okrs.FieldOwner, From: "U2", To: "U5"}}
	golden(t, "proposal_decided", msg(ProposalToOwner(o, &decided, tips)))
	golden(t, "adjust_modal", AdjustKRModal(o, &p, FormMeta{Channel: "C1"}))
	golden(t, "decline_modal", DeclineModal(o, &p, FormMeta{Channel: "C1"}))

	for _, tt := range []struct {
		name  string
		m     Message
		wants []string
		not   []string
	}{
		{"owner, pending", ProposalToOwner(o, &p, nil), []string{"<@U2> proposes", "from 20 up to 45", ActionAccept, ActionAdjust, ActionDecline, "&lt;first week&gt;"}, []string{ActionWithdraw}},
		{"owner, decided", ProposalToOwner(o, &decided, nil), []string{"Accepted by <@U1> on Nov 16, 2026, with changes", "• target: 45 → 50", "• owner: <@U2> → <@U5>"}, []string{ActionAccept}},
		{"proposer, pending", ProposalToProposer(o, &p), []string{"was sent to <@U1>", ActionWithdraw}, []string{ActionAccept}},
		{"proposer, decided", ProposalToProposer(o, &decided), []string{"Accepted by <@U1>"}, []string{ActionWithdraw}},
		{"outcome, accepted", ProposalOutcome(o, &decided, nil), []string{"<@U1> accepted your key result", "with changes", "• target: 45 → 50"}, nil},
		{"outcome, declined", ProposalOutcome(o, func() *okrs.Proposal {
			d := p
			d.State, d.DecidedBy, d.Reason = okrs.ProposalDeclined, "U1", "Next quarter <maybe>"
			return &d
		}(), nil), []string{"<@U1> declined your key result", "“Next quarter &lt;maybe&gt;”"}, nil},
		{"outcome, declined without a reason", ProposalOutcome(o, func() *okrs.Proposal {
			d := p
			d.State, d.DecidedBy = okrs.ProposalDeclined, "U1"
			return &d
		}(), nil), []string{"They gave no reason"}, nil},
	} {
		all := tt.m.Text.String() + rawJSON(t, tt.m.Blocks)
		for _, w := range tt.wants {
			if !strings.Contains(all, w) {
				t.Errorf("%s lacks %q:\n%s", tt.name, w, all)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(all, w) {
				t.Errorf("%s has %q", tt.name, w)
			}
		}
	}
}

// rawJSON is v as JSON without the HTML escapes json.Marshal writes (<@U1>
// reads as it is).
func rawJSON(t *testing.T, v any) string {
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(mustJSON(t, v)))
}

func TestProposeModal(t *testing.T) {
	o := &sampleAwaiting()[0]
	long := strings.Repeat("Grow ", 40)
	m := ProposeKRModal(o, KRForm{Title: long, Kind: okrs.Increase, Owner: "U2"}, FormMeta{Mode: ModeAdd, ObjID: "forged", Title: long}, false)
	meta := DecodeFormMeta(m.PrivateMetadata)
	if m.CallbackID != CallbackAddKR || meta.Mode != ModePropose || meta.ObjID != o.ID || meta.Cycle != o.Cycle || meta.Title != "" {
		t.Errorf("propose modal: callback %s, meta %+v", m.CallbackID, meta)
	}
	all := rawJSON(t, m)
	if m.Title.Text != "Propose a key result" || m.Submit.Text != "Propose" || !strings.Contains(all, "Its owner, <@U1>, accepts") || !strings.Contains(all, "so it was cut") {
		t.Errorf("propose modal: %s", all)
	}
	if d := ProposeKRModal(o, KRForm{}, FormMeta{}, true); d.Title.Text != "Add a key result" || d.Submit.Text != "Add" {
		t.Errorf("direct: %q %q", d.Title.Text, d.Submit.Text)
	}
	a := AdjustKRModal(o, &o.Proposals[2], FormMeta{})
	if meta := DecodeFormMeta(a.PrivateMetadata); meta.Mode != ModeAdjust || meta.Proposal != "p3" {
		t.Errorf("adjust meta %+v", meta)
	}
	if all := string(mustJSON(t, a)); !strings.Contains(all, `"initial_user":"U4"`) || !strings.Contains(all, `"initial_date":"2026-12-15"`) {
		t.Errorf("the adjust form is not prefilled: %s", all)
	}
}

func TestHomeStaysWithinLimitsWithProposals(t *testing.T) {
	var objs, awaiting []okrs.Objective
	for i := range 40 {
		o := okrs.Objective{ID: fmt.Sprint("o", i), Team: "C1", Title: strings.Repeat("x", 150), Owner: "U1"}
		o.KeyResults = []okrs.KeyResult{{ID: fmt.Sprint("k", i), Title: "t", Owner: "U1", Kind: okrs.Increase, Start: 0, Target: 1}}
		for j := range 3 {
			o.Proposals = append(o.Proposals, okrs.Proposal{ID: fmt.Sprint("p", j), ProposedBy: "U2", State: okrs.ProposalPending,
				KeyResult: okrs.KeyResult{Title: "p", Owner: "U2", Kind: okrs.Milestone, Target: 1}})
		}
		objs = append(objs, o)
		awaiting = append(awaiting, o)
	}
	h := Home(HomeView{User: "U1", Objectives: objs, Awaiting: awaiting, Cycle: viewCycle, Now: viewNow})
	blocks := h.Blocks.BlockSet
	ids := map[string]bool{}
	for _, b := range blocks {
		id := b.ID()
		if id != "" && ids[id] {
			t.Errorf("duplicate block id %q", id)
		}
		ids[id] = true
	}
	if len(blocks) > MaxViewBlocks {
		t.Fatalf("%d blocks", len(blocks))
	}
	all := string(mustJSON(t, h))
	for _, want := range []string{"120 waiting", "…and 115 more", "`/okr mine` lists them all", `"home_actions"`} {
		if !strings.Contains(all, want) {
			t.Errorf("home lacks %q", want)
		}
	}
}

func TestDigestArchiveView(t *testing.T) {
	rec := func(cycle, week string, checked int) DigestArchiveItem {
		return DigestArchiveItem{Record: okrs.DigestRecord{Team: "C1", Cycle: cycle, Week: week, Channel: "C1", TS: "1.2",
			Objectives: 3, Progress: 0.42, Owners: 4, CheckedIn: checked, AtRisk: 4 - checked}, Link: "https://acme.slack.com/archives/C1/p12"}
	}
	v := DigestArchiveView{Team: "C1", Total: 30, Items: []DigestArchiveItem{rec("2026-Q4", "2026-11-23", 3), rec("2026-Q4", "2026-11-16", 4), rec("2026-Q3", "2026-09-21", 2)}}
	v.Items[1].Link = "" // Slack gave no link: the week, unlinked
	golden(t, "digest_archive", DigestArchive(v))
	if empty := DigestArchive(DigestArchiveView{Team: "C1", Cycle: "2026-Q3"}); !strings.Contains(empty.Text.String(), "No digests archived for <#C1> in 2026-Q3") {
		t.Errorf("empty archive: %s", empty.Text)
	}
}
