package views

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// treeObjective is an objective of team with key results at the given
// percentages.
func treeObjective(id, team, parent, title string, pcts ...float64) okrs.Objective {
	o := okrs.Objective{ID: id, Team: team, Cycle: viewCycle.Name, ParentID: parent, Title: title, Owner: "U1"}
	for i, p := range pcts {
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{ID: fmt.Sprintf("%s_%d", id, i), Kind: okrs.Increase, Unit: okrs.Percent,
			Start: 0, Target: 100, Current: p, Owner: "U1"})
	}
	return o
}

func sampleTree() []okrs.Objective {
	market := treeObjective("o2", "C1", "o1", "Expand into the European market", 40)
	market.SharedWith = []string{"C2"}
	return []okrs.Objective{
		treeObjective("o1", "C0", "", "Become the payments platform <Europe> & beyond trusts", 50),
		market,
		treeObjective("o3", "C2", "o2", "Scale the API for EU traffic", 20, 60),
		treeObjective("o4", "C3", "o1", "Delight new customers"),
		treeObjective("o5", "C3", "o4", "Cut onboarding to one day", 90),
		treeObjective("o6", "C4", "", "Make on-call sustainable", 70),
	}
}

// The roll-up in the view: o3 = 40%; o2 = (40 + 40) / 2 = 40%; o5 = 90%;
// o4 (no key results) = 90%; o1 = (50 + 40 + 90) / 3 = 60%; o6 = 70%.
func TestTreeGolden(t *testing.T) {
	roots := okrs.Alignment(sampleTree())
	m := Tree(TreeView{Cycle: viewCycle, Roots: roots, MoreValue: "|2026-Q4"})
	golden(t, "tree", map[string]any{"text": m.Text.String(), "blocks": m.Blocks})
	b := treeText(t, m)
	for _, want := range []string{
		"*60%* Become the payments platform &lt;Europe&gt; &amp; beyond trusts · <#C0> · from 1 key result (50%) and 2 aligned objectives",
		"↳ `▰▰▰▰▱▱▱▱▱▱` *40%* Expand into the European market · <#C1> + <#C2> · from 1 key result (40%) and 1 aligned objective",
		"\u2003↳ `▰▰▰▰▱▱▱▱▱▱` *40%* Scale the API for EU traffic · <#C2>",
		"*90%* Delight new customers · <#C3> · from 1 aligned objective",
		"overall *65%*",
	} {
		if !strings.Contains(b, want) {
			t.Errorf("the tree lacks %q", want)
		}
	}
	empty := Tree(TreeView{Cycle: viewCycle, Team: "C9"})
	if !strings.Contains(empty.Text.String(), "No objectives for the trees <#C9> is in in 2026-Q4") {
		t.Errorf("empty tree = %q", empty.Text.String())
	}
}

func TestTreePages(t *testing.T) {
	long := strings.Repeat("<&>", 60)
	var objs []okrs.Objective
	for i := range 130 {
		parent := ""
		if i > 0 {
			parent = fmt.Sprintf("o%d", (i-1)/3)
		}
		objs = append(objs, treeObjective(fmt.Sprintf("o%d", i), "C1", parent, long, 50))
	}
	roots := okrs.Alignment(objs)
	shown := 0
	for offset, pages := 0, 0; ; pages++ {
		m := Tree(TreeView{Cycle: viewCycle, Roots: roots, Offset: offset, MoreValue: "|2026-Q4"})
		if len(m.Blocks) > MaxMessageBlocks {
			t.Fatalf("page %d: %d blocks", pages, len(m.Blocks))
		}
		shown += strings.Count(treeText(t, m), "▰▰▰▰▰▱▱▱▱▱")
		if _, more := m.Blocks[len(m.Blocks)-1].(*slack.ActionBlock); !more {
			break
		}
		offset += TreePageSize
		if pages > 10 {
			t.Fatal("the tree never ends")
		}
	}
	if shown != 130 {
		t.Errorf("the pages showed %d objectives, want 130", shown)
	}
}

// treeText is a message's blocks as JSON, with <, > and & as they are.
func treeText(t *testing.T, m Message) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m.Blocks); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The "Shared with" field prefills from the objective, reads back in
// order, and a direct message among the channels is refused.
func TestSharedWithField(t *testing.T) {
	o := treeObjective("o2", "C1", "", "Expand into the European market", 40)
	o.SharedWith = []string{"C2", "C3"}
	f := FormOf(&o)
	m := ObjectiveModal(f, FormView{Meta: FormMeta{Mode: ModeEdit, ObjID: "o2"}, Cycles: okrs.CycleChoices(okrs.DefaultSettings("UTC"), viewNow, viewCycle.Name)})
	var found bool
	for _, b := range m.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok && in.BlockID == "shared" {
			el := in.Element.(*slack.MultiSelectBlockElement)
			found = fmt.Sprint(el.InitialConversations) == "[C2 C3]" && *el.MaxSelectedItems == okrs.MaxSharedTeams && in.Optional
		}
	}
	if !found {
		t.Errorf("no optional shared input prefilled with C2, C3")
	}
	state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		"shared": {actionValue: {SelectedConversations: []string{"C3", "D1"}}},
	}}
	read := ReadObjectiveForm(state, 0)
	if fmt.Sprint(read.Shared) != "[C3 D1]" {
		t.Errorf("read shared = %v", read.Shared)
	}
	read.Team, read.Cycle, read.Title = "C1", viewCycle.Name, "Expand into the European market"
	_, _, fe := read.Objective(FormMeta{}, "T1", "U1", viewNow, map[string]bool{"shared": true, "title": true})
	if fe["shared"] == "" {
		t.Errorf("a DM among the sharing channels passed: %v", fe)
	}
}
