package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// maxTxAttempts bounds optimistic-locking retries of UpdateObjective.
const maxTxAttempts = 16

// CreateObjective stores a new objective with its key results in one
// atomic write, giving each an ID. It checks that a parent objective exists
// in the workspace. The caller validates first.
func (s *Store) CreateObjective(ctx context.Context, o *okrs.Objective) error {
	k := s.keys(o.Workspace)
	if o.ID == "" {
		o.ID = newID()
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = time.Now()
	}
	for i := range o.KeyResults {
		kr := &o.KeyResults[i]
		if kr.ID == "" {
			kr.ID = newID()
		}
		kr.ObjectiveID = o.ID
		if kr.CreatedAt.IsZero() {
			kr.CreatedAt = o.CreatedAt
		}
		if kr.LastCheckIn.IsZero() {
			kr.Current = kr.Start
		}
	}
	for i := range o.Proposals {
		if o.Proposals[i].ID == "" {
			o.Proposals[i].ID = newID()
		}
	}
	if o.ParentID != "" {
		n, err := s.rdb.Exists(ctx, k.objective(o.ParentID)).Result()
		if err != nil {
			return unavailable("check parent", err)
		}
		if n == 0 {
			return &okrs.Error{Code: okrs.ENOTFOUND, Field: okrs.FieldParent, Message: "That parent objective no longer exists."}
		}
	}
	doc, err := encodeObjective(o)
	if err != nil {
		return err
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, k.objective(o.ID), doc, 0)
		p.SAdd(ctx, k.objectiveIndex(), o.ID) // every objective, archived ones too (schema version 1)
		for i := range o.KeyResults {
			kr := &o.KeyResults[i]
			p.HSet(ctx, k.keyResult(kr.ID), hObjective, o.ID, hCurrent, fmtFloat(kr.Current))
			if kr.Archived || o.Archived {
				p.HSet(ctx, k.keyResult(kr.ID), hArchived, "1")
			} else {
				p.SAdd(ctx, k.userKeyResults(kr.Owner), o.ID+"/"+kr.ID)
			}
		}
		for _, t := range o.Teams() { // its team's and every sharing team's
			if !o.Archived {
				p.ZAdd(ctx, k.teamCycle(t, o.Cycle), redis.Z{Score: float64(ms(o.CreatedAt)), Member: o.ID})
			}
			p.SAdd(ctx, k.teams(), t)
		}
		if awaits(o) {
			p.SAdd(ctx, k.ownerProposals(o.Owner), o.ID)
		}
		return nil
	})
	if err != nil {
		return unavailable("create objective", err)
	}
	return s.noteWorkspace(ctx, o.Workspace)
}

// Objective returns one objective of the workspace with its key results'
// live state; ENOTFOUND for an id of another workspace.
func (s *Store) Objective(ctx context.Context, workspace, id string) (*okrs.Objective, error) {
	k := s.keys(workspace)
	raw, err := s.rdb.Get(ctx, k.objective(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, notFound("That objective does not exist (it may have been deleted).")
	}
	if err != nil {
		return nil, unavailable("get objective", err)
	}
	o, err := decodeObjective(workspace, raw)
	if err != nil {
		return nil, err
	}
	if err := s.loadLive(ctx, s.rdb, k, []*okrs.Objective{o}, 0); err != nil {
		return nil, err
	}
	return o, nil
}

// loadLive fills in the live state, and up to history check-ins, of every
// key result of objs, in one round trip.
func (s *Store) loadLive(ctx context.Context, c redis.Cmdable, k keys, objs []*okrs.Objective, history int) error {
	type pending struct {
		kr   *okrs.KeyResult
		live *redis.MapStringStringCmd
		hist *redis.StringSliceCmd
	}
	var ps []pending
	_, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, o := range objs {
			for i := range o.KeyResults {
				kr := &o.KeyResults[i]
				pd := pending{kr: kr, live: p.HGetAll(ctx, k.keyResult(kr.ID))}
				if history != 0 {
					pd.hist = p.LRange(ctx, k.krCheckIns(kr.ID), 0, lastIndex(history))
				}
				ps = append(ps, pd)
			}
		}
		return nil
	})
	if err != nil {
		return unavailable("load key results", err)
	}
	for _, pd := range ps {
		applyLive(pd.kr, pd.live.Val())
		if pd.hist == nil {
			continue
		}
		items := pd.hist.Val()
		pd.kr.CheckIns = make([]okrs.CheckIn, 0, len(items))
		for _, it := range items {
			if ci, err := decodeCheckIn(pd.kr.ID, []byte(it)); err == nil {
				pd.kr.CheckIns = append(pd.kr.CheckIns, ci)
			}
		}
	}
	return nil
}

