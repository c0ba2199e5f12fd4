package okrs

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Check in by replying: a person answers the check-in prompt in words
// ("signups 1,340 on track; p99 310ms at risk — waiting on the cache
// rollout", or "no change"), and ParseReply reads it against their key
// results, in the order the prompt lists them.
//
// How a reply is read:
//   - Parts are separated by new lines, bullets, ";", numbered markers
//     ("1) 1340 2) 310"), and more weakly by ", ", " and ", " & " and the end
//     of a sentence. A weak part with nothing but words is a comment on the
//     part before it; one with only a confidence gives the part before it
//     its confidence.
//   - A comment follows "—", "–", " - ", ":", "because" or "due to" once the
//     part has a value or a confidence, or follows the confidence itself
//     ("at risk waiting on legal"). A comment that holds another key
//     result's name and number ends there, and that part is read too.
//   - Each part is placed on a key result by its number ("1)", "#2", "kr3"),
//     by name (words of the key result's title, with typos up to one or two
//     letters by word length, and prefixes such as "deploy" for
//     "deployments"), by unit ("45%" only fits a percentage, "$12k" only a
//     currency, "310ms" only a key result measured in ms, "done" only a
//     milestone), or by order when the reply has exactly one part per key
//     result and none of them is identified otherwise. When every key result
//     is given exactly once, the last one left is placed by elimination.
//   - Numbers are read as the check-in form reads them (ParseValue): commas
//     separate thousands ("1,340"), a dot is a decimal point. "1.340" (one to
//     three digits, a dot and exactly three more, not a percentage) is asked
//     about rather than read as 1.34 or 1340. "1.3k", "$12k", "-4", "−4",
//     "45%", "3.5 %" and "45 percent" work; "+140", "up 140" and "down 4"
//     look like changes rather than values and are asked about. A "k" or
//     "M" is a multiplier, not a unit: it identifies no key result.
//     "555-1234", "12/3" and "300-310" are not values.
//   - Confidence is "on track", "at risk", "off track" (also "on_track",
//     "ontrack", "on-track", the status emoji, and typos such as "on trak"
//     or "at rsik").
//   - "no change", "same as last week", "nothing changed" keep every key
//     result at its value and confidence, as the prompt's "No change this
//     week" button does (a key result with no check-in yet is asked about);
//     other parts of the same reply change what they name.
//
// What it cannot place, or could place on more than one key result, becomes
// a question, never a guess: two key results with the same unit and no
// name, a number with no key result, a key result given twice (neither part
// is kept), a value that does not fit the key result's kind or unit, a
// first check-in without a confidence.

// ReplyUpdate is what a reply says about one key result. Value and Level
// are always complete: what the reply gave, else the key result's current
// value and last confidence.
type ReplyUpdate struct {
	KeyResult int // index into the key results given to ParseReply
	Value     float64
	Level     Level
	Comment   string
	ValueSaid bool   // the reply gave the value
	LevelSaid bool   // the reply gave the confidence
	Kept      bool   // "no change": the value and confidence of the last check-in
	Part      string // the text it was read from
}

// QuestionKind says why a part of a reply became a question.
type QuestionKind string

const (
	AskWhich      QuestionKind = "which"      // it fits several key results (KeyResults)
	AskUnplaced   QuestionKind = "unplaced"   // it fits none of the key results
	AskTwice      QuestionKind = "twice"      // the key result (KeyResults[0]) was given twice
	AskValue      QuestionKind = "value"      // the value does not fit the key result: Problem says why
	AskConfidence QuestionKind = "confidence" // a first check-in needs a confidence
	AskNoCheckIn  QuestionKind = "no_checkin" // "no change" for a key result never checked in
)

// ReplyQuestion is a part of a reply okrbot could not place on its own.
type ReplyQuestion struct {
	Kind       QuestionKind
	Part       string // the text as typed
	KeyResults []int  // the key results it is about or could be for
	Problem    string // for AskValue and AskUnplaced: what is wrong, for the person
}

// Reply is what ParseReply understood.
type Reply struct {
	NoChange  bool            // the reply says nothing changed
	Updates   []ReplyUpdate   // at most one per key result, in key-result order
	Questions []ReplyQuestion // in the order of the reply
}

// Empty reports whether the reply did not look like a check-in at all.
func (r Reply) Empty() bool { return !r.NoChange && len(r.Updates) == 0 && len(r.Questions) == 0 }

// Update returns the update of key result i, if any.
func (r Reply) Update(i int) (ReplyUpdate, bool) {
	for _, u := range r.Updates {
		if u.KeyResult == i {
			return u, true
		}
	}
	return ReplyUpdate{}, false
}

// MaxReply is the longest reply ParseReply reads; longer text is read up to
// here.
const MaxReply = 2000

// maxNested bounds how many further parts a comment may turn out to hold,
// so that a long reply is read in time roughly proportional to its length.
const maxNested = 20

// ParseReply reads a person's reply to the check-in prompt against krs,
// their key results in the prompt's order. It is pure and deterministic.
func ParseReply(text string, krs []*KeyResult) Reply {
	p := replyParser{krs: krs}
	p.build()
	text = cleanReply(text)
	var groups []*group
	for _, chunk := range splitStrong(text) {
		groups = append(groups, p.chunk(chunk)...)
	}
	return p.place(groups)
}

// group is one part of a reply: at most one value, about one key result.
type group struct {
	raw      string
	ordinal  int // 1-based; 0 when none
	words    []string
	num      *numTok
	level    Level
	unsure   bool // "not on track": a confidence that says none
	noChange bool
	done     int // milestone words: -1 none, 0 not done, 1 done
	all      bool
	comment  string
	delta    bool // "up 140", "+140": a change, not a value
	weak     bool // split off by a weak separator
}

