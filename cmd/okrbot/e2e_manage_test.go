package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

// pick runs /okr <cmd> in #growth as user and chooses objective id in the
// picker; it returns the modal that follows.
func (e *env) pick(user, cmd, id string) *slacktest.View {
	e.t.Helper()
	e.okr(teamA, user, growth, cmd)
	p := e.waitModal(user, "okr_pick")
	if _, err := e.srv.Act(e.ctx, user, p, "okr_pick_objective", id); err != nil {
		e.t.Fatal(err)
	}
	v, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool { return v.ID == p.ID && v.Updates > p.Updates })
	if err != nil {
		e.t.Fatalf("picker did not lead on: %v", err)
	}
	return v
}

func TestEditKeepsTargetHistory(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	e.advance(48 * time.Hour)
	v := e.pick(ana, "edit", o.ID)
	if v.CallbackID != "okr_objective" || v.Title != "Edit objective" {
		t.Fatalf("edit modal = %s %q", v.CallbackID, v.Title)
	}
	// Prefilled with current values.
	for _, want := range []string{"Delight new customers", "Raise week-1 activation", "40%", "60%", "400 ms", "280 ms"} {
		if !strings.Contains(string(v.RawBlocks), want) {
			t.Errorf("edit modal lacks %q", want)
		}
	}
	// (Two key results are left: the coach's review step says "3 to 5";
	// saved anyway.)
	ack := e.submitForm(ana, v.ID, slacktest.Values{
		"title": {"v": "Delight every new customer"}, "kr0_target": {"v": "70%"}, "kr2_archive": {"v": []string{"archive"}},
	})
	if len(ack.Errors()) > 0 {
		t.Fatalf("edit: %v", ack.Errors())
	}
	e.waitMessage(growth, "Saved", "Delight every new customer")
	got, err := e.main.Store.Objective(e.ctx, teamA, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	k := got.KeyResults[0]
	if got.Title != "Delight every new customer" || k.Target != 70 || len(k.TargetHistory) != 1 {
		t.Fatalf("after edit: %q, target %v, history %+v", got.Title, k.Target, k.TargetHistory)
	}
	if h := k.TargetHistory[0]; h.By != ana || h.From != 60 || h.To != 70 || !h.At.Equal(e.clock()) {
		t.Errorf("target history = %+v, want ana 60 → 70 at %v", h, e.clock())
	}
	if !got.KeyResults[2].Archived || got.KeyResults[1].Archived || got.KeyResults[1].Target != 280 {
		t.Errorf("archive flags / untouched KR: %+v", got.KeyResults)
	}
	// The history shows when the objective is edited again.
	v = e.pick(ana, "edit", o.ID)
	if !strings.Contains(v.AllText(), "target 60% → 70% by <@"+ana+">") {
		t.Errorf("the edit modal does not show the target's history:\n%s", v.AllText())
	}
}

func TestArchiveObjective(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	v := e.pick(ana, "archive", o.ID)
	if v.CallbackID != "okr_archive" || !strings.Contains(v.AllText(), "Delight new customers") {
		t.Fatalf("archive modal = %s %s", v.CallbackID, v.AllText())
	}
	if _, err := e.srv.SubmitView(e.ctx, ana, v.ID, nil); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(growth, "Archived", "Delight new customers")
	if objs := e.teamObjectives(teamA, growth); len(objs) != 0 {
		t.Errorf("archived objective still listed: %d", len(objs))
	}
	got, _ := e.main.Store.Objective(e.ctx, teamA, o.ID)
	if !got.Archived || got.ArchivedBy != ana {
		t.Errorf("archived = %v by %q", got.Archived, got.ArchivedBy)
	}
}

func TestPermissions(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective() // owned and created by ana; ben owns one KR

	t.Run("non-owner is refused", func(t *testing.T) {
		v := e.pick(ben, "edit", o.ID)
		if !strings.Contains(v.AllText(), "Only the objective's owner, its creator or a workspace admin") {
			t.Errorf("ben got %q: %s", v.Title, v.AllText())
		}
		v = e.pick(ben, "archive", o.ID)
		if v.CallbackID == "okr_archive" {
			t.Error("ben got the archive form")
		}
	})
	t.Run("forged submission is refused", func(t *testing.T) {
		// Ben replays an archive form with ana's objective id in its metadata.
		meta, _ := json.Marshal(map[string]string{"m": "archive", "o": o.ID, "c": growth})
		cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: ben, TeamID: teamA}, Team: slack.Team{ID: teamA}}
		cb.View = slack.View{ID: "VFORGED", CallbackID: "okr_archive", PrivateMetadata: string(meta), State: &slack.ViewState{}}
		if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
			t.Fatal(err)
		}
		e.waitMessage("", "Only the objective's owner")
		if got, _ := e.main.Store.Objective(e.ctx, teamA, o.ID); got.Archived {
			t.Error("a forged archive by a non-owner went through")
		}
	})
	t.Run("id from another workspace is not found", func(t *testing.T) {
		// Dan, in Globex, presses a menu with Acme's objective id.
		cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, User: slack.User{ID: dan, TeamID: teamB}, Team: slack.Team{ID: teamB},
			Channel: slack.Channel{GroupConversation: slack.GroupConversation{Conversation: slack.Conversation{ID: globex}}}}
		cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: "okr_objective_menu", SelectedOption: slack.OptionBlockObject{Value: "archive|" + o.ID}}}
		if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
			t.Fatal(err)
		}
		e.waitViewText(dan, "That objective does not exist")
		meta, _ := json.Marshal(map[string]string{"m": "archive", "o": o.ID})
		sub := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: dan, TeamID: teamB}, Team: slack.Team{ID: teamB}}
		sub.View = slack.View{ID: "VFORGED2", CallbackID: "okr_archive", PrivateMetadata: string(meta), State: &slack.ViewState{}}
		if _, err := e.srv.Interaction(e.ctx, sub); err != nil {
			t.Fatal(err)
		}
		e.waitMessage(e.srv.DMChannel(dan), "That objective does not exist") // dan is told, in his own workspace
		if got, _ := e.main.Store.Objective(e.ctx, teamA, o.ID); got.Archived {
			t.Error("an id from another workspace archived Acme's objective")
		}
	})
	t.Run("workspace admin may edit", func(t *testing.T) {
		v := e.pick(carla, "edit", o.ID)
		if v.CallbackID != "okr_objective" {
			t.Fatalf("admin got %s: %s", v.CallbackID, v.AllText())
		}
		if ack := e.submitForm(carla, v.ID, slacktest.Values{"description": {"v": "Set by an admin"}}); len(ack.Errors()) > 0 {
			t.Fatalf("%v", ack.Errors())
		}
		e.waitMessage("", "Saved")
		if got, _ := e.main.Store.Objective(e.ctx, teamA, o.ID); got.Description != "Set by an admin" {
			t.Errorf("description = %q", got.Description)
		}
	})
}