// UpdateObjective reads the objective, lets update check and change it and
// writes it back atomically, retrying (and calling update again on a fresh
// read) when a concurrent write got in first: a permission check inside
// update always judges what it replaces. Key results and proposals with an
// empty ID are added; neither is ever removed (archive key results; decide
// or withdraw proposals). An error from update aborts without writing.
func (s *Store) UpdateObjective(ctx context.Context, workspace, id string, update func(*okrs.Objective) error) (*okrs.Objective, error) {
	k := s.keys(workspace)
	key := k.objective(id)
	var result *okrs.Objective
	txf := func(tx *redis.Tx) error {
		raw, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return notFound("That objective does not exist (it may have been deleted).")
		}
		if err != nil {
			return err
		}
		old, err := decodeObjective(workspace, raw)
		if err != nil {
			return err
		}
		krKeys := make([]string, len(old.KeyResults))
		for i, kr := range old.KeyResults {
			krKeys[i] = k.keyResult(kr.ID)
		}
		if len(krKeys) > 0 {
			if err := tx.Watch(ctx, krKeys...).Err(); err != nil {
				return err
			}
		}
		if err := s.loadLive(ctx, tx, k, []*okrs.Objective{old}, 0); err != nil {
			return err
		}
		cur, _ := decodeObjective(workspace, raw)
		for i := range cur.KeyResults {
			cur.KeyResults[i].Current = old.KeyResults[i].Current
			cur.KeyResults[i].Confidence = old.KeyResults[i].Confidence
			cur.KeyResults[i].LastCheckIn = old.KeyResults[i].LastCheckIn
			cur.KeyResults[i].LastAuthor = old.KeyResults[i].LastAuthor
		}
		if err := update(cur); err != nil {
			return err
		}
		cur.ID, cur.Workspace = old.ID, old.Workspace
		if err := keepsKeyResults(old, cur); err != nil {
			return err
		}
		if err := keepsProposals(old, cur); err != nil {
			return err
		}
		for i := range cur.Proposals {
			if cur.Proposals[i].ID == "" {
				cur.Proposals[i].ID = newID()
			}
		}
		for i := range cur.KeyResults {
			kr := &cur.KeyResults[i]
			if kr.ID == "" {
				kr.ID = newID()
				if kr.CreatedAt.IsZero() {
					kr.CreatedAt = time.Now()
				}
				kr.Current = kr.Start
			}
			kr.ObjectiveID = cur.ID
		}
		doc, err := encodeObjective(cur)
		if err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, doc, 0)
			p.SAdd(ctx, k.objectiveIndex(), cur.ID) // heals an objective an older release created after the migration
			s.writeIndexes(ctx, p, k, old, cur)
			return nil
		})
		if err == nil {
			result = cur
		}
		return err
	}
	if err := s.watch(ctx, "update objective", "Someone else is changing this objective right now. Please try again.", txf, key); err != nil {
		return nil, err
	}
	return result, s.noteWorkspace(ctx, workspace)
}

// watch runs txf in an optimistic transaction on keys, again when a
// concurrent write got in first (up to maxTxAttempts, then ECONFLICT with
// busy as its message). Domain errors from txf pass through; Redis errors
// become EUNAVAILABLE for op.
func (s *Store) watch(ctx context.Context, op, busy string, txf func(*redis.Tx) error, keys ...string) error {
	for range maxTxAttempts {
		err := s.rdb.Watch(ctx, txf, keys...)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, redis.TxFailedErr):
			continue
		}
		var de *okrs.Error
		if errors.As(err, &de) {
			return err
		}
		return unavailable(op, err)
	}
	return okrs.Errorf(okrs.ECONFLICT, "%s", busy)
}

// keepsKeyResults checks that an update kept every key result (archiving is
// how one goes) and did not invent ids.
func keepsKeyResults(old, cur *okrs.Objective) error {
	for _, kr := range old.KeyResults {
		if cur.KeyResult(kr.ID) == nil {
			return okrs.Errorf(okrs.EINVALID, "Key results cannot be deleted; archive them instead.")
		}
	}
	for _, kr := range cur.KeyResults {
		if kr.ID != "" && old.KeyResult(kr.ID) == nil {
			return okrs.Errorf(okrs.EINVALID, "That key result belongs to another objective.")
		}
	}
	return nil
}