func (g *group) hasValue() bool { return g.num != nil || g.done >= 0 }

func (g *group) signal() bool {
	return g.num != nil || g.level != "" || g.unsure || g.noChange || g.done >= 0 || g.ordinal > 0
}

// numTok is a number as typed, with its unit notation.
type numTok struct {
	text  string // what ParseValue reads: "$12k", "45%", "1,340"
	label string // a unit word: "ms"
	value float64
	unit  Unit
	cur   string
	err   error
	dotty bool // "1.340": a thousands dot or a decimal?
}

type replyParser struct {
	krs    []*KeyResult
	titles [][]string // each key result's name words
}

func (p *replyParser) build() {
	p.titles = make([][]string, len(p.krs))
	for i, kr := range p.krs {
		all := wordsOf(kr.Title)
		if len(all) >= 2 { // "nps" for "Net promoter score"
			var initials []rune
			for _, w := range all {
				r, _ := utf8.DecodeRuneInString(w)
				initials = append(initials, r)
			}
			all = append(all, string(initials))
		}
		for _, w := range all {
			if fillerWords[w] || titleFiller[w] || isNumeric(w) || strings.EqualFold(w, kr.UnitLabel) {
				continue
			}
			if !slices.Contains(p.titles[i], w) {
				p.titles[i] = append(p.titles[i], w)
			}
		}
	}
}

var (
	slackLink   = regexp.MustCompile(`<([^<>|]*)\|([^<>]*)>`)
	slackAngle  = regexp.MustCompile(`<[^<>]*>`)
	slackEmoji  = regexp.MustCompile(`:[a-z][a-z0-9_+\-']*:`)
	bulletStart = regexp.MustCompile(`^\s*(?:[•◦▪·*]|[-–—](?:\s|$))\s*`)
	ordinalHead = regexp.MustCompile(`(?i)^\s*(?:\(?(\d{1,2})\)|(\d{1,2})[.:](?:\s+|$)|#(\d{1,2})\b[.:)]?|kr\s?#?(\d{1,2})\b[.:)]?)\s*`)
	ordinalMid  = regexp.MustCompile(`\s\(?(\d{1,2})\)\s`)
)

// cleanReply undoes Slack's escaping and drops mentions and links' targets.
func cleanReply(s string) string {
	if len(s) > MaxReply {
		s = s[:MaxReply]
		s = strings.ToValidUTF8(s, "")
	}
	s = strings.ToValidUTF8(s, "")
	s = slackLink.ReplaceAllString(s, "$2")
	s = slackAngle.ReplaceAllString(s, " ")
	return slackEmoji.ReplaceAllString(replyReplacer.Replace(s), " ") // ":tada:" says nothing about a key result
}

var replyReplacer = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "\r\n", "\n", "\r", "\n",
	"\u00a0", " ", "\u2009", " ", "\u202f", " ", "\t", " ", "*", "", "`", "", "~", "",
	"🟢", " on track ", "🟡", " at risk ", "🔴", " off track ",
	":large_green_circle:", " on track ", ":large_yellow_circle:", " at risk ", ":red_circle:", " off track ",
	"→", " to ", "->", " to ")

// chunk is a strongly separated part: a line, a bullet, a numbered item or
// what ";" separates.
type chunk struct {
	text    string
	ordinal int
	depth   int // parts found inside comments so far
}

func splitStrong(text string) []chunk {
	var out []chunk
	for _, line := range strings.Split(text, "\n") {
		line = bulletStart.ReplaceAllString(line, "")
		// Numbered items, also several on one line: "1) 1340 2) 310".
		var items []chunk
		ord := 0
		if m := ordinalHead.FindStringSubmatchIndex(line); m != nil {
			ord = atoiGroups(line, m)
			line = line[m[1]:]
		}
		for {
			m := ordinalMid.FindStringSubmatchIndex(line)
			if m == nil || ord == 0 {
				items = append(items, chunk{text: line, ordinal: ord})
				break
			}
			items = append(items, chunk{text: line[:m[0]], ordinal: ord})
			ord, _ = strconv.Atoi(line[m[2]:m[3]])
			line = line[m[1]:]
		}
		for _, it := range items {
			for _, s := range strings.Split(it.text, ";") {
				if strings.TrimSpace(s) != "" {
					out = append(out, chunk{text: s, ordinal: it.ordinal})
				}
				it.ordinal = 0 // the number belongs to the first piece
			}
		}
	}
	return out
}

func atoiGroups(s string, m []int) int {
	for i := 2; i+1 < len(m); i += 2 {
		if m[i] >= 0 {
			n, _ := strconv.Atoi(s[m[i]:m[i+1]])
			return n
		}
	}
	return 0
}

