package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okrbot/okrbot/okrs"
)

// Backups read and write a workspace's durable records: its teams and their
// settings, its objectives (archived ones too) with their key results, live
// state, check-ins, course corrections, proposals and gradings. Markers
// (deliveries, attempts, idempotency keys, last prompts, DM channels, App
// Home visits, drafts, pending sends) are not part of a backup: they expire
// or are re-learned, and bring nothing back.

// ExportWorkspace returns every durable record of the workspace, read as
// one consistent snapshot (the reads are watched, and read again if a write
// got in between). A workspace with no data gives an empty record, not an
// error. It reads one workspace's keys only (no SCAN), except on data not
// yet migrated to schema version 1.
func (s *Store) ExportWorkspace(ctx context.Context, workspace string) (BackupWorkspace, error) {
	v, err := s.SchemaVersionOf(ctx)
	if err != nil {
		return BackupWorkspace{}, err
	}
	k := s.keys(workspace)
	var out BackupWorkspace
	txf := func(tx *redis.Tx) error {
		d, err := s.readWorkspace(ctx, tx, workspace, v < 1)
		if err != nil {
			return err
		}
		// EXEC fails if any key read changed since it was watched.
		if _, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Exists(ctx, k.teams())
			return nil
		}); err != nil {
			return err
		}
		out = d.backup()
		return nil
	}
	if err := s.watch(ctx, "export workspace", "The workspace kept changing while it was being exported. Please try again.", txf, k.teams(), k.objectiveIndex()); err != nil {
		return BackupWorkspace{}, err
	}
	return out, nil
}

// ExportAll returns every workspace's records (see ExportWorkspace), in
// order of workspace id.
func (s *Store) ExportAll(ctx context.Context) ([]BackupWorkspace, error) {
	ids, err := s.Workspaces(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BackupWorkspace, 0, len(ids))
	for _, id := range ids {
		w, err := s.ExportWorkspace(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("store: exporting workspace %s: %w", id, err)
		}
		out = append(out, w)
	}
	return out, nil
}

