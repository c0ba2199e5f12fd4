package okrcsv_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
)

var importNow = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

func importInput() okrcsv.ImportInput {
	return okrcsv.ImportInput{
		Workspace: "T1", Now: importNow,
		Users: map[string]string{"ana@example.com": "UANA", "UBEN": "UBEN"},
		Teams: map[string]string{"C1": "C1", "#growth": "C1"},
		Cycle: func(team, name string) (okrs.Cycle, error) {
			if name == "" {
				return okrs.QuarterOf(importNow), nil
			}
			return okrs.ParseCycle(name)
		},
	}
}

func plan(t *testing.T, sheet string) ([]okrcsv.Planned, []okrcsv.RowError) {
	t.Helper()
	rows, errs := okrcsv.ReadImport(strings.NewReader(sheet))
	if errs != nil {
		return nil, errs
	}
	return okrcsv.PlanImport(rows, importInput())
}

func TestPlanImport(t *testing.T) {
	sheet := okrcsv.BOM + "Team,Objective,Objective Owner,Key Result,Owner,Start,Target,Current,Unit,Cycle\r\n" +
		"#growth,Delight new customers,ana@example.com,Activation rate,ana@example.com,40%,60%,45%,,2026-Q4\r\n" +
		"C1,delight  new customers,,Churn,UBEN,5,3,,percent,2026-Q4\r\n" +
		",,,,,,,,,\r\n" +
		"C1,Faster,UBEN,P99 latency,UBEN,400 ms,280 ms,,,\r\n"
	got, errs := plan(t, sheet)
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	if len(got) != 2 {
		t.Fatalf("got %d objectives, want 2", len(got))
	}
	o := got[0].Objective
	if o.Team != "C1" || o.Cycle != "2026-Q4" || o.Owner != "UANA" || o.CreatedBy != "UANA" || len(o.KeyResults) != 2 {
		t.Errorf("first objective: got %+v", o)
	}
	if kr := o.KeyResults[0]; kr.Unit != okrs.Percent || kr.Start != 40 || kr.Target != 60 || kr.Kind != okrs.Increase || kr.Owner != "UANA" {
		t.Errorf("Activation rate: got %+v", kr)
	}
	if kr := o.KeyResults[1]; kr.Kind != okrs.Decrease || kr.Unit != okrs.Percent || kr.Owner != "UBEN" {
		t.Errorf("Churn: got %+v, want a decrease in percent", kr)
	}
	if len(got[0].Current) != 1 || got[0].Current[0].Value != 45 || got[0].Current[0].KeyResultID != "0" || got[0].Current[0].Author != "UANA" {
		t.Errorf("current values: got %+v, want Activation rate's 45", got[0].Current)
	}
	if rows := got[0].Rows; len(rows) != 2 || rows[0] != 2 || rows[1] != 3 {
		t.Errorf("rows: got %v, want [2 3]", rows)
	}
	if kr := got[1].Objective.KeyResults[0]; kr.UnitLabel != "ms" || kr.Kind != okrs.Decrease || got[1].Objective.Cycle != "2026-Q4" {
		t.Errorf("P99 latency: got %+v in %s", kr, got[1].Objective.Cycle)
	}
}

