package store_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

var (
	ctx   = context.Background()
	t0    = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	cycle = okrs.QuarterOf(t0)
)

// objective returns a valid objective for ws with n key results owned in turn
// by U1 and U2.
func objective(ws, team string, n int) *okrs.Objective {
	o := &okrs.Objective{
		Workspace: ws, Team: team, Cycle: cycle.Name, Title: "Delight new customers",
		Owner: "U1", CreatedBy: "U1", CreatedAt: t0,
	}
	for i := range n {
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{
			Title: fmt.Sprintf("KR %d", i+1), Owner: []string{"U1", "U2"}[i%2],
			Kind: okrs.Increase, Unit: okrs.Number, Start: 10, Target: 110,
		})
	}
	return o
}

func mustCreate(t testing.TB, s *store.Store, o *okrs.Objective) *okrs.Objective {
	t.Helper()
	o.Normalize()
	if err := o.Validate(cycle); err != nil {
		t.Fatalf("invalid fixture: %v", err)
	}
	if err := s.CreateObjective(ctx, o); err != nil {
		t.Fatalf("CreateObjective: %v", err)
	}
	return o
}

func checkIn(kr, author string, at time.Time, v float64) okrs.CheckIn {
	return okrs.CheckIn{KeyResultID: kr, Author: author, At: at, Value: v,
		Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Good week: two launches and one outage."}
}

func TestCreateAndGetObjective(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 3))
	if o.ID == "" || o.KeyResults[0].ID == "" || o.KeyResults[0].ObjectiveID != o.ID {
		t.Fatalf("ids not assigned: %+v", o)
	}
	got, err := s.Objective(ctx, ws, o.ID)
	if err != nil {
		t.Fatalf("Objective: %v", err)
	}
	if got.Title != o.Title || got.Team != "C1" || got.Cycle != cycle.Name || got.Workspace != ws || !got.CreatedAt.Equal(t0) {
		t.Errorf("got %+v, want the created objective", got)
	}
	if len(got.KeyResults) != 3 || got.KeyResults[1].Owner != "U2" || got.KeyResults[1].Current != 10 || got.KeyResults[1].Target != 110 {
		t.Errorf("key results = %+v", got.KeyResults)
	}

	t.Run("not found in another workspace", func(t *testing.T) {
		_, err := s.Objective(ctx, storetest.Workspace(), o.ID)
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			t.Errorf("got err %v, want not_found", err)
		}
	})
	t.Run("missing parent", func(t *testing.T) {
		child := objective(ws, "C1", 1)
		child.ParentID = "nosuch"
		err := s.CreateObjective(ctx, child)
		if fe := okrs.FieldErrors(err); len(fe) != 1 || fe[0].Field != okrs.FieldParent {
			t.Errorf("got err %v, want a field error on parent", err)
		}
	})
	t.Run("parent in the same workspace", func(t *testing.T) {
		child := objective(ws, "C2", 1)
		child.ParentID = o.ID
		child.CreatedAt = t0.Add(time.Hour)
		mustCreate(t, s, child)
		got, _ := s.Objective(ctx, ws, child.ID)
		if got.ParentID != o.ID {
			t.Errorf("ParentID = %q, want %q", got.ParentID, o.ID)
		}
	})
	t.Run("every team's objectives of a cycle", func(t *testing.T) {
		all, err := s.CycleObjectives(ctx, ws, cycle.Name)
		if err != nil || len(all) != 2 || all[0].ID != o.ID {
			t.Errorf("CycleObjectives = %d objectives, %v; want 2, oldest first", len(all), err)
		}
		if none, _ := s.CycleObjectives(ctx, ws, "2031-Q1"); len(none) != 0 {
			t.Errorf("CycleObjectives of an empty cycle = %d", len(none))
		}
	})
	t.Run("workspace and team indexes", func(t *testing.T) {
		teams, err := s.Teams(ctx, ws)
		if err != nil || fmt.Sprint(teams) != "[C1 C2]" {
			t.Errorf("Teams = %v, %v; want [C1 C2]", teams, err)
		}
		wss, err := s.Workspaces(ctx)
		if err != nil || fmt.Sprint(wss) != fmt.Sprint([]string{ws}) {
			t.Errorf("Workspaces = %v, %v; want [%s]", wss, err, ws)
		}
	})
}