// readWorkspace reads the workspace's durable records on tx, watching every
// key before it reads it. scan finds objectives by SCAN (data of schema
// version 0, which has no objective index).
func (s *Store) readWorkspace(ctx context.Context, tx *redis.Tx, workspace string, scan bool) (*workspaceData, error) {
	k := s.keys(workspace)
	if err := tx.Watch(ctx, k.teams(), k.objectiveIndex()).Err(); err != nil {
		return nil, err
	}
	teams, err := tx.SMembers(ctx, k.teams()).Result()
	if err != nil {
		return nil, err
	}
	ids, err := tx.SMembers(ctx, k.objectiveIndex()).Result()
	if err != nil {
		return nil, err
	}
	if scan {
		found, err := s.scanObjectives(ctx, globEscape(tagSafe(workspace)))
		if err != nil {
			return nil, err
		}
		for _, id := range found[tagSafe(workspace)] {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	// Objectives, then the settings of every team they and the set name.
	d := &workspaceData{id: workspace, settings: map[string]okrs.Settings{}, digests: map[string][]okrs.DigestRecord{}, held: map[string][]okrs.HeldPrompt{}}
	if len(ids) > 0 {
		objKeys := make([]string, len(ids))
		for i, id := range ids {
			objKeys[i] = k.objective(id)
		}
		if err := tx.Watch(ctx, objKeys...).Err(); err != nil {
			return nil, err
		}
		raws, err := tx.MGet(ctx, objKeys...).Result()
		if err != nil {
			return nil, err
		}
		for i, r := range raws {
			str, ok := r.(string)
			if !ok {
				continue // in the index, but gone
			}
			o, err := decodeObjective(workspace, []byte(str))
			if err != nil {
				return nil, fmt.Errorf("store: objective %s of workspace %s cannot be read: %w", ids[i], workspace, err)
			}
			d.objectives = append(d.objectives, o)
		}
	}
	for _, o := range d.objectives {
		for _, t := range o.Teams() {
			if !slices.Contains(teams, t) {
				teams = append(teams, t)
			}
		}
	}
	slices.Sort(teams)
	d.teams = teams
	if len(teams) > 0 {
		setKeys := make([]string, len(teams))
		for i, t := range teams {
			setKeys[i] = k.teamSettings(t)
		}
		if err := tx.Watch(ctx, setKeys...).Err(); err != nil {
			return nil, err
		}
		raws, err := tx.MGet(ctx, setKeys...).Result()
		if err != nil {
			return nil, err
		}
		for i, r := range raws {
			str, ok := r.(string)
			if !ok {
				continue
			}
			st, err := decodeSettings([]byte(str))
			if err != nil {
				return nil, fmt.Errorf("store: settings of team %s of workspace %s cannot be read: %w", teams[i], workspace, err)
			}
			d.settings[teams[i]] = st
		}
	}
	// Each team's digest archive and held prompts, and what the people of
	// the workspace's key results said with /okr away.
	// (Watched, then read in one pipeline: two round trips for any
	// number of teams.)
	if len(teams) > 0 {
		var archive []string
		for _, t := range teams {
			archive = append(archive, k.teamDigests(t), k.held(t))
		}
		if err := tx.Watch(ctx, archive...).Err(); err != nil {
			return nil, err
		}
		cmds := make([]*redis.MapStringStringCmd, len(archive))
		if _, err := tx.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, key := range archive {
				cmds[i] = p.HGetAll(ctx, key)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		for i, t := range teams {
			if recs := decodeDigests(t, cmds[2*i].Val()); len(recs) > 0 {
				d.digests[t] = recs
			}
			if hs := decodeHeld(cmds[2*i+1].Val()); len(hs) > 0 {
				d.held[t] = hs
			}
		}
	}
	if people := d.people(); len(people) > 0 {
		awayKeys := make([]string, len(people))
		for i, u := range people {
			awayKeys[i] = k.away(u)
		}
		if err := tx.Watch(ctx, awayKeys...).Err(); err != nil {
			return nil, err
		}
		vals, err := tx.MGet(ctx, awayKeys...).Result()
		if err != nil {
			return nil, err
		}
		for i, v := range vals {
			if str, ok := v.(string); ok {
				if r, ok := decodeAway(people[i], str); ok {
					d.away = append(d.away, r)
				}
			}
		}
	}
	// Key results' live state and check-ins.
	var krKeys []string
	for _, o := range d.objectives {
		for _, kr := range o.KeyResults {
			krKeys = append(krKeys, k.keyResult(kr.ID), k.krCheckIns(kr.ID))
		}
	}
	if len(krKeys) > 0 {
		if err := tx.Watch(ctx, krKeys...).Err(); err != nil {
			return nil, err
		}
		if err := s.loadLive(ctx, tx, k, d.objectives, -1); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// backup turns the workspace as the store keeps it into its backup record.
func (d *workspaceData) backup() BackupWorkspace {
	w := BackupWorkspace{ID: d.id, Teams: []BackupTeam{}, Objectives: []BackupObjective{}}
	for _, t := range d.teams {
		bt := BackupTeam{Channel: t}
		if st, ok := d.settings[t]; ok {
			bt.Settings = backupSettings(st)
		}
		for _, r := range d.digests[t] {
			bt.Digests = append(bt.Digests, backupDigest(r))
		}
		for _, h := range d.held[t] {
			bt.HeldPrompts = append(bt.HeldPrompts, BackupHeld{User: h.User, Period: h.Period, At: h.At, Why: string(h.Why)})
		}
		w.Teams = append(w.Teams, bt)
	}
	for _, a := range d.away {
		w.Away = append(w.Away, BackupAway{User: a.User, Until: a.Until, SetAt: a.SetAt})
	}
	for _, o := range d.objectives {
		w.Objectives = append(w.Objectives, backupObjective(o))
	}
	w.sort()
	return w
}

// durableKeys lists the keys that hold d: the ones an import writes, and
// the ones to delete when d is replaced.
func (d *workspaceData) durableKeys(k keys) []string {
	set := map[string]bool{k.teams(): true, k.objectiveIndex(): true}
	for _, t := range d.teams {
		set[k.teamSettings(t)] = true
		set[k.teamDigests(t)] = true
		set[k.held(t)] = true
	}
	for _, u := range d.people() {
		set[k.away(u)] = true
	}
	for _, o := range d.objectives {
		set[k.objective(o.ID)] = true
		set[k.ownerProposals(o.Owner)] = true
		for _, t := range o.Teams() {
			set[k.teamCycle(t, o.Cycle)] = true
			set[k.teams()] = true
		}
		for _, kr := range o.KeyResults {
			set[k.keyResult(kr.ID)] = true
			set[k.krCheckIns(kr.ID)] = true
			set[k.userKeyResults(kr.Owner)] = true
		}
	}
	out := make([]string, 0, len(set))
	for key := range set {
		out = append(out, key)
	}
	slices.Sort(out)
	return out
}

// people are the owners of d's objectives and key results, and those with
// an away record, sorted.
func (d *workspaceData) people() []string {
	var out []string
	add := func(u string) {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	for _, o := range d.objectives {
		add(o.Owner)
		for _, kr := range o.KeyResults {
			add(kr.Owner)
		}
	}
	for _, a := range d.away {
		add(a.User)
	}
	slices.Sort(out)
	return out
}

// ImportResult says what an import wrote, or would write.
type ImportResult struct {
	Workspace string
	Counts    Counts
	Replaced  bool // the workspace had data, and it was replaced
	Keys      int  // how many keys were written
}

// ErrWorkspaceExists is the error of an import into a workspace that has
// data, without replace.
var ErrWorkspaceExists = errors.New("store: the workspace already has data")

// ImportWorkspace writes a workspace from a backup: it checks the record
// first (a *BackupError, nothing written) and then writes all of it in one
// MULTI/EXEC, so that the workspace holds either its old data or the
// backup's, never a mix. A workspace that has data is refused
// (ErrWorkspaceExists) unless replace, when its durable records are deleted
// in the same transaction; its markers (deliveries and the like) are kept,
// so that nobody is prompted twice. With dryRun it checks and counts, and
// writes nothing.
func (s *Store) ImportWorkspace(ctx context.Context, w BackupWorkspace, replace, dryRun bool) (ImportResult, error) {
	d, err := w.check(fmt.Sprintf("workspace %s", shortID(w.ID)))
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Workspace: w.ID, Counts: w.Counts()}
	k := s.keys(w.ID)
	txf := func(tx *redis.Tx) error {
		if err := tx.Watch(ctx, k.teams(), k.objectiveIndex()).Err(); err != nil {
			return err
		}
		n, err := tx.Exists(ctx, k.teams(), k.objectiveIndex()).Result()
		if err != nil {
			return err
		}
		var drop []string
		res.Replaced = false
		if n > 0 {
			if !replace {
				return fmt.Errorf("%w: workspace %s already has data in Redis (use --replace to overwrite it)", ErrWorkspaceExists, w.ID)
			}
			old, err := s.readWorkspace(ctx, tx, w.ID, false)
			if err != nil {
				return err
			}
			drop = old.durableKeys(k)
			res.Replaced = true
		}
		writes := d.durableKeys(k)
		res.Keys = len(writes)
		if dryRun {
			return nil
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			for start := 0; start < len(drop); start += 500 {
				p.Del(ctx, drop[start:min(start+500, len(drop))]...)
			}
			for start := 0; start < len(writes); start += 500 {
				p.Del(ctx, writes[start:min(start+500, len(writes))]...)
			}
			return d.write(ctx, p, k)
		})
		return err
	}
	for attempt := 0; ; attempt++ {
		err := s.rdb.Watch(ctx, txf, k.teams(), k.objectiveIndex())
		if err == nil {
			break
		}
		switch {
		case errors.Is(err, ErrWorkspaceExists):
			return res, err
		case !errors.Is(err, redis.TxFailedErr):
			return res, unavailable("import workspace", err)
		case attempt == maxTxAttempts-1:
			return res, okrs.Errorf(okrs.ECONFLICT, "Workspace %s kept changing while it was being imported: stop okrbot and try again.", w.ID)
		}
	}
	if dryRun {
		return res, nil
	}
	if err := s.rdb.SAdd(ctx, s.workspacesKey(), w.ID).Err(); err != nil {
		return res, unavailable("add workspace", err)
	}
	s.knownWorkspaces.Store(w.ID, struct{}{})
	return res, nil
}

// write queues the commands that store d, as the store's own writes leave
// it: objectives, key results' live state and check-ins, and every index.
func (d *workspaceData) write(ctx context.Context, p redis.Pipeliner, k keys) error {
	if len(d.teams) > 0 {
		members := make([]any, len(d.teams))
		for i, t := range d.teams {
			members[i] = t
		}
		p.SAdd(ctx, k.teams(), members...)
	}
	for _, t := range d.teams {
		st, ok := d.settings[t]
		if !ok {
			continue
		}
		doc, err := encodeSettings(st)
		if err != nil {
			return err
		}
		p.Set(ctx, k.teamSettings(t), doc, 0)
	}
	for t, recs := range d.digests {
		for _, r := range recs {
			doc, err := encodeDigest(r)
			if err != nil {
				return err
			}
			p.HSet(ctx, k.teamDigests(t), r.Week, doc)
		}
	}
	for t, hs := range d.held {
		for _, h := range hs {
			doc, err := json.Marshal(heldDoc{At: ms(h.At), Why: h.Why})
			if err != nil {
				return err
			}
			p.HSet(ctx, k.held(t), heldField(h.User, h.Period), doc)
		}
		p.PExpire(ctx, k.held(t), heldTTL)
	}
	now := time.Now()
	for _, a := range d.away {
		if ttl := awayTTL(a, now); ttl > 0 { // one long over is not restored: it would expire at once
			p.Set(ctx, k.away(a.User), awayDoc(a), ttl)
		}
	}
	for _, o := range d.objectives {
		doc, err := encodeObjective(o)
		if err != nil {
			return err
		}
		p.Set(ctx, k.objective(o.ID), doc, 0)
		p.SAdd(ctx, k.objectiveIndex(), o.ID)
		if !o.Archived {
			for _, t := range o.Teams() {
				p.ZAdd(ctx, k.teamCycle(t, o.Cycle), redis.Z{Score: float64(ms(o.CreatedAt)), Member: o.ID})
			}
		}
		if awaits(o) {
			p.SAdd(ctx, k.ownerProposals(o.Owner), o.ID)
		}
		for i := range o.KeyResults {
			kr := &o.KeyResults[i]
			live := []any{hObjective, o.ID, hCurrent, fmtFloat(kr.Current)}
			if kr.Confidence.Level != "" {
				live = append(live, hLevel, string(kr.Confidence.Level))
			}
			if !kr.LastCheckIn.IsZero() {
				live = append(live, hAt, ms(kr.LastCheckIn))
			}
			if kr.LastAuthor != "" {
				live = append(live, hAuthor, kr.LastAuthor)
			}
			if kr.Archived || o.Archived {
				live = append(live, hArchived, "1")
			} else {
				p.SAdd(ctx, k.userKeyResults(kr.Owner), o.ID+"/"+kr.ID)
			}
			p.HSet(ctx, k.keyResult(kr.ID), live...)
			if len(kr.CheckIns) > 0 {
				docs := make([]any, len(kr.CheckIns))
				for j := range kr.CheckIns {
					b, err := encodeCheckIn(&kr.CheckIns[j])
					if err != nil {
						return err
					}
					docs[j] = b
				}
				p.RPush(ctx, k.krCheckIns(kr.ID), docs...) // newest first, as LPUSH leaves them
			}
		}
	}
	return nil
}

// Prefix returns the prefix of the store's keys.
func (s *Store) Prefix() string { return s.prefix }
