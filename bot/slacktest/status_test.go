package slacktest

import (
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestUserStatus(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	srv := New(t)
	for _, id := range []string{"U1", "U2", "U3"} {
		srv.AddUser(User{ID: id, TeamID: "T1"})
	}
	back := now.Add(48 * time.Hour)
	srv.SetStatus("U1", Status{Text: "On vacation", Emoji: ":palm_tree:", Expiration: back})
	srv.SetStatus("U2", Status{Text: "OOO", Emoji: ":no_entry:"})
	api := newAPI(srv)
	ctx := testCtx(t)
	users, err := api.GetUsersContext(ctx, slack.GetUsersOptionLimit(2), slack.GetUsersOptionTeamID("T1"))
	mustNoErr(t, err)
	by := map[string]slack.UserProfile{}
	for _, u := range users {
		by[u.ID] = u.Profile
	}
	if p := by["U1"]; p.StatusText != "On vacation" || p.StatusEmoji != ":palm_tree:" || int64(p.StatusExpiration) != back.Unix() {
		t.Errorf("U1's profile in users.list = %+v", p)
	}
	if p := by["U2"]; p.StatusText != "OOO" || p.StatusExpiration != 0 {
		t.Errorf("U2's profile = %+v", p)
	}
	if p := by["U3"]; p.StatusText != "" || p.StatusEmoji != "" {
		t.Errorf("U3 has no status: %+v", p)
	}
	srv.SetStatus("U1", Status{})
	u, err := api.GetUserInfoContext(ctx, "U1")
	mustNoErr(t, err)
	if u.Profile.StatusText != "" || u.Profile.StatusEmoji != "" || u.Profile.StatusExpiration != 0 {
		t.Errorf("a cleared status still shown: %+v", u.Profile)
	}
}
