package slacktest

import (
	"fmt"
	"testing"

	"github.com/slack-go/slack"
)

func TestConversationsList(t *testing.T) {
	srv := New(t)
	seed(srv) // #growth (C1, bot in), private #secret (C2, bot not in)
	srv.AddChannel(Channel{ID: "G3", TeamID: "T1", Name: "board", IsPrivate: true, BotIsMember: true})
	srv.AddChannel(Channel{ID: "C4", TeamID: "T1", Name: "old", IsArchived: true})
	srv.AddChannel(Channel{ID: "C5", TeamID: "T2", Name: "elsewhere"})
	srv.AddChannel(Channel{ID: "C6", TeamID: "T1", Name: "design"})
	api := newAPI(srv)
	ctx := testCtx(t)
	names := func(p *slack.GetConversationsParameters) (out []string, pages int) {
		t.Helper()
		for {
			chans, next, err := api.GetConversationsContext(ctx, p)
			mustNoErr(t, err)
			pages++
			for _, c := range chans {
				out = append(out, c.Name)
			}
			if next == "" {
				return out, pages
			}
			p.Cursor = next
		}
	}
	for _, c := range []struct {
		params *slack.GetConversationsParameters
		want   string
		pages  int
	}{
		{&slack.GetConversationsParameters{}, "[design growth old]", 1},
		{&slack.GetConversationsParameters{ExcludeArchived: true}, "[design growth]", 1},
		{&slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}, Limit: 2}, "[board design growth old]", 2},
		{&slack.GetConversationsParameters{Types: []string{"private_channel"}}, "[board]", 1},
	} {
		got, pages := names(c.params)
		if fmt.Sprint(got) != c.want || pages != c.pages {
			t.Errorf("%+v: got %v in %d pages, want %s in %d", *c.params, got, pages, c.want, c.pages)
		}
	}
	if _, _, err := api.GetConversationsContext(ctx, &slack.GetConversationsParameters{Types: []string{"rooms"}}); slackErr(err) != "invalid_types" {
		t.Errorf("unknown type: %v", err)
	}
}
