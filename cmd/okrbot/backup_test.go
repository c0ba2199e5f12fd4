package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/playground"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

// backupPrefix returns a new key prefix on the tests' Redis, its keys
// deleted when the test ends.
func backupPrefix(t *testing.T) string {
	t.Helper()
	rdb := storetest.Client(t)
	prefix := "okrbottest-" + storetest.Random(6)
	t.Cleanup(func() { storetest.DeletePrefix(rdb, prefix) })
	return prefix
}

// useRedis points okrbot export and import at prefix on the tests' Redis.
func useRedis(t *testing.T, prefix string) {
	url, _ := storetest.URL(t)
	t.Setenv("REDIS_URL", url)
	t.Setenv("REDIS_MODE", storetest.Mode(t))
	t.Setenv("REDIS_PREFIX", prefix)
}

// Acme's #growth as okrbot would have it after a few weeks, written through
// the store: settings, an objective with two key results, check-ins, a
// course correction and a proposal in the current cycle, and a graded
// objective of the last one.
const (
	restoredTitle = "Make every new customer successful in week one"
	restoredKR    = "Activation within 7 days"
)

func writeAcme(t *testing.T, prefix string) {
	t.Helper()
	s := store.New(storetest.Client(t), prefix)
	ctx := testContext(t)
	st := okrs.DefaultSettings("Europe/Berlin")
	st.Managers = []string{ana}
	if err := s.SaveSettings(ctx, teamA, growth, st); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: "2026-Q4", Title: restoredTitle, Owner: ana, CreatedBy: ana, CreatedAt: at,
		KeyResults: []okrs.KeyResult{
			{Title: restoredKR, Owner: ana, Kind: okrs.Increase, Unit: okrs.Percent, Start: 30, Target: 60},
			{Title: "Support tickets in week one", Owner: ben, Kind: okrs.Decrease, Unit: okrs.Number, Start: 120, Target: 40},
		}}
	if err := s.CreateObjective(ctx, o); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{36, 41, 47} {
		c := okrs.CheckIn{KeyResultID: o.KeyResults[0].ID, Author: ana, At: at.Add(time.Duration(i+1) * 7 * 24 * time.Hour), Value: v,
			Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "Onboarding emails help"}
		if _, err := s.RecordCheckIns(ctx, teamA, []okrs.CheckIn{c}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.UpdateObjective(ctx, teamA, o.ID, func(o *okrs.Objective) error {
		was := o.KeyResults[0]
		o.KeyResults[0].Target = 65
		o.KeyResults[0].RecordChanges(&was, ana, at.Add(20*24*time.Hour), "New baseline after the pricing change")
		_, err := o.Propose(okrs.KeyResult{Title: "Time to first payment", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "days", Start: 9, Target: 3}, ben, at.Add(21*24*time.Hour), okrs.QuarterOf(at))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	past := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: "2026-Q3", Title: "Launch in Portugal", Owner: ana, CreatedBy: ana, CreatedAt: at.AddDate(0, -3, 0),
		KeyResults: []okrs.KeyResult{{Title: "Customers in Portugal", Owner: ben, Kind: okrs.Increase, Unit: okrs.Number, Start: 0, Target: 500}}}
	if err := s.CreateObjective(ctx, past); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateObjective(ctx, teamA, past.ID, func(o *okrs.Objective) error {
		return o.Apply(okrs.Grading{By: ana, Note: "Local partners matter", Grades: map[string]okrs.Grade{o.KeyResults[0].ID: 0.6}}, at)
	}); err != nil {
		t.Fatal(err)
	}
}

// runCLI runs "okrbot export|import args" and returns its exit status, stdout
// and stderr.
func runCLI(t *testing.T, f func(context.Context, []string, io.Writer, io.Writer) int, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := f(testContext(t), args, &out, &errb)
	return code, out.String(), errb.String()
}

var exportedAt = regexp.MustCompile(`"exported_at": "[^"]*"`)

func withoutExportedAt(b string) string {
	return exportedAt.ReplaceAllString(b, `"exported_at": "…"`)
}

func backupKeys(t *testing.T, prefix string) []string {
	t.Helper()
	keys, err := storetest.Keys(testContext(t), storetest.Client(t), prefix+":*")
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func TestExportImportCommands(t *testing.T) {
	src, dst := backupPrefix(t), backupPrefix(t)
	writeAcme(t, src)
	dir := t.TempDir()
	file := filepath.Join(dir, "backup.json")

	useRedis(t, src)
	t.Setenv("SLACK_BOT_TOKEN", "") // no Slack tokens needed
	t.Setenv("SLACK_APP_TOKEN", "")
	code, _, stderr := runCLI(t, runExport, "--output", file)
	if code != 0 {
		t.Fatalf("okrbot export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "workspace "+teamA+": 1 team (1 with settings), 2 objectives, 3 key results, 3 check-ins, 1 course correction, 1 proposal, 1 grading") {
		t.Errorf("export's report: %s", stderr)
	}
	first, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCLI(t, runExport, "--workspace", teamA)
	if code != 0 || withoutExportedAt(stdout) != withoutExportedAt(string(first)) {
		t.Errorf("export --workspace %s to stdout differs from the whole export (exit %d)", teamA, code)
	}

	useRedis(t, dst)
	t.Run("dry run writes nothing", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, runImport, file, "--dry-run")
		if code != 0 || !strings.Contains(stdout, "would import") || !strings.Contains(stdout, "nothing was written") {
			t.Fatalf("import --dry-run: exit %d\n%s%s", code, stdout, stderr)
		}
		if keys := backupKeys(t, dst); len(keys) != 0 {
			t.Errorf("a dry run wrote %v", keys)
		}
	})
	code, stdout, stderr = runCLI(t, runImport, file)
	if code != 0 || !strings.Contains(stdout, "workspace "+teamA+": imported 1 team (1 with settings), 2 objectives") {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	code, second, _ := runCLI(t, runExport)
	if code != 0 || withoutExportedAt(second) != withoutExportedAt(string(first)) {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first, second)
	}
	if v, _ := store.New(storetest.Client(t), dst).SchemaVersionOf(testContext(t)); v != store.SchemaVersion {
		t.Errorf("the import left schema version %d, want %d", v, store.SchemaVersion)
	}

	t.Run("refuses an existing workspace unless --replace", func(t *testing.T) {
		code, _, stderr := runCLI(t, runImport, file)
		if code != 1 || !strings.Contains(stderr, "already has data") || !strings.Contains(stderr, "--replace") || !strings.Contains(stderr, "Nothing was written") {
			t.Errorf("import over data: exit %d: %s", code, stderr)
		}
		code, stdout, stderr := runCLI(t, runImport, "--replace", file)
		if code != 0 || !strings.Contains(stdout, "replacing its data") {
			t.Errorf("import --replace: exit %d\n%s%s", code, stdout, stderr)
		}
		if _, again, _ := runCLI(t, runExport); withoutExportedAt(again) != withoutExportedAt(string(first)) {
			t.Error("after --replace the data is not the backup's")
		}
	})

	t.Run("a bad file is named and writes nothing", func(t *testing.T) {
		useRedis(t, backupPrefix(t))
		bad := filepath.Join(dir, "bad.json")
		data := strings.Replace(string(first), `"target": 40`, `"target": "forty"`, 1)
		if err := os.WriteFile(bad, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		code, _, stderr := runCLI(t, runImport, bad)
		for _, want := range []string{"bad.json: workspace 1 (" + teamA + "), objective 2 (", "key result 2 (", `target is not a number (it is "forty")`, "Nothing was written."} {
			if !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr)
			}
		}
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		if keys := backupKeys(t, os.Getenv("REDIS_PREFIX")); len(keys) != 0 {
			t.Errorf("a bad file wrote %v", keys)
		}
	})

	t.Run("usage and mistakes", func(t *testing.T) {
		for _, tc := range []struct {
			f    func(context.Context, []string, io.Writer, io.Writer) int
			args []string
			code int
			want string
		}{
			{runImport, []string{"--from", "csv", "okrs.csv"}, 2, "SLACK_BOT_TOKEN is not set"},
			{runImport, []string{"--from=xlsx", "okrs.xlsx"}, 2, `--from "xlsx"`},
			{runImport, nil, 2, "name one backup file"},
			{runImport, []string{filepath.Join(dir, "missing.json")}, 1, "no such file"},
			{runImport, []string{"--force", file}, 2, "flag provided but not defined: -force"},
			{runExport, []string{"--workspace", "T0NOBODY"}, 1, "workspace T0NOBODY has no data"},
			{runExport, []string{"extra"}, 2, `unexpected argument "extra"`},
		} {
			code, _, stderr := runCLI(t, tc.f, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("%v: exit %d, stderr %q; want exit %d saying %q", tc.args, code, stderr, tc.code, tc.want)
			}
		}
		t.Setenv("REDIS_URL", "")
		if code, _, stderr := runCLI(t, runExport); code != 2 || !strings.Contains(stderr, "REDIS_URL is not set") {
			t.Errorf("export without REDIS_URL: exit %d: %s", code, stderr)
		}
	})
}

// TestRestoredBackupShowsStatus: a backup imported into the Redis okrbot
// runs on shows in /okr status as it was.
func TestRestoredBackupShowsStatus(t *testing.T) {
	src := backupPrefix(t)
	writeAcme(t, src)
	useRedis(t, src)
	file := filepath.Join(t.TempDir(), "backup.json")
	if code, _, stderr := runCLI(t, runExport, "--output", file); code != 0 {
		t.Fatalf("export: %s", stderr)
	}

	e := newEnv(t)
	useRedis(t, e.cfg.RedisPrefix)
	if code, stdout, stderr := runCLI(t, runImport, file); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	e.okr(teamA, ana, growth, "status")
	m := e.waitMessage(growth, restoredTitle, restoredKR, "Support tickets in week one", "47%", "65%")
	if !says(m, []string{"target 60% → 65%", "New baseline after the pricing change"}) {
		t.Errorf("the restored status lacks the course correction:\n%s", m.AllText())
	}
	e.okr(teamA, ana, growth, "status 2026-Q3")
	e.waitMessage(growth, "Launch in Portugal", "Local partners matter")
}

// TestStartRefusesNewerSchema: okrbot does not start on data a newer
// okrbot wrote, and says which versions.
func TestStartRefusesNewerSchema(t *testing.T) {
	prefix := backupPrefix(t)
	rdb := storetest.Client(t)
	if err := rdb.Set(testContext(t), prefix+":schema", "7", 0).Err(); err != nil {
		t.Fatal(err)
	}
	url, _ := storetest.URL(t)

	t.Run("Main.Run", func(t *testing.T) {
		cfg := Config{SlackBotToken: "xoxb-1111-2222-abcdef", SlackAppToken: "xapp-1-A1-2222-abcdef", SlackAPIURL: "http://127.0.0.1:1/api/",
			RedisURL: url, RedisMode: storetest.Mode(t), RedisPrefix: prefix, DefaultTimezone: "UTC", LogLevel: "info", LogFormat: "text",
			SweepInterval: time.Minute, LeaderLease: 2 * time.Minute, MessagesPerSecond: 5}
		logs := &syncBuffer{}
		err := NewMain(cfg, NewLogger(cfg, logs)).Run(testContext(t))
		se, ok := errors.AsType[*store.SchemaError](err)
		if !ok || se.Found != 7 || se.Known != store.SchemaVersion {
			t.Fatalf("Main.Run = %v, want a *store.SchemaError (7 > %d)", err, store.SchemaVersion)
		}
	})
	t.Run("process", func(t *testing.T) {
		cmd := okrbotCmd(t, "SLACK_BOT_TOKEN=xoxb-1111-2222-abcdef", "SLACK_APP_TOKEN=xapp-1-A1-2222-abcdef", "SLACK_API_URL=http://127.0.0.1:1/api/",
			"REDIS_URL="+url, "REDIS_MODE="+storetest.Mode(t), "REDIS_PREFIX="+prefix)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 {
			t.Errorf("err = %v, want exit status 1", err)
		}
		want := "okrbot: the data under Redis prefix \"" + prefix + "\" is at schema version 7, newer than this okrbot understands (version 1)"
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
		if v, _ := rdb.Get(testContext(t), prefix+":schema").Result(); v != "7" {
			t.Errorf("the version key is %q after the refusal, want 7", v)
		}
	})
	t.Run("import refuses too", func(t *testing.T) {
		useRedis(t, prefix)
		file := filepath.Join(t.TempDir(), "empty.json")
		os.WriteFile(file, []byte(`{"format": "okrbot-backup", "schema_version": 1, "exported_at": "2026-12-01T00:00:00Z", "workspaces": [{"id": "T1", "teams": [], "objectives": []}]}`), 0o600)
		code, _, stderr := runCLI(t, runImport, file)
		if code != 1 || !strings.Contains(stderr, "schema version 7") {
			t.Errorf("import onto newer data: exit %d: %s", code, stderr)
		}
	})
}

// TestProcessExportNeedsNoSlackTokens runs the real binary: export and
// import read the Redis variables only.
func TestProcessExportNeedsNoSlackTokens(t *testing.T) {
	src := backupPrefix(t)
	writeAcme(t, src)
	url, _ := storetest.URL(t)
	env := []string{"REDIS_URL=" + url, "REDIS_MODE=" + storetest.Mode(t), "REDIS_PREFIX=" + src}
	cmd := okrbotCmd(t, env...)
	cmd.Args = append(cmd.Args, "export")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("okrbot export: %v\n%s", err, stderr.String())
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"format\": \"okrbot-backup\",\n  \"schema_version\": 1,")) || !bytes.Contains(out, []byte(restoredTitle)) {
		t.Errorf("okrbot export wrote:\n%.300s", out)
	}
	file := filepath.Join(t.TempDir(), "backup.json")
	if err := os.WriteFile(file, out, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd = okrbotCmd(t, append(env[:2:2], "REDIS_PREFIX="+backupPrefix(t))...)
	cmd.Args = append(cmd.Args, "import", file, "--dry-run")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Dry run: "+file+" is valid") {
		t.Errorf("okrbot import --dry-run: %v\n%s", err, out)
	}
	cmd = okrbotCmd(t, env...)
	cmd.Args = append(cmd.Args, "import", "--from", "csv", "okrs.csv")
	out, err = cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "SLACK_BOT_TOKEN is not set") {
		t.Errorf("okrbot import --from csv: %v\n%s", err, out)
	}
}

// TestDemoRoundTrips: the playground's realistic quarter (two teams, eight
// weeks of check-ins by five people) survives export → import → export.
func TestDemoRoundTrips(t *testing.T) {
	ctx := testContext(t)
	src, dst := backupPrefix(t), backupPrefix(t)
	s := store.New(storetest.Client(t), src)
	if err := playground.SeedDemo(ctx, s, time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	useRedis(t, src)
	code, first, stderr := runCLI(t, runExport)
	if code != 0 || !strings.Contains(stderr, "check-ins") {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "demo.json")
	if err := os.WriteFile(file, []byte(first), 0o600); err != nil {
		t.Fatal(err)
	}
	useRedis(t, dst)
	if code, stdout, stderr := runCLI(t, runImport, file); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, second, _ := runCLI(t, runExport); withoutExportedAt(second) != withoutExportedAt(first) {
		t.Errorf("the demo data differs after export → import → export")
	}
	t.Logf("demo: %s", strings.TrimSpace(stderr))
}
