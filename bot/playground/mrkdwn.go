package playground

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mrkdwn renders Slack mrkdwn to HTML.
//
// It understands *bold*, _italic_, ~strike~, `code`, ```preformatted```
// blocks, "> " and ">>> " quotes, line breaks, links (<url> and <url|label>;
// only http, https and mailto become links, anything else shows as text),
// user, channel and special mentions (<@U1>, <#C1>, <#C1|name>, <!here>, ...),
// the entities &amp; &lt; &gt; and emoji shortcodes. Formatting never spans
// lines. Everything is escaped: text can never become markup. dir may be nil.
func Mrkdwn(text string, dir Directory) template.HTML {
	m := mdState{dir: bkDirectory(dir)}
	for _, seg := range mdSplitFences(text) {
		if seg.code {
			m.b.WriteString(`<pre class="bk-pre">`)
			mdWriteCode(&m.b, m.tokenize(seg.text, false))
			m.b.WriteString(`</pre>`)
			m.br = false
			continue
		}
		m.lines(seg.text)
	}
	return template.HTML(m.b.String())
}

// Plain renders a plain_text object's text: escaped, with line breaks and,
// when emoji is true, emoji shortcodes replaced.
func Plain(text string, emoji bool) template.HTML {
	if emoji {
		text = bkReplaceEmoji(text)
	}
	return template.HTML(strings.ReplaceAll(html.EscapeString(text), "\n", "<br>"))
}

// mdState is the state of one Mrkdwn call.
type mdState struct {
	dir Directory
	b   strings.Builder
	br  bool // a line was written and the next one needs a <br> first
}

// mdSegment is a run of text, or of preformatted text between ``` fences.
type mdSegment struct {
	text string
	code bool
}

// mdSplitFences splits text at ``` fences. An unmatched fence stays text. The
// line break next to a fence is dropped, as the <pre> breaks the line anyway.
func mdSplitFences(text string) []mdSegment {
	var out []mdSegment
	for {
		open := strings.Index(text, "```")
		if open < 0 {
			break
		}
		n := strings.Index(text[open+3:], "```")
		if n < 0 {
			break
		}
		out = append(out, mdSegment{text: strings.TrimSuffix(text[:open], "\n")})
		code := strings.TrimPrefix(text[open+3:open+3+n], "\n")
		out = append(out, mdSegment{text: strings.TrimSuffix(code, "\n"), code: true})
		text = strings.TrimPrefix(text[open+3+n+3:], "\n")
	}
	return append(out, mdSegment{text: text})
}

// lines renders a segment line by line, grouping quoted lines.
func (m *mdState) lines(s string) {
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); {
		if rest, ok := mdCutQuote(lines[i], ">>>", "&gt;&gt;&gt;"); ok {
			lines[i] = rest
			m.quote(lines[i:])
			return
		}
		if _, ok := mdCutQuote(lines[i], ">", "&gt;"); !ok {
			if m.br {
				m.b.WriteString("<br>")
			}
			m.inline(lines[i])
			m.br = true
			i++
			continue
		}
		j := i
		for j < len(lines) {
			rest, ok := mdCutQuote(lines[j], ">", "&gt;")
			if !ok {
				break
			}
			lines[j] = rest
			j++
		}
		m.quote(lines[i:j])
		i = j
	}
}

// mdCutQuote removes a quote marker (raw or escaped) and one space after it.
func mdCutQuote(line, raw, escaped string) (string, bool) {
	rest, ok := strings.CutPrefix(line, raw)
	if !ok {
		rest, ok = strings.CutPrefix(line, escaped)
	}
	if ok {
		rest = strings.TrimPrefix(rest, " ")
	}
	return rest, ok
}

// quote renders lines as one block quote.
func (m *mdState) quote(lines []string) {
	m.b.WriteString(`<blockquote class="bk-quote">`)
	for i, l := range lines {
		if i > 0 {
			m.b.WriteString("<br>")
		}
		m.inline(l)
	}
	m.b.WriteString(`</blockquote>`)
	m.br = false
}

// inline renders one line: code spans first, then the other markers.
func (m *mdState) inline(line string) {
	mdFormat(&m.b, mdCodeSpans(m.tokenize(line, true)))
}

// mdToken is a character of text, or an atom already rendered to HTML (a
// link, mention, emoji or code span) that formatting treats as one symbol.
type mdToken struct {
	r    rune
	html string // the atom's HTML; "" for a character
	code string // the atom's HTML inside code, without markup
}

// tokenize resolves control sequences, entities and (when emoji is true)
// emoji shortcodes.
func (m *mdState) tokenize(s string, emoji bool) []mdToken {
	var out []mdToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if end := strings.IndexByte(s[i:], '>'); end > 0 {
				if t, ok := m.control(s[i+1 : i+end]); ok {
					out = append(out, t)
					i += end + 1
					continue
				}
			}
		case '&':
			if r, n := mdEntityAt(s, i); n > 0 {
				out = append(out, mdToken{r: r})
				i += n
				continue
			}
		case ':':
			if e, n, ok := bkEmojiAt(s, i); ok && emoji {
				out = append(out, mdToken{html: e, code: html.EscapeString(s[i : i+n])})
				i += n
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		out = append(out, mdToken{r: r})
		i += n
	}
	return out
}