func TestStatus(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	// Ana checks in on activation (directly in the store: check-ins arrive with the next issue).
	e.advance(24 * time.Hour)
	if _, err := e.main.Store.RecordCheckIns(e.ctx, teamA, []okrs.CheckIn{{KeyResultID: o.KeyResults[0].ID, Author: ana, At: e.clock(),
		Value: 52, Confidence: okrs.Confidence{Level: okrs.AtRisk}}}); err != nil {
		t.Fatal(err)
	}

	t.Run("in a channel", func(t *testing.T) {
		e.okr(teamA, ben, growth, "status")
		m := e.waitMessage(growth, "OKR status · 2026-Q4", "Delight new customers")
		if m.ResponseType != "in_channel" {
			t.Errorf("status is %q, want in_channel", m.ResponseType)
		}
		for _, want := range []string{"Raise week-1 activation", "52% / 60%", "60%", "At risk", "<@" + ana + ">", "checked in today",
			"Cut P99 checkout latency", "400 ms / 280 ms", "No check-in yet", "Onboarding guide live", "Not done", "expected"} {
			if !strings.Contains(m.AllText(), want) {
				t.Errorf("status lacks %q:\n%s", want, m.AllText())
			}
		}
	})
	t.Run("for a person", func(t *testing.T) {
		e.okr(teamA, ana, sales, "status <@"+ben+"|ben>")
		m := e.waitMessage(sales, "OKR status", "Cut P99 checkout latency")
		if strings.Contains(m.AllText(), "Raise week-1 activation") {
			t.Errorf("person status shows someone else's KR:\n%s", m.AllText())
		}
	})
	t.Run("for another channel", func(t *testing.T) {
		e.okr(teamA, ana, sales, "status <#"+growth+"|growth>")
		e.waitMessage(sales, "<#"+growth+">", "Raise week-1 activation")
	})
	t.Run("a channel without objectives", func(t *testing.T) {
		e.okr(teamA, ana, sales, "status")
		e.waitMessage(sales, "No objectives for <#"+sales+">")
	})
	t.Run("bad argument", func(t *testing.T) {
		e.okr(teamA, ana, growth, "status #nowhere")
		e.waitMessage(growth, "couldn't tell which channel")
	})
	t.Run("stale after 8 days", func(t *testing.T) {
		e.advance(9 * 24 * time.Hour)
		e.okr(teamA, ana, growth, "status")
		e.waitMessage(growth, "(stale)")
	})
	t.Run("mine is only for me", func(t *testing.T) {
		e.okr(teamA, ben, growth, "mine")
		m := e.waitMessage(growth, "Cut P99 checkout latency", "you")
		if m.ResponseType != "ephemeral" {
			t.Errorf("/okr mine is %q, want ephemeral", m.ResponseType)
		}
	})
}