// chunk reads one strong part into groups.
func (p *replyParser) chunk(c chunk) []*group {
	head, comment, rest := p.splitComment(c.text)
	if c.depth >= maxNested && rest != "" {
		comment, rest = strings.TrimSpace(c.text[len(head):]), ""
		comment = strings.TrimLeft(comment, "—–-: ")
	}
	subs := splitWeak(head)
	var gs []*group
	for i, s := range subs {
		gs = append(gs, p.groups(s, i > 0)...)
	}
	if len(gs) == 0 {
		gs = append(gs, &group{raw: strings.TrimSpace(head), done: -1})
	}
	gs[0].ordinal = c.ordinal
	// Weak parts with only words are comments; with only a confidence,
	// the confidence of the part before.
	var out []*group
	var lead []string
	for _, g := range gs {
		switch {
		case len(out) > 0 && g.weak && !g.signal() && len(p.names(g)) == 0 && !g.all:
			if g.raw != "" && !isPleasantry(g.raw) {
				out[len(out)-1].addComment(g.raw)
			}
			continue
		case len(out) > 0 && g.weak && g.level != "" && !g.hasValue() && len(p.names(g)) == 0 && !g.all && out[len(out)-1].level == "":
			prev := out[len(out)-1]
			prev.level, prev.raw = g.level, prev.raw+", "+g.raw
			if g.comment != "" {
				prev.addComment(g.comment)
			}
			continue
		case len(out) == 0 && !g.signal() && len(p.names(g)) == 0 && !g.all && len(gs) > 1:
			if g.raw != "" && !isPleasantry(g.raw) {
				lead = append(lead, g.raw)
			}
			continue
		}
		out = append(out, g)
	}
	if len(out) == 0 {
		out = gs[:1]
	}
	if len(lead) > 0 {
		out[0].comment = strings.TrimSpace(strings.Join(lead, ", ") + " " + out[0].comment)
	}
	if comment != "" {
		out[len(out)-1].addComment(comment)
	}
	if rest != "" {
		out = append(out, p.chunk(chunk{text: rest, depth: c.depth + 1})...)
	}
	return out
}

func (g *group) addComment(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if g.comment == "" {
		g.comment = s
	} else {
		g.comment += ", " + s
	}
}

var commentMarker = regexp.MustCompile(`(?i)\s*(?:—|–|\s-\s|\s--\s|:\s|\bbecause\b|\bdue to\b|\bbc\b)\s*`)

// splitComment cuts a strong part at the first comment marker that follows
// a value or a confidence. rest is a further part the comment turned out to
// hold ("— great week, p99 310ms at risk").
func (p *replyParser) splitComment(s string) (head, comment, rest string) {
	from := signalEnd(rtokenize(s))
	if from < 0 {
		return s, "", ""
	}
	for _, m := range commentMarker.FindAllStringIndex(s, -1) {
		if m[0] < from {
			continue
		}
		head, comment = s[:m[0]], s[m[1]:]
		if w := strings.TrimSpace(s[m[0]:m[1]]); w != "" && unicode.IsLetter([]rune(w)[0]) {
			comment = s[m[0]:] // "because …" keeps its word
		}
		// "1,340 — on track": the confidence, then the comment.
		if toks := rtokenize(comment); len(toks) > 0 && toks[0].kind == tConf {
			head += " " + toks[0].text
			comment = strings.TrimLeft(comment[toks[0].end:], " ,.;-–—:")
		}
		break
	}
	if strings.TrimSpace(comment) == "" {
		return s, "", ""
	}
	// Does the comment hold another key result's update?
	cuts := weakCuts(comment)
	for k, i := range cuts {
		end := len(comment)
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		g := p.scan(comment[i:end])
		if g.hasValue() && len(p.names(g)) > 0 {
			return head, trimSep(comment[:i]), comment[i:]
		}
	}
	return head, strings.TrimSpace(comment), ""
}

// signalEnd returns where the first value, confidence or "no change" of
// the tokens ends, or -1.
func signalEnd(toks []rtoken) int {
	for k, t := range toks {
		switch {
		case t.kind == tNum || t.kind == tConf || t.kind == tWord && (doneWords[t.low] || notDoneWords[t.low]):
			return t.end
		case t.kind == tWord && isNoChange(toks[k:min(k+2, len(toks))]):
			return toks[min(k+1, len(toks)-1)].end
		}
	}
	return -1
}

var weakSep = regexp.MustCompile(`(?i),\s+|,[^\d\s]|\s+(?:and|&|plus|also|except(?:\s+for)?|but|apart\s+from|other\s+than)\s+|[.!?]+(?:\s+|$)`)

// weakCuts returns where each weakly separated piece after the first starts.
func weakCuts(s string) []int {
	var out []int
	for _, m := range weakSep.FindAllStringIndex(s, -1) {
		if m[1] < len(s) {
			end := m[1]
			// ",x" matched one character of the next piece too.
			if seg := s[m[0]:m[1]]; strings.HasPrefix(seg, ",") && !strings.HasPrefix(seg, ", ") && len(seg) > 1 && !unicode.IsSpace(rune(seg[1])) {
				end = m[0] + 1
			}
			out = append(out, end)
		}
	}
	return out
}

func splitWeak(s string) []string {
	var out []string
	start := 0
	for _, m := range weakSep.FindAllStringIndex(s, -1) {
		end := m[1]
		if seg := s[m[0]:m[1]]; strings.HasPrefix(seg, ",") && !strings.HasPrefix(seg, ", ") && len(seg) > 1 {
			end = m[0] + 1
		}
		// A decimal point or "1.3k" is no sentence end: the regexp wants
		// a space or the end after the dot, so only "1340." ends one.
		out = append(out, s[start:m[0]])
		start = end
	}
	out = append(out, s[start:])
	var kept []string
	for _, x := range out {
		if strings.TrimSpace(x) != "" {
			kept = append(kept, x)
		}
	}
	return kept
}

func trimSep(s string) string {
	return strings.TrimRight(strings.TrimSpace(s), ",.;&")
}