func TestUpdateObjective(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2))
	krID := o.KeyResults[0].ID
	later := t0.Add(48 * time.Hour)

	t.Run("edit title and target keeps target history", func(t *testing.T) {
		got, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.Title = "Delight every new customer"
			o.KeyResult(krID).SetTarget(150, "U9", later)
			return nil
		})
		if err != nil {
			t.Fatalf("UpdateObjective: %v", err)
		}
		reread, _ := s.Objective(ctx, ws, o.ID)
		for _, x := range []*okrs.Objective{got, reread} {
			kr := x.KeyResult(krID)
			if x.Title != "Delight every new customer" || kr.Target != 150 || len(kr.TargetHistory) != 1 ||
				kr.TargetHistory[0].From != 110 || kr.TargetHistory[0].To != 150 || kr.TargetHistory[0].By != "U9" || !kr.TargetHistory[0].At.Equal(later) {
				t.Errorf("after update: title %q, KR %+v", x.Title, kr)
			}
		}
	})
	t.Run("add a key result", func(t *testing.T) {
		got, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: "New", Owner: "U3", Kind: okrs.Increase, Unit: okrs.Number, Start: 1, Target: 2})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		added := got.KeyResults[2]
		if added.ID == "" || added.Current != 1 {
			t.Errorf("added KR = %+v, want an id and current = start", added)
		}
		mine, _ := s.OwnedObjectives(ctx, ws, "U3")
		if len(mine) != 1 || mine[0].ID != o.ID {
			t.Errorf("OwnedObjectives(U3) = %d objectives, want the one", len(mine))
		}
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(added.ID, "U3", later, 2)}); err != nil {
			t.Errorf("check-in on the added KR: %v", err)
		}
	})
	t.Run("change owner moves the person index", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.KeyResult(krID).Owner = "U7"
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		u7, _ := s.OwnedObjectives(ctx, ws, "U7")
		u1, _ := s.OwnedObjectives(ctx, ws, "U1")
		if len(u7) != 1 || len(u1) != 0 {
			t.Errorf("OwnedObjectives: U7 %d, U1 %d; want 1 and 0", len(u7), len(u1))
		}
	})
	t.Run("an error from update writes nothing", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.Title = "Should not land"
			return okrs.Invalid(okrs.FieldTitle, "no")
		})
		if okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
		got, _ := s.Objective(ctx, ws, o.ID)
		if got.Title == "Should not land" {
			t.Error("aborted update was written")
		}
	})
	t.Run("key results cannot be removed", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.KeyResults = o.KeyResults[1:]
			return nil
		})
		if okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("err = %v, want invalid", err)
		}
	})
	t.Run("move to another team", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Team = "C9"; return nil }); err != nil {
			t.Fatal(err)
		}
		c1, _ := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 0)
		c9, _ := s.TeamObjectives(ctx, ws, "C9", cycle.Name, 0)
		if len(c1) != 0 || len(c9) != 1 {
			t.Errorf("TeamObjectives: C1 %d, C9 %d; want 0 and 1", len(c1), len(c9))
		}
	})
	t.Run("unknown objective", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, "nosuch", func(*okrs.Objective) error { return nil })
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			t.Errorf("err = %v, want not_found", err)
		}
	})
}

