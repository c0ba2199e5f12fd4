package store

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// objectiveDoc is how an objective and its key-result definitions are kept.
// Live state (current value, confidence) lives in each key result's hash.
type objectiveDoc struct {
	ID          string  `json:"id"`
	Team        string  `json:"team"`
	Cycle       string  `json:"cycle"`
	Title       string  `json:"title"`
	Description string  `json:"desc,omitempty"`
	Owner       string  `json:"owner"`
	ParentID    string  `json:"parent,omitempty"`
	CreatedBy   string  `json:"cby"`
	CreatedAt   int64   `json:"cat"` // unix ms
	UpdatedAt   int64   `json:"uat,omitempty"`
	Archived    bool    `json:"arch,omitempty"`
	ArchivedBy  string  `json:"aby,omitempty"`
	ArchivedAt  int64   `json:"aat,omitempty"`
	KeyResults  []krDoc `json:"krs"`
	// Proposals came later: a record without them has none.
	Proposals []proposalDoc `json:"props,omitempty"`
	// Shared came later: a record without it is one team's alone.
	Shared []string `json:"shared,omitempty"`
	// Grading came with cycles: absent until the owner grades.
	Grading *gradingDoc `json:"grade,omitempty"`
}

type gradingDoc struct {
	By     string             `json:"by"`
	At     int64              `json:"at"`
	Note   string             `json:"note,omitempty"`
	Grades map[string]float64 `json:"g"`
}

type krDoc struct {
	ID        string      `json:"id"`
	Title     string      `json:"title"`
	Owner     string      `json:"owner"`
	Kind      okrs.Kind   `json:"kind"`
	Unit      okrs.Unit   `json:"unit"`
	UnitLabel string      `json:"ul,omitempty"`
	Currency  string      `json:"cur,omitempty"`
	Start     float64     `json:"start"`
	Target    float64     `json:"target"`
	Due       string      `json:"due,omitempty"` // 2006-01-02
	Archived  bool        `json:"arch,omitempty"`
	CreatedAt int64       `json:"cat"`
	History   []targetDoc `json:"th,omitempty"`
}

// targetDoc is one course correction of a key result. Records written
// before kinds and due dates were kept have no "f": they are target
// changes.
type targetDoc struct {
	Field    string    `json:"f,omitempty"` // "" or okrs.FieldTarget, okrs.FieldKind, okrs.FieldDue
	By       string    `json:"by"`
	At       int64     `json:"at"`
	From     float64   `json:"from"`
	To       float64   `json:"to"`
	FromKind okrs.Kind `json:"fk,omitempty"`
	ToKind   okrs.Kind `json:"tk,omitempty"`
	FromDue  string    `json:"fd,omitempty"` // YYYY-MM-DD, "" for the cycle end
	ToDue    string    `json:"td,omitempty"`
	Reason   string    `json:"why,omitempty"`
}

// proposalDoc is a key result proposed for an objective, kept in the
// objective's record.
type proposalDoc struct {
	ID         string             `json:"id"`
	KeyResult  krDoc              `json:"kr"`
	By         string             `json:"by"`
	At         int64              `json:"at"`
	State      okrs.ProposalState `json:"st"`
	DecidedBy  string             `json:"dby,omitempty"`
	DecidedAt  int64              `json:"dat,omitempty"`
	Reason     string             `json:"why,omitempty"`
	Changes    []changeDoc        `json:"chg,omitempty"`
	OwnerDM    string             `json:"odm,omitempty"` // channel/ts
	ProposerDM string             `json:"pdm,omitempty"`
}

type changeDoc struct {
	Field string `json:"f"`
	From  string `json:"a"`
	To    string `json:"b"`
}

// checkInDoc is one entry of a key result's history list. Short names keep
// a check-in with a 40-character comment well under 250 bytes in Redis.
type checkInDoc struct {
	ID      string  `json:"i"`
	Author  string  `json:"a"`
	At      int64   `json:"t"` // unix ms
	Value   float64 `json:"v"`
	Level   string  `json:"c,omitempty"`
	Comment string  `json:"m,omitempty"`
}