// keepsProposals checks that an update kept every proposal, the objective's
// record of them, and did not invent ids.
func keepsProposals(old, cur *okrs.Objective) error {
	for _, p := range old.Proposals {
		if cur.Proposal(p.ID) == nil {
			return okrs.Errorf(okrs.EINVALID, "Proposals cannot be deleted; decline or withdraw them instead.")
		}
	}
	for _, p := range cur.Proposals {
		if p.ID != "" && old.Proposal(p.ID) == nil {
			return okrs.Errorf(okrs.EINVALID, "That proposal belongs to another objective.")
		}
	}
	return nil
}

// awaits reports whether o is in its owner's index of objectives with
// proposals to decide.
func awaits(o *okrs.Objective) bool { return !o.Archived && len(o.Pending()) > 0 }

// writeIndexes queues the index and live-state changes that take old to cur.
func (s *Store) writeIndexes(ctx context.Context, p redis.Pipeliner, k keys, old, cur *okrs.Objective) {
	if awaits(old) && (!awaits(cur) || old.Owner != cur.Owner) {
		p.SRem(ctx, k.ownerProposals(old.Owner), old.ID)
	}
	if awaits(cur) {
		p.SAdd(ctx, k.ownerProposals(cur.Owner), cur.ID)
	}
	// The objective is in the cycle index of its team and of each team
	// sharing it, while it is not archived.
	was, is := cycleIndexes(k, old), cycleIndexes(k, cur)
	for _, key := range was {
		if !slices.Contains(is, key) {
			p.ZRem(ctx, key, old.ID)
		}
	}
	for _, key := range is {
		if !slices.Contains(was, key) {
			p.ZAdd(ctx, key, redis.Z{Score: float64(ms(cur.CreatedAt)), Member: cur.ID})
		}
	}
	for _, t := range cur.Teams() {
		if !slices.Contains(old.Teams(), t) {
			p.SAdd(ctx, k.teams(), t)
		}
	}
	for i := range cur.KeyResults {
		kr := &cur.KeyResults[i]
		active := !kr.Archived && !cur.Archived
		member := cur.ID + "/" + kr.ID
		prev := old.KeyResult(kr.ID)
		if prev == nil {
			p.HSet(ctx, k.keyResult(kr.ID), hObjective, cur.ID, hCurrent, fmtFloat(kr.Start))
		} else {
			wasActive := !prev.Archived && !old.Archived
			if wasActive && (!active || prev.Owner != kr.Owner) {
				p.SRem(ctx, k.userKeyResults(prev.Owner), member)
			}
			if prev.LastCheckIn.IsZero() && prev.Start != kr.Start {
				p.HSet(ctx, k.keyResult(kr.ID), hCurrent, fmtFloat(kr.Start))
			}
		}
		if active {
			p.SAdd(ctx, k.userKeyResults(kr.Owner), member)
			p.HDel(ctx, k.keyResult(kr.ID), hArchived)
		} else {
			p.HSet(ctx, k.keyResult(kr.ID), hArchived, "1")
		}
	}
}

// cycleIndexes returns the team-cycle indexes o belongs in: none when it is
// archived, else its team's and each sharing team's.
func cycleIndexes(k keys, o *okrs.Objective) []string {
	if o.Archived {
		return nil
	}
	var out []string
	for _, t := range o.Teams() {
		out = append(out, k.teamCycle(t, o.Cycle))
	}
	return out
}

// TeamObjectives returns a team's objectives for a cycle, those other
// teams share with it included, oldest first,
// archived ones left out, each key result with up to history check-ins
// (newest first; -1 for all, 0 for none). It takes three round trips whatever
// the team's size: the
// cycle's index, the objectives, and their key results' state and history.
func (s *Store) TeamObjectives(ctx context.Context, workspace, team, cycle string, history int) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	ids, err := s.rdb.ZRange(ctx, k.teamCycle(team, cycle), 0, -1).Result()
	if err != nil {
		return nil, unavailable("list objectives", err)
	}
	objs, err := s.objectives(ctx, workspace, k, ids, history)
	if err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(objs))
	for _, o := range objs {
		if !o.Archived && o.BelongsTo(team) && o.Cycle == cycle {
			out = append(out, *o)
		}
	}
	return out, nil
}

// CountTeamObjectives returns how many active objectives a team has in a
// cycle, in one round trip.
func (s *Store) CountTeamObjectives(ctx context.Context, workspace, team, cycle string) (int, error) {
	n, err := s.rdb.ZCard(ctx, s.keys(workspace).teamCycle(team, cycle)).Result()
	if err != nil {
		return 0, unavailable("count objectives", err)
	}
	return int(n), nil
}

