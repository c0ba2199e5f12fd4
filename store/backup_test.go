package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// backupFixture writes a workspace through the store's own methods: two
// teams with settings (managers, a recorded and closed cycle), objectives
// with key results, check-ins, a target change with its reason, a kind and
// a due-date change, proposals accepted, declined and pending, a grading,
// a shared objective aligned to a parent, an archived objective and an
// archived key result. It returns the workspace.
func backupFixture(t *testing.T, s *store.Store) string {
	t.Helper()
	ws := storetest.Workspace()
	st := okrs.DefaultSettings("Europe/Berlin")
	st.Managers = []string{"U1", "U3"}
	st.Cadence, st.PromptDay, st.PostCheckIns, st.DirectKeyResults = okrs.Biweekly, time.Tuesday, true, true
	st.DigestChannel = "C9"
	st.UpdatedBy, st.UpdatedAt = "U1", t0.Add(time.Minute)
	st.Cycles = []okrs.Cycle{
		{Name: "2026-Q3", Start: okrs.Date(2026, 7, 1), End: okrs.Date(2026, 9, 20), ClosedAt: time.Date(2026, 9, 20, 15, 4, 5, 123e6, time.UTC)},
		cycle,
	}
	st.Holidays = []okrs.Holiday{{From: okrs.Date(2026, 12, 24), To: okrs.Date(2026, 12, 26)}, {From: okrs.Date(2027, 1, 1), To: okrs.Date(2027, 1, 1)}}
	if err := s.SaveSettings(ctx, ws, "C1", st); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, ws, "C2", okrs.DefaultSettings("UTC")); err != nil {
		t.Fatal(err)
	}
	// The digest archive, held prompts and an away record (until ten days
	// from the real now: an import skips records long over).
	for i, week := range []string{"2026-10-05", "2026-10-19"} {
		if err := s.RecordDigest(ctx, ws, okrs.DigestRecord{Team: "C1", Cycle: cycle.Name, Week: week, Channel: "C9", TS: fmt.Sprintf("1700000000.00010%d", i),
			PostedAt: t0.Add(time.Duration(i) * 14 * 24 * time.Hour), Objectives: 2, Progress: 0.25 * float64(i+1), Owners: 3, CheckedIn: 2, AtRisk: i}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.HoldPrompt(ctx, ws, "C1", okrs.HeldPrompt{User: "U2", Period: "2026-10-19", At: t0.Add(14 * 24 * time.Hour), Why: okrs.AwayStatus}); err != nil {
		t.Fatal(err)
	}
	back := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	if err := s.SetAway(ctx, ws, okrs.AwayRecord{User: "U2", Until: back, SetAt: back.Add(-12 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}

	parent := objective(ws, "C2", 1)
	parent.Title = "Be the easiest bank to join"
	parent.CreatedAt = t0.Add(-time.Hour)
	mustCreate(t, s, parent)

	o := objective(ws, "C1", 3)
	o.Description = "New customers feel at home in their first week.\nMeasured by “activation”."
	o.ParentID, o.SharedWith = parent.ID, []string{"C2"}
	o.KeyResults[1].Unit, o.KeyResults[1].Start, o.KeyResults[1].Target = okrs.Percent, 40, 60.5
	o.KeyResults[2].Kind, o.KeyResults[2].Unit, o.KeyResults[2].Currency = okrs.Decrease, okrs.Currency, "€"
	o.KeyResults[2].Start, o.KeyResults[2].Target, o.KeyResults[2].UnitLabel = 3200.25, 1800, "per week"
	o.KeyResults[0].Due = okrs.Date(2026, 11, 30)
	mustCreate(t, s, o)

	var cis []okrs.CheckIn
	for i := range 3 {
		at := t0.Add(time.Duration(i) * 7 * 24 * time.Hour).Add(1234 * time.Millisecond)
		c := checkIn(o.KeyResults[0].ID, "U1", at, float64(20+10*i))
		c.Confidence.Level = []okrs.Level{okrs.OnTrack, okrs.AtRisk, okrs.OffTrack}[i]
		c.Comment = []string{"Two launches & one outage <b>", "", "Blocked on the “KYC” vendor"}[i]
		cis = append(cis, c)
	}
	cis = append(cis, checkIn(o.KeyResults[1].ID, "U2", t0.Add(time.Hour), 42.5))
	for _, c := range cis {
		if _, err := s.RecordCheckIns(ctx, ws, []okrs.CheckIn{c}); err != nil {
			t.Fatal(err)
		}
	}

	later := t0.Add(48 * time.Hour)
	var pending string
	if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
		kr := &o.KeyResults[1]
		was := *kr
		kr.Target, kr.Kind, kr.Due = 70, okrs.StayAbove, okrs.Date(2026, 12, 15)
		kr.RecordChanges(&was, "U1", later, "New baseline after the pricing change")
		o.KeyResults[2].SetTarget(1500, "U3", later.Add(time.Minute))
		p1, err := o.Propose(okrs.KeyResult{Title: "Raise NPS", Kind: okrs.Increase, Unit: okrs.Number, Start: 20, Target: 40}, "U2", later, cycle)
		if err != nil {
			return err
		}
		p1.OwnerDM, p1.ProposerDM = okrs.Posted{Channel: "D1", TS: "1700000000.000100"}, okrs.Posted{Channel: "D2", TS: "1700000000.000200"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
		adj := o.Proposals[0].KeyResult
		adj.Target = 45
		if _, err := o.Accept(o.Proposals[0].ID, "U1", later.Add(time.Hour), &adj, cycle); err != nil {
			return err
		}
		p2, err := o.Propose(okrs.KeyResult{Title: "Ship the referral program", Kind: okrs.Milestone}, "U3", later, cycle)
		if err != nil {
			return err
		}
		p2.State, p2.DecidedBy, p2.DecidedAt, p2.Reason = okrs.ProposalDeclined, "U1", later.Add(2*time.Hour), "An output, not an outcome"
		p3, err := o.Propose(okrs.KeyResult{Title: "Cut time to first payment", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "days", Start: 9, Target: 3}, "U2", later, cycle)
		pending = p3.KeyResult.Title
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_ = pending
	if _, err := s.UpdateObjective(ctx, ws, o.ID, func(o *okrs.Objective) error {
		o.KeyResults[2].Archived = true
		grades := map[string]okrs.Grade{}
		for _, kr := range o.Active() {
			grades[kr.ID] = 0.7
		}
		return o.Apply(okrs.Grading{By: "U1", Note: "Activation is a team sport.", Grades: grades}, later.Add(3*time.Hour))
	}); err != nil {
		t.Fatal(err)
	}

	gone := objective(ws, "C1", 2)
	gone.Title = "An objective we dropped"
	gone.CreatedAt = t0.Add(time.Second)
	mustCreate(t, s, gone)
	if _, err := s.UpdateObjective(ctx, ws, gone.ID, func(o *okrs.Objective) error {
		o.Archived, o.ArchivedBy, o.ArchivedAt = true, "U1", later
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ws
}

func exportJSON(t *testing.T, s *store.Store, ws string) []byte {
	t.Helper()
	w, err := s.ExportWorkspace(ctx, ws)
	if err != nil {
		t.Fatalf("ExportWorkspace: %v", err)
	}
	b, err := store.MarshalBackup(store.NewBackup(t0, w))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func importJSON(t *testing.T, s *store.Store, data []byte, replace bool) error {
	t.Helper()
	b, err := store.DecodeBackup(bytes.NewReader(data))
	if err != nil {
		return err
	}
	for _, w := range b.Workspaces {
		if _, err := s.ImportWorkspace(ctx, w, replace, false); err != nil {
			return err
		}
	}
	return nil
}

// prefixKeys returns the keys under a store's prefix.
func prefixKeys(t *testing.T, rdb redis.UniversalClient, prefix string) []string {
	t.Helper()
	keys, err := storetest.Keys(ctx, rdb, prefix+":*")
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestBackupRoundTrip(t *testing.T) {
	src, _ := storetest.Store(t)
	ws := backupFixture(t, src)
	first := exportJSON(t, src, ws)

	for _, want := range []string{`"format": "okrbot-backup"`, `"schema_version": 1`, `"reason": "New baseline after the pricing change"`,
		`"state": "declined"`, `"state": "pending"`, `"note": "Activation is a team sport."`, `"archived": true`, `"managers": [`,
		`"closed_at": "2026-09-20T15:04:05.123Z"`, `"comment": "Two launches & one outage <b>"`, `"owner_dm": {`, `"field": "kind"`, `"to_due": "2026-12-15"`,
		`"holidays": [`, `"from": "2026-12-24"`, `"week": "2026-10-19"`, `"at_risk": 1`, `"held_prompts": [`, `"why": "status"`, `"away": [`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}

	dst, rdb := storetest.Store(t)
	if err := importJSON(t, dst, first, false); err != nil {
		t.Fatalf("import: %v", err)
	}
	second := exportJSON(t, dst, ws)
	if !bytes.Equal(first, second) {
		t.Fatalf("export → import → export differs:\nfirst:\n%s\nsecond:\n%s", first, second)
	}

	// What the bot reads is the same in both.
	for _, team := range []string{"C1", "C2"} {
		a, err := src.TeamObjectives(ctx, ws, team, cycle.Name, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, err := dst.TeamObjectives(ctx, ws, team, cycle.Name, -1)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) == 0 || !sameObjectives(a, b) {
			t.Errorf("team %s: TeamObjectives differ after the round trip:\n%+v\n%+v", team, a, b)
		}
	}
	for _, user := range []string{"U1", "U2"} {
		a, _ := src.OwnedObjectives(ctx, ws, user)
		b, _ := dst.OwnedObjectives(ctx, ws, user)
		if len(a) != len(b) || len(a) == 0 {
			t.Errorf("OwnedObjectives(%s): %d before, %d after", user, len(a), len(b))
		}
	}
	a, _ := src.AwaitingDecision(ctx, ws, "U1")
	b, _ := dst.AwaitingDecision(ctx, ws, "U1")
	if len(a) != 1 || len(b) != 1 {
		t.Errorf("AwaitingDecision: %d before, %d after, want 1", len(a), len(b))
	}
	// A check-in after the restore is accepted: the owner indexes are back.
	o := b[0]
	if _, err := dst.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(o.KeyResults[0].ID, o.KeyResults[0].Owner, t0.Add(30*24*time.Hour), 55)}); err != nil {
		t.Errorf("check-in after the restore: %v", err)
	}
	// The digest archive, who was away and the holidays are back too.
	if recs, err := dst.Digests(ctx, ws, "C1", ""); err != nil || len(recs) != 2 || recs[0].Week != "2026-10-19" || recs[0].TS != "1700000000.000101" {
		t.Errorf("digest archive after the restore: %+v %v", recs, err)
	}
	if held, err := dst.HeldPrompts(ctx, ws, "C1"); err != nil || !okrs.AwayIn(held, "U2", "2026-10-19") {
		t.Errorf("held prompts after the restore: %+v %v", held, err)
	}
	if away, err := dst.AwayRecords(ctx, ws, []string{"U2"}); err != nil || away["U2"].Until.IsZero() {
		t.Errorf("away records after the restore: %+v %v", away, err)
	}
	if st, err := dst.Settings(ctx, ws, "C1"); err != nil || len(st.Holidays) != 2 {
		t.Errorf("holidays after the restore: %+v %v", st.Holidays, err)
	}
	if ws2, _ := dst.Workspaces(ctx); len(ws2) != 1 || ws2[0] != ws {
		t.Errorf("Workspaces after import = %v, want [%s]", ws2, ws)
	}
	if len(prefixKeys(t, rdb, dst.Prefix())) == 0 {
		t.Error("nothing under the new prefix")
	}
}

func sameObjectives(a, b []okrs.Objective) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Title != b[i].Title || len(a[i].KeyResults) != len(b[i].KeyResults) || a[i].Grade() != b[i].Grade() {
			return false
		}
		for j := range a[i].KeyResults {
			ka, kb := a[i].KeyResults[j], b[i].KeyResults[j]
			if ka.Current != kb.Current || ka.Confidence != kb.Confidence || !ka.LastCheckIn.Equal(kb.LastCheckIn) ||
				len(ka.CheckIns) != len(kb.CheckIns) || ka.Progress() != kb.Progress() || len(ka.TargetHistory) != len(kb.TargetHistory) {
				return false
			}
		}
	}
	return true
}

func TestImportRefusesExistingWorkspace(t *testing.T) {
	src, _ := storetest.Store(t)
	ws := backupFixture(t, src)
	data := exportJSON(t, src, ws)

	// The same store already has the workspace: refused, unchanged.
	err := importJSON(t, src, data, false)
	if !errors.Is(err, store.ErrWorkspaceExists) || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("import over existing data: err = %v, want ErrWorkspaceExists naming --replace", err)
	}
	if got := exportJSON(t, src, ws); !bytes.Equal(got, data) {
		t.Error("a refused import changed the data")
	}

	t.Run("replace", func(t *testing.T) {
		dst, _ := storetest.Store(t)
		other := objective(ws, "C7", 2)
		other.Title = "Data the backup replaces"
		mustCreate(t, dst, other)
		if err := dst.SaveSettings(ctx, ws, "C7", okrs.DefaultSettings("UTC")); err != nil {
			t.Fatal(err)
		}
		if _, err := dst.RecordCheckIns(ctx, ws, []okrs.CheckIn{checkIn(other.KeyResults[0].ID, "U1", t0, 20)}); err != nil {
			t.Fatal(err)
		}
		if err := importJSON(t, dst, data, false); !errors.Is(err, store.ErrWorkspaceExists) {
			t.Fatalf("err = %v, want refusal", err)
		}
		if err := importJSON(t, dst, data, true); err != nil {
			t.Fatalf("import --replace: %v", err)
		}
		if got := exportJSON(t, dst, ws); !bytes.Equal(got, data) {
			t.Errorf("after --replace the workspace is not the backup's:\n%s", got)
		}
		if _, err := dst.Objective(ctx, ws, other.ID); okrs.ErrorCode(err) != okrs.ENOTFOUND {
			t.Errorf("the replaced objective is still there (err %v)", err)
		}
		if objs, _ := dst.OwnedObjectives(ctx, ws, "U1"); len(objs) == 0 || slicesContainsID(objs, other.ID) {
			t.Errorf("OwnedObjectives after replace = %d objectives, the replaced one among them: %v", len(objs), slicesContainsID(objs, other.ID))
		}
		if teams, _ := dst.Teams(ctx, ws); strings.Contains(strings.Join(teams, ","), "C7") {
			t.Errorf("teams after replace = %v, still with C7", teams)
		}
	})
}

func slicesContainsID(objs []okrs.Objective, id string) bool {
	for _, o := range objs {
		if o.ID == id {
			return true
		}
	}
	return false
}

// TestImportRejectsBadFiles: every kind of mistake is named with its record
// and field, and nothing is written.
func TestImportRejectsBadFiles(t *testing.T) {
	src, _ := storetest.Store(t)
	ws := backupFixture(t, src)
	good := string(exportJSON(t, src, ws))
	w, _ := src.ExportWorkspace(ctx, ws)
	o1, o2 := w.Objectives[0], w.Objectives[1] // the parent, then the shared one
	kr := o2.KeyResults[0]

	cases := []struct {
		name, data string
		want       []string
	}{
		{"bad JSON", good[:len(good)/2], []string{"not valid JSON", "line"}},
		{"not an object", `[1, 2]`, []string{"is not a JSON object"}},
		{"wrong format name", strings.Replace(good, `"okrbot-backup"`, `"other-backup"`, 1), []string{"format", "not an okrbot backup"}},
		{"newer schema version", strings.Replace(good, `"schema_version": 1`, `"schema_version": 2`, 1), []string{"schema_version", "is 2, newer", "upgrade okrbot"}},
		{"missing exported_at", strings.Replace(good, `"exported_at": "2026-10-05T09:00:00Z",`, ``, 1), []string{"exported_at is missing"}},
		{"missing required field", strings.Replace(good, `"title": "`+o2.Title+`",`, ``, 1), []string{"objective 2 (" + o2.ID + ")", "title is missing"}},
		{"bad number", strings.Replace(good, `"start": 3200.25`, `"start": "lots"`, 1), []string{"objective 2 (" + o2.ID + "), key result 3 (" + o2.KeyResults[2].ID + ")", "start is not a number", `"lots"`}},
		{"bad time", strings.Replace(good, `"exported_at": "2026-10-05T09:00:00Z"`, `"exported_at": "yesterday"`, 1), []string{"exported_at is not a time"}},
		{"unknown field", strings.Replace(good, `"created_by": `, `"colour": "red", "created_by": `, 1), []string{"objective 1", "colour is not a field"}},
		{"a digest's week not a date", strings.Replace(good, `"week": "2026-10-05"`, `"week": "Oct 5"`, 1), []string{"team 1 (C1)", "digest 1", "week", "not a date"}},
		{"a digest's week twice", strings.Replace(good, `"week": "2026-10-19"`, `"week": "2026-10-05"`, 1), []string{"digest 2", "week is listed twice"}},
		{"a held prompt for no reason", strings.Replace(good, `"why": "status"`, `"why": "bored"`, 1), []string{"held prompt 1", "why", "bored"}},
		{"a holiday ending before it starts", strings.Replace(good, `"to": "2026-12-26"`, `"to": "2026-12-20"`, 1), []string{"settings", "holidays"}},
		{"unknown team in an objective", strings.Replace(good, `"team": "C2",`, `"team": "C404",`, 1), []string{"objective 1 (" + o1.ID + ")", "team", "C404", "not a team of this workspace"}},
		{"duplicate objective id", strings.Replace(good, `"id": "`+o2.ID+`"`, `"id": "`+o1.ID+`"`, 1), []string{"objective 2", "id is also objective 1's"}},
		{"duplicate key result id", strings.Replace(good, `"id": "`+o2.KeyResults[1].ID+`"`, `"id": "`+kr.ID+`"`, 1), []string{"key result 2", "is also a key result of objective " + o2.ID}},
		{"grade for an unknown key result", strings.Replace(good, `"`+kr.ID+`": 0.7`, `"KNOWN0T": 0.7`, 1), []string{"grading", "KNOWN0T", "not one of this objective's"}},
		{"duplicate check-in id", strings.Replace(good, `"id": "`+kr.CheckIns[1].ID+`"`, `"id": "`+kr.CheckIns[0].ID+`"`, 1), []string{"key result 1", "check-in 2", "id is also check-in 1's"}},
		{"check-in without a value", strings.Replace(good, `"value": 20,`, ``, 1), []string{"check-in 1", "value is missing"}},
		{"bad kind", strings.Replace(good, `"kind": "decrease"`, `"kind": "sideways"`, 1), []string{"kind", `"sideways"`}},
		{"bad confidence", strings.Replace(good, `"confidence": "at_risk"`, `"confidence": "meh"`, 1), []string{"confidence", `"meh"`}},
		{"unknown parent", strings.Replace(good, `"parent": "`+o1.ID+`"`, `"parent": "nope1"`, 1), []string{"objective 2", "parent", "not an objective of this workspace"}},
		{"bad settings", strings.Replace(good, `"prompt_day": "tuesday"`, `"prompt_day": "someday"`, 1), []string{"team 1 (C1), settings", "prompt_day"}},
		{"bad timezone", strings.Replace(good, `"timezone": "Europe/Berlin"`, `"timezone": "Mars/Olympus"`, 1), []string{"timezone", "Mars/Olympus"}},
		{"key with a brace", strings.Replace(good, `"id": "`+ws+`"`, `"id": "T{1}"`, 1), []string{"workspace 1", "id", "not an id"}},
		{"duplicate workspace", strings.Replace(good, `"workspaces": [`, `"workspaces": [{"id": "`+ws+`", "teams": [], "objectives": []},`, 1), []string{"workspace 2", "is also workspace 1's"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.data == good {
				t.Fatal("the case did not change the file")
			}
			dst, rdb := storetest.Store(t)
			err := importJSON(t, dst, []byte(tc.data), false)
			var be *store.BackupError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *store.BackupError", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("err = %q, want it to say %q", err, want)
				}
			}
			if keys := prefixKeys(t, rdb, dst.Prefix()); len(keys) > 0 {
				t.Errorf("a rejected file wrote %d keys: %v", len(keys), keys)
			}
		})
	}
}

// TestImportIsOneTransaction checks that every write of an import is in
// one MULTI/EXEC, and that a transaction that fails leaves the old data.
func TestImportIsOneTransaction(t *testing.T) {
	src, _ := storetest.Store(t)
	ws := backupFixture(t, src)
	data := exportJSON(t, src, ws)
	b, err := store.DecodeBackup(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("one MULTI/EXEC", func(t *testing.T) {
		dst, rdb := storetest.Store(t)
		rec := &recordHook{}
		addHook(rdb, rec)
		if _, err := dst.ImportWorkspace(ctx, b.Workspaces[0], false, false); err != nil {
			t.Fatal(err)
		}
		rec.stop()
		var txs int
		for _, p := range rec.pipelines {
			if p[0] == "multi" && p[len(p)-1] == "exec" {
				txs++
				continue
			}
			for _, c := range p {
				if isWrite(c) {
					t.Errorf("write %s outside the transaction (pipeline %v)", c, p)
				}
			}
		}
		for _, c := range rec.single {
			if isWrite(c) && c != "sadd" { // the global workspaces set, outside the workspace's slot
				t.Errorf("write %s outside the transaction", c)
			}
		}
		if txs != 1 {
			t.Errorf("%d transactions, want 1", txs)
		}
	})

	t.Run("a failed transaction leaves the old data", func(t *testing.T) {
		dst, rdb := storetest.Store(t)
		old := objective(ws, "C1", 2)
		old.Title = "The data before the restore"
		mustCreate(t, dst, old)
		before := exportJSON(t, dst, ws)
		fail := &failExecHook{}
		fail.on.Store(true)
		addHook(rdb, fail)
		_, err := dst.ImportWorkspace(ctx, b.Workspaces[0], true, false)
		fail.on.Store(false)
		if err == nil {
			t.Fatal("the import succeeded though its EXEC failed")
		}
		if !fail.hit.Load() {
			t.Fatal("the hook never saw the import's transaction")
		}
		if after := exportJSON(t, dst, ws); !bytes.Equal(before, after) {
			t.Errorf("a failed import changed the data:\n%s", after)
		}
	})

	t.Run("a concurrent write makes it start again", func(t *testing.T) {
		dst, rdb := storetest.Store(t)
		hook := &interleaveHook{do: func() {
			o := objective(ws, "C5", 1)
			o.Title = "Written while the import ran"
			if err := dst.CreateObjective(ctx, o); err != nil {
				t.Error(err)
			}
		}}
		addHook(rdb, hook)
		_, err := dst.ImportWorkspace(ctx, b.Workspaces[0], false, false)
		if !errors.Is(err, store.ErrWorkspaceExists) {
			t.Fatalf("err = %v, want the second attempt to find the workspace's new data and refuse", err)
		}
		w, _ := dst.ExportWorkspace(ctx, ws)
		if len(w.Objectives) != 1 || w.Objectives[0].Title != "Written while the import ran" {
			t.Errorf("after the refused import the workspace holds %d objectives, want only the concurrent one", len(w.Objectives))
		}
	})

	t.Run("dry run writes nothing", func(t *testing.T) {
		dst, rdb := storetest.Store(t)
		res, err := dst.ImportWorkspace(ctx, b.Workspaces[0], false, true)
		if err != nil {
			t.Fatal(err)
		}
		if res.Counts.Objectives != 3 || res.Counts.CheckIns != 4 || res.Keys == 0 {
			t.Errorf("dry run result = %+v", res)
		}
		if keys := prefixKeys(t, rdb, dst.Prefix()); len(keys) > 0 {
			t.Errorf("a dry run wrote %v", keys)
		}
	})
}
