package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
)

// More people for the permission matrix. #growth is a Slack Connect channel
// shared with a partner organisation: its people run /okr there, and Slack
// tells okrbot their own team and their own admin flag.
const (
	mia     = "UMIA5" // Acme, in #growth, owns nothing
	mgr     = "UMGR6" // Acme, #growth's manager
	gus     = "UGUS7" // Acme guest (is_restricted)
	xena    = "UXEN8" // admin of the partner organisation
	partner = "TPART9"
	design  = "CDSGN7"  // Acme, public: everyone in #growth; ben manages it
	board   = "GBOARD8" // Acme, private: only ana; no settings yet
)

// permPeople are everyone in #growth, whose DMs a refusal must not add to.
var permPeople = []string{ana, ben, carla, mia, mgr, gus, xena, dan}

// Outcomes a cell expects.
const (
	allowed  = "allowed"
	refused  = "refused"  // the general refusal for this action
	outsider = "outsider" // refused as a guest or someone from another organisation
	nothing  = "nothing"  // check-in: they own no key results
)

const outsiderText = "Guests and people from other organisations can check in on their own key results"

// permEnv is #growth with managers [mgr], ana's "Delight new customers"
// (ben owns one key result) and "Partner launch", whose key results gus,
// xena and dan own; gus, xena and dan (Globex) are in #growth. Two more
// teams: #design, with the same people and managers [ben], and the private
// #board, only ana's, which has no settings yet.
func permEnv(t *testing.T) (*env, okrs.Objective) {
	e := newEnv(t)
	e.srv.AddUser(slacktest.User{ID: mia, TeamID: teamA, Name: "mia"})
	e.srv.AddUser(slacktest.User{ID: mgr, TeamID: teamA, Name: "mgr"})
	e.srv.AddUser(slacktest.User{ID: gus, TeamID: teamA, Name: "gus", IsRestricted: true})
	e.srv.AddWorkspace(slacktest.Workspace{ID: partner, Name: "Partner Co"})
	e.srv.AddUser(slacktest.User{ID: xena, TeamID: partner, Name: "xena", IsAdmin: true, IsOwner: true})
	e.srv.AddChannel(slacktest.Channel{ID: growth, TeamID: teamA, Name: "growth", Members: permPeople, BotIsMember: true})
	e.srv.AddChannel(slacktest.Channel{ID: design, TeamID: teamA, Name: "design", Members: permPeople, BotIsMember: true})
	e.srv.AddChannel(slacktest.Channel{ID: board, TeamID: teamA, Name: "board", Members: []string{ana}, BotIsMember: true, IsPrivate: true})
	o := e.createObjective()
	v := e.openCreateWithKRs("Partner launch", 3)
	ack, err := e.srv.SubmitView(e.ctx, ana, v.ID, merge(
		kr(0, "Guest integrations", "increase", "0", "10", gus),
		kr(1, "Partner integrations", "increase", "0", "10", xena),
		kr(2, "Globex integrations", "increase", "0", "10", dan),
	))
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("create Partner launch: %v %v", err, ack.Errors())
	}
	e.waitMessage(growth, "Created", "Partner launch")
	st := okrs.DefaultSettings("UTC")
	st.Managers = []string{mgr}
	if err := e.main.Store.SaveSettings(e.ctx, teamA, growth, st); err != nil {
		t.Fatal(err)
	}
	st.Managers = []string{ben}
	if err := e.main.Store.SaveSettings(e.ctx, teamA, design, st); err != nil {
		t.Fatal(err)
	}
	return e, o
}

// snapshot is what a refused action must leave as it was: the objectives
// and settings of permEnv's teams (the zero Settings for none), everyone's
// DMs and #growth's digests.
type snapshot struct {
	objs     map[string][]okrs.Objective
	settings map[string]okrs.Settings
	dms      map[string]int
	digests  int
}

