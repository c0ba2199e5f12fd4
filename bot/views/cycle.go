package views

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
)

// Actions and callbacks of cycles, grading and carry-over.
const (
	ActionCycleClose    = "okr_cycle_close"
	ActionCycleExtend   = "okr_cycle_extend"
	ActionCycleStart    = "okr_cycle_start"      // the next quarter
	ActionCycleHalf     = "okr_cycle_start_half" // the next half year
	ActionCycleCustom   = "okr_cycle_custom"     // a cycle with its own name and dates
	CallbackCustomCycle = "okr_custom_cycle"
	ActionGrade         = "okr_grade"
	CallbackGrade       = "okr_grade"
	CallbackCarryOver   = "okr_carry_over"
)

// CycleView is what /okr cycle shows: the team's current cycle and its
// objectives, the choices for the next cycle, and whether the person may
// manage it.
type CycleView struct {
	Team       string
	Cycle      okrs.Cycle
	Objectives []okrs.Objective
	Next       []okrs.Cycle // choices for the next cycle
	Planned    *okrs.Cycle  // the next cycle, when one is started already
	Previous   okrs.Cycle   // the cycle before, for its retrospective
	Manage     bool
	Now        time.Time
	Location   *time.Location
}

func cycleDates(c okrs.Cycle) string {
	return fmt.Sprintf("%s – %s", c.Start.Format("Jan 2"), c.End.Format("Jan 2, 2006"))
}

