package reminders

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/okrbot/okrbot/okrs"
)

// Store is what reminders needs from package store.
type Store interface {
	Workspaces(ctx context.Context) ([]string, error)
	Teams(ctx context.Context, workspace string) ([]string, error)
	Settings(ctx context.Context, workspace, team string) (okrs.Settings, error)
	TeamObjectives(ctx context.Context, workspace, team, cycle string, history int) ([]okrs.Objective, error)
	CountTeamObjectives(ctx context.Context, workspace, team, cycle string) (int, error)
	Deliveries
	AwayStore
	// SetLastPrompt records where a person's latest prompt in a team
	// landed, so that a check-in can mark it done.
	SetLastPrompt(ctx context.Context, workspace, team, user string, ref okrs.PromptRef, ttl time.Duration) error
	// Once reports whether this is the first call with key within ttl.
	Once(ctx context.Context, workspace, key string, ttl time.Duration) (bool, error)
	// Pending sends: manual reminders to try again.
	SavePendingSend(ctx context.Context, workspace string, p okrs.PendingSend) error
	PendingSends(ctx context.Context, workspace string) ([]okrs.PendingSend, error)
	DropPendingSend(ctx context.Context, workspace, key string) error
	// RecordDigest keeps a posted digest in its team's archive.
	RecordDigest(ctx context.Context, workspace string, r okrs.DigestRecord) error
}

// Deliveries keep the state of exactly-once messages (package store).
type Deliveries interface {
	// ClaimDelivery claims key for token unless it is claimed or settled,
	// and otherwise says where it stands.
	ClaimDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error)
	// RetryDelivery is ClaimDelivery that also takes over a delivery given
	// up (gone or failed), for a person asking again.
	RetryDelivery(ctx context.Context, workspace, key, token string, ttl time.Duration) (bool, okrs.Delivery, error)
	Delivery(ctx context.Context, workspace, key string) (okrs.Delivery, error)
	SettleDelivery(ctx context.Context, workspace, key, token string, d okrs.Delivery, ttl time.Duration) (bool, error)
	ReleaseDelivery(ctx context.Context, workspace, key, token string) (bool, error)
	// NoteAttempt records a send about to happen and reports whether an
	// earlier one was recorded.
	NoteAttempt(ctx context.Context, workspace, key, holder string, ttl time.Duration) (bool, error)
	// CountFailure counts one more failed sweep of key.
	CountFailure(ctx context.Context, workspace, key string, ttl time.Duration) (int, error)
}

// Options configure a Scheduler.
type Options struct {
	Store     Store
	Messenger Messenger
	Digests   DigestPoster // nil: no digests
	Cycles    CyclePoster  // nil: no grading requests or retrospectives
	Presence  Presence     // nil: Slack statuses are not read (holidays and /okr away still count)
	Logger    *slog.Logger
	// Clock drives the schedule (gocron's and the sweep's idea of now).
	// Tests pass a fake; nil means the real clock.
	Clock clockwork.Clock
	// Elector makes one replica sweep; nil sweeps on every replica (the
	// per-person claims still keep every send to one).
	Elector         *Elector
	DefaultTimezone string        // for teams without settings
	Interval        time.Duration // between sweeps; default 1 minute
	// MessagesPerSecond paces prompts (default 5) with bursts of Burst (default 1).
	MessagesPerSecond float64
	Burst             int
	Workers           int           // concurrent sends in a fan-out; default 4
	ClaimTTL          time.Duration // how long a replica may hold a send before others may retry it; default 2 minutes
	RetryBase         time.Duration // first backoff after a failed send; default 1 s
	Registerer        prometheus.Registerer
}