func TestArchive(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2))
	keep := mustCreate(t, s, objective(ws, "C1", 1))

	t.Run("a key result", func(t *testing.T) {
		kr := o.KeyResults[1].ID
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.KeyResult(kr).Archived = true; return nil }); err != nil {
			t.Fatal(err)
		}
		_, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr, "U2", t0, 20)})
		if okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("check-in on archived KR: err = %v, want invalid", err)
		}
		if mine, _ := s.OwnedObjectives(ctx, ws, "U2"); len(mine) != 0 {
			t.Errorf("U2 still owns %d objectives", len(mine))
		}
	})
	t.Run("an objective", func(t *testing.T) {
		_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
			o.Archived, o.ArchivedBy, o.ArchivedAt = true, "U1", t0
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		team, _ := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 0)
		if len(team) != 1 || team[0].ID != keep.ID {
			t.Errorf("TeamObjectives after archive = %d objectives, want only the other one", len(team))
		}
		_, err = s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(o.KeyResults[0].ID, "U1", t0, 20)})
		if okrs.ErrorCode(err) != okrs.EINVALID {
			t.Errorf("check-in on archived objective: err = %v, want invalid", err)
		}
		got, _ := s.Objective(ctx, ws, o.ID)
		if !got.Archived || got.ArchivedBy != "U1" {
			t.Errorf("archived objective reads %+v", got)
		}
	})
	t.Run("and back", func(t *testing.T) {
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.Archived = false; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(o.KeyResults[0].ID, "U1", t0, 20)}); err != nil {
			t.Errorf("check-in after unarchive: %v", err)
		}
		team, _ := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 0)
		if len(team) != 2 {
			t.Errorf("TeamObjectives = %d, want 2", len(team))
		}
	})
}

func TestRecordCheckIns(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 2))
	kr1, kr2 := o.KeyResults[0].ID, o.KeyResults[1].ID

	stored, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{
		checkIn(kr1, "U1", t0.Add(time.Hour), 30),
		checkIn(kr2, "U2", t0.Add(time.Hour), 50),
	})
	if err != nil || len(stored) != 2 || stored[0].ID == "" {
		t.Fatalf("RecordCheckIns = %+v, %v", stored, err)
	}
	// A newer and then an older (late) check-in on kr1.
	if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr1, "U1", t0.Add(3*time.Hour), 40)}); err != nil {
		t.Fatal(err)
	}
	late := checkIn(kr1, "U1", t0.Add(2*time.Hour), 35)
	late.Confidence = okrs.Confidence{Level: okrs.AtRisk}
	if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{late}); err != nil {
		t.Fatal(err)
	}

	hist, err := s.CheckIns(ctx, ws, kr1, -1)
	if err != nil || len(hist) != 3 {
		t.Fatalf("CheckIns = %d, %v; want 3", len(hist), err)
	}
	if hist[0].Value != 35 || hist[1].Value != 40 || hist[2].Value != 30 {
		t.Errorf("history (newest recorded first) = %v %v %v, want 35 40 30", hist[0].Value, hist[1].Value, hist[2].Value)
	}
	c := hist[2]
	if c.Author != "U1" || !c.At.Equal(t0.Add(time.Hour)) || c.Confidence != (okrs.Confidence{Level: okrs.OnTrack}) || c.Comment == "" || c.KeyResultID != kr1 {
		t.Errorf("stored check-in = %+v", c)
	}
	got, _ := s.Objective(ctx, ws, o.ID)
	kr := got.KeyResult(kr1)
	if kr.Current != 40 || kr.LastAuthor != "U1" || !kr.LastCheckIn.Equal(t0.Add(3*time.Hour)) || kr.Confidence.Level != okrs.OnTrack {
		t.Errorf("live state = %v by %s at %v (%v); want the newest: 40 by U1", kr.Current, kr.LastAuthor, kr.LastCheckIn, kr.Confidence)
	}
	if p := got.Progress(); math.Abs(p-(0.3+0.4)/2) > 1e-9 {
		t.Errorf("objective progress = %v, want 0.35", p)
	}

	t.Run("limit", func(t *testing.T) {
		one, _ := s.CheckIns(ctx, ws, kr1, 1)
		if len(one) != 1 || one[0].Value != 35 {
			t.Errorf("CheckIns limit 1 = %+v", one)
		}
	})
	t.Run("all or nothing", func(t *testing.T) {
		_, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr2, "U2", t0.Add(5*time.Hour), 99), checkIn("nosuch", "U1", t0, 1)})
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			t.Errorf("err = %v, want not_found", err)
		}
		h, _ := s.CheckIns(ctx, ws, kr2, -1)
		if len(h) != 1 {
			t.Errorf("kr2 history has %d entries, want 1 (nothing stored)", len(h))
		}
	})
	t.Run("only on one's own key results", func(t *testing.T) {
		// U1 checks in on its own kr1 and on U2's kr2 at once: nothing is
		// stored. The check and the write are one step: an owner changed a
		// moment ago is judged as they are now.
		_, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr1, "U1", t0.Add(6*time.Hour), 77), checkIn(kr2, "U1", t0.Add(6*time.Hour), 77)})
		if okrs.ErrorCode(err) != okrs.EFORBIDDEN {
			t.Errorf("err = %v, want forbidden", err)
		}
		if h, _ := s.CheckIns(ctx, ws, kr1, 1); len(h) == 1 && h[0].Value == 77 {
			t.Error("a refused batch stored a check-in")
		}
		if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error { o.KeyResult(kr2).Owner = "U1"; return nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr2, "U2", t0.Add(6*time.Hour), 78)}); okrs.ErrorCode(err) != okrs.EFORBIDDEN {
			t.Errorf("the former owner's check-in: err = %v, want forbidden", err)
		}
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr2, "U1", t0.Add(6*time.Hour), 79)}); err != nil {
			t.Errorf("the new owner's check-in: %v", err)
		}
	})
	t.Run("another workspace cannot check in", func(t *testing.T) {
		_, err := s.RecordCheckIns(ctx, storetest.Workspace(), []okrs.CheckIn{checkIn(kr1, "U1", t0, 1)})
		if okrs.ErrorCode(err) != okrs.ENOTFOUND {
			t.Errorf("err = %v, want not_found", err)
		}
	})
}

