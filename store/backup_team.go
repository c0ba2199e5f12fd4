package store

import (
	"context"
	"slices"
	"time"
)

// BackupJSON returns the backup document (the format of MarshalBackup) of
// the workspace, made at now, with a summary of what it holds ("2 teams (1
// with settings), 5 objectives, …"). With a team, it holds only that team's
// records: its settings, and its objectives of every cycle (archived ones
// and those other teams share with it included), with the other teams
// those objectives name listed by channel only, without their settings.
// An objective's parent in another team is kept as an id, so a team's
// document is the team's data to read or keep; restoring is done from a
// whole workspace's.
func (s *Store) BackupJSON(ctx context.Context, workspace, team string, now time.Time) ([]byte, string, error) {
	w, err := s.ExportWorkspace(ctx, workspace)
	if err != nil {
		return nil, "", err
	}
	if team != "" {
		w = teamOnly(w, team)
	}
	data, err := MarshalBackup(NewBackup(now, w))
	if err != nil {
		return nil, "", err
	}
	return data, w.Counts().String(), nil
}

// teamOnly keeps the team's records of a workspace's backup.
func teamOnly(w BackupWorkspace, team string) BackupWorkspace {
	out := BackupWorkspace{ID: w.ID, Teams: []BackupTeam{}, Objectives: []BackupObjective{}}
	named := map[string]bool{team: true}
	for _, o := range w.Objectives {
		if o.Team == team || slices.Contains(o.SharedWith, team) {
			out.Objectives = append(out.Objectives, o)
			named[o.Team] = true
			for _, t := range o.SharedWith {
				named[t] = true
			}
		}
	}
	for _, t := range w.Teams {
		switch {
		case t.Channel == team:
			out.Teams = append(out.Teams, t)
		case named[t.Channel]:
			out.Teams = append(out.Teams, BackupTeam{Channel: t.Channel})
		}
	}
	return out
}