// groups reads a weak part, splitting it where it holds several numbers
// ("signups 1340 on track p99 310ms"): each group takes the words before
// its number, and the confidence and unit after it.
func (p *replyParser) groups(s string, weak bool) []*group {
	toks := rtokenize(s)
	// Where each number is; "from 1200 to 1340" and "1200 → 1340" keep
	// the last.
	var nums []int
	for i, t := range toks {
		if t.kind == tNum {
			if n := len(nums); n > 0 && onlyTo(toks[nums[n-1]+1:i]) {
				nums[n-1] = i
				continue
			}
			nums = append(nums, i)
		}
	}
	if len(nums) <= 1 {
		g := p.read(s, toks)
		g.weak = weak
		return []*group{g}
	}
	var out []*group
	start := 0
	for k, ni := range nums {
		end := len(toks)
		if k+1 < len(nums) {
			// After this number: its unit word and its confidence.
			end = ni + 1
			for end < nums[k+1] && (toks[end].kind == tConf || toks[end].kind == tWord && p.isLabel(toks[end].low)) {
				end++
			}
		}
		piece := toks[start:end]
		raw := ""
		if len(piece) > 0 {
			raw = s[piece[0].start:piece[len(piece)-1].end]
		}
		g := p.read(raw, rtokenize(raw)) // offsets of its own
		g.weak = weak || k > 0
		out = append(out, g)
		start = end
	}
	return out
}

func onlyTo(ts []rtoken) bool {
	for _, t := range ts {
		if t.kind != tWord || t.low != "to" {
			return false
		}
	}
	return len(ts) > 0
}

// scan reads a piece of text as one group, for decisions made before the
// groups are cut.
func (p *replyParser) scan(s string) *group { return p.read(s, rtokenize(s)) }

type tokKind int

const (
	tWord tokKind = iota
	tNum
	tConf
	tSign // a lone "+"
)

type rtoken struct {
	kind       tokKind
	text, low  string
	start, end int
	num        *numTok
	level      Level
}

// tokenize cuts text into words, numbers (with their notation) and
// confidence phrases.
func rtokenize(s string) []rtoken {
	var raw []rtoken
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsDigit(r) || isNumStart(s, i):
			j := numEnd(s, i)
			raw = append(raw, numToken(s, i, j))
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && r2 != '\'' && r2 != '’' {
					break
				}
				j += w2
			}
			raw = append(raw, rtoken{kind: tWord, text: s[i:j], low: strings.ToLower(apostrophes.Replace(s[i:j])), start: i, end: j})
			i = j
		case r == '+':
			raw = append(raw, rtoken{kind: tSign, text: "+", low: "+", start: i, end: i + 1})
			i += w
		default:
			i += w
		}
	}
	// Confidence phrases, from one or two words.
	var out []rtoken
	for k := 0; k < len(raw); k++ {
		t := raw[k]
		if t.kind == tWord {
			if l := oneWordLevel(t.low); l != "" {
				t.kind, t.level = tConf, l
				out = append(out, t)
				continue
			}
			if k+1 < len(raw) && raw[k+1].kind == tWord {
				if l := twoWordLevel(t.low, raw[k+1].low); l != "" {
					out = append(out, rtoken{kind: tConf, level: l, text: s[t.start:raw[k+1].end], low: t.low + " " + raw[k+1].low, start: t.start, end: raw[k+1].end})
					k++
					continue
				}
			}
		}
		out = append(out, t)
	}
	return out
}

var currencyRunes = "$€£¥₹"

var apostrophes = strings.NewReplacer("'", "", "’", "")

// isNumStart reports whether a number starts at s[i] with a sign or a
// currency symbol: "-4", "−4", "$12k", "-$3".
func isNumStart(s string, i int) bool {
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(prev) || unicode.IsDigit(prev) {
			return false
		}
	}
	j := i
	for n := 0; n < 3 && j < len(s); n++ {
		r, w := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsDigit(r):
			return j > i
		case r == '-' || r == '−' || strings.ContainsRune(currencyRunes, r):
			j += w
		case r == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9':
			j += w
		default:
			return false
		}
	}
	return false
}

// numEnd finds the end of a number starting at i: sign and currency,
// digits with commas and a dot, a "k"/"m"/"bn" multiplier, "%" or a
// currency after it, or a unit glued to it ("310ms" ends before "ms").
func numEnd(s string, i int) int {
	j := i
	for j < len(s) {
		r, w := utf8.DecodeRuneInString(s[j:])
		if r == '-' || r == '−' || strings.ContainsRune(currencyRunes, r) {
			j += w
			continue
		}
		break
	}
	for j < len(s) {
		c := s[j]
		if c >= '0' && c <= '9' {
			j++
			continue
		}
		if (c == ',' || c == '.') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
			j++
			continue
		}
		break
	}
	// "555-1234", "12/3", "300-310": a phone number, a date or a range,
	// not a value.
	for j+1 < len(s) && (s[j] == '-' || s[j] == '/') && s[j+1] >= '0' && s[j+1] <= '9' && j > i && s[j-1] >= '0' && s[j-1] <= '9' {
		j++
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == ',') {
			j++
		}
	}
	// A multiplier: "1.3k", "2bn", not the "m" of "ms".
	rest := strings.ToLower(s[j:])
	for _, m := range []string{"bn", "k", "m", "b"} {
		if strings.HasPrefix(rest, m) {
			after, _ := utf8.DecodeRuneInString(rest[len(m):])
			if len(rest) == len(m) || !unicode.IsLetter(after) {
				j += len(m)
				break
			}
		}
	}
	// "45%", "3.5 %", "40 €".
	k := j
	for k < len(s) && s[k] == ' ' {
		k++
	}
	if k < len(s) {
		r, w := utf8.DecodeRuneInString(s[k:])
		if r == '%' || strings.ContainsRune(currencyRunes, r) {
			return k + w
		}
	}
	return j
}