func TestStatusOfALargeTeamIsPaged(t *testing.T) {
	e := newEnv(t)
	c := okrs.QuarterOf(e.clock())
	for i := range 25 {
		o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: c.Name, Title: strings.Repeat("Long objective title ", 7)[:140] + string(rune('A'+i)),
			Owner: ana, CreatedBy: ana, CreatedAt: e.clock().Add(time.Duration(i) * time.Minute)}
		for k := range 5 {
			o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: strings.Repeat("Key result words ", 9)[:140] + string(rune('a'+k)), Owner: ben,
				Kind: okrs.Increase, Unit: okrs.Percent, Start: 10, Target: 90})
		}
		o.Normalize()
		if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	e.okr(teamA, ana, growth, "status")
	first := e.waitMessage(growth, "OKR status", "Show more (10 of 25 shown)")
	if n := len(first.Blocks.BlockSet); n > 50 {
		t.Errorf("first page has %d blocks", n)
	}
	if _, err := e.srv.PressButton(e.ctx, ana, first, "okr_status_more"); err != nil {
		t.Fatal(err)
	}
	second := e.waitMessage(growth, "Show more (20 of 25 shown)")
	if _, err := e.srv.PressButton(e.ctx, ana, second, "okr_status_more"); err != nil {
		t.Fatal(err)
	}
	third := e.waitMessage(growth, "Long objective title", "Y")
	if strings.Contains(third.AllText(), "Show more") {
		t.Errorf("last page still offers more")
	}
	for _, c := range e.srv.Calls("") {
		if !c.OK() && c.Method != "conversations.info" {
			t.Errorf("Slack refused %s: %s", c.Method, c.Error)
		}
	}
}