func (e *env) snapshot() snapshot {
	e.t.Helper()
	s := snapshot{objs: map[string][]okrs.Objective{}, settings: map[string]okrs.Settings{}, dms: map[string]int{}}
	for _, team := range []string{growth, design, board} {
		st, err := e.main.Store.Settings(e.ctx, teamA, team)
		if err != nil && okrs.ErrorCode(err) != okrs.ENOTFOUND {
			e.t.Fatal(err)
		}
		s.objs[team], s.settings[team] = e.teamObjectives(teamA, team), st
	}
	for _, u := range permPeople {
		s.dms[u] = len(e.srv.Messages(e.srv.DMChannel(u)))
	}
	for _, m := range e.srv.Messages(growth) {
		if strings.Contains(m.AllText(), "Weekly OKR digest") {
			s.digests++
		}
	}
	return s
}

// cell runs one action of a matrix row as a subtest of the row's t: the
// env's helpers fail that subtest, and the next cells still run.
func (e *env) cell(t *testing.T, name string, f func(t *testing.T)) {
	t.Run(name, func(ct *testing.T) {
		e.t = ct
		defer func() { e.t = t }()
		f(ct)
	})
}

// unchanged checks that a refusal left the store (and Slack) as it was.
func (e *env) unchanged(what string, before snapshot) {
	e.t.Helper()
	if after := e.snapshot(); !reflect.DeepEqual(before, after) {
		e.t.Errorf("%s: refused, yet something changed:\nbefore %+v\nafter  %+v", what, before, after)
	}
}

// cellTimeout bounds a cell's wait, so that a cell that fails leaves the
// others time to run.
const cellTimeout = 5 * time.Second

// viewText waits (within cellTimeout) for a view of user's saying want.
func (e *env) viewText(user, want string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, cellTimeout)
	defer cancel()
	if _, err := e.srv.WaitForView(ctx, func(v *slacktest.View) bool {
		return v.UserID == user && strings.Contains(v.AllText(), want)
	}); err != nil {
		e.t.Fatalf("no view for %s saying %q: %v", user, want, err)
	}
}

// mark returns what #growth holds so far, for answer to tell new messages.
func (e *env) mark() map[string]bool {
	seen := map[string]bool{}
	for _, m := range e.srv.Messages(growth) {
		seen[m.TS+"|"+m.Text] = true
	}
	return seen
}

// answer waits for a new answer (one not in seen) to user in #growth,
// ephemeral or not, saying want.
func (e *env) answer(seen map[string]bool, user, want string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, cellTimeout)
	defer cancel()
	if _, err := e.srv.WaitForMessage(ctx, func(m slacktest.Message) bool {
		return m.Channel == growth && !seen[m.TS+"|"+m.Text] && (m.EphemeralTo == user || !m.Ephemeral) && strings.Contains(m.AllText(), want)
	}); err != nil {
		e.t.Fatalf("no answer to %s saying %q: %v", user, want, err)
	}
}

