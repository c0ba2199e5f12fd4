package slacktest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func opt(value, label string) *slack.OptionBlockObject {
	return slack.NewOptionBlockObject(value, text(label), nil)
}

// checkinModal has one input of each common element type.
func checkinModal() slack.ModalViewRequest {
	due := slack.NewDatePickerBlockElement("date")
	due.InitialDate = "2026-01-01"
	progress := slack.NewPlainTextInputBlockElement(nil, "value").WithInitialValue("10")
	note := slack.NewInputBlock("note", text("Note"), nil, slack.NewPlainTextInputBlockElement(nil, "text"))
	note.Optional = true
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           text("Check-in"),
		Submit:          text("Save"),
		Close:           text("Cancel"),
		CallbackID:      "checkin_modal",
		PrivateMetadata: "okr-42",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Revenue*", false, false), nil, nil),
			slack.NewInputBlock("progress", text("Progress"), nil, progress),
			slack.NewInputBlock("status", text("Status"), nil,
				slack.NewOptionsSelectBlockElement("static_select", nil, "pick", opt("on_track", "On track"), opt("at_risk", "At risk"))),
			slack.NewInputBlock("owner", text("Owner"), nil, slack.NewOptionsSelectBlockElement("users_select", nil, "user")),
			slack.NewInputBlock("chan", text("Conversation"), nil, slack.NewOptionsSelectBlockElement("conversations_select", nil, "conv")),
			slack.NewInputBlock("chan2", text("Channel"), nil, slack.NewOptionsSelectBlockElement("channels_select", nil, "ch")),
			slack.NewInputBlock("due", text("Due"), nil, due),
			slack.NewInputBlock("pct", text("Percent"), nil, slack.NewNumberInputBlockElement(nil, "num", true)),
			slack.NewInputBlock("conf", text("Confidence"), nil, slack.NewRadioButtonsBlockElement("radio", opt("low", "Low"), opt("high", "High"))),
			slack.NewInputBlock("tags", text("Tags"), nil, slack.NewCheckboxGroupsBlockElement("cb", opt("a", "A"), opt("b", "B"), opt("c", "C"))),
			slack.NewInputBlock("watchers", text("Watchers"), nil, slack.NewOptionsMultiSelectBlockElement("multi_users_select", nil, "users")),
			note,
		}},
	}
}

