package okrs

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A Tip is coaching from the OKR method, shown next to what it is about.
type Tip struct {
	Rule    string // which rule, e.g. "outcomes"
	Field   string // the field it is about: FieldTitle, FieldKeyResults, KRField(i, …); "" for the team's cycle
	Message string // plain text, for a person: the bot escapes it
	// Suggestion is what to write instead, when the rule can tell: an
	// outcome form of a task, the impact an activity is for, a unit, or an
	// objective without its number. "" when there is none.
	Suggestion string
}

// Coaching rules.
const (
	RuleOutcomes = "outcomes" // key results measure outcomes, not outputs (tasks, bare milestones)
	RuleVanity   = "vanity"   // key results measure impact, not counts of activity
	RuleFew      = "few"      // few objectives, 3–5 key results each
	RuleMeasure  = "measure"  // key results are measurable; an objective is not a number
	RuleCheckIn  = "checkin"  // regular course correction
	RuleFlat     = "flat"     // a key result marked on track that has stopped moving
)

// MaxTeamObjectives is how many objectives a team should have in one cycle
// before the coach says "fewer".
const MaxTeamObjectives = 5

// MinCoachedKeyResults is how many key results the method asks of an
// objective; fewer are allowed (MinKeyResults), with a tip. MaxKeyResults is
// the most.
const MinCoachedKeyResults = 3

// titleLen is how much of a title a tip quotes.
const titleLen = 60

// Coach reviews an objective as it is being written. teamObjectives is how
// many other active objectives its team already has in the cycle.
func Coach(o *Objective, teamObjectives int) []Tip {
	var tips []Tip
	if teamObjectives+1 > MaxTeamObjectives {
		tips = append(tips, Tip{Rule: RuleFew, Message: fmt.Sprintf(
			"This would be objective %d for the team this cycle. Few objectives get done: consider keeping to %d.",
			teamObjectives+1, MaxTeamObjectives)})
	}
	active := o.Active()
	switch n := len(active); {
	case n > 0 && n < MinCoachedKeyResults:
		tips = append(tips, Tip{Rule: RuleFew, Field: FieldKeyResults, Message: fmt.Sprintf(
			"Most objectives need %d to %d key results to describe success from more than one side.",
			MinCoachedKeyResults, MaxKeyResults)})
	case n > MaxKeyResults:
		tips = append(tips, Tip{Rule: RuleFew, Field: FieldKeyResults, Message: fmt.Sprintf(
			"%d key results is a lot to steer by: keep the %d to %d that matter most.",
			n, MinCoachedKeyResults, MaxKeyResults)})
	}
	if t, ok := coachObjectiveTitle(o.Title); ok {
		tips = append(tips, t)
	}
	milestones := 0
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.Archived {
			continue
		}
		if kr.Kind == Milestone {
			milestones++
		}
		tips = append(tips, coachKeyResult(kr, i)...)
	}
	if len(active) > 1 && milestones*2 > len(active) {
		tips = append(tips, Tip{Rule: RuleMeasure, Field: FieldKeyResults,
			Message: "Most of these key results are milestones. Numbers that move show progress week by week; milestones only flip at the end."})
	}
	return tips
}

// coachObjectiveTitle says when an objective is itself a number ("Grow
// revenue 20%"): the number belongs in a key result.
func coachObjectiveTitle(title string) (Tip, bool) {
	toks := tokenize(title)
	if !objectiveIsNumber(toks) {
		return Tip{}, false
	}
	short := Shorten(title, titleLen)
	s := withoutNumbers(title, toks)
	msg := fmt.Sprintf("“%s” puts a number in the objective. Keep the objective qualitative, and make the number a key result's target.", short)
	if s != "" {
		msg = fmt.Sprintf("“%s” puts a number in the objective. Keep the objective qualitative (“%s”), and make the number a key result's target.", short, Shorten(s, titleLen))
	}
	return Tip{Rule: RuleMeasure, Field: FieldTitle, Message: msg, Suggestion: s}, true
}

// coachKeyResult reviews key result i of an objective: at most one tip on
// its title (activity before output), then its unit and its target.
func coachKeyResult(kr *KeyResult, i int) []Tip {
	var tips []Tip
	toks := tokenize(kr.Title)
	short := Shorten(kr.Title, titleLen)
	if impact, ok := vanityMetric(kr, toks); ok {
		tips = append(tips, Tip{Rule: RuleVanity, Field: KRField(i, FieldTitle), Suggestion: impact, Message: fmt.Sprintf(
			"“%s” counts activity. What is the activity for? Measure that instead, e.g. %s.", short, impact)})
	} else if t, ok := outputTip(kr, toks, short); ok {
		t.Field = KRField(i, FieldTitle)
		tips = append(tips, t)
	}
	if unit, msg, ok := missingUnit(kr, toks); ok {
		tips = append(tips, Tip{Rule: RuleMeasure, Field: KRField(i, FieldUnit), Suggestion: unit,
			Message: fmt.Sprintf(msg, short)})
	}
	if (kr.Kind == Increase || kr.Kind == Decrease) && finite(kr.Start) && kr.Start == kr.Target {
		tips = append(tips, Tip{Rule: RuleMeasure, Field: KRField(i, FieldTarget), Message: fmt.Sprintf(
			"“%s” ends where it starts (%s): set a target that differs from the start, so progress can show.",
			short, Shorten(kr.Format(kr.Start), titleLen/2))})
	}
	return tips
}