func TestImportErrors(t *testing.T) {
	for _, c := range []struct {
		name, sheet string
		want        []string
	}{
		{"missing columns", "Team,Objective\r\nC1,X\r\n", []string{"row 1, key result: this column is missing", "row 1, owner: this column is missing", "row 1, target: this column is missing"}},
		{"unknown column", "Team,Objective,Key result,Owner,Target,Colour\r\nC1,X,Y,UBEN,3,red\r\n", []string{"row 1, Colour: unknown column"}},
		{"empty", "", []string{"the file is empty"}},
		{"bad cells", "Team,Objective,Key result,Owner,Start,Target,Kind,Due,Confidence,Current\r\n" +
			"C1,Grow,Signups,UBEN,lots,100,,,,\r\n" +
			"C1,Grow,Revenue,UBEN,0,100,sideways,31/12/2026,meh,x\r\n" +
			"C1,Grow,,UBEN,0,100,,,,\r\n",
			[]string{`row 2, start: "lots" is not a number`, `row 3, kind: "sideways" is not a kind`, `row 3, due: "31/12/2026" is not a date`,
				`row 3, confidence: "meh" is not a confidence`, `row 3, current: "x" is not a number`, "row 4, key result: write the key result"}},
		{"okrs validation", "Team,Objective,Key result,Owner,Start,Target,Kind,Cycle\r\n" +
			"C1,Grow,Stay up,UBEN,10,5,increase,2026-Q4\r\n" +
			"C1,Grow,Ship,UBEN,0,1,milestone,2026-Q4\r\n" +
			"C1,Grow,A,UBEN,0,1,,2026-Q4\r\nC1,Grow,B,UBEN,0,1,,2026-Q4\r\nC1,Grow,C,UBEN,0,1,,2026-Q4\r\nC1,Grow,D,UBEN,0,1,,2026-Q4\r\n" +
			"C1,Later,Due,UBEN,0,1,,2026-Q4\r\n" +
			"C1,Bad cycle,K,UBEN,0,1,,someday\r\n",
			[]string{"row 2, target:", "row 2, key result: Keep to 5", "row 9, cycle:"}},
	} {
		_, errs := plan(t, c.sheet)
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		all := strings.Join(got, "\n")
		if len(errs) == 0 {
			t.Errorf("%s: no errors, want %q", c.name, c.want)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: errors\n%s\nwant one with %q", c.name, all, w)
			}
		}
	}
}

// An export's neutralised cells read back as they were written.
func TestImportUndoesNeutralise(t *testing.T) {
	got, errs := plan(t, "Team,Objective,Key result,Owner,Target\r\nC1,'=Grow,'-5 bugs,UBEN,3\r\n")
	if errs != nil {
		t.Fatal(errs)
	}
	if o := got[0].Objective; o.Title != "=Grow" || o.KeyResults[0].Title != "-5 bugs" {
		t.Errorf("got %q / %q, want the apostrophes dropped", o.Title, o.KeyResults[0].Title)
	}
}

// docs/import-example.csv, the example docs/import-csv.md shows, plans
// without an error.
func TestImportExample(t *testing.T) {
	f, err := os.Open("../../docs/import-example.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, errs := okrcsv.ReadImport(f)
	if errs != nil {
		t.Fatal(errs)
	}
	in := importInput()
	in.Users = map[string]string{"ana@example.com": "UANA", "ben@example.com": "UBEN", "U0123CARLA": "U0123CARLA", "dan@example.com": "UDAN"}
	in.Teams = map[string]string{"C0123GROWTH": "C0123GROWTH", "C0456PAYMNT": "C0456PAYMNT"}
	got, errs := okrcsv.PlanImport(rows, in)
	if errs != nil {
		t.Fatal(errs)
	}
	if len(got) != 2 || len(got[0].Objective.KeyResults) != 3 || len(got[1].Objective.KeyResults) != 3 {
		t.Fatalf("got %d objectives, want 2 with 3 key results each", len(got))
	}
	milestone := got[0].Objective.KeyResults[2]
	if milestone.Kind != okrs.Milestone || milestone.Target != 1 || milestone.Due.Format(time.DateOnly) != "2026-11-30" {
		t.Errorf("the milestone: got %+v", milestone)
	}
	if rev := got[1].Objective.KeyResults[2]; rev.Unit != okrs.Currency || rev.Currency != "$" || rev.Start != 3200 || rev.Target != 4000 {
		t.Errorf("revenue: got %+v", rev)
	}
	if c := got[0].Current; len(c) != 2 || c[1].Confidence.Level != okrs.AtRisk || c[1].Value != 4.5 {
		t.Errorf("current values: got %+v", c)
	}
}