func TestButtonModalSubmitRoundTrip(t *testing.T) {
	srv := New(t)
	seed(srv)
	var mu sync.Mutex
	var lastRaw json.RawMessage
	bot := startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		switch data := evt.Data.(type) {
		case slack.SlashCommand:
			_, _, err := b.api.PostMessage(data.ChannelID, slack.MsgOptionText("Check in?", false), slack.MsgOptionBlocks(
				slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Time to check in on *Revenue*", false, false), nil, nil),
				slack.NewActionBlock("okr_actions", slack.NewButtonBlockElement("checkin", "okr-42", text("Check in"))),
			))
			if err != nil {
				t.Error(err)
			}
		case slack.InteractionCallback:
			mu.Lock()
			lastRaw = evt.Request.Payload
			mu.Unlock()
			switch data.Type {
			case slack.InteractionTypeBlockActions:
				if _, err := b.api.OpenView(data.TriggerID, checkinModal()); err != nil {
					t.Error(err)
				}
			case slack.InteractionTypeViewSubmission:
				if v := data.View.State.Values["progress"]["value"].Value; v == "bad" {
					return slack.NewErrorsViewSubmissionResponse(map[string]string{"progress": "Must be a number", "section": "x"})
				}
			}
		}
		return nil
	})
	ctx := testCtx(t)

	_, err := srv.SlashCommand(ctx, Command{UserID: "U1", ChannelID: "C1", Command: "/okr", Text: "checkin"})
	mustNoErr(t, err)
	bot.next(t)
	msg, err := srv.WaitForMessage(ctx, func(m Message) bool { return slices.Contains(m.ActionIDs(), "checkin") })
	mustNoErr(t, err)
	if !strings.Contains(msg.AllText(), "*Revenue*") {
		t.Errorf("message text = %q", msg.AllText())
	}

	// Press the button: the bot gets block_actions and opens the modal.
	ack, err := srv.PressButton(ctx, "U1", msg, "checkin")
	mustNoErr(t, err)
	ic := bot.next(t).Data.(slack.InteractionCallback)
	act := ic.ActionCallback.BlockActions
	if ic.Type != slack.InteractionTypeBlockActions || len(act) != 1 || act[0].ActionID != "checkin" || act[0].Value != "okr-42" ||
		act[0].BlockID != "okr_actions" || act[0].Text.Text != "Check in" || ic.Container.Type != "message" ||
		ic.Container.ChannelID != "C1" || ic.Container.MessageTs != msg.TS || ic.Channel.ID != "C1" || ic.Message.Timestamp != msg.TS ||
		ic.ResponseURL != ack.ResponseURL || ic.TriggerID != ack.TriggerID || ic.Team.ID != "T1" || ic.User.ID != "U1" {
		t.Errorf("block_actions = %+v", ic)
	}
	view, err := srv.WaitForModal(ctx, "U1")
	mustNoErr(t, err)
	if view.CallbackID != "checkin_modal" || view.PrivateMetadata != "okr-42" || len(view.Blocks.BlockSet) != 12 {
		t.Fatalf("modal = %v", view)
	}

	// Mistakes in the test are reported, not sent.
	if _, err := srv.SubmitView(ctx, "U1", view.ID, Values{"nope": {"x": "1"}}); err == nil || !strings.Contains(err.Error(), `no block "nope"`) {
		t.Errorf("unknown block: %v", err)
	}
	if _, err := srv.SubmitView(ctx, "U1", view.ID, Values{"progress": {"value": "1"}}); err == nil || !strings.Contains(err.Error(), "required input status/pick") {
		t.Errorf("missing required input: %v", err)
	}
	if _, err := srv.SubmitView(ctx, "U1", view.ID, Values{"status": {"pick": "maybe"}}); err == nil || !strings.Contains(err.Error(), "not an option") {
		t.Errorf("unknown option: %v", err)
	}

	values := Values{
		"status":   {"pick": "at_risk"},
		"owner":    {"user": "U2"},
		"chan":     {"conv": "C1"},
		"chan2":    {"ch": "C1"},
		"pct":      {"num": 12.5},
		"conf":     {"radio": "high"},
		"tags":     {"cb": []string{"a", "c"}},
		"watchers": {"users": []string{"U1", "U2"}},
	}
	// First the bot rejects the progress value.
	values["progress"] = map[string]any{"value": "bad"}
	ack, err = srv.SubmitView(ctx, "U1", view.ID, values)
	mustNoErr(t, err)
	bot.next(t)
	if ack.ResponseAction() != "errors" || ack.Errors()["progress"] != "Must be a number" || len(ack.Warnings) != 1 {
		t.Errorf("errors ack = %s, warnings %v", ack.Payload, ack.Warnings)
	}
	if srv.OpenModal("U1") == nil {
		t.Fatal("an errors ack must keep the modal open")
	}

	// Then a valid submission closes it.
	delete(values, "progress") // back to the initial value "10"
	ack, err = srv.SubmitView(ctx, "U1", view.ID, values)
	mustNoErr(t, err)
	ic = bot.next(t).Data.(slack.InteractionCallback)
	if ack.Payload != nil || srv.OpenModal("U1") != nil {
		t.Errorf("after submit: ack %s, modal %v", ack.Payload, srv.OpenModal("U1"))
	}
	if ic.Type != slack.InteractionTypeViewSubmission || ic.View.ID != view.ID || ic.View.Hash != view.Hash ||
		ic.View.CallbackID != "checkin_modal" || ic.View.PrivateMetadata != "okr-42" || ic.Team.ID != "T1" || ic.User.ID != "U1" || ic.TriggerID == "" {
		t.Errorf("view_submission = %+v", ic)
	}
	sv := ic.View.State.Values
	if sv["status"]["pick"].SelectedOption.Value != "at_risk" || sv["owner"]["user"].SelectedUser != "U2" ||
		sv["tags"]["cb"].SelectedOptions[1].Value != "c" || sv["due"]["date"].SelectedDate != "2026-01-01" {
		t.Errorf("slack-go state = %+v", sv)
	}

	// The raw shapes, exactly as Slack sends them.
	mu.Lock()
	raw := lastRaw
	mu.Unlock()
	var p struct {
		View struct {
			State struct {
				Values map[string]map[string]json.RawMessage `json:"values"`
			} `json:"state"`
		} `json:"view"`
	}
	mustNoErr(t, json.Unmarshal(raw, &p))
	want := map[string]string{
		"progress/value": `{"type":"plain_text_input","value":"10"}`,
		"status/pick":    `{"selected_option":{"text":{"emoji":false,"text":"At risk","type":"plain_text"},"value":"at_risk"},"type":"static_select"}`,
		"owner/user":     `{"selected_user":"U2","type":"users_select"}`,
		"chan/conv":      `{"selected_conversation":"C1","type":"conversations_select"}`,
		"chan2/ch":       `{"selected_channel":"C1","type":"channels_select"}`,
		"due/date":       `{"selected_date":"2026-01-01","type":"datepicker"}`,
		"pct/num":        `{"type":"number_input","value":"12.5"}`,
		"conf/radio":     `{"selected_option":{"text":{"emoji":false,"text":"High","type":"plain_text"},"value":"high"},"type":"radio_buttons"}`,
		"tags/cb":        `{"selected_options":[{"text":{"emoji":false,"text":"A","type":"plain_text"},"value":"a"},{"text":{"emoji":false,"text":"C","type":"plain_text"},"value":"c"}],"type":"checkboxes"}`,
		"watchers/users": `{"selected_users":["U1","U2"],"type":"multi_users_select"}`,
		"note/text":      `{"type":"plain_text_input","value":null}`,
	}
	for key, w := range want {
		block, action, _ := strings.Cut(key, "/")
		var got, exp any
		if err := json.Unmarshal(p.View.State.Values[block][action], &got); err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		_ = json.Unmarshal([]byte(w), &exp)
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s = %s\n want %s", key, p.View.State.Values[block][action], w)
		}
	}
	if len(p.View.State.Values) != len(want) {
		t.Errorf("state has %d blocks, want %d", len(p.View.State.Values), len(want))
	}
}