// outputTip says when a key result reads like a task, or is a milestone
// with no measurable effect.
func outputTip(kr *KeyResult, toks []token, short string) (Tip, bool) {
	m, isTask := findTask(toks)
	measured := measuredPhrase(toks)
	if kr.Kind == Milestone {
		measured = measured && hasQuantity(toks)
	}
	switch {
	case isTask && !measured:
		s := m.suggestion(kr.Title, toks)
		msg := fmt.Sprintf("“%s” reads like a task (an output). What should change once it is done? Measure that: e.g. “Raise week-1 activation from 40%% to 60%%”.", short)
		if s != "" {
			msg = fmt.Sprintf("“%s” reads like a task (an output). What should change once it is done? Measure that: e.g. “%s”.", short, s)
		}
		return Tip{Rule: RuleOutcomes, Message: msg, Suggestion: s}, true
	case kr.Kind == Milestone && !isTask && !hasQuantity(toks):
		return Tip{Rule: RuleOutcomes, Message: fmt.Sprintf(
			"“%s” is done or not done. What should it change, and by how much? A number that moves shows progress week by week.", short)}, true
	}
	return Tip{}, false
}

// Nudges returns course-correction tips for a team's objectives at now:
// stale key results, ones that stopped moving while marked on track (see
// KeyResult.FlatButOnTrack), and ones behind pace with a confident owner.
// A key result gets one of them at most. Field is KRField of the key
// result's index in its objective.
func Nudges(objectives []Objective, c Cycle, now time.Time) []Tip {
	var tips []Tip
	for oi := range objectives {
		o := &objectives[oi]
		for i := range o.KeyResults {
			kr := &o.KeyResults[i]
			if kr.Archived {
				continue
			}
			short := Shorten(kr.Title, titleLen)
			switch {
			case kr.Stale(now):
				tips = append(tips, Tip{Rule: RuleCheckIn, Field: KRField(i, FieldTitle), Message: fmt.Sprintf(
					"“%s” has had no check-in for over a week: a quick update keeps the team's picture true.", short)})
			case kr.FlatButOnTrack(c, now):
				tips = append(tips, Tip{Rule: RuleFlat, Field: KRField(i, FieldConfidence), Message: FlatQuestion(kr, now)})
			case kr.Pace(c, now) == Behind && kr.Confidence.Level == OnTrack:
				tips = append(tips, Tip{Rule: RuleCheckIn, Field: KRField(i, FieldConfidence), Message: fmt.Sprintf(
					"“%s” is behind pace yet marked on track: is the plan changing, or the confidence?", short)})
			}
		}
	}
	return tips
}

// The vocabulary of the rules. Words are lowercase; a phrase is words in a
// row, separated by single spaces. Titles are read as words (see tokenize),
// never as substrings: "shipping costs" holds no "ship".

// A taskVerb is a verb people use to write a task as a key result.
type taskVerb struct {
	// lead are forms that make a task when the title starts with them:
	// imperative, -ing, noun ("Launch X", "Launching X", "Launch of X").
	lead []string
	// done are participles that report a task anywhere in a title
	// ("Feature X launched").
	done []string
	form string // the outcome form to suggest: a key of outcomeForms
}