func numToken(s string, i, j int) rtoken {
	text := s[i:j]
	nt := &numTok{text: strings.ReplaceAll(text, " ", "")}
	// A unit glued to the number: "310ms".
	k := j
	for k < len(s) {
		r, w := utf8.DecodeRuneInString(s[k:])
		if !unicode.IsLetter(r) {
			break
		}
		k += w
	}
	if k > j {
		nt.label = strings.ToLower(s[j:k])
		switch nt.label {
		case "percent", "pct":
			nt.text += "%"
			nt.label = ""
		}
	}
	nt.value, nt.unit, nt.cur, nt.err = ParseValue(nt.text)
	nt.dotty = dottyThousands(nt.text) && nt.unit != Percent
	return rtoken{kind: tNum, text: s[i:k], low: strings.ToLower(s[i:k]), start: i, end: k, num: nt}
}

var dottyRe = regexp.MustCompile(`^[-−]?[$€£¥₹]?[1-9]\d{0,2}\.\d{3}$`)

func dottyThousands(s string) bool { return dottyRe.MatchString(s) }

// read makes one group of tokens.
func (p *replyParser) read(raw string, toks []rtoken) *group {
	g := &group{raw: strings.TrimSpace(raw), done: -1}
	seenValue := false
	var after []string // words after the confidence, once a value or name came
	confAt := -1
	for k, t := range toks {
		if confAt >= 0 && (seenValue || len(g.words) > 0) && t.kind != tNum {
			after = append(after, raw[t.start:t.end])
			continue
		}
		switch t.kind {
		case tNum:
			if g.num == nil || seenValue {
				g.num = t.num
			}
			seenValue = true
			if t.num.label != "" && !p.isLabel(t.num.label) {
				g.words = append(g.words, t.num.label) // "1340signups"
				t.num.label = ""
			}
			if k > 0 && (toks[k-1].kind == tSign || toks[k-1].kind == tWord && (toks[k-1].low == "up" || toks[k-1].low == "down" || toks[k-1].low == "by")) {
				g.delta = true
			}
		case tSign:
		case tConf:
			if k > 0 && toks[k-1].kind == tWord && (toks[k-1].low == "not" || toks[k-1].low == "no") {
				g.unsure = true
			} else if g.level == "" {
				g.level = t.level
			}
			confAt = k
		case tWord:
			w := t.low
			switch {
			case w == "all" || w == "everything" || w == "both" || w == "rest" || w == "others" || w == "overall" ||
				w == "board" && k > 0 && toks[k-1].low == "the" || w == "across":
				g.all = true // "all on track", "on track across the board"
			case g.num != nil && p.isLabel(w) && g.num.label == "" && k > 0 && toks[k-1].kind == tNum:
				g.num.label = w
			case doneWords[w]:
				if k > 0 && (toks[k-1].low == "not" || toks[k-1].low == "almost" || toks[k-1].low == "nearly") {
					g.done = 0
				} else {
					g.done = 1
				}
			case w == "yet" && k > 0 && toks[k-1].low == "not":
				g.done = 0
			case notDoneWords[w]:
				g.done = 0
			case fillerWords[w] || w == "not" || w == "up" || w == "down" || w == "by" || isPleasantry(w):
			default:
				g.words = append(g.words, w)
			}
		}
	}
	if len(after) > 0 {
		g.comment = strings.Join(after, " ")
		if confAt+1 < len(toks) {
			g.comment = strings.TrimSpace(strings.TrimLeft(raw[toks[confAt+1].start:], " ,.-–—:"))
		}
	}
	g.noChange = isNoChange(toks)
	if g.noChange {
		g.words = slices.DeleteFunc(g.words, func(w string) bool { return noChangeWords[w] })
	}
	return g
}

// isLabel reports whether w is the unit word of one of the key results.
func (p *replyParser) isLabel(w string) bool {
	for _, kr := range p.krs {
		if labelMatches(kr, w) {
			return true
		}
	}
	return false
}

func labelMatches(kr *KeyResult, w string) bool {
	l := strings.ToLower(kr.UnitLabel)
	return l != "" && kr.Kind != Milestone && kr.Unit == Number &&
		(w == l || w == l+"s" || l == w+"s")
}

// names returns the key results g names best (several on a tie).
func (p *replyParser) names(g *group) []int {
	if len(g.words) == 0 {
		return nil
	}
	best, bestScore := []int(nil), 0
	for i, title := range p.titles {
		score := 0
		for _, tw := range title {
			for _, w := range g.words {
				if wordMatches(w, tw) {
					score++
					break
				}
			}
		}
		switch {
		case score == 0:
		case score > bestScore:
			best, bestScore = []int{i}, score
		case score == bestScore:
			best = append(best, i)
		}
	}
	return best
}

// unknownWords counts g's words that name no key result.
func (p *replyParser) unknownWords(g *group) int {
	n := 0
	for _, w := range g.words {
		hit := false
		for _, title := range p.titles {
			for _, tw := range title {
				if wordMatches(w, tw) {
					hit = true
				}
			}
		}
		if !hit {
			n++
		}
	}
	return n
}

