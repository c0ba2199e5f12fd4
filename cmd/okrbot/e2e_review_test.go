package main

import (
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/slack-go/slack"
)

// secretTeam adds the private channel #secret (ana and carla; the bot is in
// it) with one objective owned by ana, and returns the objective.
func (e *env) secretTeam() *okrs.Objective {
	e.t.Helper()
	e.srv.AddChannel(slacktest.Channel{ID: "GSECRET", TeamID: teamA, Name: "secret", Members: []string{ana, carla}, BotIsMember: true, IsPrivate: true})
	c := okrs.QuarterOf(e.clock())
	o := &okrs.Objective{Workspace: teamA, Team: "GSECRET", Cycle: c.Name, Title: "Acquire Globex quietly", Owner: ana, CreatedBy: ana, CreatedAt: e.clock(),
		KeyResults: []okrs.KeyResult{{Title: "Term sheet signed", Owner: ana, Kind: okrs.Milestone}}}
	o.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// TestPrivateTeamsStayPrivate: a private team's OKRs are never posted where
// someone outside the team reads them. Asked for in a public channel, even
// by a member, the answer is only for the person asking; so is a person's
// status that includes a private team, and its chart goes to their DM.
func TestPrivateTeamsStayPrivate(t *testing.T) {
	e := newEnv(t)
	e.createObjective() // #growth, public
	e.secretTeam()

	// ben is not in #secret: refused.
	e.okr(teamA, ben, growth, "status <#GSECRET|secret>")
	e.waitMessage(growth, "That team's channel is private, and you are not in it")
	e.okr(teamA, ben, growth, "status <@"+ana+"|ana>")
	m := e.waitMessage(growth, "OKR status", "Delight new customers")
	if strings.Contains(m.AllText(), "Acquire Globex") {
		t.Errorf("a private team's objective shown to a non-member:\n%s", m.AllText())
	}
	if m.Ephemeral {
		t.Error("ana's status without private teams was not posted for the channel")
	}

	// ana is in #secret, but #growth has ben in it: only ana may read it.
	e.okr(teamA, ana, growth, "status <#GSECRET|secret>")
	m = e.waitMessage(growth, "Acquire Globex quietly")
	if !m.Ephemeral || m.EphemeralTo != ana {
		t.Errorf("#secret's status was posted in #growth for everyone (ephemeral %v to %q)", m.Ephemeral, m.EphemeralTo)
	}
	e.okr(teamA, ana, growth, "status <@"+ana+"|ana>")
	m = e.waitMessage(growth, "OKR status", "Acquire Globex quietly", "Delight new customers")
	if !m.Ephemeral || m.EphemeralTo != ana {
		t.Errorf("ana's status with #secret in it was posted in #growth for everyone (ephemeral %v to %q)", m.Ephemeral, m.EphemeralTo)
	}
	// Its chart is for ana only: her DM, not #growth's thread.
	if _, err := e.srv.PressButton(e.ctx, ana, m, "okr_status_chart"); err != nil {
		t.Fatal(err)
	}
	e.waitMessage(growth, "sent you the chart in our DM")
	f := e.waitFile()
	if len(f.Channels) != 1 || f.Channels[0] != e.srv.DMChannel(ana) || f.ThreadTS != "" {
		t.Errorf("the chart went to %v (thread %q), want ana's DM", f.Channels, f.ThreadTS)
	}

	// In #secret itself everyone may see it: posted for the channel.
	e.okr(teamA, carla, "GSECRET", "status")
	m = e.waitMessage("GSECRET", "Acquire Globex quietly")
	if m.Ephemeral {
		t.Error("#secret's own status was not posted in #secret")
	}
	// A public team's status is posted in any channel.
	e.okr(teamA, ana, "GSECRET", "status <#"+growth+"|growth>")
	m = e.waitMessage("GSECRET", "Delight new customers")
	if m.Ephemeral {
		t.Error("a public team's status was not posted for the channel")
	}
}

// waitFile waits for one uploaded file and returns it.
func (e *env) waitFile() slacktest.File {
	e.t.Helper()
	if _, err := e.srv.WaitForCall(e.ctx, "files.completeUploadExternal", func(c slacktest.Call) bool { return c.OK() }); err != nil {
		e.t.Fatalf("no file uploaded: %v", err)
	}
	files := e.srv.Files()
	if len(files) == 0 {
		e.t.Fatal("an upload completed but no file is recorded")
	}
	return files[len(files)-1]
}

// TestBigRemindAnswersAtOnceAndAtTheEnd: a remind that takes longer than a
// handler's work budget answers at once with how many reminders are going
// out and how long it should take, then with the result.
func TestBigRemindAnswersAtOnceAndAtTheEnd(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.MessagesPerSecond = 4 })
	e.main.BotWorkTimeout = time.Second // shorter than the remind: it must not bound it
	const owners = 24                   // at 4 a second: about 6 s
	o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: okrs.QuarterOf(e.clock()).Name, Title: "Everyone in", Owner: ana, CreatedBy: ana, CreatedAt: e.clock()}
	for i := range owners {
		u := slacktest.User{ID: "UBIG" + string(rune('A'+i)), TeamID: teamA, Name: "p" + string(rune('a'+i)), TZ: "UTC"}
		e.srv.AddUser(u)
		o.KeyResults = append(o.KeyResults, okrs.KeyResult{Title: "KR of " + u.Name, Owner: u.ID, Kind: okrs.Increase, Start: 0, Target: 10})
	}
	o.Normalize()
	if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
		t.Fatal(err)
	}
	e.okr(teamA, ana, growth, "remind")
	first := e.waitMessage(growth, "Sending 24 reminders over about 6 seconds")
	if !first.Ephemeral {
		t.Error("the remind's answer was posted for the channel")
	}
	last := e.waitMessage(growth, "Sent 24 reminders")
	if !last.Ephemeral {
		t.Error("the remind's result was posted for the channel")
	}
	if n := len(e.srv.Calls("chat.postMessage")); n < owners {
		t.Errorf("%d messages sent, want %d reminders", n, owners)
	}
}