// Scheduler sends check-in prompts and nudges on each team's schedule.
type Scheduler struct {
	store     Store
	msg       Messenger
	digests   DigestPoster
	cycles    CyclePoster
	presence  Presence
	log       *slog.Logger
	clock     clockwork.Clock
	elector   *Elector
	defaultTZ string
	interval  time.Duration
	workers   int
	claimTTL  time.Duration
	instance  string
	pacer     *pacer
	retry     retryPolicy
	metrics   *metrics
}

// markerTTL keeps "sent" markers for longer than any period.
const markerTTL = 40 * 24 * time.Hour

// LatePromptAfter is how late a prompt must be to say so.
const LatePromptAfter = 2 * time.Hour

// New returns a Scheduler.
func New(o Options) *Scheduler {
	s := &Scheduler{
		store: o.Store, msg: o.Messenger, digests: o.Digests, cycles: o.Cycles, presence: o.Presence, log: o.Logger, clock: o.Clock, elector: o.Elector,
		defaultTZ: o.DefaultTimezone, interval: o.Interval, workers: o.Workers, claimTTL: o.ClaimTTL,
		metrics: newMetrics(o.Registerer),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.clock == nil {
		s.clock = clockwork.NewRealClock()
	}
	if s.defaultTZ == "" {
		s.defaultTZ = "UTC"
	}
	if s.interval <= 0 {
		s.interval = time.Minute
	}
	if s.workers <= 0 {
		s.workers = 4
	}
	if s.claimTTL <= 0 {
		s.claimTTL = 2 * time.Minute
	}
	rateLimit := o.MessagesPerSecond
	if rateLimit <= 0 {
		rateLimit = 5
	}
	s.pacer = newPacer(rateLimit, o.Burst)
	base := o.RetryBase
	if base <= 0 {
		base = time.Second
	}
	s.retry = retryPolicy{attempts: 4, rateLimited: 20, base: base, max: 30 * time.Second}
	host, _ := os.Hostname()
	s.instance = host + "-" + randomHex(4)
	return s
}

// Run sweeps every interval (starting at once, so that a restarted replica
// catches up) until ctx ends. With an Elector, only the leader sweeps.
func (s *Scheduler) Run(ctx context.Context) error {
	opts := []gocron.SchedulerOption{gocron.WithClock(s.clock), gocron.WithLocation(time.UTC), gocron.WithLogger(s.log)}
	if s.elector != nil {
		opts = append(opts, gocron.WithDistributedElector(s.elector))
	}
	gs, err := gocron.NewScheduler(opts...)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	_, err = gs.NewJob(gocron.DurationJob(s.interval),
		gocron.NewTask(func(ctx context.Context) {
			defer s.recover("sweep", nil)
			if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("sweep failed; the next one catches up", slog.Any("err", err))
			}
		}),
		gocron.WithName("okrbot-sweep"),
		gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithStartAt(gocron.WithStartImmediately()),
		gocron.WithContext(ctx),
	)
	if err != nil {
		return fmt.Errorf("reminders: %w", err)
	}
	gs.Start()
	s.log.Info("scheduler started", slog.String("instance", s.instance), slog.Duration("interval", s.interval))
	<-ctx.Done()
	err = gs.Shutdown()
	if s.elector != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		s.elector.Resign(rctx)
		cancel()
	}
	return err
}

