// Package okrcsv moves OKRs in and out of spreadsheets: Export writes a
// team's objectives, key results, check-ins, changes, proposals and grades
// as CSV files in a zip; ParseImport reads a simple sheet of objectives and
// key results. It is pure: domain values in, bytes out (and back), no Slack,
// no Redis. The columns are documented in docs/export-csv.md and
// docs/import-csv.md.
package okrcsv

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Data is what Export writes: one team's objectives of every cycle,
// archived ones included, each key result with all its check-ins.
type Data struct {
	Team       string            // the team's channel id
	TeamName   string            // its name without '#', when known
	Timezone   string            // the team's IANA timezone ("UTC" when empty)
	Objectives []okrs.Objective  // with KeyResults[i].CheckIns loaded (newest first, as the store returns them)
	People     map[string]string // Slack user id → name, for the *_name columns (optional)
	Generated  time.Time         // when the export was made
}

// BOM starts every CSV file, so that spreadsheets read it as UTF-8.
const BOM = "\ufeff"

// Files of the zip, in order.
const (
	ObjectivesFile = "objectives.csv"
	CheckInsFile   = "checkins.csv"
	ChangesFile    = "changes.csv"
	ProposalsFile  = "proposals.csv"
	ReadmeFile     = "README.txt"
)

// Column headers of each file (docs/export-csv.md explains every one).
var (
	ObjectiveColumns = []string{
		"team_channel_id", "team_channel", "team_timezone", "cycle",
		"objective_id", "objective", "objective_description", "objective_owner_id", "objective_owner",
		"parent_objective_id", "shared_with", "objective_created_by_id", "objective_created_at_utc",
		"objective_archived", "objective_archived_at_utc", "objective_progress",
		"objective_grade", "graded_by_id", "graded_at_utc", "grade_note",
		"key_result_id", "key_result", "key_result_owner_id", "key_result_owner",
		"kind", "unit", "unit_label", "start", "target", "current", "key_result_progress",
		"confidence", "last_check_in_at_utc", "due_date", "key_result_archived", "key_result_created_at_utc",
		"key_result_grade",
	}
	CheckInColumns = []string{
		"team_channel_id", "team_timezone", "cycle", "objective_id", "objective",
		"key_result_id", "key_result", "check_in_id", "checked_in_at_utc",
		"author_id", "author", "value", "unit", "confidence", "comment",
	}
	ChangeColumns = []string{
		"team_channel_id", "team_timezone", "cycle", "objective_id", "objective",
		"key_result_id", "key_result", "changed_at_utc", "changed_by_id", "changed_by",
		"field", "from", "to", "reason",
	}
	ProposalColumns = []string{
		"team_channel_id", "team_timezone", "cycle", "objective_id", "objective",
		"proposal_id", "proposed_key_result", "kind", "unit", "start", "target",
		"proposed_owner_id", "proposed_owner", "proposed_by_id", "proposed_by", "proposed_at_utc",
		"state", "decided_by_id", "decided_by", "decided_at_utc", "decline_reason", "changes_on_accepting",
	}
)

// Counts says how much an export holds.
type Counts struct {
	Objectives, KeyResults, CheckIns, Changes, Proposals int
}

