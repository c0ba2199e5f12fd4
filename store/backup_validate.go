package store

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/okrbot/okrbot/okrs"
)

// workspaceData is a checked workspace of a backup as the store keeps it:
// okrs values, key results with their live state and check-ins (newest
// first).
type workspaceData struct {
	id         string
	teams      []string
	settings   map[string]okrs.Settings
	objectives []*okrs.Objective
	digests    map[string][]okrs.DigestRecord // by team
	held       map[string][]okrs.HeldPrompt   // by team
	away       []okrs.AwayRecord
}

// Validate checks every record of the backup against the format and the
// others; see DecodeBackup.
func (b *Backup) Validate() error {
	if b.Format != BackupFormat {
		return &BackupError{Field: "format", Message: fmt.Sprintf("is %q, not %q", b.Format, BackupFormat)}
	}
	if b.Version < 1 || b.Version > BackupVersion {
		return &BackupError{Field: "schema_version", Message: fmt.Sprintf("is %d: this okrbot reads 1 to %d", b.Version, BackupVersion)}
	}
	if b.ExportedAt.IsZero() {
		return &BackupError{Field: "exported_at", Message: "is missing"}
	}
	seen := map[string]int{}
	for i := range b.Workspaces {
		w := &b.Workspaces[i]
		rec := fmt.Sprintf("workspace %d (%s)", i+1, shortID(w.ID))
		if j, dup := seen[w.ID]; dup {
			return &BackupError{Record: rec, Field: "id", Message: fmt.Sprintf("is also workspace %d's: each workspace appears once", j)}
		}
		seen[w.ID] = i + 1
		if _, err := w.check(rec); err != nil {
			return err
		}
	}
	return nil
}