// Sweep sends everything due now and not yet sent: prompts whose time has
// come in their period, and nudges. It is safe to run on several replicas at
// once.
func (s *Scheduler) Sweep(ctx context.Context) (okrs.SendReport, error) {
	start := time.Now()
	now := s.clock.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if s.elector != nil && s.elector.Leader() {
		go func() {
			defer s.recover("renewing the lease", func(any) { cancel() })
			s.elector.hold(ctx, func() {
				s.log.Warn("scheduler lease lost mid-sweep; stopping this sweep")
				cancel()
			})
		}()
	}
	defer func() {
		s.metrics.sweeps.Inc()
		s.metrics.sweepSeconds.Observe(time.Since(start).Seconds())
	}()
	workspaces, err := s.store.Workspaces(ctx)
	if err != nil {
		return okrs.SendReport{}, err
	}
	var jobs []delivery
	var report okrs.SendReport
	var errs []error
	teamsOf := map[string][]string{}
	for _, ws := range workspaces {
		teams, err := s.store.Teams(ctx, ws)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		teamsOf[ws] = teams
		for _, team := range teams {
			due, r, err := s.due(ctx, ws, team, now, false)
			report.Add(r)
			if err != nil {
				errs = append(errs, fmt.Errorf("team %s/%s: %w", ws, team, err))
				continue
			}
			jobs = append(jobs, due...)
		}
	}
	report.Add(s.deliverAll(ctx, jobs))
	for _, ws := range workspaces {
		report.Add(s.retryPending(ctx, ws, now))
		report.Add(s.sweepSnoozes(ctx, ws, now))
		report.Add(s.sweepDigests(ctx, ws, teamsOf[ws], now))
		for _, team := range teamsOf[ws] {
			r, err := s.sweepCycle(ctx, ws, team, now)
			report.Add(r)
			if err != nil {
				errs = append(errs, fmt.Errorf("team %s/%s: cycle: %w", ws, team, err))
			}
		}
	}
	if report.Sent+report.Failed+report.Skipped+report.Away > 0 {
		s.log.Info("sweep", slog.Int("sent", report.Sent), slog.Int("failed", report.Failed),
			slog.Int("skipped", report.Skipped), slog.Int("away", report.Away), slog.Duration("took", time.Since(start)))
	}
	return report, errors.Join(errs...)
}

// delivery is one message to send exactly once.
type delivery struct {
	key    string // the (kind, team, period, person) marker
	ttl    time.Duration
	prompt okrs.Prompt
}

// owner is one person's open key results in a team.
type owner struct {
	user string
	krs  []*okrs.KeyResult
	objs []okrs.Objective
}

// owners groups a team's active key results by owner.
func owners(objs []okrs.Objective) []*owner {
	by := map[string]*owner{}
	var out []*owner
	for oi := range objs {
		o := &objs[oi]
		if o.Archived {
			continue
		}
		for ki := range o.KeyResults {
			kr := &o.KeyResults[ki]
			if kr.Archived {
				continue
			}
			w := by[kr.Owner]
			if w == nil {
				w = &owner{user: kr.Owner}
				by[kr.Owner] = w
				out = append(out, w)
			}
			w.krs = append(w.krs, kr)
			if n := len(w.objs); n == 0 || w.objs[n-1].ID != o.ID {
				cp := *o
				cp.KeyResults = nil
				w.objs = append(w.objs, cp)
			}
			last := &w.objs[len(w.objs)-1]
			last.KeyResults = append(last.KeyResults, *kr)
		}
	}
	slices.SortFunc(out, func(a, b *owner) int { return strings.Compare(a.user, b.user) })
	return out
}

// TeamSettings returns a team's settings, or the defaults.
func (s *Scheduler) TeamSettings(ctx context.Context, ws, team string) (okrs.Settings, error) {
	st, err := s.store.Settings(ctx, ws, team)
	if okrs.ErrorCode(err) == okrs.ENOTFOUND {
		return okrs.DefaultSettings(s.defaultTZ), nil
	}
	return st, err
}

func markerKey(kind okrs.PromptKind, team, period, user string) string {
	return string(kind) + ":" + team + ":" + period + ":" + user
}

