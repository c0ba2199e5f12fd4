package main

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// Channels of the alignment tests: the company's public channel and a
// private board only ana is in.
const (
	company = "CCOMP9"
	secret  = "GSECR9"
)

// treeEnv is newEnv with #company (everyone) and the private #secret
// (only ana).
func treeEnv(t *testing.T) *env {
	e := newEnv(t)
	e.srv.AddChannel(slacktest.Channel{ID: company, TeamID: teamA, Name: "company", Members: []string{ana, ben, carla}, BotIsMember: true})
	e.srv.AddChannel(slacktest.Channel{ID: secret, TeamID: teamA, Name: "secret", Members: []string{ana}, BotIsMember: true, IsPrivate: true})
	return e
}

// alignedSeq orders the objectives aligned creates: children are listed in
// the order they were created.
var alignedSeq atomic.Int64

// aligned stores an objective of team under parent (none when empty) with
// one key result per percentage (0 → 100), checked in at that value, and
// returns its id.
func (e *env) aligned(team, parent, title string, pcts ...float64) string {
	e.t.Helper()
	o := &okrs.Objective{Workspace: teamA, Team: team, Cycle: okrs.QuarterOf(e.clock()).Name, Title: title, Owner: ana,
		ParentID: parent, CreatedBy: ana, CreatedAt: e.clock().Add(-24*time.Hour + time.Duration(alignedSeq.Add(1))*time.Second)}
	for i := range pcts {
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: fmt.Sprintf("%s result %d", title, i+1), Owner: ana,
			Kind: okrs.Increase, Unit: okrs.Percent, Start: 0, Target: 100})
	}
	o.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
		e.t.Fatal(err)
	}
	var cis []okrs.CheckIn
	for i, p := range pcts {
		cis = append(cis, okrs.CheckIn{KeyResultID: o.KeyResults[i].ID, Author: ana, At: e.clock(), Value: p,
			Confidence: okrs.Confidence{Level: okrs.OnTrack}})
	}
	if len(cis) > 0 {
		if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, cis); err != nil {
			e.t.Fatal(err)
		}
	}
	return o.ID
}

// waitNew waits for a message in channel, not seen before, whose text
// contains every want, and marks it seen.
func (e *env) waitNew(seen map[string]bool, channel string, want ...string) slacktest.Message {
	e.t.Helper()
	m, err := e.srv.WaitForMessage(e.ctx, func(m slacktest.Message) bool {
		return m.Channel == channel && !seen[m.TS+"|"+m.Text] && says(m, want)
	})
	if err != nil {
		e.t.Fatalf("no new message in %s with %q: %v", channel, want, err)
	}
	seen[m.TS+"|"+m.Text] = true
	return m
}

func ephemeral(m slacktest.Message) bool { return m.Ephemeral || m.ResponseType == "ephemeral" }

// A company objective with two team children and a grandchild: /okr tree
// shows each below its parent with the rolled-up figures.
func TestTreeRollsUpProgress(t *testing.T) {
	e := treeEnv(t)
	co := e.aligned(company, "", "Expand into the European market", 30)
	eng := e.aligned(growth, co, "Make the product ready for Europe", 20)
	e.aligned(sales, co, "Sign the first European customers", 40, 80)
	e.aligned(growth, eng, "Localise checkout in five languages", 100)

	seen := map[string]bool{}
	e.okr(teamA, ben, growth, "tree")
	m := e.waitNew(seen, growth, "OKR alignment")
	// grandchild 100; eng (20 + 100) / 2 = 60; sales (40 + 80) / 2 = 60;
	// company (30 + 60 + 60) / 3 = 50.
	text := m.AllText()
	for _, want := range []string{
		"`▰▰▰▰▰▱▱▱▱▱` *50%* Expand into the European market · <#" + company + "> · from 1 key result (30%) and 2 aligned objectives",
		"↳ `▰▰▰▰▰▰▱▱▱▱` *60%* Make the product ready for Europe · <#" + growth + "> · from 1 key result (20%) and 1 aligned objective",
		"\u2003↳ `▰▰▰▰▰▰▰▰▰▰` *100%* Localise checkout in five languages",
		"↳ `▰▰▰▰▰▰▱▱▱▱` *60%* Sign the first European customers · <#" + sales + ">",
		"4 objectives in 1 tree · overall *50%*",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the tree lacks %q:\n%s", want, text)
		}
	}
	if ephemeral(m) {
		t.Errorf("a tree of public teams asked in a public channel was only for ben")
	}
	if strings.Index(text, "Localise checkout") < strings.Index(text, "Make the product ready") ||
		strings.Index(text, "Sign the first") < strings.Index(text, "Localise checkout") {
		t.Errorf("the tree is not in tree order:\n%s", text)
	}

	// #channel: the trees that team is in; another tree is left out.
	e.aligned(growth, "", "Make on-call sustainable", 10)
	e.okr(teamA, ben, growth, "tree <#"+sales+"|sales>")
	m = e.waitNew(seen, growth, "the trees <#"+sales+"> is in")
	if strings.Contains(m.AllText(), "Make on-call sustainable") || !strings.Contains(m.AllText(), "Localise checkout") {
		t.Errorf("/okr tree #sales:\n%s", m.AllText())
	}
}