func TestSubmissionResponseActions(t *testing.T) {
	srv := New(t)
	seed(srv)
	startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok || ic.Type != slack.InteractionTypeViewSubmission {
			return nil
		}
		switch ic.View.State.Values["name"]["value"].Value {
		case "update":
			return slack.NewUpdateViewSubmissionResponse(&[]slack.ModalViewRequest{simpleModal("updated")}[0])
		case "push":
			return slack.NewPushViewSubmissionResponse(&[]slack.ModalViewRequest{simpleModal("pushed")}[0])
		case "clear":
			return slack.NewClearViewSubmissionResponse()
		}
		return nil
	})
	api := newAPI(srv)
	ctx := testCtx(t)
	res, err := api.OpenViewContext(ctx, srv.NewTriggerID("U1"), simpleModal("root"))
	mustNoErr(t, err)
	id := res.View.ID
	submit := func(viewID, value string) {
		t.Helper()
		if _, err := srv.SubmitView(ctx, "U1", viewID, Values{"name": {"value": value}}); err != nil {
			t.Fatal(err)
		}
	}

	submit(id, "update")
	if v := srv.OpenModal("U1"); v.ID != id || v.Title != "updated" || v.Updates != 1 {
		t.Errorf("after update: %v", v)
	}
	submit(id, "push")
	top := srv.OpenModal("U1")
	if len(srv.ModalStack("U1")) != 2 || top.Title != "pushed" {
		t.Fatalf("after push: %v", srv.ModalStack("U1"))
	}
	if _, err := srv.SubmitView(ctx, "U1", id, Values{"name": {"value": "x"}}); err == nil {
		t.Error("only the top modal can be submitted")
	}
	submit(top.ID, "pop") // a bare ack pops the pushed view
	if v := srv.OpenModal("U1"); v == nil || v.ID != id {
		t.Errorf("after pop: %v", v)
	}
	submit(id, "push")
	submit(srv.OpenModal("U1").ID, "clear")
	if len(srv.ModalStack("U1")) != 0 {
		t.Errorf("after clear: %v", srv.ModalStack("U1"))
	}
	if v := srv.View(id); v == nil || v.Open {
		t.Errorf("closed view = %v", v)
	}
	if _, err := api.UpdateViewContext(ctx, simpleModal("late"), "", "", id); slackErr(err) != "not_found" {
		t.Errorf("updating a closed modal: %v", err)
	}
}

