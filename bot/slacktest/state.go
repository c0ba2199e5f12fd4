package slacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Values are what a user enters into a view: block_id → action_id → value.
//
// A value is a string for single-valued elements (plain_text_input,
// email_text_input, url_text_input, number_input, rich_text_input,
// static_select/external_select/radio_buttons option values, users_select,
// conversations_select, channels_select IDs, datepicker "2006-01-02",
// timepicker "15:04"), a []string for checkboxes and multi_*_select elements
// (option values or IDs), a number for number_input or datetimepicker (Unix
// seconds), or a time.Time for date and time pickers. nil clears an element.
// Elements without an entry keep their initial_* value, as in Slack.
type Values map[string]map[string]any

// statefulElement reports whether an element type carries state.
func statefulElement(t string) bool {
	switch t {
	case "button", "overflow", "workflow_button", "feedback_buttons", "icon_button", "":
		return false
	}
	return interactiveTypes[t]
}

// buildState computes view.state.values for blocks: every stateful element of
// input blocks, plus elements elsewhere that have a value. Values must name
// existing elements. With submit set, required inputs must have a value.
func buildState(blocks []jsonObject, values Values, submit bool) (jsonObject, error) {
	if err := checkValueTargets(blocks, values); err != nil {
		return nil, err
	}
	state := jsonObject{}
	for _, b := range blocks {
		blockID := str(b, "block_id")
		isInput := str(b, "type") == "input"
		for _, e := range blockElements(b) {
			t, actionID := str(e, "type"), str(e, "action_id")
			if !statefulElement(t) {
				continue
			}
			v, given := values[blockID][actionID]
			st, has, err := elementState(e, v, given)
			if err != nil {
				return nil, fmt.Errorf("slacktest: %s/%s: %w", blockID, actionID, err)
			}
			if isInput && submit && !has && b["optional"] != true {
				return nil, fmt.Errorf("slacktest: required input %s/%s (%s) has no value; Slack would not submit", blockID, actionID, t)
			}
			if !isInput && !has {
				continue
			}
			if state[blockID] == nil {
				state[blockID] = jsonObject{}
			}
			state[blockID].(jsonObject)[actionID] = st
		}
	}
	return state, nil
}

func checkValueTargets(blocks []jsonObject, values Values) error {
	for blockID, byAction := range values {
		var block jsonObject
		var ids []string
		for _, b := range blocks {
			ids = append(ids, str(b, "block_id"))
			if str(b, "block_id") == blockID {
				block = b
			}
		}
		if block == nil {
			return fmt.Errorf("slacktest: no block %q in the view (block_ids: %s)", blockID, strings.Join(ids, ", "))
		}
		var actions []string
		for _, e := range blockElements(block) {
			actions = append(actions, str(e, "action_id"))
		}
		for actionID := range byAction {
			if !slices.Contains(actions, actionID) {
				return fmt.Errorf("slacktest: no element %q in block %q (action_ids: %s)", actionID, blockID, strings.Join(actions, ", "))
			}
		}
	}
	return nil
}

// selectFields maps user, conversation and channel selects to their state
// field and initial value field.
var selectFields = map[string][2]string{
	"users_select":               {"selected_user", "initial_user"},
	"conversations_select":       {"selected_conversation", "initial_conversation"},
	"channels_select":            {"selected_channel", "initial_channel"},
	"multi_users_select":         {"selected_users", "initial_users"},
	"multi_conversations_select": {"selected_conversations", "initial_conversations"},
	"multi_channels_select":      {"selected_channels", "initial_channels"},
}

