package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"
)

// BackupError is what is wrong with a backup file: the record (say
// "workspace 1 (T123), objective 12 (id 4f…), key result 3 (id 9a…)"), the
// field ("target") and what is wrong with it.
type BackupError struct {
	Record  string // "" for the document itself
	Field   string // "" for the record as a whole
	Message string
}

func (e *BackupError) Error() string {
	var b strings.Builder
	if e.Record != "" {
		b.WriteString(e.Record)
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(" ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// maxBackupBytes bounds a backup file read into memory.
const maxBackupBytes = 1 << 30

// DecodeBackup reads a backup document and checks all of it: its format and
// version, every field's type, every required field, and every record
// against the others (unknown teams, duplicate ids, grades of unknown key
// results…). The first problem found is returned as a *BackupError naming
// the record and the field.
func DecodeBackup(r io.Reader) (*Backup, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBackupBytes+1))
	if err != nil {
		return nil, fmt.Errorf("store: reading the backup: %w", err)
	}
	if len(data) > maxBackupBytes {
		return nil, &BackupError{Message: fmt.Sprintf("is larger than %d bytes", maxBackupBytes)}
	}
	if !json.Valid(data) {
		return nil, &BackupError{Message: "is not valid JSON: " + syntaxError(data)}
	}
	var head struct {
		Format  json.RawMessage `json:"format"`
		Version json.RawMessage `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &BackupError{Message: "is not a JSON object"}
	}
	var format string
	if len(head.Format) == 0 || json.Unmarshal(head.Format, &format) != nil || format != BackupFormat {
		return nil, &BackupError{Field: "format", Message: fmt.Sprintf("is %s, not %q: this is not an okrbot backup", shown(head.Format), BackupFormat)}
	}
	var version int
	if len(head.Version) == 0 || json.Unmarshal(head.Version, &version) != nil || version < 1 {
		return nil, &BackupError{Field: "schema_version", Message: fmt.Sprintf("is %s: want a whole number from 1 to %d", shown(head.Version), BackupVersion)}
	}
	if version > BackupVersion {
		return nil, &BackupError{Field: "schema_version", Message: fmt.Sprintf("is %d, newer than this okrbot reads (%d): upgrade okrbot to import it", version, BackupVersion)}
	}
	var b Backup
	if err := decodeRecord(data, reflect.ValueOf(&b).Elem(), ""); err != nil {
		return nil, err
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	return &b, nil
}

// syntaxError says where JSON breaks, as line and column.
func syntaxError(data []byte) string {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		col := int(se.Offset) - bytes.LastIndexByte(data[:se.Offset], '\n') - 1
		return fmt.Sprintf("%v (line %d, column %d)", se, line, col)
	}
	if err != nil {
		return err.Error()
	}
	return "unexpected end"
}

// shown writes a raw JSON value for a message, shortened.
func shown(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "missing"
	}
	s := string(raw)
	if len([]rune(s)) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return s
}

// recordNames name the elements of a list field in messages.
var recordNames = map[string]string{
	"workspaces": "workspace", "teams": "team", "objectives": "objective", "key_results": "key result",
	"check_ins": "check-in", "history": "change", "proposals": "proposal", "cycles": "cycle",
	"changes": "change", "managers": "manager", "shared_with": "shared team",
}

var (
	timeType = reflect.TypeFor[time.Time]()
)

// decodeRecord decodes the JSON object raw into v (a struct), field by
// field, so that a problem names its record (path) and field: unknown
// fields, missing required fields (those whose tag has neither omitempty
// nor omitzero; null counts as missing), values of the wrong type. Lists of
// records and nested records are decoded the same way, with their index
// (from 1) and id in the path.
func decodeRecord(raw json.RawMessage, v reflect.Value, path string) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return &BackupError{Record: path, Message: "is not a JSON object"}
	}
	fields := map[string]reflect.Value{}
	var required []string
	collectFields(v, fields, &required)
	for _, name := range required {
		if r, ok := obj[name]; !ok || string(r) == "null" {
			return &BackupError{Record: path, Field: name, Message: "is missing"}
		}
	}
	for _, name := range sortedKeys(obj) {
		f, ok := fields[name]
		if !ok {
			return &BackupError{Record: path, Field: name, Message: "is not a field of this record (a typo, or a newer format?)"}
		}
		r := obj[name]
		if string(r) == "null" {
			continue
		}
		if err := decodeValue(r, f, path, name); err != nil {
			return err
		}
	}
	return nil
}

func decodeValue(r json.RawMessage, f reflect.Value, path, name string) error {
	t := f.Type()
	switch {
	case t.Kind() == reflect.Slice && isRecord(t.Elem()):
		var items []json.RawMessage
		if err := json.Unmarshal(r, &items); err != nil {
			return &BackupError{Record: path, Field: name, Message: "is not a list"}
		}
		s := reflect.MakeSlice(t, len(items), len(items))
		for i, it := range items {
			if err := decodeRecord(it, s.Index(i), joinPath(path, recordLabel(name, i, it))); err != nil {
				return err
			}
		}
		f.Set(s)
		return nil
	case t.Kind() == reflect.Pointer && isRecord(t.Elem()):
		p := reflect.New(t.Elem())
		if err := decodeRecord(r, p.Elem(), joinPath(path, name)); err != nil {
			return err
		}
		f.Set(p)
		return nil
	case isRecord(t):
		return decodeRecord(r, f, joinPath(path, name))
	}
	if err := json.Unmarshal(r, f.Addr().Interface()); err != nil {
		return &BackupError{Record: path, Field: name, Message: typeMessage(t, r)}
	}
	return nil
}

// typeMessage says what a value of type t should have been.
func typeMessage(t reflect.Type, r json.RawMessage) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	what := "of the wrong type"
	switch {
	case t == timeType:
		what = "not a time like 2026-10-05T09:00:00Z"
	case t.Kind() == reflect.Float64:
		what = "not a number"
	case t.Kind() == reflect.Int64 || t.Kind() == reflect.Int:
		what = "not a whole number"
	case t.Kind() == reflect.String:
		what = "not a string"
	case t.Kind() == reflect.Bool:
		what = "not true or false"
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		what = "not a list of strings"
	case t.Kind() == reflect.Map:
		what = "not an object of numbers"
	}
	return fmt.Sprintf("is %s (it is %s)", what, shown(r))
}

// isRecord reports whether t is one of the backup's record types (a struct
// decoded field by field), not a value such as time.Time.
func isRecord(t reflect.Type) bool { return t.Kind() == reflect.Struct && t != timeType }

// collectFields maps the JSON names of v's fields (those of embedded
// structs too) to the fields, and lists the required ones.
func collectFields(v reflect.Value, out map[string]reflect.Value, required *[]string) {
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			collectFields(v.Field(i), out, required)
			continue
		}
		tag := sf.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = v.Field(i)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// recordLabel names the ith element of a list field: "objective 12 (id
// 4fk…)".
func recordLabel(field string, i int, raw json.RawMessage) string {
	name := recordNames[field]
	if name == "" {
		name = field
	}
	label := fmt.Sprintf("%s %d", name, i+1)
	var ids struct {
		ID      *string `json:"id"`
		Channel *string `json:"channel"`
		Name    *string `json:"name"`
	}
	if json.Unmarshal(raw, &ids) == nil {
		switch {
		case ids.ID != nil && *ids.ID != "":
			label += " (" + shortID(*ids.ID) + ")"
		case ids.Channel != nil && *ids.Channel != "":
			label += " (" + shortID(*ids.Channel) + ")"
		case ids.Name != nil && *ids.Name != "":
			label += " (" + shortID(*ids.Name) + ")"
		}
	}
	return label
}

func shortID(s string) string {
	if len([]rune(s)) > 24 {
		return string([]rune(s)[:24]) + "…"
	}
	return s
}

func joinPath(path, elem string) string {
	if path == "" {
		return elem
	}
	return path + ", " + elem
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
