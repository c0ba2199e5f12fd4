package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// The team proposes key results; the objective's owner decides. In these
// tests ana owns "Delight new customers" in #growth (three key results) and
// ben, in #growth, proposes.

// proposeForm runs /okr propose as user in #growth and returns the form
// (the only objective's, straight away).
func (e *env) proposeForm(user, text string) *slacktest.View {
	e.t.Helper()
	e.okr(teamA, user, growth, strings.TrimSpace("propose "+text))
	return e.waitModal(user, "okr_add_kr")
}

// propose has ben propose a key result for ana's objective through
// /okr propose and returns ana's DM about it, once it is there.
func (e *env) propose(title, start, target string) slacktest.Message {
	e.t.Helper()
	v := e.proposeForm(ben, "")
	ack, err := e.srv.SubmitView(e.ctx, ben, v.ID, kr(0, title, "increase", start, target, ben))
	if err != nil || len(ack.Errors()) > 0 {
		e.t.Fatalf("propose %q: %v %v", title, err, ack.Errors())
	}
	return e.waitMessage(e.srv.DMChannel(ana), "proposes a key result", title)
}

// objective returns ana's objective as stored now.
func (e *env) objective(id string) *okrs.Objective {
	e.t.Helper()
	o, err := e.main.Store.Objective(e.ctx, teamA, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// pressForged sends a block action built by hand (a replayed or forged
// payload) as user of team, on a message in channel.
func (e *env) pressForged(user, team, channel, actionID, value string) {
	e.t.Helper()
	cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, User: slack.User{ID: user, TeamID: team}, Team: slack.Team{ID: team},
		Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: channel}}}}
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: actionID, BlockID: "proposal", Value: value}}
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		e.t.Fatal(err)
	}
}

// waitEdited waits until the message m was edited to say want.
func (e *env) waitEdited(m slacktest.Message, want ...string) slacktest.Message {
	e.t.Helper()
	got, err := e.srv.WaitForMessage(e.ctx, func(x slacktest.Message) bool {
		if x.Channel != m.Channel || x.TS != m.TS || x.Edits == 0 {
			return false
		}
		for _, w := range want {
			if !strings.Contains(x.AllText(), w) {
				return false
			}
		}
		return true
	})
	if err != nil {
		e.t.Fatalf("message %s/%s was not updated to say %q: %v", m.Channel, m.TS, want, err)
	}
	return got
}

// newViewText waits for a view of user's, one the test has not seen, saying
// want (a modal that turned into a refusal, say).
func (e *env) newViewText(user, want string) {
	e.t.Helper()
	v, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.UserID == user && v.Type == "modal" && !e.seenViews[v.ID] && strings.Contains(v.AllText(), want)
	})
	if err != nil {
		e.t.Fatalf("no new view for %s saying %q: %v", user, want, err)
	}
	e.seenViews[v.ID] = true
}

func hasAction(m slacktest.Message, id string) bool {
	return strings.Contains(strings.Join(m.ActionIDs(), ","), id)
}

