package okrs

import "slices"

// Alignment: an objective may align to a parent (team → department →
// company, through ParentID) and may be shared by several teams
// (cross-functional: SharedWith). The tree of a cycle's objectives shows
// both, with each objective's progress rolled up from its children.

// MaxSharedTeams is how many teams, besides its own, may share an objective.
const MaxSharedTeams = 3

// Teams returns the objective's team first, then the teams sharing it, each
// once.
func (o *Objective) Teams() []string {
	out := make([]string, 0, 1+len(o.SharedWith))
	if o.Team != "" {
		out = append(out, o.Team)
	}
	return append(out, o.sharedTeams()...)
}

// sharedTeams returns SharedWith without empty entries, repeats and the
// objective's own team.
func (o *Objective) sharedTeams() []string {
	var out []string
	for _, t := range o.SharedWith {
		if t != "" && t != o.Team && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// BelongsTo reports whether team is the objective's team or shares it.
func (o *Objective) BelongsTo(team string) bool {
	return team != "" && (o.Team == team || slices.Contains(o.SharedWith, team))
}

// An AlignmentNode is one objective of an alignment tree.
type AlignmentNode struct {
	Objective *Objective
	Parent    *AlignmentNode // nil for a root
	Children  []*AlignmentNode
	Depth     int // 0 for a root
	// Progress is the objective's rolled-up progress (see Alignment).
	Progress float64
}

// Alignment builds the forest of objs by ParentID, children in the order
// of objs, and computes every node's rolled-up progress.
//
// The roll-up rule: an objective's rolled-up progress is the mean over its
// own active key results' progress (Progress: each clamped to [0, 1]) and
// its children's rolled-up progress, each child counting as one key
// result. An objective with no children has its own Progress; one with no
// active key results is the mean of its children; one with neither is 0.
// So a company objective with one key result at 50% and two team children
// at 20% and 80% is (50 + 20 + 80) / 3 = 50%.
//
// Bad data does not loop or crash: an objective whose parent is not in
// objs (another cycle, archived, deleted, or hidden from the reader) is a
// root, and so is the first objective, in the order of objs, of a chain of
// parents that leads back to itself. Archived objectives and repeated ids
// (after the first) are left out.
func Alignment(objs []Objective) []*AlignmentNode {
	nodes := make(map[string]*AlignmentNode, len(objs))
	var order []*AlignmentNode
	for i := range objs {
		o := &objs[i]
		if o.Archived || o.ID == "" || nodes[o.ID] != nil {
			continue
		}
		n := &AlignmentNode{Objective: o}
		nodes[o.ID] = n
		order = append(order, n)
	}
	parent := make(map[*AlignmentNode]*AlignmentNode, len(order))
	for _, n := range order {
		if p := nodes[n.Objective.ParentID]; p != nil && p != n {
			parent[n] = p
		}
	}
	// Break cycles: follow each node's chain of parents; one that comes
	// back to the node makes it a root. The first node of each cycle met
	// this way is cut, which leaves the rest of the cycle hanging below it.
	for _, n := range order {
		seen := map[*AlignmentNode]bool{n: true}
		for p := parent[n]; p != nil; p = parent[p] {
			if p == n {
				delete(parent, n)
				break
			}
			if seen[p] {
				break // a cycle further up, not through n: cut when its own node comes
			}
			seen[p] = true
		}
	}
	var roots []*AlignmentNode
	for _, n := range order {
		if p := parent[n]; p != nil {
			n.Parent = p
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	for _, r := range roots {
		r.rollUp(0)
	}
	return roots
}

// rollUp sets the depth and rolled-up progress of n and its subtree and
// returns n's.
func (n *AlignmentNode) rollUp(depth int) float64 {
	n.Depth = depth
	var sum float64
	count := 0
	for _, kr := range n.Objective.KeyResults {
		if kr.Archived {
			continue
		}
		sum += kr.Progress()
		count++
	}
	for _, c := range n.Children {
		sum += c.rollUp(depth + 1)
		count++
	}
	n.Progress = 0
	if count > 0 {
		n.Progress = sum / float64(count)
	}
	return n.Progress
}

// Flatten lists the nodes of roots depth first, each parent before its
// children: the lines of a tree, top to bottom.
func Flatten(roots []*AlignmentNode) []*AlignmentNode {
	var out []*AlignmentNode
	var walk func(ns []*AlignmentNode)
	walk = func(ns []*AlignmentNode) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(roots)
	return out
}

// Involves reports whether team has (or shares) an objective in n's tree.
func (n *AlignmentNode) Involves(team string) bool {
	if n.Objective.BelongsTo(team) {
		return true
	}
	for _, c := range n.Children {
		if c.Involves(team) {
			return true
		}
	}
	return false
}

// MaxAlignmentDepth bounds how far up a chain of parents is followed.
const MaxAlignmentDepth = 32

// ParentLoop reports whether aligning objective id to parent would make a
// loop of parents (id is parent's ancestor, or parent itself): it returns
// the chain from parent up to id, nil when there is no loop. parentOf gives
// an objective's parent ("" for none, false when it is not found); a chain
// longer than MaxAlignmentDepth counts as a loop.
func ParentLoop(id, parent string, parentOf func(id string) (string, bool)) []string {
	chain := []string{}
	for cur := parent; cur != ""; {
		chain = append(chain, cur)
		if cur == id || len(chain) > MaxAlignmentDepth {
			return chain
		}
		next, ok := parentOf(cur)
		if !ok {
			return nil
		}
		cur = next
	}
	return nil
}

// OwnObjectives keeps the objectives of team itself, leaving out those other
// teams share with it: a shared objective's key results are asked about,
// and its check-ins counted, by its own team only (one prompt a period per
// key result, however many teams share it).
func OwnObjectives(objs []Objective, team string) []Objective {
	out := make([]Objective, 0, len(objs))
	for _, o := range objs {
		if o.Team == team {
			out = append(out, o)
		}
	}
	return out
}
