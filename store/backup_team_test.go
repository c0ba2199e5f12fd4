package store_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/store"
	"github.com/okrbot/okrbot/store/storetest"
)

func TestBackupJSON(t *testing.T) {
	s, _ := storetest.Store(t)
	ws := storetest.Workspace()
	mine := mustCreate(t, s, objective(ws, "C1", 1))
	shared := objective(ws, "C2", 1)
	shared.SharedWith, shared.CreatedAt = []string{"C1"}, t0.Add(time.Second)
	mustCreate(t, s, shared)
	other := objective(ws, "C3", 1)
	other.CreatedAt = t0.Add(2 * time.Second)
	mustCreate(t, s, other)
	if _, err := s.UpdateObjective(ctx, ws, mine.ID, func(o *okrs.Objective) error { o.Archived = true; return nil }); err != nil {
		t.Fatal(err)
	}
	st := okrs.DefaultSettings("Europe/Berlin")
	st.Managers = []string{"U9"}
	for _, team := range []string{"C1", "C2"} {
		if err := s.SaveSettings(ctx, ws, team, st); err != nil {
			t.Fatal(err)
		}
	}

	read := func(team string) (store.Backup, string) {
		t.Helper()
		data, summary, err := s.BackupJSON(ctx, ws, team, t0)
		if err != nil {
			t.Fatal(err)
		}
		var b store.Backup
		if err := json.Unmarshal(data, &b); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if b.Format != store.BackupFormat || len(b.Workspaces) != 1 || b.Workspaces[0].ID != ws {
			t.Fatalf("got format %q with %d workspaces", b.Format, len(b.Workspaces))
		}
		return b, summary
	}
	b, summary := read("C1")
	w := b.Workspaces[0]
	var ids []string
	for _, o := range w.Objectives {
		ids = append(ids, o.ID)
	}
	if want := []string{mine.ID, shared.ID}; !slices.Equal(ids, want) {
		t.Errorf("C1's objectives: got %v, want its archived one and the one C2 shares with it %v", ids, want)
	}
	if len(w.Teams) != 2 || w.Teams[0].Channel != "C1" || w.Teams[0].Settings == nil || w.Teams[1].Channel != "C2" || w.Teams[1].Settings != nil {
		t.Errorf("C1's teams: got %+v, want C1 with its settings and C2 without", w.Teams)
	}
	if !strings.Contains(summary, "2 objectives") {
		t.Errorf("summary: got %q", summary)
	}
	all, summary := read("")
	if n := len(all.Workspaces[0].Objectives); n != 3 || !strings.Contains(summary, "3 objectives") {
		t.Errorf("the whole workspace: got %d objectives (%s), want 3", n, summary)
	}
}
