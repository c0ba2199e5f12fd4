package okrs

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	propAt    = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	propCycle = QuarterOf(propAt)
)

// proposalObjective is ana's objective with n key results and, for each of
// states, a proposal by ben in that state (ids p0, p1, …).
func proposalObjective(n int, states ...ProposalState) *Objective {
	o := &Objective{ID: "o1", Team: "C1", Cycle: propCycle.Name, Title: "Delight new customers", Owner: "ana", CreatedBy: "carla"}
	for i := range n {
		o.KeyResults = append(o.KeyResults, KeyResult{ID: fmt.Sprintf("k%d", i), Title: fmt.Sprintf("KR %d", i), Owner: "ana",
			Kind: Increase, Unit: Number, Start: 0, Target: 10})
	}
	for i, st := range states {
		kr := proposedKR()
		kr.Owner = "ben"
		o.Proposals = append(o.Proposals, Proposal{ID: fmt.Sprintf("p%d", i), KeyResult: kr, ProposedBy: "ben",
			ProposedAt: propAt.Add(-time.Hour), State: st})
	}
	return o
}

func proposedKR() KeyResult {
	return KeyResult{Title: "Raise week-1 activation", Kind: Increase, Unit: Percent, Start: 40, Target: 60}
}

func TestPropose(t *testing.T) {
	pending := make([]ProposalState, MaxPendingProposals)
	for i := range pending {
		pending[i] = ProposalPending
	}
	decided := make([]ProposalState, MaxProposals)
	for i := range decided {
		decided[i] = ProposalDeclined
	}
	tests := []struct {
		name    string
		o       *Objective
		kr      KeyResult
		by      string
		code    string
		field   string
		message string
	}{
		{"a team member proposes", proposalObjective(3), proposedKR(), "ben", "", "", ""},
		{"an owner chosen by the proposer", proposalObjective(3), func() KeyResult { k := proposedKR(); k.Owner = "dora"; return k }(), "ben", "", "", ""},
		{"nobody", proposalObjective(3), proposedKR(), "", EINVALID, FieldOwner, ""},
		{"archived objective", func() *Objective { o := proposalObjective(3); o.Archived = true; return o }(), proposedKR(), "ben", EINVALID, "", "is archived"},
		{"full objective", proposalObjective(MaxKeyResults), proposedKR(), "ben", EINVALID, "", "already has 5 key results"},
		{"too many waiting", proposalObjective(3, pending...), proposedKR(), "ben", EINVALID, "", "20 proposals waiting"},
		{"the record is full", proposalObjective(3, decided...), proposedKR(), "ben", EINVALID, "", "has had 100 proposals"},
		{"an invalid key result", proposalObjective(3), KeyResult{Title: "Grow", Kind: Increase, Start: 5, Target: 5}, "ben", EINVALID, FieldTarget, "must differ"},
		{"no title", proposalObjective(3), KeyResult{Kind: Milestone}, "ben", EINVALID, FieldTitle, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(tc.o.Proposals)
			p, err := tc.o.Propose(tc.kr, tc.by, propAt, propCycle)
			if got := ErrorCode(err); got != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if err != nil {
				fes := FieldErrors(err)
				if tc.field != "" && (len(fes) == 0 || fes[0].Field != tc.field) {
					t.Errorf("field errors %v, want one on %q", fes, tc.field)
				}
				if !strings.Contains(err.Error(), tc.message) {
					t.Errorf("err = %v, want it to say %q", err, tc.message)
				}
				if len(tc.o.Proposals) != before {
					t.Errorf("a refused proposal was kept")
				}
				return
			}
			wantOwner := tc.kr.Owner
			if wantOwner == "" {
				wantOwner = tc.by
			}
			if p.State != ProposalPending || p.ProposedBy != tc.by || !p.ProposedAt.Equal(propAt) || p.KeyResult.Owner != wantOwner {
				t.Errorf("proposal = %+v", p)
			}
			if len(tc.o.Proposals) != before+1 || len(tc.o.Pending()) != 1 || len(tc.o.KeyResults) != 3 {
				t.Errorf("objective has %d proposals (%d pending) and %d key results", len(tc.o.Proposals), len(tc.o.Pending()), len(tc.o.KeyResults))
			}
		})
	}
}