// check validates the workspace (rec names it in errors) and returns it as
// the store keeps it.
func (w *BackupWorkspace) check(rec string) (*workspaceData, error) {
	fail := func(record, field, format string, args ...any) (*workspaceData, error) {
		return nil, &BackupError{Record: record, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if msg := badID(w.ID); msg != "" {
		return fail(rec, "id", "%s", msg)
	}
	d := &workspaceData{id: w.ID, settings: map[string]okrs.Settings{}, digests: map[string][]okrs.DigestRecord{}, held: map[string][]okrs.HeldPrompt{}}
	teams := map[string]bool{}
	for i := range w.Teams {
		t := &w.Teams[i]
		trec := joinPath(rec, fmt.Sprintf("team %d (%s)", i+1, shortID(t.Channel)))
		if msg := badID(t.Channel); msg != "" {
			return fail(trec, "channel", "%s", msg)
		}
		if teams[t.Channel] {
			return fail(trec, "channel", "is listed twice: each team appears once")
		}
		teams[t.Channel] = true
		d.teams = append(d.teams, t.Channel)
		if err := t.archive(trec, d); err != nil {
			return nil, err
		}
		if t.Settings == nil {
			continue
		}
		s, err := t.Settings.settings(joinPath(trec, "settings"))
		if err != nil {
			return nil, err
		}
		d.settings[t.Channel] = s
	}
	objIDs := map[string]int{}
	krIDs := map[string]string{}
	for i := range w.Objectives {
		o := &w.Objectives[i]
		orec := joinPath(rec, fmt.Sprintf("objective %d (%s)", i+1, shortID(o.ID)))
		if msg := badID(o.ID); msg != "" {
			return fail(orec, "id", "%s", msg)
		}
		if j, dup := objIDs[o.ID]; dup {
			return fail(orec, "id", "is also objective %d's: ids are unique in a workspace", j)
		}
		objIDs[o.ID] = i + 1
	}
	for i := range w.Objectives {
		o := &w.Objectives[i]
		orec := joinPath(rec, fmt.Sprintf("objective %d (%s)", i+1, shortID(o.ID)))
		obj, err := o.objective(orec, w.ID, teams, objIDs, krIDs)
		if err != nil {
			return nil, err
		}
		d.objectives = append(d.objectives, obj)
	}
	seenAway := map[string]bool{}
	for i, a := range w.Away {
		arec := joinPath(rec, fmt.Sprintf("away %d (%s)", i+1, shortID(a.User)))
		switch {
		case badUser(a.User, true) != "":
			return fail(arec, "user", "%s", badUser(a.User, true))
		case seenAway[a.User]:
			return fail(arec, "user", "is listed twice: one away record a person")
		case a.Until.IsZero():
			return fail(arec, "until", "is missing")
		case a.SetAt.IsZero():
			return fail(arec, "set_at", "is missing")
		case !a.Until.After(a.SetAt):
			return fail(arec, "until", "is not after set_at")
		}
		seenAway[a.User] = true
		d.away = append(d.away, okrs.AwayRecord{User: a.User, Until: utc(a.Until), SetAt: utc(a.SetAt)})
	}
	return d, nil
}

// archive checks a team's digest archive and held prompts into d.
func (t *BackupTeam) archive(rec string, d *workspaceData) error {
	fail := func(record, field, format string, args ...any) error {
		return &BackupError{Record: record, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	weeks := map[string]bool{}
	for i, g := range t.Digests {
		grec := joinPath(rec, fmt.Sprintf("digest %d (%s)", i+1, shortID(g.Week)))
		switch _, ok := parseDay(g.Week); {
		case !ok:
			return fail(grec, "week", "is %q, not a date like 2026-11-16", g.Week)
		case weeks[g.Week]:
			return fail(grec, "week", "is listed twice: one digest a team and week")
		case badText(g.Cycle, okrs.MaxCycleName, true) != "":
			return fail(grec, "cycle", "%s", badText(g.Cycle, okrs.MaxCycleName, true))
		case badID(g.Channel) != "":
			return fail(grec, "channel", "%s", badID(g.Channel))
		case badNumber(g.Progress) != "":
			return fail(grec, "progress", "%s", badNumber(g.Progress))
		case g.Objectives < 0 || g.Owners < 0 || g.CheckedIn < 0 || g.AtRisk < 0:
			return fail(grec, "", "has a negative count")
		}
		weeks[g.Week] = true
		d.digests[t.Channel] = append(d.digests[t.Channel], okrs.DigestRecord{Team: t.Channel, Cycle: g.Cycle, Week: g.Week,
			Channel: g.Channel, TS: g.TS, PostedAt: utc(g.PostedAt), Objectives: g.Objectives, Progress: g.Progress,
			Owners: g.Owners, CheckedIn: g.CheckedIn, AtRisk: g.AtRisk})
	}
	seen := map[string]bool{}
	for i, h := range t.HeldPrompts {
		hrec := joinPath(rec, fmt.Sprintf("held prompt %d (%s)", i+1, shortID(h.User)))
		switch _, ok := parseDay(h.Period); {
		case badUser(h.User, true) != "":
			return fail(hrec, "user", "%s", badUser(h.User, true))
		case !ok:
			return fail(hrec, "period", "is %q, not a date like 2026-11-16", h.Period)
		case seen[h.Period+"|"+h.User]:
			return fail(hrec, "period", "is listed twice for this person")
		case h.At.IsZero():
			return fail(hrec, "at", "is missing")
		case !slices.Contains([]okrs.AwaySource{okrs.AwayStatus, okrs.AwaySaid, okrs.AwayHoliday}, okrs.AwaySource(h.Why)):
			return fail(hrec, "why", "is %q, not status, said or holiday", h.Why)
		}
		seen[h.Period+"|"+h.User] = true
		d.held[t.Channel] = append(d.held[t.Channel], okrs.HeldPrompt{User: h.User, Period: h.Period, At: utc(h.At), Why: okrs.AwaySource(h.Why)})
	}
	return nil
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)

// badID says what is wrong with a Slack or okrbot id, "" when nothing: ids
// become parts of Redis keys.
func badID(id string) string {
	switch {
	case id == "":
		return "is empty"
	case !idPattern.MatchString(id):
		return fmt.Sprintf("%q is not an id (letters, digits, '_', '.' and '-', at most 64)", shortID(id))
	}
	return ""
}

// badUser is badID for an optional user id.
func badUser(id string, required bool) string {
	if id == "" && !required {
		return ""
	}
	return badID(id)
}

// badText says what is wrong with a one-line text (a title), "" when
// nothing.
func badText(s string, limit int, required bool) string {
	n := utf8.RuneCountInString(s)
	switch {
	case required && strings.TrimSpace(s) == "":
		return "is empty"
	case n > limit:
		return fmt.Sprintf("has %d characters, more than %d", n, limit)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "contains control characters"
	}
	return ""
}

func badLength(s string, limit int) string {
	if n := utf8.RuneCountInString(s); n > limit {
		return fmt.Sprintf("has %d characters, more than %d", n, limit)
	}
	return ""
}

// maxValue is the largest magnitude okrs accepts for a number.
const maxValue = 1e15

func badNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > maxValue {
		return "is not a number okrbot can keep (at most 1e15 either way)"
	}
	return ""
}

func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

func parseWeekday(s string) (time.Weekday, bool) {
	for i, n := range weekdays {
		if n == s {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// utc keeps only what the store keeps of a time: its millisecond, in UTC.
func utc(t time.Time) time.Time { return fromMS(ms(t)) }

func (b *BackupSettings) settings(rec string) (okrs.Settings, error) {
	fail := func(field, format string, args ...any) (okrs.Settings, error) {
		return okrs.Settings{}, &BackupError{Record: rec, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	s := okrs.Settings{Cadence: okrs.Cadence(b.Cadence), OwnerLocalTime: b.OwnerLocalTime, Timezone: b.Timezone,
		NudgeAfter: time.Duration(b.NudgeAfterSeconds) * time.Second, DigestChannel: b.DigestChannel,
		Managers: b.Managers, PostCheckIns: b.PostCheckIns, DirectKeyResults: b.DirectKeyResults,
		UpdatedBy: b.UpdatedBy, UpdatedAt: utc(b.UpdatedAt)}
	var ok bool
	if s.PromptDay, ok = parseWeekday(b.PromptDay); !ok {
		return fail("prompt_day", "is %q, not a day like monday", b.PromptDay)
	}
	if s.DigestDay, ok = parseWeekday(b.DigestDay); !ok {
		return fail("digest_day", "is %q, not a day like friday", b.DigestDay)
	}
	var err error
	if s.PromptTime, err = okrs.ParseTimeOfDay(b.PromptTime); err != nil || len(b.PromptTime) != 5 {
		return fail("prompt_time", "is %q, not a time of day like 10:00", b.PromptTime)
	}
	if s.DigestTime, err = okrs.ParseTimeOfDay(b.DigestTime); err != nil || len(b.DigestTime) != 5 {
		return fail("digest_time", "is %q, not a time of day like 16:00", b.DigestTime)
	}
	if b.NudgeAfterSeconds < 0 || b.NudgeAfterSeconds > math.MaxInt64/int64(time.Second) {
		return fail("nudge_after_seconds", "is %d, not a number of seconds", b.NudgeAfterSeconds)
	}
	if b.DigestChannel != "" {
		if msg := badID(b.DigestChannel); msg != "" {
			return fail("digest_channel", "%s", msg)
		}
	}
	for i, m := range b.Managers {
		if msg := badID(m); msg != "" {
			return fail(fmt.Sprintf("managers[%d]", i+1), "%s", msg)
		}
	}
	if msg := badUser(b.UpdatedBy, false); msg != "" {
		return fail("updated_by", "%s", msg)
	}
	if b.Anchor != "" {
		if s.Anchor, ok = parseDay(b.Anchor); !ok {
			return fail("anchor", "is %q, not a date like 2024-01-01", b.Anchor)
		}
	}
	if err := s.Validate(); err != nil {
		fe := okrs.FieldErrors(err)
		field := map[string]string{"cadence": "cadence", "prompt_day": "prompt_day", "prompt_time": "prompt_time",
			"timezone": "timezone", "nudge": "nudge_after_seconds", "digest_day": "digest_day", "digest_time": "digest_time"}
		if len(fe) > 0 {
			return fail(field[fe[0].Field], "is not valid: %s", fe[0].Message)
		}
		return fail("", "are not valid: %s", okrs.ErrorMessage(err))
	}
	names := map[string]bool{}
	for i, c := range b.Cycles {
		crec := joinPath(rec, fmt.Sprintf("cycle %d (%s)", i+1, shortID(c.Name)))
		start, ok1 := parseDay(c.Start)
		end, ok2 := parseDay(c.End)
		switch {
		case !ok1:
			return okrs.Settings{}, &BackupError{Record: crec, Field: "start", Message: fmt.Sprintf("is %q, not a date like 2026-10-01", c.Start)}
		case !ok2:
			return okrs.Settings{}, &BackupError{Record: crec, Field: "end", Message: fmt.Sprintf("is %q, not a date like 2026-12-31", c.End)}
		case names[c.Name]:
			return okrs.Settings{}, &BackupError{Record: crec, Field: "name", Message: "is another cycle's too: names are unique in a team"}
		}
		names[c.Name] = true
		cy := okrs.Cycle{Name: c.Name, Start: start, End: end, ClosedAt: utc(c.ClosedAt)}
		if err := cy.Validate(); err != nil {
			return okrs.Settings{}, &BackupError{Record: crec, Message: "is not valid: " + okrs.ErrorMessage(err)}
		}
		s.Cycles = append(s.Cycles, cy)
	}
	for i, h := range b.Holidays {
		hrec := joinPath(rec, fmt.Sprintf("holiday %d", i+1))
		from, ok1 := parseDay(h.From)
		to, ok2 := parseDay(h.To)
		switch {
		case !ok1:
			return okrs.Settings{}, &BackupError{Record: hrec, Field: "from", Message: fmt.Sprintf("is %q, not a date like 2026-12-24", h.From)}
		case !ok2:
			return okrs.Settings{}, &BackupError{Record: hrec, Field: "to", Message: fmt.Sprintf("is %q, not a date like 2026-12-26", h.To)}
		}
		s.Holidays = append(s.Holidays, okrs.Holiday{From: from, To: to})
	}
	if err := okrs.ValidateHolidays(s.Holidays); err != nil {
		return fail("holidays", "are not valid: %s", okrs.ErrorMessage(err))
	}
	return s, nil
}

func (b *BackupObjective) objective(rec, workspace string, teams map[string]bool, objIDs map[string]int, krIDs map[string]string) (*okrs.Objective, error) {
	fail := func(field, format string, args ...any) (*okrs.Objective, error) {
		return nil, &BackupError{Record: rec, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	switch {
	case !teams[b.Team]:
		return fail("team", "%q is not a team of this workspace (its teams list)", shortID(b.Team))
	case badText(b.Cycle, okrs.MaxCycleName, true) != "":
		return fail("cycle", "%s", badText(b.Cycle, okrs.MaxCycleName, true))
	case badText(b.Title, okrs.MaxTitle, true) != "":
		return fail("title", "%s", badText(b.Title, okrs.MaxTitle, true))
	case badLength(b.Description, okrs.MaxDescription) != "":
		return fail("description", "%s", badLength(b.Description, okrs.MaxDescription))
	case badUser(b.Owner, true) != "":
		return fail("owner", "%s", badUser(b.Owner, true))
	case badUser(b.CreatedBy, false) != "":
		return fail("created_by", "%s", badUser(b.CreatedBy, false))
	case badUser(b.ArchivedBy, false) != "":
		return fail("archived_by", "%s", badUser(b.ArchivedBy, false))
	case b.CreatedAt.IsZero():
		return fail("created_at", "is missing")
	case b.Parent == b.ID:
		return fail("parent", "is the objective itself")
	}
	if b.Parent != "" {
		if _, ok := objIDs[b.Parent]; !ok {
			return fail("parent", "%q is not an objective of this workspace", shortID(b.Parent))
		}
	}
	shared := map[string]bool{}
	for i, t := range b.SharedWith {
		switch {
		case !teams[t]:
			return fail(fmt.Sprintf("shared_with[%d]", i+1), "%q is not a team of this workspace (its teams list)", shortID(t))
		case t == b.Team || shared[t]:
			return fail(fmt.Sprintf("shared_with[%d]", i+1), "%q is listed twice", shortID(t))
		}
		shared[t] = true
	}
	o := &okrs.Objective{
		ID: b.ID, Workspace: workspace, Team: b.Team, Cycle: b.Cycle, Title: b.Title, Description: b.Description,
		Owner: b.Owner, ParentID: b.Parent, SharedWith: b.SharedWith, CreatedBy: b.CreatedBy, CreatedAt: utc(b.CreatedAt),
		UpdatedAt: utc(b.UpdatedAt), Archived: b.Archived, ArchivedBy: b.ArchivedBy, ArchivedAt: utc(b.ArchivedAt),
		KeyResults: make([]okrs.KeyResult, 0, len(b.KeyResults)),
	}
	for i := range b.KeyResults {
		bk := &b.KeyResults[i]
		krec := joinPath(rec, fmt.Sprintf("key result %d (%s)", i+1, shortID(bk.ID)))
		if msg := badID(bk.ID); msg != "" {
			return nil, &BackupError{Record: krec, Field: "id", Message: msg}
		}
		if other, dup := krIDs[bk.ID]; dup {
			return nil, &BackupError{Record: krec, Field: "id", Message: "is also a key result of " + other + ": ids are unique in a workspace"}
		}
		krIDs[bk.ID] = "objective " + shortID(b.ID)
		kr, err := bk.keyResult(krec)
		if err != nil {
			return nil, err
		}
		kr.ObjectiveID = o.ID
		o.KeyResults = append(o.KeyResults, kr)
	}
	propIDs := map[string]bool{}
	for i := range b.Proposals {
		bp := &b.Proposals[i]
		prec := joinPath(rec, fmt.Sprintf("proposal %d (%s)", i+1, shortID(bp.ID)))
		if msg := badID(bp.ID); msg != "" {
			return nil, &BackupError{Record: prec, Field: "id", Message: msg}
		}
		if propIDs[bp.ID] {
			return nil, &BackupError{Record: prec, Field: "id", Message: "is another proposal's too: ids are unique in an objective"}
		}
		propIDs[bp.ID] = true
		p, err := bp.proposal(prec)
		if err != nil {
			return nil, err
		}
		p.KeyResult.ObjectiveID = o.ID
		o.Proposals = append(o.Proposals, p)
	}
	if g := b.Grading; g != nil {
		grec := joinPath(rec, "grading")
		switch {
		case badUser(g.By, true) != "":
			return nil, &BackupError{Record: grec, Field: "by", Message: badUser(g.By, true)}
		case g.At.IsZero():
			return nil, &BackupError{Record: grec, Field: "at", Message: "is missing"}
		case badLength(g.Note, okrs.MaxGradeNote) != "":
			return nil, &BackupError{Record: grec, Field: "note", Message: badLength(g.Note, okrs.MaxGradeNote)}
		}
		o.Grading = okrs.Grading{By: g.By, At: utc(g.At), Note: g.Note, Grades: map[string]okrs.Grade{}}
		for _, id := range sortedGradeKeys(g.Grades) {
			v := g.Grades[id]
			if o.KeyResult(id) == nil {
				return nil, &BackupError{Record: grec, Field: "grades", Message: fmt.Sprintf("grade a key result %q that is not one of this objective's", shortID(id))}
			}
			if v < 0 || v > 1 {
				return nil, &BackupError{Record: grec, Field: "grades", Message: fmt.Sprintf("give key result %s the grade %v, outside 0.0–1.0", shortID(id), v)}
			}
			o.Grading.Grades[id] = okrs.Grade(v)
		}
	}
	return o, nil
}

func sortedGradeKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// definition checks and converts a key result's definition.
func (b *BackupKeyResultDef) definition(rec string, ownerRequired bool) (okrs.KeyResult, error) {
	fail := func(field, msg string) (okrs.KeyResult, error) {
		return okrs.KeyResult{}, &BackupError{Record: rec, Field: field, Message: msg}
	}
	switch {
	case badText(b.Title, okrs.MaxTitle, true) != "":
		return fail("title", badText(b.Title, okrs.MaxTitle, true))
	case badUser(b.Owner, ownerRequired) != "":
		return fail("owner", badUser(b.Owner, ownerRequired))
	case !okrs.Kind(b.Kind).Valid():
		return fail("kind", fmt.Sprintf("is %q, not one of increase, decrease, stay_above, stay_below, milestone", b.Kind))
	case !okrs.Unit(b.Unit).Valid():
		return fail("unit", fmt.Sprintf("is %q, not one of number, percent, currency", b.Unit))
	case badText(b.UnitLabel, okrs.MaxUnitLabel, false) != "":
		return fail("unit_label", badText(b.UnitLabel, okrs.MaxUnitLabel, false))
	case badText(b.Currency, okrs.MaxUnitLabel, false) != "":
		return fail("currency", badText(b.Currency, okrs.MaxUnitLabel, false))
	case badNumber(b.Start) != "":
		return fail("start", badNumber(b.Start))
	case badNumber(b.Target) != "":
		return fail("target", badNumber(b.Target))
	}
	kr := okrs.KeyResult{ID: b.ID, Title: b.Title, Owner: b.Owner, Kind: okrs.Kind(b.Kind), Unit: okrs.Unit(b.Unit),
		UnitLabel: b.UnitLabel, Currency: b.Currency, Start: b.Start, Target: b.Target, Archived: b.Archived,
		CreatedAt: utc(b.CreatedAt), Current: b.Start}
	if b.Due != "" {
		due, ok := parseDay(b.Due)
		if !ok {
			return fail("due", fmt.Sprintf("is %q, not a date like 2026-12-31", b.Due))
		}
		kr.Due = due
	}
	for i := range b.History {
		h := &b.History[i]
		hrec := joinPath(rec, fmt.Sprintf("change %d", i+1))
		tc, err := h.change(hrec)
		if err != nil {
			return okrs.KeyResult{}, err
		}
		kr.TargetHistory = append(kr.TargetHistory, tc)
	}
	return kr, nil
}

func (h *BackupChange) change(rec string) (okrs.TargetChange, error) {
	fail := func(field, msg string) (okrs.TargetChange, error) {
		return okrs.TargetChange{}, &BackupError{Record: rec, Field: field, Message: msg}
	}
	switch {
	case badUser(h.By, false) != "":
		return fail("by", badUser(h.By, false))
	case h.At.IsZero():
		return fail("at", "is missing")
	case badLength(h.Reason, okrs.MaxChangeReason) != "":
		return fail("reason", badLength(h.Reason, okrs.MaxChangeReason))
	}
	tc := okrs.TargetChange{Field: h.Field, By: h.By, At: utc(h.At), Reason: h.Reason}
	switch h.Field {
	case okrs.FieldTarget:
		switch {
		case h.From == nil:
			return fail("from", "is missing: a target change says the old target")
		case h.To == nil:
			return fail("to", "is missing: a target change says the new target")
		case badNumber(*h.From) != "":
			return fail("from", badNumber(*h.From))
		case badNumber(*h.To) != "":
			return fail("to", badNumber(*h.To))
		}
		tc.From, tc.To = *h.From, *h.To
	case okrs.FieldKind:
		switch {
		case !okrs.Kind(h.FromKind).Valid():
			return fail("from_kind", fmt.Sprintf("is %q, not a kind", h.FromKind))
		case !okrs.Kind(h.ToKind).Valid():
			return fail("to_kind", fmt.Sprintf("is %q, not a kind", h.ToKind))
		}
		tc.FromKind, tc.ToKind = okrs.Kind(h.FromKind), okrs.Kind(h.ToKind)
	case okrs.FieldDue:
		var ok bool
		if h.FromDue != "" {
			if tc.FromDue, ok = parseDay(h.FromDue); !ok {
				return fail("from_due", fmt.Sprintf("is %q, not a date like 2026-12-31", h.FromDue))
			}
		}
		if h.ToDue != "" {
			if tc.ToDue, ok = parseDay(h.ToDue); !ok {
				return fail("to_due", fmt.Sprintf("is %q, not a date like 2026-12-31", h.ToDue))
			}
		}
	default:
		return fail("field", fmt.Sprintf("is %q, not target, kind or due", h.Field))
	}
	return tc, nil
}

func (b *BackupKeyResult) keyResult(rec string) (okrs.KeyResult, error) {
	kr, err := b.definition(rec, true)
	if err != nil {
		return kr, err
	}
	fail := func(field, msg string) (okrs.KeyResult, error) {
		return okrs.KeyResult{}, &BackupError{Record: rec, Field: field, Message: msg}
	}
	switch {
	case badNumber(b.Current) != "":
		return fail("current", badNumber(b.Current))
	case b.Confidence != "" && !okrs.Level(b.Confidence).Valid():
		return fail("confidence", fmt.Sprintf("is %q, not on_track, at_risk or off_track", b.Confidence))
	case badUser(b.LastAuthor, false) != "":
		return fail("last_author", badUser(b.LastAuthor, false))
	}
	kr.Current, kr.Confidence, kr.LastCheckIn, kr.LastAuthor = b.Current, okrs.Confidence{Level: okrs.Level(b.Confidence)}, utc(b.LastCheckInAt), b.LastAuthor
	ids := map[string]int{}
	kr.CheckIns = make([]okrs.CheckIn, len(b.CheckIns))
	for i := range b.CheckIns {
		c := &b.CheckIns[i]
		crec := joinPath(rec, fmt.Sprintf("check-in %d (%s)", i+1, shortID(c.ID)))
		cfail := func(field, msg string) (okrs.KeyResult, error) {
			return okrs.KeyResult{}, &BackupError{Record: crec, Field: field, Message: msg}
		}
		switch {
		case badID(c.ID) != "":
			return cfail("id", badID(c.ID))
		case ids[c.ID] != 0:
			return cfail("id", fmt.Sprintf("is also check-in %d's: ids are unique in a key result", ids[c.ID]))
		case badUser(c.Author, true) != "":
			return cfail("author", badUser(c.Author, true))
		case c.At.IsZero():
			return cfail("at", "is missing")
		case badNumber(c.Value) != "":
			return cfail("value", badNumber(c.Value))
		case c.Confidence != "" && !okrs.Level(c.Confidence).Valid():
			return cfail("confidence", fmt.Sprintf("is %q, not on_track, at_risk or off_track", c.Confidence))
		case badLength(c.Comment, okrs.MaxComment) != "":
			return cfail("comment", badLength(c.Comment, okrs.MaxComment))
		}
		ids[c.ID] = i + 1
		// Stored newest first: the file lists them oldest first.
		kr.CheckIns[len(b.CheckIns)-1-i] = okrs.CheckIn{ID: c.ID, KeyResultID: b.ID, Author: c.Author, At: utc(c.At),
			Value: c.Value, Confidence: okrs.Confidence{Level: okrs.Level(c.Confidence)}, Comment: c.Comment}
	}
	return kr, nil
}

var proposalStates = []okrs.ProposalState{okrs.ProposalPending, okrs.ProposalAccepted, okrs.ProposalDeclined, okrs.ProposalWithdrawn}

func (b *BackupProposal) proposal(rec string) (okrs.Proposal, error) {
	fail := func(field, msg string) (okrs.Proposal, error) {
		return okrs.Proposal{}, &BackupError{Record: rec, Field: field, Message: msg}
	}
	if b.KeyResult.ID != "" {
		if msg := badID(b.KeyResult.ID); msg != "" {
			return fail("key_result.id", msg)
		}
	}
	kr, err := b.KeyResult.definition(joinPath(rec, "key_result"), false)
	if err != nil {
		return okrs.Proposal{}, err
	}
	valid := false
	for _, s := range proposalStates {
		valid = valid || string(s) == b.State
	}
	switch {
	case !valid:
		return fail("state", fmt.Sprintf("is %q, not pending, accepted, declined or withdrawn", b.State))
	case badUser(b.ProposedBy, true) != "":
		return fail("proposed_by", badUser(b.ProposedBy, true))
	case b.ProposedAt.IsZero():
		return fail("proposed_at", "is missing")
	case badUser(b.DecidedBy, false) != "":
		return fail("decided_by", badUser(b.DecidedBy, false))
	case badLength(b.Reason, okrs.MaxReason) != "":
		return fail("reason", badLength(b.Reason, okrs.MaxReason))
	}
	p := okrs.Proposal{ID: b.ID, KeyResult: kr, ProposedBy: b.ProposedBy, ProposedAt: utc(b.ProposedAt),
		State: okrs.ProposalState(b.State), DecidedBy: b.DecidedBy, DecidedAt: utc(b.DecidedAt), Reason: b.Reason}
	for i, c := range b.Changes {
		if c.Field == "" {
			return fail(fmt.Sprintf("changes[%d].field", i+1), "is empty")
		}
		p.Changes = append(p.Changes, okrs.Change{Field: c.Field, From: c.From, To: c.To})
	}
	for _, m := range []struct {
		field string
		msg   *BackupMessage
		to    *okrs.Posted
	}{{"owner_dm", b.OwnerDM, &p.OwnerDM}, {"proposer_dm", b.ProposerDM, &p.ProposerDM}} {
		if m.msg == nil {
			continue
		}
		if badID(m.msg.Channel) != "" || badID(m.msg.TS) != "" {
			return fail(m.field, "is not a message (a channel id and a ts)")
		}
		*m.to = okrs.Posted{Channel: m.msg.Channel, TS: m.msg.TS}
	}
	return p, nil
}
