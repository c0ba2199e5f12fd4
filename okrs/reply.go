package okrs

import (
	"fmt"
	"slices"
	"strings"
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