// due lists what is due now in one team. With remind, it is a manager's
// "/okr remind": prompts go out now whatever the schedule says, and people
// already prompted get a reminder.
func (s *Scheduler) due(ctx context.Context, ws, team string, now time.Time, remind bool) ([]delivery, okrs.SendReport, error) {
	var r okrs.SendReport
	st, err := s.TeamSettings(ctx, ws, team)
	if err != nil {
		return nil, r, err
	}
	teamLoc := st.Location()
	cycle := okrs.CurrentCycle(st, now)
	// The last few check-ins: a prompt asks about a key result that is on
	// track but has not moved (okrs.KeyResult.FlatButOnTrack).
	objs, err := s.store.TeamObjectives(ctx, ws, team, cycle.Name, okrs.FlatCheckIns+1)
	if err != nil {
		return nil, r, err
	}
	// An objective shared with this team is asked about by its own team's
	// schedule: each key result has one prompt a period, not one per team.
	objs = okrs.OwnObjectives(objs, team)
	type candidate struct {
		w    *owner
		loc  *time.Location
		plan okrs.Plan
	}
	var cands []candidate
	var out []delivery
	for _, w := range owners(objs) {
		person, err := s.msg.Person(ctx, ws, w.user)
		switch {
		case errors.Is(err, okrs.ErrGone) || err == nil && !person.Active:
			r.Skipped++
			s.noteGone(ctx, ws, team, w.user, okrs.PlanAt(st, teamLoc, now).Period)
			continue
		case err != nil:
			return out, r, err
		}
		loc := teamLoc
		if st.OwnerLocalTime && person.Location != nil {
			loc = person.Location
		}
		plan := okrs.PlanAt(st, loc, now)
		if okrs.CheckedIn(w.krs, plan.Period) {
			r.CheckedIn++
			continue
		}
		cands = append(cands, candidate{w: w, loc: loc, plan: plan})
	}
	if len(cands) == 0 {
		return out, r, nil
	}
	users := make([]string, len(cands))
	locs := map[string]*time.Location{}
	for i, c := range cands {
		users[i], locs[c.w.user] = c.w.user, c.loc
	}
	away := s.awayOf(ctx, ws, st, users, locs, now)
	var held []okrs.HeldPrompt
	if !remind {
		if held, err = s.store.HeldPrompts(ctx, ws, team); err != nil {
			return out, r, err
		}
	}
	for _, c := range cands {
		w, loc, plan := c.w, c.loc, c.plan
		p := okrs.Prompt{Kind: okrs.KindPrompt, Workspace: ws, Team: team, User: w.user, Period: plan.Period,
			DueAt: plan.PromptAt, Objectives: w.objs, Cycle: cycle}
		promptKey := markerKey(okrs.KindPrompt, team, plan.Period.Key, w.user)
		if a, isAway := away[w.user]; isAway {
			// Away: no prompt, no nudge, no reminder. A prompt that falls
			// due meanwhile is held, and caught up on their return.
			r.Away++
			if !now.Before(plan.PromptAt) && anyBefore(w.krs, plan.PromptAt) && !okrs.AwayIn(held, w.user, plan.Period.Key) {
				s.hold(ctx, ws, team, okrs.HeldPrompt{User: w.user, Period: plan.Period.Key, At: now, Why: a.Source})
			}
			continue
		}
		if remind {
			d, err := s.store.Delivery(ctx, ws, promptKey)
			if err != nil {
				return out, r, err
			}
			if d.State != okrs.DeliverySent {
				p.DueAt = now
				out = append(out, delivery{key: promptKey, ttl: markerTTL, prompt: p})
				continue
			}
			p.Kind = okrs.KindRemind
			// One manual reminder per person per hour, however often it is asked for.
			hour := now.UTC().Format("2006-01-02T15")
			out = append(out, delivery{key: markerKey(okrs.KindRemind, team, plan.Period.Key+"@"+hour, w.user), ttl: 2 * time.Hour, prompt: p})
			continue
		}
		if last := cycle.EndsAt(teamLoc).Add(-okrs.LastCheckInBefore); !now.Before(last) && now.Before(cycle.EndsAt(teamLoc)) && anyBefore(w.krs, last) {
			// A week before the end: one last check-in, once per cycle.
			l := p
			l.Kind, l.DueAt, l.Late = okrs.KindLast, last, now.Sub(last) > LatePromptAfter
			out = append(out, delivery{key: markerKey(okrs.KindLast, team, cycle.Name, w.user), ttl: markerTTL, prompt: l})
		}
		if now.Before(plan.PromptAt) || !anyBefore(w.krs, plan.PromptAt) {
			continue // not yet due, or all their key results are newer than this period's prompt
		}
		if okrs.AwayIn(held, w.user, plan.Period.Key) {
			// Back from being away: one catch-up prompt, on a working day
			// from the check-in time, and no nudge after it (the same key
			// as the prompt: if it went out before they left, it is not
			// sent again).
			if st.CatchUpDue(now, loc) {
				p.CatchUp = true
				out = append(out, delivery{key: promptKey, ttl: markerTTL, prompt: p})
			}
			continue
		}
		p.Late = now.Sub(plan.PromptAt) > LatePromptAfter
		out = append(out, delivery{key: promptKey, ttl: markerTTL, prompt: p})
		if !plan.NudgeAt.IsZero() && !now.Before(plan.NudgeAt) {
			d, err := s.store.Delivery(ctx, ws, promptKey)
			if err != nil {
				return out, r, err
			}
			if d.State != okrs.DeliverySent {
				continue
			}
			if wait, err := s.nudgeWaits(ctx, ws, st, team, plan.Period.Key, w.user, now); err != nil || wait {
				continue // snoozed: the nudge comes after the snoozed prompt's own delay
			}
			n := p
			n.Kind, n.DueAt, n.Late = okrs.KindNudge, plan.NudgeAt, now.Sub(plan.NudgeAt) > LatePromptAfter
			out = append(out, delivery{key: markerKey(okrs.KindNudge, team, plan.Period.Key, w.user), ttl: markerTTL, prompt: n})
		}
	}
	return out, r, nil
}