var taskVerbs = []taskVerb{
	{lead: []string{"launch", "launching"}, done: []string{"launched"}, form: formAdoption},
	{lead: []string{"ship", "shipping"}, done: []string{"shipped"}, form: formAdoption},
	{lead: []string{"release", "releasing"}, done: []string{"released"}, form: formAdoption},
	{lead: []string{"roll out", "rolling out", "rollout"}, done: []string{"rolled out"}, form: formAdoption},
	{lead: []string{"go live", "going live"}, done: []string{"went live", "gone live", "goes live"}, form: formAdoption},
	{lead: []string{"deliver", "delivering", "delivery"}, done: []string{"delivered"}, form: formAdoption},
	{lead: []string{"deploy", "deploying", "deployment"}, done: []string{"deployed"}, form: formAdoption},
	{lead: []string{"introduce", "introducing"}, done: []string{"introduced"}, form: formAdoption},
	{lead: []string{"adopt", "adopting"}, done: []string{"adopted"}, form: formAdoption},
	{lead: []string{"build", "building"}, form: formAdoption},
	{lead: []string{"create", "creating"}, form: formAdoption},
	{lead: []string{"develop", "developing", "development"}, done: []string{"developed"}, form: formAdoption},
	{lead: []string{"implement", "implementing", "implementation"}, done: []string{"implemented"}, form: formAdoption},
	{lead: []string{"integrate", "integrating", "integration"}, done: []string{"integrated"}, form: formAdoption},
	{lead: []string{"design", "designing"}, done: []string{"designed"}, form: formAdoption},
	{lead: []string{"redesign", "redesigning"}, done: []string{"redesigned"}, form: formAdoption},
	{lead: []string{"set up", "setting up", "setup"}, done: []string{"set up"}, form: formAdoption},
	{lead: []string{"stand up", "standing up", "spin up", "spinning up"}, done: []string{"stood up", "spun up"}, form: formAdoption},
	{lead: []string{"install", "installing", "configure", "configuring"}, done: []string{"installed", "configured"}, form: formAdoption},
	{lead: []string{"put in place", "putting in place"}, form: formAdoption},
	{lead: []string{"migrate", "migrating", "migration"}, done: []string{"migrated"}, form: formMigration},
	{lead: []string{"upgrade", "upgrading"}, done: []string{"upgraded"}, form: formMigration},
	{lead: []string{"replace", "replacing"}, done: []string{"replaced"}, form: formMigration},
	{lead: []string{"refactor", "refactoring", "rewrite", "rewriting"}, done: []string{"refactored", "rewritten"}, form: formRefactor},
	{lead: []string{"automate", "automating", "automation"}, done: []string{"automated"}, form: formAutomation},
	{lead: []string{"write", "writing"}, done: []string{"written"}, form: formDocs},
	{lead: []string{"document", "documenting"}, done: []string{"documented"}, form: formDocs},
	{lead: []string{"publish", "publishing"}, done: []string{"published"}, form: formDocs},
	{lead: []string{"complete", "completing", "completion"}, done: []string{"completed"}},
	{lead: []string{"finish", "finishing", "finalise", "finalize"}, done: []string{"finished", "finalised", "finalized"}},
	{lead: []string{"fix", "fixing"}, done: []string{"fixed"}},
	{lead: []string{"hold", "holding", "host", "hosting"}, done: []string{"held", "hosted"}},
	{lead: []string{"run", "running", "organise", "organising", "organize", "organizing"}, done: []string{"organised", "organized"}},
	{lead: []string{"conduct", "conducting", "kick off", "kicking off", "kickoff"}, done: []string{"conducted", "kicked off"}},
	{lead: []string{"prototype", "prototyping", "draft", "drafting"}, done: []string{"prototyped", "drafted"}},
}

// taskStates report a finished task when they end a title or come before a
// preposition ("SSO live for all customers", "Migration complete").
var taskStates = []string{"live", "done", "complete", "in place", "in production", "up and running"}

// statePrepositions may follow a taskState: "live in 3 countries".
var statePrepositions = []string{"in", "on", "for", "to", "at", "by", "across", "with", "everywhere", "before", "and"}

// "Get X running" is a task: one of getWords, then within getWindow words
// one of gotWords.
var (
	getWords  = []string{"get", "gets", "got", "getting"}
	gotWords  = []string{"running", "working", "live", "done", "green", "in place", "up and running", "deployed", "shipped", "fixed"}
	getWindow = 6
)

// leadFillers may come before a leading task verb: "We will launch …".
var leadFillers = []string{"we", "will", "to", "must", "should", "also", "then", "finally", "fully", "successfully", "first"}

// objectCuts end the object of a leading task: "Launch X by March",
// "Roll out SSO to all customers".
var objectCuts = []string{"by", "before", "until", "to", "for", "across", "this", "next", "in", "on", "at", "within", "onto", "into", "from", "with"}

// Outcome forms: how a task's object turns into a measurable outcome.
const (
	formAdoption   = "adoption"
	formMigration  = "migration"
	formRefactor   = "refactor"
	formAutomation = "automation"
	formDocs       = "docs"
)

// outcomeForms suggest an outcome for a task's object (%s). A task verb
// without a form gets no suggestion: "Complete the audit" does not say what
// the audit is for.
var outcomeForms = map[string]string{
	formAdoption:   "Raise the share of users who use %s from …%% to …%%",
	formMigration:  "Cut incidents on %s from … to … a month",
	formRefactor:   "Cut the lead time for changes to %s from … to … days",
	formAutomation: "Cut the hours a week spent on %s by hand from … to …",
	formDocs:       "Cut support questions about %s from … to … a week",
}