// elementState returns the state entry of an element, in Slack's shape for
// its type, and whether it holds a value.
func elementState(e jsonObject, v any, given bool) (jsonObject, bool, error) {
	t := str(e, "type")
	st := jsonObject{"type": t}
	switch t {
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		val := str(e, "initial_value")
		if given {
			s, err := scalarString(v)
			if err != nil {
				return nil, false, err
			}
			val = s
		}
		if val == "" {
			st["value"] = nil
			return st, false, nil
		}
		if t == "number_input" {
			if err := checkNumber(e, val); err != nil {
				return nil, false, err
			}
		}
		st["value"] = val
		return st, true, nil

	case "rich_text_input":
		if !given {
			if iv := obj(e, "initial_value"); iv != nil {
				st["rich_text_value"] = iv
				return st, true, nil
			}
			st["rich_text_value"] = nil
			return st, false, nil
		}
		s, err := scalarString(v)
		if err != nil || s == "" {
			st["rich_text_value"] = nil
			return st, false, err
		}
		st["rich_text_value"] = jsonObject{"type": "rich_text", "elements": []any{
			jsonObject{"type": "rich_text_section", "elements": []any{jsonObject{"type": "text", "text": s}}},
		}}
		return st, true, nil

	case "static_select", "radio_buttons", "external_select":
		opt := obj(e, "initial_option")
		if given {
			s, err := scalarString(v)
			if err != nil {
				return nil, false, err
			}
			if opt, err = findOption(e, s); err != nil {
				return nil, false, err
			}
		}
		if opt == nil {
			st["selected_option"] = nil
			return st, false, nil
		}
		st["selected_option"] = opt
		return st, true, nil

	case "multi_static_select", "checkboxes", "multi_external_select":
		opts := append([]any{}, arr(e, "initial_options")...)
		if given {
			list, err := stringList(v)
			if err != nil {
				return nil, false, err
			}
			opts = []any{}
			for _, s := range list {
				o, err := findOption(e, s)
				if err != nil {
					return nil, false, err
				}
				opts = append(opts, o)
			}
		}
		st["selected_options"] = opts
		return st, len(opts) > 0, nil

	case "users_select", "conversations_select", "channels_select":
		field, initial := selectFields[t][0], selectFields[t][1]
		val := str(e, initial)
		if given {
			s, err := scalarString(v)
			if err != nil {
				return nil, false, err
			}
			val = s
		}
		if val == "" {
			st[field] = nil
			return st, false, nil
		}
		st[field] = val
		return st, true, nil

	case "multi_users_select", "multi_conversations_select", "multi_channels_select":
		field, initial := selectFields[t][0], selectFields[t][1]
		list := []string{}
		for _, x := range arr(e, initial) {
			if s, ok := x.(string); ok {
				list = append(list, s)
			}
		}
		if given {
			var err error
			if list, err = stringList(v); err != nil {
				return nil, false, err
			}
		}
		st[field] = list
		return st, len(list) > 0, nil

	case "datepicker":
		val := str(e, "initial_date")
		if given {
			if tm, ok := v.(time.Time); ok {
				val = tm.Format(time.DateOnly)
			} else {
				s, err := scalarString(v)
				if err != nil {
					return nil, false, err
				}
				if s != "" {
					if _, err := time.Parse(time.DateOnly, s); err != nil {
						return nil, false, fmt.Errorf("datepicker value %q is not YYYY-MM-DD", s)
					}
				}
				val = s
			}
		}
		if val == "" {
			st["selected_date"] = nil
			return st, false, nil
		}
		st["selected_date"] = val
		return st, true, nil

	case "timepicker":
		val := str(e, "initial_time")
		if given {
			if tm, ok := v.(time.Time); ok {
				val = tm.Format("15:04")
			} else {
				s, err := scalarString(v)
				if err != nil {
					return nil, false, err
				}
				val = s
			}
		}
		if tz := str(e, "timezone"); tz != "" {
			st["timezone"] = tz
		}
		if val == "" {
			st["selected_time"] = nil
			return st, false, nil
		}
		st["selected_time"] = val
		return st, true, nil

	case "datetimepicker":
		var val any = e["initial_date_time"]
		if given {
			switch x := v.(type) {
			case time.Time:
				val = x.Unix()
			case nil:
				val = nil
			default:
				s, err := scalarString(v)
				if err != nil {
					return nil, false, err
				}
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return nil, false, fmt.Errorf("datetimepicker value %q is not Unix seconds", s)
				}
				val = n
			}
		}
		st["selected_date_time"] = val
		return st, val != nil, nil

	case "file_input":
		st["files"] = []any{}
		return st, false, nil
	}
	return nil, false, nil
}

// scalarString converts a single value to its string form.
func scalarString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("unsupported value type %T (want a string)", v)
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return []string{}, nil
	case []string:
		return slices.Clone(x), nil
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, err := scalarString(e)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value type %T (want []string)", v)
}

// findOption returns the option with a value from an element's options or
// option groups; for external selects, which have none, it makes one up.
func findOption(e jsonObject, value string) (jsonObject, error) {
	if value == "" {
		return nil, nil
	}
	var all []jsonObject
	collect := func(list []any) {
		for _, o := range list {
			if oo, ok := o.(jsonObject); ok {
				all = append(all, oo)
			}
		}
	}
	collect(arr(e, "options"))
	for _, g := range arr(e, "option_groups") {
		if grp, ok := g.(jsonObject); ok {
			collect(arr(grp, "options"))
		}
	}
	for _, o := range all {
		if str(o, "value") == value {
			return o, nil
		}
	}
	if strings.HasPrefix(str(e, "type"), "multi_external") || str(e, "type") == "external_select" {
		return jsonObject{"text": jsonObject{"type": "plain_text", "text": value, "emoji": true}, "value": value}, nil
	}
	var vals []string
	for _, o := range all {
		vals = append(vals, str(o, "value"))
	}
	return nil, fmt.Errorf("%q is not an option value (options: %s)", value, strings.Join(vals, ", "))
}

// checkNumber validates a number_input value against the element.
func checkNumber(e jsonObject, val string) error {
	f, err := strconv.ParseFloat(val, 64)
	if err != nil {
		return fmt.Errorf("number_input value %q is not a number", val)
	}
	if e["is_decimal_allowed"] != true && strings.ContainsAny(val, ".eE") {
		return fmt.Errorf("number_input value %q is not an integer (is_decimal_allowed is false)", val)
	}
	if m := str(e, "min_value"); m != "" {
		if mf, err := strconv.ParseFloat(m, 64); err == nil && f < mf {
			return fmt.Errorf("number_input value %s is below min_value %s", val, m)
		}
	}
	if m := str(e, "max_value"); m != "" {
		if mf, err := strconv.ParseFloat(m, 64); err == nil && f > mf {
			return fmt.Errorf("number_input value %s is above max_value %s", val, m)
		}
	}
	return nil
}
