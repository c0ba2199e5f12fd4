package okrcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Columns of an import sheet. A header names each column (case, spaces,
// underscores and hyphens do not matter); the aliases are other names the
// same column goes by in spreadsheets and other tools' exports.
const (
	ColTeam           = "team"
	ColCycle          = "cycle"
	ColObjective      = "objective"
	ColDescription    = "description"
	ColObjectiveOwner = "objective owner"
	ColKeyResult      = "key result"
	ColOwner          = "owner"
	ColKind           = "kind"
	ColStart          = "start"
	ColTarget         = "target"
	ColCurrent        = "current"
	ColUnit           = "unit"
	ColDue            = "due"
	ColConfidence     = "confidence"
)

// ImportColumns lists every column with its aliases; the first name is the
// one docs/import-csv.md uses.
var ImportColumns = [][]string{
	{ColTeam, "team channel", "channel", "team channel id"},
	{ColCycle, "time period", "period", "quarter"},
	{ColObjective, "objective title", "objective name"},
	{ColDescription, "objective description"},
	{ColObjectiveOwner, "objective owner email", "objective owner id"},
	{ColKeyResult, "key result title", "kr", "key result name"},
	{ColOwner, "key result owner", "owner email", "kr owner", "key result owner email"},
	{ColKind, "type", "direction"},
	{ColStart, "start value", "baseline"},
	{ColTarget, "target value", "goal"},
	{ColCurrent, "current value", "value"},
	{ColUnit, "metric unit", "units"},
	{ColDue, "due date", "end date"},
	{ColConfidence, "status"},
}

// required are the columns an import cannot do without.
var required = []string{ColTeam, ColObjective, ColKeyResult, ColOwner, ColTarget}

// An ImportRow is one data row of an import sheet, as written. Row is its
// number as a spreadsheet shows it: the header is row 1.
type ImportRow struct {
	Row   int
	Cells map[string]string // column (its first name) → trimmed text
}

// Get returns the row's cell in column col ("" when absent or empty).
func (r ImportRow) Get(col string) string { return r.Cells[col] }

// A RowError is a mistake in one cell (or row, when Column is empty).
type RowError struct {
	Row     int
	Column  string
	Message string
}

func (e RowError) Error() string {
	switch {
	case e.Row == 0:
		return e.Message
	case e.Column == "":
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d, %s: %s", e.Row, e.Column, e.Message)
}

// normHeader folds a header to the form ImportColumns use.
func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, BOM)))
	h = strings.NewReplacer("_", " ", "-", " ", "(", " ", ")", " ").Replace(h)
	return strings.Join(strings.Fields(h), " ")
}