// measureNouns name a measure rather than a task or an activity: after a
// task verb they make it a noun ("build time", "shipping costs"), and in a
// count of activity they make it a measure of impact ("deployment success
// rate"). Singular forms.
var measureNouns = []string{
	"time", "duration", "latency", "turnaround", "cost", "spend", "rate", "ratio", "share", "percentage",
	"error", "failure", "success", "defect", "incident", "rollback", "satisfaction", "csat", "nps", "score",
	"conversion", "retention", "churn", "revenue", "margin", "coverage", "adoption", "usage", "uptime",
	"availability", "quality", "reliability", "mttr", "sla", "p50", "p90", "p95", "p99",
}

// taskMeasureNouns also make a task verb a noun, though they do not make a
// count of activity an impact: "release frequency", "build speed".
var taskMeasureNouns = []string{"frequency", "speed", "volume", "count", "size", "cadence", "pipeline"}

// measureWindow is how many words after a task verb a measure noun makes
// it a noun: "design review turnaround".
const measureWindow = 2

// outcomeVerbs say a number should move: with a numeric kind, a title
// using one is a measure even if it names a task ("Reduce failed
// deployments from 12% to 3%").
var outcomeVerbs = []string{
	"increase", "increases", "increased", "increasing", "raise", "raises", "raised", "raising",
	"grow", "grows", "grew", "growing", "improve", "improves", "improved", "improving",
	"boost", "boosted", "lift", "lifted", "double", "doubled", "triple", "tripled", "halve", "halved",
	"reduce", "reduces", "reduced", "reducing", "cut", "cuts", "cutting", "lower", "lowered", "lowering",
	"decrease", "decreases", "decreased", "decreasing", "shrink", "shrank", "trim", "trimmed", "drop", "dropped",
	"keep", "keeps", "kept", "maintain", "maintains", "maintained", "sustain", "sustained",
	"reach", "reached", "hit", "achieve", "achieved", "attain", "bring", "brought",
}

// upperBounds before a number state a measure: "under 10 minutes".
var upperBounds = []string{"under", "below", "less than", "fewer than", "at most", "no more than", "<", "≤"}

// An activityMetric is a count of activity that is often mistaken for
// impact, with the impact it is usually for.
type activityMetric struct {
	// nouns are written as counts are, in the plural: "deployments", not
	// "deployment" (a singular "release" is a verb or a "release frequency").
	nouns  []string
	doing  []string // verbs that make the nouns a count of activity; none: the nouns alone do
	rateOK bool     // how often is itself a measure (deployment frequency); only a total is vanity
	impact string
}

var activityMetrics = []activityMetric{
	{nouns: []string{"deployments", "deploys", "releases"}, rateOK: true,
		impact: "change failure rate or lead time for changes"},
	{nouns: []string{"tickets", "cases", "support requests"},
		doing:  []string{"close", "closed", "closing", "resolve", "resolved", "solve", "solved", "handle", "handled", "answer", "answered", "process", "processed"},
		impact: "time to resolution or customer satisfaction (CSAT)"},
	{nouns: []string{"story points", "velocity"},
		impact: "cycle time, or the customer outcome the work is for"},
	{nouns: []string{"commits"}, impact: "lead time for changes"},
	{nouns: []string{"lines of code", "loc", "sloc"},
		impact: "defect rate, or the user outcome the code is for"},
	{nouns: []string{"prs", "pull requests", "merge requests"},
		impact: "lead time for changes or change failure rate"},
	{nouns: []string{"meetings", "workshops", "sessions", "trainings", "interviews"},
		doing:  []string{"hold", "held", "holding", "run", "ran", "running", "host", "hosted", "attend", "attended", "organise", "organised", "organize", "organized", "conduct", "conducted"},
		impact: "the decision or change the meetings are for"},
	{nouns: []string{"features"},
		doing:  []string{"ship", "shipped", "launch", "launched", "deliver", "delivered", "release", "released", "build", "built", "complete", "completed"},
		impact: "adoption: the share of users who use what you ship"},
	{nouns: []string{"calls", "emails", "dials"},
		doing:  []string{"make", "made", "making", "send", "sent", "sending", "log", "logged"},
		impact: "qualified pipeline or win rate"},
	{nouns: []string{"demos"},
		doing:  []string{"give", "given", "run", "ran", "hold", "held", "do", "done", "deliver", "delivered"},
		impact: "demo-to-deal conversion or win rate"},
	{nouns: []string{"bugs"},
		doing:  []string{"fix", "fixed", "close", "closed", "squash", "squashed", "resolve", "resolved"},
		impact: "escaped defects or crash-free sessions"},
	{nouns: []string{"blog posts", "articles", "posts"},
		doing:  []string{"publish", "published", "write", "written", "wrote"},
		impact: "organic sign-ups or qualified leads from content"},
}

// rateWords make a count a frequency: "deploys per week".
var rateWords = []string{"per", "frequency", "daily", "weekly", "monthly", "cadence", "a day", "a week", "a month", "each day", "each week", "every day", "every week"}