func TestConcurrentCheckInsLoseNothing(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 1))
	kr := o.KeyResults[0].ID
	const workers, each = 20, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				// Every pair of workers shares timestamps: same-moment check-ins.
				at := t0.Add(time.Duration(n/2) * time.Minute)
				if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(kr, "U1", at, float64(n))}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("RecordCheckIns: %v", err)
	}
	hist, err := s.CheckIns(ctx, ws, kr, -1)
	if err != nil || len(hist) != workers*each {
		t.Fatalf("history has %d check-ins (%v), want %d", len(hist), err, workers*each)
	}
	seen := map[float64]bool{}
	for _, c := range hist {
		seen[c.Value] = true
	}
	if len(seen) != workers*each {
		t.Errorf("%d distinct check-ins, want %d", len(seen), workers*each)
	}
	got, _ := s.Objective(ctx, ws, o.ID)
	newest := t0.Add(time.Duration((workers*each-1)/2) * time.Minute)
	if cur := got.KeyResults[0]; !cur.LastCheckIn.Equal(newest) || (cur.Current != workers*each-1 && cur.Current != workers*each-2) {
		t.Errorf("current = %v at %v, want one of the newest (%v)", cur.Current, cur.LastCheckIn, newest)
	}
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	o := mustCreate(t, s, objective(ws, "C1", 1))
	var wg sync.WaitGroup
	const n = 12
	for i := range n {
		wg.Go(func() {
			_, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
				o.Description += fmt.Sprintf("[%d]", i)
				return nil
			})
			if err != nil {
				t.Errorf("UpdateObjective: %v", err)
			}
		})
	}
	// Check-ins racing the edits must not be lost either.
	wg.Go(func() {
		for i := range n {
			if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(o.KeyResults[0].ID, "U1", t0.Add(time.Duration(i)*time.Second), float64(i))}); err != nil {
				t.Errorf("RecordCheckIns: %v", err)
			}
		}
	})
	wg.Wait()
	got, _ := s.Objective(ctx, ws, o.ID)
	for i := range n {
		if want := fmt.Sprintf("[%d]", i); !strings.Contains(got.Description, want) {
			t.Errorf("description %q lost edit %s", got.Description, want)
		}
	}
	if got.KeyResults[0].Current != n-1 {
		t.Errorf("current = %v, want %d", got.KeyResults[0].Current, n-1)
	}
}