// ReadImport reads an import sheet: a header row, then one row per key
// result. Blank rows are skipped. It returns the rows, or the mistakes of
// the sheet's shape (unknown or missing columns, unreadable CSV).
func ReadImport(r io.Reader) ([]ImportRow, []RowError) {
	data, err := io.ReadAll(io.LimitReader(r, 32<<20))
	if err != nil {
		return nil, []RowError{{Message: "cannot read the file: " + err.Error()}}
	}
	data = bytes.TrimPrefix(data, []byte(BOM))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, []RowError{{Row: pe.StartLine, Message: "this is not valid CSV: " + pe.Err.Error()}}
		}
		return nil, []RowError{{Message: "this is not valid CSV: " + err.Error()}}
	}
	if len(recs) == 0 {
		return nil, []RowError{{Message: "the file is empty: it needs a header row, then one row per key result"}}
	}
	var errs []RowError
	cols := make([]string, len(recs[0]))
	seen := map[string]bool{}
	for i, h := range recs[0] {
		n := normHeader(h)
		if n == "" {
			continue
		}
		for _, names := range ImportColumns {
			if slices.Contains(names, n) {
				cols[i] = names[0]
			}
		}
		switch {
		case cols[i] == "":
			errs = append(errs, RowError{Row: 1, Column: strings.TrimSpace(h), Message: "unknown column; see docs/import-csv.md for the columns okrbot reads"})
		case seen[cols[i]]:
			errs = append(errs, RowError{Row: 1, Column: strings.TrimSpace(h), Message: fmt.Sprintf("a second %q column", cols[i])})
		}
		seen[cols[i]] = true
	}
	for _, c := range required {
		if !seen[c] {
			errs = append(errs, RowError{Row: 1, Column: c, Message: "this column is missing"})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var rows []ImportRow
	for i, rec := range recs[1:] {
		row := ImportRow{Row: i + 2, Cells: map[string]string{}}
		blank := true
		for j, v := range rec {
			v = strings.TrimSpace(v)
			if j < len(cols) && cols[j] != "" && v != "" {
				row.Cells[cols[j]] = stripApostrophe(v)
				blank = false
			}
		}
		if !blank {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return nil, []RowError{{Message: "the file has a header but no rows"}}
	}
	return rows, nil
}

// stripApostrophe undoes Neutralise: "'=x" reads as "=x", so that an
// export's cells come back as they were.
func stripApostrophe(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

// People and teams an import names are resolved by the caller (Slack):
// ImportInput carries what it found.
type ImportInput struct {
	Workspace string
	Now       time.Time
	// Users maps an owner cell as written ("ana@example.com", "U123") to
	// the Slack user id; a cell missing from it was reported already.
	Users map[string]string
	// Teams maps a team cell as written to its channel id; a cell missing
	// from it was reported already.
	Teams map[string]string
	// Cycle returns the team's cycle named name, or its current cycle when
	// name is empty.
	Cycle func(team, name string) (okrs.Cycle, error)
}

// A Planned objective is one an import would create, with the rows it
// comes from (one per key result) and the check-ins that record the
// current values the sheet gives.
type Planned struct {
	Objective okrs.Objective
	Rows      []int
	Current   []okrs.CheckIn // KeyResultID is the index of the key result, as a string, until the objective is stored
}

// PlanImport groups rows into objectives (rows with the same team, cycle and
// objective title are one objective, each row one of its key results),
// reads every cell and validates each objective as okrs does. It returns
// the objectives, or every mistake found, by row and column.
func PlanImport(rows []ImportRow, in ImportInput) ([]Planned, []RowError) {
	var errs []RowError
	bad := func(row int, col, format string, args ...any) {
		errs = append(errs, RowError{Row: row, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	type group struct {
		p     *Planned
		cycle okrs.Cycle
		krRow []int        // the row of each key result
		conf  []okrs.Level // the confidence of each key result's current value
		cur   []*float64
		// failed is set when a row of the objective could not be read
		// (its errors are reported already)
		failed bool
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, r := range rows {
		team, ok := in.Teams[r.Get(ColTeam)]
		if !ok {
			if r.Get(ColTeam) == "" {
				bad(r.Row, ColTeam, "name the team's channel")
			}
			continue
		}
		title := r.Get(ColObjective)
		if title == "" {
			bad(r.Row, ColObjective, "write the objective this key result belongs to")
			continue
		}
		c, err := in.Cycle(team, r.Get(ColCycle))
		if err != nil {
			bad(r.Row, ColCycle, "%s", message(err))
			continue
		}
		key := team + "\x00" + c.Name + "\x00" + strings.ToLower(strings.Join(strings.Fields(title), " "))
		g := byKey[key]
		if g == nil {
			g = &group{p: &Planned{Objective: okrs.Objective{Workspace: in.Workspace, Team: team, Cycle: c.Name, Title: title, CreatedAt: in.Now}}, cycle: c}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.p.Rows = append(g.p.Rows, r.Row)
		o := &g.p.Objective
		if d := r.Get(ColDescription); d != "" {
			if o.Description != "" && o.Description != d {
				bad(r.Row, ColDescription, "another row of this objective gives another description")
			}
			o.Description = d
		}
		if cell := r.Get(ColObjectiveOwner); cell != "" {
			if id, ok := in.Users[cell]; ok {
				if o.Owner != "" && o.Owner != id {
					bad(r.Row, ColObjectiveOwner, "another row of this objective names another owner")
				}
				o.Owner = id
			}
		}
		kr, conf, cur, ok := readKeyResult(r, in, bad)
		if !ok {
			g.failed = true
			continue
		}
		o.KeyResults = append(o.KeyResults, kr)
		g.krRow = append(g.krRow, r.Row)
		g.conf = append(g.conf, conf)
		g.cur = append(g.cur, cur)
	}
	var out []Planned
	for _, g := range groups {
		o := &g.p.Objective
		if o.Owner == "" && len(o.KeyResults) > 0 {
			o.Owner = o.KeyResults[0].Owner // no objective owner column: the first key result's
		}
		o.CreatedBy = o.Owner
		o.Normalize()
		for _, fe := range okrs.FieldErrors(o.Validate(g.cycle)) {
			if g.failed && fe.Field == okrs.FieldKeyResults || fe.Field == okrs.FieldOwner && o.Owner == "" && g.failed {
				continue // a row left out is the cause, and is reported
			}
			row, col := g.p.Rows[0], objectiveColumn(fe.Field)
			var i int
			var field string
			if n, _ := fmt.Sscanf(fe.Field, "kr.%d.%s", &i, &field); n == 2 && i < len(g.krRow) {
				row, col = g.krRow[i], keyResultColumn(field)
			}
			if fe.Field == okrs.FieldCycle || fe.Code != okrs.EINVALID && col == "" {
				col = ColCycle
			}
			bad(row, col, "%s", fe.Message)
		}
		for i, cur := range g.cur {
			if cur == nil || *cur == o.KeyResults[i].Start {
				continue
			}
			ci := okrs.CheckIn{KeyResultID: strconv.Itoa(i), Author: o.KeyResults[i].Owner, At: in.Now, Value: *cur,
				Confidence: okrs.Confidence{Level: g.conf[i]}, Comment: "Imported from a spreadsheet."}
			for _, fe := range okrs.FieldErrors(ci.Validate(&o.KeyResults[i])) {
				bad(g.krRow[i], ColCurrent, "%s", fe.Message)
			}
			g.p.Current = append(g.p.Current, ci)
		}
		out = append(out, *g.p)
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b RowError) int { return a.Row - b.Row })
		return nil, errs
	}
	return out, nil
}

// readKeyResult reads a row's key result, reporting each bad cell.
func readKeyResult(r ImportRow, in ImportInput, bad func(int, string, string, ...any)) (okrs.KeyResult, okrs.Level, *float64, bool) {
	ok := true
	kr := okrs.KeyResult{Title: r.Get(ColKeyResult), CreatedAt: in.Now}
	if kr.Title == "" {
		bad(r.Row, ColKeyResult, "write the key result: what will be measured?")
		ok = false
	}
	if cell := r.Get(ColOwner); cell == "" {
		bad(r.Row, ColOwner, "name the key result's owner: their e-mail or Slack member id")
		ok = false
	} else if id, found := in.Users[cell]; found {
		kr.Owner = id
	} else {
		ok = false // reported when it was looked up
	}
	unitCell := r.Get(ColUnit)
	kr.Unit, kr.Currency, kr.UnitLabel = parseUnit(unitCell)
	number := func(col string) (float64, bool) {
		q, err := okrs.ParseQuantity(r.Get(col))
		if err != nil {
			bad(r.Row, col, "%q is not a number (like 40, 45%%, $3.2k or 400 ms)", r.Get(col))
			return 0, false
		}
		if unitCell == "" && kr.Unit == okrs.Number { // "45%" in a cell says the unit
			switch {
			case q.Unit != okrs.Number:
				kr.Unit, kr.Currency = q.Unit, q.Currency
			case q.Label != "":
				kr.UnitLabel = q.Label
			}
		}
		return q.Value, true
	}
	kind, kindOK := parseKind(r.Get(ColKind))
	if !kindOK {
		bad(r.Row, ColKind, "%q is not a kind: write increase, decrease, stay above, stay below or milestone", r.Get(ColKind))
		ok = false
	}
	kr.Kind = kind
	if kind == okrs.Milestone && r.Get(ColTarget) == "" {
		kr.Target = 1
	} else if v, good := number(ColTarget); good {
		kr.Target = v
	} else {
		ok = false
	}
	if r.Get(ColStart) != "" {
		if v, good := number(ColStart); good {
			kr.Start = v
		} else {
			ok = false
		}
	}
	kr.Current = kr.Start
	var cur *float64
	if r.Get(ColCurrent) != "" {
		if v, good := number(ColCurrent); good {
			cur = &v
		} else {
			ok = false
		}
	}
	if kr.Kind == "" {
		kr.Kind = okrs.InferKind("", kr.Start, kr.Target)
		if kr.Kind == "" {
			kr.Kind = okrs.Increase
		}
	}
	if d := r.Get(ColDue); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			bad(r.Row, ColDue, "%q is not a date: write it as 2026-12-31", d)
			ok = false
		}
		kr.Due = t
	}
	level := okrs.OnTrack
	if c := r.Get(ColConfidence); c != "" {
		l, good := parseLevel(c)
		if !good {
			bad(r.Row, ColConfidence, "%q is not a confidence: write on track, at risk or off track", c)
			ok = false
		}
		level = l
	}
	return kr, level, cur, ok
}

// fold lowers s and turns runs of spaces, underscores and hyphens into one
// space: "Stay_above" and "stay-above" read "stay above".
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '_' || r == '-' }), " ")
}