// TestModalsOpenBeforeSlowWork: every modal opens (views.open) before okrbot
// asks Slack or Redis anything; what needs loading comes by views.update.
func TestModalsOpenBeforeSlowWork(t *testing.T) {
	e := newEnv(t)
	o := e.createObjective()
	// Settings: carla is an admin but not a manager, so okrbot must ask
	// users.info; the modal opens first.
	st := okrs.DefaultSettings("UTC")
	st.Managers = []string{ana}
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, st); err != nil {
		t.Fatal(err)
	}
	// The objective menu (a button on /okr list).
	e.okr(teamA, ana, growth, "list")
	list := e.waitMessage(growth, "Objectives of")
	since := e.lastSeq()
	ack, err := e.srv.Act(e.ctx, ana, list, "okr_objective_menu", "edit|"+o.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.waitModal(ana, "okr_objective")
	if slow := e.callsBeforeOpen(since, ack.TriggerID); len(slow) > 0 {
		t.Errorf("objective menu: %v before views.open", slow)
	}
	for _, tt := range []struct {
		user, text, callback string
		filled               bool // opened with "Loading…", then filled
	}{
		{carla, "settings", "okr_settings", true}, // carla is an admin, not a manager: users.info
		{ana, "checkin", "okr_checkin", true},
		{carla, "edit", "okr_pick", true},
		{ben, "new Grow", "okr_objective", false}, // opens with its form at once
	} {
		since := e.lastSeq()
		ack := e.okr(teamA, tt.user, growth, tt.text)
		v := e.waitModal(tt.user, tt.callback)
		if slow := e.callsBeforeOpen(since, ack.TriggerID); len(slow) > 0 {
			t.Errorf("/okr %s: %v before views.open", tt.text, slow)
		}
		if tt.filled && v.Updates == 0 {
			t.Errorf("/okr %s: the modal was opened with its content, not filled after opening", tt.text)
		}
	}
}

// lastSeq is the sequence number of the fake Slack's latest recorded call.
func (e *env) lastSeq() int {
	calls := e.srv.Calls("")
	if len(calls) == 0 {
		return 0
	}
	return calls[len(calls)-1].Seq
}

// callsBeforeOpen waits for the views.open of trigger and returns the
// lookups (users.*, conversations.*) recorded after since and before it. A
// handler's calls are sequential, so one recorded before the views.open was
// made before it.
func (e *env) callsBeforeOpen(since int, trigger string) []string {
	e.t.Helper()
	open, err := e.srv.WaitForCall(e.ctx, "views.open", func(c slacktest.Call) bool { return c.Param("trigger_id") == trigger })
	if err != nil {
		e.t.Fatalf("no views.open for trigger %s: %v", trigger, err)
	}
	var slow []string
	for _, c := range e.srv.Calls("") {
		if c.Seq > since && c.Seq < open.Seq && (strings.HasPrefix(c.Method, "users.") || strings.HasPrefix(c.Method, "conversations.")) {
			slow = append(slow, c.Method)
		}
	}
	return slow
}