// A private team's objective is left out of the tree of someone outside
// it, and its child shows as a root; a member sees both, only for
// themselves when asked in a public channel.
func TestTreeHidesPrivateTeams(t *testing.T) {
	e := treeEnv(t)
	co := e.aligned(company, "", "Expand into the European market", 30)
	hidden := e.aligned(secret, co, "Acquire a European competitor", 0)
	e.aligned(growth, hidden, "Prepare the integration plan", 50)

	seen := map[string]bool{}
	e.okr(teamA, ben, growth, "tree")
	m := e.waitNew(seen, growth, "OKR alignment")
	text := m.AllText()
	if strings.Contains(text, "Acquire a European competitor") || strings.Contains(text, secret) {
		t.Errorf("ben, outside #secret, sees its objective:\n%s", text)
	}
	for _, want := range []string{
		"`▰▰▰▱▱▱▱▱▱▱` *30%* Expand into the European market", // alone: the hidden child does not count
		"\n`▰▰▰▰▰▱▱▱▱▱` *50%* Prepare the integration plan",  // a root: no arrow
		"2 objectives in 2 trees",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ben's tree lacks %q:\n%s", want, text)
		}
	}

	e.okr(teamA, ana, growth, "tree")
	m = e.waitNew(seen, growth, "OKR alignment", "Acquire a European competitor")
	if !ephemeral(m) || m.EphemeralTo != "" && m.EphemeralTo != ana {
		t.Errorf("a tree with a private team's objective was posted in public #growth: %s", m)
	}
	// competitor 0%, its child 50%: (0 + 50) / 2 = 25%; company (30 + 25) / 2 = 28%.
	for _, want := range []string{
		"*28%* Expand into the European market",
		"↳ `▰▰▰▱▱▱▱▱▱▱` *25%* Acquire a European competitor · <#" + secret + ">",
		"\u2003↳ `▰▰▰▰▰▱▱▱▱▱` *50%* Prepare the integration plan",
	} {
		if !strings.Contains(m.AllText(), want) {
			t.Errorf("ana's tree lacks %q:\n%s", want, m.AllText())
		}
	}

	// In #secret itself, everyone may see it all: posted for the channel.
	e.okr(teamA, ana, secret, "tree")
	if m = e.waitNew(seen, secret, "Acquire a European competitor"); ephemeral(m) {
		t.Errorf("the tree in #secret was only for ana")
	}
	e.okr(teamA, ben, growth, "tree <#"+secret+"|secret>")
	e.waitNew(seen, growth, "That team's channel is private, and you are not in it.")
}