// Export writes d as a zip of CSV files and says how many rows of each it
// holds. Objectives are ordered by cycle, then creation.
func Export(d Data) ([]byte, Counts, error) {
	objs := slices.Clone(d.Objectives)
	slices.SortStableFunc(objs, func(a, b okrs.Objective) int {
		if c := strings.Compare(a.Cycle, b.Cycle); c != 0 {
			return c
		}
		return a.CreatedAt.Compare(b.CreatedAt)
	})
	tz := d.Timezone
	if tz == "" {
		tz = "UTC"
	}
	w := &writer{data: d, tz: tz}
	var n Counts
	var objRows, ciRows, chRows, prRows [][]cell
	for i := range objs {
		o := &objs[i]
		n.Objectives++
		if len(o.KeyResults) == 0 {
			objRows = append(objRows, w.objectiveRow(o, nil))
		}
		for j := range o.KeyResults {
			kr := &o.KeyResults[j]
			n.KeyResults++
			objRows = append(objRows, w.objectiveRow(o, kr))
			cis := slices.Clone(kr.CheckIns)
			slices.SortStableFunc(cis, func(a, b okrs.CheckIn) int { return a.At.Compare(b.At) })
			for _, ci := range cis {
				ciRows = append(ciRows, w.checkInRow(o, kr, ci))
			}
			for _, h := range kr.TargetHistory {
				chRows = append(chRows, w.changeRow(o, kr, h))
			}
		}
		for _, p := range o.Proposals {
			prRows = append(prRows, w.proposalRow(o, p))
		}
	}
	n.CheckIns, n.Changes, n.Proposals = len(ciRows), len(chRows), len(prRows)

	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, header []string, rows [][]cell) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.Generated.UTC()})
		if err != nil {
			return err
		}
		return WriteCSV(f, header, rows)
	}
	for _, f := range []struct {
		name   string
		header []string
		rows   [][]cell
	}{
		{ObjectivesFile, ObjectiveColumns, objRows},
		{CheckInsFile, CheckInColumns, ciRows},
		{ChangesFile, ChangeColumns, chRows},
		{ProposalsFile, ProposalColumns, prRows},
	} {
		if err := add(f.name, f.header, f.rows); err != nil {
			return nil, Counts{}, fmt.Errorf("okrcsv: writing %s: %w", f.name, err)
		}
	}
	rf, err := z.CreateHeader(&zip.FileHeader{Name: ReadmeFile, Method: zip.Deflate, Modified: d.Generated.UTC()})
	if err == nil {
		_, err = io.WriteString(rf, readme(d, tz, n))
	}
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		return nil, Counts{}, fmt.Errorf("okrcsv: writing the zip: %w", err)
	}
	return buf.Bytes(), n, nil
}

func readme(d Data, tz string, n Counts) string {
	team := d.Team
	if d.TeamName != "" {
		team = "#" + d.TeamName + " (" + d.Team + ")"
	}
	return strings.ReplaceAll(fmt.Sprintf(`okrbot export of %s, made %s.

Every cycle is included, and so are archived objectives and key results
(objective_archived, key_result_archived say which).

%s  %d objectives, %d key results (one row per key result)
%s    %d check-ins
%s     %d changes of target, kind or due date, with reasons
%s   %d proposed key results and their decisions

Times are RFC 3339 in UTC; team_timezone (%s) is the team's timezone.
Numbers are plain (a dot for decimals, no thousands separators); a text
cell starting with = + - @ or a tab starts with an apostrophe, so that a
spreadsheet does not run it as a formula.
Every column is described in docs/export-csv.md of okrbot.
`, team, d.Generated.UTC().Format(time.RFC3339),
		ObjectivesFile, n.Objectives, n.KeyResults, CheckInsFile, n.CheckIns,
		ChangesFile, n.Changes, ProposalsFile, n.Proposals, tz), "\n", "\r\n")
}

// A cell is one value: text is neutralised against formula injection,
// numbers are written as they are.
type cell struct {
	s       string
	numeric bool
}

func text(s string) cell { return cell{s: s} }

// num writes f in plain decimal notation (no exponent, '.' for decimals),
// which every spreadsheet reads as a number.
func num(f float64) cell { return cell{s: strconv.FormatFloat(f, 'f', -1, 64), numeric: true} }

// ratio writes a share (0.5 for 50%) to four decimals.
func ratio(f float64) cell {
	return cell{s: strconv.FormatFloat(f, 'f', 4, 64), numeric: true}
}

func boolean(b bool) cell { return cell{s: strconv.FormatBool(b)} }

// when writes t in RFC 3339, UTC; a zero time is an empty cell.
func when(t time.Time) cell {
	if t.IsZero() {
		return cell{}
	}
	return cell{s: t.UTC().Format(time.RFC3339)}
}

// date writes a calendar day, YYYY-MM-DD; a zero time is an empty cell.
func date(t time.Time) cell {
	if t.IsZero() {
		return cell{}
	}
	return cell{s: t.Format(time.DateOnly)}
}

