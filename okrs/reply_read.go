package okrs

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reading a reply's text: cleaning what Slack sends, cutting it into parts
// and tokens, and matching words to key results' names. ParseReply (in
// reply.go) places what this reads.

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
		d := EditDistance(w, t)
		return d <= 1 || m >= 7 && d <= 2
	}
	return false
}

// EditDistance is the optimal-string-alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours ("lsit")
// cost 1. It reads typos in replies, and in commands.
func EditDistance(a, b string) int {
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
	near := func(w, want string) bool { return w == want || EditDistance(w, want) <= 1 && len(w) >= 3 }
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
	near := func(w, want string) bool { return w == want || len(w) >= 5 && EditDistance(w, want) <= 1 }
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
