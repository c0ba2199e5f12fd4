package playground

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
)

// Directory resolves Slack ids for display and lists choices for user and
// conversation selects.
type Directory interface {
	UserName(id string) string    // "Ana Lima"; "" when unknown
	ChannelName(id string) string // "payments" (without #); "" when unknown
	Users() []Choice              // for users_select / multi_users_select
	Channels() []Choice           // for conversations_select / channels_select
}

// Choice is one option of a user or conversation select, shown as Name.
type Choice struct{ ID, Name string }

// bkNoDirectory knows no one: ids show as they are and selects offer no
// choices.
type bkNoDirectory struct{}

func (bkNoDirectory) UserName(string) string    { return "" }
func (bkNoDirectory) ChannelName(string) string { return "" }
func (bkNoDirectory) Users() []Choice           { return nil }
func (bkNoDirectory) Channels() []Choice        { return nil }

// bkDirectory returns dir, or a directory that knows no one when it is nil.
func bkDirectory(dir Directory) Directory {
	if dir == nil {
		return bkNoDirectory{}
	}
	return dir
}

// Surface is where blocks are shown.
type Surface int

// The surfaces Block Kit is shown on.
const (
	SurfaceMessage Surface = iota
	SurfaceModal
	SurfaceHome
)

// Blocks renders a list of blocks (a JSON array, as Slack returns them) to
// HTML. Every block is wrapped in <div class="bk-block bk-TYPE"
// data-block-id="…">; interactive elements outside input blocks carry
// data-act, the fields of input blocks data-input, both with data-block-id
// and data-action-id. Unknown block or element types render as a visible
// error box naming the type. Empty or null input renders nothing; malformed
// JSON is an error. dir may be nil. Only the file block depends on surface
// (Slack allows it in messages only).
func Blocks(raw json.RawMessage, dir Directory, surface Surface) (template.HTML, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return "", nil
	}
	var blocks []any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return "", fmt.Errorf("playground: blocks are not a JSON array: %w", err)
	}
	r := bkRenderer{dir: bkDirectory(dir), surface: surface}
	for i, b := range blocks {
		if o, ok := b.(bkObject); ok {
			r.block(o)
		} else {
			r.w(`<div class="bk-block">`)
			r.unknown("div", fmt.Sprintf("block %d is not an object", i))
			r.w("</div>\n")
		}
	}
	return template.HTML(r.b.String()), nil
}

// bkObject is a decoded JSON object.
type bkObject = map[string]any

func bkStr(o bkObject, key string) string   { s, _ := o[key].(string); return s }
func bkSub(o bkObject, key string) bkObject { v, _ := o[key].(bkObject); return v }
func bkBool(o bkObject, key string) bool    { v, _ := o[key].(bool); return v }

// bkObjects returns the objects of an array field, skipping anything else.
func bkObjects(o bkObject, key string) []bkObject {
	list, _ := o[key].([]any)
	out := make([]bkObject, 0, len(list))
	for _, v := range list {
		if m, ok := v.(bkObject); ok {
			out = append(out, m)
		}
	}
	return out
}

