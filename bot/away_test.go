package bot

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/bot/slacktest"
	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestAwayReadsStatusesInBulkAndCachesThem(t *testing.T) {
	srv := slacktest.New(t)
	srv.AddWorkspace(slacktest.Workspace{ID: "T1", Name: "Acme"})
	srv.AddWorkspace(slacktest.Workspace{ID: "T2", Name: "Globex"})
	for i := range 2500 { // three pages of users.list
		srv.AddUser(slacktest.User{ID: fmt.Sprintf("U%04d", i), TeamID: "T1"})
	}
	srv.AddUser(slacktest.User{ID: "UGLOBEX", TeamID: "T2"})
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(start.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	back := start.Add(48 * time.Hour)
	srv.SetStatus("U0001", slacktest.Status{Text: "On vacation", Emoji: ":palm_tree:", Expiration: back})
	srv.SetStatus("U0002", slacktest.Status{Text: "In a meeting", Emoji: ":calendar:"})
	srv.SetStatus("U2400", slacktest.Status{Text: "Out sick", Emoji: ":face_with_thermometer:"})
	srv.SetStatus("UGLOBEX", slacktest.Status{Text: "OOO"})
	st, _ := storetest.Store(t)
	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()))
	b := New(Options{API: api, APIURL: srv.APIURL(), Store: st, Now: now, Logger: slog.New(slog.DiscardHandler)})
	ctx := context.Background()
	users := []string{"U0001", "U0002", "U0003", "U2400", "UGLOBEX"}

	// Many teams asking at once: one listing of T1 (three pages).
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			got, err := b.Away(ctx, "T1", users, now())
			if err != nil {
				t.Error(err)
				return
			}
			if len(got) != 2 || got["U0001"].Source != okrs.AwayStatus || !got["U0001"].Until.Equal(back) || !got["U2400"].Until.IsZero() {
				t.Errorf("away = %+v, want U0001 until %v and U2400 until changed", got, back)
			}
		})
	}
	wg.Wait()
	if n := len(srv.Calls("users.list")); n != 3 {
		t.Errorf("%d users.list calls for 2,500 people asked 8 times, want 3 (one listing)", n)
	}
	// Persons' timezones come from the same listing: no users.info.
	if _, err := b.Person(ctx, "T1", "U0003"); err != nil || len(srv.Calls("users.info")) != 0 {
		t.Errorf("Person after the listing: %v, %d users.info calls", err, len(srv.Calls("users.info")))
	}
	// Another workspace is listed on its own (T1's listing is by team).
	if got, _ := b.Away(ctx, "T2", []string{"UGLOBEX"}, now()); len(got) != 1 {
		t.Errorf("T2: %+v", got)
	}
	// Within the TTL, a changed status is not seen yet; after it, it is.
	srv.SetStatus("U0003", slacktest.Status{Emoji: ":palm_tree:"})
	clock.Store(start.Add(2 * time.Minute).UnixNano())
	if got, _ := b.Away(ctx, "T1", users, now()); len(got) != 2 {
		t.Errorf("within the TTL: %+v", got)
	}
	clock.Store(start.Add(statusTTL + time.Minute).UnixNano())
	if got, _ := b.Away(ctx, "T1", users, now()); len(got) != 3 {
		t.Errorf("after the TTL: %+v, want U0003 away too", got)
	}
	// Past its expiration, a vacation status no longer counts.
	if got, _ := b.Away(ctx, "T1", users, back); len(got) != 2 {
		t.Errorf("at the status's expiration: %+v, want U0001 back", got)
	}
}
