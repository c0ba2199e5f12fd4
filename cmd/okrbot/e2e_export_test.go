package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
	"github.com/okrbot/okrbot/store"
)

// exportSheets unzips an export and parses each CSV file into records,
// checking the UTF-8 BOM first.
func exportSheets(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the export is not a zip: %v", err)
	}
	out := map[string][][]string{}
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(okrcsv.BOM)) {
			t.Errorf("%s has no UTF-8 BOM", f.Name)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(okrcsv.BOM)))).ReadAll()
		if err != nil {
			t.Fatalf("%s does not parse as CSV: %v", f.Name, err)
		}
		out[f.Name] = recs
	}
	return out
}

// rowsAsMaps turns records into one map (column → value) per data row.
func rowsAsMaps(recs [][]string) []map[string]string {
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// exportFixture stores #growth's history: this cycle's objective with two
// key results, check-ins by ana and ben (one comment a formula) and a
// target change with its reason; and last cycle's objective, archived.
func (e *env) exportFixture() (cur, old *okrs.Objective) {
	e.t.Helper()
	now := e.clock()
	cur = &okrs.Objective{Workspace: teamA, Team: growth, Cycle: okrs.QuarterOf(now).Name, Title: "Delight new customers", Owner: ana,
		CreatedBy: ana, CreatedAt: now.Add(-30 * 24 * time.Hour), KeyResults: []okrs.KeyResult{
			{Title: "Activation rate", Owner: ana, Kind: okrs.Increase, Unit: okrs.Percent, Start: 40, Target: 60},
			{Title: "Churn", Owner: ben, Kind: okrs.Decrease, Unit: okrs.Percent, Start: 5, Target: 3},
		}}
	cur.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, cur); err != nil {
		e.t.Fatal(err)
	}
	cis := []okrs.CheckIn{
		{KeyResultID: cur.KeyResults[0].ID, Author: ana, At: now.Add(-14 * 24 * time.Hour), Value: 45, Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Onboarding emails shipped"},
		{KeyResultID: cur.KeyResults[1].ID, Author: ben, At: now.Add(-7 * 24 * time.Hour), Value: 4.5, Confidence: okrs.Confidence{Level: okrs.AtRisk}, Comment: `=HYPERLINK("http://evil.example","click me")`},
	}
	for _, ci := range cis {
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{ci}); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := e.main.Store.UpdateObjective(e.ctx, teamA, cur.ID, func(o *okrs.Objective) error {
		kr := &o.KeyResults[0]
		was := *kr
		kr.Target = 65
		kr.RecordChanges(&was, ana, now.Add(-3*24*time.Hour), "new baseline after the pricing change")
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	old = &okrs.Objective{Workspace: teamA, Team: growth, Cycle: "2026-Q3", Title: "Launch self-serve", Owner: ben,
		CreatedBy: ben, CreatedAt: now.Add(-120 * 24 * time.Hour), KeyResults: []okrs.KeyResult{
			{Title: "Self-serve signups", Owner: ben, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 100},
		}}
	old.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, old); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.main.Store.UpdateObjective(e.ctx, teamA, old.ID, func(o *okrs.Objective) error {
		o.Archived, o.ArchivedBy, o.ArchivedAt = true, ben, now.Add(-60*24*time.Hour)
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	return cur, old
}

// /okr export answers at once, then uploads a zip of CSV files to the
// caller's DM: every cycle's objectives (archived ones too), one row per
// key result, every check-in with a formula neutralised, and the change.
func TestExportCSV(t *testing.T) {
	e := newEnv(t)
	cur, old := e.exportFixture()

	e.okr(teamA, ben, growth, "export")
	e.waitMessage(growth, "Preparing your export")
	dm := e.srv.DMChannel(ben)
	share := e.waitMessage(dm, "Your export of", "2 objectives", "3 key results", "2 check-ins")
	if len(share.Files) != 1 {
		t.Fatalf("the DM shares %d files, want 1", len(share.Files))
	}
	f, ok := e.srv.File(share.Files[0])
	if !ok || !f.Completed || !slices.Equal(f.Channels, []string{dm}) {
		t.Fatalf("file %+v: want one completed upload to ben's DM %s", f, dm)
	}
	if want := "okrbot-growth-2026-11-16.zip"; f.Name != want {
		t.Errorf("file name: got %q, want %q", f.Name, want)
	}
	e.waitMessage(growth, "Done", f.Name, "in your DM")

	sheets := exportSheets(t, f.Data)
	objs := rowsAsMaps(sheets[okrcsv.ObjectivesFile])
	if len(objs) != 3 {
		t.Fatalf("objectives.csv: got %d rows, want 3 (one per key result): %v", len(objs), objs)
	}
	if objs[0]["objective_id"] != old.ID || objs[0]["objective_archived"] != "true" || objs[0]["cycle"] != "2026-Q3" {
		t.Errorf("first row: got %v, want last cycle's archived objective", objs[0])
	}
	act := objs[1]
	for col, want := range map[string]string{
		"team_channel_id": growth, "team_channel": "growth", "team_timezone": "UTC", "objective": "Delight new customers",
		"objective_owner_id": ana, "objective_owner": "Ana Lima", "key_result": "Activation rate", "kind": "increase", "unit": "percent",
		"start": "40", "target": "65", "current": "45", "key_result_owner": "Ana Lima", "confidence": "on_track",
		"last_check_in_at_utc": "2026-11-02T09:00:00Z",
	} {
		if act[col] != want {
			t.Errorf("objectives.csv, Activation rate, %s: got %q, want %q", col, act[col], want)
		}
	}
	if objs[2]["key_result"] != "Churn" || objs[2]["objective_id"] != cur.ID || objs[2]["current"] != "4.5" {
		t.Errorf("third row: got %v, want Churn at 4.5", objs[2])
	}

	cis := rowsAsMaps(sheets[okrcsv.CheckInsFile])
	if len(cis) != 2 {
		t.Fatalf("checkins.csv: got %d rows, want 2: %v", len(cis), cis)
	}
	if got, want := cis[1]["comment"], `'=HYPERLINK("http://evil.example","click me")`; got != want {
		t.Errorf("the formula comment: got %q, want it neutralised as %q", got, want)
	}
	if cis[1]["author"] != "Ben Ode" || cis[1]["value"] != "4.5" || cis[1]["confidence"] != "at_risk" || cis[1]["checked_in_at_utc"] != "2026-11-09T09:00:00Z" {
		t.Errorf("ben's check-in: got %v", cis[1])
	}
	changes := rowsAsMaps(sheets[okrcsv.ChangesFile])
	if len(changes) != 1 || changes[0]["from"] != "60" || changes[0]["to"] != "65" || changes[0]["reason"] != "new baseline after the pricing change" {
		t.Errorf("changes.csv: got %v, want the target change 60 → 65 with its reason", changes)
	}
}

// A private team's export is only for its members; guests and people of
// other organisations get none; json and all are not there yet.
func TestExportRefused(t *testing.T) {
	e := newEnv(t)
	const board, gus = "GBOARD7", "UGUS7"
	e.srv.AddChannel(slacktest.Channel{ID: board, TeamID: teamA, Name: "board", Members: []string{ana}, BotIsMember: true, IsPrivate: true})
	e.srv.AddUser(slacktest.User{ID: gus, TeamID: teamA, Name: "gus", IsRestricted: true})
	e.srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", Members: []string{ana, ben, carla, gus}, BotIsMember: true})
	o := &okrs.Objective{Workspace: teamA, Team: board, Cycle: okrs.QuarterOf(e.clock()).Name, Title: "Board secret", Owner: ana, CreatedBy: ana,
		KeyResults: []okrs.KeyResult{{Title: "Secret result", Owner: ana, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10}}}
	o.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
		t.Fatal(err)
	}

	e.okr(teamA, ben, growth, "export csv <#"+board+"|board>")
	e.waitMessage(growth, "That team's channel is private, and you are not in it.")
	e.okr(teamA, gus, growth, "export")
	e.waitMessage(growth, "Guests and people from other organisations")
	e.okr(teamA, ana, growth, "export pdf")
	e.waitMessage(growth, "I don't know `pdf` here")
	e.okr(teamA, ana, growth, "export #board")
	e.waitMessage(growth, "I couldn't tell which channel `#board` is")
	e.okr(teamA, ana, e.srv.DMChannel(ana), "export")
	e.waitMessage("", "Run `/okr export` in the team's channel")
	if files := e.srv.Files(); len(files) != 0 {
		t.Fatalf("refused exports uploaded %d files: %+v", len(files), files)
	}

	// ana is in #board: her export of it has the secret objective.
	e.okr(teamA, ana, growth, "export <#"+board+">")
	share := e.waitMessage(e.srv.DMChannel(ana), "Your export of", "1 objective of")
	f, _ := e.srv.File(share.Files[0])
	if objs := rowsAsMaps(exportSheets(t, f.Data)[okrcsv.ObjectivesFile]); len(objs) != 1 || objs[0]["objective"] != "Board secret" {
		t.Errorf("ana's export of #board: got %v", objs)
	}
}

// An upload Slack refuses is reported to the person and logged; asked
// again, the export arrives.
func TestExportUploadFails(t *testing.T) {
	e := newEnv(t)
	e.exportFixture()
	e.srv.FailNextHTTP("files.completeUploadExternal", 500, 1)
	e.okr(teamA, ana, growth, "export csv")
	e.waitMessage(growth, "I couldn't send you the export", "I couldn't reach Slack just now")
	e.waitLog("export: uploading")

	e.okr(teamA, ana, growth, "export csv")
	e.waitMessage(e.srv.DMChannel(ana), "Your export of", "2 objectives")
}

// dmFile waits for the file okrbot shares in user's DM with a message
// saying want, and returns it.
func (e *env) dmFile(user string, want ...string) slacktest.File {
	e.t.Helper()
	dm := e.srv.DMChannel(user)
	m := e.waitMessage(dm, want...)
	if len(m.Files) != 1 {
		e.t.Fatalf("the DM message shares %d files, want 1", len(m.Files))
	}
	f, ok := e.srv.File(m.Files[0])
	if !ok || !f.Completed || !slices.Equal(f.Channels, []string{dm}) {
		e.t.Fatalf("file %+v: want one completed upload to %s's DM", f, user)
	}
	return f
}

// backupOf parses an exported JSON file as a backup of one workspace.
func backupOf(t *testing.T, f slacktest.File) store.BackupWorkspace {
	t.Helper()
	var b store.Backup
	if err := json.Unmarshal(f.Data, &b); err != nil {
		t.Fatalf("%s is not JSON: %v", f.Name, err)
	}
	if b.Format != store.BackupFormat || len(b.Workspaces) != 1 {
		t.Fatalf("%s: format %q with %d workspaces, want one workspace in %q", f.Name, b.Format, len(b.Workspaces), store.BackupFormat)
	}
	return b.Workspaces[0]
}

// /okr export json is the team's records in the backup format, every
// cycle and archived objectives included, comments as they were written.
func TestExportJSON(t *testing.T) {
	e := newEnv(t)
	cur, old := e.exportFixture()
	e.okr(teamA, ben, growth, "export json")
	e.waitMessage(growth, "Preparing your export")
	f := e.dmFile(ben, "Your export of", "backup format", "2 objectives")
	if want := "okrbot-growth-2026-11-16.json"; f.Name != want {
		t.Errorf("file name: got %q, want %q", f.Name, want)
	}
	w := backupOf(t, f)
	if w.ID != teamA || len(w.Objectives) != 2 || w.Objectives[0].ID != old.ID || !w.Objectives[0].Archived || w.Objectives[1].ID != cur.ID {
		t.Fatalf("objectives: got %+v, want last cycle's archived one, then this cycle's", w.Objectives)
	}
	cis := w.Objectives[1].KeyResults[1].CheckIns
	if len(cis) != 1 || cis[0].Comment != `=HYPERLINK("http://evil.example","click me")` {
		t.Errorf("Churn's check-ins: got %+v, want ben's, its comment as written", cis)
	}
	e.waitMessage(growth, "Done", f.Name)
}

// /okr export all is for the workspace's admins: the whole workspace,
// private teams included; others are refused and get no file.
func TestExportAll(t *testing.T) {
	e := newEnv(t)
	const board, gus, xena, partner = "GBOARD8", "UGUS8", "UXENA8", "TPART8"
	e.srv.AddUser(slacktest.User{ID: gus, TeamID: teamA, Name: "gus", IsRestricted: true, IsAdmin: true})
	e.srv.AddWorkspace(slacktest.Workspace{ID: partner, Name: "Partner Co"})
	e.srv.AddUser(slacktest.User{ID: xena, TeamID: partner, Name: "xena", IsAdmin: true, IsOwner: true})
	e.srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", Members: []string{ana, ben, carla, gus, xena}, BotIsMember: true})
	e.srv.AddChannel(slacktest.Channel{ID: board, TeamID: teamA, Name: "board", Members: []string{ana}, BotIsMember: true, IsPrivate: true})
	e.exportFixture()
	secret := &okrs.Objective{Workspace: teamA, Team: board, Cycle: okrs.QuarterOf(e.clock()).Name, Title: "Board secret", Owner: ana, CreatedBy: ana,
		KeyResults: []okrs.KeyResult{{Title: "Secret result", Owner: ana, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 10}}}
	secret.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, secret); err != nil {
		t.Fatal(err)
	}

	e.okr(teamA, ben, growth, "export all")
	e.waitMessage(growth, "Only workspace admins and owners export the whole workspace")
	e.okr(teamA, gus, growth, "export all")
	e.waitMessage(growth, "Guests and people from other organisations")
	e.okr(partner, xena, growth, "export all")
	e.waitMessage(growth, "Guests and people from other organisations")
	if files := e.srv.Files(); len(files) != 0 {
		t.Fatalf("refused exports uploaded %d files", len(files))
	}

	e.okr(teamA, carla, e.srv.DMChannel(carla), "export all")
	f := e.dmFile(carla, "Your export of the whole workspace", "3 objectives")
	if want := "okrbot-workspace-TA1-2026-11-16.json"; f.Name != want {
		t.Errorf("file name: got %q, want %q", f.Name, want)
	}
	w := backupOf(t, f)
	var titles []string
	for _, o := range w.Objectives {
		titles = append(titles, o.Title)
	}
	if !slices.Contains(titles, "Board secret") || len(titles) != 3 {
		t.Errorf("the workspace's objectives: got %v, want all 3, #board's included", titles)
	}
}