func TestAppHome(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	if _, err := e.srv.AppHomeOpened(e.ctx, ben); err != nil {
		t.Fatal(err)
	}
	h, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.Type == "home" && v.UserID == ben && strings.Contains(v.AllText(), "Your OKRs")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cut P99 checkout latency", "400 ms / 280 ms", "<#" + growth + ">", "Delight new customers"} {
		if !strings.Contains(h.AllText(), want) {
			t.Errorf("home lacks %q:\n%s", want, h.AllText())
		}
	}
	if strings.Contains(h.AllText(), "Raise week-1 activation") {
		t.Error("home shows another owner's key result")
	}
	ids := strings.Join(h.ActionIDs(), ",")
	if !strings.Contains(ids, "okr_checkin") || !strings.Contains(ids, "okr_new") {
		t.Errorf("home buttons = %s", ids)
	}
	// "Check in" opens the check-in modal for ben's key results.
	if _, err := e.srv.PressButton(e.ctx, ben, h, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	if v := e.waitModal(ben, "okr_checkin"); !strings.Contains(v.AllText(), "Cut P99 checkout latency") {
		t.Errorf("check-in modal from App Home: %s", v.AllText())
	}
	// The "New objective" button opens the create modal.
	if _, err := e.srv.PressButton(e.ctx, ben, h, "okr_new"); err != nil {
		t.Fatal(err)
	}
	e.waitModal(ben, "okr_objective")
}

func TestReconnectAfterDisconnect(t *testing.T) {
	e := newEnv(t)
	if n := e.srv.Disconnect("refresh_requested"); n != 1 {
		t.Fatalf("disconnected %d connections", n)
	}
	if err := e.srv.WaitConnects(e.ctx, 2); err != nil {
		t.Fatalf("okrbot did not reconnect: %v", err)
	}
	if err := e.srv.WaitConnected(e.ctx, 1); err != nil {
		t.Fatal(err)
	}
	ack := e.okr(teamA, ana, growth, "help")
	if !strings.Contains(ack.AllText(), "/okr new") {
		t.Errorf("after reconnect, help = %s", ack.AllText())
	}
	if !strings.Contains(e.logs.String(), "reconnected to Slack") {
		t.Error("the reconnect was not logged")
	}
}

func TestSlackRefusalsAreExplained(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	// The response_url is gone (say, Slack had an outage): okrbot posts to
	// #sales itself, where it is not a member, and explains how to fix it.
	e.srv.FailNextHTTP("response_url", 500, 2)
	e.okr(teamA, ana, sales, "status <#"+growth+"|growth>")
	m := e.waitMessage("", "/invite @okrbot")
	if m.Ephemeral && m.EphemeralTo != ana || !m.Ephemeral && m.Channel != e.srv.DMChannel(ana) {
		t.Errorf("the explanation went to %s (ephemeral to %q), want ana", m.Channel, m.EphemeralTo)
	}
	if !strings.Contains(e.logs.String(), "not_in_channel") {
		t.Error("the refusal was not logged")
	}
}

// TestRedisOutageIsExplainedAndLogged stops okrbot's Redis mid-session: a
// command answers with a clear message instead of hanging or crashing, the
// failure is logged, /readyz says so, and a modal submission keeps what the
// person typed.
func TestRedisOutageIsExplainedAndLogged(t *testing.T) {
	url, kill := storetest.Outage(t)
	// A server of its own, to kill: single whatever the tests' Redis is.
	e := newEnvWith(t, func(c *Config) { c.RedisURL, c.RedisMode = url, "single"; c.HTTPAddr = "127.0.0.1:0" })
	e.createObjective()
	v := e.openCreateWithKRs("Survive the outage", 1)
	kill()
	start := time.Now()
	e.okr(teamA, ana, growth, "status")
	e.waitMessage(growth, "Storage is unavailable right now")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the answer took %v", d)
	}
	e.waitLog("connection refused") // logged with the cause
	resp, err := http.Get("http://" + e.main.HTTPAddr().String() + "/readyz")
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %v %v", resp, err)
	}
	// A submission during the outage: acknowledged, then the person gets
	// back everything they typed.
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, merge(slacktest.Values{"title": {"v": "Survive the outage"}},
		kr(0, "Keep answering", "increase", "1", "2", ana)))
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("%v %v", err, ack.Errors())
	}
	m := e.waitMessage(e.srv.DMChannel(ana), "couldn't save your objective", "Survive the outage", "Keep answering")
	t.Logf("timeline: answered and DMd within %v of the outage", time.Since(start))
	if !strings.Contains(m.AllText(), "Storage is unavailable") {
		t.Errorf("the DM does not say why: %s", m.AllText())
	}
}