// A big tree is paged with "Show more", each page within 50 blocks, every
// objective shown once.
func TestTreePages(t *testing.T) {
	e := treeEnv(t)
	ids := []string{e.aligned(company, "", "Objective 000", 50)}
	for i := 1; i < 95; i++ {
		ids = append(ids, e.aligned(growth, ids[(i-1)/4], fmt.Sprintf("Objective %03d", i), 50))
	}
	seen := map[string]bool{}
	e.okr(teamA, ben, growth, "tree")
	page := e.waitNew(seen, growth, "OKR alignment", "Show more (40 of 95 shown)")
	shown := map[string]int{}
	for n := 1; ; n++ {
		if b := len(page.Blocks.BlockSet); b > 50 {
			t.Errorf("page %d has %d blocks", n, b)
		}
		for i := range ids {
			if strings.Contains(page.AllText(), fmt.Sprintf("Objective %03d", i)) {
				shown[fmt.Sprintf("%03d", i)]++
			}
		}
		if !strings.Contains(string(page.RawBlocks), "okr_tree_more") {
			break
		}
		if n > 5 {
			t.Fatal("the tree never ends")
		}
		if _, err := e.srv.PressButton(e.ctx, ben, page, "okr_tree_more"); err != nil {
			t.Fatal(err)
		}
		page = e.waitNew(seen, growth, "OKR alignment")
	}
	if len(shown) != 95 {
		t.Errorf("the pages showed %d objectives, want 95", len(shown))
	}
	for id, n := range shown {
		if n != 1 {
			t.Errorf("objective %s shown on %d pages", id, n)
		}
	}
	for _, c := range e.srv.Calls("") {
		if !c.OK() && c.Method != "conversations.info" {
			t.Errorf("Slack refused %s: %s", c.Method, c.Error)
		}
	}
}

// An objective created with "Shared with" shows in the status of its team
// and of the team sharing it, and in the tree with both teams.
func TestSharedObjectiveInBothTeamsStatus(t *testing.T) {
	e := treeEnv(t)
	v := e.openCreateWithKRs("Expand into the European market", 1)
	ack := e.submitForm(ana, v.ID, merge(
		slacktest.Values{"shared": {"v": []string{company}}},
		kr(0, "Raise EU revenue to $2M", "increase", "$0", "$2M", ben),
	))
	if len(ack.Errors()) > 0 {
		t.Fatalf("create: field errors %v", ack.Errors())
	}
	e.waitMessage(growth, "Created", "Expand into the European market")
	objs := e.teamObjectives(teamA, company)
	if len(objs) != 1 || objs[0].Team != growth || len(objs[0].SharedWith) != 1 || objs[0].SharedWith[0] != company {
		t.Fatalf("#company's objectives: %+v", objs)
	}
	seen := map[string]bool{}
	for _, team := range []string{growth, company} {
		e.okr(teamA, ben, team, "status")
		m := e.waitNew(seen, team, "OKR status", "Expand into the European market", "Raise EU revenue to $2M")
		if ephemeral(m) {
			t.Errorf("%s's status was only for ben", team)
		}
	}
	e.okr(teamA, ben, company, "tree")
	e.waitNew(seen, company, "OKR alignment", "Expand into the European market · <#"+growth+"> + <#"+company+">")
}

// Sharing an objective with a private team one is not in is refused and
// stores nothing; then the edit form moves the sharing to another team.
func TestSharedWithChecksEachTeam(t *testing.T) {
	e := treeEnv(t)
	seen := map[string]bool{}
	e.okr(teamA, ben, growth, "new Sneak into the board")
	v := e.waitModal(ben, "okr_objective")
	e.submitForm(ben, v.ID, merge(slacktest.Values{"shared": {"v": []string{secret}}},
		kr(0, "Read the board's plans", "increase", "0", "10", ben)))
	e.waitNew(seen, growth, "That team's channel is private, and you are not in it.")
	for _, team := range []string{growth, secret} {
		if objs := e.teamObjectives(teamA, team); len(objs) != 0 {
			t.Errorf("%s has %d objectives after a refused create", team, len(objs))
		}
	}

	v = e.openCreateWithKRs("Expand into the European market", 1)
	e.submitForm(ana, v.ID, merge(slacktest.Values{"shared": {"v": []string{company}}},
		kr(0, "Raise EU revenue to $2M", "increase", "$0", "$2M", ben)))
	e.waitMessage(growth, "Created", "Expand into the European market")
	objs := e.teamObjectives(teamA, growth)
	if len(objs) != 1 {
		t.Fatalf("#growth has %d objectives, want 1", len(objs))
	}
	v = e.pick(ana, "edit", objs[0].ID)
	if !strings.Contains(string(v.RawBlocks), company) {
		t.Fatalf("the edit form is not prefilled with #company")
	}
	e.submitForm(ana, v.ID, slacktest.Values{"shared": {"v": []string{sales}}})
	e.waitNew(seen, growth, "Saved", "Expand into the European market")
	if objs := e.teamObjectives(teamA, company); len(objs) != 0 {
		t.Errorf("#company still has the objective after it stopped sharing it")
	}
	if objs := e.teamObjectives(teamA, sales); len(objs) != 1 || objs[0].SharedWith[0] != sales {
		t.Errorf("#sales's objectives: %+v", objs)
	}
}