const dateLayout = "2006-01-02"

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func encodeObjective(o *okrs.Objective) ([]byte, error) {
	d := objectiveDoc{
		ID: o.ID, Team: o.Team, Cycle: o.Cycle, Title: o.Title, Description: o.Description,
		Owner: o.Owner, ParentID: o.ParentID, Shared: o.SharedWith, CreatedBy: o.CreatedBy, CreatedAt: ms(o.CreatedAt),
		UpdatedAt: ms(o.UpdatedAt), Archived: o.Archived, ArchivedBy: o.ArchivedBy, ArchivedAt: ms(o.ArchivedAt),
		KeyResults: make([]krDoc, len(o.KeyResults)),
	}
	for i := range o.KeyResults {
		d.KeyResults[i] = encodeKR(&o.KeyResults[i])
	}
	for i := range o.Proposals {
		d.Proposals = append(d.Proposals, encodeProposal(&o.Proposals[i]))
	}
	if o.Graded() {
		g := &gradingDoc{By: o.Grading.By, At: ms(o.Grading.At), Note: o.Grading.Note, Grades: map[string]float64{}}
		for id, v := range o.Grading.Grades {
			g.Grades[id] = float64(v)
		}
		d.Grading = g
	}
	return json.Marshal(d)
}

func encodeKR(kr *okrs.KeyResult) krDoc {
	kd := krDoc{
		ID: kr.ID, Title: kr.Title, Owner: kr.Owner, Kind: kr.Kind, Unit: kr.Unit,
		UnitLabel: kr.UnitLabel, Currency: kr.Currency, Start: kr.Start, Target: kr.Target,
		Archived: kr.Archived, CreatedAt: ms(kr.CreatedAt),
	}
	if !kr.Due.IsZero() {
		kd.Due = kr.Due.Format(dateLayout)
	}
	for _, h := range kr.TargetHistory {
		kd.History = append(kd.History, targetDoc{Field: h.Field, By: h.By, At: ms(h.At), From: h.From, To: h.To,
			FromKind: h.FromKind, ToKind: h.ToKind, FromDue: dateDoc(h.FromDue), ToDue: dateDoc(h.ToDue), Reason: h.Reason})
	}
	return kd
}

// dateDoc writes a date as YYYY-MM-DD, "" for none.
func dateDoc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