func TestCloseViewAndHomeButton(t *testing.T) {
	srv := New(t)
	seed(srv)
	bot := startBot(t, srv, nil)
	api := newAPI(srv)
	ctx := testCtx(t)

	m := simpleModal("notify")
	m.NotifyOnClose = true
	res, err := api.OpenViewContext(ctx, srv.NewTriggerID("U1"), m)
	mustNoErr(t, err)
	ack, err := srv.CloseView(ctx, "U1", res.View.ID)
	mustNoErr(t, err)
	ic := bot.next(t).Data.(slack.InteractionCallback)
	if ack == nil || ic.Type != slack.InteractionTypeViewClosed || ic.View.ID != res.View.ID || srv.OpenModal("U1") != nil {
		t.Errorf("view_closed = %+v", ic)
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Quarter", false, false), nil,
			slack.NewAccessory(slack.NewOptionsSelectBlockElement("static_select", nil, "quarter", opt("q3", "Q3"), opt("q4", "Q4")))),
		slack.NewActionBlock("", slack.NewButtonBlockElement("refresh", "", text("Refresh"))),
	}}}
	_, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home})
	mustNoErr(t, err)
	hv := srv.HomeView("U1")
	_, err = srv.PressButton(ctx, "U1", hv, "refresh")
	mustNoErr(t, err)
	ic = bot.next(t).Data.(slack.InteractionCallback)
	if ic.Container.Type != "view" || ic.View.ID != hv.ID || ic.ActionCallback.BlockActions[0].ActionID != "refresh" || ic.ActionCallback.BlockActions[0].BlockID == "" {
		t.Errorf("home button = %+v", ic)
	}
	_, err = srv.Act(ctx, "U1", hv, "quarter", "q4")
	mustNoErr(t, err)
	ic = bot.next(t).Data.(slack.InteractionCallback)
	if a := ic.ActionCallback.BlockActions[0]; a.SelectedOption.Value != "q4" || a.Type != "static_select" {
		t.Errorf("select action = %+v", a)
	}
	if _, err := srv.PressButton(ctx, "U1", hv, "nope"); err == nil || !strings.Contains(err.Error(), "refresh") {
		t.Errorf("unknown action: %v", err)
	}
}

func TestResponseURLReplaceAndDeleteOriginal(t *testing.T) {
	srv := New(t)
	seed(srv)
	startBot(t, srv, func(b *testBot, evt socketmode.Event) any {
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			return nil
		}
		var opts []slack.MsgOption
		switch ic.ActionCallback.BlockActions[0].ActionID {
		case "yes": // replace the vote with a thank-you that can be deleted
			opts = []slack.MsgOption{slack.MsgOptionReplaceOriginal(ic.ResponseURL), slack.MsgOptionText("Thanks, noted", false),
				slack.MsgOptionBlocks(slack.NewActionBlock("undo", slack.NewButtonBlockElement("delete", "", text("Delete"))))}
		case "delete":
			opts = []slack.MsgOption{slack.MsgOptionDeleteOriginal(ic.ResponseURL)}
		}
		if _, _, err := b.api.PostMessage("", opts...); err != nil {
			t.Error(err)
		}
		return nil
	})
	api := newAPI(srv)
	ctx := testCtx(t)
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("Vote", false), slack.MsgOptionBlocks(
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "Ship it?", false, false), nil, nil),
		slack.NewActionBlock("vote", slack.NewButtonBlockElement("yes", "1", text("Yes")))))
	mustNoErr(t, err)
	msg, _ := srv.Message("C1", ts)

	_, err = srv.PressButton(ctx, "U1", msg, "yes")
	mustNoErr(t, err)
	edited, err := srv.WaitForMessage(ctx, func(m Message) bool { return m.TS == ts && m.Edits == 1 })
	mustNoErr(t, err)
	// replace_original replaces the whole message: the section is gone.
	if edited.Text != "Thanks, noted" || fmt.Sprint(edited.ActionIDs()) != "[delete]" || len(edited.Blocks.BlockSet) != 1 ||
		len(srv.Messages("C1")) != 1 || edited.History[0].Text != "Vote" {
		t.Errorf("replaced = %+v", edited)
	}

	_, err = srv.PressButton(ctx, "U1", msg, "delete") // a stale copy: the fake uses the current version
	mustNoErr(t, err)
	_, err = srv.WaitForMessage(ctx, func(m Message) bool { return m.TS == ts && m.Deleted })
	mustNoErr(t, err)
	if n := len(srv.Messages("C1")); n != 0 {
		t.Errorf("%d messages left", n)
	}
	if _, err := srv.PressButton(ctx, "U1", msg, "delete"); err == nil {
		t.Error("pressing a button on a deleted message must fail")
	}
}