// wordMatches reports whether a typed word w names the title word t: the
// same, a prefix of at least 3 letters ("deploy"), or a typo (one edit in
// words of 4 or more letters, two in words of 7 or more).
func wordMatches(w, t string) bool {
	if w == t {
		return true
	}
	lw, lt := utf8.RuneCountInString(w), utf8.RuneCountInString(t)
	if lw >= 3 && strings.HasPrefix(t, w) || lt >= 4 && strings.HasPrefix(w, t) && lw-lt <= 2 {
		return true
	}
	if stem := strings.TrimSuffix(w, "s"); stem != w && utf8.RuneCountInString(stem) >= 4 && strings.HasPrefix(t, stem) {
		return true // "deploys" for "deployments"
	}
	if m := min(lw, lt); m >= 4 {
		d := editDistance(w, t)
		return d <= 1 || m >= 7 && d <= 2
	}
	return false
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of neighbours cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

func oneWordLevel(w string) Level {
	switch w {
	case "ontrack", "on_track", "green":
		return OnTrack
	case "atrisk", "at_risk", "amber", "yellow":
		return AtRisk
	case "offtrack", "off_track", "red":
		return OffTrack
	}
	return ""
}

func twoWordLevel(a, b string) Level {
	near := func(w, want string) bool { return w == want || editDistance(w, want) <= 1 && len(w) >= 3 }
	switch {
	case near(b, "track"):
		switch a {
		case "on", "onn", "om", "in", "oon":
			return OnTrack
		case "off", "of", "ff", "oof", "offf":
			return OffTrack
		}
	case near(b, "risk"):
		switch a {
		case "at", "att", "ar", "a", "@", "st":
			return AtRisk
		}
	}
	return ""
}

var doneWords = map[string]bool{"done": true, "shipped": true, "launched": true, "complete": true, "completed": true,
	"finished": true, "live": true, "released": true, "delivered": true}

var notDoneWords = map[string]bool{"wip": true, "ongoing": true, "pending": true, "started": true, "progress": true}

var noChangeWords = map[string]bool{"no": true, "change": true, "changes": true, "changed": true, "same": true,
	"unchanged": true, "nothing": true, "new": true, "update": true, "updates": true, "movement": true, "before": true, "still": true}

// isNoChange reports whether the tokens say nothing changed.
func isNoChange(toks []rtoken) bool {
	var ws []string
	for _, t := range toks {
		if t.kind == tWord {
			ws = append(ws, t.low)
		}
		if t.kind == tNum {
			return false
		}
	}
	near := func(w, want string) bool { return w == want || len(w) >= 5 && editDistance(w, want) <= 1 }
	for k, w := range ws {
		next := ""
		if k+1 < len(ws) {
			next = ws[k+1]
		}
		switch {
		case near(w, "unchanged"):
			return true
		case (w == "no" || w == "nothing") && (near(next, "change") || near(next, "changes") || near(next, "changed") || next == "new" || near(next, "update") || near(next, "updates") || near(next, "movement")):
			return true
		case w == "nothing" && near(next, "changed"):
			return true
		case w == "same":
			return true
		case w == "as" && next == "before":
			return true
		}
	}
	return false
}

// fillerWords are words of a reply that say nothing about which key result
// it is: they neither name one nor make a part "unknown".
var fillerWords = words(`a an the of to from for in on at is are was were be been now we our us i im ive it its
	this that these those week weeks weekly so far still about around roughly approx approximately just already
	currently hit reached got went moved dropped rose grew fell stands standing sitting over under with and or
	kr krs key result results value values new total yet me my mine here there too also pretty quite very
	nearly almost only some bit little little more less than as per update updates status today yesterday
	looking look looks seems seem think well good great ok okay`)

// titleFiller are title words too common to name a key result.
var titleFiller = words(`reduce increase decrease grow keep improve raise lower get reach maintain stay above below
	achieve hit by than least most each every between within`)

var pleasantries = words(`thanks thank thx ty cheers hi hello hey yo ok okay cool great sure done 👍 🙏 np bye`)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// isPleasantry reports whether s is only thanks or a greeting.
func isPleasantry(s string) bool {
	ws := wordsOf(s)
	if len(ws) == 0 {
		return strings.TrimSpace(strings.Trim(s, "!.?,👍🙏🙂😊 ")) == ""
	}
	for _, w := range ws {
		if !pleasantries[w] && w != "you" && w != "much" && w != "a" && w != "lot" && w != "so" {
			return false
		}
	}
	return true
}

// wordsOf returns s's words, lower case, split at anything but letters
// and digits.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

func isNumeric(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// place puts each group on a key result, or asks.
func (p *replyParser) place(groups []*group) Reply {
	var rep Reply
	n := len(p.krs)
	type placed struct {
		g  *group
		kr int
	}
	var pl []placed
	var pending []*group // no name, no number: placed by order or asked
	var allGroups []*group
	signals := false
	for _, g := range groups {
		if g.level != "" || g.unsure || g.noChange || g.ordinal > 0 || len(p.names(g)) > 0 || g.hasValue() && p.clean(g) {
			signals = true
		}
	}
	ask := func(q ReplyQuestion) { rep.Questions = append(rep.Questions, q) }
	for _, g := range groups {
		if g.raw == "" || isPleasantry(g.raw) && !g.signal() {
			continue
		}
		if g.noChange && !g.hasValue() && len(p.names(g)) == 0 && g.ordinal == 0 {
			rep.NoChange = true
			allGroups = append(allGroups, g)
			continue
		}
		if g.all && !g.hasValue() && len(p.names(g)) == 0 && g.ordinal == 0 && (g.level != "" || g.noChange) {
			allGroups = append(allGroups, g)
			continue
		}
		if g.ordinal > 0 {
			if g.ordinal > n {
				ask(ReplyQuestion{Kind: AskUnplaced, Part: g.raw, Problem: fmt.Sprintf("You have %d key result%s, so there is no number %d.", n, plural(n), g.ordinal)})
				continue
			}
			names := p.names(g)
			if len(names) > 0 && !slices.Contains(names, g.ordinal-1) {
				ask(ReplyQuestion{Kind: AskWhich, Part: g.raw, KeyResults: sortedUnique(append([]int{g.ordinal - 1}, names...))})
				continue
			}
			pl = append(pl, placed{g, g.ordinal - 1})
			continue
		}
		if names := p.names(g); len(names) > 0 {
			if len(names) > 1 {
				names = p.byNotation(g, names)
			}
			if len(names) == 1 {
				pl = append(pl, placed{g, names[0]})
			} else {
				ask(ReplyQuestion{Kind: AskWhich, Part: g.raw, KeyResults: names})
			}
			continue
		}
		if !g.signal() {
			if signals {
				ask(ReplyQuestion{Kind: AskUnplaced, Part: g.raw, Problem: "I could not tell which key result this is about."})
			}
			continue
		}
		pending = append(pending, g)
	}
	if !signals && len(pl) == 0 {
		return Reply{}
	}
	// Unnamed parts: by order when there is one part per key result and
	// nothing else identifies them; else by unit; else by elimination.
	if len(pending) == n && len(pl) == 0 && p.inOrder(pending) {
		for i, g := range pending {
			pl = append(pl, placed{g, i})
		}
		pending = nil
	}
	var unresolved []*group
	for _, g := range pending {
		cands := p.byUnit(g)
		switch {
		case len(cands) == 1:
			pl = append(pl, placed{g, cands[0]})
		default:
			unresolved = append(unresolved, g)
		}
	}
	if len(unresolved) == 1 && len(pl)+1 == n {
		taken := map[int]bool{}
		for _, x := range pl {
			taken[x.kr] = true
		}
		for i := range n {
			if !taken[i] && p.fits(unresolved[0], i) && p.clean(unresolved[0]) {
				pl = append(pl, placed{unresolved[0], i})
				unresolved = nil
				break
			}
		}
	}
	for _, g := range unresolved {
		if !p.clean(g) && !g.hasValue() && g.level == "" {
			continue
		}
		cands := p.compatible(g)
		// Not those another part already gave.
		if rest := slices.DeleteFunc(slices.Clone(cands), func(i int) bool {
			return slices.ContainsFunc(pl, func(x placed) bool { return x.kr == i })
		}); len(rest) > 0 {
			cands = rest
		}
		switch {
		case n == 0 || len(cands) == 0:
			problem := "None of your key results takes this."
			if n == 0 {
				problem = "You have no open key results to check in on."
			}
			ask(ReplyQuestion{Kind: AskUnplaced, Part: g.raw, Problem: problem})
		default:
			ask(ReplyQuestion{Kind: AskWhich, Part: g.raw, KeyResults: cands})
		}
	}
	// A key result given twice keeps neither part.
	count := map[int]int{}
	for _, x := range pl {
		count[x.kr]++
	}
	asked := map[int]bool{}
	for _, x := range pl {
		if count[x.kr] > 1 {
			if !asked[x.kr] {
				var parts []string
				for _, y := range pl {
					if y.kr == x.kr {
						parts = append(parts, y.g.raw)
					}
				}
				ask(ReplyQuestion{Kind: AskTwice, Part: strings.Join(parts, " / "), KeyResults: []int{x.kr}})
				asked[x.kr] = true
			}
			continue
		}
		if u, q, ok := p.update(x.g, x.kr); ok {
			rep.Updates = append(rep.Updates, u)
		} else if q != nil {
			ask(*q)
		}
	}
	// "no change", "all on track": every key result not given otherwise.
	for _, g := range allGroups {
		for i, kr := range p.krs {
			if asked[i] {
				continue
			}
			k := slices.IndexFunc(rep.Updates, func(u ReplyUpdate) bool { return u.KeyResult == i })
			if k >= 0 {
				if u := &rep.Updates[k]; g.level != "" && !u.LevelSaid {
					u.Level, u.LevelSaid = g.level, true
				}
				continue
			}
			if slices.ContainsFunc(rep.Questions, func(q ReplyQuestion) bool {
				return q.Kind != AskWhich && len(q.KeyResults) == 1 && q.KeyResults[0] == i
			}) {
				continue
			}
			u := ReplyUpdate{KeyResult: i, Value: kr.Current, Level: kr.Confidence.Level, Comment: g.comment, Kept: g.noChange, Part: g.raw}
			if g.level != "" {
				u.Level, u.LevelSaid = g.level, true
			}
			if u.Level == "" {
				kind := AskConfidence
				if g.noChange {
					kind = AskNoCheckIn
				}
				ask(ReplyQuestion{Kind: kind, Part: g.raw, KeyResults: []int{i}})
				continue
			}
			rep.Updates = append(rep.Updates, u)
		}
	}
	slices.SortStableFunc(rep.Updates, func(a, b ReplyUpdate) int { return a.KeyResult - b.KeyResult })
	return rep
}

// update turns a placed group into the key result's update, or a question.
func (p *replyParser) update(g *group, i int) (ReplyUpdate, *ReplyQuestion, bool) {
	kr := p.krs[i]
	u := ReplyUpdate{KeyResult: i, Value: kr.Current, Level: kr.Confidence.Level, Comment: g.comment, Part: g.raw}
	askValue := func(problem string) (ReplyUpdate, *ReplyQuestion, bool) {
		return u, &ReplyQuestion{Kind: AskValue, Part: g.raw, KeyResults: []int{i}, Problem: problem}, false
	}
	switch {
	case g.unsure:
		return askValue("Is it at risk or off track?")
	case kr.Kind == Milestone && g.num != nil && g.num.err == nil && (g.num.value == 0 || g.num.value == 1) && g.num.unit == Number:
		u.Value, u.ValueSaid = g.num.value, true
	case kr.Kind == Milestone && g.num != nil && g.num.unit == Percent && g.num.err == nil && (g.num.value == 0 || g.num.value == 100):
		u.Value, u.ValueSaid = g.num.value/100, true
	case kr.Kind == Milestone && g.num != nil:
		return askValue("It is a milestone: is it done or not done yet?")
	case kr.Kind == Milestone && g.done >= 0:
		u.Value, u.ValueSaid = float64(g.done), true
	case g.num != nil:
		if problem := p.valueProblem(g.num, kr, g.delta); problem != "" {
			return askValue(problem)
		}
		u.Value, u.ValueSaid = g.num.value, true
	}
	if g.level != "" {
		u.Level, u.LevelSaid = g.level, true
	}
	if g.noChange && !u.ValueSaid {
		u.Kept = true
	}
	if !u.ValueSaid && !u.LevelSaid && !u.Kept && u.Comment == "" {
		return askValue("I found no value or confidence for it.")
	}
	if u.Level == "" {
		return u, &ReplyQuestion{Kind: AskConfidence, Part: g.raw, KeyResults: []int{i}}, false
	}
	if utf8.RuneCountInString(u.Comment) > MaxComment {
		u.Comment = shorten(u.Comment, MaxComment)
	}
	return u, nil, true
}

// valueProblem says why a number does not fit a key result, or "".
func (p *replyParser) valueProblem(nt *numTok, kr *KeyResult, delta bool) string {
	if nt.err != nil {
		return ErrorMessage(nt.err)
	}
	if delta {
		return fmt.Sprintf("Is that the new value or the change since last time? Reply with the new value (it was %s).", kr.Format(kr.Current))
	}
	if nt.dotty {
		whole := FormatNumber(nt.value * 1000)
		return fmt.Sprintf("Did you mean %s or %s? I read a dot as a decimal point: write %s for the whole number.", whole, FormatNumber(nt.value), whole)
	}
	switch {
	case nt.unit == Percent && kr.Unit != Percent:
		return fmt.Sprintf("%s is a percentage, and it is measured as %s.", nt.text, kr.Format(kr.Target))
	case nt.unit == Currency && kr.Unit != Currency:
		return fmt.Sprintf("%s is an amount of money, and it is measured as %s.", nt.text, kr.Format(kr.Target))
	case nt.unit == Currency && nt.cur != currencyOf(kr):
		return fmt.Sprintf("%s is in %s, and it is measured in %s.", nt.text, nt.cur, currencyOf(kr))
	case nt.label != "" && kr.Unit == Number && kr.UnitLabel != "" && !labelMatches(kr, nt.label):
		return fmt.Sprintf("%s is in %s, and it is measured in %s.", nt.text+nt.label, nt.label, kr.UnitLabel)
	}
	if e := validateNumber(FieldValue, nt.value); e != nil {
		return e.Message
	}
	return ""
}

func currencyOf(kr *KeyResult) string {
	if kr.Currency == "" {
		return DefaultCurrency
	}
	return kr.Currency
}

// inOrder reports whether the unnamed groups may be placed by order: each
// fits the key result at its position.
func (p *replyParser) inOrder(gs []*group) bool {
	for i, g := range gs {
		if !p.fits(g, i) || !p.clean(g) {
			return false
		}
	}
	return true
}

// clean reports whether a group holds nothing but its value, its
// confidence and filler: "1340 on track", not "meeting at 3pm".
func (p *replyParser) clean(g *group) bool { return p.unknownWords(g) == 0 && !g.delta }

// fits reports whether g's value could be key result i's.
func (p *replyParser) fits(g *group, i int) bool {
	kr := p.krs[i]
	if g.num == nil {
		return g.done < 0 || kr.Kind == Milestone
	}
	if kr.Kind == Milestone {
		return g.num.err == nil && (g.num.value == 0 || g.num.value == 1) && g.num.unit == Number
	}
	return g.num.err != nil || p.valueProblem(g.num, kr, false) == "" || g.num.dotty
}

// byUnit returns the key results g's notation identifies: "45%" the
// percentages, "$12k" the amounts, "310ms" those in ms, "done" the
// milestones. A plain number identifies none.
func (p *replyParser) byUnit(g *group) []int {
	var out []int
	for i, kr := range p.krs {
		switch {
		case g.num == nil && g.done >= 0:
			if kr.Kind == Milestone {
				out = append(out, i)
			}
		case g.num == nil:
			return nil
		case kr.Kind == Milestone:
		case g.num.unit == Percent && kr.Unit == Percent,
			g.num.unit == Currency && kr.Unit == Currency && g.num.cur == currencyOf(kr),
			g.num.unit == Number && g.num.label != "" && labelMatches(kr, g.num.label):
			out = append(out, i)
		}
	}
	return out
}

// byNotation narrows key results tied by name with g's notation.
func (p *replyParser) byNotation(g *group, cands []int) []int {
	var out []int
	for _, i := range p.byUnit(g) {
		if slices.Contains(cands, i) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		return cands
	}
	return out
}

// compatible returns the key results g's value could belong to.
func (p *replyParser) compatible(g *group) []int {
	var out []int
	for i := range p.krs {
		if p.fits(g, i) {
			out = append(out, i)
		}
	}
	return out
}

func sortedUnique(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