// dateOf reads what dateDoc wrote; anything else is no date.
func dateOf(s string) time.Time {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func encodeProposal(p *okrs.Proposal) proposalDoc {
	pd := proposalDoc{
		ID: p.ID, KeyResult: encodeKR(&p.KeyResult), By: p.ProposedBy, At: ms(p.ProposedAt), State: p.State,
		DecidedBy: p.DecidedBy, DecidedAt: ms(p.DecidedAt), Reason: p.Reason,
		OwnerDM: postedDoc(p.OwnerDM), ProposerDM: postedDoc(p.ProposerDM),
	}
	for _, c := range p.Changes {
		pd.Changes = append(pd.Changes, changeDoc{Field: c.Field, From: c.From, To: c.To})
	}
	return pd
}

// postedDoc writes where a message landed as "channel/ts", "" for none.
func postedDoc(p okrs.Posted) string {
	if p.Zero() {
		return ""
	}
	return p.Channel + "/" + p.TS
}

func postedOf(s string) okrs.Posted {
	ch, ts, _ := strings.Cut(s, "/")
	return okrs.Posted{Channel: ch, TS: ts}
}

func decodeObjective(workspace string, b []byte) (*okrs.Objective, error) {
	var d objectiveDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	o := &okrs.Objective{
		ID: d.ID, Workspace: workspace, Team: d.Team, Cycle: d.Cycle, Title: d.Title,
		Description: d.Description, Owner: d.Owner, ParentID: d.ParentID, SharedWith: d.Shared, CreatedBy: d.CreatedBy,
		CreatedAt: fromMS(d.CreatedAt), UpdatedAt: fromMS(d.UpdatedAt), Archived: d.Archived,
		ArchivedBy: d.ArchivedBy, ArchivedAt: fromMS(d.ArchivedAt),
		KeyResults: make([]okrs.KeyResult, len(d.KeyResults)),
	}
	for i, kd := range d.KeyResults {
		o.KeyResults[i] = decodeKR(d.ID, kd)
	}
	for _, pd := range d.Proposals {
		p := okrs.Proposal{
			ID: pd.ID, KeyResult: decodeKR(d.ID, pd.KeyResult), ProposedBy: pd.By, ProposedAt: fromMS(pd.At),
			State: pd.State, DecidedBy: pd.DecidedBy, DecidedAt: fromMS(pd.DecidedAt), Reason: pd.Reason,
			OwnerDM: postedOf(pd.OwnerDM), ProposerDM: postedOf(pd.ProposerDM),
		}
		for _, c := range pd.Changes {
			p.Changes = append(p.Changes, okrs.Change{Field: c.Field, From: c.From, To: c.To})
		}
		o.Proposals = append(o.Proposals, p)
	}
	if g := d.Grading; g != nil {
		o.Grading = okrs.Grading{By: g.By, At: fromMS(g.At), Note: g.Note, Grades: map[string]okrs.Grade{}}
		for id, v := range g.Grades {
			o.Grading.Grades[id] = okrs.Grade(v)
		}
	}
	return o, nil
}

func decodeKR(objID string, kd krDoc) okrs.KeyResult {
	kr := okrs.KeyResult{
		ID: kd.ID, ObjectiveID: objID, Title: kd.Title, Owner: kd.Owner, Kind: kd.Kind, Unit: kd.Unit,
		UnitLabel: kd.UnitLabel, Currency: kd.Currency, Start: kd.Start, Target: kd.Target,
		Archived: kd.Archived, CreatedAt: fromMS(kd.CreatedAt),
		Current: kd.Start,
	}
	if kd.Due != "" {
		if due, err := time.Parse(dateLayout, kd.Due); err == nil {
			kr.Due = due
		}
	}
	for _, h := range kd.History {
		field := h.Field
		if field == "" {
			field = okrs.FieldTarget
		}
		kr.TargetHistory = append(kr.TargetHistory, okrs.TargetChange{Field: field, By: h.By, At: fromMS(h.At), From: h.From, To: h.To,
			FromKind: h.FromKind, ToKind: h.ToKind, FromDue: dateOf(h.FromDue), ToDue: dateOf(h.ToDue), Reason: h.Reason})
	}
	return kr
}

// Fields of a key result's live hash.
const (
	hObjective = "o"
	hCurrent   = "v"
	hLevel     = "c"
	hAt        = "t"
	hAuthor    = "a"
	hArchived  = "x"
)

// applyLive moves a key result's live state from its hash onto kr.
func applyLive(kr *okrs.KeyResult, h map[string]string) {
	if v, err := strconv.ParseFloat(h[hCurrent], 64); err == nil {
		kr.Current = v
	}
	kr.Confidence.Level = okrs.Level(h[hLevel])
	if t, err := strconv.ParseInt(h[hAt], 10, 64); err == nil {
		kr.LastCheckIn = fromMS(t)
	}
	kr.LastAuthor = h[hAuthor]
}

func encodeCheckIn(c *okrs.CheckIn) ([]byte, error) {
	d := checkInDoc{
		ID: c.ID, Author: c.Author, At: ms(c.At), Value: c.Value, Level: string(c.Confidence.Level),
		Comment: c.Comment,
	}
	return json.Marshal(d)
}

func decodeCheckIn(kr string, b []byte) (okrs.CheckIn, error) {
	var d checkInDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return okrs.CheckIn{}, err
	}
	c := okrs.CheckIn{
		ID: d.ID, KeyResultID: kr, Author: d.Author, At: fromMS(d.At), Value: d.Value,
		Confidence: okrs.Confidence{Level: okrs.Level(d.Level)}, Comment: d.Comment,
	}
	return c, nil
}

