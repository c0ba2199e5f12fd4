package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestProposals(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2)) // owned by U1
	later := t0.Add(time.Hour)
	propose := func(t *testing.T, title string) okrs.Proposal {
		t.Helper()
		var idx int
		got, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			_, err := o.Propose(okrs.KeyResult{Title: title, Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 60}, "U2", later, cycle)
			idx = len(o.Proposals) - 1
			return err
		})
		if err != nil {
			t.Fatalf("propose: %v", err)
		}
		return got.Proposals[idx]
	}
	awaiting := func(t *testing.T, user string) []okrs.Objective {
		t.Helper()
		objs, err := s.AwaitingDecision(ctx, ws, user)
		if err != nil {
			t.Fatal(err)
		}
		return objs
	}

	p := propose(t, "Raise activation")
	if p.ID == "" || p.State != okrs.ProposalPending || p.ProposedBy != "U2" || p.KeyResult.Owner != "U2" {
		t.Fatalf("proposal = %+v", p)
	}
	if objs := awaiting(t, "U1"); len(objs) != 1 || objs[0].ID != o.ID || len(objs[0].Pending()) != 1 {
		t.Errorf("AwaitingDecision(U1) = %+v, want the objective with one proposal", objs)
	}
	if objs := awaiting(t, "U2"); len(objs) != 0 {
		t.Errorf("AwaitingDecision(U2) = %d objectives, want none: U2 proposed, U1 decides", len(objs))
	}

	t.Run("round trip", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			q := o.Proposal(p.ID)
			q.OwnerDM, q.ProposerDM = okrs.Posted{Channel: "D1", TS: "1.1"}, okrs.Posted{Channel: "D2", TS: "2.2"}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		adj := p.KeyResult
		adj.Target, adj.Owner = 70, "U3"
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			_, err := o.Accept(p.ID, "U1", later, &adj, cycle)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Objective(ctx, ws, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		q := got.Proposal(p.ID)
		want := "{D1 1.1} {D2 2.2} accepted U1 [{target 60% 70%} {owner U2 U3}]"
		if s := fmt.Sprint(q.OwnerDM, " ", q.ProposerDM, " ", q.State, " ", q.DecidedBy, " ", q.Changes); s != want || !q.DecidedAt.Equal(later) || !q.ProposedAt.Equal(later) {
			t.Errorf("stored proposal = %s at %v, want %s", s, q.DecidedAt, want)
		}
		if q.KeyResult.Target != 60 || q.KeyResult.Unit != okrs.Percent {
			t.Errorf("the proposal lost what was proposed: %+v", q.KeyResult)
		}
		kr := got.KeyResults[len(got.KeyResults)-1]
		if len(got.KeyResults) != 3 || kr.ID == "" || kr.Owner != "U3" || kr.Target != 70 || kr.Current != 40 {
			t.Errorf("accepted key result = %+v", kr)
		}
		if objs := awaiting(t, "U1"); len(objs) != 0 {
			t.Errorf("after the decision, AwaitingDecision(U1) = %d objectives", len(objs))
		}
		if mine, _ := s.OwnedObjectives(ctx, ws, "U3"); len(mine) != 1 {
			t.Errorf("the new key result's owner is not indexed")
		}
	})
	t.Run("proposals cannot be removed", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Proposals = nil; return nil })
		if okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("a new owner decides", func(t *testing.T) {
		propose(t, "Cut churn")
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Owner = "U5"; return nil }); err != nil {
			t.Fatal(err)
		}
		if u1, u5 := awaiting(t, "U1"), awaiting(t, "U5"); len(u1) != 0 || len(u5) != 1 {
			t.Errorf("AwaitingDecision: U1 %d, U5 %d; want 0 and 1", len(u1), len(u5))
		}
	})
	t.Run("an archived objective awaits nothing", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Archived = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if u5 := awaiting(t, "U5"); len(u5) != 0 {
			t.Errorf("AwaitingDecision(U5) = %d objectives after the archive", len(u5))
		}
	})
}

// Two owners' clicks at once (a double click on Accept): one key result.
func TestConcurrentAcceptsAddOneKeyResult(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2))
	var pid string
	if got, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
		_, err := o.Propose(okrs.KeyResult{Title: "Raise activation", Kind: okrs.Increase, Start: 1, Target: 2}, "U2", t0, cycle)
		return err
	}); err != nil {
		t.Fatal(err)
	} else {
		pid = got.Proposals[0].ID
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
				_, err := o.Accept(pid, "U1", t0, nil, cycle)
				return err
			})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch okrs.ErrorCode(err) {
		case "":
			ok++
		case okrs.ECONFLICT:
		default:
			t.Errorf("accept: %v", err)
		}
	}
	got, _ := s.Objective(ctx, ws, o.ID)
	if ok != 1 || len(got.KeyResults) != 3 {
		t.Errorf("%d accepts succeeded and the objective has %d key results; want 1 and 3", ok, len(got.KeyResults))
	}
}
