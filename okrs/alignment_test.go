package okrs_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/okrbot/okrbot/okrs"
)

// aligned is an objective with key results at the given percentages (an
// archived one written as a negative percentage: -30 is archived at 30%).
func aligned(id, parent string, pcts ...float64) okrs.Objective {
	o := okrs.Objective{ID: id, Team: "C1", ParentID: parent, Title: id}
	for i, p := range pcts {
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{ID: fmt.Sprintf("%s.%d", id, i), Kind: okrs.Increase,
			Start: 0, Target: 100, Current: math.Abs(p), Archived: p < 0})
	}
	return o
}

// shape writes a forest as "id(depth:percent)" in tree order, children in
// brackets: "co(0:50)[eng(1:20) ops(1:80)]".
func shape(roots []*okrs.AlignmentNode) string {
	var parts []string
	for _, n := range roots {
		s := fmt.Sprintf("%s(%d:%.4g)", n.Objective.ID, n.Depth, n.Progress*100)
		if len(n.Children) > 0 {
			s += "[" + shape(n.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestAlignment(t *testing.T) {
	tests := []struct {
		name string
		objs []okrs.Objective
		want string
	}{
		{"nothing", nil, ""},
		{"one objective: its own progress", []okrs.Objective{aligned("a", "", 40, 60)}, "a(0:50)"},
		{"no key results, no children: 0", []okrs.Objective{aligned("a", "")}, "a(0:0)"},
		{"parent with a key result and two children, each child one key result",
			[]okrs.Objective{aligned("co", "", 50), aligned("eng", "co", 20), aligned("ops", "co", 80)},
			"co(0:50)[eng(1:20) ops(1:80)]"},
		{"parent with no key results: the mean of its children",
			[]okrs.Objective{aligned("co", ""), aligned("eng", "co", 30), aligned("ops", "co", 60)},
			"co(0:45)[eng(1:30) ops(1:60)]"},
		{"a child with two key results still counts once",
			[]okrs.Objective{aligned("co", "", 0), aligned("eng", "co", 100, 100)},
			"co(0:50)[eng(1:100)]"},
		{"depth 3: the grandchild rolls up through its parent",
			// grand 90; team = (30 + 90) / 2 = 60; dept = (60 + 60) / 2 = 60; co = (0 + 60) / 2 = 30
			[]okrs.Objective{aligned("co", "", 0), aligned("dept", "co", 60), aligned("team", "dept", 30), aligned("grand", "team", 90)},
			"co(0:30)[dept(1:60)[team(2:60)[grand(3:90)]]]"},
		{"archived key results count for nothing",
			[]okrs.Objective{aligned("co", "", -100, 20), aligned("eng", "co", 40, -90)},
			"co(0:30)[eng(1:40)]"},
		{"all key results archived and no children: 0", []okrs.Objective{aligned("a", "", -100, -50)}, "a(0:0)"},
		{"a child with no key results counts as 0",
			[]okrs.Objective{aligned("co", "", 60), aligned("empty", "co")},
			"co(0:30)[empty(1:0)]"},
		{"over-achieved key results are clamped before rolling up",
			[]okrs.Objective{aligned("co", "", 150), aligned("eng", "co", 0)},
			"co(0:50)[eng(1:0)]"},
		{"missing parent: a root",
			[]okrs.Objective{aligned("eng", "gone", 20), aligned("ops", "", 80)},
			"eng(0:20) ops(0:80)"},
		{"children keep the order given, even before their parent",
			[]okrs.Objective{aligned("b", "p", 10), aligned("p", "", 10), aligned("a", "p", 10)},
			"p(0:10)[b(1:10) a(1:10)]"},
		{"self parent: a root", []okrs.Objective{aligned("a", "a", 10)}, "a(0:10)"},
		{"a two-cycle: the first given is the root",
			[]okrs.Objective{aligned("a", "b", 10), aligned("b", "a", 30)},
			"a(0:20)[b(1:30)]"},
		{"a three-cycle below a tree's child, with a tail",
			[]okrs.Objective{aligned("x", "z", 0), aligned("y", "x", 0), aligned("z", "y", 0), aligned("tail", "y", 100)},
			"x(0:16.67)[y(1:33.33)[z(2:0) tail(2:100)]]"},
		{"a chain into a cycle given before the cycle",
			[]okrs.Objective{aligned("leaf", "a", 100), aligned("a", "b", 0), aligned("b", "a", 0)},
			"a(0:33.33)[leaf(1:100) b(1:0)]"},
		{"archived parent: its children are roots",
			[]okrs.Objective{func() okrs.Objective { o := aligned("co", "", 0); o.Archived = true; return o }(), aligned("eng", "co", 40)},
			"eng(0:40)"},
		{"a repeated id counts once",
			[]okrs.Objective{aligned("a", "", 10), aligned("a", "", 90), aligned("b", "a", 30)},
			"a(0:20)[b(1:30)]"},
	}
	for _, tt := range tests {
		if got := shape(okrs.Alignment(tt.objs)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestAlignmentLargeCycleTerminates(t *testing.T) {
	var objs []okrs.Objective
	const n = 2000
	for i := range n {
		objs = append(objs, aligned(fmt.Sprint(i), fmt.Sprint((i+1)%n), 50))
	}
	lines := okrs.Flatten(okrs.Alignment(objs))
	if len(lines) != n {
		t.Fatalf("got %d lines, want %d", len(lines), n)
	}
	if lines[0].Objective.ID != "0" || lines[0].Depth != 0 || lines[n-1].Depth != n-1 {
		t.Errorf("first %s at %d, last at depth %d", lines[0].Objective.ID, lines[0].Depth, lines[n-1].Depth)
	}
	if math.Abs(lines[0].Progress-0.5) > 1e-9 {
		t.Errorf("root progress = %v, want 0.5", lines[0].Progress)
	}
}

func TestFlattenAndInvolves(t *testing.T) {
	objs := []okrs.Objective{aligned("co", ""), aligned("eng", "co"), aligned("api", "eng"), aligned("ops", "co"), aligned("solo", "")}
	objs[2].Team = "C2"
	objs[4].SharedWith = []string{"C3"}
	roots := okrs.Alignment(objs)
	var ids []string
	for _, n := range okrs.Flatten(roots) {
		ids = append(ids, fmt.Sprintf("%s/%d", n.Objective.ID, n.Depth))
	}
	if got, want := strings.Join(ids, " "), "co/0 eng/1 api/2 ops/1 solo/0"; got != want {
		t.Errorf("Flatten: got %s, want %s", got, want)
	}
	tests := []struct {
		root int
		team string
		want bool
	}{
		{0, "C2", true}, {0, "C3", false}, {1, "C3", true}, {1, "C1", true}, {0, "", false},
	}
	for _, tt := range tests {
		if got := roots[tt.root].Involves(tt.team); got != tt.want {
			t.Errorf("%s.Involves(%q): got %v, want %v", roots[tt.root].Objective.ID, tt.team, got, tt.want)
		}
	}
}

func TestObjectiveTeams(t *testing.T) {
	tests := []struct {
		team   string
		shared []string
		want   string
		belong string
	}{
		{"C1", nil, "C1", "C1"},
		{"C1", []string{"C2", "", "C1", "C2", "C3"}, "C1 C2 C3", "C1 C2 C3"},
	}
	for _, tt := range tests {
		o := okrs.Objective{Team: tt.team, SharedWith: tt.shared}
		if got := strings.Join(o.Teams(), " "); got != tt.want {
			t.Errorf("Teams(%v): got %s, want %s", tt.shared, got, tt.want)
		}
		for _, team := range strings.Fields(tt.belong) {
			if !o.BelongsTo(team) {
				t.Errorf("%v: BelongsTo(%s) = false", tt.shared, team)
			}
		}
		if o.BelongsTo("C9") || o.BelongsTo("") {
			t.Errorf("%v belongs to C9 or to no team", tt.shared)
		}
		o.Normalize()
		if got := strings.Join(o.Teams(), " "); got != tt.want || len(o.SharedWith) != len(o.Teams())-1 {
			t.Errorf("after Normalize: SharedWith %v", o.SharedWith)
		}
	}
	o := okrs.Objective{Team: "C1", SharedWith: []string{"C2", "C3", "C4", "C5"}}
	var found bool
	for _, fe := range okrs.FieldErrors(o.Validate(okrs.Cycle{})) {
		found = found || fe.Field == okrs.FieldShared
	}
	if !found {
		t.Errorf("four sharing teams passed validation; want at most %d", okrs.MaxSharedTeams)
	}
}

func TestParentLoop(t *testing.T) {
	parents := map[string]string{"team": "dept", "dept": "company", "company": "", "a": "b", "b": "a", "deep0": ""}
	for i := 1; i <= okrs.MaxAlignmentDepth+2; i++ {
		parents[fmt.Sprintf("deep%d", i)] = fmt.Sprintf("deep%d", i-1)
	}
	parentOf := func(id string) (string, bool) { p, ok := parents[id]; return p, ok }
	tests := []struct {
		name, id, parent string
		want             []string
	}{
		{"no parent", "company", "", nil},
		{"up the chain", "new", "team", nil},
		{"itself", "team", "team", []string{"team"}},
		{"its own child", "company", "team", []string{"team", "dept", "company"}},
		{"its grandchild's parent", "dept", "team", []string{"team", "dept"}},
		{"a parent that is gone", "x", "missing", nil},
		{"an existing loop above", "x", "a", chainOf(okrs.MaxAlignmentDepth+1, "a", "b")},
		{"a chain too deep", "x", fmt.Sprintf("deep%d", okrs.MaxAlignmentDepth+2), deepChain(okrs.MaxAlignmentDepth + 2)},
	}
	for _, tt := range tests {
		if got := okrs.ParentLoop(tt.id, tt.parent, parentOf); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func chainOf(n int, ids ...string) []string {
	var out []string
	for i := range n {
		out = append(out, ids[i%len(ids)])
	}
	return out
}

func deepChain(top int) []string {
	var out []string
	for i := top; len(out) <= okrs.MaxAlignmentDepth; i-- {
		out = append(out, fmt.Sprintf("deep%d", i))
	}
	return out
}