func TestPermissionMatrix(t *testing.T) {
	type cells struct {
		checkIn, create, settings, remind, digest, edit, archive string
	}
	ciAna := slacktest.Values{"ci0_value": {"v": "52%"}, "ci0_conf": {"v": "at_risk"}, "ci1_value": {"v": "done"}}
	ciBen := slacktest.Values{"ci0_value": {"v": "350 ms"}, "ci0_conf": {"v": "at_risk"}}
	ciOne := slacktest.Values{"ci0_value": {"v": "5"}, "ci0_conf": {"v": "at_risk"}}
	tests := []struct {
		actor, id string
		ci        slacktest.Values
		want      cells
	}{
		{"creator", ana, ciAna, cells{allowed, allowed, refused, refused, refused, allowed, allowed}},
		{"KR owner", ben, ciBen, cells{allowed, allowed, refused, refused, refused, refused, refused}},
		{"team member", mia, nil, cells{nothing, allowed, refused, refused, refused, refused, refused}},
		{"team manager", mgr, nil, cells{nothing, allowed, allowed, allowed, allowed, refused, refused}},
		{"workspace admin", carla, nil, cells{nothing, allowed, allowed, allowed, allowed, allowed, allowed}},
		{"guest", gus, ciOne, cells{allowed, outsider, outsider, outsider, outsider, outsider, outsider}},
		{"external admin", xena, ciOne, cells{allowed, outsider, outsider, outsider, outsider, outsider, outsider}},
		{"other workspace", dan, ciOne, cells{allowed, outsider, outsider, outsider, outsider, outsider, outsider}},
	}
	for _, tc := range tests {
		t.Run(tc.actor, func(t *testing.T) {
			e, o := permEnv(t)
			u := tc.id
			unchanged := e.unchanged
			cell := func(name string, f func(t *testing.T)) { e.cell(t, name, f) }
			refusal := func(c, general string) string {
				if c == outsider {
					return outsiderText
				}
				return general
			}

			cell("check in on own key result", func(t *testing.T) {
				before, seen := e.snapshot(), e.mark()
				e.okr(teamA, u, growth, "checkin")
				if tc.want.checkIn == nothing {
					e.viewText(u, "You don't own any open key results")
					unchanged("check-in", before)
					return
				}
				v := e.waitModal(u, "okr_checkin")
				ack, err := e.srv.SubmitView(e.ctx, u, v.ID, tc.ci)
				if err != nil || len(ack.Errors()) > 0 {
					t.Fatalf("check-in: %v %v", err, ack.Errors())
				}
				e.answer(seen, u, "Checked in on")
				var found bool
				for _, obj := range e.teamObjectives(teamA, growth) {
					for _, k := range obj.KeyResults {
						for _, c := range k.CheckIns {
							found = found || c.Author == u
						}
					}
				}
				if !found {
					t.Errorf("no check-in by %s stored", u)
				}
			})
			cell("create", func(t *testing.T) {
				before := e.snapshot()
				e.okr(teamA, u, growth, "new Another one")
				if tc.want.create == allowed {
					e.waitModal(u, "okr_objective")
					return
				}
				e.viewText(u, outsiderText) // the form turns into the refusal
				unchanged("create", before)
			})
			cell("open settings", func(t *testing.T) {
				before := e.snapshot()
				e.okr(teamA, u, growth, "settings")
				if tc.want.settings == allowed {
					e.waitModal(u, "okr_settings")
					return
				}
				e.viewText(u, refusal(tc.want.settings, "Only this team's managers or a workspace admin"))
				unchanged("settings", before)
			})
			cell("remind", func(t *testing.T) {
				before, seen := e.snapshot(), e.mark()
				e.okr(teamA, u, growth, "remind")
				if tc.want.remind == allowed {
					e.answer(seen, u, "Sent ")
					return
				}
				e.answer(seen, u, refusal(tc.want.remind, "Only this team's managers or a workspace admin"))
				unchanged("remind", before)
			})
			cell("post the digest", func(t *testing.T) {
				before, seen := e.snapshot(), e.mark()
				e.okr(teamA, u, growth, "digest")
				if tc.want.digest == allowed {
					e.waitMessage(growth, "Weekly OKR digest")
					return
				}
				e.answer(seen, u, refusal(tc.want.digest, "Only this team's managers or a workspace admin"))
				unchanged("digest", before)
			})
			cell("edit", func(t *testing.T) {
				before := e.snapshot()
				v := e.pick(u, "edit", o.ID)
				if tc.want.edit == allowed {
					if v.CallbackID != "okr_objective" || v.Title != "Edit objective" {
						t.Errorf("%s got %s %q, want the edit form", u, v.CallbackID, v.Title)
					}
					return
				}
				if !strings.Contains(v.AllText(), refusal(tc.want.edit, "Only the objective's owner, its creator or a workspace admin")) {
					t.Errorf("%s got %s %q: %s", u, v.CallbackID, v.Title, v.AllText())
				}
				unchanged("edit", before)
			})
			cell("archive", func(t *testing.T) {
				before, seen := e.snapshot(), e.mark()
				v := e.pick(u, "archive", o.ID)
				if tc.want.archive == allowed {
					if v.CallbackID != "okr_archive" {
						t.Fatalf("%s got %s, want the archive form: %s", u, v.CallbackID, v.AllText())
					}
					if _, err := e.srv.SubmitView(e.ctx, u, v.ID, nil); err != nil {
						t.Fatal(err)
					}
					e.answer(seen, u, "Archived")
					if got, _ := e.main.Store.Objective(e.ctx, teamA, o.ID); !got.Archived || got.ArchivedBy != u {
						t.Errorf("archived = %v by %q", got.Archived, got.ArchivedBy)
					}
					return
				}
				if v.CallbackID == "okr_archive" {
					t.Errorf("%s got the archive form", u)
				}
				// A forged submission, as from the form okrbot refused, in #growth.
				meta, _ := json.Marshal(map[string]string{"m": "archive", "o": o.ID, "c": growth})
				cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: u}}
				cb.View = slack.View{ID: "VFORGED", CallbackID: "okr_archive", PrivateMetadata: string(meta), State: &slack.ViewState{}}
				if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
					t.Fatal(err)
				}
				e.answer(seen, u, refusal(tc.want.archive, "Only the objective's owner"))
				unchanged("archive", before)
			})
		})
	}
}