// noteGone logs a skipped person once per period.
func (s *Scheduler) noteGone(ctx context.Context, ws, team, user string, p okrs.Period) {
	first, err := s.store.Once(ctx, ws, "gone:"+team+":"+p.Key+":"+user, markerTTL)
	if err != nil {
		s.log.Warn("recording a skipped person failed", slog.String("workspace", ws), slog.String("user", user), slog.Any("err", err))
		return
	}
	if first {
		s.log.Info("skipping a deactivated or unknown Slack user", slog.String("workspace", ws), slog.String("team", team), slog.String("user", user))
		s.metrics.prompts.WithLabelValues("prompt", "skipped").Inc()
	}
}

// deliverAll sends deliveries with a pool of workers. A delivery that
// panics is logged and counted as failed; the others go on.
func (s *Scheduler) deliverAll(ctx context.Context, jobs []delivery) okrs.SendReport {
	var mu sync.Mutex
	var total okrs.SendReport
	work := make(chan delivery)
	var wg sync.WaitGroup
	for range min(s.workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for d := range work {
				r := s.deliverSafely(ctx, d)
				mu.Lock()
				total.Add(r)
				mu.Unlock()
			}
		})
	}
	for _, d := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- d
	}
	close(work)
	wg.Wait()
	return total
}

// deliverSafely is deliver with a panic turned into a logged failure. The
// claim it may have taken expires after ClaimTTL and a later sweep retries.
func (s *Scheduler) deliverSafely(ctx context.Context, d delivery) (r okrs.SendReport) {
	defer s.recover("delivering a prompt", func(any) { r = okrs.SendReport{Failed: 1} },
		slog.String("workspace", d.prompt.Workspace), slog.String("key", d.key))
	return s.deliver(ctx, d)
}

// recover, deferred, turns a panic into a log line with its stack and a
// count in okrbot_background_panics_total, then calls after (if set) with
// the panic's value.
func (s *Scheduler) recover(where string, after func(v any), attrs ...any) {
	r := recover()
	if r == nil {
		return
	}
	s.metrics.panics.WithLabelValues(where).Inc()
	s.log.Error("recovered from a panic in the scheduler; carrying on",
		append(attrs, slog.String("where", where), slog.Any("panic", r), slog.String("stack", string(debug.Stack())))...)
	if after != nil {
		after(r)
	}
}

