package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// okrbot's backup format: one JSON document with every durable record of
// one or more workspaces, described field by field in
// docs/backup-format.md. Exporting, importing and exporting again gives the
// same bytes (exported_at aside): lists are sorted or kept in their stored
// order, maps are written with sorted keys, times in UTC.

// BackupFormat is the "format" of every okrbot backup.
const BackupFormat = "okrbot-backup"

// BackupVersion is the version of the backup format this okrbot writes,
// and the newest it reads.
const BackupVersion = 1

// Backup is a backup document.
type Backup struct {
	Format     string            `json:"format"`
	Version    int               `json:"schema_version"`
	ExportedAt time.Time         `json:"exported_at"`
	Workspaces []BackupWorkspace `json:"workspaces"`
}

// BackupWorkspace is every durable record of one workspace.
type BackupWorkspace struct {
	ID         string            `json:"id"`
	Teams      []BackupTeam      `json:"teams"`
	Objectives []BackupObjective `json:"objectives"`
	// Away are the people who said "/okr away until …" and are not back.
	Away []BackupAway `json:"away,omitempty"`
}

// BackupTeam is a team channel of the workspace, with its settings when it
// has saved some, its digest archive and the prompts it held while their
// owners were away.
type BackupTeam struct {
	Channel     string          `json:"channel"`
	Settings    *BackupSettings `json:"settings,omitempty"`
	Digests     []BackupDigest  `json:"digests,omitempty"`
	HeldPrompts []BackupHeld    `json:"held_prompts,omitempty"`
}

// BackupDigest is a posted digest in its team's archive.
type BackupDigest struct {
	Week       string    `json:"week"`
	Cycle      string    `json:"cycle"`
	Channel    string    `json:"channel"`
	TS         string    `json:"ts"`
	PostedAt   time.Time `json:"posted_at"`
	Objectives int       `json:"objectives"`
	Progress   float64   `json:"progress"`
	Owners     int       `json:"owners"`
	CheckedIn  int       `json:"checked_in"`
	AtRisk     int       `json:"at_risk"`
}

// BackupHeld is a prompt held because its owner was away in its period.
type BackupHeld struct {
	User   string    `json:"user"`
	Period string    `json:"period"`
	At     time.Time `json:"at"`
	Why    string    `json:"why"`
}

// BackupAway is what a person said with "/okr away until …".
type BackupAway struct {
	User  string    `json:"user"`
	Until time.Time `json:"until"`
	SetAt time.Time `json:"set_at"`
}

// BackupHoliday is a team holiday: a day or a range of days.
type BackupHoliday struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// BackupSettings are a team's settings.
type BackupSettings struct {
	Cadence           string          `json:"cadence"`
	PromptDay         string          `json:"prompt_day"`
	PromptTime        string          `json:"prompt_time"`
	OwnerLocalTime    bool            `json:"owner_local_time"`
	Timezone          string          `json:"timezone"`
	NudgeAfterSeconds int64           `json:"nudge_after_seconds"`
	DigestChannel     string          `json:"digest_channel,omitempty"`
	DigestDay         string          `json:"digest_day"`
	DigestTime        string          `json:"digest_time"`
	Managers          []string        `json:"managers,omitempty"`
	PostCheckIns      bool            `json:"post_check_ins"`
	DirectKeyResults  bool            `json:"direct_key_results"`
	Anchor            string          `json:"anchor,omitempty"`
	Cycles            []BackupCycle   `json:"cycles,omitempty"`
	Holidays          []BackupHoliday `json:"holidays,omitempty"`
	UpdatedBy         string          `json:"updated_by,omitempty"`
	UpdatedAt         time.Time       `json:"updated_at,omitzero"`
}

// BackupCycle is one of a team's recorded cycles.
type BackupCycle struct {
	Name     string    `json:"name"`
	Start    string    `json:"start"`
	End      string    `json:"end"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// BackupObjective is an objective with its key results, proposals and
// grading.
type BackupObjective struct {
	ID          string            `json:"id"`
	Team        string            `json:"team"`
	SharedWith  []string          `json:"shared_with,omitempty"`
	Cycle       string            `json:"cycle"`
	Title       string            `json:"title"`
	Description string            `json:"description,omitempty"`
	Owner       string            `json:"owner"`
	Parent      string            `json:"parent,omitempty"`
	CreatedBy   string            `json:"created_by"`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at,omitzero"`
	Archived    bool              `json:"archived,omitempty"`
	ArchivedBy  string            `json:"archived_by,omitempty"`
	ArchivedAt  time.Time         `json:"archived_at,omitzero"`
	KeyResults  []BackupKeyResult `json:"key_results"`
	Proposals   []BackupProposal  `json:"proposals,omitempty"`
	Grading     *BackupGrading    `json:"grading,omitempty"`
}

