package playground

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// bkTestDir is a small directory: two people, two channels.
type bkTestDir struct{}

func (bkTestDir) UserName(id string) string {
	return map[string]string{"U1": "Ana Lima", "U2": "Bruno Costa", "UX": `<img src=x onerror=alert(1)>`}[id]
}

func (bkTestDir) ChannelName(id string) string {
	return map[string]string{"C1": "payments", "C2": "growth"}[id]
}

func (bkTestDir) Users() []Choice {
	return []Choice{{ID: "U1", Name: "Ana Lima"}, {ID: "U2", Name: "Bruno Costa"}}
}

func (bkTestDir) Channels() []Choice {
	return []Choice{{ID: "C1", Name: "#payments"}, {ID: "C2", Name: "#growth"}}
}

func TestMrkdwn(t *testing.T) {
	const a = `" target="_blank" rel="noopener noreferrer">`
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", ""},
		{"plain", "hello", "hello"},
		{"bold", "*bold*", "<b>bold</b>"},
		{"italic", "_italic_", "<i>italic</i>"},
		{"strike", "~gone~", "<s>gone</s>"},
		{"code", "`x := 1`", `<code class="bk-code">x := 1</code>`},
		{"bold in sentence", "a *b c* d", "a <b>b c</b> d"},
		{"bold with punctuation", "(*b*), ok", "(<b>b</b>), ok"},
		{"nested", "*bold _both_ bold*", "<b>bold <i>both</i> bold</b>"},
		{"nested tight", "*_both_*", "<b><i>both</i></b>"},
		{"unterminated", "*bold", "*bold"},
		{"marker then space", "* not bold*", "* not bold*"},
		{"space before close", "*not bold *", "*not bold *"},
		{"snake_case", "snake_case_name", "snake_case_name"},
		{"inside word", "2*3*4", "2*3*4"},
		{"empty markers", "** __", "** __"},
		{"star in code", "`a*b*c` *d*", `<code class="bk-code">a*b*c</code> <b>d</b>`},
		{"code in bold", "*see `x`*", `<b>see <code class="bk-code">x</code></b>`},
		{"unterminated code", "`oops", "`oops"},
		{"no formatting across lines", "*a\nb*", "*a<br>b*"},
		{"line breaks", "a\nb\n\nc", "a<br>b<br><br>c"},
		{"entities", "a &amp; b &lt;c&gt;", "a &amp; b &lt;c&gt;"},
		{"tag-like entities stay text", "&lt;b&gt;x&lt;/b&gt;", "&lt;b&gt;x&lt;/b&gt;"},
		{"bold spans entity", "*a &amp; b*", "<b>a &amp; b</b>"},
		{"bold of entity", "*&lt;fast&gt;*", "<b>&lt;fast&gt;</b>"},
		{"quotes and apostrophes", `it's "x"`, "it&#39;s &#34;x&#34;"},
		{"link", "<https://x.org/a?b=1&amp;c=2|the label>", `<a class="bk-link" href="https://x.org/a?b=1&amp;c=2` + a + `the label</a>`},
		{"bkBare link", "<https://x.org>", `<a class="bk-link" href="https://x.org` + a + `https://x.org</a>`},
		{"mailto", "<mailto:a@b.org|mail>", `<a class="bk-link" href="mailto:a@b.org` + a + `mail</a>`},
		{"bold link", "*<https://x.org|x>*", `<b><a class="bk-link" href="https://x.org` + a + `x</a></b>`},
		{"underscore in url", "<https://x.org/a_b_c>", `<a class="bk-link" href="https://x.org/a_b_c` + a + `https://x.org/a_b_c</a>`},
		{"javascript link", "<javascript:alert(1)|click>", "click"},
		{"javascript bkBare", "<javascript:alert(1)>", "javascript:alert(1)"},
		{"relative link", "</etc/passwd|x>", "&lt;/etc/passwd|x&gt;"},
		{"tag-like text", "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"user", "<@U1>", `<span class="bk-mention">@Ana Lima</span>`},
		{"unknown user", "<@U9>", `<span class="bk-mention">@U9</span>`},
		{"user with label", "<@U9|ana>", `<span class="bk-mention">@ana</span>`},
		{"channel", "<#C1>", `<span class="bk-mention bk-channel">#payments</span>`},
		{"channel with label", "<#C9|ops>", `<span class="bk-mention bk-channel">#ops</span>`},
		{"directory wins", "<#C1|old>", `<span class="bk-mention bk-channel">#payments</span>`},
		{"here", "<!here> and <!channel> <!everyone>", `<span class="bk-mention bk-broadcast">@here</span> and <span class="bk-mention bk-broadcast">@channel</span> <span class="bk-mention bk-broadcast">@everyone</span>`},
		{"usergroup", "<!subteam^S1|@leads>", `<span class="bk-mention bk-usergroup">@leads</span>`},
		{"date", "<!date^1700000000^{date}|Nov 14>", "Nov 14"},
		{"mention in code", "`<@U1>`", `<code class="bk-code">@Ana Lima</code>`},
		{"stray angle", "a < b > c", "a &lt; b &gt; c"},
		{"empty control", "<> <|> <|x>", "&lt;&gt; &lt;|&gt; &lt;|x&gt;"},
		{"bare sigils", "<@> <#> <!>", `<span class="bk-mention">@</span> <span class="bk-mention bk-channel">#</span> <span class="bk-mention">@</span>`},
		{"emoji", ":rocket: Ahead", "🚀 Ahead"},
		{"emoji okrbot", ":white_check_mark::large_green_circle:", "✅🟢"},
		{"unknown emoji", ":no_such_emoji: 10:30", ":no_such_emoji: 10:30"},
		{"emoji in code", "`:rocket:`", `<code class="bk-code">:rocket:</code>`},
		{"quote", "> quoted\nnot", `<blockquote class="bk-quote">quoted</blockquote>not`},
		{"escaped quote", "&gt; one\n&gt; two", `<blockquote class="bk-quote">one<br>two</blockquote>`},
		{"quote all", "a\n>>> b\nc", `a<blockquote class="bk-quote">b<br>c</blockquote>`},
		{"gt mid-line", "5 &gt; 3", "5 &gt; 3"},
		{"pre", "before\n```\nx *y*\n  z\n```\nafter", `before<pre class="bk-pre">x *y*` + "\n" + `  z</pre>after`},
		{"pre inline", "```a &lt;b&gt;```", `<pre class="bk-pre">a &lt;b&gt;</pre>`},
		{"pre unterminated", "```a", "```a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Mrkdwn(tc.in, bkTestDir{})); got != tc.want {
				t.Errorf("Mrkdwn(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestMrkdwnNilDirectory(t *testing.T) {
	if got, want := string(Mrkdwn("<@U1> in <#C1>", nil)), `<span class="bk-mention">@U1</span> in <span class="bk-mention bk-channel">#C1</span>`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestPlain(t *testing.T) {
	for _, tc := range []struct {
		in    string
		emoji bool
		want  string
	}{
		{":wave: hi", true, "👋 hi"},
		{":wave: hi", false, ":wave: hi"},
		{"a\nb", false, "a<br>b"},
		{"*not bold* &amp; <b>", true, "*not bold* &amp;amp; &lt;b&gt;"},
	} {
		if got := string(Plain(tc.in, tc.emoji)); got != tc.want {
			t.Errorf("Plain(%q, %v) = %s, want %s", tc.in, tc.emoji, got, tc.want)
		}
	}
}

// bkHostile are inputs trying to inject markup, each with text that must
// survive visibly.
var bkHostile = []struct{ in, visible string }{
	{"<script>alert(1)</script>", "alert(1)"},
	{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)"},
	{`"><img src=x onerror=alert(1)>`, "&#34;&gt;"},
	{`&quot;&gt;&lt;img src=x onerror=alert(1)&gt;`, "img src=x"},
	{"<javascript:alert(1)|click>", "click"},
	{"<javascript:alert(1)>", "alert(1)"},
	{"<JavaScript:alert(1)|x>", "x"},
	{"< javascript:alert(1)|y>", "y"},
	{"<data:text/html,<script>alert(1)</script>|z>", "alert(1)"},
	{`<https://x.org/"onmouseover="alert(1)|ok>`, "ok"},
	{`<https://x.org|"><script>alert(1)</script>>`, "alert(1)"},
	{"*&lt;script&gt;* _&lt;img onerror=x&gt;_", "script"},
	{"`<script>` *`*`*", "*"},
	{"*_~`nested <script>`~_*", "nested"},
	{"*unterminated <img src=x onerror=alert(1)>", "unterminated"},
	{"```<script>alert(1)</script>```", "alert(1)"},
	{"> <script>alert(1)</script>", "alert(1)"},
	{"<@UX> <#C1|<script>>", "onerror=alert(1)"},
	{"<!subteam^S1|<img src=x onerror=alert(1)>>", "alert(1)"},
	{":rocket:<script>:wave:", "🚀"},
}

// bkTagRE matches one tag as the renderer writes them: attribute values are
// always double-quoted and escaped, so they hold no quote.
var bkTagRE = regexp.MustCompile(`<(/?)([a-z0-9]+)((?: [a-z-]+(?:="[^"<>]*")?)*)>`)

var bkAttrRE = regexp.MustCompile(` ([a-z-]+)(?:="([^"]*)")?`)

// bkSafeTags and bkSafeAttrs are everything the renderer may write.
var (
	bkSafeTags  = strings.Fields("div span b i s code pre blockquote br a hr img button select option optgroup input textarea label ul ol li")
	bkSafeAttrs = strings.Fields("class role href target rel src alt title loading type name value placeholder maxlength minlength step min max selected checked multiple label")
)

// bkAssertSafe fails when out could run script or inject markup: every tag in
// it must be one the renderer writes, with known attributes only (no event
// handler), links to http, https or mailto and images from http(s). What is
// left once the tags are removed is text, so it must hold no < or >.
// Hostile words like onerror may then only appear as visible, escaped text.
func bkAssertSafe(t *testing.T, in, out string) {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Errorf("input %q: output contains <script:\n%s", in, out)
	}
	for _, m := range bkTagRE.FindAllStringSubmatch(out, -1) {
		if !slices.Contains(bkSafeTags, m[2]) {
			t.Errorf("input %q: unexpected tag %s in\n%s", in, m[0], out)
		}
		for _, a := range bkAttrRE.FindAllStringSubmatch(m[3], -1) {
			name, value := a[1], html.UnescapeString(a[2])
			if !slices.Contains(bkSafeAttrs, name) && !strings.HasPrefix(name, "data-") {
				t.Errorf("input %q: unexpected attribute %s in %s", in, name, m[0])
			}
			if name == "href" && !bkSafeURL(value) || name == "src" && !strings.HasPrefix(value, "http") {
				t.Errorf("input %q: unsafe %s in %s", in, name, m[0])
			}
		}
	}
	if rest := bkTagRE.ReplaceAllString(out, ""); strings.ContainsAny(rest, "<>") {
		t.Errorf("input %q: markup outside the bkRenderer's mdTags:\n%s", in, rest)
	}
}

func TestMrkdwnHostile(t *testing.T) {
	for _, tc := range bkHostile {
		out := string(Mrkdwn(tc.in, bkTestDir{}))
		bkAssertSafe(t, tc.in, out)
		if !strings.Contains(out, tc.visible) {
			t.Errorf("input %q: %q not visible in %s", tc.in, tc.visible, out)
		}
		if p := string(Plain(tc.in, true)); strings.Contains(strings.ToLower(p), "<script") || strings.Contains(p, "<img") {
			t.Errorf("Plain(%q) = %s", tc.in, p)
		}
	}
}

// FuzzMrkdwn checks that no input makes Mrkdwn write markup of its own.
func FuzzMrkdwn(f *testing.F) {
	for _, h := range bkHostile {
		f.Add(h.in)
	}
	f.Add("*a _b ~c `d` c~ b_ a*\n> q\n```p```")
	f.Fuzz(func(t *testing.T, s string) {
		bkAssertSafe(t, s, string(Mrkdwn(s, bkTestDir{})))
		bkAssertSafe(t, s, string(Plain(s, true)))
	})
}

// TestMrkdwnLongLine checks that pathological lines render in linear-ish
// time: openers without partners must not rescan the line.
func TestMrkdwnLongLine(t *testing.T) {
	line := strings.Repeat("*a _b ~c ", 5000) + strings.Repeat("x* ", 5000)
	start := time.Now()
	out := Mrkdwn(line, nil)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%d bytes took %v", len(line), d)
	}
	bkAssertSafe(t, "long line", string(out))
}