func TestTeamObjectives(t *testing.T) {
	s, rdb := storetest.Store(t)
	ws := storetest.Workspace()
	var ids []string
	for i := range 4 {
		o := objective(ws, "C1", 3)
		o.CreatedAt = t0.Add(time.Duration(i) * time.Hour)
		o.Title = fmt.Sprintf("Objective %d", i)
		mustCreate(t, s, o)
		ids = append(ids, o.ID)
		for w := range 3 {
			s.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(o.KeyResults[0].ID, "U1", t0.Add(time.Duration(w)*7*24*time.Hour), float64(20+w*10))})
		}
	}
	other := objective(ws, "C2", 1)
	mustCreate(t, s, other)
	next := objective(ws, "C1", 1)
	next.Cycle = "2027-Q1"
	nextCycle, _ := okrs.ParseCycle("2027-Q1")
	next.Normalize()
	if err := next.Validate(nextCycle); err != nil {
		t.Fatal(err)
	}
	s.CreateObjective(ctx, next)

	if n, err := s.CountTeamObjectives(ctx, ws, "C1", cycle.Name); n != 4 || err != nil {
		t.Errorf("CountTeamObjectives = %d, %v; want 4", n, err)
	}
	rt := storetest.CountRoundTrips(rdb)
	got, err := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 2)
	if err != nil {
		t.Fatal(err)
	}
	if n := rt.Load(); n > 3 {
		t.Errorf("TeamObjectives took %d round trips, want ≤ 3", n)
	}
	if len(got) != 4 {
		t.Fatalf("got %d objectives, want 4", len(got))
	}
	for i, o := range got {
		if o.ID != ids[i] {
			t.Errorf("objective %d = %s, want %s (oldest first)", i, o.ID, ids[i])
		}
	}
	kr := got[0].KeyResults[0]
	if len(kr.CheckIns) != 2 || kr.CheckIns[0].Value != 40 || kr.Current != 40 {
		t.Errorf("first KR: %d check-ins (newest %v), current %v; want 2, 40, 40", len(kr.CheckIns), kr.CheckIns, kr.Current)
	}
	none, _ := s.TeamObjectives(ctx, ws, "C1", cycle.Name, 0)
	if none[0].KeyResults[0].CheckIns != nil {
		t.Errorf("history 0 loaded %d check-ins", len(none[0].KeyResults[0].CheckIns))
	}
	empty, err := s.TeamObjectives(ctx, ws, "C404", cycle.Name, -1)
	if err != nil || len(empty) != 0 {
		t.Errorf("unknown team: %v, %v", empty, err)
	}
}