// TestDigestCommandPostsOncePerWeek: "/okr digest" twice at once posts one
// digest; asked again, it says where this week's is.
func TestDigestCommandPostsOncePerWeek(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	done := make(chan struct{})
	go func() { defer close(done); e.okr(teamA, ana, growth, "digest") }()
	e.okr(teamA, ana, growth, "digest")
	<-done
	e.waitMessage(growth, "This week's digest is") // the one that lost the claim says so
	e.waitMessage(growth, "Weekly OKR digest")     // the one that won posted it
	digests := 0
	for _, m := range e.srv.Messages(growth) {
		if strings.Contains(m.AllText(), "Weekly OKR digest") && !m.Ephemeral {
			digests++
		}
	}
	if digests != 1 {
		t.Errorf("%d digests posted, want 1", digests)
	}
	// Once the posted digest is recorded (the message shows a moment
	// before), asking again says where it is.
	period, _ := okrs.DigestAt(okrs.DefaultSettings("UTC"), e.clock())
	e.eventually("the posted digest recorded", func() bool {
		d, err := e.main.Store.Delivery(e.ctx, teamA, "digest:"+growth+":"+period.Key)
		return err == nil && d.Settled()
	})
	e.okr(teamA, ana, growth, "digest")
	m := e.waitMessage(growth, "This week's digest is already posted", "see it")
	if !m.Ephemeral {
		t.Error("the answer was posted for the channel")
	}
}