// timeLabels are unit labels of a duration: a count of them is not a count
// of activity.
var timeLabels = []string{"ms", "millisecond", "s", "sec", "second", "min", "minute", "h", "hr", "hour", "day", "week", "month"}

// A unitHint is words in a title that say what unit its numbers are in.
type unitHint struct {
	words    []string // singular
	notAfter []string // the word before that makes it something else: "on time"
	unit     Unit     // Percent or Currency; Number for a label
	label    string   // the label to suggest, for Number
}

var unitHints = []unitHint{
	{words: []string{"arr", "mrr", "revenue", "booking", "run rate", "cost", "spend", "budget", "price", "acv", "arpu", "ltv", "cac", "profit", "income", "$", "€", "£", "¥", "dollar", "euro", "usd", "eur", "gbp"}, unit: Currency},
	{words: []string{"%", "percent", "percentage", "rate", "ratio", "share", "conversion", "churn", "retention", "uptime", "availability", "coverage", "margin"}, unit: Percent},
	{words: []string{"latency", "p50", "p75", "p90", "p95", "p99", "p999"}, unit: Number, label: "ms"},
	{words: []string{"mttr", "mtta", "mttd", "downtime"}, unit: Number, label: "minutes or hours"},
	{words: []string{"time", "duration", "turnaround"}, notAfter: []string{"on", "real", "first", "full", "part", "every", "any", "each", "one", "same", "some", "all", "over", "up"},
		unit: Number, label: "minutes, hours or days"},
}

// timeUnitWords, in a title, are the label its numbers want: "from 20 to 8
// minutes".
var timeUnitWords = []string{"ms", "milliseconds", "seconds", "secs", "minutes", "mins", "hours", "hrs", "days", "weeks"}

// Numbers in titles.
var (
	// idLeads make the number after them a name, not a quantity: "SOC 2",
	// "Phase 3", "day 7".
	idLeads = []string{"soc", "iso", "q", "h", "v", "version", "phase", "tier", "level", "gen", "generation", "web", "step",
		"stage", "series", "round", "pci", "wcag", "http", "ipv", "rfc", "cve", "day", "week", "month", "#"}
	// multipliers make an objective a number without digits: "Double
	// revenue". Each maps to the verb that keeps the objective's sense.
	multipliers = map[string]string{"double": "Grow", "triple": "Grow", "quadruple": "Grow", "halve": "Reduce"}
	// quantityBefore and quantityAfter go with a number when an objective
	// loses it: "by 20%", "$5M".
	quantityBefore = []string{"by", "to", "from", "of", "at", "over", "above", "under", "below", "than", "$", "€", "£", "¥"}
	quantityAfter  = []string{"%", "percent", "x", "k", "m", "million", "billion", "thousand", "times", "fold"}
	// objectPrepositions after a dropped quantity show it was what the verb
	// acted on: "Close $5M in new business" has no objective left.
	objectPrepositions = []string{"in", "on", "at", "for", "of", "with", "from", "to"}
)

// A token is a lowercase word of a title and where it is.
type token struct {
	w          string
	start, end int  // byte offsets in the title
	hyphen     bool // a hyphen joins it to the next word: "launch-week"
}

// maxWords is how many words of a title the rules read: titles are short
// (MaxTitle), and a huge one costs no more than this.
const maxWords = 100

// symbols are characters that are words of their own.
const symbols = "%$€£¥<>≤≥#"

// tokenize splits s into lowercase words: runs of letters, digits and marks.
// An apostrophe inside a word is dropped ("team's" → "teams"), a decimal or
// thousands separator or slash between digits stays ("1,200", "24/7"), the
// characters of symbols are words of their own, and anything else
// (spaces, punctuation, emoji, invalid bytes) separates. A hyphen separates
// too, and marks the word before it as joined to the next ("launch-week").
// It reads maxWords words at most.
func tokenize(s string) []token {
	var toks []token
	var b strings.Builder
	start := -1
	var last rune
	flush := func(end int) {
		if start >= 0 {
			toks = append(toks, token{w: b.String(), start: start, end: end})
			b.Reset()
			start = -1
		}
	}
	for i := 0; i < len(s) && len(toks) < maxWords; {
		r, size := utf8.DecodeRuneInString(s[i:])
		next, _ := utf8.DecodeRuneInString(s[i+size:])
		switch {
		case r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)):
			if start < 0 {
				start = i
			}
			b.WriteRune(unicode.ToLower(r))
			last = r
		case (r == '\'' || r == '’') && start >= 0 && unicode.IsLetter(last) && unicode.IsLetter(next):
		case (r == '.' || r == ',' || r == '/') && start >= 0 && unicode.IsDigit(last) && unicode.IsDigit(next):
			b.WriteRune(r)
			last = r
		case (r == '-' || r == '‐') && start >= 0 && (unicode.IsLetter(next) || unicode.IsDigit(next)):
			flush(i)
			toks[len(toks)-1].hyphen = true
		case strings.ContainsRune(symbols, r):
			flush(i)
			toks = append(toks, token{w: string(r), start: i, end: i + size})
		default:
			flush(i)
		}
		i += size
	}
	flush(len(s))
	return toks
}