func TestSettings(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	if _, err := s.Settings(ctx, ws, "C1"); okrs.ErrorCode(err) != okrs.ENOTFOUND {
		t.Errorf("unsaved settings: err = %v, want not_found", err)
	}
	want := okrs.DefaultSettings("Europe/Berlin")
	want.Cadence = okrs.Biweekly
	want.PromptDay, want.PromptTime = time.Tuesday, okrs.TimeOfDay{Hour: 9, Minute: 30}
	want.NudgeAfter = 0
	want.Managers = []string{"U1", "U2"}
	want.DigestChannel = "C77"
	want.PostCheckIns = true
	want.DirectKeyResults = true
	want.UpdatedBy, want.UpdatedAt = "U1", t0
	if err := s.SaveSettings(ctx, ws, "C1", want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Settings(ctx, ws, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Settings round trip:\n got %+v\nwant %+v", got, want)
	}
	if teams, _ := s.Teams(ctx, ws); fmt.Sprint(teams) != "[C1]" {
		t.Errorf("Teams = %v, want [C1]", teams)
	}
}

func TestOnce(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	first, err := s.Once(ctx, ws, "event:Ev1", time.Hour)
	if err != nil || !first {
		t.Fatalf("first Once = %v, %v; want true", first, err)
	}
	if again, _ := s.Once(ctx, ws, "event:Ev1", time.Hour); again {
		t.Error("second Once = true, want false")
	}
	if other, _ := s.Once(ctx, storetest.Workspace(), "event:Ev1", time.Hour); !other {
		t.Error("the same key in another workspace was taken")
	}
}

func TestPeopleFacts(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	if ref, err := s.LastPrompt(ctx, ws, "C1", "U1"); err != nil || ref != (okrs.PromptRef{}) {
		t.Errorf("LastPrompt before any = %+v, %v", ref, err)
	}
	want := okrs.PromptRef{Period: "2026-11-16", Posted: okrs.Posted{Channel: "D1", TS: "123.456"}}
	if err := s.SetLastPrompt(ctx, ws, "C1", "U1", want, time.Hour); err != nil {
		t.Fatal(err)
	}
	if ref, err := s.LastPrompt(ctx, ws, "C1", "U1"); err != nil || ref != want {
		t.Errorf("LastPrompt = %+v, %v; want %+v", ref, err, want)
	}
	if ref, _ := s.LastPrompt(ctx, ws, "C2", "U1"); ref != (okrs.PromptRef{}) {
		t.Errorf("another team's last prompt = %+v", ref)
	}
	if ch, err := s.DMChannel(ctx, ws, "U1"); ch != "" || err != nil {
		t.Errorf("DMChannel before any = %q, %v", ch, err)
	}
	if err := s.SetDMChannel(ctx, ws, "U1", "D1"); err != nil {
		t.Fatal(err)
	}
	if ch, _ := s.DMChannel(ctx, ws, "U1"); ch != "D1" {
		t.Errorf("DMChannel = %q, want D1", ch)
	}
	if seen, err := s.HomeOpened(ctx, ws, "U1"); seen || err != nil {
		t.Errorf("HomeOpened before = %v, %v", seen, err)
	}
	if err := s.MarkHomeOpened(ctx, ws, "U1", time.Hour); err != nil {
		t.Fatal(err)
	}
	if seen, _ := s.HomeOpened(ctx, ws, "U1"); !seen {
		t.Error("HomeOpened after MarkHomeOpened = false")
	}
}

func TestCheckInMemory(t *testing.T) {
	if storetest.IsMiniredis(t) {
		t.Skip("MEMORY USAGE needs a real Redis server")
	}
	s, rdb := storetest.Store(t)
	ws := storetest.Workspace()
	perCheckIn := checkInMemory(t, s, rdb, ws)
	t.Logf("Redis memory per check-in with a 40-character comment: %.0f bytes", perCheckIn)
	if perCheckIn > 250 {
		t.Errorf("%.0f bytes per check-in, want ≤ 250", perCheckIn)
	}
}

func TestDeliveries(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	sent := okrs.Delivery{State: okrs.DeliverySent, Posted: okrs.Posted{Channel: "D1", TS: "123.4"}}
	if d, err := s.Delivery(ctx, ws, "p"); d.State != okrs.DeliveryNone || err != nil {
		t.Fatalf("unclaimed delivery = %+v, %v", d, err)
	}
	if ok, _, err := s.ClaimDelivery(ctx, ws, "p", "tokA", time.Minute); !ok || err != nil {
		t.Fatalf("first claim = %v, %v", ok, err)
	}
	if ok, cur, _ := s.ClaimDelivery(ctx, ws, "p", "tokB", time.Minute); ok || cur.State != okrs.DeliveryClaimed {
		t.Errorf("a second holder's claim = %v, %+v; want refused, claimed", ok, cur)
	}
	if ok, _ := s.SettleDelivery(ctx, ws, "p", "tokB", sent, time.Hour); ok {
		t.Error("Settle by a non-holder succeeded")
	}
	if ok, _ := s.ReleaseDelivery(ctx, ws, "p", "tokB"); ok {
		t.Error("Release by a non-holder succeeded")
	}
	if ok, err := s.SettleDelivery(ctx, ws, "p", "tokA", sent, time.Hour); !ok || err != nil {
		t.Fatalf("Settle by the holder = %v, %v", ok, err)
	}
	if d, _ := s.Delivery(ctx, ws, "p"); d != sent || !d.Settled() {
		t.Errorf("after Settle: %+v, want %+v", d, sent)
	}
	if ok, cur, _ := s.ClaimDelivery(ctx, ws, "p", "tokC", time.Minute); ok || cur != sent {
		t.Errorf("claiming a sent delivery = %v, %+v; want refused with where it went", ok, cur)
	}
	if ok, _ := s.ReleaseDelivery(ctx, ws, "p", "tokA"); ok {
		t.Error("a settled claim was released by its old token")
	}
	if _, err := s.SettleDelivery(ctx, ws, "p", "tokA", okrs.Delivery{State: okrs.DeliveryClaimed}, time.Hour); err == nil {
		t.Error("settling as claimed was accepted")
	}
	s.ClaimDelivery(ctx, ws, "q", "tokA", time.Minute)
	if ok, _ := s.ReleaseDelivery(ctx, ws, "q", "tokA"); !ok {
		t.Error("Release by the holder failed")
	}
	if ok, _, _ := s.ClaimDelivery(ctx, ws, "q", "tokB", time.Minute); !ok {
		t.Error("a released claim could not be claimed again")
	}
	for _, st := range []okrs.DeliveryState{okrs.DeliveryGone, okrs.DeliveryFailed} {
		key := "r-" + string(st)
		s.ClaimDelivery(ctx, ws, key, "tok", time.Minute)
		s.SettleDelivery(ctx, ws, key, "tok", okrs.Delivery{State: st}, time.Hour)
		if d, _ := s.Delivery(ctx, ws, key); d.State != st || !d.Settled() {
			t.Errorf("settled %s: %+v", st, d)
		}
		if ok, _, _ := s.ClaimDelivery(ctx, ws, key, "tok2", time.Minute); ok {
			t.Errorf("a %s delivery was claimed again", st)
		}
		if ok, _, err := s.RetryDelivery(ctx, ws, key, "tok2", time.Minute); !ok || err != nil {
			t.Errorf("RetryDelivery of a %s delivery = %v, %v; want claimed", st, ok, err)
		}
	}
	if ok, cur, _ := s.RetryDelivery(ctx, ws, "p", "tok3", time.Minute); ok || cur != sent {
		t.Errorf("RetryDelivery of a sent delivery = %v, %+v; want refused", ok, cur)
	}

	if earlier, err := s.NoteAttempt(ctx, ws, "p", "replica-1", time.Hour); earlier || err != nil {
		t.Errorf("first attempt: earlier = %v, %v", earlier, err)
	}
	if earlier, _ := s.NoteAttempt(ctx, ws, "p", "replica-2", time.Hour); !earlier {
		t.Error("second attempt did not see the first")
	}
	for want := 1; want <= 3; want++ {
		if n, err := s.CountFailure(ctx, ws, "p", time.Hour); n != want || err != nil {
			t.Errorf("CountFailure = %d, %v; want %d", n, err, want)
		}
	}
}

func TestLease(t *testing.T) {
	s, _ := storetest.Store(t)
	if ok, err := s.AcquireLease(ctx, "sched", "a", time.Minute); !ok || err != nil {
		t.Fatalf("a: %v %v", ok, err)
	}
	if ok, _ := s.AcquireLease(ctx, "sched", "b", time.Minute); ok {
		t.Error("b took a's lease")
	}
	if ok, _ := s.AcquireLease(ctx, "sched", "a", time.Minute); !ok {
		t.Error("a could not renew")
	}
	if err := s.ReleaseLease(ctx, "sched", "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.AcquireLease(ctx, "sched", "b", time.Minute); ok {
		t.Error("b's release freed a's lease")
	}
	s.ReleaseLease(ctx, "sched", "a")
	if ok, _ := s.AcquireLease(ctx, "sched", "b", 50*time.Millisecond); !ok {
		t.Error("b could not take a released lease")
	}
	if storetest.IsMiniredis(t) {
		return
	}
	time.Sleep(120 * time.Millisecond)
	if ok, _ := s.AcquireLease(ctx, "sched", "a", time.Minute); !ok {
		t.Error("a could not take an expired lease")
	}
}

// TestUpdateSettingsJudgesWhatItReplaces: a permission check made inside
// UpdateSettings sees a concurrent change. Here a manager is removed between
// the first read and the write: the update is tried again on the fresh
// settings, refuses, and the concurrent change stands.
func TestUpdateSettingsJudgesWhatItReplaces(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	st := okrs.DefaultSettings("UTC")
	st.Managers = []string{"U1", "U2"}
	if err := s.SaveSettings(ctx, ws, "C1", st); err != nil {
		t.Fatal(err)
	}
	calls := 0
	_, err := s.UpdateSettings(ctx, ws, "C1", func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		calls++
		if !found {
			t.Fatal("saved settings not found")
		}
		if calls == 1 { // meanwhile, U2 removes U1 from the managers
			removed := cur
			removed.Managers = []string{"U2"}
			if err := s.SaveSettings(ctx, ws, "C1", removed); err != nil {
				t.Fatal(err)
			}
		}
		if !cur.MayManage("U1", false, true) {
			return cur, okrs.Errorf(okrs.EFORBIDDEN, "not a manager")
		}
		cur.Timezone = "Europe/Berlin"
		return cur, nil
	})
	if okrs.ErrorCode(err) != okrs.EFORBIDDEN || calls != 2 {
		t.Fatalf("UpdateSettings = %v after %d calls; want forbidden after 2", err, calls)
	}
	got, _ := s.Settings(ctx, ws, "C1")
	if got.Timezone != "UTC" || fmt.Sprint(got.Managers) != "[U2]" {
		t.Errorf("settings = %s %v; want the concurrent change only", got.Timezone, got.Managers)
	}
	// A team without settings: found is false and the result is saved.
	saved, err := s.UpdateSettings(ctx, ws, "C9", func(cur okrs.Settings, found bool) (okrs.Settings, error) {
		if found {
			t.Error("found settings for a new team")
		}
		return okrs.DefaultSettings("Asia/Tokyo"), nil
	})
	if err != nil || saved.Timezone != "Asia/Tokyo" {
		t.Fatalf("first save = %+v, %v", saved, err)
	}
	if teams, _ := s.Teams(ctx, ws); fmt.Sprint(teams) != "[C1 C9]" {
		t.Errorf("Teams = %v", teams)
	}
}

func TestPendingSends(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	p := okrs.PendingSend{Key: "prompt:C1:2026-11-16:U1", Team: "C1", User: "U1", Since: t0}
	if err := s.SavePendingSend(ctx, ws, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.PendingSends(ctx, ws)
	if err != nil || len(got) != 1 || got[0].Key != p.Key || got[0].User != "U1" || got[0].Team != "C1" || !got[0].Since.Equal(t0) {
		t.Fatalf("PendingSends = %+v, %v; want %+v", got, err, p)
	}
	if other, _ := s.PendingSends(ctx, storetest.Workspace()); len(other) != 0 {
		t.Errorf("another workspace sees %d pending sends", len(other))
	}
	if err := s.DropPendingSend(ctx, ws, p.Key); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.PendingSends(ctx, ws); len(got) != 0 {
		t.Errorf("after Drop: %+v", got)
	}
}