// Neutralise makes a text cell safe to open in a spreadsheet: a cell
// starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe, so that Excel, LibreOffice and Google Sheets show it as text
// instead of evaluating a formula.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes a BOM, the header and rows with RFC 4180 quoting and CRLF
// line ends.
func WriteCSV(w io.Writer, header []string, rows [][]cell) error {
	if _, err := io.WriteString(w, BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for _, r := range rows {
		for i := range rec {
			rec[i] = ""
			if i < len(r) {
				rec[i] = r[i].s
				if !r[i].numeric {
					rec[i] = Neutralise(r[i].s)
				}
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type writer struct {
	data Data
	tz   string
}

func (w *writer) name(id string) cell { return text(w.data.People[id]) }

func (w *writer) objectiveRow(o *okrs.Objective, kr *okrs.KeyResult) []cell {
	archivedAt := cell{}
	if o.Archived {
		archivedAt = when(o.ArchivedAt)
	}
	row := []cell{
		text(o.Team), text(w.data.TeamName), text(w.tz), text(o.Cycle),
		text(o.ID), text(o.Title), text(o.Description), text(o.Owner), w.name(o.Owner),
		text(o.ParentID), text(strings.Join(o.SharedWith, " ")), text(o.CreatedBy), when(o.CreatedAt),
		boolean(o.Archived), archivedAt, ratio(o.Progress()),
	}
	if o.Graded() {
		row = append(row, num(float64(o.Grade())), text(o.Grading.By), when(o.Grading.At), text(o.Grading.Note))
	} else {
		row = append(row, cell{}, cell{}, cell{}, cell{})
	}
	if kr == nil {
		return row
	}
	row = append(row,
		text(kr.ID), text(kr.Title), text(kr.Owner), w.name(kr.Owner),
		text(string(kr.Kind)), text(string(kr.Unit)), text(unitLabel(kr)),
		num(kr.Start), num(kr.Target), num(kr.Current), ratio(kr.Progress()),
		text(string(kr.Confidence.Level)), when(kr.LastCheckIn), date(kr.Due), boolean(kr.Archived), when(kr.CreatedAt),
	)
	if g, ok := o.Grading.Grades[kr.ID]; ok && o.Graded() {
		row = append(row, num(float64(g)))
	} else {
		row = append(row, cell{})
	}
	return row
}

// unitLabel is what a key result's numbers are counted in: its label
// ("ms"), the currency symbol, or "%".
func unitLabel(kr *okrs.KeyResult) string {
	switch kr.Unit {
	case okrs.Currency:
		if kr.Currency == "" {
			return okrs.DefaultCurrency
		}
		return kr.Currency
	case okrs.Percent:
		return "%"
	}
	return kr.UnitLabel
}

func (w *writer) lead(o *okrs.Objective) []cell {
	return []cell{text(o.Team), text(w.tz), text(o.Cycle), text(o.ID), text(o.Title)}
}

func (w *writer) checkInRow(o *okrs.Objective, kr *okrs.KeyResult, ci okrs.CheckIn) []cell {
	return append(w.lead(o),
		text(kr.ID), text(kr.Title), text(ci.ID), when(ci.At),
		text(ci.Author), w.name(ci.Author), num(ci.Value), text(unitLabel(kr)),
		text(string(ci.Confidence.Level)), text(ci.Comment),
	)
}

func (w *writer) changeRow(o *okrs.Objective, kr *okrs.KeyResult, h okrs.TargetChange) []cell {
	field, from, to := h.Field, cell{}, cell{}
	switch {
	case h.IsTarget():
		field, from, to = okrs.FieldTarget, num(h.From), num(h.To)
	case h.Field == okrs.FieldKind:
		from, to = text(string(h.FromKind)), text(string(h.ToKind))
	case h.Field == okrs.FieldDue:
		from, to = dueCell(h.FromDue), dueCell(h.ToDue)
	}
	return append(w.lead(o),
		text(kr.ID), text(kr.Title), when(h.At), text(h.By), w.name(h.By),
		text(field), from, to, text(h.Reason),
	)
}

// dueCell is a due date, or "cycle end" for none.
func dueCell(t time.Time) cell {
	if t.IsZero() {
		return text("cycle end")
	}
	return date(t)
}

func (w *writer) proposalRow(o *okrs.Objective, p okrs.Proposal) []cell {
	kr := p.KeyResult
	var changes []string
	for _, c := range p.Changes {
		changes = append(changes, c.Field+": "+c.From+" → "+c.To)
	}
	return append(w.lead(o),
		text(p.ID), text(kr.Title), text(string(kr.Kind)), text(string(kr.Unit)), num(kr.Start), num(kr.Target),
		text(kr.Owner), w.name(kr.Owner), text(p.ProposedBy), w.name(p.ProposedBy), when(p.ProposedAt),
		text(string(p.State)), text(p.DecidedBy), w.name(p.DecidedBy), when(p.DecidedAt), text(p.Reason),
		text(strings.Join(changes, "; ")),
	)
}