// CycleObjectives returns every team's objectives for a cycle, oldest first,
// without key-result live state (enough for a picker), in three round trips:
// the
// teams, their cycle indexes, the objectives.
func (s *Store) CycleObjectives(ctx context.Context, workspace, cycle string) ([]okrs.Objective, error) {
	return s.cycleObjectives(ctx, workspace, cycle, noLive)
}

// AlignedObjectives returns every team's objectives for a cycle, oldest
// first, with their key results' live state (for the alignment tree and its
// progress), in four round trips.
func (s *Store) AlignedObjectives(ctx context.Context, workspace, cycle string) ([]okrs.Objective, error) {
	return s.cycleObjectives(ctx, workspace, cycle, 0)
}

func (s *Store) cycleObjectives(ctx context.Context, workspace, cycle string, history int) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	teams, err := s.rdb.SMembers(ctx, k.teams()).Result()
	if err != nil {
		return nil, unavailable("list teams", err)
	}
	idx := make([]*redis.StringSliceCmd, len(teams))
	if _, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, t := range teams {
			idx[i] = p.ZRange(ctx, k.teamCycle(t, cycle), 0, -1)
		}
		return nil
	}); err != nil {
		return nil, unavailable("list objectives", err)
	}
	var ids []string
	seen := map[string]bool{}
	for _, c := range idx {
		for _, id := range c.Val() {
			if !seen[id] { // a shared objective is in several teams' indexes
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	objs, err := s.objectives(ctx, workspace, k, ids, history)
	if err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(objs))
	for _, o := range objs {
		if !o.Archived && o.Cycle == cycle {
			out = append(out, *o)
		}
	}
	slices.SortFunc(out, func(a, b okrs.Objective) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// noLive asks objectives for the documents only, without the key results'
// live state.
const noLive = -2

// objectives loads objectives by id, with their key results and up to
// history check-ins each, in two round trips (one with history noLive).
// Ids with no objective are skipped.
func (s *Store) objectives(ctx context.Context, workspace string, k keys, ids []string, history int) ([]*okrs.Objective, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	objKeys := make([]string, len(ids))
	for i, id := range ids {
		objKeys[i] = k.objective(id)
	}
	raws, err := s.rdb.MGet(ctx, objKeys...).Result()
	if err != nil {
		return nil, unavailable("load objectives", err)
	}
	objs := make([]*okrs.Objective, 0, len(raws))
	for _, r := range raws {
		str, ok := r.(string)
		if !ok {
			continue
		}
		o, err := decodeObjective(workspace, []byte(str))
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	if history == noLive {
		return objs, nil
	}
	if err := s.loadLive(ctx, s.rdb, k, objs, history); err != nil {
		return nil, err
	}
	return objs, nil
}

// OwnedObjectives returns the objectives, across teams and cycles, in which
// user owns at least one active key result, with every key result's live
// state, in three round trips.
func (s *Store) OwnedObjectives(ctx context.Context, workspace, user string) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	members, err := s.rdb.SMembers(ctx, k.userKeyResults(user)).Result()
	if err != nil {
		return nil, unavailable("list key results", err)
	}
	var ids []string
	for _, m := range members {
		oid, _, _ := strings.Cut(m, "/")
		if !slices.Contains(ids, oid) {
			ids = append(ids, oid)
		}
	}
	objs, err := s.objectives(ctx, workspace, k, ids, 0)
	if err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(objs))
	for _, o := range objs {
		if o.Archived {
			continue
		}
		for _, kr := range o.KeyResults {
			if kr.Owner == user && !kr.Archived {
				out = append(out, *o)
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b okrs.Objective) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

// AwaitingDecision returns the objectives of the workspace whose owner is
// user and that have proposals waiting for them, oldest first, without key
// results' live state, in two round trips.
func (s *Store) AwaitingDecision(ctx context.Context, workspace, user string) ([]okrs.Objective, error) {
	k := s.keys(workspace)
	ids, err := s.rdb.SMembers(ctx, k.ownerProposals(user)).Result()
	if err != nil {
		return nil, unavailable("list proposals", err)
	}
	objs, err := s.objectives(ctx, workspace, k, ids, noLive)
	if err != nil {
		return nil, err
	}
	out := make([]okrs.Objective, 0, len(objs))
	for _, o := range objs {
		if o.Owner == user && awaits(o) {
			out = append(out, *o)
		}
	}
	slices.SortFunc(out, func(a, b okrs.Objective) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return out, nil
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