func parseKind(s string) (okrs.Kind, bool) {
	switch fold(s) {
	case "":
		return "", true
	case "increase", "increase to", "up", "increasing", "higher is better", "metric":
		return okrs.Increase, true
	case "decrease", "decrease to", "down", "decreasing", "lower is better":
		return okrs.Decrease, true
	case "stay above", "above", "at least", "keep above", "maintain above":
		return okrs.StayAbove, true
	case "stay below", "below", "at most", "keep below", "maintain below":
		return okrs.StayBelow, true
	case "milestone", "done", "binary", "task", "done/not done":
		return okrs.Milestone, true
	}
	return "", false
}

func parseLevel(s string) (okrs.Level, bool) {
	switch fold(s) {
	case "on track", "ontrack", "green":
		return okrs.OnTrack, true
	case "at risk", "atrisk", "behind", "yellow", "amber":
		return okrs.AtRisk, true
	case "off track", "offtrack", "red":
		return okrs.OffTrack, true
	}
	return "", false
}

// parseUnit reads a unit cell: number, percent or currency, or a symbol (%,
// $, €, …), or any other word as a number's label ("ms", "customers").
func parseUnit(s string) (okrs.Unit, string, string) {
	switch f := fold(s); f {
	case "", "number", "numeric", "count", "#":
		return okrs.Number, "", ""
	case "percent", "percentage", "%":
		return okrs.Percent, "", ""
	case "currency", "money":
		return okrs.Currency, okrs.DefaultCurrency, ""
	case "$", "€", "£", "¥", "₹":
		return okrs.Currency, s, ""
	case "usd":
		return okrs.Currency, "$", ""
	case "eur":
		return okrs.Currency, "€", ""
	case "gbp":
		return okrs.Currency, "£", ""
	}
	return okrs.Number, "", strings.TrimSpace(s)
}

func objectiveColumn(field string) string {
	switch field {
	case okrs.FieldTitle:
		return ColObjective
	case okrs.FieldDescription:
		return ColDescription
	case okrs.FieldOwner:
		return ColObjectiveOwner
	case okrs.FieldTeam:
		return ColTeam
	case okrs.FieldCycle:
		return ColCycle
	case okrs.FieldKeyResults:
		return ColKeyResult
	}
	return ""
}

func keyResultColumn(field string) string {
	switch field {
	case okrs.FieldTitle:
		return ColKeyResult
	case okrs.FieldOwner:
		return ColOwner
	case okrs.FieldKind:
		return ColKind
	case okrs.FieldUnit:
		return ColUnit
	case okrs.FieldStart:
		return ColStart
	case okrs.FieldTarget:
		return ColTarget
	case okrs.FieldCurrent:
		return ColCurrent
	case okrs.FieldDue:
		return ColDue
	case okrs.FieldConfidence:
		return ColConfidence
	}
	return ""
}

// message is an error's text for a person: a domain error's message.
func message(err error) string {
	var de *okrs.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}
