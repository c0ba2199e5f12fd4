package okrs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// Key results of the tests, with short names for the expectations.
var (
	krSignups = okrs.KeyResult{ID: "signups", Title: "Weekly signups", Kind: okrs.Increase, Unit: okrs.Number,
		Start: 1000, Target: 2000, Current: 1200, Confidence: okrs.Confidence{Level: okrs.AtRisk}}
	krP99 = okrs.KeyResult{ID: "p99", Title: "Reduce P99 latency of payment processing", Kind: okrs.Decrease, Unit: okrs.Number,
		UnitLabel: "ms", Start: 400, Target: 280, Current: 350, Confidence: okrs.Confidence{Level: okrs.OnTrack}}
	krBudget = okrs.KeyResult{ID: "budget", Title: "Error budget left", Kind: okrs.StayAbove, Unit: okrs.Number,
		UnitLabel: "min", Start: 400, Target: 200, Current: 320, Confidence: okrs.Confidence{Level: okrs.OnTrack}}
	krConv = okrs.KeyResult{ID: "conv", Title: "Trial-to-paid conversion", Kind: okrs.Increase, Unit: okrs.Percent,
		Start: 3.5, Target: 5, Current: 4, Confidence: okrs.Confidence{Level: okrs.OnTrack}}
	krRevenue = okrs.KeyResult{ID: "revenue", Title: "Expansion revenue", Kind: okrs.Increase, Unit: okrs.Currency,
		Start: 10000, Target: 50000, Current: 12000, Confidence: okrs.Confidence{Level: okrs.OffTrack}}
	krLaunch = okrs.KeyResult{ID: "launch", Title: "Launch the self-serve onboarding", Kind: okrs.Milestone, Unit: okrs.Number,
		Start: 0, Target: 1, Current: 0, Confidence: okrs.Confidence{Level: okrs.AtRisk}}
	krNPS = okrs.KeyResult{ID: "nps", Title: "Net promoter score", Kind: okrs.Increase, Unit: okrs.Number,
		Start: -10, Target: 20, Current: -8, Confidence: okrs.Confidence{Level: okrs.AtRisk}}
	krDeploys = okrs.KeyResult{ID: "deploys", Title: "Deployments per week", Kind: okrs.Increase, Unit: okrs.Number,
		Start: 2, Target: 7, Current: 3} // never checked in
	krRollback = okrs.KeyResult{ID: "rollback", Title: "Rollback rate", Kind: okrs.Decrease, Unit: okrs.Percent,
		Start: 4, Target: 1, Current: 2.5, Confidence: okrs.Confidence{Level: okrs.OnTrack}}
)

func krs(list ...okrs.KeyResult) []*okrs.KeyResult {
	out := make([]*okrs.KeyResult, len(list))
	for i := range list {
		kr := list[i]
		out[i] = &kr
	}
	return out
}