// bkStrs returns the strings of an array field.
func bkStrs(o bkObject, key string) []string {
	list, _ := o[key].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// bkNumber returns a number (or numeric string) field as text, "" if absent.
func bkNumber(o bkObject, key string) string {
	switch v := o[key].(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	return ""
}

// bkRenderer accumulates the HTML of one Blocks call.
type bkRenderer struct {
	b       strings.Builder
	dir     Directory
	surface Surface
}

// w writes raw HTML.
func (r *bkRenderer) w(s ...string) {
	for _, v := range s {
		r.b.WriteString(v)
	}
}

// bkBareAttrs are the attributes written without a value (their value in
// an open call is ignored).
var bkBareAttrs = map[string]bool{"data-act": true, "data-input": true, "selected": true, "checked": true, "multiple": true}

// open writes a start tag; attrs are name, value pairs, values escaped.
func (r *bkRenderer) open(tag string, attrs ...string) {
	r.w("<", tag)
	for i := 0; i+1 < len(attrs); i += 2 {
		if bkBareAttrs[attrs[i]] {
			r.w(" ", attrs[i])
		} else {
			r.w(" ", attrs[i], `="`, html.EscapeString(attrs[i+1]), `"`)
		}
	}
	r.w(">")
}

// unknown writes the visible error box for something the renderer does
// not support, in a tag (div or span).
func (r *bkRenderer) unknown(tag, what string) {
	r.w("<", tag, ` class="bk-unknown">`, html.EscapeString(what), "</", tag, ">")
}

// text renders a text object: mrkdwn, or plain_text with emoji unless
// "emoji": false.
func (r *bkRenderer) text(t bkObject) string {
	if bkStr(t, "type") == "mrkdwn" {
		return string(Mrkdwn(bkStr(t, "text"), r.dir))
	}
	emoji, set := t["emoji"].(bool)
	return string(Plain(bkStr(t, "text"), emoji || !set))
}

// bkFlat renders a text object as escaped text on one line, for <option>s.
func bkFlat(t bkObject) string {
	s := strings.ReplaceAll(bkStr(t, "text"), "\n", " ")
	if e, set := t["emoji"].(bool); e || !set {
		s = bkReplaceEmoji(s)
	}
	return html.EscapeString(s)
}

// bkBlockKinds render the inside of each supported block type.
var bkBlockKinds = map[string]func(*bkRenderer, bkObject){
	"header":  func(r *bkRenderer, b bkObject) { r.w(r.text(bkSub(b, "text"))) },
	"divider": func(*bkRenderer, bkObject) {}, // the page's CSS draws the line
	"section": (*bkRenderer).section,
	"context": (*bkRenderer).context,
	"image":   (*bkRenderer).imageBlock,
	"actions": func(r *bkRenderer, b bkObject) {
		for _, e := range bkObjects(b, "elements") {
			r.element(e, bkStr(b, "block_id"), false)
		}
	},
	"input":     (*bkRenderer).input,
	"rich_text": (*bkRenderer).richText,
	"file":      (*bkRenderer).file,
}

// block renders one block in its wrapper.
func (r *bkRenderer) block(b bkObject) {
	typ, id := bkStr(b, "type"), bkStr(b, "block_id")
	kind, ok := bkBlockKinds[typ]
	if !ok {
		r.open("div", "class", "bk-block", "data-block-id", id)
		r.unknown("div", fmt.Sprintf("unsupported block type %q", typ))
		r.w("</div>\n")
		return
	}
	attrs := []string{"class", "bk-block bk-" + typ, "data-block-id", id}
	switch typ {
	case "input":
		attrs = append(attrs, "data-block", id)
	case "divider":
		attrs = append(attrs, "role", "separator")
	}
	r.open("div", attrs...)
	kind(r, b)
	r.w("</div>\n")
}

// section renders text, fields in a grid and the accessory on the right.
func (r *bkRenderer) section(b bkObject) {
	r.w(`<div class="bk-section-body">`)
	if t := bkSub(b, "text"); t != nil {
		r.w(`<div class="bk-section-text">`, r.text(t), `</div>`)
	}
	if fields := bkObjects(b, "fields"); len(fields) > 0 {
		r.w(`<div class="bk-fields">`)
		for _, f := range fields {
			r.w(`<div class="bk-field">`, r.text(f), `</div>`)
		}
		r.w(`</div>`)
	}
	r.w(`</div>`)
	if a := bkSub(b, "accessory"); a != nil {
		r.w(`<div class="bk-accessory">`)
		r.element(a, bkStr(b, "block_id"), false)
		r.w(`</div>`)
	}
}

// context renders small text and images in a row.
func (r *bkRenderer) context(b bkObject) {
	for _, e := range bkObjects(b, "elements") {
		switch typ := bkStr(e, "type"); typ {
		case "mrkdwn", "plain_text":
			r.w(`<span class="bk-context-text">`, r.text(e), `</span>`)
		case "image":
			r.image(e, "bk-context-image")
		default:
			r.unknown("span", fmt.Sprintf("unsupported context element type %q", typ))
		}
	}
}

// imageBlock renders an image block: its title above the image.
func (r *bkRenderer) imageBlock(b bkObject) {
	if t := bkSub(b, "title"); t != nil {
		r.w(`<div class="bk-image-title">`, r.text(t), `</div>`)
	}
	r.image(b, "bk-image-img")
}

// image writes an <img> for an image block or element. An image that is a
// Slack file, or whose URL is not http(s), shows as its alt text.
func (r *bkRenderer) image(e bkObject, class string) {
	url, alt := bkStr(e, "image_url"), bkStr(e, "alt_text")
	if f := bkSub(e, "slack_file"); f != nil {
		if url = bkStr(f, "url"); url == "" {
			r.open("span", "class", "bk-image-file", "data-file-id", bkStr(f, "id"), "title", alt)
			r.w(html.EscapeString(bkFirst(alt, "image")), "</span>")
			return
		}
	}
	l := strings.ToLower(url)
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		r.w(`<span class="bk-image-missing">`, html.EscapeString(bkFirst(alt, "image")), `</span>`)
		return
	}
	r.open("img", "class", class, "src", url, "alt", alt, "title", alt, "loading", "lazy")
}

// file renders a file block (a remote file), which Slack shows in messages only.
func (r *bkRenderer) file(b bkObject) {
	if r.surface != SurfaceMessage {
		r.unknown("div", "file blocks are only available in messages")
		return
	}
	r.open("div", "class", "bk-file", "data-external-id", bkStr(b, "external_id"))
	r.w("file ", html.EscapeString(bkStr(b, "external_id")), "</div>")
}

// input renders an input block: label, its element as a form field, the
// error slot the page fills with response_action errors, and the hint.
func (r *bkRenderer) input(b bkObject) {
	id := bkStr(b, "block_id")
	r.w(`<div class="bk-label">`, r.text(bkSub(b, "label")))
	if bkBool(b, "optional") {
		r.w(` <span class="bk-optional">(optional)</span>`)
	}
	r.w(`</div>`)
	if e := bkSub(b, "element"); e != nil {
		r.element(e, id, true)
	} else {
		r.unknown("div", "input block without element")
	}
	r.open("div", "class", "bk-error", "data-error-for", id)
	r.w(`</div>`)
	if h := bkSub(b, "hint"); h != nil {
		r.w(`<div class="bk-hint">`, r.text(h), `</div>`)
	}
}

// element renders an interactive element of a block. In input blocks
// (input is true) it is a form field marked data-input, elsewhere an
// element marked data-act whose use sends a block action.
func (r *bkRenderer) element(e bkObject, blockID string, input bool) {
	typ, actionID := bkStr(e, "type"), bkStr(e, "action_id")
	mode := "data-act"
	if input {
		mode = "data-input"
	}
	ids := []string{mode, "", "data-kind", typ, "data-block-id", blockID, "data-action-id", actionID}
	switch typ {
	case "button":
		class := "bk-button"
		if s := bkStr(e, "style"); s == "primary" || s == "danger" {
			class += " bk-" + s
		}
		attrs := []string{"type", "button", "class", class, mode, "", "data-block-id", blockID, "data-action-id", actionID, "data-value", bkStr(e, "value")}
		if u := bkStr(e, "url"); bkSafeURL(u) {
			attrs = append(attrs, "data-url", u)
		}
		r.open("button", attrs...)
		r.w(r.text(bkSub(e, "text")), "</button>")
	case "overflow":
		r.open("select", "class", "bk-overflow", mode, "", "data-block-id", blockID, "data-action-id", actionID)
		r.w(`<option value="">⋯</option>`)
		for _, o := range bkObjects(e, "options") {
			r.option(o, false)
		}
		r.w("</select>")
	case "static_select", "multi_static_select", "external_select", "multi_external_select",
		"users_select", "multi_users_select", "conversations_select", "multi_conversations_select",
		"channels_select", "multi_channels_select":
		r.selectField(e, typ, ids)
	case "datepicker":
		r.open("input", slices.Concat([]string{"type", "date", "class", "bk-date"}, ids, []string{"value", bkStr(e, "initial_date")})...)
	case "timepicker":
		r.open("input", slices.Concat([]string{"type", "time", "class", "bk-time"}, ids, []string{"value", bkStr(e, "initial_time")})...)
	case "plain_text_input", "email_text_input", "url_text_input", "number_input":
		r.textField(e, typ, ids)
	case "radio_buttons", "checkboxes":
		r.choices(e, typ, blockID+"/"+actionID, ids)
	case "image":
		r.image(e, "bk-accessory-image")
	default:
		r.unknown("div", fmt.Sprintf("unsupported element type %q", typ))
	}
}

// bkPlaceholder is the element's placeholder text, "" when it has none.
func bkPlaceholder(e bkObject) string {
	if p := bkSub(e, "placeholder"); p != nil {
		return bkStr(p, "text")
	}
	return ""
}

// textField renders plain_text_input (a textarea when multiline), the
// email and url inputs and number_input.
func (r *bkRenderer) textField(e bkObject, typ string, ids []string) {
	attrs := append([]string{}, ids...)
	if p := bkPlaceholder(e); p != "" {
		attrs = append(attrs, "placeholder", p)
	}
	if n := bkNumber(e, "max_length"); n != "" {
		attrs = append(attrs, "maxlength", n)
	}
	if n := bkNumber(e, "min_length"); n != "" {
		attrs = append(attrs, "minlength", n)
	}
	value := bkStr(e, "initial_value")
	if typ == "plain_text_input" && bkBool(e, "multiline") {
		r.open("textarea", append([]string{"class", "bk-textarea"}, attrs...)...)
		if strings.HasPrefix(value, "\n") {
			value = "\n" + value // the parser drops a leading newline
		}
		r.w(html.EscapeString(value), "</textarea>")
		return
	}
	kind, class := "text", "bk-text"
	switch typ {
	case "email_text_input":
		kind = "email"
	case "url_text_input":
		kind = "url"
	case "number_input":
		kind, class = "number", "bk-number"
		step := "1"
		if bkBool(e, "is_decimal_allowed") {
			step = "any"
		}
		attrs = append(attrs, "step", step)
		for _, k := range []string{"min", "max"} {
			if n := bkNumber(e, k+"_value"); n != "" {
				attrs = append(attrs, k, n)
			}
		}
	}
	r.open("input", slices.Concat([]string{"type", kind, "class", class}, attrs, []string{"value", value})...)
}

// selectField renders a select menu: static options and option groups, or
// the directory's users or channels. A single select starts with an empty
// option showing the placeholder. Initial values are selected and added as
// options when the list lacks them.
func (r *bkRenderer) selectField(e bkObject, typ string, ids []string) {
	multi := strings.HasPrefix(typ, "multi_")
	attrs := append([]string{"class", "bk-select"}, ids...)
	if multi {
		attrs = append(attrs, "multiple", "")
	}
	r.open("select", attrs...)
	if !multi {
		r.w(`<option value="">`, html.EscapeString(bkFirst(bkPlaceholder(e), "Select an item")), `</option>`)
	}
	base := strings.TrimPrefix(typ, "multi_")
	switch base {
	case "static_select", "external_select":
		selected := map[string]bool{}
		initial := bkObjects(e, "initial_options")
		if o := bkSub(e, "initial_option"); o != nil {
			initial = append(initial, o)
		}
		for _, o := range initial {
			selected[bkStr(o, "value")] = true
		}
		seen := map[string]bool{}
		write := func(opts []bkObject) {
			for _, o := range opts {
				seen[bkStr(o, "value")] = true
				r.option(o, selected[bkStr(o, "value")])
			}
		}
		write(bkObjects(e, "options"))
		for _, g := range bkObjects(e, "option_groups") {
			r.w(`<optgroup label="`, bkFlat(bkSub(g, "label")), `">`)
			write(bkObjects(g, "options"))
			r.w(`</optgroup>`)
		}
		for _, o := range initial {
			if !seen[bkStr(o, "value")] {
				r.option(o, true)
			}
		}
	case "users_select":
		r.choiceOptions(r.dir.Users(), append(bkStrs(e, "initial_users"), bkStr(e, "initial_user")), func(id string) string {
			return bkFirst(r.dir.UserName(id), id)
		})
	case "conversations_select", "channels_select":
		key := strings.TrimSuffix(base, "s_select") // conversation or channel
		r.choiceOptions(r.dir.Channels(), append(bkStrs(e, "initial_"+key+"s"), bkStr(e, "initial_"+key)), func(id string) string {
			if name := r.dir.ChannelName(id); name != "" {
				return "#" + name
			}
			return id
		})
	}
	r.w("</select>")
}

// option writes a static <option>.
func (r *bkRenderer) option(o bkObject, selected bool) {
	attrs := []string{"value", bkStr(o, "value")}
	if selected {
		attrs = append(attrs, "selected", "")
	}
	r.open("option", attrs...)
	r.w(bkFlat(bkSub(o, "text")), "</option>")
}

// choiceOptions writes the directory's choices, selecting the initial ids
// and adding those missing from the list (named by name).
func (r *bkRenderer) choiceOptions(list []Choice, initial []string, name func(id string) string) {
	selected := map[string]bool{}
	for _, id := range initial {
		if id != "" {
			selected[id] = true
		}
	}
	for _, c := range list {
		r.choiceOption(c, selected[c.ID])
		delete(selected, c.ID)
	}
	for _, id := range initial {
		if selected[id] {
			r.choiceOption(Choice{ID: id, Name: name(id)}, true)
			delete(selected, id)
		}
	}
}

func (r *bkRenderer) choiceOption(c Choice, selected bool) {
	attrs := []string{"value", c.ID}
	if selected {
		attrs = append(attrs, "selected", "")
	}
	r.open("option", attrs...)
	r.w(html.EscapeString(bkFirst(c.Name, c.ID)), "</option>")
}

// choices renders radio_buttons or checkboxes: a wrapper around one
// labelled input per option, all named name. In an input block the wrapper
// carries the ids (ids starts with data-input); elsewhere every input does,
// with data-act, so that checking one sends a block action.
func (r *bkRenderer) choices(e bkObject, typ, name string, ids []string) {
	kind, class := "radio", "bk-radios"
	if typ == "checkboxes" {
		kind, class = "checkbox", "bk-checkboxes"
	}
	checked := map[string]bool{}
	for _, o := range append(bkObjects(e, "initial_options"), bkSub(e, "initial_option")) {
		if o != nil {
			checked[bkStr(o, "value")] = true
		}
	}
	wrapper, each := ids, []string(nil)
	if ids[0] == "data-act" {
		wrapper, each = ids[2:], ids
	}
	r.open("div", append([]string{"class", class}, wrapper...)...)
	for _, o := range bkObjects(e, "options") {
		attrs := slices.Concat([]string{"type", kind, "name", name, "value", bkStr(o, "value")}, each)
		if checked[bkStr(o, "value")] {
			attrs = append(attrs, "checked", "")
		}
		r.w(`<label class="bk-option">`)
		r.open("input", attrs...)
		r.w(`<span class="bk-option-text">`, r.text(bkSub(o, "text")), `</span>`)
		if d := bkSub(o, "description"); d != nil {
			r.w(`<span class="bk-option-description">`, r.text(d), `</span>`)
		}
		r.w(`</label>`)
	}
	r.w("</div>")
}