func TestDecideProposal(t *testing.T) {
	adjusted := proposedKR()
	adjusted.Target, adjusted.Owner = 70, "carla"
	tests := []struct {
		name   string
		states []ProposalState
		krs    int
		act    func(o *Objective) (*Proposal, error)
		code   string
		want   ProposalState // the proposal's state afterwards
		newKR  string        // the new key result's owner, "" for none
	}{
		{"the owner accepts", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ana", propAt, nil, propCycle) }, "", ProposalAccepted, "ben"},
		{"the owner accepts it adjusted", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ana", propAt, &adjusted, propCycle) }, "", ProposalAccepted, "carla"},
		{"the proposer cannot accept", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ben", propAt, nil, propCycle) }, EFORBIDDEN, ProposalPending, ""},
		{"the creator cannot accept", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "carla", propAt, nil, propCycle) }, EFORBIDDEN, ProposalPending, ""},
		{"accepted twice", []ProposalState{ProposalAccepted}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ana", propAt, nil, propCycle) }, ECONFLICT, ProposalAccepted, ""},
		{"accepting a withdrawn one", []ProposalState{ProposalWithdrawn}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ana", propAt, nil, propCycle) }, ECONFLICT, ProposalWithdrawn, ""},
		{"no such proposal", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Accept("p9", "ana", propAt, nil, propCycle) }, ENOTFOUND, ProposalPending, ""},
		{"accepting into a full objective", []ProposalState{ProposalPending}, MaxKeyResults,
			func(o *Objective) (*Proposal, error) { return o.Accept("p0", "ana", propAt, nil, propCycle) }, EINVALID, ProposalPending, ""},
		{"an invalid adjustment", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) {
				return o.Accept("p0", "ana", propAt, &KeyResult{Title: "x", Kind: Increase, Start: 5, Target: 1}, propCycle)
			}, EINVALID, ProposalPending, ""},
		{"the owner declines", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) {
				return o.Decline("p0", "ana", propAt, "  We measure this in Q1.  ")
			}, "", ProposalDeclined, ""},
		{"someone else declines", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Decline("p0", "ben", propAt, "") }, EFORBIDDEN, ProposalPending, ""},
		{"a reason too long", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) {
				return o.Decline("p0", "ana", propAt, strings.Repeat("x", MaxReason+1))
			}, EINVALID, ProposalPending, ""},
		{"declining an accepted one", []ProposalState{ProposalAccepted}, 3,
			func(o *Objective) (*Proposal, error) { return o.Decline("p0", "ana", propAt, "") }, ECONFLICT, ProposalAccepted, ""},
		{"the proposer withdraws", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Withdraw("p0", "ben", propAt) }, "", ProposalWithdrawn, ""},
		{"the owner cannot withdraw", []ProposalState{ProposalPending}, 3,
			func(o *Objective) (*Proposal, error) { return o.Withdraw("p0", "ana", propAt) }, EFORBIDDEN, ProposalPending, ""},
		{"withdrawing a declined one", []ProposalState{ProposalDeclined}, 3,
			func(o *Objective) (*Proposal, error) { return o.Withdraw("p0", "ben", propAt) }, ECONFLICT, ProposalDeclined, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := proposalObjective(tc.krs, tc.states...)
			_, err := tc.act(o)
			if got := ErrorCode(err); got != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
			if got := o.Proposals[0].State; got != tc.want {
				t.Errorf("state = %s, want %s", got, tc.want)
			}
			added := len(o.KeyResults) - tc.krs
			switch {
			case tc.newKR == "" && added != 0:
				t.Errorf("%d key results added", added)
			case tc.newKR != "" && added != 1:
				t.Fatalf("%d key results added, want 1", added)
			case tc.newKR != "":
				kr := o.KeyResults[len(o.KeyResults)-1]
				if kr.Owner != tc.newKR || kr.ID != "" || kr.ObjectiveID != "o1" || !kr.CreatedAt.Equal(propAt) || kr.Current != kr.Start {
					t.Errorf("new key result = %+v", kr)
				}
			}
			p := o.Proposals[0]
			if tc.code == "" && (p.DecidedBy == "" || !p.DecidedAt.Equal(propAt)) {
				t.Errorf("decision not recorded: %+v", p)
			}
			if tc.code != "" && tc.want == ProposalPending && (p.DecidedBy != "" || p.Reason != "") {
				t.Errorf("a refused decision left a trace: %+v", p)
			}
			if tc.want == ProposalDeclined && tc.code == "" && p.Reason != "We measure this in Q1." {
				t.Errorf("reason = %q", p.Reason)
			}
		})
	}
}

func TestAcceptRecordsChanges(t *testing.T) {
	o := proposalObjective(3, ProposalPending)
	adj := proposedKR()
	adj.Target, adj.Owner, adj.Due = 70, "carla", Date(2026, time.December, 15)
	p, err := o.Accept("p0", "ana", propAt, &adj, propCycle)
	if err != nil {
		t.Fatal(err)
	}
	want := "[{target 60% 70%} {owner ben carla} {due the end of the cycle Dec 15, 2026}]"
	if got := fmt.Sprint(p.Changes); got != want {
		t.Errorf("changes = %s, want %s", got, want)
	}
	o = proposalObjective(3, ProposalPending)
	if p, _ := o.Accept("p0", "ana", propAt, nil, propCycle); len(p.Changes) != 0 {
		t.Errorf("accepted as proposed, yet changes %v", p.Changes)
	}
}

func TestKeyResultChanges(t *testing.T) {
	base := KeyResult{Title: "Cut P99 latency", Owner: "ben", Kind: Decrease, Unit: Number, UnitLabel: "ms", Start: 400, Target: 280}
	tests := []struct {
		name   string
		change func(k *KeyResult)
		want   string
	}{
		{"nothing", func(*KeyResult) {}, "[]"},
		{"title", func(k *KeyResult) { k.Title = "Cut P95 latency" }, "[{title Cut P99 latency Cut P95 latency}]"},
		{"target", func(k *KeyResult) { k.Target = 250 }, "[{target 280 ms 250 ms}]"},
		{"start and unit", func(k *KeyResult) { k.Start, k.UnitLabel = 0.4, "s" }, "[{unit ms s} {start 400 ms 0.4 s}]"},
		{"kind", func(k *KeyResult) { k.Kind, k.Start, k.Target = StayBelow, 280, 280 },
			"[{kind Decrease to a target Stay below a threshold} {start 400 ms 280 ms}]"},
		{"currency", func(k *KeyResult) { k.Unit, k.UnitLabel, k.Currency = Currency, "", "€" }, "[{unit ms €}]"},
		{"owner", func(k *KeyResult) { k.Owner = "ana" }, "[{owner ben ana}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			to := base
			tc.change(&to)
			got := fmt.Sprint(KeyResultChanges(&base, &to))
			if tc.want == "[]" && len(KeyResultChanges(&base, &to)) == 0 {
				return
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
