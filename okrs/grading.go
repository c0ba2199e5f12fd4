package okrs

import (
	"fmt"
	"strings"
	"time"
)

// MaxGradeNote bounds an objective's "what did we learn?" note.
const MaxGradeNote = 500

// Grading is an objective's end-of-cycle grades, given by its owner: one
// per active key result, and a note on what the team learned. It is kept
// with the objective, in its cycle.
type Grading struct {
	By     string
	At     time.Time // zero until graded
	Note   string
	Grades map[string]Grade // key-result id → grade
}

// Graded reports whether the objective's owner has graded it.
func (o *Objective) Graded() bool { return !o.Grading.At.IsZero() }

// SuggestedGrade is the grade a key result's progress suggests.
func (kr *KeyResult) SuggestedGrade() Grade { return GradeOf(kr.Progress()) }

// GradeOfKeyResult is a key result's grade: its owner's, or the one its
// progress suggests while ungraded.
func (o *Objective) GradeOfKeyResult(kr *KeyResult) Grade {
	if g, ok := o.Grading.Grades[kr.ID]; ok {
		return g
	}
	return kr.SuggestedGrade()
}

// Grade is the objective's grade: the mean of its active key results'
// grades, to the tenth.
func (o *Objective) Grade() Grade {
	return GradeOf(o.mean(func(kr *KeyResult) float64 { return float64(o.GradeOfKeyResult(kr)) }))
}

// ParseGrade reads a grade between 0.0 and 1.0 ("0.7", "0,7", ".7").
func ParseGrade(s string) (Grade, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil || f < 0 || f > 1 || strings.ContainsAny(s, " \t") {
		return 0, Invalid("grade", "Give a grade from 0.0 to 1.0, like 0.7.")
	}
	return Grade(float64(int(f*100+0.5)) / 100), nil
}

// GradeHint is what the grade form says under a suggested grade: 0.7 is a
// good result for an ambitious goal; 1.0 asks whether it was ambitious
// enough.
func GradeHint(g Grade) string {
	switch {
	case g >= 1:
		return "1.0: fully delivered. Was it ambitious enough?"
	case g >= 0.7:
		return g.String() + ": a good result for an ambitious goal."
	case g >= 0.4:
		return g.String() + ": real progress, short of the target."
	}
	return g.String() + ": missed. What did it teach us?"
}

// Apply records owner's grading of o at now, after checking it: only the
// objective's owner grades it, each grade is in [0, 1], every active key
// result is graded, and the note is short. Grading again replaces the
// earlier grades.
func (o *Objective) Apply(g Grading, now time.Time) error {
	if g.By == "" || g.By != o.Owner {
		return Errorf(EFORBIDDEN, "Only the objective's owner grades it.")
	}
	if len([]rune(g.Note)) > MaxGradeNote {
		return Invalid("note", "Keep the note within %d characters.", MaxGradeNote)
	}
	grades := map[string]Grade{}
	for _, kr := range o.Active() {
		v, ok := g.Grades[kr.ID]
		if !ok {
			return Invalid("grade", "Grade every key result.")
		}
		if v < 0 || v > 1 {
			return Invalid("grade", "Give a grade from 0.0 to 1.0, like 0.7.")
		}
		grades[kr.ID] = v
	}
	g.Grades, g.At, g.Note = grades, now, strings.TrimSpace(g.Note)
	o.Grading = g
	return nil
}

// Retrospective is a team's end-of-cycle post: each objective's grades and
// notes, the method's reading of them, and the retrospective questions.
type Retrospective struct {
	Workspace  string
	Team       string
	Channel    string // where it is posted: the team's channel
	Cycle      Cycle
	Objectives []Objective // not archived, with their gradings
	Late       bool        // posted well after it was due (the bot was down)
	Key        string      // the delivery's key
}

// Graded counts the graded objectives.
func (r Retrospective) Graded() int {
	n := 0
	for i := range r.Objectives {
		if r.Objectives[i].Graded() {
			n++
		}
	}
	return n
}

// Grade is the mean grade of the cycle's objectives.
func (r Retrospective) Grade() Grade {
	if len(r.Objectives) == 0 {
		return 0
	}
	var sum float64
	for i := range r.Objectives {
		sum += float64(r.Objectives[i].Grade())
	}
	return GradeOf(sum / float64(len(r.Objectives)))
}

// Reading is the method's reading of a cycle's grades, in words that treat
// a missed key result as learning, not blame.
func (r Retrospective) Reading() string {
	if len(r.Objectives) == 0 {
		return "No objectives were graded this cycle."
	}
	g := r.Grade()
	all, none := true, true
	for i := range r.Objectives {
		for _, kr := range r.Objectives[i].Active() {
			kg := r.Objectives[i].GradeOfKeyResult(&kr)
			all = all && kg >= 1
			none = none && kg < 0.4
		}
	}
	switch {
	case all:
		return "Every key result was fully delivered. Great work, and a question for next cycle: were these goals ambitious enough? Stretch goals usually land around 0.7."
	case g >= 0.6:
		return fmt.Sprintf("An average grade of %s: the sweet spot for ambitious OKRs. The misses show where the stretch was; they are worth understanding, not defending.", g)
	case g >= 0.4 || !none:
		return fmt.Sprintf("An average grade of %s: real progress, short of the targets. Missed key results are information: were they too ambitious, out of focus, or blocked by something outside the team?", g)
	}
	return fmt.Sprintf("An average grade of %s: the cycle did not go as planned, and that is worth learning from together: was the ambition, the focus or something outside our control the cause?", g)
}

// RetrospectivePrompts are the two questions the team answers in the
// retrospective's thread.
var RetrospectivePrompts = []string{"What did we learn?", "What would we do differently next time?"}

// GradeRequest asks an objective owner to grade their objectives of a
// cycle that ended.
type GradeRequest struct {
	Workspace  string
	Team       string
	User       string
	Cycle      Cycle
	Objectives []Objective // the person's objectives in the team's cycle
	Late       bool
	Key        string
}

// CarryOver copies o into cycle c for the team's next cycle: its key
// results start from their current values (thresholds keep theirs; an
// increase or decrease already met stays behind, as it would start at its
// target), and the copy is new (no id, grades, proposals or history). The
// original stays in its cycle, graded.
func (o *Objective) CarryOver(c Cycle, by string, now time.Time) Objective {
	cp := Objective{
		Workspace: o.Workspace, Team: o.Team, Cycle: c.Name, Title: o.Title, Description: o.Description,
		Owner: o.Owner, ParentID: o.ParentID, CreatedBy: by, CreatedAt: now, UpdatedAt: now,
	}
	for _, kr := range o.Active() {
		if (kr.Kind == Increase || kr.Kind == Decrease) && kr.Met() {
			continue
		}
		n := KeyResult{
			Title: kr.Title, Owner: kr.Owner, Kind: kr.Kind, Unit: kr.Unit, UnitLabel: kr.UnitLabel,
			Currency: kr.Currency, Start: kr.Current, Target: kr.Target, CreatedAt: now, Current: kr.Current,
		}
		if kr.Kind.Threshold() {
			n.Start = kr.Start
		}
		cp.KeyResults = append(cp.KeyResults, n)
	}
	return cp
}

// Unfinished reports whether an objective has a key result not yet met:
// one worth offering to carry into the next cycle.
func (o *Objective) Unfinished() bool {
	for _, kr := range o.Active() {
		if !kr.Met() {
			return true
		}
	}
	return false
}