// singular is a plain English singular of a lowercase word: "costs" →
// "cost", "queries" → "query", "fixes" → "fix". It leaves short words and
// words ending in ss, us or is alone.
func singular(w string) string {
	switch {
	case len(w) < 3 || !strings.HasSuffix(w, "s"):
		return w
	case strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
		return w
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "xes"):
		return w[:len(w)-2]
	}
	return w[:len(w)-1]
}

// phraseAt reports how many tokens phrase takes at toks[i:], 0 if it is not
// there. With sing, tokens are compared in their singular.
func phraseAt(toks []token, i int, phrase string, sing bool) int {
	n := 0
	for w := range strings.FieldsSeq(phrase) {
		if i+n >= len(toks) {
			return 0
		}
		t := toks[i+n].w
		if sing {
			t = singular(t)
		}
		if t != w {
			return 0
		}
		n++
	}
	return n
}

// anyAt returns how many tokens the first of phrases found at toks[i:]
// takes, 0 if none is there.
func anyAt(toks []token, i int, phrases []string, sing bool) int {
	for _, p := range phrases {
		if n := phraseAt(toks, i, p, sing); n > 0 {
			return n
		}
	}
	return 0
}

// contains reports whether any of phrases is anywhere in toks.
func contains(toks []token, phrases []string, sing bool) bool {
	for i := range toks {
		if anyAt(toks, i, phrases, sing) > 0 {
			return true
		}
	}
	return false
}

// A taskMatch is where a task was found in a title: the words that are its
// object, toks[objStart:objEnd], and the outcome form to suggest.
type taskMatch struct {
	objStart, objEnd int
	form             string
}

// findTask finds the first way toks read as a task: a leading task verb, a
// participle or state of one, or "get X running". A task verb followed by
// a measure noun is a noun and no task ("Build time", "Shipping costs"), and
// so is one joined to the next word by a hyphen ("Launch-week sign-ups").
func findTask(toks []token) (taskMatch, bool) {
	lead := 0
	for lead < len(toks) && anyAt(toks, lead, leadFillers, false) > 0 {
		lead++
	}
	for _, v := range taskVerbs {
		if n := anyAt(toks, lead, v.lead, false); n > 0 && !modifier(toks, lead+n) {
			m := taskMatch{objStart: lead + n, objEnd: objectEnd(toks, lead+n), form: v.form}
			if anyAt(toks, m.objStart, objectCuts, false) > 0 {
				m.objEnd = m.objStart // "Launch in 3 markets": no object to measure
			}
			return m, true
		}
	}
	for i := range toks {
		for _, v := range taskVerbs {
			if n := anyAt(toks, i, v.done, false); n > 0 && !modifier(toks, i+n) {
				return taskMatch{objStart: 0, objEnd: i, form: v.form}, true
			}
		}
		if n := anyAt(toks, i, taskStates, false); n > 0 && i > 0 &&
			(i+n == len(toks) || anyAt(toks, i+n, statePrepositions, false) > 0) {
			return taskMatch{objStart: 0, objEnd: i, form: formAdoption}, true
		}
		if anyAt(toks, i, getWords, false) > 0 {
			for j := i + 2; j < len(toks) && j <= i+1+getWindow; j++ {
				if anyAt(toks, j, gotWords, false) > 0 {
					return taskMatch{objStart: i + 1, objEnd: j, form: formAdoption}, true
				}
			}
		}
	}
	return taskMatch{}, false
}

// objectEnd returns where the object of a leading task that starts at i
// ends: before a word of objectCuts that follows at least one word of it.
func objectEnd(toks []token, i int) int {
	for j := i + 1; j < len(toks); j++ {
		if anyAt(toks, j, objectCuts, false) > 0 {
			return j
		}
	}
	return len(toks)
}

// modifier reports whether the task words that end before toks[i] modify
// what follows rather than say what to do: a hyphen joins them to it, or a
// measure noun comes within measureWindow words.
func modifier(toks []token, i int) bool {
	if i > 0 && toks[i-1].hyphen {
		return true
	}
	for j := i; j < len(toks) && j < i+measureWindow; j++ {
		if anyAt(toks, j, measureNouns, true) > 0 || anyAt(toks, j, taskMeasureNouns, true) > 0 {
			return true
		}
	}
	return false
}