// mdEntityAt decodes the entity Slack's escaping produces at s[i:], if any.
func mdEntityAt(s string, i int) (rune, int) {
	for _, e := range [...]struct {
		name string
		r    rune
	}{{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}} {
		if strings.HasPrefix(s[i:], e.name) {
			return e.r, len(e.name)
		}
	}
	return 0, 0
}

// mdUnescape decodes Slack's entities in s.
func mdUnescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

// control renders the inside of a <…> control sequence as an atom.
func (m *mdState) control(inner string) (mdToken, bool) {
	if inner == "" || strings.ContainsAny(inner, "<\n") {
		return mdToken{}, false
	}
	target, label, _ := strings.Cut(inner, "|")
	if target == "" {
		return mdToken{}, false
	}
	label = mdUnescape(label)
	atom := func(class, text string) (mdToken, bool) {
		t := html.EscapeString(text)
		return mdToken{html: `<span class="` + class + `">` + t + `</span>`, code: t}, true
	}
	switch target[0] {
	case '@':
		name := m.dir.UserName(target[1:])
		if name == "" {
			name = bkFirst(strings.TrimPrefix(label, "@"), target[1:])
		}
		return atom("bk-mention", "@"+name)
	case '#':
		name := m.dir.ChannelName(target[1:])
		return atom("bk-mention bk-channel", "#"+bkFirst(name, strings.TrimPrefix(label, "#"), target[1:]))
	case '!':
		cmd, _, _ := strings.Cut(target[1:], "^")
		switch {
		case cmd == "here" || cmd == "channel" || cmd == "everyone":
			return atom("bk-mention bk-broadcast", "@"+cmd)
		case cmd == "subteam":
			return atom("bk-mention bk-usergroup", bkFirst(label, "@"+strings.TrimPrefix(target, "!subteam^")))
		case cmd == "date":
			t := html.EscapeString(label)
			return mdToken{html: t, code: t}, true
		}
		return atom("bk-mention", bkFirst(label, "@"+cmd))
	}
	if !bkHasScheme(target) {
		return mdToken{}, false
	}
	url := mdUnescape(target)
	return mdToken{html: bkLink(url, label), code: html.EscapeString(bkFirst(label, url))}, true
}

