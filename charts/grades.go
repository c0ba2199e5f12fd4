package charts

import (
	"fmt"
	"math"
)

// Grade is one objective's end-of-cycle grade in a grades chart, 0.0–1.0.
type Grade struct {
	Title string
	Grade float64
}

// Grades is the input of GradesChart: a cycle's objectives and their grades.
type Grades struct {
	Title      string
	Objectives []Grade
}

// goodGrade is the grade the method calls a good result for an ambitious goal.
const goodGrade = 0.7

var gradesText = overviewText{
	subtitle: "Each objective's grade, 0.0 to 1.0, against 0.7: a good result for an ambitious goal",
	ahead:    "0.7 or more", behind: "Below 0.7", expected: "0.7: a good result",
	axis:  "Grade",
	value: func(v float64) string { return fmt.Sprintf("%.1f", v) },
	tick:  formatNumber,
}

// GradesChart draws a cycle's grades as a PNG, one bar per objective, with a
// tick at 0.7 (blue at or above it, orange below: missed goals are drawn
// as information, in the same colours as progress behind pace).
func GradesChart(g Grades) ([]byte, error) {
	o := Overview{Title: g.Title, text: &gradesText}
	for _, x := range g.Objectives {
		v := x.Grade
		if !finite(v) {
			v = math.NaN()
		}
		o.Objectives = append(o.Objectives, Bar{Title: x.Title, Progress: min(max(v, 0), 1), Expected: goodGrade})
	}
	png, err := OverviewChart(o)
	if err != nil {
		return nil, fmt.Errorf("charts: grades chart: %w", err)
	}
	return png, nil
}
