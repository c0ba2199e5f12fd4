package okrcsv_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
)

func TestNeutralise(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"'quoted", "'quoted"},
	} {
		if got := okrcsv.Neutralise(c.in); got != c.want {
			t.Errorf("Neutralise(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

// unzip returns each CSV file of an export as records, after checking its
// BOM and CRLF line ends.
func unzip(t *testing.T, data []byte) map[string][][]string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][][]string{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(f.Name, ".csv") {
			out[f.Name] = [][]string{{string(b)}}
			continue
		}
		if !bytes.HasPrefix(b, []byte(okrcsv.BOM)) {
			t.Errorf("%s: no UTF-8 BOM", f.Name)
		}
		if bytes.Count(b, []byte("\n")) != bytes.Count(b, []byte("\r\n")) {
			t.Errorf("%s: a line does not end in CRLF", f.Name)
		}
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(okrcsv.BOM)))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = recs
	}
	return out
}

// column returns the value of column name in row i (1 is the first data
// row) of a file's records.
func column(t *testing.T, recs [][]string, i int, name string) string {
	t.Helper()
	if i >= len(recs) {
		t.Fatalf("no row %d (%d rows)", i, len(recs)-1)
	}
	for j, h := range recs[0] {
		if h == name {
			return recs[i][j]
		}
	}
	t.Fatalf("no column %q in %v", name, recs[0])
	return ""
}

func exportFixture() okrcsv.Data {
	at := time.Date(2026, 10, 5, 8, 30, 0, 0, time.UTC)
	latency := okrs.KeyResult{ID: "k1", Title: "P99 latency", Owner: "U1", Kind: okrs.Decrease, Unit: okrs.Number, UnitLabel: "ms",
		Start: 400, Target: 280, Current: 340, Confidence: okrs.Confidence{Level: okrs.AtRisk}, LastCheckIn: at.AddDate(0, 0, 7), CreatedAt: at,
		CheckIns: []okrs.CheckIn{ // newest first, as stored
			{ID: "c2", Author: "U1", At: at.AddDate(0, 0, 7), Value: 340, Confidence: okrs.Confidence{Level: okrs.AtRisk}, Comment: "=HYPERLINK(\"http://evil\",\"click\")"},
			{ID: "c1", Author: "U2", At: at, Value: 380, Confidence: okrs.Confidence{Level: okrs.OnTrack}, Comment: "first, with \"quotes\",\ncomma and newline"},
		},
		TargetHistory: []okrs.TargetChange{{Field: okrs.FieldTarget, By: "U1", At: at.AddDate(0, 0, 3), From: 250, To: 280, Reason: "new baseline"}},
	}
	temp := okrs.KeyResult{ID: "k2", Title: "Margin", Owner: "U2", Kind: okrs.StayAbove, Unit: okrs.Percent, Start: -5, Target: -2, Current: -3.5, CreatedAt: at, Archived: true}
	graded := okrs.Objective{ID: "o1", Team: "C1", Cycle: "2026-Q4", Title: "Fast payments", Owner: "U1", CreatedBy: "U1", CreatedAt: at,
		KeyResults: []okrs.KeyResult{latency, temp},
		Grading:    okrs.Grading{By: "U1", At: at.AddDate(0, 2, 0), Note: "-learned a lot", Grades: map[string]okrs.Grade{"k1": 0.7}},
		Proposals: []okrs.Proposal{{ID: "p1", KeyResult: okrs.KeyResult{Title: "@everyone deploy daily", Owner: "U2", Kind: okrs.Increase, Unit: okrs.Number, Start: 1, Target: 5},
			ProposedBy: "U2", ProposedAt: at, State: okrs.ProposalDeclined, DecidedBy: "U1", DecidedAt: at.Add(time.Hour), Reason: "next quarter"}},
	}
	empty := okrs.Objective{ID: "o0", Team: "C1", Cycle: "2026-Q3", Title: "Old and archived", Owner: "U2", CreatedAt: at.AddDate(0, -3, 0),
		Archived: true, ArchivedAt: at.AddDate(0, -1, 0)}
	return okrcsv.Data{Team: "C1", TeamName: "payments", Timezone: "Europe/Berlin", Objectives: []okrs.Objective{graded, empty},
		People: map[string]string{"U1": "Ana Lima", "U2": "=Ben"}, Generated: at.AddDate(0, 3, 0)}
}