// CycleMessage is the /okr cycle answer.
func CycleMessage(v CycleView) Message {
	left := v.Cycle.DaysLeft(v.Now.In(v.Location))
	var progress float64
	for i := range v.Objectives {
		progress += v.Objectives[i].Progress()
	}
	if n := len(v.Objectives); n > 0 {
		progress /= float64(n)
	}
	blocks := []slack.Block{
		header(shorten(fmt.Sprintf("Cycle %s · %s", v.Cycle.Name, cycleDates(v.Cycle)), MaxHeaderText)),
		section(Sprintf("*%d day%s left* · %d objective%s · overall progress `%s` *%s*", left, Plural(left),
			len(v.Objectives), Plural(len(v.Objectives)), progressBar(progress), okrs.FormatPercent(progress))),
	}
	var lines []Mrkdwn
	for i := range v.Objectives {
		if i == 20 {
			lines = append(lines, Sprintf("…and %d more: `/okr status` shows them all.", len(v.Objectives)-20))
			break
		}
		o := &v.Objectives[i]
		lines = append(lines, Sprintf("• %s — %s · %s", shorten(o.Title, okrs.MaxTitle), okrs.FormatPercent(o.Progress()), Mention(o.Owner)))
	}
	if len(lines) > 0 {
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	if v.Planned != nil {
		blocks = append(blocks, contextText(Sprintf("Next cycle: *%s* (%s).", v.Planned.Name, cycleDates(*v.Planned))))
	}
	if v.Previous.Name != "" {
		blocks = append(blocks, contextText(Sprintf("The retrospective of %s: `/okr retro`.", v.Previous.Name)))
	}
	if v.Manage {
		var els []slack.BlockElement
		if v.Planned == nil {
			for i, c := range v.Next {
				id := ActionCycleStart
				if i > 0 {
					id = ActionCycleHalf
				}
				els = append(els, slack.NewButtonBlockElement(id, c.Name+"|"+c.Start.Format(time.DateOnly)+"|"+c.End.Format(time.DateOnly),
					plain(shorten("Start "+c.Name, 75))))
			}
			els = append(els, slack.NewButtonBlockElement(ActionCycleCustom, v.Cycle.Name, plain("Custom cycle…")))
		}
		var opts []*slack.OptionBlockObject
		planned, ok := v.Cycle.Planned()
		if !ok {
			planned = v.Cycle
		}
		for w := 1; w <= 4; w++ {
			end := okrs.DateOf(planned.End).AddDate(0, 0, 7*w)
			if !end.After(v.Cycle.End) {
				continue
			}
			opts = append(opts, option(v.Cycle.Name+"|"+end.Format(time.DateOnly), fmt.Sprintf("%d week%s, to %s", w, Plural(w), end.Format("Jan 2"))))
		}
		if len(opts) > 0 {
			els = append(els, slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Extend…"), ActionCycleExtend, opts...))
		}
		closeBtn := slack.NewButtonBlockElement(ActionCycleClose, v.Cycle.Name, plain("Close cycle")).WithStyle(slack.StyleDanger)
		closeBtn.Confirm = slack.NewConfirmationBlockObject(plain("Close "+v.Cycle.Name+"?"),
			plain("The cycle ends now and its owners are asked to grade their objectives."), plain("Close cycle"), plain("Not yet"))
		els = append(els, closeBtn)
		blocks = append(blocks, slack.NewActionBlock("cycle_actions", els...))
	}
	return Message{Text: Sprintf("Cycle %s: %d day%s left.", v.Cycle.Name, left, Plural(left)), Blocks: blocks}
}

// GradeRequestMessage is the DM asking an owner to grade a cycle.
func GradeRequestMessage(g okrs.GradeRequest) Message {
	intro := Sprintf(":checkered_flag: *%s has ended* in %s. Grade this cycle: 0.0 to 1.0 for each key result, and a line on what we learned. It takes a minute.",
		g.Cycle.Name, Channel(g.Team))
	if g.Late {
		intro = intro.Append(Raw(" _(Sorry this comes late: I was offline when the cycle ended.)_"))
	}
	var lines []Mrkdwn
	for i := range g.Objectives {
		o := &g.Objectives[i]
		lines = append(lines, Sprintf("• %s — suggested %s", shorten(o.Title, okrs.MaxTitle), o.Grade()))
	}
	blocks := []slack.Block{section(intro)}
	if len(lines) > 0 {
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	blocks = append(blocks, slack.NewActionBlock("grade_actions",
		slack.NewButtonBlockElement(ActionGrade, g.Team+"|"+g.Cycle.Name, plain("Grade this cycle")).WithStyle(slack.StylePrimary)),
		contextText(Raw("0.7 is a good result for an ambitious goal. The retrospective goes to the team's channel once the grades are in.")))
	return Message{Text: Sprintf("%s has ended: grade this cycle.", g.Cycle.Name), Blocks: blocks}
}

// orUntitled is a title for plain text that Slack refuses empty.
func orUntitled(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(untitled)"
	}
	return s
}

// GradeMeta travels in the grade modal's private_metadata.
type GradeMeta struct {
	Team       string     `json:"t"`
	Cycle      string     `json:"y"`
	Objectives []gradeObj `json:"o"`
}

type gradeObj struct {
	ID  string   `json:"i"`
	KRs []string `json:"k"`
}

// maxGradedObjectives keeps the grade modal within Slack's 100 blocks.
const maxGradedObjectives = 8

var gradeOptions = func() []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for i := 0; i <= 10; i++ {
		g := okrs.Grade(float64(i) / 10)
		out = append(out, option(g.String(), g.String()+" · "+g.Verdict()))
	}
	return out
}()

func gradeBlock(o, k int) string { return fmt.Sprintf("g%d_%d", o, k) }
func noteBlock(o int) string     { return fmt.Sprintf("n%d", o) }

// GradeModal is "Grade this cycle": a grade per key result, suggested from
// its progress, and a note per objective.
func GradeModal(team string, c okrs.Cycle, objs []okrs.Objective) slack.ModalViewRequest {
	meta := GradeMeta{Team: team, Cycle: c.Name}
	blocks := []slack.Block{section(Sprintf("Grades for *%s* in %s. Each is suggested from progress; change it if it reads wrong. 0.7 is a good result for an ambitious goal.", c.Name, Channel(team)))}
	for oi := range objs {
		if oi == maxGradedObjectives {
			blocks = append(blocks, contextText(Sprintf("%d more objective%s: grade them after this one.", len(objs)-oi, Plural(len(objs)-oi))))
			break
		}
		o := &objs[oi]
		gm := gradeObj{ID: o.ID}
		blocks = append(blocks, header(shorten(orUntitled(o.Title), MaxHeaderText)))
		for ki, kr := range o.Active() {
			if ki == 10 {
				break
			}
			g := o.GradeOfKeyResult(&kr)
			in := staticSelect(gradeBlock(oi, ki), shorten(orUntitled(kr.Title), MaxLabel), "Grade", gradeOptions, g.String(), false)
			in.Hint = plain(shorten(fmt.Sprintf("Now %s (%s done). %s", valueText(&kr), okrs.FormatPercent(max(kr.Achievement(), 0)), okrs.GradeHint(kr.SuggestedGrade())), MaxLabel))
			blocks = append(blocks, in)
			gm.KRs = append(gm.KRs, kr.ID)
		}
		blocks = append(blocks, textInput(noteBlock(oi), "What did we learn?", o.Grading.Note, "One or two lines for the retrospective", okrs.MaxGradeNote, true, true))
		meta.Objectives = append(meta.Objectives, gm)
	}
	b, _ := json.Marshal(meta)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackGrade, PrivateMetadata: string(b),
		Title: plain("Grade this cycle"), Submit: plain("Save grades"), Close: plain("Later"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// ReadGrades reads a grade modal's submission: the gradings by objective
// id, for user.
func ReadGrades(state *slack.ViewState, metadata, user string) (GradeMeta, map[string]okrs.Grading, FormErrors) {
	var meta GradeMeta
	json.Unmarshal([]byte(metadata), &meta)
	out := map[string]okrs.Grading{}
	errs := FormErrors{}
	for oi, o := range meta.Objectives {
		g := okrs.Grading{By: user, Note: strings.TrimSpace(stateText(state, noteBlock(oi))), Grades: map[string]okrs.Grade{}}
		for ki, id := range o.KRs {
			v, err := okrs.ParseGrade(stateValue(state, gradeBlock(oi, ki)))
			if err != nil {
				errs.Add(gradeBlock(oi, ki), "Choose a grade from 0.0 to 1.0.")
				continue
			}
			g.Grades[id] = v
		}
		if len([]rune(g.Note)) > okrs.MaxGradeNote {
			errs.Add(noteBlock(oi), fmt.Sprintf("Keep it within %d characters.", okrs.MaxGradeNote))
		}
		out[o.ID] = g
	}
	return meta, out, errs
}

// Retrospective is the team channel's end-of-cycle post.
func Retrospective(r okrs.Retrospective) Message {
	blocks := []slack.Block{
		header(shorten("Retrospective · "+r.Cycle.Name, MaxHeaderText)),
		section(Sprintf("%s ended (%s). %d of %d objective%s graded by their owners. *Average grade %s.*\n%s",
			r.Cycle.Name, cycleDates(r.Cycle), r.Graded(), len(r.Objectives), Plural(len(r.Objectives)), r.Grade(), r.Reading())),
	}
	if r.Late {
		blocks = append(blocks, contextText(Raw("_Sorry this comes late: I was offline when it was due._")))
	}
	for oi := range r.Objectives {
		if len(blocks) >= MaxMessageBlocks-3 {
			blocks = append(blocks, contextText(Sprintf("…and %d more objective%s.", len(r.Objectives)-oi, Plural(len(r.Objectives)-oi))))
			break
		}
		o := &r.Objectives[oi]
		g := o.Grade()
		lines := []Mrkdwn{Sprintf("*%s* — *%s* · %s · %s", shorten(o.Title, okrs.MaxTitle), g, g.Verdict(), Mention(o.Owner))}
		for _, kr := range o.Active() {
			kg := o.GradeOfKeyResult(&kr)
			lines = append(lines, Sprintf("• %s — %s · %s", shorten(kr.Title, okrs.MaxTitle), kg, Mention(kr.Owner)))
		}
		switch {
		case !o.Graded():
			lines = append(lines, Raw("_Not graded yet: grades suggested from progress._"))
		case o.Grading.Note != "":
			lines = append(lines, Sprintf("_What we learned:_ %s", shorten(o.Grading.Note, okrs.MaxGradeNote)))
		}
		blocks = append(blocks, section(Join(lines, "\n")))
	}
	var qs []Mrkdwn
	for _, q := range okrs.RetrospectivePrompts {
		qs = append(qs, Sprintf("• *%s*", q))
	}
	blocks = append(blocks, section(Sprintf("Let's look back together, as a team: a missed key result is something we learn from, not someone's fault.\n%s\nAnswer in the thread.", Join(qs, "\n"))))
	return Message{Text: Sprintf("Retrospective of %s: average grade %s.", r.Cycle.Name, r.Grade()), Blocks: blocks}
}

// RetrospectiveThread is the first reply under the retrospective, where
// the team's answers collect.
func RetrospectiveThread(r okrs.Retrospective) Message {
	var qs []Mrkdwn
	for _, q := range append(append([]string{}, okrs.RetrospectivePrompts...), okrs.RetrospectiveQuestions...) {
		qs = append(qs, Sprintf("• %s", q))
	}
	t := Sprintf(":speech_balloon: Your answers go here, in this thread:\n%s", Join(qs, "\n"))
	return Message{Text: t, Blocks: []slack.Block{section(t)}}
}

// CarryMeta travels in the carry-over modal's private_metadata.
type CarryMeta struct {
	Team string `json:"t"`
	From string `json:"f"`
	To   string `json:"y"`
}

// maxCarried is how many objectives one checkbox group offers (Slack's
// limit for checkboxes).
const maxCarried = 10

// CarryOverModal offers a cycle's unfinished objectives for the next one.
func CarryOverModal(team string, from, to okrs.Cycle, objs []okrs.Objective) slack.ModalViewRequest {
	meta, _ := json.Marshal(CarryMeta{Team: team, From: from.Name, To: to.Name})
	blocks := []slack.Block{section(Sprintf("*%s* starts %s. Carry unfinished objectives of %s into it? Each is copied with its key results, starting from where they stand (those already met stay behind); %s keeps the originals, graded.",
		to.Name, to.Start.Format("Jan 2"), from.Name, from.Name))}
	var opts []*slack.OptionBlockObject
	for i := range objs {
		if len(opts) == maxCarried {
			break
		}
		o := &objs[i]
		opts = append(opts, option(o.ID, fmt.Sprintf("%s (%s)", o.Title, okrs.FormatPercent(o.Progress()))))
	}
	if len(opts) == 0 {
		blocks = append(blocks, section(Sprintf("Every objective of %s is finished: nothing to carry over.", from.Name)))
		return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackCarryOver, PrivateMetadata: string(meta),
			Title: plain("Carry over"), Close: plain("Done"), Blocks: slack.Blocks{BlockSet: blocks}}
	}
	in := slack.NewInputBlock("carry", plain("Carry into "+to.Name), nil, slack.NewCheckboxGroupsBlockElement(actionValue, opts...))
	in.Optional = true
	blocks = append(blocks, in)
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackCarryOver, PrivateMetadata: string(meta),
		Title: plain("Carry over"), Submit: plain("Carry over"), Close: plain("Not now"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// ReadCarryOver reads the carry-over modal: the chosen objective ids.
func ReadCarryOver(state *slack.ViewState, metadata string) (CarryMeta, []string) {
	var meta CarryMeta
	json.Unmarshal([]byte(metadata), &meta)
	a, _ := stateAction(state, "carry")
	var ids []string
	for _, o := range a.SelectedOptions {
		ids = append(ids, o.Value)
	}
	return meta, ids
}

// Blocks of the custom cycle form.
const (
	blockCycleName  = okrs.FieldCycleName
	blockCycleStart = okrs.FieldCycleStart
	blockCycleEnd   = okrs.FieldCycleEnd
)

// CustomCycleModal asks for a custom cycle's name and dates: from the
// earliest day it may start (the day after the current cycle), ten weeks by
// default. The team travels in private_metadata.
func CustomCycleModal(team string, current okrs.Cycle, earliest time.Time) slack.ModalViewRequest {
	start, end := dateInput(blockCycleStart, "First day", fmt.Sprintf("%s ends on %s; starting later stretches it to the day before (up to 4 weeks).", current.Name, current.End.Format("Jan 2")), earliest.Format(time.DateOnly)),
		dateInput(blockCycleEnd, "Last day", fmt.Sprintf("%d days to a year.", okrs.MinCustomCycleDays), earliest.AddDate(0, 0, 7*10-1).Format(time.DateOnly))
	start.Optional, end.Optional = false, false
	blocks := []slack.Block{
		section(Sprintf("A cycle of the team's own in %s: a launch, a season, six weeks. Objectives are set for it, and it ends with grading and a retrospective like any other.", Channel(team))),
		textInput(blockCycleName, "Name", "", "Winter launch", okrs.MaxCycleName, false, false),
		start, end,
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: CallbackCustomCycle, PrivateMetadata: team,
		Title: plain("Custom cycle"), Submit: plain("Next: carry over"), Close: plain("Cancel"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// ReadCustomCycle reads the custom cycle form: its team and the cycle,
// with every problem keyed by block id (the form's errors need no I/O).
func ReadCustomCycle(state *slack.ViewState, metadata string) (string, okrs.Cycle, FormErrors) {
	fe := FormErrors{}
	date := func(block string) time.Time {
		t, err := time.Parse(time.DateOnly, stateValue(state, block))
		if err != nil {
			return time.Time{}
		}
		return t
	}
	c, err := okrs.CustomCycle(stateText(state, blockCycleName), date(blockCycleStart), date(blockCycleEnd))
	for _, e := range okrs.FieldErrors(err) {
		fe.Add(e.Field, e.Message)
	}
	return metadata, c, fe
}