// suggestion writes the outcome form of the task's object, from the title
// as typed; "" when the task has no form or no object.
func (m taskMatch) suggestion(title string, toks []token) string {
	form, ok := outcomeForms[m.form]
	if !ok {
		return ""
	}
	start, end := m.objStart, m.objEnd
	for start < end && (toks[start].w == "of" || isNumber(toks[start].w)) {
		start++ // "Rollout of X", "Migrate 40 services"
	}
	if start >= end {
		return ""
	}
	obj := title[toks[start].start:toks[end-1].end]
	if slices.Contains(lowerStarts, toks[start].w) {
		r, size := utf8.DecodeRuneInString(obj)
		obj = string(unicode.ToLower(r)) + obj[size:]
	}
	return fmt.Sprintf(form, Shorten(obj, titleLen/2))
}

// lowerStarts are words that are lowercased when an object that starts a
// title moves into the middle of a suggestion: "New portal launched" →
// "… who use new portal …". Other words keep their case: they may be names.
var lowerStarts = []string{"the", "a", "an", "our", "new", "all", "every"}

// measuredPhrase reports whether toks state a measure: an outcome verb,
// "from X to Y", or an upper bound before a number.
func measuredPhrase(toks []token) bool {
	for i := range toks {
		switch {
		case anyAt(toks, i, outcomeVerbs, false) > 0:
			return true
		case toks[i].w == "from" && fromTo(toks, i):
			return true
		}
		if n := anyAt(toks, i, upperBounds, false); n > 0 && numberNear(toks, i+n, 2) >= 0 {
			return true
		}
	}
	return false
}

// fromTo reports whether "from" at toks[i] begins "from <number> to <number>".
func fromTo(toks []token, i int) bool {
	j := numberNear(toks, i+1, 2)
	if j < 0 {
		return false
	}
	for k := j + 1; k < len(toks) && k <= j+3; k++ {
		if toks[k].w == "to" {
			return numberNear(toks, k+1, 2) >= 0
		}
	}
	return false
}

// numberNear returns the index of the first number among the n tokens from
// toks[i], -1 if there is none.
func numberNear(toks []token, i, n int) int {
	for j := i; j < len(toks) && j < i+n; j++ {
		if isNumber(toks[j].w) {
			return j
		}
	}
	return -1
}

// isNumber reports whether w is a number as people write one in a title:
// digits with separators, and a magnitude or multiplier suffix ("1,200",
// "3.5", "20k", "1.2m", "2x"). "24/7", "3g" and "1.2.3" are not.
func isNumber(w string) bool {
	if w == "" || w[0] < '0' || w[0] > '9' || strings.Contains(w, "/") || strings.Count(w, ".") > 1 {
		return false
	}
	i := strings.IndexFunc(w, func(r rune) bool { return !unicode.IsDigit(r) && r != '.' && r != ',' })
	if i < 0 {
		return true
	}
	switch w[i:] {
	case "k", "m", "b", "bn", "mm", "x":
		return true
	}
	return false
}

// quantities returns the indices of the numbers in toks that are
// quantities, not names or years: "20%" and "3 new logos", not "SOC 2" or
// "2026".
func quantities(toks []token) []int {
	var out []int
	for i, t := range toks {
		if !isNumber(t.w) {
			continue
		}
		if i > 0 && anyAt(toks, i-1, idLeads, false) > 0 {
			continue
		}
		pct := i+1 < len(toks) && toks[i+1].w == "%"
		if len(t.w) == 4 && t.w >= "1900" && t.w <= "2199" && !pct {
			continue // a year
		}
		out = append(out, i)
	}
	return out
}

// hasQuantity reports whether toks state an amount: a quantity, a percent
// sign, or "zero".
func hasQuantity(toks []token) bool {
	return len(quantities(toks)) > 0 || contains(toks, []string{"%", "zero"}, false)
}

// objectiveIsNumber reports whether an objective's words state a target:
// a quantity, or a multiplier ("Double revenue"; "Double down" is not one).
func objectiveIsNumber(toks []token) bool {
	if len(quantities(toks)) > 0 {
		return true
	}
	for i, t := range toks {
		if _, ok := multipliers[t.w]; ok && !(i+1 < len(toks) && toks[i+1].w == "down") {
			return true
		}
	}
	return false
}