// TestGuestOwnerOnlyChecksIn: a guest made the owner of an objective checks
// in on it but cannot edit or archive it, by the form or by a forged
// submission.
func TestGuestOwnerOnlyChecksIn(t *testing.T) {
	e, _ := permEnv(t)
	v := e.openCreateWithKRs("Guest-run pilot", 3)
	e.submitForm(ana, v.ID, merge(slacktest.Values{"owner": {"v": gus}},
		kr(0, "Raise pilot activation", "increase", "10%", "30%", gus),
		kr(1, "Cut pilot setup time", "decrease", "3 days", "1 day", gus),
		kr(2, "Grow pilot weekly users", "increase", "5", "40", gus)))
	e.waitMessage(growth, "Created", "Guest-run pilot")
	var o okrs.Objective
	for _, x := range e.teamObjectives(teamA, growth) {
		if x.Title == "Guest-run pilot" {
			o = x
		}
	}
	if o.Owner != gus {
		t.Fatalf("the pilot's owner is %q, want the guest", o.Owner)
	}
	before, seen := e.snapshot(), e.mark()
	if v := e.pick(gus, "edit", o.ID); !strings.Contains(v.AllText(), outsiderText) {
		t.Errorf("the guest owner got %s %q: %s", v.CallbackID, v.Title, v.AllText())
	}
	meta, _ := json.Marshal(map[string]string{"m": "archive", "o": o.ID, "c": growth})
	cb := slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, Team: slack.Team{ID: teamA}, User: slack.User{ID: gus}}
	cb.View = slack.View{ID: "VFORGED", CallbackID: "okr_archive", PrivateMetadata: string(meta), State: &slack.ViewState{}}
	if _, err := e.srv.Interaction(e.ctx, cb); err != nil {
		t.Fatal(err)
	}
	e.answer(seen, gus, outsiderText)
	e.unchanged("guest owner", before)
}

// TestManagersMustBeMembers: Slack's people picker offers guests and people
// from other organisations too, so the settings form says, on its managers
// field, who of those chosen cannot manage the team, and saves nothing
// until they are taken out.
func TestManagersMustBeMembers(t *testing.T) {
	e, _ := permEnv(t)
	e.okr(teamA, mgr, growth, "settings")
	v := e.waitModal(mgr, "okr_settings")
	before := e.snapshot()
	const why = ": guests and people from other organisations can't manage a team's OKRs."
	for _, tc := range []struct {
		managers []string
		want     string
	}{
		{[]string{mgr, gus}, "gus is a guest" + why},
		{[]string{xena}, "xena is from another organisation" + why},
		{[]string{dan, mgr, gus}, "Dan Globex is from another organisation and gus is a guest" + why},
	} {
		ack, err := e.srv.SubmitView(e.ctx, mgr, v.ID, slacktest.Values{"managers": {"v": tc.managers}})
		if err != nil {
			t.Fatal(err)
		}
		if got := ack.Errors(); len(got) != 1 || got["managers"] != tc.want || len(ack.Warnings) > 0 {
			t.Errorf("managers %v: errors %v (warnings %v), want on managers %q", tc.managers, got, ack.Warnings, tc.want)
		}
	}
	e.unchanged("settings with outsiders as managers", before)
	// The form stays open with its errors; with members only, it saves.
	ack, err := e.srv.SubmitView(e.ctx, mgr, v.ID, slacktest.Values{"managers": {"v": []string{mgr, mia}}})
	if err != nil || len(ack.Errors()) > 0 {
		t.Fatalf("%v %v", err, ack.Errors())
	}
	e.savedBy(growth, mgr, time.Monday, []string{mgr, mia})
}
