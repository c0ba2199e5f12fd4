package slacktest

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// A subset of Block Kit's limits, checked so that tests catch payloads real
// Slack would reject. Problems are reported like Slack does, as
// response_metadata.messages entries "[ERROR] … [json-pointer:/…]".

const (
	maxMessageBlocks   = 50
	maxViewBlocks      = 100
	maxSectionText     = 3000
	maxSectionFields   = 10
	maxFieldText       = 2000
	maxHeaderText      = 150
	maxBlockID         = 255
	maxActionID        = 255
	maxButtonText      = 75
	maxButtonValue     = 2000
	maxOptionText      = 75
	maxOptionValue     = 150
	maxSelectOptions   = 100
	maxRadioOptions    = 10
	maxCheckboxOptions = 10
	maxActionsElements = 25
	maxContextElements = 10
	maxModalTitle      = 24
	maxModalButton     = 24
	maxPrivateMetadata = 3000
	maxCallbackID      = 255
	maxMessageText     = 40000
	maxTextInput       = 3000 // a plain_text_input's max_length and value
	maxPlaceholder     = 150
)

type validator struct{ problems []string }

func (v *validator) errorf(pointer, format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf("[ERROR] "+format+" [json-pointer:%s]", append(args, pointer)...))
}

func (v *validator) maxLen(pointer, s string, limit int) {
	if n := utf8.RuneCountInString(s); n > limit {
		v.errorf(pointer, "must be less than %d characters", limit+1)
	}
}

// blocks checks a blocks array; base is the JSON pointer prefix ("/blocks").
func (v *validator) blocks(blocks []jsonObject, limit int, base string) {
	if len(blocks) > limit {
		v.errorf(base, "no more than %d items allowed", limit)
	}
	seen := map[string]bool{}
	for i, b := range blocks {
		p := fmt.Sprintf("%s/%d", base, i)
		id := str(b, "block_id")
		v.maxLen(p+"/block_id", id, maxBlockID)
		if id != "" {
			if seen[id] {
				v.errorf(p+"/block_id", "duplicate block_id %q", id)
			}
			seen[id] = true
		}
		switch str(b, "type") {
		case "section":
			if t := obj(b, "text"); t != nil {
				v.maxLen(p+"/text/text", str(t, "text"), maxSectionText)
			} else if len(arr(b, "fields")) == 0 {
				v.errorf(p, "must provide either text or fields")
			}
			fields := arr(b, "fields")
			if len(fields) > maxSectionFields {
				v.errorf(p+"/fields", "no more than %d items allowed", maxSectionFields)
			}
			for j, f := range fields {
				if fo, ok := f.(jsonObject); ok {
					v.maxLen(fmt.Sprintf("%s/fields/%d/text", p, j), str(fo, "text"), maxFieldText)
				}
			}
		case "header":
			v.maxLen(p+"/text/text", textOf(b, "text"), maxHeaderText)
		case "actions":
			if n := len(arr(b, "elements")); n > maxActionsElements {
				v.errorf(p+"/elements", "no more than %d items allowed", maxActionsElements)
			}
		case "context":
			if n := len(arr(b, "elements")); n > maxContextElements {
				v.errorf(p+"/elements", "no more than %d items allowed", maxContextElements)
			}
		case "input":
			if obj(b, "element") == nil {
				v.errorf(p+"/element", "missing required field: element")
			}
			if obj(b, "label") == nil {
				v.errorf(p+"/label", "missing required field: label")
			}
		}
		v.elements(b, p)
	}
}

func (v *validator) elements(b jsonObject, p string) {
	check := func(e jsonObject, ep string) {
		v.maxLen(ep+"/action_id", str(e, "action_id"), maxActionID)
		switch t := str(e, "type"); t {
		case "button":
			v.maxLen(ep+"/text/text", textOf(e, "text"), maxButtonText)
			v.maxLen(ep+"/value", str(e, "value"), maxButtonValue)
		case "plain_text_input":
			// Slack refuses the whole view when the prefill is longer
			// than the input takes.
			limit := maxTextInput
			if m, ok := e["max_length"].(json.Number); ok {
				n, err := m.Int64()
				if err != nil || n < 1 || n > maxTextInput {
					v.errorf(ep+"/max_length", "must be between 1 and %d", maxTextInput)
				}
				limit = min(int(n), maxTextInput)
			}
			v.maxLen(ep+"/initial_value", str(e, "initial_value"), limit)
			v.maxLen(ep+"/placeholder/text", textOf(e, "placeholder"), maxPlaceholder)
		case "static_select", "multi_static_select", "overflow", "radio_buttons", "checkboxes":
			limit := maxSelectOptions
			switch t {
			case "radio_buttons":
				limit = maxRadioOptions
			case "checkboxes":
				limit = maxCheckboxOptions
			case "overflow":
				limit = 5
			}
			opts := arr(e, "options")
			if len(opts) > limit {
				v.errorf(ep+"/options", "no more than %d items allowed", limit)
			}
			for j, o := range opts {
				if oo, ok := o.(jsonObject); ok {
					op := fmt.Sprintf("%s/options/%d", ep, j)
					v.maxLen(op+"/text/text", textOf(oo, "text"), maxOptionText)
					v.maxLen(op+"/value", str(oo, "value"), maxOptionValue)
				}
			}
		}
	}
	if a := obj(b, "accessory"); a != nil {
		check(a, p+"/accessory")
	}
	if e := obj(b, "element"); e != nil {
		check(e, p+"/element")
	}
	if t := str(b, "type"); t == "actions" || t == "context_actions" {
		for j, e := range arr(b, "elements") {
			if eo, ok := e.(jsonObject); ok {
				check(eo, fmt.Sprintf("%s/elements/%d", p, j))
			}
		}
	}
}

// view checks a view object (modal or home).
func (v *validator) view(view jsonObject, blocks []jsonObject) {
	typ := str(view, "type")
	switch typ {
	case "modal":
		if obj(view, "title") == nil {
			v.errorf("/view/title", "missing required field: title")
		}
		v.maxLen("/view/title/text", textOf(view, "title"), maxModalTitle)
		v.maxLen("/view/submit/text", textOf(view, "submit"), maxModalButton)
		v.maxLen("/view/close/text", textOf(view, "close"), maxModalButton)
		hasInput := false
		for _, b := range blocks {
			if str(b, "type") == "input" {
				hasInput = true
			}
		}
		if hasInput && obj(view, "submit") == nil {
			v.errorf("/view/submit", "must provide submit when input blocks are present")
		}
	case "home":
	default:
		v.errorf("/view/type", "must be one of modal, home")
	}
	v.maxLen("/view/private_metadata", str(view, "private_metadata"), maxPrivateMetadata)
	v.maxLen("/view/callback_id", str(view, "callback_id"), maxCallbackID)
	v.maxLen("/view/external_id", str(view, "external_id"), maxCallbackID)
	v.blocks(blocks, maxViewBlocks, "/view/blocks")
}