// The people of a team sharing an objective propose key results for it,
// as its own team's do.
func TestSharingTeamProposes(t *testing.T) {
	e := treeEnv(t)
	e.srv.AddUser(slacktest.User{ID: mia, TeamID: teamA, Name: "mia"})
	e.srv.AddChannel(slacktest.Channel{ID: company, TeamID: teamA, Name: "company", Members: []string{ana, ben, carla, mia}, BotIsMember: true})
	v := e.openCreateWithKRs("Expand into the European market", 1)
	e.submitForm(ana, v.ID, merge(slacktest.Values{"shared": {"v": []string{company}}},
		kr(0, "Raise EU revenue to $2M", "increase", "$0", "$2M", ben)))
	e.waitMessage(growth, "Created", "Expand into the European market")

	e.okr(teamA, mia, company, "propose Localise checkout in five languages")
	v = e.waitModal(mia, "okr_add_kr")
	ack, err := e.srv.SubmitView(e.ctx, mia, v.ID, kr(0, "Localise checkout in five languages", "increase", "0", "5", mia))
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("propose: %v %v", err, ack.Errors())
	}
	e.waitMessage(e.srv.DMChannel(ana), "<@"+mia+"> proposes a key result", "Localise checkout in five languages")
}

// An edit that would align an objective to one of its own descendants is
// refused, and nothing changes: the alignment never goes round in circles.
func TestNoLoopOfParents(t *testing.T) {
	e := treeEnv(t)
	top := e.aligned(growth, "", "Win the European market", 50)
	mid := e.aligned(growth, top, "Localise the product", 40)
	leaf := e.aligned(growth, mid, "Ship German and French", 30)
	v := e.pick(ana, "edit", top)
	v, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.ID == v.ID && strings.Contains(string(x.RawBlocks), `"block_id":"parent"`)
	})
	if err != nil {
		t.Fatalf("the edit form offers no parents: %v", err)
	}
	ack := e.submitForm(ana, v.ID, slacktest.Values{"parent": {"v": leaf}})
	if len(ack.Errors()) > 0 {
		t.Fatalf("edit: %v", ack.Errors())
	}
	e.waitMessage("", "“Ship German and French” already aligns to this objective (through 2 levels)", "go round in a circle")
	got, err := e.main.Store.Objective(e.ctx, teamA, top)
	if err != nil {
		t.Fatal(err)
	}
	if got.ParentID != "" {
		t.Errorf("the top objective now aligns to %q", got.ParentID)
	}
	// Aligning the leaf elsewhere up the chain is fine.
	v = e.pick(ana, "edit", leaf)
	v, err = e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
		return x.ID == v.ID && strings.Contains(string(x.RawBlocks), `"block_id":"parent"`)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.submitForm(ana, v.ID, slacktest.Values{"parent": {"v": top}})
	e.waitMessage(growth, "Saved", "Ship German and French")
	if got, err := e.main.Store.Objective(e.ctx, teamA, leaf); err != nil || got.ParentID != top {
		t.Errorf("the leaf aligns to %q (%v), want the top objective", got.ParentID, err)
	}
}

// A key result of a shared objective is asked about once a period, by its
// objective's own team, even when both teams' prompts are due at once.
func TestSharedObjectiveIsPromptedOnce(t *testing.T) {
	e := treeEnv(t)
	shared := e.aligned(growth, "", "Expand into the European market", 10)
	e.aligned(company, "", "Make the company handbook searchable", 20)
	if _, err := e.main.Store.UpdateObjective(e.ctx, teamA, shared, func(o *okrs.Objective) error {
		o.SharedWith = []string{company}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Both teams default to Monday 10:00 UTC: move to next Monday's (the
	// check-ins aligned records are this week's), and sweep twice.
	e.advance(time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC).Sub(e.clock()))
	e.sweep()
	e.sweep()
	dm := e.srv.DMChannel(ana)
	e.waitMessage(dm, "Expand into the European market result 1")
	e.waitMessage(dm, "Make the company handbook searchable result 1")
	n := 0
	for _, m := range e.srv.Messages(dm) {
		if strings.Contains(m.AllText(), "Expand into the European market result 1") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the shared key result was asked about in %d prompts, want 1", n)
	}
}
