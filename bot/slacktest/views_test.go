package slacktest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func text(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject("plain_text", s, false, false)
}

func simpleModal(title string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      text(title),
		Close:      text("Cancel"),
		Submit:     text("Save"),
		CallbackID: "cb_" + title,
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("name", text("Name"), nil, slack.NewPlainTextInputBlockElement(nil, "value")),
		}},
	}
}

func TestViewsOpenTriggers(t *testing.T) {
	clock := &fakeClock{}
	srv := New(t, WithClock(clock.now))
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)

	trig := srv.NewTriggerID("U1")
	res, err := api.OpenViewContext(ctx, trig, simpleModal("first"))
	mustNoErr(t, err)
	if res.View.ID == "" || res.View.Hash == "" || res.View.TeamID != "T1" || res.View.CallbackID != "cb_first" ||
		res.View.RootViewID != res.View.ID || res.View.State == nil || res.View.AppID != srv.AppID() {
		t.Errorf("view = %+v", res.View)
	}
	if m := srv.OpenModal("U1"); m == nil || m.ID != res.View.ID || m.Title != "first" || !m.Open || m.UserID != "U1" {
		t.Errorf("open modal = %v", m)
	}

	_, err = api.OpenViewContext(ctx, trig, simpleModal("again"))
	if slackErr(err) != "exchanged_trigger_id" {
		t.Errorf("reused trigger: %v", err)
	}
	stale := srv.NewTriggerID("U1")
	clock.advance(3*time.Second + time.Millisecond)
	if _, err = api.OpenViewContext(ctx, stale, simpleModal("late")); slackErr(err) != "expired_trigger_id" {
		t.Errorf("expired trigger: %v", err)
	}
	if _, err = api.OpenViewContext(ctx, "123.456.abc", simpleModal("bogus")); slackErr(err) != "invalid_trigger_id" {
		t.Errorf("unknown trigger: %v", err)
	}

	// An invalid view is refused without spending the trigger.
	fresh := srv.NewTriggerID("U1")
	_, err = api.OpenViewContext(ctx, fresh, simpleModal("a title that is far too long"))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_arguments" || !strings.Contains(strings.Join(se.ResponseMetadata.Messages, " "), "/view/title/text") {
		t.Errorf("long title: %#v", err)
	}
	_, err = api.OpenViewContext(ctx, fresh, simpleModal("second"))
	mustNoErr(t, err)
}

func TestViewsUpdatePushPublish(t *testing.T) {
	srv := New(t)
	seed(srv)
	api := newAPI(srv)
	ctx := testCtx(t)

	open := simpleModal("root")
	open.ExternalID = "ext-root"
	res, err := api.OpenViewContext(ctx, srv.NewTriggerID("U1"), open)
	mustNoErr(t, err)
	root := res.View

	upd, err := api.UpdateViewContext(ctx, simpleModal("root v2"), "", root.Hash, root.ID)
	mustNoErr(t, err)
	if upd.View.ID != root.ID || upd.View.Hash == root.Hash || srv.View(root.ID).Title != "root v2" || srv.View(root.ID).Updates != 1 {
		t.Errorf("updated = %+v", upd.View)
	}
	if _, err = api.UpdateViewContext(ctx, simpleModal("root v3"), "", root.Hash, root.ID); slackErr(err) != "hash_conflict" {
		t.Errorf("stale hash: %v", err)
	}
	_, err = api.UpdateViewContext(ctx, simpleModal("root v3"), "ext-root", "", "")
	mustNoErr(t, err)
	if _, err = api.UpdateViewContext(ctx, simpleModal("x"), "", "", "V404"); slackErr(err) != "not_found" {
		t.Errorf("unknown view: %v", err)
	}

	var pushed []string
	for i := range 2 {
		res, err := api.PushViewContext(ctx, srv.NewTriggerID("U1"), simpleModal("pushed"))
		mustNoErr(t, err)
		if res.View.RootViewID != root.ID {
			t.Errorf("push %d root = %s", i, res.View.RootViewID)
		}
		pushed = append(pushed, res.View.ID)
	}
	if srv.View(pushed[1]).PreviousViewID != pushed[0] {
		t.Errorf("previous view = %s", srv.View(pushed[1]).PreviousViewID)
	}
	if _, err = api.PushViewContext(ctx, srv.NewTriggerID("U1"), simpleModal("fourth")); slackErr(err) != "push_limit_reached" {
		t.Errorf("fourth view: %v", err)
	}
	if st := srv.ModalStack("U1"); len(st) != 3 || srv.OpenModal("U1").ID != pushed[1] {
		t.Errorf("stack = %v", st)
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Your OKRs", false, false), nil, nil),
	}}}
	pub, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home})
	mustNoErr(t, err)
	if h := srv.HomeView("U1"); h == nil || h.ID != pub.View.ID || !strings.Contains(h.AllText(), "Your OKRs") {
		t.Errorf("home = %v", h)
	}
	stale := "1.stale"
	if _, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home, Hash: &stale}); slackErr(err) != "hash_conflict" {
		t.Errorf("publish with stale hash: %v", err)
	}
	pub2, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home, Hash: &pub.View.Hash})
	mustNoErr(t, err)
	if pub2.View.ID != pub.View.ID || pub2.View.Hash == pub.View.Hash {
		t.Errorf("republished = %+v", pub2.View)
	}
	if _, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U9", View: home}); slackErr(err) != "user_not_found" {
		t.Errorf("publish for unknown user: %v", err)
	}
}