// withoutNumbers returns an objective's title without its quantities and
// the words that go with them ("Grow revenue by 20%" → "Grow revenue"),
// multipliers replaced by a verb ("Double revenue" → "Grow revenue"); ""
// when too little is left to be an objective.
func withoutNumbers(title string, toks []token) string {
	drop := make([]bool, len(toks))
	for _, q := range quantities(toks) {
		drop[q] = true
		for j := q - 1; j >= 0 && anyAt(toks, j, quantityBefore, false) > 0; j-- {
			drop[j] = true
		}
		for j := q + 1; j < len(toks) && anyAt(toks, j, quantityAfter, false) > 0; j++ {
			drop[j] = true
		}
	}
	for i := 1; i < len(toks); i++ {
		if drop[i-1] && !drop[i] && anyAt(toks, i, objectPrepositions, false) > 0 {
			return "" // "Close $5M in new business": the number was the object
		}
	}
	var words []string
	prev, prevKept := 0, false
	for i, t := range toks {
		gap := title[prev:t.start]
		prev = t.end
		if drop[i] {
			prevKept = false
			continue
		}
		w := title[t.start:t.end]
		if v, ok := multipliers[t.w]; ok && !(i+1 < len(toks) && toks[i+1].w == "down") {
			w = v
			if len(words) > 0 {
				w = strings.ToLower(v)
			}
		}
		if prevKept && strings.IndexFunc(gap, unicode.IsSpace) < 0 {
			words[len(words)-1] += gap + w // "sign-ups", "#1"
		} else {
			words = append(words, w)
		}
		prevKept = true
	}
	if len(words) < 2 {
		return ""
	}
	s := strings.Join(words, " ")
	if s == normalizeLine(title) {
		return ""
	}
	return s
}

// vanityMetric reports whether a key result counts activity rather than
// impact, and the impact to measure instead. Only a count that should go
// up is one: fewer meetings or tickets is an outcome.
func vanityMetric(kr *KeyResult, toks []token) (string, bool) {
	if kr.Kind != Increase && kr.Kind != StayAbove || kr.Unit != Number && kr.Unit != "" {
		return "", false
	}
	label := tokenize(kr.UnitLabel)
	if len(label) > 0 && anyAt(label, 0, timeLabels, true) > 0 {
		return "", false
	}
	if contains(toks, measureNouns, true) {
		return "", false
	}
	for _, m := range activityMetrics {
		if !contains(toks, m.nouns, false) {
			continue
		}
		if m.doing != nil && !contains(toks, m.doing, false) {
			continue
		}
		if m.rateOK && (contains(toks, rateWords, false) || contains(label, rateWords, false) || strings.Contains(kr.UnitLabel, "/")) {
			continue
		}
		return m.impact, true
	}
	return "", false
}

// missingUnit finds the unit a numeric key result without one should have:
// Percent, Currency, or a label for a Number; and a message about it, with
// %s for the title.
func missingUnit(kr *KeyResult, toks []token) (suggestion, message string, ok bool) {
	if kr.Kind == Milestone || kr.Unit != Number && kr.Unit != "" || kr.UnitLabel != "" {
		return "", "", false
	}
	for i := range toks {
		for _, h := range unitHints {
			if anyAt(toks, i, h.words, true) == 0 || i > 0 && anyAt(toks, i-1, h.notAfter, false) > 0 {
				continue
			}
			switch h.unit {
			case Percent:
				return Percent.Label(), "“%s” looks like a percentage: choose Percent (%%) as its unit, so its numbers read clearly.", true
			case Currency:
				return Currency.Label(), "“%s” looks like money: choose Currency as its unit, so its numbers read clearly.", true
			}
			label := h.label
			for _, t := range toks {
				if slices.Contains(timeUnitWords, t.w) {
					label = t.w // "from 20 to 8 minutes"
					break
				}
			}
			return label, "“%s” has no unit: add one (e.g. " + label + "), so its numbers read clearly.", true
		}
	}
	return "", "", false
}

// Grade is the end-of-cycle score of a key result or objective in the
// classic 0.0–1.0 scale, where 0.7 is a good result for an ambitious goal.
type Grade float64

// GradeOf rounds progress to the tenth the method grades in.
func GradeOf(progress float64) Grade {
	p := min(max(progress, 0), 1)
	return Grade(float64(int(p*10+0.5)) / 10)
}

func (g Grade) String() string { return fmt.Sprintf("%.1f", float64(g)) }

// Verdict reads a grade: 0.7 and above delivered, 0.4 and above progress
// made, below that missed.
func (g Grade) Verdict() string {
	switch {
	case g >= 0.7:
		return "Delivered"
	case g >= 0.4:
		return "Progress made"
	}
	return "Missed"
}

// RetrospectiveQuestions are asked at the end of every cycle.
var RetrospectiveQuestions = []string{
	"What did we achieve, and what made the difference?",
	"Which key results did we miss, and why: ambition, focus, or something outside our control?",
	"Which key results turned out to measure the wrong thing?",
	"What do we carry into the next cycle, change, or drop?",
}

// FlatQuestion is the one gentle question asked about a key result that is
// on track but flat (KeyResult.FlatButOnTrack): in its owner's prompt, the
// digest's risks and the team's nudges.
func FlatQuestion(kr *KeyResult, now time.Time) string {
	return fmt.Sprintf("“%s” has stayed at %s for %d check-ins and is behind pace, though marked on track: what will get it moving?",
		Shorten(kr.Title, titleLen), kr.Format(kr.ValueAt(now)), FlatCheckIns)
}