func TestProposeAndAccept(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	for _, u := range []string{ana, ben} { // their App Homes are open: they are refreshed
		if _, err := e.srv.AppHomeOpened(e.ctx, u); err != nil {
			t.Fatal(err)
		}
	}

	// /okr propose with text: the only objective's form, titled from it.
	v := e.proposeForm(ben, "Lift NPS of new customers")
	if v.Title != "Propose a key result" || !strings.Contains(string(v.RawBlocks), `"initial_value":"Lift NPS of new customers"`) ||
		!strings.Contains(v.AllText(), "Its owner, <@"+ana+">, accepts") {
		t.Errorf("propose form: %q %s", v.Title, v.AllText())
	}
	// The form checks values like any key-result form.
	ack, err := e.srv.SubmitView(e.ctx, ben, v.ID, kr(0, "Lift NPS of new customers", "increase", "20", "lots", ben))
	if err != nil {
		t.Fatal(err)
	}
	if ack.Errors()["kr0_target"] == "" {
		t.Errorf("a target that is not a number: errors %v", ack.Errors())
	}
	ack, err = e.srv.SubmitView(e.ctx, ben, v.ID, kr(0, "Lift NPS of new customers", "increase", "20", "45", ben))
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("propose: %v %v", err, ack.Errors())
	}

	// Ana's DM has the proposal and the decision buttons; ben's says where it went.
	toAna := e.waitMessage(e.srv.DMChannel(ana), "<@"+ben+"> proposes a key result", "Lift NPS of new customers", "from 20 up to 45")
	for _, id := range []string{"okr_proposal_accept", "okr_proposal_adjust", "okr_proposal_decline"} {
		if !hasAction(toAna, id) {
			t.Errorf("ana's DM lacks %s: %v", id, toAna.ActionIDs())
		}
	}
	toBen := e.waitMessage(e.srv.DMChannel(ben), "Your key result for", "was sent to <@"+ana+">")
	if !hasAction(toBen, "okr_proposal_withdraw") {
		t.Errorf("ben's DM lacks Withdraw: %v", toBen.ActionIDs())
	}
	stored := e.objective(o.ID)
	if len(stored.KeyResults) != 3 || len(stored.Pending()) != 1 {
		t.Fatalf("after the proposal: %d key results, %d pending", len(stored.KeyResults), len(stored.Pending()))
	}
	p := stored.Pending()[0]
	if p.ProposedBy != ben || !p.ProposedAt.Equal(e.clock()) || p.KeyResult.Owner != ben || p.KeyResult.Start != 20 || p.KeyResult.Target != 45 {
		t.Errorf("stored proposal = %+v", p)
	}

	// Ana's App Home lists it with the buttons; /okr status counts it.
	home, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ana && strings.Contains(v.AllText(), "Key results proposed to you")
	})
	if err != nil {
		t.Fatalf("ana's App Home does not list the proposal: %v", err)
	}
	if !strings.Contains(home.AllText(), "Lift NPS of new customers") || !strings.Contains(strings.Join(home.ActionIDs(), ","), "okr_proposal_accept") {
		t.Errorf("ana's App Home: %s %v", home.AllText(), home.ActionIDs())
	}
	e.okr(teamA, ana, growth, "status")
	status := e.waitMessage(growth, "OKR status", "1 proposal waiting for <@"+ana+">")
	if !hasAction(status, "okr_propose") {
		t.Errorf("status lacks the Propose button: %v", status.ActionIDs())
	}
	if strings.Contains(status.AllText(), "Lift NPS") {
		t.Error("status shows a pending proposal's details to the channel; want a count")
	}

	// Ana accepts: the key result is ben's, ben hears it, both DMs show the outcome.
	if _, err := e.srv.PressButton(e.ctx, ana, toAna, "okr_proposal_accept"); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(e.srv.DMChannel(ben), "<@"+ana+"> accepted your key result", "Lift NPS of new customers", "owned by <@"+ben+">")
	if m := e.waitEdited(toAna, "Accepted by <@"+ana+">"); hasAction(m, "okr_proposal_accept") {
		t.Errorf("ana's DM still offers Accept: %v", m.ActionIDs())
	}
	if m := e.waitEdited(toBen, "Accepted by <@"+ana+">"); hasAction(m, "okr_proposal_withdraw") {
		t.Errorf("ben's DM still offers Withdraw: %v", m.ActionIDs())
	}
	stored = e.objective(o.ID)
	added := stored.KeyResults[len(stored.KeyResults)-1]
	if len(stored.KeyResults) != 4 || added.Title != "Lift NPS of new customers" || added.Owner != ben || added.Target != 45 || added.ID == "" {
		t.Errorf("after accepting: %d key results, the last %+v", len(stored.KeyResults), added)
	}
	rec := stored.Proposals[0]
	if rec.State != okrs.ProposalAccepted || rec.ProposedBy != ben || rec.DecidedBy != ana || !rec.DecidedAt.Equal(e.clock()) || len(rec.Changes) != 0 {
		t.Errorf("the objective's record of the proposal = %+v", rec)
	}
	if len(stored.Pending()) != 0 {
		t.Errorf("%d proposals still pending", len(stored.Pending()))
	}
	// Ben's App Home now has the key result; ana's, refreshed before his, no
	// longer lists the proposal.
	if _, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ben && strings.Contains(v.AllText(), "Lift NPS of new customers")
	}); err != nil {
		t.Errorf("ben's App Home lacks his new key result: %v", err)
	}
	if h := e.srv.HomeView(ana); h == nil || strings.Contains(h.AllText(), "Key results proposed to you") {
		t.Errorf("ana's App Home still lists the decided proposal")
	}
	// A replayed Accept changes nothing and says nothing: it is done.
	e.pressForged(ana, teamA, toAna.Channel, "okr_proposal_accept", o.ID+"|"+rec.ID)
	e.waitLog("proposal decided already by the same person")
	if n := len(e.objective(o.ID).KeyResults); n != 4 {
		t.Errorf("a replayed Accept: %d key results, want 4", n)
	}
}