// panicked is a send that panicked: a bug, not worth retrying at once.
type panicked struct{ v any }

func (p panicked) Error() string { return fmt.Sprintf("panic: %v", p.v) }

// guard calls send, turning a panic into a logged, counted panicked error
// (so that the claim is released and a later sweep tries again).
func (s *Scheduler) guard(kind string, send func() (okrs.Posted, error)) (posted okrs.Posted, err error) {
	defer s.recover("sending a "+kind, func(v any) { err = panicked{v} })
	return send()
}

// maxFailedSweeps bounds how many sweeps retry a send that keeps failing.
const maxFailedSweeps = 3

// deliver sends one prompt, nudge or reminder exactly once (see deliverOnce)
// and remembers where a prompt landed, so that a check-in can mark it done.
func (s *Scheduler) deliver(ctx context.Context, d delivery) okrs.SendReport {
	p := d.prompt
	p.Key = d.key
	return s.deliverOnce(ctx, p.Workspace, d.key, d.ttl, string(p.Kind),
		slog.Group("prompt", slog.String("team", p.Team), slog.String("user", p.User), slog.String("period", p.Period.Key)),
		func(ctx context.Context) (okrs.Posted, bool, error) {
			posted, found, err := s.msg.FindPrompt(ctx, p)
			if found {
				s.rememberPrompt(ctx, p, posted)
			}
			return posted, found, err
		},
		func(ctx context.Context) (okrs.Posted, error) {
			posted, err := s.msg.SendPrompt(ctx, p)
			if err == nil {
				s.rememberPrompt(ctx, p, posted)
			}
			return posted, err
		})
}

// rememberPrompt records where a person's latest prompt in a team landed.
// A failure is logged: the prompt went out, only its "Checked in ✓" update
// will be missing.
func (s *Scheduler) rememberPrompt(ctx context.Context, p okrs.Prompt, posted okrs.Posted) {
	if p.Kind == okrs.KindNudge {
		return
	}
	ref := okrs.PromptRef{Period: p.Period.Key, Posted: posted}
	if err := s.store.SetLastPrompt(context.WithoutCancel(ctx), p.Workspace, p.Team, p.User, ref, markerTTL); err != nil {
		s.log.Warn("recording where a prompt landed failed; a check-in will not mark it done",
			slog.String("workspace", p.Workspace), slog.String("user", p.User), slog.Any("err", err))
	}
}

// deliverOnce sends something exactly once: it claims key, sends, and
// settles the key with where the message landed. A crash between claim and
// send leaves a claim that expires after ClaimTTL, and a later sweep sends
// it. A failure releases the claim for the next sweep, up to maxFailedSweeps
// times, then it is recorded as failed and reported.
//
// With find, an attempt is recorded before each send; a later delivery of
// the same key that finds the record first asks find whether the earlier
// attempt landed after all (the sender died, or the call timed out, after
// Slack accepted it), and settles instead of sending twice.
func (s *Scheduler) deliverOnce(ctx context.Context, ws, key string, ttl time.Duration, kind string, about slog.Attr,
	find finder, send sender) okrs.SendReport {
	token := s.instance + ":" + randomHex(6)
	ok, _, err := s.store.ClaimDelivery(ctx, ws, key, token, s.claimTTL)
	if err != nil {
		s.log.Warn("claiming a send failed; retrying on the next sweep", slog.String("key", key), slog.Any("err", err))
		return okrs.SendReport{Failed: 1}
	}
	if !ok {
		return okrs.SendReport{Already: 1}
	}
	r, _, _ := s.sendClaimed(ctx, ws, key, token, ttl, kind, about, find, send)
	return r
}

