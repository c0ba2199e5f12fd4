package reminders

import (
	"context"
	"log/slog"
	"time"

	"github.com/okrbot/okrbot/okrs"
)

// CyclePoster sends what a cycle's end brings; package bot implements it.
type CyclePoster interface {
	// SendGradeRequest DMs an objective owner "Grade this cycle".
	SendGradeRequest(ctx context.Context, g okrs.GradeRequest) (okrs.Posted, error)
	// PostRetrospective posts a team's retrospective in its channel, with
	// a thread for the team's answers. okrs.ErrGone: it cannot be posted
	// there, and is not retried.
	PostRetrospective(ctx context.Context, r okrs.Retrospective) (okrs.Posted, error)
}

// LateCycleWindow is how long after a cycle's end its grading and
// retrospective are still sent (late, after an outage); older cycles are
// left alone.
const LateCycleWindow = 30 * 24 * time.Hour

func gradeKey(team, cycle, user string) string { return "grade:" + team + ":" + cycle + ":" + user }

// RetroKey is the delivery key of a team's retrospective of a cycle.
func RetroKey(team, cycle string) string { return "retro:" + team + ":" + cycle }

// sweepCycle handles the end of a team's previous cycle (okrs.PreviousCycle):
// each objective owner is asked once to grade it, and once every objective
// is graded, or okrs.RetroAfter after the end, the retrospective is posted
// once. A cycle that ended during an outage is handled late, within
// LateCycleWindow.
func (s *Scheduler) sweepCycle(ctx context.Context, ws, team string, now time.Time) (okrs.SendReport, error) {
	var r okrs.SendReport
	if s.cycles == nil {
		return r, nil
	}
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return r, err
	}
	prev := okrs.PreviousCycle(st, now)
	ended := prev.EndsAt(st.Location())
	if now.Before(ended) || now.Sub(ended) > LateCycleWindow {
		return r, nil
	}
	// Once the retrospective is out (or going out), the cycle's end is done.
	if d, err := s.store.Delivery(ctx, ws, RetroKey(team, prev.Name)); err != nil {
		return r, err
	} else if d.State != okrs.DeliveryNone {
		return r, nil
	}
	all, err := s.store.TeamObjectives(ctx, ws, team, prev.Name, 0)
	if err != nil {
		return r, err
	}
	var objs []okrs.Objective
	for _, o := range all {
		if !o.Archived && len(o.Active()) > 0 {
			objs = append(objs, o)
		}
	}
	if len(objs) == 0 {
		return r, nil
	}
	late := now.Sub(ended) > LatePromptAfter
	byOwner := map[string][]okrs.Objective{}
	var order []string
	graded := 0
	for _, o := range objs {
		if o.Graded() {
			graded++
		}
		if _, ok := byOwner[o.Owner]; !ok {
			order = append(order, o.Owner)
		}
		byOwner[o.Owner] = append(byOwner[o.Owner], o)
	}
	for _, user := range order {
		g := okrs.GradeRequest{Workspace: ws, Team: team, User: user, Cycle: prev, Objectives: byOwner[user], Late: late}
		g.Key = gradeKey(team, prev.Name, user)
		r.Add(s.deliverOnce(ctx, ws, g.Key, markerTTL, "grade", slog.Group("grade", slog.String("team", team), slog.String("user", user), slog.String("cycle", prev.Name)),
			nil, func(ctx context.Context) (okrs.Posted, error) { return s.cycles.SendGradeRequest(ctx, g) }))
	}
	if graded < len(objs) && now.Sub(ended) < okrs.RetroAfter {
		return r, nil
	}
	retro := okrs.Retrospective{Workspace: ws, Team: team, Channel: team, Cycle: prev, Objectives: objs,
		Late: now.Sub(ended.Add(okrs.RetroAfter)) > LatePromptAfter && graded < len(objs), Key: RetroKey(team, prev.Name)}
	r.Add(s.deliverOnce(ctx, ws, retro.Key, markerTTL, "retro", slog.Group("retro", slog.String("team", team), slog.String("cycle", prev.Name)),
		nil, func(ctx context.Context) (okrs.Posted, error) { return s.cycles.PostRetrospective(ctx, retro) }))
	return r, nil
}

// CycleNow handles the end of a team's previous cycle at once: after a
// manager closes the cycle (grading starts), or after an owner's grades
// (the retrospective may be due). Like the sweep, it sends each thing once.
func (s *Scheduler) CycleNow(ctx context.Context, ws, team string) (okrs.SendReport, error) {
	return s.sweepCycle(ctx, ws, team, s.clock.Now())
}

// Retrospective composes the team's retrospective of its previous cycle
// as it stands now, and says where it was posted, if it was.
func (s *Scheduler) Retrospective(ctx context.Context, ws, team string) (okrs.Retrospective, okrs.Delivery, error) {
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return okrs.Retrospective{}, okrs.Delivery{}, err
	}
	prev := okrs.PreviousCycle(st, s.clock.Now())
	all, err := s.store.TeamObjectives(ctx, ws, team, prev.Name, 0)
	if err != nil {
		return okrs.Retrospective{}, okrs.Delivery{}, err
	}
	retro := okrs.Retrospective{Workspace: ws, Team: team, Channel: team, Cycle: prev, Key: RetroKey(team, prev.Name)}
	for _, o := range all {
		if !o.Archived && len(o.Active()) > 0 {
			retro.Objectives = append(retro.Objectives, o)
		}
	}
	d, err := s.store.Delivery(ctx, ws, retro.Key)
	return retro, d, err
}
