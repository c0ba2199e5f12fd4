package views

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

func TestMrkdwnConstructors(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"escape", Escape("a<b>&c").String(), "a&lt;b&gt;&amp;c"},
		{"escape once", Escape("&amp;").String(), "&amp;amp;"},
		{"sprintf escapes strings", Sprintf("*%s* %d", "<!channel>", 3).String(), "*&lt;!channel&gt;* 3"},
		{"sprintf keeps mrkdwn", Sprintf("%s: %s", Channel("C1"), Mention("U1")).String(), "<#C1>: <@U1>"},
		{"sprintf escapes stringers", Sprintf("%s", time.Weekday(1)).String(), "Monday"},
		{"sprintf keeps verbs", Sprintf("%q %5.1f%%", "a&b", 3.14159).String(), "\"a&amp;b\"   3.1%"},
		{"bad mention", Mention("<!here>").String(), "&lt;!here&gt;"},
		{"bad channel", Channel("C1>|x").String(), "C1&gt;|x"},
		{"join", Join([]Mrkdwn{Raw("*a*"), Escape("<b>")}, ", ").String(), "*a*, &lt;b&gt;"},
		{"link", Link("https://x.slack.com/a?b=1&c=2", "see <it>").String(), "<https://x.slack.com/a?b=1&c=2|see &lt;it&gt;>"},
		{"bad link", Link("https://x|<!channel>", "see it").String(), "see it"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// TestRawAndSprintfTakeLiterals fails when views.Raw or views.Sprintf (or
// Raw/Sprintf inside this package) is called with anything but a string
// literal as its first argument: text built at run time must go through
// Escape or be an argument of Sprintf, so that it is escaped.
func TestRawAndSprintfTakeLiterals(t *testing.T) {
	for _, dir := range []string{".", ".."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no Go files in %s", dir)
		}
		for _, path := range files {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			inViews := f.Name.Name == "views"
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var name string
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					if inViews {
						name = fn.Name
					}
				case *ast.SelectorExpr:
					if x, ok := fn.X.(*ast.Ident); ok && x.Name == "views" {
						name = fn.Sel.Name
					}
				}
				if name != "Raw" && name != "Sprintf" {
					return true
				}
				if len(call.Args) == 0 {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); !ok || lit.Kind != token.STRING {
					t.Errorf("%s: %s called with a non-literal first argument", fset.Position(call.Pos()), name)
				}
				return true
			})
		}
	}
}

// hostile is a title that would ping everyone, bold text and link away
// if it reached mrkdwn unescaped.
const hostile = "<!channel> *bold* & <http://evil|x>"

