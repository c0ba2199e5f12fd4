package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/store/storetest"
)

// Slack sends a modal's submission only as the person it was opened for,
// but okrbot trusts nothing in a payload beyond Slack's own ids. These
// tests forge view_submissions of the create and settings modals: someone
// else's form sent as the attacker's, a view id okrbot never opened, and
// private_metadata or fields naming another team. Who may create and
// manage is decided from users.info, conversations.* and Redis alone.

// forged returns the envelope of a submission of owner's open modal v
// with values, as attacker would send it: the user is the attacker (with
// their own team id), the team the one the form was opened in (Acme, whose
// #growth they are in). edit, when not nil, changes the payload's view
// object: its id, its private_metadata.
func (e *env) forged(owner string, v *slacktest.View, values slacktest.Values, attacker string, edit func(view map[string]any)) slacktest.Envelope {
	e.t.Helper()
	env, err := e.srv.SubmissionEnvelope(owner, v.ID, values)
	if err != nil {
		e.t.Fatal(err)
	}
	a, ok := e.srv.User(attacker)
	if !ok {
		e.t.Fatalf("no user %s", attacker)
	}
	p := env.Payload.(map[string]any)
	p["user"] = map[string]any{"id": a.ID, "username": a.Name, "name": a.Name, "team_id": a.TeamID}
	if edit != nil {
		edit(p["view"].(map[string]any))
	}
	return env
}

// send delivers a forged submission; field errors in its ack fail the
// cell, as no forgery here has a mistake in its fields.
func (e *env) send(env slacktest.Envelope) {
	e.t.Helper()
	ack, err := e.srv.Send(e.ctx, env)
	if err != nil {
		e.t.Fatal(err)
	}
	if fe := ack.Errors(); len(fe) > 0 {
		e.t.Fatalf("field errors %v", fe)
	}
	// The coach's review step (a single key result is too few): the
	// attacker saves anyway, from the review view the ack carried.
	var review struct {
		View struct {
			CallbackID      string `json:"callback_id"`
			PrivateMetadata string `json:"private_metadata"`
		} `json:"view"`
	}
	if ack.ResponseAction() == "update" && ack.Decode(&review) == nil && review.View.CallbackID == "okr_review" {
		p := env.Payload.(map[string]any)
		q := map[string]any{}
		for k, v := range p {
			q[k] = v
		}
		q["view"] = map[string]any{"id": "VREVIEW" + storetest.Random(3), "hash": "1.review", "type": "modal", "callback_id": "okr_review",
			"private_metadata": review.View.PrivateMetadata, "state": map[string]any{"values": map[string]any{}}}
		if _, err := e.srv.Send(e.ctx, slacktest.Envelope{Type: env.Type, Payload: q, AcceptsResponsePayload: true}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// formMeta returns private_metadata as okrbot writes it (views.FormMeta).
func formMeta(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// markAll returns every message so far, for told to tell new ones.
func (e *env) markAll() map[string]bool {
	seen := map[string]bool{}
	for _, m := range e.srv.Messages("") {
		seen[m.Channel+"|"+m.TS+"|"+m.Text] = true
	}
	return seen
}

// told waits (within cellTimeout) for a new message (not in seen) saying
// want to one of users: ephemeral, through a response_url or in their DM.
// A forgery of someone else's form carries their response_url, so okrbot's
// answer to it may reach them: whoever holds a response_url can post to it
// without okrbot, so that proves nothing either way.
func (e *env) told(seen map[string]bool, want string, users ...string) slacktest.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, cellTimeout)
	defer cancel()
	m, err := e.srv.WaitForMessage(ctx, func(m slacktest.Message) bool {
		if seen[m.Channel+"|"+m.TS+"|"+m.Text] || !strings.Contains(m.AllText(), want) {
			return false
		}
		for _, u := range users {
			if m.EphemeralTo == u || !m.Ephemeral && m.Channel == e.srv.DMChannel(u) {
				return true
			}
		}
		return false
	})
	if err != nil {
		e.t.Fatalf("no answer to %v saying %q: %v", users, want, err)
	}
	return m
}

// eventually waits (within cellTimeout) until ok holds.
func (e *env) eventually(what string, ok func() bool) {
	e.t.Helper()
	for deadline := time.Now().Add(cellTimeout); !ok(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			e.t.Fatalf("never: %s", what)
		}
	}
}

// created waits for an objective of team titled title created by by.
func (e *env) created(team, title, by string) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("%q created in %s by %s", title, team, by), func() bool {
		for _, o := range e.teamObjectives(teamA, team) {
			if o.Title == title && o.CreatedBy == by {
				return true
			}
		}
		return false
	})
}