// A sender makes one attempt at a send; a finder looks for an earlier
// attempt that landed. Their context outlives the sweep's cancellation (see
// InFlightTimeout).
type (
	sender func(context.Context) (okrs.Posted, error)
	finder func(context.Context) (okrs.Posted, bool, error)
)

// sendClaimed sends a delivery whose claim token holds; see deliverOnce. It
// also returns where the message landed, or why it was not sent.
func (s *Scheduler) sendClaimed(ctx context.Context, ws, key, token string, ttl time.Duration, kind string, about slog.Attr,
	find finder, send sender) (okrs.SendReport, okrs.Posted, error) {
	// Settling must happen even if the sweep is being cancelled: the
	// message may have gone out.
	settleCtx := context.WithoutCancel(ctx)
	log := s.log.With(slog.String("workspace", ws), slog.String("kind", kind), about)
	release := func() {
		if _, err := s.store.ReleaseDelivery(settleCtx, ws, key, token); err != nil {
			log.Warn("releasing a claim failed; it expires by itself", slog.Any("err", err))
		}
	}
	tried, recovered := false, false // tried: an earlier attempt may have landed
	if find != nil {
		earlier, err := s.store.NoteAttempt(ctx, ws, key, s.instance, ttl)
		if err != nil {
			release()
			log.Warn("recording an attempt failed; retrying on the next sweep", slog.Any("err", err))
			return okrs.SendReport{Failed: 1}, okrs.Posted{}, err
		}
		tried = earlier
	}
	posted, err := s.send(ctx, func(call context.Context) (okrs.Posted, error) {
		if find != nil && tried {
			switch p, found, err := find(call); {
			case err != nil:
				log.Warn("could not check whether an earlier attempt landed; sending again", slog.Any("err", err))
			case found:
				recovered = true
				return p, nil
			}
		}
		tried = true
		return s.guard(kind, func() (okrs.Posted, error) { return send(call) })
	})
	if recovered {
		log.Info("an earlier attempt had landed; not sending it twice")
	}
	settle := func(d okrs.Delivery) {
		if ok, err := s.store.SettleDelivery(settleCtx, ws, key, token, d, ttl); err != nil || !ok {
			// The claim expires and another sweep may send it again: say so.
			log.Error("recording the outcome of a send failed", slog.String("outcome", string(d.State)), slog.Bool("claim_held", ok), slog.Any("err", err))
		}
	}
	switch {
	case err == nil:
		settle(okrs.Delivery{State: okrs.DeliverySent, Posted: posted})
		s.metrics.prompts.WithLabelValues(kind, "sent").Inc()
		log.Debug("sent")
		return okrs.SendReport{Sent: 1}, posted, nil
	case errors.Is(err, okrs.ErrGone):
		settle(okrs.Delivery{State: okrs.DeliveryGone})
		s.metrics.prompts.WithLabelValues(kind, "skipped").Inc()
		log.Info("skipping a deactivated or unknown Slack user or channel", slog.Any("err", err))
		return okrs.SendReport{Skipped: 1}, okrs.Posted{}, err
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		// The sweep ended while this waited for its turn: nothing went
		// out (a call in flight is not cancelled), so it is not a failure.
		release()
		log.Debug("sweep ended before this was sent; the next sweep sends it")
		return okrs.SendReport{Failed: 1}, okrs.Posted{}, err
	}
	n, cerr := s.store.CountFailure(settleCtx, ws, key, markerTTL)
	if cerr != nil {
		log.Warn("counting a failed send failed", slog.Any("err", cerr))
	}
	if n >= maxFailedSweeps {
		settle(okrs.Delivery{State: okrs.DeliveryFailed})
		s.metrics.prompts.WithLabelValues(kind, "failed").Inc()
		log.Error("giving up after repeated failures", slog.Int("sweeps", n), slog.Any("err", err))
		return okrs.SendReport{Failed: 1}, okrs.Posted{}, err
	}
	release()
	s.metrics.prompts.WithLabelValues(kind, "retry").Inc()
	log.Warn("sending failed; retrying on the next sweep", slog.Int("sweeps", n), slog.Any("err", err))
	return okrs.SendReport{Failed: 1}, okrs.Posted{}, err
}