func TestExport(t *testing.T) {
	data, n, err := okrcsv.Export(exportFixture())
	if err != nil {
		t.Fatal(err)
	}
	if want := (okrcsv.Counts{Objectives: 2, KeyResults: 2, CheckIns: 2, Changes: 1, Proposals: 1}); n != want {
		t.Errorf("counts: got %+v, want %+v", n, want)
	}
	files := unzip(t, data)
	for name, header := range map[string][]string{okrcsv.ObjectivesFile: okrcsv.ObjectiveColumns, okrcsv.CheckInsFile: okrcsv.CheckInColumns,
		okrcsv.ChangesFile: okrcsv.ChangeColumns, okrcsv.ProposalsFile: okrcsv.ProposalColumns} {
		recs, ok := files[name]
		if !ok {
			t.Fatalf("no %s in the zip", name)
		}
		if strings.Join(recs[0], ",") != strings.Join(header, ",") {
			t.Errorf("%s header: got %v, want %v", name, recs[0], header)
		}
	}
	if _, ok := files[okrcsv.ReadmeFile]; !ok {
		t.Errorf("no %s in the zip", okrcsv.ReadmeFile)
	}

	objs := files[okrcsv.ObjectivesFile]
	if len(objs) != 4 { // header, the archived objective without key results (2026-Q3 first), two key results
		t.Fatalf("objectives.csv: got %d rows, want 3 and a header: %v", len(objs)-1, objs)
	}
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{1, "objective_id", "o0"},
		{1, "objective_archived", "true"},
		{1, "objective_archived_at_utc", "2026-09-05T08:30:00Z"},
		{1, "key_result_id", ""},
		{1, "objective_owner", "'=Ben"},
		{2, "team_channel", "payments"},
		{2, "team_timezone", "Europe/Berlin"},
		{2, "key_result", "P99 latency"},
		{2, "kind", "decrease"},
		{2, "unit_label", "ms"},
		{2, "start", "400"},
		{2, "target", "280"},
		{2, "current", "340"},
		{2, "key_result_progress", "0.5000"},
		{2, "confidence", "at_risk"},
		{2, "objective_grade", "0.7"},
		{2, "key_result_grade", "0.7"},
		{2, "grade_note", "'-learned a lot"},
		{2, "graded_at_utc", "2026-12-05T08:30:00Z"},
		{3, "key_result", "Margin"},
		{3, "unit_label", "%"},
		{3, "start", "-5"}, // a number stays a number
		{3, "current", "-3.5"},
		{3, "key_result_archived", "true"},
	} {
		if got := column(t, objs, c.row, c.col); got != c.want {
			t.Errorf("objectives.csv row %d, %s: got %q, want %q", c.row, c.col, got, c.want)
		}
	}

	cis := files[okrcsv.CheckInsFile]
	for _, c := range []struct {
		row       int
		col, want string
	}{
		{1, "check_in_id", "c1"}, // oldest first
		{1, "checked_in_at_utc", "2026-10-05T08:30:00Z"},
		{1, "author", "'=Ben"},
		{1, "comment", "first, with \"quotes\",\ncomma and newline"},
		{1, "value", "380"},
		{2, "comment", "'=HYPERLINK(\"http://evil\",\"click\")"},
		{2, "confidence", "at_risk"},
		{2, "author_id", "U1"},
	} {
		if got := column(t, cis, c.row, c.col); got != c.want {
			t.Errorf("checkins.csv row %d, %s: got %q, want %q", c.row, c.col, got, c.want)
		}
	}
	ch := files[okrcsv.ChangesFile]
	for col, want := range map[string]string{"field": "target", "from": "250", "to": "280", "reason": "new baseline", "changed_by": "Ana Lima"} {
		if got := column(t, ch, 1, col); got != want {
			t.Errorf("changes.csv %s: got %q, want %q", col, got, want)
		}
	}
	pr := files[okrcsv.ProposalsFile]
	for col, want := range map[string]string{"proposed_key_result": "'@everyone deploy daily", "state": "declined", "decline_reason": "next quarter",
		"decided_by_id": "U1", "decided_at_utc": "2026-10-05T09:30:00Z"} {
		if got := column(t, pr, 1, col); got != want {
			t.Errorf("proposals.csv %s: got %q, want %q", col, got, want)
		}
	}
}

// An empty team still gets every file, with its header.
func TestExportEmpty(t *testing.T) {
	data, n, err := okrcsv.Export(okrcsv.Data{Team: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if n != (okrcsv.Counts{}) {
		t.Errorf("counts: got %+v, want none", n)
	}
	files := unzip(t, data)
	if recs := files[okrcsv.ObjectivesFile]; len(recs) != 1 || column(t, recs, 0, "team_timezone") != "team_timezone" {
		t.Errorf("objectives.csv: got %v, want the header only", recs)
	}
}