func TestProposalAcceptedOnceOnADoubleClick(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	toAna := e.propose("Lift NPS of new customers", "20", "45")
	e.pressTwice(ana, toAna, "okr_proposal_accept")
	e.waitMessage(e.srv.DMChannel(ben), "accepted your key result")
	s := e.settle()
	got, err := s.Objective(e.ctx, teamA, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.KeyResults) != 4 {
		t.Errorf("a double click on Accept: %d key results, want 4", len(got.KeyResults))
	}
	if n := e.countMessages("accepted your key result"); n != 1 {
		t.Errorf("ben was told %d times, want once", n)
	}
}

func TestProposeAdjustAndAccept(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	toAna := e.propose("Lift NPS of new customers", "20", "45")
	if _, err := e.srv.PressButton(e.ctx, ana, toAna, "okr_proposal_adjust"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_add_kr")
	if v.Title != "Adjust and accept" || v.Submit != "Accept" {
		t.Errorf("adjust form: %q / %q", v.Title, v.Submit)
	}
	for _, want := range []string{`"initial_value":"Lift NPS of new customers"`, `"initial_value":"20"`, `"initial_value":"45"`, `"initial_user":"` + ben + `"`} {
		if !strings.Contains(string(v.RawBlocks), want) {
			t.Errorf("the adjust form is not prefilled with %s", want)
		}
	}
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"kr0_target": {"v": "50"}, "kr0_owner": {"v": carla}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("adjust: %v %v", err, ack.Errors())
	}
	told := e.waitMessage(e.srv.DMChannel(ben), "<@"+ana+"> accepted your key result", "with changes")
	for _, want := range []string{"• target: 45 → 50", "• owner: <@" + ben + "> → <@" + carla + ">"} {
		if !strings.Contains(told.AllText(), want) {
			t.Errorf("ben's DM does not list %q:\n%s", want, told.AllText())
		}
	}
	e.waitEdited(toAna, "Accepted by <@"+ana+">", "with changes", "• target: 45 → 50")
	stored := e.objective(o.ID)
	added := stored.KeyResults[len(stored.KeyResults)-1]
	if len(stored.KeyResults) != 4 || added.Target != 50 || added.Owner != carla || added.Start != 20 {
		t.Errorf("the adjusted key result = %+v", added)
	}
	if p := stored.Proposals[0]; p.State != okrs.ProposalAccepted || len(p.Changes) != 2 || p.KeyResult.Target != 45 {
		t.Errorf("the record keeps what was proposed and what changed: %+v", p)
	}
}