func TestUserTextReachesEveryViewEscaped(t *testing.T) {
	objs := sampleObjectives()
	objs[0].Title = hostile
	hostileKR := okrs.KeyResult{Title: hostile, Owner: "U2", Kind: okrs.Increase, Unit: okrs.Number, UnitLabel: hostile, Start: 1, Target: 2}
	hostileProposal := okrs.Proposal{ID: "p1", KeyResult: hostileKR, ProposedBy: "U2", State: okrs.ProposalPending}
	hostileDecided := okrs.Proposal{ID: "p2", KeyResult: hostileKR, ProposedBy: "U2", State: okrs.ProposalDeclined, DecidedBy: "U1", Reason: hostile,
		Changes: []okrs.Change{{Field: okrs.FieldTitle, From: hostile, To: hostile}, {Field: okrs.FieldOwner, From: hostile, To: "U3"}}}
	objs[0].Proposals = []okrs.Proposal{hostileProposal}
	for i := range objs[0].KeyResults {
		kr := &objs[0].KeyResults[i]
		kr.Title, kr.ObjectiveID = hostile, objs[0].ID
		kr.CheckIns = []okrs.CheckIn{{At: viewNow.Add(-time.Hour), Value: kr.Current, Confidence: okrs.Confidence{Level: okrs.AtRisk},
			Author: kr.Owner, Comment: hostile}}
		kr.LastCheckIn = viewNow.Add(-time.Hour)
	}
	var krs []*okrs.KeyResult
	byKR := map[string]okrs.CheckIn{}
	for i := range objs[0].KeyResults {
		kr := &objs[0].KeyResults[i]
		krs = append(krs, kr)
		byKR[kr.ID] = kr.CheckIns[0]
	}
	week := okrs.PlanAt(okrs.DefaultSettings("UTC"), time.UTC, viewNow).Period
	prompt := okrs.Prompt{Kind: okrs.KindPrompt, Team: "C1", User: "U1", Period: week, Objectives: objs, Cycle: viewCycle}
	tests := []struct {
		name string
		view any
	}{
		{"status", Status(StatusView{Scope: Channel("C1"), Cycle: viewCycle, Now: viewNow, Objectives: objs})},
		{"person status", Status(StatusView{Scope: Mention("U1"), Person: "U1", Cycle: viewCycle, Now: viewNow, Objectives: objs})},
		{"home", Home(HomeView{User: "U1", Objectives: objs, Awaiting: objs, Cycle: viewCycle, Now: viewNow})},
		{"prompt", Prompt(prompt, viewNow)},
		{"digest", Digest(okrs.ComposeDigest("C1", objs, viewCycle, week, viewNow))},
		{"check-in modal", CheckInModal(objs, krs, CheckInMeta{Team: "C1"})},
		{"list", List(objs, "C1", viewCycle, viewNow)},
		{"archive modal", ArchiveModal(&objs[0], FormMeta{})},
		{"add key result modal", AddKRModal(&objs[0], KRForm{}, FormMeta{})},
		{"picker", PickerModal(objs, Escape(hostile), "Edit objective", ModeEdit, FormMeta{})},
		{"checked-in prompt", PromptCheckedIn("C1", krs, byKR, viewNow, false)},
		{"shared check-ins", SharedCheckIns("U1", []SharedCheckIn{{KeyResult: krs[0], CheckIn: byKR[krs[0].ID]}})},
		{"help", Help([]Command{{Usage: "/okr x", Summary: "y", Example: "/okr x"}}, hostile, "")},
		{"notice", NoticeModal("Can't", Sprintf("“%s” is already archived.", hostile))},
		{"proposal to owner", ProposalToOwner(&objs[0], &hostileProposal, []okrs.Tip{{Message: hostile}})},
		{"proposal to proposer", ProposalToProposer(&objs[0], &hostileProposal)},
		{"proposal outcome", ProposalOutcome(&objs[0], &hostileProposal, nil)},
		{"proposal decided", ProposalToOwner(&objs[0], &hostileDecided, nil)},
		{"propose modal", ProposeKRModal(&objs[0], KRForm{Title: hostile}, FormMeta{}, false)},
		{"adjust modal", AdjustKRModal(&objs[0], &hostileProposal, FormMeta{})},
		{"decline modal", DeclineModal(&objs[0], &hostileProposal, FormMeta{})},
	}
	for _, tt := range tests {
		v := tt.view
		if m, ok := v.(Message); ok {
			v = map[string]any{"text": m.Text.String(), "blocks": m.Blocks}
		}
		if s, ok := v.(Mrkdwn); ok {
			v = map[string]any{"text": s.String()}
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		// json.Marshal writes < > & as \u003c \u003e \u0026; read back the strings.
		var back any
		json.Unmarshal(b, &back)
		all := strings.Join(stringsOf(back), "\n")
		if strings.Contains(all, "<!channel>") || strings.Contains(all, "<http://evil") || strings.Contains(all, " & ") {
			t.Errorf("%s: raw user text in the view:\n%s", tt.name, all)
		}
		if !strings.Contains(all, "&lt;!channel&gt; *bold* &amp; &lt;http://evil|x&gt;") && !strings.Contains(all, "&lt;!channel&gt;") {
			t.Errorf("%s: the title does not show, escaped:\n%s", tt.name, all)
		}
	}
}

// stringsOf lists the mrkdwn strings in decoded JSON: the "text" of every
// mrkdwn text object (and a message's own text), leaving plain_text out.
func stringsOf(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if s, ok := v["text"].(string); ok && v["type"] != "plain_text" {
			out = append(out, s)
		}
		for _, x := range v {
			out = append(out, stringsOf(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, stringsOf(x)...)
		}
	}
	return out
}