// BackupKeyResultDef is a key result's definition: what its objective's
// form says, and its course corrections.
type BackupKeyResultDef struct {
	ID        string         `json:"id"`
	Title     string         `json:"title"`
	Owner     string         `json:"owner"`
	Kind      string         `json:"kind"`
	Unit      string         `json:"unit"`
	UnitLabel string         `json:"unit_label,omitempty"`
	Currency  string         `json:"currency,omitempty"`
	Start     float64        `json:"start"`
	Target    float64        `json:"target"`
	Due       string         `json:"due,omitempty"`
	Archived  bool           `json:"archived,omitempty"`
	CreatedAt time.Time      `json:"created_at,omitzero"`
	History   []BackupChange `json:"history,omitempty"`
}

// BackupKeyResult is a key result of an objective: its definition, its live
// state and every check-in, oldest first.
type BackupKeyResult struct {
	BackupKeyResultDef
	Current       float64         `json:"current"`
	Confidence    string          `json:"confidence,omitempty"`
	LastCheckInAt time.Time       `json:"last_check_in_at,omitzero"`
	LastAuthor    string          `json:"last_author,omitempty"`
	CheckIns      []BackupCheckIn `json:"check_ins,omitempty"`
}

// BackupChange is one course correction of a key result's target, kind or
// due date.
type BackupChange struct {
	Field    string    `json:"field"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
	From     *float64  `json:"from,omitempty"`
	To       *float64  `json:"to,omitempty"`
	FromKind string    `json:"from_kind,omitempty"`
	ToKind   string    `json:"to_kind,omitempty"`
	FromDue  string    `json:"from_due,omitempty"`
	ToDue    string    `json:"to_due,omitempty"`
	Reason   string    `json:"reason,omitempty"`
}

// BackupCheckIn is one check-in on a key result.
type BackupCheckIn struct {
	ID         string    `json:"id"`
	Author     string    `json:"author"`
	At         time.Time `json:"at"`
	Value      float64   `json:"value"`
	Confidence string    `json:"confidence,omitempty"`
	Comment    string    `json:"comment,omitempty"`
}

// BackupProposal is a key result proposed for an objective, and its
// decision.
type BackupProposal struct {
	ID         string                 `json:"id"`
	KeyResult  BackupKeyResultDef     `json:"key_result"`
	ProposedBy string                 `json:"proposed_by"`
	ProposedAt time.Time              `json:"proposed_at"`
	State      string                 `json:"state"`
	DecidedBy  string                 `json:"decided_by,omitempty"`
	DecidedAt  time.Time              `json:"decided_at,omitzero"`
	Reason     string                 `json:"reason,omitempty"`
	Changes    []BackupProposalChange `json:"changes,omitempty"`
	OwnerDM    *BackupMessage         `json:"owner_dm,omitempty"`
	ProposerDM *BackupMessage         `json:"proposer_dm,omitempty"`
}

// BackupProposalChange is a field the objective's owner changed in a
// proposal before accepting it.
type BackupProposalChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// BackupMessage is where a Slack message okrbot sent landed.
type BackupMessage struct {
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

// BackupGrading is an objective's end-of-cycle grades and note.
type BackupGrading struct {
	By     string             `json:"by"`
	At     time.Time          `json:"at"`
	Note   string             `json:"note,omitempty"`
	Grades map[string]float64 `json:"grades"`
}

// NewBackup returns a backup of workspaces made at now, sorted.
func NewBackup(now time.Time, workspaces ...BackupWorkspace) *Backup {
	b := &Backup{Format: BackupFormat, Version: BackupVersion, ExportedAt: now.UTC().Truncate(time.Millisecond), Workspaces: slices.Clone(workspaces)}
	if b.Workspaces == nil {
		b.Workspaces = []BackupWorkspace{}
	}
	slices.SortFunc(b.Workspaces, func(a, b BackupWorkspace) int { return strings.Compare(a.ID, b.ID) })
	for i := range b.Workspaces {
		b.Workspaces[i].sort()
	}
	return b
}

// sort puts teams in channel order and objectives in order of creation
// (then id); everything inside an objective keeps its stored order.
func (w *BackupWorkspace) sort() {
	if w.Teams == nil {
		w.Teams = []BackupTeam{}
	}
	if w.Objectives == nil {
		w.Objectives = []BackupObjective{}
	}
	slices.SortFunc(w.Teams, func(a, b BackupTeam) int { return strings.Compare(a.Channel, b.Channel) })
	for i := range w.Teams {
		t := &w.Teams[i]
		slices.SortFunc(t.Digests, func(a, b BackupDigest) int { return strings.Compare(a.Week, b.Week) })
		slices.SortFunc(t.HeldPrompts, func(a, b BackupHeld) int {
			return cmp.Or(strings.Compare(a.Period, b.Period), strings.Compare(a.User, b.User))
		})
	}
	slices.SortFunc(w.Away, func(a, b BackupAway) int { return strings.Compare(a.User, b.User) })
	slices.SortFunc(w.Objectives, func(a, b BackupObjective) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// MarshalBackup writes b as indented JSON with a final newline. The same
// backup always gives the same bytes.
func MarshalBackup(b *Backup) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, fmt.Errorf("store: encoding the backup: %w", err)
	}
	return buf.Bytes(), nil
}

// Counts says how many records a workspace's backup holds.
type Counts struct {
	Teams, Settings, Objectives, KeyResults, CheckIns, Changes, Proposals, Gradings int
	Digests, HeldPrompts, Away                                                      int
}

// Counts counts the workspace's records.
func (w *BackupWorkspace) Counts() Counts {
	c := Counts{Teams: len(w.Teams), Objectives: len(w.Objectives)}
	for _, t := range w.Teams {
		if t.Settings != nil {
			c.Settings++
		}
		c.Digests += len(t.Digests)
		c.HeldPrompts += len(t.HeldPrompts)
	}
	c.Away = len(w.Away)
	for _, o := range w.Objectives {
		c.KeyResults += len(o.KeyResults)
		c.Proposals += len(o.Proposals)
		if o.Grading != nil {
			c.Gradings++
		}
		for _, kr := range o.KeyResults {
			c.CheckIns += len(kr.CheckIns)
			c.Changes += len(kr.History)
		}
	}
	return c
}

func (c Counts) String() string {
	return fmt.Sprintf("%s (%d with settings), %s, %s, %s, %s, %s, %s, %s, %s, %s",
		plural(c.Teams, "team"), c.Settings, plural(c.Objectives, "objective"), plural(c.KeyResults, "key result"),
		plural(c.CheckIns, "check-in"), plural(c.Changes, "course correction"), plural(c.Proposals, "proposal"), plural(c.Gradings, "grading"),
		plural(c.Digests, "archived digest"), plural(c.HeldPrompts, "held prompt"), plural(c.Away, "away record"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// From okrs values to the backup.

var weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func weekdayName(d time.Weekday) string {
	if d >= 0 && int(d) < len(weekdays) {
		return weekdays[d]
	}
	return fmt.Sprint(int(d))
}

func backupSettings(s okrs.Settings) *BackupSettings {
	b := &BackupSettings{
		Cadence: string(s.Cadence), PromptDay: weekdayName(s.PromptDay), PromptTime: s.PromptTime.String(),
		OwnerLocalTime: s.OwnerLocalTime, Timezone: s.Timezone, NudgeAfterSeconds: int64(s.NudgeAfter / time.Second),
		DigestChannel: s.DigestChannel, DigestDay: weekdayName(s.DigestDay), DigestTime: s.DigestTime.String(),
		Managers: s.Managers, PostCheckIns: s.PostCheckIns, DirectKeyResults: s.DirectKeyResults,
		Anchor: dateDoc(s.Anchor), UpdatedBy: s.UpdatedBy, UpdatedAt: s.UpdatedAt,
	}
	for _, c := range s.Cycles {
		b.Cycles = append(b.Cycles, BackupCycle{Name: c.Name, Start: dateDoc(c.Start), End: dateDoc(c.End), ClosedAt: c.ClosedAt})
	}
	for _, h := range s.Holidays {
		b.Holidays = append(b.Holidays, BackupHoliday{From: dateDoc(h.From), To: dateDoc(h.To)})
	}
	return b
}

func backupDigest(r okrs.DigestRecord) BackupDigest {
	return BackupDigest{Week: r.Week, Cycle: r.Cycle, Channel: r.Channel, TS: r.TS, PostedAt: r.PostedAt,
		Objectives: r.Objectives, Progress: r.Progress, Owners: r.Owners, CheckedIn: r.CheckedIn, AtRisk: r.AtRisk}
}

func backupDef(kr *okrs.KeyResult) BackupKeyResultDef {
	d := BackupKeyResultDef{
		ID: kr.ID, Title: kr.Title, Owner: kr.Owner, Kind: string(kr.Kind), Unit: string(kr.Unit),
		UnitLabel: kr.UnitLabel, Currency: kr.Currency, Start: kr.Start, Target: kr.Target,
		Due: dateDoc(kr.Due), Archived: kr.Archived, CreatedAt: kr.CreatedAt,
	}
	for _, h := range kr.TargetHistory {
		c := BackupChange{Field: h.Field, By: h.By, At: h.At, Reason: h.Reason}
		if c.Field == "" {
			c.Field = okrs.FieldTarget
		}
		switch c.Field {
		case okrs.FieldTarget:
			from, to := h.From, h.To
			c.From, c.To = &from, &to
		case okrs.FieldKind:
			c.FromKind, c.ToKind = string(h.FromKind), string(h.ToKind)
		case okrs.FieldDue:
			c.FromDue, c.ToDue = dateDoc(h.FromDue), dateDoc(h.ToDue)
		}
		d.History = append(d.History, c)
	}
	return d
}

func backupMessage(p okrs.Posted) *BackupMessage {
	if p.Zero() {
		return nil
	}
	return &BackupMessage{Channel: p.Channel, TS: p.TS}
}

// backupObjective turns a stored objective, its key results' live state
// and check-ins (newest first, as kept) loaded, into its backup record.
func backupObjective(o *okrs.Objective) BackupObjective {
	b := BackupObjective{
		ID: o.ID, Team: o.Team, SharedWith: o.SharedWith, Cycle: o.Cycle, Title: o.Title, Description: o.Description,
		Owner: o.Owner, Parent: o.ParentID, CreatedBy: o.CreatedBy, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
		Archived: o.Archived, ArchivedBy: o.ArchivedBy, ArchivedAt: o.ArchivedAt, KeyResults: []BackupKeyResult{},
	}
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		bk := BackupKeyResult{BackupKeyResultDef: backupDef(kr), Current: kr.Current, Confidence: string(kr.Confidence.Level),
			LastCheckInAt: kr.LastCheckIn, LastAuthor: kr.LastAuthor}
		for j := len(kr.CheckIns) - 1; j >= 0; j-- {
			c := kr.CheckIns[j]
			bk.CheckIns = append(bk.CheckIns, BackupCheckIn{ID: c.ID, Author: c.Author, At: c.At, Value: c.Value,
				Confidence: string(c.Confidence.Level), Comment: c.Comment})
		}
		b.KeyResults = append(b.KeyResults, bk)
	}
	for i := range o.Proposals {
		p := &o.Proposals[i]
		bp := BackupProposal{ID: p.ID, KeyResult: backupDef(&p.KeyResult), ProposedBy: p.ProposedBy, ProposedAt: p.ProposedAt,
			State: string(p.State), DecidedBy: p.DecidedBy, DecidedAt: p.DecidedAt, Reason: p.Reason,
			OwnerDM: backupMessage(p.OwnerDM), ProposerDM: backupMessage(p.ProposerDM)}
		for _, c := range p.Changes {
			bp.Changes = append(bp.Changes, BackupProposalChange{Field: c.Field, From: c.From, To: c.To})
		}
		b.Proposals = append(b.Proposals, bp)
	}
	if o.Graded() {
		g := &BackupGrading{By: o.Grading.By, At: o.Grading.At, Note: o.Grading.Note, Grades: map[string]float64{}}
		for id, v := range o.Grading.Grades {
			g.Grades[id] = float64(v)
		}
		b.Grading = g
	}
	return b
}