func TestProposeAndDecline(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	toAna := e.propose("Lift NPS of new customers", "20", "45")
	if _, err := e.srv.PressButton(e.ctx, ana, toAna, "okr_proposal_decline"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_decline")
	if !strings.Contains(v.AllText(), "Lift NPS of new customers") {
		t.Errorf("decline form: %s", v.AllText())
	}
	if _, err := e.srv.SubmitView(e.ctx, ana, v.ID, slacktest.Values{"reason": {"v": "We measure NPS next quarter <for real>"}}); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(e.srv.DMChannel(ben), "<@"+ana+"> declined your key result", "“We measure NPS next quarter &lt;for real&gt;”")
	e.waitEdited(toAna, "Declined by <@"+ana+">", "We measure NPS next quarter")
	stored := e.objective(o.ID)
	if len(stored.KeyResults) != 3 {
		t.Errorf("a declined proposal added a key result: %d", len(stored.KeyResults))
	}
	if p := stored.Proposals[0]; p.State != okrs.ProposalDeclined || p.DecidedBy != ana || p.Reason != "We measure NPS next quarter <for real>" {
		t.Errorf("record = %+v", p)
	}
	// Accepting it afterwards (a stale button) is refused: it says how it ended.
	e.pressForged(ana, teamA, toAna.Channel, "okr_proposal_accept", o.ID+"|"+stored.Proposals[0].ID)
	e.waitMessage(toAna.Channel, "Nothing changed", "Declined by <@"+ana+">")
	if n := len(e.objective(o.ID).KeyResults); n != 3 {
		t.Errorf("accepting a declined proposal: %d key results", n)
	}
}

func TestWithdrawProposal(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	toAna := e.propose("Lift NPS of new customers", "20", "45")
	toBen := e.waitMessage(e.srv.DMChannel(ben), "was sent to <@"+ana+">")
	if _, err := e.srv.PressButton(e.ctx, ben, toBen, "okr_proposal_withdraw"); err != nil {
		t.Fatal(err)
	}
	if m := e.waitEdited(toAna, "Withdrawn by <@"+ben+">"); hasAction(m, "okr_proposal_accept") {
		t.Errorf("ana's DM still offers Accept after the withdrawal: %v", m.ActionIDs())
	}
	e.waitEdited(toBen, "Withdrawn by <@"+ben+">")
	pid := e.objective(o.ID).Proposals[0].ID
	// Ana's Accept from before (a stale button) is refused.
	e.pressForged(ana, teamA, toAna.Channel, "okr_proposal_accept", o.ID+"|"+pid)
	e.waitMessage(toAna.Channel, "Nothing changed", "Withdrawn by <@"+ben+">")
	stored := e.objective(o.ID)
	if len(stored.KeyResults) != 3 || stored.Proposals[0].State != okrs.ProposalWithdrawn || stored.Proposals[0].DecidedBy != ben {
		t.Errorf("after withdrawing: %d key results, %+v", len(stored.KeyResults), stored.Proposals[0])
	}
}

// Only the owner decides; only members of the team who belong to the
// workspace propose. Refusals change nothing.
func TestProposalPermissions(t *testing.T) {
	e, o := permEnv(t) // #growth: ana, ben, carla (admin), mia, mgr, gus (guest), xena (partner), dan (Globex)
	unchanged := func(what string, before snapshot) {
		t.Helper()
		if after := e.snapshot(); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: refused, yet something changed:\nbefore %+v\nafter  %+v", what, before, after)
		}
	}

	t.Run("guests and other organisations cannot propose", func(t *testing.T) {
		for _, u := range []string{gus, xena, dan} {
			before := e.snapshot()
			e.okr(teamA, u, growth, "propose Partner NPS")
			e.viewText(u, outsiderText)
			// Nor by a form built by hand, for ana's objective.
			seen := e.mark()
			meta, _ := json.Marshal(map[string]any{"m": "propose", "o": o.ID, "c": growth, "y": o.Cycle, "n": 1})
			cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: u}}
			cb.View = slack.View{ID: "VFORGED-" + u, CallbackID: "okr_add_kr", PrivateMetadata: string(meta), State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
				"kr0_title": {"v": {Value: "Partner NPS"}}, "kr0_kind": {"v": {SelectedOption: slack.OptionBlockObject{Value: "increase"}}},
				"kr0_start": {"v": {Value: "1"}}, "kr0_target": {"v": {Value: "2"}}, "kr0_owner": {"v": {SelectedUser: u}},
			}}}
			if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
				t.Fatal(err)
			}
			e.answer(seen, u, outsiderText)
			unchanged("a proposal by "+u, before)
		}
	})
	t.Run("another workspace's id is not found", func(t *testing.T) {
		before := e.snapshot()
		e.pressForged(dan, teamB, globex, "okr_propose", o.ID)
		e.waitViewText(dan, "That objective does not exist")
		unchanged("dan's Propose from Globex", before)
	})
	t.Run("someone outside the team's channel cannot propose", func(t *testing.T) {
		const uma = "UUMA9" // Acme, not in #growth
		e.srv.AddUser(slacktest.User{ID: uma, TeamID: teamA, Name: "uma"})
		before := e.snapshot()
		e.pressForged(uma, teamA, sales, "okr_propose", o.ID)
		e.waitViewText(uma, "Only people in <#"+growth+"> can propose")
		unchanged("uma's Propose", before)
	})

	// Mia, in #growth, proposes for ana's objective (the picker: #growth has two).
	e.okr(teamA, mia, growth, "propose")
	p := e.waitModal(mia, "okr_pick")
	if _, err := e.srv.Act(e.ctx, mia, p, "okr_pick_objective", o.ID); err != nil {
		t.Fatal(err)
	}
	form, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool { return v.ID == p.ID && v.CallbackID == "okr_add_kr" })
	if err != nil {
		t.Fatalf("the picker did not lead to the form: %v", err)
	}
	if ack, err := e.srv.SubmitView(e.ctx, mia, form.ID, kr(0, "Lift NPS of new customers", "increase", "20", "45", mia)); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("mia's proposal: %v %v", err, ack.Errors())
	}
	toAna := e.waitMessage(e.srv.DMChannel(ana), "<@"+mia+"> proposes a key result")
	e.waitLog("proposal DMs remembered") // the proposal's last write
	pid := e.objective(o.ID).Pending()[0].ID

	t.Run("only the owner decides", func(t *testing.T) {
		// Ben (he owns a key result) and carla (a workspace admin) press
		// Accept and Decline with the payload of ana's buttons.
		for _, u := range []string{ben, carla, mia} {
			for _, action := range []string{"okr_proposal_accept", "okr_proposal_decline", "okr_proposal_adjust"} {
				before, seen := e.snapshot(), e.mark()
				e.pressForged(u, teamA, growth, action, o.ID+"|"+pid)
				if action == "okr_proposal_accept" {
					e.answer(seen, u, "Only the objective's owner decides")
				} else {
					e.newViewText(u, "Only the objective's owner decides")
				}
				unchanged(u+" "+action, before)
			}
		}
		// Nor does ben's hand-built "adjust and accept" form.
		before, seen := e.snapshot(), e.mark()
		meta, _ := json.Marshal(map[string]any{"m": "adjust", "o": o.ID, "p": pid, "c": growth, "y": o.Cycle, "n": 1})
		cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: ben}}
		cb.View = slack.View{ID: "VFORGED-ADJUST", CallbackID: "okr_add_kr", PrivateMetadata: string(meta), State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"kr0_title": {"v": {Value: "Lift NPS of new customers"}}, "kr0_kind": {"v": {SelectedOption: slack.OptionBlockObject{Value: "increase"}}},
			"kr0_start": {"v": {Value: "20"}}, "kr0_target": {"v": {Value: "90"}}, "kr0_owner": {"v": {SelectedUser: ben}},
		}}}
		if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
			t.Fatal(err)
		}
		e.answer(seen, ben, "Only the objective's owner decides")
		unchanged("ben's forged adjustment", before)

		// Ana cannot withdraw mia's proposal (she is told so in her DM).
		before = e.snapshot()
		e.pressForged(ana, teamA, toAna.Channel, "okr_proposal_withdraw", o.ID+"|"+pid)
		e.waitMessage(toAna.Channel, "Only the person who proposed a key result can withdraw it")
		if after := e.snapshot(); !reflect.DeepEqual(before.objs, after.objs) {
			t.Errorf("ana's withdrawal of mia's proposal changed the objectives:\nbefore %+v\nafter  %+v", before.objs, after.objs)
		}
	})
	t.Run("a guest's decision is refused", func(t *testing.T) {
		before, seen := e.snapshot(), e.mark()
		e.pressForged(gus, teamA, growth, "okr_proposal_accept", o.ID+"|"+pid)
		e.answer(seen, gus, outsiderText)
		unchanged("gus's Accept", before)
	})
	if got := e.objective(o.ID); len(got.Pending()) != 1 || len(got.KeyResults) != 3 {
		t.Errorf("after the refusals: %d pending, %d key results", len(got.Pending()), len(got.KeyResults))
	}
}

