package slacktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Block Kit JSON is walked generically (maps decoded with UseNumber) rather
// than through slack-go's types: it keeps unknown fields and element types
// intact and gives the exact shapes Slack sends back in payloads.

type jsonObject = map[string]any

// decodeJSON decodes raw JSON keeping numbers as json.Number.
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// decodeBlocks parses a blocks array. Empty input yields no blocks.
func decodeBlocks(raw json.RawMessage) ([]jsonObject, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var arr []any
	if err := decodeJSON(raw, &arr); err != nil {
		return nil, fmt.Errorf("blocks are not a JSON array: %w", err)
	}
	out := make([]jsonObject, len(arr))
	for i, b := range arr {
		o, ok := b.(jsonObject)
		if !ok {
			return nil, fmt.Errorf("block %d is not an object", i)
		}
		if str(o, "type") == "" {
			return nil, fmt.Errorf("block %d has no type", i)
		}
		out[i] = o
	}
	return out, nil
}

func str(o jsonObject, key string) string {
	s, _ := o[key].(string)
	return s
}

func obj(o jsonObject, key string) jsonObject {
	v, _ := o[key].(jsonObject)
	return v
}

func arr(o jsonObject, key string) []any {
	v, _ := o[key].([]any)
	return v
}

// textOf returns the "text" of a text object field such as "title".
func textOf(o jsonObject, key string) string {
	if t := obj(o, key); t != nil {
		return str(t, "text")
	}
	return ""
}

// interactiveTypes are the element types that carry an action_id.
var interactiveTypes = map[string]bool{
	"button": true, "overflow": true, "datepicker": true, "timepicker": true, "datetimepicker": true,
	"plain_text_input": true, "email_text_input": true, "url_text_input": true, "number_input": true,
	"rich_text_input": true, "radio_buttons": true, "checkboxes": true, "file_input": true,
	"static_select": true, "external_select": true, "users_select": true, "conversations_select": true,
	"channels_select": true, "multi_static_select": true, "multi_external_select": true,
	"multi_users_select": true, "multi_conversations_select": true, "multi_channels_select": true,
	"workflow_button": true, "feedback_buttons": true, "icon_button": true,
}

// blockElements returns the interactive elements of a block: the accessory of
// a section, the element of an input, the elements of actions blocks.
func blockElements(b jsonObject) []jsonObject {
	var out []jsonObject
	if a := obj(b, "accessory"); a != nil {
		out = append(out, a)
	}
	if e := obj(b, "element"); e != nil {
		out = append(out, e)
	}
	switch str(b, "type") {
	case "actions", "context_actions":
		for _, e := range arr(b, "elements") {
			if eo, ok := e.(jsonObject); ok {
				out = append(out, eo)
			}
		}
	}
	return out
}

// normalizeBlocks parses raw blocks and gives every block a block_id and
// every interactive element an action_id, as Slack does. It returns the
// blocks, their JSON and whether anything changed.
func normalizeBlocks(raw json.RawMessage, newID func(prefix string) string) ([]jsonObject, json.RawMessage, error) {
	blocks, err := decodeBlocks(raw)
	if err != nil || blocks == nil {
		return blocks, raw, err
	}
	changed := false
	for _, b := range blocks {
		if str(b, "block_id") == "" {
			b["block_id"] = newID("b")
			changed = true
		}
		for _, e := range blockElements(b) {
			if interactiveTypes[str(e, "type")] && str(e, "action_id") == "" {
				e["action_id"] = newID("a")
				changed = true
			}
		}
	}
	if !changed {
		return blocks, raw, nil
	}
	out, err := json.Marshal(blocks)
	if err != nil {
		return nil, nil, err
	}
	return blocks, out, nil
}

// findElement locates the element with an action_id and its block.
func findElement(blocks []jsonObject, actionID string) (block, elem jsonObject) {
	for _, b := range blocks {
		for _, e := range blockElements(b) {
			if str(e, "action_id") == actionID {
				return b, e
			}
		}
	}
	return nil, nil
}

// actionIDs lists the action_ids in raw blocks.
func actionIDs(raw json.RawMessage) []string {
	blocks, _ := decodeBlocks(raw)
	var out []string
	for _, b := range blocks {
		for _, e := range blockElements(b) {
			if id := str(e, "action_id"); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// blockTexts collects the human-readable texts of raw blocks.
func blockTexts(raw json.RawMessage) []string {
	blocks, _ := decodeBlocks(raw)
	var out []string
	add := func(s string) {
		if s != "" {
			out = append(out, s)
		}
	}
	for _, b := range blocks {
		switch str(b, "type") {
		case "section":
			add(textOf(b, "text"))
			for _, f := range arr(b, "fields") {
				if fo, ok := f.(jsonObject); ok {
					add(str(fo, "text"))
				}
			}
		case "header":
			add(textOf(b, "text"))
		case "context":
			for _, e := range arr(b, "elements") {
				if eo, ok := e.(jsonObject); ok && (str(eo, "type") == "mrkdwn" || str(eo, "type") == "plain_text") {
					add(str(eo, "text"))
				}
			}
		case "markdown":
			add(str(b, "text"))
		case "rich_text":
			var sb []byte
			richText(b, &sb)
			add(string(sb))
		}
	}
	return out
}

// richText appends the text and link texts of a rich_text tree.
func richText(v any, out *[]byte) {
	switch v := v.(type) {
	case jsonObject:
		switch str(v, "type") {
		case "text", "link":
			if t := str(v, "text"); t != "" {
				*out = append(*out, t...)
			} else {
				*out = append(*out, str(v, "url")...)
			}
			return
		}
		for _, e := range arr(v, "elements") {
			richText(e, out)
		}
	case []any:
		for _, e := range v {
			richText(e, out)
		}
	}
}

// attachmentTexts collects pretext, title, text and field values of legacy
// attachments.
func attachmentTexts(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var atts []jsonObject
	if decodeJSON(raw, &atts) != nil {
		return nil
	}
	var out []string
	for _, a := range atts {
		for _, k := range []string{"pretext", "title", "text"} {
			if s := str(a, k); s != "" {
				out = append(out, s)
			}
		}
		for _, f := range arr(a, "fields") {
			if fo, ok := f.(jsonObject); ok {
				if s := str(fo, "value"); s != "" {
					out = append(out, s)
				}
			}
		}
		if len(arr(a, "blocks")) > 0 {
			b, _ := json.Marshal(a["blocks"])
			out = append(out, blockTexts(b)...)
		}
	}
	return out
}
