package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// importEnv is newEnv with e-mails for ana and ben, and the environment an
// import reads pointed at the test's fake Slack and Redis, on its clock.
func importEnv(t *testing.T) *env {
	e := newEnv(t)
	e.srv.AddUser(slacktest.User{ID: ana, TeamID: teamA, Name: "ana", RealName: "Ana Lima", TZ: "Europe/Berlin", Email: "ana@acme.example"})
	e.srv.AddUser(slacktest.User{ID: ben, TeamID: teamA, Name: "ben", RealName: "Ben Ode", TZ: "America/Los_Angeles", Email: "Ben@Acme.example"})
	e.srv.AddUser(slacktest.User{ID: dan, TeamID: teamB, Name: "dan", RealName: "Dan Globex", Email: "dan@globex.example"})
	t.Setenv("SLACK_BOT_TOKEN", e.cfg.SlackBotToken)
	t.Setenv("SLACK_APP_TOKEN", "")
	t.Setenv("SLACK_API_URL", e.cfg.SlackAPIURL)
	t.Setenv("REDIS_URL", e.cfg.RedisURL)
	t.Setenv("REDIS_MODE", e.cfg.RedisMode)
	t.Setenv("REDIS_PREFIX", e.cfg.RedisPrefix)
	was := importNow
	importNow = e.clock
	t.Cleanup(func() { importNow = was })
	return e
}

// runImport runs okrbot import on a file holding sheet.
func (e *env) runImport(sheet string, args ...string) (code int, stdout, stderr string) {
	e.t.Helper()
	path := filepath.Join(e.t.TempDir(), "okrs.csv")
	if err := os.WriteFile(path, []byte(sheet), 0o600); err != nil {
		e.t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code = importCSV(e.ctx, append(append([]string{"--from", "csv"}, args...), path), &out, &errOut)
	return code, out.String(), errOut.String()
}

const importSheet = "Team,Objective,Objective owner,Key result,Owner,Start,Target,Current,Unit\n" +
	"CGROW1,Delight new customers,ana@acme.example,Activation rate,ana@acme.example,40%,60%,45%,\n" +
	"CGROW1,Delight new customers,,Churn,ben@acme.example,5%,3%,,\n" +
	"#growth,Faster support,UBEN2,First reply time,UBEN2,6 hours,2 hours,,\n"

// A sheet of objectives becomes objectives, owners found by e-mail; /okr
// status shows them; a second import of the same sheet creates nothing.
func TestImportCSV(t *testing.T) {
	e := importEnv(t)

	code, out, errOut := e.runImport(importSheet, "--dry-run")
	if code != 0 || !strings.Contains(out, `Would create "Delight new customers"`) || !strings.Contains(out, "Nothing was written") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if objs := e.teamObjectives(teamA, growth); len(objs) != 0 {
		t.Fatalf("the dry run wrote %d objectives", len(objs))
	}

	code, out, errOut = e.runImport(importSheet)
	if code != 0 || !strings.Contains(out, "Imported 2 objectives") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("okrbot import:\n%s", out)
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 2 {
		t.Fatalf("got %d objectives in #growth, want 2", len(objs))
	}
	byTitle := map[string]okrs.Objective{}
	for _, o := range objs {
		byTitle[o.Title] = o
	}
	d := byTitle["Delight new customers"]
	if d.Owner != ana || len(d.KeyResults) != 2 || d.KeyResults[1].Owner != ben || d.KeyResults[1].Kind != okrs.Decrease {
		t.Errorf("Delight new customers: got %+v", d)
	}
	if kr := d.KeyResults[0]; kr.Current != 45 || len(kr.CheckIns) != 1 || kr.CheckIns[0].Author != ana {
		t.Errorf("Activation rate: got current %v and check-ins %+v, want 45 recorded as ana's check-in", kr.Current, kr.CheckIns)
	}
	if f := byTitle["Faster support"]; f.Owner != ben || f.KeyResults[0].UnitLabel != "hours" {
		t.Errorf("Faster support: got %+v", f)
	}

	e.okr(teamA, ana, growth, "status")
	e.waitMessage(growth, "Delight new customers", "Activation rate", "Churn", "Faster support", "First reply time")

	code, out, errOut = e.runImport(importSheet)
	if code != 0 || !strings.Contains(out, "Imported 0 objectives") || strings.Count(out, "Skipping") != 2 {
		t.Fatalf("second import: exit %d\n%s%s", code, out, errOut)
	}
	if n := len(e.teamObjectives(teamA, growth)); n != 2 {
		t.Errorf("after the second import: %d objectives, want still 2", n)
	}
}

// An owner Slack does not know, one of another workspace, or a bad
// number is reported by row and column, and nothing is written, not even
// the rows that were right.
func TestImportCSVRefusesBadRows(t *testing.T) {
	e := importEnv(t)
	sheet := importSheet +
		"CGROW1,Grow revenue,ana@acme.example,Upsell,nobody@acme.example,0,10,,\n" +
		"CGROW1,Grow revenue,,Partners,dan@globex.example,0,lots,,\n" +
		"#nowhere,Grow revenue,,Deals,ana@acme.example,0,5,,\n"
	code, out, errOut := e.runImport(sheet)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	t.Logf("okrbot import:\n%s", errOut)
	for _, want := range []string{
		"row 5, owner: no Slack user has the e-mail nobody@acme.example",
		"row 6, owner: dan@globex.example is not in this workspace",
		`row 6, target: "lots" is not a number`,
		"row 7, team: okrbot sees no channel named #nowhere",
		"has 4 problems; nothing was imported",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr\n%s\nwant %q", errOut, want)
		}
	}
	if objs := e.teamObjectives(teamA, growth); len(objs) != 0 {
		t.Errorf("a refused import wrote %d objectives", len(objs))
	}

	// With the owners fixed, the bad number is the one problem left, and
	// still nothing is written.
	code, _, errOut = e.runImport(strings.NewReplacer("nobody@", "ana@", "dan@globex", "ben@acme", "#nowhere", "<#CGROW1|growth>").Replace(sheet))
	if code != 1 || !strings.Contains(errOut, `has 1 problem;`) || !strings.Contains(errOut, `row 6, target: "lots" is not a number`) {
		t.Errorf("exit %d, stderr\n%s\nwant row 6's target", code, errOut)
	}
	if objs := e.teamObjectives(teamA, growth); len(objs) != 0 {
		t.Errorf("a refused import wrote %d objectives", len(objs))
	}
}

// Without a bot token the import says what it needs.
func TestImportCSVNeedsToken(t *testing.T) {
	t.Setenv("SLACK_BOT_TOKEN", "")
	t.Setenv("REDIS_URL", "redis://127.0.0.1:1")
	var out, errOut bytes.Buffer
	ctx := testContext(t)
	if code := importCSV(ctx, []string{"--from", "csv", "okrs.csv"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "SLACK_BOT_TOKEN is not set") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}