// With the team's setting "anyone may add key results directly", the same
// form adds the key result at once.
func TestTeamAddsKeyResultsDirectly(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	// Ana sets it up in /okr settings (no managers yet: anyone may).
	e.okr(teamA, ana, growth, "settings")
	s := e.waitModal(ana, "okr_settings")
	if !strings.Contains(string(s.RawBlocks), `"kr_policy"`) {
		t.Fatalf("the settings lack the key-result policy")
	}
	if ack, err := e.srv.SubmitView(e.ctx, ana, s.ID, slacktest.Values{"kr_policy": {"v": "direct"}}); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("settings: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Saved.", "Anyone in the team may add key results directly")
	if st, _ := e.main.Store.Settings(e.ctx, teamA, growth); !st.DirectKeyResults {
		t.Fatal("the setting was not saved")
	}

	v := e.proposeForm(ben, "")
	if v.Title != "Add a key result" || v.Submit != "Add" {
		t.Errorf("with direct adds, ben's form reads %q / %q", v.Title, v.Submit)
	}
	if ack, err := e.srv.SubmitView(e.ctx, ben, v.ID, kr(0, "Lift NPS of new customers", "increase", "20", "45", ben)); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("add: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Added *Lift NPS of new customers* to *Delight new customers*")
	stored := e.objective(o.ID)
	if len(stored.KeyResults) != 4 || stored.KeyResults[3].Owner != ben || len(stored.Proposals) != 0 {
		t.Errorf("with direct adds: %d key results, %d proposals", len(stored.KeyResults), len(stored.Proposals))
	}
	for _, m := range e.srv.Messages(e.srv.DMChannel(ana)) {
		if strings.Contains(m.AllText(), "proposes a key result") {
			t.Errorf("ana got a proposal although the team adds directly: %s", m.AllText())
		}
	}
}

// The objective's owner adds directly from the same button, in either mode.
func TestOwnerAddsFromTheProposeButton(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.okr(teamA, ana, growth, "status")
	status := e.waitMessage(growth, "OKR status")
	if _, err := e.srv.PressButton(e.ctx, ana, status, "okr_propose"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ana, "okr_add_kr")
	if v.Title != "Add a key result" {
		t.Errorf("the owner's form reads %q", v.Title)
	}
	if ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, kr(0, "Cut churn", "decrease", "5%", "3%", ana)); err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("add: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Added *Cut churn*")
	if got := e.objective(o.ID); len(got.KeyResults) != 4 || len(got.Proposals) != 0 {
		t.Errorf("%d key results, %d proposals", len(got.KeyResults), len(got.Proposals))
	}
}