// TestPromptAndModalAgreeAtAQuarterBoundary: on New Year's Eve evening in
// Europe it is already January 1 in Tokyo. A Tokyo team's prompt lists its
// 2027-Q1 key results; the check-in modal the prompt opens lists the same,
// for an owner whose own clock (Los Angeles) still says December.
func TestPromptAndModalAgreeAtAQuarterBoundary(t *testing.T) {
	e := newEnv(t)
	e.fake.Advance(time.Date(2026, 12, 31, 14, 0, 0, 0, time.UTC).Sub(e.clock())) // Jan 1, 00:00 to 23:00 in Tokyo; Dec 31 06:00 in LA
	st := okrs.DefaultSettings("Asia/Tokyo")
	st.OwnerLocalTime, st.PromptDay = false, time.Friday // Friday Jan 1, 10:00 Tokyo
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, st); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"2026-Q4", "2027-Q1"} {
		o := &okrs.Objective{Workspace: teamA, Team: growth, Cycle: c, Title: "Objective of " + c, Owner: ben, CreatedBy: ben, CreatedAt: e.clock().Add(-time.Hour),
			KeyResults: []okrs.KeyResult{{Title: "Key result of " + c, Owner: ben, Kind: okrs.Increase, Start: 0, Target: 10, CreatedAt: e.clock().Add(-time.Hour)}}}
		o.Normalize()
		if err := e.main.Store.CreateObjective(e.ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	e.advance(2 * time.Hour) // 01:00 Friday in Tokyo... prompts are at 10:00
	e.advance(9 * time.Hour)
	e.sweep()
	p := e.prompt(ben, "Key result of 2027-Q1")
	if strings.Contains(p.AllText(), "2026-Q4") {
		t.Errorf("the Tokyo team's prompt lists last quarter's key result:\n%s", p.AllText())
	}
	if _, err := e.srv.PressButton(e.ctx, ben, p, "okr_checkin"); err != nil {
		t.Fatal(err)
	}
	v := e.waitModal(ben, "okr_checkin")
	if !strings.Contains(v.AllText(), "Key result of 2027-Q1") || strings.Contains(v.AllText(), "Key result of 2026-Q4") {
		t.Errorf("the check-in modal disagrees with the prompt:\n%s", v.AllText())
	}
	e.okr(teamA, ben, growth, "mine")
	m := e.waitMessage(growth, "Key result of 2027-Q1")
	if strings.Contains(m.AllText(), "Key result of 2026-Q4") {
		t.Errorf("/okr mine disagrees with the prompt:\n%s", m.AllText())
	}
}

// TestDMsAreAnswered: what someone types in okrbot's Messages tab gets an
// answer (the help), once even if Slack delivers the event twice; okrbot's
// own messages are not answered.
func TestDMsAreAnswered(t *testing.T) {
	e := newEnv(t)
	dm := e.srv.DMChannel(ana)
	ev := map[string]any{"type": "message", "channel": dm, "channel_type": "im", "user": ana, "text": "hello?", "ts": "1700000000.000100"}
	ack, err := e.srv.Event(e.ctx, teamA, ev)
	if err != nil {
		t.Fatal(err)
	}
	e.waitMessage(dm, "I work through `/okr`", "/okr checkin")
	if _, err := e.srv.Send(e.ctx, slacktest.Envelope{Type: slacktest.EnvelopeEventsAPI, Payload: ack.Request, RetryAttempt: 1, RetryReason: "timeout"}); err != nil {
		t.Fatal(err)
	}
	own := map[string]any{"type": "message", "channel": dm, "channel_type": "im", "user": e.srv.BotUserID(), "bot_id": e.srv.BotID(), "text": "a prompt", "ts": "1700000000.000200"}
	if _, err := e.srv.Event(e.ctx, teamA, own); err != nil {
		t.Fatal(err)
	}
	// Both were handled (acked, and the handlers finished: a status
	// command after them is answered after them).
	e.okr(teamA, ana, dm, "mine")
	e.waitMessage(dm, "You don't own any key results")
	n := 0
	for _, m := range e.srv.Messages(dm) {
		if strings.Contains(m.AllText(), "I work through `/okr`") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d help answers, want 1 (the retry and okrbot's own message are not answered)", n)
	}
}

// TestAddKeyResultClickRacingTheParentsUpdate: okrbot opens the create
// modal, then adds the objectives it may align to by views.update. A click
// on "+ Add another key result" made on the first version (its hash now
// stale) still grows the form.
func TestAddKeyResultClickRacingTheParentsUpdate(t *testing.T) {
	e := newEnv(t)
	e.createObjective() // so there is an objective to align to
	e.okr(teamA, ana, growth, "new Second objective")
	first := e.waitModal(ana, "okr_objective")
	withParents, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.ID == first.ID && strings.Contains(string(v.RawBlocks), `"block_id":"parent"`)
	})
	if err != nil {
		t.Fatalf("the objectives to align to were never added: %v", err)
	}
	if withParents.Hash == first.Hash {
		t.Fatal("the update did not change the view's hash")
	}
	cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions, User: slack.User{ID: ana, TeamID: teamA}, Team: slack.Team{ID: teamA},
		View: slack.View{ID: first.ID, Hash: first.Hash, CallbackID: first.CallbackID, PrivateMetadata: first.PrivateMetadata,
			State: &slack.ViewState{Values: map[string]map[string]slack.BlockAction{"title": {"v": {Type: "plain_text_input", Value: "Second objective"}}}}}}
	cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: "okr_form_add_kr", BlockID: "kr_buttons", Value: "add"}}
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.WaitForView(e.ctx, func(v *slacktest.View) bool {
		return v.ID == first.ID && strings.Contains(string(v.RawBlocks), "kr1_title")
	}); err != nil {
		t.Fatalf("a click on the first version was lost: %v", err)
	}
}

// TestRemindDuringASlackOutageArrivesAfterRecoveryOnce: Slack fails every
// send of a manager's remind; the answer says they were not sent yet, and
// once Slack answers again the next sweep sends each prompt, once.
func TestRemindDuringASlackOutageArrivesAfterRecoveryOnce(t *testing.T) {
	e := newEnv(t)
	e.createObjective()
	e.advance(-time.Hour)                                   // Monday 08:00 UTC: nobody's prompt is due yet
	e.srv.FailNext("chat.postMessage", "internal_error", 8) // two people, four tries each
	e.okr(teamA, ana, growth, "remind")
	e.waitMessage(growth, "2 could not be sent yet (Slack failed): I'll send them once Slack answers again")
	if n := len(e.srv.Messages(e.srv.DMChannel(ben))); n != 0 {
		t.Fatalf("ben got %d DMs during the outage", n)
	}
	e.advance(time.Minute) // Slack is back
	e.sweep()
	e.prompt(ben, "Time for your weekly check-in")
	e.prompt(ana, "Time for your weekly check-in")
	e.advance(20 * time.Hour) // past everyone's 10:00
	e.sweep()
	for _, u := range []string{ana, ben} {
		if n := len(e.srv.Messages(e.srv.DMChannel(u))); n != 1 {
			t.Errorf("%s has %d DMs, want the reminder once", u, n)
		}
	}
}
