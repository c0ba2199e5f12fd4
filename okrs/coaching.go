package okrs

import (
	"fmt"
	"strings"
	"time"
)

// A Tip is coaching from the OKR method, shown next to what it is about.
type Tip struct {
	Rule    string // which rule, e.g. "outcomes"
	Field   string // the field it is about, "" for the whole objective
	Message string
	// Suggestion is a better form of what the tip is about, or "".
	Suggestion string
}

// Coaching rules.
const (
	RuleOutcomes = "outcomes" // key results measure outcomes, not outputs
	RuleFew      = "few"      // few objectives, 3–5 key results each
	RuleMeasure  = "measure"  // key results are measurable
	RuleCheckIn  = "checkin"  // regular course correction
)

// MaxTeamObjectives is how many objectives a team should have in one cycle
// before the coach says "fewer".
const MaxTeamObjectives = 3

// outputVerbs begin titles that describe work to do rather than a result.
var outputVerbs = []string{
	"launch", "ship", "build", "release", "implement", "create", "write",
	"deliver", "complete", "finish", "develop", "deploy", "migrate", "set up",
	"setup", "design", "introduce", "roll out", "start", "hold", "run",
}

// looksLikeOutput reports whether a key result title reads like a task.
func looksLikeOutput(title string) bool {
	t := strings.ToLower(strings.TrimSpace(title))
	for _, v := range outputVerbs {
		if t == v || strings.HasPrefix(t, v+" ") {
			return true
		}
	}
	return false
}

// Coach reviews an objective as it is being written. teamObjectives is how
// many other active objectives its team already has in the cycle.
func Coach(o *Objective, teamObjectives int) []Tip {
	var tips []Tip
	if teamObjectives+1 > MaxTeamObjectives {
		tips = append(tips, Tip{Rule: RuleFew, Field: "", Message: fmt.Sprintf(
			"This would be objective %d for the team this cycle. Few objectives get done: consider keeping to %d.",
			teamObjectives+1, MaxTeamObjectives)})
	}
	active := o.Active()
	if n := len(active); n > 0 && n < 3 {
		tips = append(tips, Tip{Rule: RuleFew, Field: FieldKeyResults, Message: "Most objectives need 3 to 5 key results to describe success from more than one side."})
	}
	milestones := 0
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		if kr.Kind == Milestone {
			milestones++
		}
		if looksLikeOutput(kr.Title) {
			tips = append(tips, Tip{Rule: RuleOutcomes, Field: KRField(i, FieldTitle), Message: fmt.Sprintf(
				"“%s” reads like a task (an output). What result should it produce? Measure that: e.g. “Raise week-1 activation from 40%% to 60%%”.",
				Shorten(kr.Title, 60))})
		}
	}
	if len(active) > 1 && milestones*2 > len(active) {
		tips = append(tips, Tip{Rule: RuleMeasure, Field: FieldKeyResults, Message: "Most of these key results are milestones. Numbers that move show progress week by week; milestones only flip at the end."})
	}
	return tips
}

// Nudges returns course-correction tips for a team's objectives at now: stale
// key results and ones behind pace with a confident owner.
func Nudges(objectives []Objective, c Cycle, now time.Time) []Tip {
	var tips []Tip
	for oi := range objectives {
		o := &objectives[oi]
		for i := range o.KeyResults {
			kr := &o.KeyResults[i]
			if kr.Archived {
				continue
			}
			switch {
			case kr.Stale(now):
				tips = append(tips, Tip{Rule: RuleCheckIn, Field: "", Message: fmt.Sprintf(
					"“%s” has had no check-in for over a week: a quick update keeps the team's picture true.", Shorten(kr.Title, 60))})
			case kr.Pace(c, now) == Behind && kr.Confidence.Level == OnTrack:
				tips = append(tips, Tip{Rule: RuleCheckIn, Field: "", Message: fmt.Sprintf(
					"“%s” is behind pace yet marked on track: is the plan changing, or the confidence?", Shorten(kr.Title, 60))})
			}
		}
	}
	return tips
}

// Grade is the end-of-cycle score of a key result or objective in the
// classic 0.0–1.0 scale, where 0.7 is a good result for an ambitious goal.
type Grade float64

// GradeOf rounds progress to the tenth the method grades in.
func GradeOf(progress float64) Grade {
	p := min(max(progress, 0), 1)
	return Grade(float64(int(p*10+0.5)) / 10)
}

func (g Grade) String() string { return fmt.Sprintf("%.1f", float64(g)) }

// Verdict reads a grade: 0.7 and above delivered, 0.4 and above progress
// made, below that missed.
func (g Grade) Verdict() string {
	switch {
	case g >= 0.7:
		return "Delivered"
	case g >= 0.4:
		return "Progress made"
	}
	return "Missed"
}

// RetrospectiveQuestions are asked at the end of every cycle.
var RetrospectiveQuestions = []string{
	"What did we achieve, and what made the difference?",
	"Which key results did we miss, and why: ambition, focus, or something outside our control?",
	"Which key results turned out to measure the wrong thing?",
	"What do we carry into the next cycle, change, or drop?",
}
