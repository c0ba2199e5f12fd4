package playground

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The -update flag rewrites testdata/*.html from the views' golden JSON.
// It is registered in init, after any package-level flag.Bool("update")
// of another test file in this package, and only if none exists.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

// bkUpdating reports whether -update was given.
func bkUpdating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestGolden renders every golden Block Kit file of bot/views (a blocks
// array, a message or a view) and compares with testdata/<name>.html.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../views/testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden JSON in ../views/testdata: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			raw, surface := bkGoldenBlocks(t, data)
			out, err := Blocks(raw, bkTestDir{}, surface)
			if err != nil {
				t.Fatal(err)
			}
			bkAssertSafe(t, name, string(out))
			if strings.Contains(string(out), "bk-unknown") {
				t.Errorf("%s has unsupported blocks or elements:\n%s", name, out)
			}
			golden := filepath.Join("testdata", name+".html")
			if bkUpdating() {
				if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./bot/playground -update)", err)
			}
			if string(out) != string(want) {
				t.Errorf("%s differs from %s (run go test ./bot/playground -update and review the diff):\n%s", f, golden, out)
			}
		})
	}
}

// bkGoldenBlocks finds the blocks in a golden file and the surface they are for.
func bkGoldenBlocks(t *testing.T, data []byte) (json.RawMessage, Surface) {
	t.Helper()
	if strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
		return data, SurfaceMessage
	}
	var v struct {
		Type   string
		Blocks json.RawMessage
	}
	if err := json.Unmarshal(data, &v); err != nil || v.Blocks == nil {
		t.Fatalf("no blocks: %v", err)
	}
	switch v.Type {
	case "modal":
		return v.Blocks, SurfaceModal
	case "home":
		return v.Blocks, SurfaceHome
	}
	return v.Blocks, SurfaceMessage
}

// bkRender renders one block given as JSON.
func bkRender(t *testing.T, block string) string {
	t.Helper()
	out, err := Blocks(json.RawMessage("["+block+"]"), bkTestDir{}, SurfaceModal)
	if err != nil {
		t.Fatalf("%s: %v", block, err)
	}
	return string(out)
}

func TestBlockTypes(t *testing.T) {
	for _, tc := range []struct {
		name, block string
		want        []string
	}{
		{"header", `{"type":"header","block_id":"h","text":{"type":"plain_text","text":"Hi :wave:","emoji":true}}`,
			[]string{`<div class="bk-block bk-header" data-block-id="h">Hi 👋</div>`}},
		{"divider", `{"type":"divider","block_id":"d"}`,
			[]string{`<div class="bk-block bk-divider" data-block-id="d" role="separator"></div>`}},
		{"section mrkdwn", `{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"*b* <@U1>"}}`,
			[]string{`<div class="bk-block bk-section" data-block-id="s"><div class="bk-section-body"><div class="bk-section-text"><b>b</b> <span class="bk-mention">@Ana Lima</span></div></div></div>`}},
		{"section plain", `{"type":"section","text":{"type":"plain_text","text":"*not bold*\n:wave:","emoji":false}}`,
			[]string{`<div class="bk-section-text">*not bold*<br>:wave:</div>`}},
		{"section fields", `{"type":"section","fields":[{"type":"mrkdwn","text":"*A*"},{"type":"plain_text","text":"B"}]}`,
			[]string{`<div class="bk-fields"><div class="bk-field"><b>A</b></div><div class="bk-field">B</div></div>`}},
		{"section button", `{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"button","action_id":"go","text":{"type":"plain_text","text":"Go"},"value":"k1","style":"danger"}}`,
			[]string{`<div class="bk-accessory"><button type="button" class="bk-button bk-danger" data-act data-block-id="s" data-action-id="go" data-value="k1">Go</button></div>`}},
		{"section overflow", `{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"overflow","action_id":"more","options":[{"text":{"type":"plain_text","text":"Edit"},"value":"edit"},{"text":{"type":"plain_text","text":"Delete"},"value":"del"}]}}`,
			[]string{`<select class="bk-overflow" data-act data-block-id="s" data-action-id="more"><option value="">⋯</option><option value="edit">Edit</option><option value="del">Delete</option></select>`}},
		{"section static_select", `{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"static_select","action_id":"pick","placeholder":{"type":"plain_text","text":"Pick"},"options":[{"text":{"type":"plain_text","text":"One"},"value":"1"}]}}`,
			[]string{`<select class="bk-select" data-act data-kind="static_select" data-block-id="s" data-action-id="pick"><option value="">Pick</option><option value="1">One</option></select>`}},
		{"section image", `{"type":"section","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"image","image_url":"https://x.org/a.png","alt_text":"chart"}}`,
			[]string{`<img class="bk-accessory-image" src="https://x.org/a.png" alt="chart" title="chart" loading="lazy">`}},
		{"context", `{"type":"context","block_id":"c","elements":[{"type":"mrkdwn","text":"_a_"},{"type":"plain_text","text":"b"},{"type":"image","image_url":"https://x.org/i.png","alt_text":"i"}]}`,
			[]string{`<div class="bk-block bk-context" data-block-id="c"><span class="bk-context-text"><i>a</i></span><span class="bk-context-text">b</span><img class="bk-context-image" src="https://x.org/i.png" alt="i" title="i" loading="lazy"></div>`}},
		{"image", `{"type":"image","block_id":"i","image_url":"https://x.org/c.png","alt_text":"Burn-up","title":{"type":"plain_text","text":"Progress"}}`,
			[]string{`<div class="bk-image-title">Progress</div><img class="bk-image-img" src="https://x.org/c.png" alt="Burn-up" title="Burn-up" loading="lazy">`}},
		{"image slack_file", `{"type":"image","slack_file":{"id":"F1"},"alt_text":"chart"}`,
			[]string{`<span class="bk-image-file" data-file-id="F1" title="chart">chart</span>`}},
		{"image bad url", `{"type":"image","image_url":"javascript:alert(1)","alt_text":"x"}`,
			[]string{`<span class="bk-image-missing">x</span>`}},
		{"actions", `{"type":"actions","block_id":"a","elements":[
			{"type":"button","action_id":"ok","text":{"type":"plain_text","text":"OK"},"value":"v","style":"primary"},
			{"type":"button","action_id":"link","text":{"type":"plain_text","text":"Docs"},"url":"https://x.org"},
			{"type":"users_select","action_id":"u","initial_user":"U2","placeholder":{"type":"plain_text","text":"Who"}},
			{"type":"conversations_select","action_id":"c"},
			{"type":"datepicker","action_id":"d","initial_date":"2026-01-31"}]}`,
			[]string{
				`<div class="bk-block bk-actions" data-block-id="a">`,
				`<button type="button" class="bk-button bk-primary" data-act data-block-id="a" data-action-id="ok" data-value="v">OK</button>`,
				`<button type="button" class="bk-button" data-act data-block-id="a" data-action-id="link" data-value="" data-url="https://x.org">Docs</button>`,
				`<select class="bk-select" data-act data-kind="users_select" data-block-id="a" data-action-id="u"><option value="">Who</option><option value="U1">Ana Lima</option><option value="U2" selected>Bruno Costa</option></select>`,
				`<select class="bk-select" data-act data-kind="conversations_select" data-block-id="a" data-action-id="c"><option value="">Select an item</option><option value="C1">#payments</option><option value="C2">#growth</option></select>`,
				`<input type="date" class="bk-date" data-act data-kind="datepicker" data-block-id="a" data-action-id="d" value="2026-01-31">`,
			}},
		{"rich_text", `{"type":"rich_text","block_id":"r","elements":[
			{"type":"rich_text_section","elements":[{"type":"text","text":"Hi ","style":{"bold":true}},{"type":"user","user_id":"U1"},{"type":"emoji","name":"tada"},{"type":"link","url":"https://x.org","text":"x"}]},
			{"type":"rich_text_list","style":"ordered","elements":[{"type":"rich_text_section","elements":[{"type":"text","text":"one"}]}]},
			{"type":"rich_text_preformatted","elements":[{"type":"text","text":"a <b>"}]},
			{"type":"rich_text_quote","elements":[{"type":"channel","channel_id":"C1"}]}]}`,
			[]string{
				`<div class="bk-rt-section"><b>Hi </b><span class="bk-mention">@Ana Lima</span>🎉<a class="bk-link" href="https://x.org" target="_blank" rel="noopener noreferrer">x</a></div>`,
				`<ol class="bk-rt-list" data-indent=""><li>one</li></ol>`,
				`<pre class="bk-pre">a &lt;b&gt;</pre>`,
				`<blockquote class="bk-quote"><span class="bk-mention bk-channel">#payments</span></blockquote>`,
			}},
		{"radio_buttons in actions", `{"type":"actions","block_id":"a","elements":[{"type":"radio_buttons","action_id":"r","options":[{"text":{"type":"plain_text","text":"One"},"value":"1"}]}]}`,
			[]string{`<div class="bk-radios" data-kind="radio_buttons" data-block-id="a" data-action-id="r"><label class="bk-option"><input type="radio" name="a/r" value="1" data-act data-kind="radio_buttons" data-block-id="a" data-action-id="r"><span class="bk-option-text">One</span></label></div>`}},
		{"checkboxes accessory", `{"type":"section","block_id":"s","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"checkboxes","action_id":"c","options":[{"text":{"type":"mrkdwn","text":"_Done_"},"value":"d"}],"initial_options":[{"text":{"type":"mrkdwn","text":"_Done_"},"value":"d"}]}}`,
			[]string{`<input type="checkbox" name="s/c" value="d" data-act data-kind="checkboxes" data-block-id="s" data-action-id="c" checked><span class="bk-option-text"><i>Done</i></span>`}},
		{"timepicker in actions", `{"type":"actions","block_id":"a","elements":[{"type":"timepicker","action_id":"t","initial_time":"08:15"}]}`,
			[]string{`<input type="time" class="bk-time" data-act data-kind="timepicker" data-block-id="a" data-action-id="t" value="08:15">`}},
		{"unknown block", `{"type":"video","block_id":"v"}`,
			[]string{`<div class="bk-block" data-block-id="v"><div class="bk-unknown">unsupported block type &#34;video&#34;</div></div>`}},
		{"unknown element", `{"type":"actions","block_id":"a","elements":[{"type":"workflow_button","action_id":"w"}]}`,
			[]string{`<div class="bk-unknown">unsupported element type &#34;workflow_button&#34;</div>`}},
		{"unknown context element", `{"type":"context","elements":[{"type":"video"}]}`,
			[]string{`<span class="bk-unknown">unsupported context element type &#34;video&#34;</span>`}},
		{"file outside messages", `{"type":"file","external_id":"x","source":"remote"}`,
			[]string{`<div class="bk-unknown">file blocks are only available in messages</div>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := bkRender(t, tc.block)
			bkAssertSafe(t, tc.name, out)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("missing\n%s\nin\n%s", w, out)
				}
			}
		})
	}
}

// bkInput wraps an element in an input block with block_id "b".
func bkInput(element string) string {
	return `{"type":"input","block_id":"b","label":{"type":"plain_text","text":"L"},"element":` + element + `}`
}

func TestInputElements(t *testing.T) {
	opts := `"options":[{"text":{"type":"plain_text","text":"One"},"value":"1"},{"text":{"type":"mrkdwn","text":"*Two*"},"value":"2","description":{"type":"plain_text","text":"second"}}]`
	for _, tc := range []struct {
		name, element string
		want          []string
	}{
		{"plain_text_input", `{"type":"plain_text_input","action_id":"v","initial_value":"52%","max_length":40,"placeholder":{"type":"plain_text","text":"e.g. 60%"}}`,
			[]string{`<input type="text" class="bk-text" data-input data-kind="plain_text_input" data-block-id="b" data-action-id="v" placeholder="e.g. 60%" maxlength="40" value="52%">`}},
		{"multiline", `{"type":"plain_text_input","action_id":"v","multiline":true,"initial_value":"a\n</textarea><b>","min_length":2}`,
			[]string{`<textarea class="bk-textarea" data-input data-kind="plain_text_input" data-block-id="b" data-action-id="v" minlength="2">a` + "\n" + `&lt;/textarea&gt;&lt;b&gt;</textarea>`}},
		{"number_input decimal", `{"type":"number_input","action_id":"n","is_decimal_allowed":true,"initial_value":"1.5","min_value":"0","max_value":"10"}`,
			[]string{`<input type="number" class="bk-number" data-input data-kind="number_input" data-block-id="b" data-action-id="n" step="any" min="0" max="10" value="1.5">`}},
		{"number_input integer", `{"type":"number_input","action_id":"n","is_decimal_allowed":false}`,
			[]string{`<input type="number" class="bk-number" data-input data-kind="number_input" data-block-id="b" data-action-id="n" step="1" value="">`}},
		{"email_text_input", `{"type":"email_text_input","action_id":"e"}`,
			[]string{`<input type="email" class="bk-text" data-input data-kind="email_text_input" data-block-id="b" data-action-id="e" value="">`}},
		{"static_select", `{"type":"static_select","action_id":"s","placeholder":{"type":"plain_text","text":"Pick"},` + opts + `,"initial_option":{"text":{"type":"plain_text","text":"Two"},"value":"2"}}`,
			[]string{`<select class="bk-select" data-input data-kind="static_select" data-block-id="b" data-action-id="s"><option value="">Pick</option><option value="1">One</option><option value="2" selected>*Two*</option></select>`}},
		{"option_groups", `{"type":"static_select","action_id":"s","option_groups":[{"label":{"type":"plain_text","text":"G"},` + opts + `}]}`,
			[]string{`<optgroup label="G"><option value="1">One</option><option value="2">*Two*</option></optgroup>`}},
		{"users_select", `{"type":"users_select","action_id":"u","initial_user":"U1"}`,
			[]string{`<select class="bk-select" data-input data-kind="users_select" data-block-id="b" data-action-id="u"><option value="">Select an item</option><option value="U1" selected>Ana Lima</option><option value="U2">Bruno Costa</option></select>`}},
		{"users_select unknown initial", `{"type":"users_select","action_id":"u","initial_user":"U9"}`,
			[]string{`<option value="U9" selected>U9</option>`}},
		{"multi_users_select", `{"type":"multi_users_select","action_id":"m","initial_users":["U1","U2"]}`,
			[]string{`<select class="bk-select" data-input data-kind="multi_users_select" data-block-id="b" data-action-id="m" multiple><option value="U1" selected>Ana Lima</option><option value="U2" selected>Bruno Costa</option></select>`}},
		{"conversations_select", `{"type":"conversations_select","action_id":"c","initial_conversation":"C2"}`,
			[]string{`<select class="bk-select" data-input data-kind="conversations_select" data-block-id="b" data-action-id="c"><option value="">Select an item</option><option value="C1">#payments</option><option value="C2" selected>#growth</option></select>`}},
		{"channels_select", `{"type":"channels_select","action_id":"c","initial_channel":"C1"}`,
			[]string{`data-kind="channels_select"`, `<option value="C1" selected>#payments</option>`}},
		{"radio_buttons", `{"type":"radio_buttons","action_id":"r",` + opts + `,"initial_option":{"text":{"type":"plain_text","text":"One"},"value":"1"}}`,
			[]string{
				`<div class="bk-radios" data-input data-kind="radio_buttons" data-block-id="b" data-action-id="r">`,
				`<label class="bk-option"><input type="radio" name="b/r" value="1" checked><span class="bk-option-text">One</span></label>`,
				`<label class="bk-option"><input type="radio" name="b/r" value="2"><span class="bk-option-text"><b>Two</b></span><span class="bk-option-description">second</span></label>`,
			}},
		{"checkboxes", `{"type":"checkboxes","action_id":"c",` + opts + `,"initial_options":[{"text":{"type":"plain_text","text":"One"},"value":"1"},{"text":{"type":"plain_text","text":"Two"},"value":"2"}]}`,
			[]string{
				`<div class="bk-checkboxes" data-input data-kind="checkboxes" data-block-id="b" data-action-id="c">`,
				`<input type="checkbox" name="b/c" value="1" checked>`, `<input type="checkbox" name="b/c" value="2" checked>`,
			}},
		{"datepicker", `{"type":"datepicker","action_id":"d","initial_date":"2026-03-31"}`,
			[]string{`<input type="date" class="bk-date" data-input data-kind="datepicker" data-block-id="b" data-action-id="d" value="2026-03-31">`}},
		{"timepicker", `{"type":"timepicker","action_id":"t","initial_time":"09:30"}`,
			[]string{`<input type="time" class="bk-time" data-input data-kind="timepicker" data-block-id="b" data-action-id="t" value="09:30">`}},
		{"unknown", `{"type":"file_input","action_id":"f"}`,
			[]string{`<div class="bk-unknown">unsupported element type &#34;file_input&#34;</div>`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := bkRender(t, bkInput(tc.element))
			bkAssertSafe(t, tc.name, out)
			for _, w := range append(tc.want,
				`<div class="bk-block bk-input" data-block-id="b" data-block="b"><div class="bk-label">L</div>`,
				`<div class="bk-error" data-error-for="b"></div></div>`) {
				if !strings.Contains(out, w) {
					t.Errorf("missing\n%s\nin\n%s", w, out)
				}
			}
		})
	}
}

func TestInputBlock(t *testing.T) {
	out := bkRender(t, `{"type":"input","block_id":"note","optional":true,"label":{"type":"plain_text","text":"Comment"},"hint":{"type":"plain_text","text":"Be brief"},"element":{"type":"plain_text_input","action_id":"v"}}`)
	want := `<div class="bk-block bk-input" data-block-id="note" data-block="note"><div class="bk-label">Comment <span class="bk-optional">(optional)</span></div>` +
		`<input type="text" class="bk-text" data-input data-kind="plain_text_input" data-block-id="note" data-action-id="v" value="">` +
		`<div class="bk-error" data-error-for="note"></div><div class="bk-hint">Be brief</div></div>` + "\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestBlocksInput(t *testing.T) {
	for _, raw := range []string{"", "null", " []"} {
		if out, err := Blocks(json.RawMessage(raw), nil, SurfaceMessage); err != nil || out != "" {
			t.Errorf("Blocks(%q) = %q, %v", raw, out, err)
		}
	}
	for _, raw := range []string{"[", `{"type":"section"}`, `[{"type":"divider"}] x`} {
		if _, err := Blocks(json.RawMessage(raw), nil, SurfaceMessage); err == nil {
			t.Errorf("Blocks(%q): no error", raw)
		}
	}
	out, err := Blocks(json.RawMessage(`[1, {"type":"divider"}]`), nil, SurfaceMessage)
	if err != nil || !strings.Contains(string(out), `<div class="bk-unknown">block 0 is not an object</div>`) || !strings.Contains(string(out), "bk-divider") {
		t.Errorf("got %s, %v", out, err)
	}
	// A nil directory shows ids and offers no choices.
	out, err = Blocks(json.RawMessage(`[{"type":"actions","block_id":"a","elements":[{"type":"users_select","action_id":"u","initial_user":"U1"}]},{"type":"section","text":{"type":"mrkdwn","text":"<@U1>"}}]`), nil, SurfaceHome)
	if err != nil || !strings.Contains(string(out), `<option value="U1" selected>U1</option>`) || !strings.Contains(string(out), "@U1") {
		t.Errorf("got %s, %v", out, err)
	}
}

// TestBlocksHostile puts bkHostile text in every place a block carries
// text, ids, values or URLs and checks that no markup comes out.
func TestBlocksHostile(t *testing.T) {
	for _, h := range bkHostile {
		s := h.in
		text := func(typ string) map[string]any { return map[string]any{"type": typ, "text": s, "emoji": true} }
		opt := map[string]any{"text": text("plain_text"), "value": s, "description": text("mrkdwn")}
		opts := []any{opt}
		el := func(typ string, extra ...any) map[string]any {
			m := map[string]any{"type": typ, "action_id": s, "placeholder": text("plain_text")}
			for i := 0; i+1 < len(extra); i += 2 {
				m[extra[i].(string)] = extra[i+1]
			}
			return m
		}
		blocks := []any{
			map[string]any{"type": "header", "block_id": s, "text": text("plain_text")},
			map[string]any{"type": "section", "block_id": s, "text": text("mrkdwn"), "fields": []any{text("mrkdwn"), text("plain_text")},
				"accessory": el("overflow", "options", opts)},
			map[string]any{"type": "section", "text": text("plain_text"), "accessory": map[string]any{"type": "image", "image_url": s, "alt_text": s}},
			map[string]any{"type": "context", "elements": []any{text("mrkdwn"), map[string]any{"type": "image", "image_url": "https://x.org/" + s, "alt_text": s}}},
			map[string]any{"type": "image", "image_url": s, "alt_text": s, "title": text("plain_text")},
			map[string]any{"type": "image", "slack_file": map[string]any{"id": s}, "alt_text": s},
			map[string]any{"type": "actions", "block_id": s, "elements": []any{
				el("button", "text", text("plain_text"), "value", s, "url", s, "style", s),
				el("static_select", "options", opts, "initial_option", opt),
				el("users_select", "initial_user", s),
				el("conversations_select", "initial_conversation", s),
				el("datepicker", "initial_date", s),
				el(s),
			}},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "hint": text("plain_text"), "element": el("plain_text_input", "initial_value", s, "max_length", s)},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("plain_text_input", "initial_value", s, "multiline", true)},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("number_input", "initial_value", s, "min_value", s)},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("multi_users_select", "initial_users", []any{s})},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("static_select", "option_groups", []any{map[string]any{"label": text("plain_text"), "options": opts}})},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("radio_buttons", "options", opts, "initial_option", opt)},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("checkboxes", "options", opts)},
			map[string]any{"type": "input", "block_id": s, "label": text("plain_text"), "element": el("timepicker", "initial_time", s)},
			map[string]any{"type": "rich_text", "elements": []any{map[string]any{"type": "rich_text_section", "elements": []any{
				map[string]any{"type": "text", "text": s}, map[string]any{"type": "link", "url": s, "text": s},
				map[string]any{"type": "user", "user_id": s}, map[string]any{"type": "emoji", "name": s}, map[string]any{"type": s},
			}}}},
			map[string]any{"type": s, "block_id": s},
		}
		raw, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		for _, surface := range []Surface{SurfaceMessage, SurfaceModal, SurfaceHome} {
			out, err := Blocks(raw, bkTestDir{}, surface)
			if err != nil {
				t.Fatal(err)
			}
			bkAssertSafe(t, s, string(out))
		}
	}
}

// FuzzBlocks checks that no blocks make the renderer panic or write markup
// other than its own.
func FuzzBlocks(f *testing.F) {
	files, _ := filepath.Glob("../views/testdata/*.json")
	for _, file := range files {
		if data, err := os.ReadFile(file); err == nil {
			var v struct{ Blocks json.RawMessage }
			if json.Unmarshal(data, &v) == nil && v.Blocks != nil {
				f.Add(string(v.Blocks))
			}
		}
	}
	f.Add(`[{"type":"rich_text","elements":[{"type":"rich_text_list","elements":[{"type":"rich_text_section","elements":[{"type":"emoji","unicode":"1f44d"}]}]}]}]`)
	f.Fuzz(func(t *testing.T, raw string) {
		for _, s := range []Surface{SurfaceMessage, SurfaceModal} {
			if out, err := Blocks(json.RawMessage(raw), bkTestDir{}, s); err == nil {
				bkAssertSafe(t, raw, string(out))
			}
		}
	})
}

// Every emoji okrbot's views write has its picture in the playground.
func TestEveryViewEmojiIsKnown(t *testing.T) {
	files, err := filepath.Glob("../views/*.go")
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`:([a-z0-9_+-]+):`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range code.FindAllStringSubmatch(string(src), -1) {
			if _, ok := bkEmoji[m[1]]; !ok {
				t.Errorf("%s writes :%s:, which the playground shows as text", filepath.Base(f), m[1])
			}
		}
	}
}