// settingsDoc is how team settings are kept.
type settingsDoc struct {
	Cadence        okrs.Cadence `json:"cadence"`
	PromptDay      time.Weekday `json:"pday"`
	PromptTime     string       `json:"ptime"`
	OwnerLocalTime bool         `json:"local"`
	Timezone       string       `json:"tz"`
	NudgeAfter     int64        `json:"nudge_s"`
	DigestChannel  string       `json:"dch,omitempty"`
	DigestDay      time.Weekday `json:"dday"`
	DigestTime     string       `json:"dtime"`
	Managers       []string     `json:"managers,omitempty"`
	PostCheckIns   bool         `json:"post,omitempty"`
	DirectKRs      bool         `json:"krdirect,omitempty"` // absent in older records: proposals
	Anchor         string       `json:"anchor,omitempty"`
	Cycles         []cycleDoc   `json:"cycles,omitempty"`
	Holidays       []string     `json:"hol,omitempty"` // "2006-01-02" or "2006-01-02..2006-01-02"
	UpdatedBy      string       `json:"uby,omitempty"`
	UpdatedAt      int64        `json:"uat,omitempty"`
}

// cycleDoc is one of a team's recorded cycles.
type cycleDoc struct {
	Name   string `json:"n"`
	Start  string `json:"s"` // 2006-01-02
	End    string `json:"e"`
	Closed int64  `json:"x,omitempty"` // unix ms
}

func encodeSettings(s okrs.Settings) ([]byte, error) {
	d := settingsDoc{
		Cadence: s.Cadence, PromptDay: s.PromptDay, PromptTime: s.PromptTime.String(),
		OwnerLocalTime: s.OwnerLocalTime, Timezone: s.Timezone, NudgeAfter: int64(s.NudgeAfter / time.Second),
		DigestChannel: s.DigestChannel, DigestDay: s.DigestDay, DigestTime: s.DigestTime.String(),
		Managers: s.Managers, PostCheckIns: s.PostCheckIns, DirectKRs: s.DirectKeyResults, UpdatedBy: s.UpdatedBy, UpdatedAt: ms(s.UpdatedAt),
	}
	if !s.Anchor.IsZero() {
		d.Anchor = s.Anchor.Format(dateLayout)
	}
	for _, h := range s.Holidays {
		d.Holidays = append(d.Holidays, h.String())
	}
	for _, c := range s.Cycles {
		d.Cycles = append(d.Cycles, cycleDoc{Name: c.Name, Start: c.Start.Format(dateLayout), End: c.End.Format(dateLayout), Closed: ms(c.ClosedAt)})
	}
	return json.Marshal(d)
}

func decodeSettings(b []byte) (okrs.Settings, error) {
	var d settingsDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return okrs.Settings{}, err
	}
	s := okrs.DefaultSettings(d.Timezone)
	s.Cadence, s.PromptDay, s.OwnerLocalTime = d.Cadence, d.PromptDay, d.OwnerLocalTime
	s.NudgeAfter = time.Duration(d.NudgeAfter) * time.Second
	s.DigestChannel, s.DigestDay, s.Managers, s.PostCheckIns = d.DigestChannel, d.DigestDay, d.Managers, d.PostCheckIns
	s.DirectKeyResults = d.DirectKRs
	s.UpdatedBy, s.UpdatedAt = d.UpdatedBy, fromMS(d.UpdatedAt)
	if t, err := okrs.ParseTimeOfDay(d.PromptTime); err == nil {
		s.PromptTime = t
	}
	if t, err := okrs.ParseTimeOfDay(d.DigestTime); err == nil {
		s.DigestTime = t
	}
	if a, err := time.Parse(dateLayout, d.Anchor); err == nil {
		s.Anchor = a
	}
	if hs, err := okrs.ParseHolidays(strings.Join(d.Holidays, ",")); err == nil {
		s.Holidays = hs
	}
	for _, cd := range d.Cycles {
		start, err1 := time.Parse(dateLayout, cd.Start)
		end, err2 := time.Parse(dateLayout, cd.End)
		if err1 != nil || err2 != nil {
			continue
		}
		s.Cycles = append(s.Cycles, okrs.Cycle{Name: cd.Name, Start: start, End: end, ClosedAt: fromMS(cd.Closed)})
	}
	return s, nil
}