// bkHasScheme reports whether u starts with a URL scheme such as "https:".
func bkHasScheme(u string) bool {
	for i, c := range u {
		switch {
		case c == ':':
			return i > 0
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// bkLink renders a link to url showing text (the url when text is empty). A
// url that is not http, https or mailto renders as text only.
func bkLink(url, text string) string {
	t := html.EscapeString(bkFirst(text, url))
	if !bkSafeURL(url) {
		return t
	}
	return `<a class="bk-link" href="` + html.EscapeString(url) + `" target="_blank" rel="noopener noreferrer">` + t + `</a>`
}

// bkFirst returns the first non-empty string.
func bkFirst(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// bkSafeURL reports whether u may be an href: http, https or mailto only.
func bkSafeURL(u string) bool {
	l := strings.ToLower(u)
	for _, p := range []string{"http://", "https://", "mailto:"} {
		if strings.HasPrefix(l, p) && len(l) > len(p) {
			return true
		}
	}
	return false
}

// mdCodeSpans turns `…` runs (up to the next backtick) into atoms whose
// content is shown as is.
func mdCodeSpans(toks []mdToken) []mdToken {
	var out []mdToken
	for i := 0; i < len(toks); i++ {
		if toks[i].html == "" && toks[i].r == '`' {
			j := i + 1
			for j < len(toks) && (toks[j].html != "" || toks[j].r != '`') {
				j++
			}
			if j < len(toks) && j > i+1 {
				var b strings.Builder
				b.WriteString(`<code class="bk-code">`)
				mdWriteCode(&b, toks[i+1:j])
				b.WriteString(`</code>`)
				out = append(out, mdToken{html: b.String(), code: b.String()})
				i = j
				continue
			}
		}
		out = append(out, toks[i])
	}
	return out
}

// mdTags are the HTML elements of the formatting markers.
var mdTags = map[rune]string{'*': "b", '_': "i", '~': "s"}

// mdFormat renders tokens, applying *, _ and ~ (which may nest). A marker
// opens after the start, a space or punctuation and before a non-space; it
// closes at the next same marker after a non-space and before the end, a
// space or punctuation. Markers without a partner show as text.
func mdFormat(b *strings.Builder, toks []mdToken) {
	// closers lists, per marker, the positions where it may close, so that
	// finding an opener's partner is a binary search, not a scan.
	closers := map[rune][]int{}
	for k, t := range toks {
		if _, ok := mdTags[t.r]; ok && t.html == "" && k > 0 && !mdIsSpace(toks[k-1]) && (k+1 == len(toks) || !mdIsWord(toks[k+1])) {
			closers[t.r] = append(closers[t.r], k)
		}
	}
	f := mdFormatter{b: b, toks: toks, closers: closers}
	f.run(0, len(toks))
}

// mdFormatter renders a line's tokens; run renders toks[lo:hi].
type mdFormatter struct {
	b       *strings.Builder
	toks    []mdToken
	closers map[rune][]int
}

func (f *mdFormatter) run(lo, hi int) {
	for i := lo; i < hi; i++ {
		t := f.toks[i]
		if t.html != "" {
			f.b.WriteString(t.html)
			continue
		}
		if tag, ok := mdTags[t.r]; ok && (i == 0 || !mdIsWord(f.toks[i-1])) && i+1 < hi && !mdIsSpace(f.toks[i+1]) {
			c := f.closers[t.r]
			if k, _ := slices.BinarySearch(c, i+2); k < len(c) && c[k] < hi {
				f.b.WriteString("<" + tag + ">")
				f.run(i+1, c[k])
				f.b.WriteString("</" + tag + ">")
				i = c[k]
				continue
			}
		}
		f.b.WriteString(html.EscapeString(string(t.r)))
	}
}

// mdWriteCode renders tokens without formatting, atoms by their code form.
func mdWriteCode(b *strings.Builder, toks []mdToken) {
	for _, t := range toks {
		if t.html != "" {
			b.WriteString(t.code)
			continue
		}
		b.WriteString(html.EscapeString(string(t.r)))
	}
}

func mdIsWord(t mdToken) bool {
	return t.html == "" && (unicode.IsLetter(t.r) || unicode.IsDigit(t.r))
}

func mdIsSpace(t mdToken) bool { return t.html == "" && unicode.IsSpace(t.r) }

// richText renders a rich_text block: sections, bullet and ordered lists,
// preformatted text and quotes made of styled text, links, mentions and
// emoji.
func (r *bkRenderer) richText(b bkObject) {
	for _, e := range bkObjects(b, "elements") {
		switch typ := bkStr(e, "type"); typ {
		case "rich_text_section":
			r.w(`<div class="bk-rt-section">`, r.richInline(e), `</div>`)
		case "rich_text_preformatted":
			r.w(`<pre class="bk-pre">`, r.richInline(e), `</pre>`)
		case "rich_text_quote":
			r.w(`<blockquote class="bk-quote">`, r.richInline(e), `</blockquote>`)
		case "rich_text_list":
			tag := "ul"
			if bkStr(e, "style") == "ordered" {
				tag = "ol"
			}
			r.open(tag, "class", "bk-rt-list", "data-indent", bkNumber(e, "indent"))
			for _, item := range bkObjects(e, "elements") {
				r.w("<li>", r.richInline(item), "</li>")
			}
			r.w("</", tag, ">")
		default:
			r.unknown("div", fmt.Sprintf("unsupported rich_text element type %q", typ))
		}
	}
}

// richInline renders the inline elements of a rich text section.
func (r *bkRenderer) richInline(section bkObject) string {
	m := mdState{dir: r.dir}
	var b strings.Builder
	for _, e := range bkObjects(section, "elements") {
		var h string
		switch typ := bkStr(e, "type"); typ {
		case "text":
			h = strings.ReplaceAll(html.EscapeString(bkStr(e, "text")), "\n", "<br>")
		case "link":
			h = bkLink(bkStr(e, "url"), bkStr(e, "text"))
		case "emoji":
			h = bkFirst(bkEmoji[bkStr(e, "name")], bkUnicodeEmoji(bkStr(e, "unicode")), html.EscapeString(":"+bkStr(e, "name")+":"))
		case "user", "channel", "usergroup", "broadcast":
			target := map[string]string{"user": "@" + bkStr(e, "user_id"), "channel": "#" + bkStr(e, "channel_id"),
				"usergroup": "!subteam^" + bkStr(e, "usergroup_id"), "broadcast": "!" + bkStr(e, "range")}[typ]
			t, _ := m.control(target)
			h = t.html
		case "date":
			h = html.EscapeString(bkStr(e, "fallback"))
		default:
			h = `<span class="bk-unknown">` + html.EscapeString(fmt.Sprintf("unsupported rich_text element type %q", typ)) + `</span>`
		}
		style := bkSub(e, "style")
		for _, s := range [...]struct{ key, open, close string }{
			{"code", `<code class="bk-code">`, "</code>"}, {"strike", "<s>", "</s>"},
			{"italic", "<i>", "</i>"}, {"bold", "<b>", "</b>"},
		} {
			if bkBool(style, s.key) {
				h = s.open + h + s.close
			}
		}
		b.WriteString(h)
	}
	return b.String()
}

// bkUnicodeEmoji decodes a rich text emoji's "unicode" field ("1f44d" or
// "1f469-200d-1f4bb"), "" when it is absent or malformed.
func bkUnicodeEmoji(hex string) string {
	var b strings.Builder
	for _, p := range strings.Split(hex, "-") {
		n, err := strconv.ParseUint(p, 16, 32)
		if err != nil || !utf8.ValidRune(rune(n)) {
			return ""
		}
		b.WriteRune(rune(n))
	}
	return b.String()
}
