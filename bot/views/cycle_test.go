package views

import (
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

func gradedSample() []okrs.Objective {
	objs := sampleObjectives()
	objs[0].Grading = okrs.Grading{By: objs[0].Owner, At: viewNow, Note: "Emails <b>worked</b> & the guide slipped",
		Grades: map[string]okrs.Grade{"k1": 0.7, "k2": 0.4, "k3": 0}}
	return objs
}

func TestCycleViewsGolden(t *testing.T) {
	st := okrs.DefaultSettings("UTC")
	v := CycleView{Team: "C1", Cycle: viewCycle, Objectives: sampleObjectives(), Next: okrs.NextCycles(st, viewNow), Manage: true, Now: viewNow, Location: time.UTC}
	golden(t, "cycle_manager", CycleMessage(v))
	v.Manage = false
	m := CycleMessage(v)
	if strings.Contains(blocksJSON(t, m.Blocks), ActionCycleClose) {
		t.Error("a non-manager's /okr cycle has the managers' buttons")
	}
	golden(t, "grade_request", GradeRequestMessage(okrs.GradeRequest{Team: "C1", User: "U1", Cycle: viewCycle, Objectives: sampleObjectives(), Late: true}))
	golden(t, "grade_modal", GradeModal("C1", viewCycle, gradedSample()))
	r := okrs.Retrospective{Team: "C1", Channel: "C1", Cycle: viewCycle, Objectives: gradedSample()}
	golden(t, "retrospective", Retrospective(r))
	text := blocksJSON(t, Retrospective(r).Blocks)
	if !strings.Contains(text, "Emails &lt;b&gt;worked&lt;/b&gt; &amp; the guide slipped") || strings.Contains(text, "<b>") {
		t.Errorf("the note is not escaped in the retrospective:\n%s", text)
	}
	golden(t, "carry_over_modal", CarryOverModal("C1", viewCycle, okrs.NextCycles(st, viewNow)[0], sampleObjectives()))
}

func blocksJSON(t *testing.T, b []slack.Block) string {
	t.Helper()
	var sb strings.Builder
	for _, x := range b {
		sb.WriteString(blockText(x))
		sb.WriteString("\n")
	}
	return sb.String() + rawJSON(t, b)
}

func TestReadGrades(t *testing.T) {
	m := GradeModal("C1", viewCycle, gradedSample())
	state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
		"g0_0": {"v": {SelectedOption: slack.OptionBlockObject{Value: "0.8"}}},
		"g0_1": {"v": {SelectedOption: slack.OptionBlockObject{Value: "0.3"}}},
		"g0_2": {"v": {SelectedOption: slack.OptionBlockObject{Value: "1.0"}}},
		"g0_3": {"v": {SelectedOption: slack.OptionBlockObject{Value: "0.5"}}},
		"n0":   {"v": {Value: " Learned "}},
	}}
	meta, got, fe := ReadGrades(state, m.PrivateMetadata, "U1")
	if len(fe) > 0 || meta.Team != "C1" || meta.Cycle != viewCycle.Name {
		t.Fatalf("meta %+v, errors %v", meta, fe)
	}
	g := got[gradedSample()[0].ID]
	if g.By != "U1" || g.Note != "Learned" || g.Grades["k1"] != 0.8 || g.Grades["k2"] != 0.3 || g.Grades["k3"] != 1 {
		t.Errorf("got %+v", g)
	}
	state.Values["g0_1"]["v"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: "2"}}
	if _, _, fe := ReadGrades(state, m.PrivateMetadata, "U1"); fe["g0_1"] == "" {
		t.Errorf("a grade of 2 was accepted: %v", fe)
	}
}

func TestCustomCycleModalGolden(t *testing.T) {
	golden(t, "custom_cycle_modal", CustomCycleModal("C1", viewCycle, okrs.Date(2027, 1, 1)))
}