// describe writes a reply compactly: "signups v=1340 c=on_track", "~" for
// what the reply did not give (kept from the last check-in), a comment in
// quotes, questions as ?kind[key results](part): problem.
func describe(r okrs.Reply, list []*okrs.KeyResult) string {
	var out []string
	if r.NoChange {
		out = append(out, "nochange")
	}
	for _, u := range r.Updates {
		s := list[u.KeyResult].ID
		op := map[bool]string{true: "=", false: "~"}
		s += " v" + op[u.ValueSaid] + okrs.FormatNumber(u.Value) + " c" + op[u.LevelSaid] + string(u.Level)
		if u.Comment != "" {
			s += fmt.Sprintf(" %q", u.Comment)
		}
		if u.Kept {
			s += " kept"
		}
		out = append(out, s)
	}
	for _, q := range r.Questions {
		var ids []string
		for _, i := range q.KeyResults {
			ids = append(ids, list[i].ID)
		}
		s := fmt.Sprintf("?%s[%s](%s)", q.Kind, strings.Join(ids, ","), q.Part)
		if q.Problem != "" {
			s += ": " + q.Problem
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// TestParseReply reads real-style replies against the key results in prompt
// order and checks exactly what was understood.
func TestParseReply(t *testing.T) {
	setA := krs(krSignups, krP99, krBudget)
	setB := krs(krConv, krRevenue, krLaunch, krNPS, krDeploys, krRollback)
	one := krs(krSignups)
	first := krs(krDeploys)
	tests := []struct {
		krs  []*okrs.KeyResult
		in   string
		want string
	}{
		{setA, "signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout", "signups v=1,340 c=on_track; p99 v=310 c=at_risk \"waiting on the cache rollout\""},
		{setA, "no change", "nochange; signups v~1,200 c~at_risk kept; p99 v~350 c~on_track kept; budget v~320 c~on_track kept"},
		{setA, "same as last week", "nochange; signups v~1,200 c~at_risk kept; p99 v~350 c~on_track kept; budget v~320 c~on_track kept"},
		{setA, "thanks!", ""},
		{setA, "sigups 1340, p99 310", "signups v=1,340 c~at_risk; p99 v=310 c~on_track"},
		{setA, "1) 1340 2) 310ms 3) 290", "signups v=1,340 c~at_risk; p99 v=310 c~on_track; budget v=290 c~on_track"},
		{setA, "1340; 310ms; 250 min", "signups v=1,340 c~at_risk; p99 v=310 c~on_track; budget v=250 c~on_track"},
		{setA, "1340, 310, 250", "signups v=1,340 c~at_risk; p99 v=310 c~on_track; budget v=250 c~on_track"},
		{setA, "310", "?which[signups,p99,budget](310)"},
		{setA, "signups 1.340 on track", "?value[signups](signups 1.340 on track): Did you mean 1,340 or 1.34? I read a dot as a decimal point: write 1,340 for the whole number."},
		{setA, "hello? what's my status", ""},
		{setA, "meeting at 3pm tomorrow", ""},
		{setA, "signups up 140, p99 down to 310 ms on trak", "p99 v=310 c=on_track; ?value[signups](signups up 140): Is that the new value or the change since last time? Reply with the new value (it was 1,200)."},
		{setA, "- signups: 1,340 (on track)\n- p99: 310 ms, at rsik because the cache rollout slipped\n- error budget 250 min off track", "signups v=1,340 c=on_track; p99 v=310 c=at_risk \"because the cache rollout slipped\"; budget v=250 c=off_track"},
		{setA, "no change except signups 1400", "nochange; signups v=1,400 c~at_risk; p99 v~350 c~on_track kept; budget v~320 c~on_track kept"},
		{setA, "signups 1340 — great week, p99 310ms at risk", "signups v=1,340 c~at_risk \"great week\"; p99 v=310 c=at_risk"},
		{setA, "signups 1340 on track thanks to the campaign", "signups v=1,340 c=on_track \"thanks to the campaign\""},
		{setA, "all on track", "signups v~1,200 c=on_track; p99 v~350 c=on_track; budget v~320 c=on_track"},
		{setA, "signups 1340 on track. thanks!", "signups v=1,340 c=on_track"},
		{setA, "signups 1340 signups 1400", "?twice[signups](signups 1340 / signups 1400)"},
		{setA, "latency 310", "p99 v=310 c~on_track"},
		{setA, "signups 1,5\n", "?value[signups](signups 1,5): Use a dot for decimals: 1.5"},
		{setA, "310ms at risk", "p99 v=310 c=at_risk"},
		{setA, "250 min", "budget v=250 c~on_track"},
		{setA, "I'll check in later", ""},
		{setA, "sigups 1340 on trcak", "signups v=1,340 c=on_track"},
		{setA, "p99 latency 310ms, error budget 250min, signups 1400, all on track", "signups v=1,400 c=on_track; p99 v=310 c=on_track; budget v=250 c=on_track"},
		{setA, "• 1340\n• 310\n• 250", "signups v=1,340 c~at_risk; p99 v=310 c~on_track; budget v=250 c~on_track"},
		{setA, "on track", "?which[signups,p99,budget](on track)"},
		{setA, "no chnage", "nochange; signups v~1,200 c~at_risk kept; p99 v~350 c~on_track kept; budget v~320 c~on_track kept"},
		{setA, "nothing changed this week, still waiting on legal", "nochange; signups v~1,200 c~at_risk \"still waiting on legal\" kept; p99 v~350 c~on_track \"still waiting on legal\" kept; budget v~320 c~on_track \"still waiting on legal\" kept"},
		{setA, "signups no change, p99 300ms", "signups v~1,200 c~at_risk kept; p99 v=300 c~on_track"},
		{setA, "signups 1340 and p99 310", "signups v=1,340 c~at_risk; p99 v=310 c~on_track"},
		{setA, "signups 1340 on track p99 310ms at risk", "signups v=1,340 c=on_track; p99 v=310 c=at_risk"},
		{setA, "went from 1200 to 1340 signups", "signups v=1,340 c~at_risk"},
		{setA, "latency 310\nerror 250", "p99 v=310 c~on_track; budget v=250 c~on_track"},
		{setA, "signups 1340 not on track", "?value[signups](signups 1340 not on track): Is it at risk or off track?"},
		{setA, "1340 signups, 310ms", "signups v=1,340 c~at_risk; p99 v=310 c~on_track"},
		{setA, "signups +140", "?value[signups](signups +140): Is that the new value or the change since last time? Reply with the new value (it was 1,200)."},
		{setA, "Great week! signups 1,340 on track", "signups v=1,340 c=on_track \"Great week\""},
		{setA, "call me at 555-1234", ""},
		{setA, "1340", "?which[signups,p99,budget](1340)"},
		{setA, "signups 1340 on track, p99 310 at risk, budget 250 off track — cache rollout slipped, should land Friday", "signups v=1,340 c=on_track; p99 v=310 c=at_risk; budget v=250 c=off_track \"cache rollout slipped, should land Friday\""},
		{setA, "2) 310ms\n3) 250", "p99 v=310 c~on_track; budget v=250 c~on_track"},
		{setA, "p99 310, p99 305", "?twice[p99](p99 310 / p99 305)"},
		{setA, "signups 1340 on track 😀\n", "signups v=1,340 c=on_track"},
		{setA, "call me at 555-1234", ""},
		{setA, "signups 1300-1400", "?value[signups](signups 1300-1400): \"1300-1400\" is not a number. Try something like 1200, 1,200, 45%, $3.2k or 1.5M."},
		{setA, "see you 12/3", ""},
		{setB, "conversion 4.2%, revenue $12k on track, onboarding shipped, nps −4, deploys 5 on track, rollback 1.8%", "conv v=4.2 c~on_track; revenue v=12,000 c=on_track; launch v=1 c~at_risk; nps v=-4 c~at_risk; deploys v=5 c=on_track; rollback v=1.8 c~on_track"},
		{setB, "45%", "?which[conv,rollback](45%)"},
		{setB, "$14k", "revenue v=14,000 c~off_track"},
		{setB, "done", "launch v=1 c~at_risk"},
		{setB, "nps -4", "nps v=-4 c~at_risk"},
		{setB, "3.5 %", "?which[conv,rollback](3.5 %)"},
		{setB, "conversion 4.2 percent at risk", "conv v=4.2 c=at_risk"},
		{setB, "rollback rate 2%, conversion 4.1% off-track", "conv v=4.1 c=off_track; rollback v=2 c~on_track"},
		{setB, "deploys 5", "?confidence[deploys](deploys 5)"},
		{setB, "no change", "nochange; conv v~4 c~on_track kept; revenue v~12,000 c~off_track kept; launch v~0 c~at_risk kept; nps v~-8 c~at_risk kept; rollback v~2.5 c~on_track kept; ?no_checkin[deploys](no change)"},
		{setB, "nps: -6 :red_circle: churn from the outage", "nps v=-6 c=off_track \"churn from the outage\""},
		{setB, "revenue €20k", "?value[revenue](revenue €20k): €20k is in €, and it is measured in $."},
		{setB, "onboarding not done yet, at risk — legal review", "launch v=0 c=at_risk \"legal review\""},
		{setB, "conversion 1340", "conv v=1,340 c~on_track"},
		{setB, "all good, thanks", ""},
		{setB, "deployments 4 on track and rollback 2% at risk", "deploys v=4 c=on_track; rollback v=2 c=at_risk"},
		{setB, "2) $13,500 on track", "revenue v=13,500 c=on_track"},
		{setB, "7) 5", "?unplaced[](5): You have 6 key results, so there is no number 7."},
		{setB, "revenue 15000 ms", "revenue v=15,000 c~off_track"},
		{setB, "rate 2%", "rollback v=2 c~on_track"},
		{setB, "launch 1", "launch v=1 c~at_risk"},
		{setB, "onboarding 50%\n", "?value[launch](onboarding 50%): It is a milestone: is it done or not done yet?"},
		{setA, "signups 1,340 on track; 310 at risk", "signups v=1,340 c=on_track; ?which[p99,budget](310 at risk)"},
		{setA, "Signups: 1,340 — on track", "signups v=1,340 c=on_track"},
		{setA, "signups 1340 off track because of the holiday, p99 310 ms", "signups v=1,340 c=off_track \"because of the holiday\"; p99 v=310 c~on_track"},
		{setA, "On track across the board", "signups v~1,200 c=on_track; p99 v~350 c=on_track; budget v~320 c=on_track"},
		{setA, "everything on track except p99 at risk", "signups v~1,200 c=on_track; p99 v~350 c=at_risk; budget v~320 c=on_track"},
		{setA, "signups 1340 on track\np99 310 at risk\nerror budget unchanged", "signups v=1,340 c=on_track; p99 v=310 c=at_risk; budget v~320 c~on_track kept"},
		{setA, "KR1: 1340", "signups v=1,340 c~at_risk"},
		{setA, "#2 310ms", "p99 v=310 c~on_track"},
		{setA, "signups: great week", "?value[signups](signups: great week): I found no value or confidence for it."},
		{setA, "p99 is still 350", "p99 v=350 c~on_track"},
		{setA, "signups 1340, on track", "signups v=1,340 c=on_track"},
		{one, "1340 on track", "signups v=1,340 c=on_track"},
		{one, "1.3k", "signups v=1,300 c~at_risk"},
		{one, "1340 :tada: on track", "signups v=1,340 c=on_track"},
		{one, "thanks!", ""},
		{first, "5", "?confidence[deploys](5)"},
		{first, "5 on track", "deploys v=5 c=on_track"},
		{first, "same as last week", "nochange; ?no_checkin[deploys](same as last week)"},
		{nil, "signups 1340", ""},
	}
	for _, tc := range tests {
		got := describe(okrs.ParseReply(tc.in, tc.krs), tc.krs)
		if got != tc.want {
			t.Errorf("%q:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// FuzzParseReply: whatever the text, ParseReply never panics, every value
// it returns is one its key result takes (a check-in made of it
// validates), no key result gets two updates, and nothing is placed on a
// key result that is not in the list.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout",
		"no change", "1) 1340 2) 310", "$12k, 45%, −4, 3.5 %", "onboarding done", "1.340",
		"• 1340\n• 310\n• 250", "p99 310, p99 305", "nps: -6 :red_circle: churn", "<@U1> &amp; 1e400",
	} {
		f.Add(s)
	}
	sets := [][]*okrs.KeyResult{
		krs(krSignups, krP99, krBudget),
		krs(krConv, krRevenue, krLaunch, krNPS, krDeploys, krRollback),
		krs(krSignups), nil,
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, list := range sets {
			r := okrs.ParseReply(s, list)
			seen := map[int]bool{}
			for _, u := range r.Updates {
				if u.KeyResult < 0 || u.KeyResult >= len(list) {
					t.Fatalf("%q: update of key result %d of %d", s, u.KeyResult, len(list))
				}
				if seen[u.KeyResult] {
					t.Fatalf("%q: two updates of %s: %s", s, list[u.KeyResult].ID, describe(r, list))
				}
				seen[u.KeyResult] = true
				ci := okrs.CheckIn{Author: "U1", Value: u.Value, Confidence: okrs.Confidence{Level: u.Level}, Comment: u.Comment}
				if err := ci.Validate(list[u.KeyResult]); err != nil {
					t.Fatalf("%q: update %s does not validate: %v", s, describe(r, list), err)
				}
				if !u.ValueSaid && u.Value != list[u.KeyResult].Current {
					t.Fatalf("%q: a value not given is not the current one: %s", s, describe(r, list))
				}
			}
			for _, q := range r.Questions {
				for _, i := range q.KeyResults {
					if i < 0 || i >= len(list) {
						t.Fatalf("%q: question about key result %d of %d", s, i, len(list))
					}
				}
				if seen[firstOr(q.KeyResults)] && q.Kind == okrs.AskTwice {
					t.Fatalf("%q: %s was given twice and still updated: %s", s, list[q.KeyResults[0]].ID, describe(r, list))
				}
			}
			if again := describe(okrs.ParseReply(s, list), list); again != describe(r, list) {
				t.Fatalf("%q: not deterministic:\n%s\n%s", s, again, describe(r, list))
			}
		}
	})
}

func firstOr(xs []int) int {
	if len(xs) == 0 {
		return -1
	}
	return xs[0]
}

// TestParseReplyLongInputs: long and repetitive replies are read in about
// linear time (a few milliseconds each here; the bound is loose for -race
// on a busy machine), and replies past MaxReply are cut.
func TestParseReplyLongInputs(t *testing.T) {
	list := krs(krSignups, krP99, krBudget)
	for _, s := range []string{
		strings.Repeat("a 1 — ", 700),
		strings.Repeat("signups 1 — p99 2, ", 250),
		strings.Repeat("signups 1 on track ", 250),
		strings.Repeat("1 ", 2000),
		strings.Repeat("sigupsxx", 500),
		strings.Repeat("signups: ", 500),
		strings.Repeat("1,", 2000),
		strings.Repeat("1) ", 1300),
	} {
		start := time.Now()
		okrs.ParseReply(s, list)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%.30q…: %v", s, d)
		}
	}
	if r := okrs.ParseReply(strings.Repeat(" ", okrs.MaxReply)+"signups 1340 on track", list); !r.Empty() {
		t.Errorf("text past MaxReply was read: %s", describe(r, list))
	}
}

func BenchmarkParseReply(b *testing.B) {
	list := krs(krSignups, krP99, krBudget)
	for b.Loop() {
		okrs.ParseReply("signups 1,340 on track; p99 310ms at risk — waiting on the cache rollout", list)
	}
}