// RemindNow is "/okr remind": it sends the team's prompts now to everyone
// who has not checked in this period (a reminder to those already
// prompted). Once it knows how many it will send, and before sending them,
// it calls started (when set) with that number and how long the paced
// sends should take, so that the person asking hears back at once.
func (s *Scheduler) RemindNow(ctx context.Context, ws, team string, started func(sending int, eta time.Duration)) (okrs.SendReport, error) {
	jobs, r, err := s.due(ctx, ws, team, s.clock.Now(), true)
	if err != nil {
		return r, err
	}
	if started != nil {
		started(len(jobs), s.eta(len(jobs)))
	}
	r.Add(s.deliverAll(ctx, jobs))
	// What failed is tried again by the next sweeps, under the same key:
	// it goes out once Slack answers again, and only once.
	for _, d := range jobs {
		cur, err := s.store.Delivery(ctx, ws, d.key)
		if err != nil || cur.State != okrs.DeliveryNone {
			continue // sent, skipped, given up, or being sent
		}
		p := okrs.PendingSend{Key: d.key, Team: team, User: d.prompt.User, Since: s.clock.Now()}
		if err := s.store.SavePendingSend(ctx, ws, p); err != nil {
			s.log.Error("recording a reminder to send again failed; it will not be retried", slog.String("user", p.User), slog.Any("err", err))
			continue
		}
		r.Retrying++
	}
	return r, nil
}

// pendingFor is how long a manual reminder that failed is tried again.
const pendingFor = time.Hour

// retryPending sends again the manual reminders that failed, each under its
// own delivery key (so once), while the person still has not checked in.
func (s *Scheduler) retryPending(ctx context.Context, ws string, now time.Time) okrs.SendReport {
	var r okrs.SendReport
	pending, err := s.store.PendingSends(ctx, ws)
	if err != nil {
		s.log.Warn("listing reminders to send again failed; the next sweep tries", slog.Any("err", err))
		return r
	}
	drop := func(p okrs.PendingSend) {
		if err := s.store.DropPendingSend(ctx, ws, p.Key); err != nil {
			s.log.Warn("forgetting a sent reminder failed", slog.String("key", p.Key), slog.Any("err", err))
		}
	}
	for _, p := range pending {
		if now.Sub(p.Since) > pendingFor {
			drop(p)
			continue
		}
		if cur, err := s.store.Delivery(ctx, ws, p.Key); err == nil && cur.Settled() {
			drop(p) // sent (by a sweep, say), skipped or given up
			continue
		}
		due, _, err := s.due(ctx, ws, p.Team, now, true)
		if err != nil {
			continue // the next sweep tries again
		}
		var job *delivery
		for i := range due {
			if due[i].prompt.User == p.User {
				job = &due[i]
			}
		}
		if job == nil {
			drop(p) // checked in meanwhile, or no key results left
			continue
		}
		job.key = p.Key
		r.Add(s.deliverSafely(ctx, *job))
		if cur, err := s.store.Delivery(ctx, ws, p.Key); err == nil && cur.Settled() {
			drop(p)
		}
	}
	return r
}

// eta is how long n paced sends take at the current pace.
func (s *Scheduler) eta(n int) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(float64(n) / s.pacer.rate() * float64(time.Second)).Round(time.Second)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// anyBefore reports whether any of krs existed at t.
func anyBefore(krs []*okrs.KeyResult, t time.Time) bool {
	for _, kr := range krs {
		if !kr.CreatedAt.After(t) {
			return true
		}
	}
	return false
}