// savedBy waits for team's settings to be saved by by, with the prompt day
// and managers given.
func (e *env) savedBy(team, by string, day time.Weekday, managers []string) {
	e.t.Helper()
	e.eventually(fmt.Sprintf("settings of %s saved by %s", team, by), func() bool {
		st, err := e.main.Store.Settings(e.ctx, teamA, team)
		return err == nil && st.UpdatedBy == by && st.PromptDay == day && strings.Join(st.Managers, ",") == strings.Join(managers, ",")
	})
}

func TestForgedSubmissions(t *testing.T) {
	type cells struct {
		create      string // in #growth
		createBoard string // in the private #board, only ana's
		settings    string // #growth's, managers [mgr]
		design      string // #design's, managers [ben], named by private_metadata
		board       string // #board's, none yet, named by private_metadata
	}
	tests := []struct {
		actor, id string
		want      cells
	}{
		{"creator", ana, cells{allowed, allowed, refused, refused, allowed}},
		{"KR owner", ben, cells{allowed, refused, refused, allowed, refused}},
		{"team member", mia, cells{allowed, refused, refused, refused, refused}},
		{"team manager", mgr, cells{allowed, refused, allowed, refused, refused}},
		{"workspace admin", carla, cells{allowed, refused, allowed, allowed, allowed}},
		{"guest", gus, cells{outsider, outsider, outsider, outsider, outsider}},
		{"external admin", xena, cells{outsider, outsider, outsider, outsider, outsider}},
		{"other workspace", dan, cells{outsider, outsider, outsider, outsider, outsider}},
	}
	const (
		notManager = "Only this team's managers or a workspace admin"
		private    = "That team's channel is private, and you are not in it"
	)
	for _, tc := range tests {
		t.Run(tc.actor, func(t *testing.T) {
			e, _ := permEnv(t)
			u := tc.id
			// Someone else's forms: a member's create form, a manager's
			// settings form.
			author, manager := ana, mgr
			if u == ana {
				author = mia
			}
			if u == mgr {
				manager = carla
			}
			refusal := func(c, general string) string {
				if c == outsider {
					return outsiderText
				}
				return general
			}
			// createForm waits for the form as okrbot finishes it (with
			// the objectives it may align to), so that the forgery and the
			// form's own submission are of the same view.
			createForm := func(title string) *slacktest.View {
				e.okr(teamA, author, growth, "new "+title)
				opened := e.waitModal(author, "okr_objective")
				v, err := e.srv.WaitForView(e.ctx, func(x *slacktest.View) bool {
					return x.ID == opened.ID && strings.Contains(string(x.RawBlocks), `"block_id":"parent"`)
				})
				if err != nil {
					e.t.Fatalf("the create form never offered objectives to align to: %v", err)
				}
				return v
			}
			settingsForm := func() *slacktest.View {
				e.okr(teamA, manager, growth, "settings")
				return e.waitModal(manager, "okr_settings")
			}
			oneKR := kr(0, "Forged KR", "increase", "0", "10", author)

			e.cell(t, "create: someone else's form sent as theirs", func(t *testing.T) {
				title := "Replayed by " + u
				v := createForm(title)
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(author, v, oneKR, u, nil))
				if tc.want.create == allowed {
					e.created(growth, title, u)
				} else {
					e.told(seen, refusal(tc.want.create, private), u, author)
					e.unchanged("create", before)
				}
				// The forgery does not use up the form's own submission.
				e.submitForm(author, v.ID, oneKR)
				e.created(growth, title, author)
			})
			e.cell(t, "create: a form okrbot never opened", func(t *testing.T) {
				title := "Never opened, by " + u
				v := createForm(title)
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(author, v, oneKR, u, func(view map[string]any) {
					view["id"], view["hash"] = "VFORGED"+u, "1.forged"
					view["private_metadata"] = formMeta(map[string]any{"m": "new", "n": 1, "c": growth})
				}))
				if tc.want.create == allowed {
					e.created(growth, title, u)
					return
				}
				e.told(seen, refusal(tc.want.create, private), u)
				e.unchanged("create", before)
			})
			e.cell(t, "create: in a private team they are not in", func(t *testing.T) {
				title := "Board plan by " + u
				v := createForm(title)
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(author, v, merge(oneKR, slacktest.Values{"team": {"v": board}}), u, nil))
				if tc.want.createBoard == allowed {
					e.created(board, title, u)
					return
				}
				e.told(seen, refusal(tc.want.createBoard, private), u, author)
				e.unchanged("create in #board", before)
			})

			growthValues := slacktest.Values{"prompt_day": {"v": "3"}, "managers": {"v": []string{mgr}}}
			e.cell(t, "settings: a manager's form sent as theirs", func(t *testing.T) {
				v := settingsForm()
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(manager, v, growthValues, u, nil))
				if tc.want.settings == allowed {
					e.savedBy(growth, u, time.Wednesday, []string{mgr})
				} else {
					e.told(seen, refusal(tc.want.settings, notManager), u, manager)
					e.unchanged("settings", before)
				}
				// The forgery does not use up the form's own submission.
				if _, err := e.srv.SubmitView(e.ctx, manager, v.ID, growthValues); err != nil {
					t.Fatal(err)
				}
				e.savedBy(growth, manager, time.Wednesday, []string{mgr})
			})
			e.cell(t, "settings: a form okrbot never opened", func(t *testing.T) {
				v := settingsForm()
				values := slacktest.Values{"prompt_day": {"v": "4"}, "managers": {"v": []string{mgr}}}
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(manager, v, values, u, func(view map[string]any) {
					view["id"], view["hash"] = "VFORGED"+u, "1.forged"
					view["private_metadata"] = formMeta(map[string]any{"c": growth})
				}))
				if tc.want.settings == allowed {
					e.savedBy(growth, u, time.Thursday, []string{mgr})
					return
				}
				e.told(seen, refusal(tc.want.settings, notManager), u)
				e.unchanged("settings", before)
			})
			e.cell(t, "settings: private_metadata naming another team", func(t *testing.T) {
				v := settingsForm()
				values := slacktest.Values{"prompt_day": {"v": "5"}, "managers": {"v": []string{ben}}}
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(manager, v, values, u, func(view map[string]any) {
					view["private_metadata"] = formMeta(map[string]any{"c": design})
				}))
				if tc.want.design == allowed {
					e.savedBy(design, u, time.Friday, []string{ben})
					return
				}
				e.told(seen, refusal(tc.want.design, notManager), u)
				e.unchanged("#design's settings", before)
			})
			e.cell(t, "settings: private_metadata naming a private team with no settings", func(t *testing.T) {
				v := settingsForm()
				values := slacktest.Values{"prompt_day": {"v": "2"}, "managers": {"v": []string{ana}}}
				before, seen := e.snapshot(), e.markAll()
				e.send(e.forged(manager, v, values, u, func(view map[string]any) {
					view["private_metadata"] = formMeta(map[string]any{"c": board})
				}))
				if tc.want.board == allowed {
					e.savedBy(board, u, time.Tuesday, []string{ana})
					return
				}
				m := e.told(seen, refusal(tc.want.board, private), u)
				if m.Channel == e.srv.DMChannel(u) { // they are not in #board: told in their DM
					before.dms[u]++
				}
				e.unchanged("#board's settings", before)
			})
		})
	}
}
