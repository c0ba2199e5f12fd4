package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kelseyhightower/envconfig"
	"github.com/slack-go/slack"

	"github.com/okrbot/okrbot/okrs"
	"github.com/okrbot/okrbot/okrs/okrcsv"
	"github.com/okrbot/okrbot/store"
)

// importCSV is "okrbot import --from csv [--dry-run] [--workspace ID]
// okrs.csv": objectives and key results from a spreadsheet (see
// docs/import-csv.md). Every row is read and checked first, owners are
// found in Slack by e-mail (users.lookupByEmail) or member id, and nothing
// is written unless every row is right. An objective its team already has
// in that cycle (the same title) is skipped, so importing a file again
// creates nothing twice. It returns the exit status.
func importCSV(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("okrbot import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "csv", "the file's format: csv")
	dryRun := fs.Bool("dry-run", false, "check the file and print what would be created, without writing anything")
	workspace := fs.String("workspace", "", "the workspace id to import into (default: the bot token's workspace, from auth.test; give the enterprise id for an org-wide install)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: okrbot import --from csv [--dry-run] [--workspace ID] okrs.csv")
		fmt.Fprintln(stderr, "Imports objectives and key results from a CSV file (docs/import-csv.md). It needs SLACK_BOT_TOKEN and REDIS_URL, as okrbot does.")
		fs.PrintDefaults()
	}
	if args = slices.Clone(args); len(args) > 0 && args[0] == "import" {
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *from != "csv" {
		fmt.Fprintf(stderr, "okrbot import: --from %s: this command reads csv\n", *from)
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "okrbot import: "+format+"\n", a...)
		return 1
	}

	cfg, err := importConfig()
	if err != nil {
		fmt.Fprintln(stderr, "okrbot import:", err)
		return 2
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("%v", err)
	}
	rows, rerrs := okrcsv.ReadImport(f)
	f.Close()
	if rerrs != nil {
		return reportRows(stderr, path, rerrs)
	}

	api := slack.New(cfg.SlackBotToken, slack.OptionAPIURL(cfg.SlackAPIURL), slack.OptionRetry(3))
	auth, err := api.AuthTestContext(ctx)
	if err != nil {
		return fail("Slack refused the bot token (auth.test): %v", err)
	}
	ws := *workspace
	if ws == "" {
		ws = auth.TeamID
	}
	rdb, err := store.Connect(ctx, store.Options{URL: cfg.RedisURL, Mode: cfg.RedisMode})
	if err != nil {
		return fail("%v", err)
	}
	defer rdb.Close()
	st := store.New(rdb, cfg.RedisPrefix)

	r := &importer{ctx: ctx, api: api, store: st, workspace: ws, defaultTZ: cfg.DefaultTimezone, now: importNow(),
		users: map[string]string{}, names: map[string]string{}, teams: map[string]string{}, settings: map[string]okrs.Settings{}}
	errs := r.resolve(rows)
	if r.fatal != nil {
		return fail("%v", r.fatal)
	}
	plans, perrs := okrcsv.PlanImport(rows, okrcsv.ImportInput{Workspace: ws, Now: r.now, Users: r.users, Teams: r.teams, Cycle: r.cycle})
	if r.fatal != nil {
		return fail("%v", r.fatal)
	}
	if errs = append(errs, perrs...); len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b okrcsv.RowError) int { return a.Row - b.Row })
		return reportRows(stderr, path, errs)
	}
	existing, err := r.existing(plans)
	if err != nil {
		return fail("%v", err)
	}

	verb := "Creating"
	if *dryRun {
		verb = "Would create"
	}
	created, skipped := 0, 0
	for _, p := range plans {
		o := p.Objective
		where := fmt.Sprintf("%s, %s, %s", r.teamLabel(o.Team), o.Cycle, rowsLabel(p.Rows))
		if existing[planKey(o)] {
			skipped++
			fmt.Fprintf(stdout, "Skipping %q (%s): the team has an objective of that title in %s already.\n", o.Title, where, o.Cycle)
			continue
		}
		fmt.Fprintf(stdout, "%s %q (%s), owned by %s, with %d key result%s:\n", verb, o.Title, where, r.person(o.Owner), len(o.KeyResults), plural(len(o.KeyResults)))
		for i := range o.KeyResults {
			kr := &o.KeyResults[i]
			fmt.Fprintf(stdout, "  - %s: %s, %s → %s, owned by %s\n", kr.Title, kr.Kind.Label(), kr.Format(kr.Start), kr.Format(kr.Target), r.person(kr.Owner))
		}
		for _, ci := range p.Current {
			var i int
			fmt.Sscan(ci.KeyResultID, &i)
			fmt.Fprintf(stdout, "    %s is at %s now (recorded as a check-in by its owner)\n", o.KeyResults[i].Title, o.KeyResults[i].Format(ci.Value))
		}
		if *dryRun {
			created++
			continue
		}
		if err := st.CreateObjective(ctx, &o); err != nil {
			fmt.Fprintf(stdout, "Created %d objective%s before this failure; importing the file again skips them.\n", created, plural(created))
			return fail("creating %q: %v", o.Title, err)
		}
		var cis []okrs.CheckIn
		for _, ci := range p.Current {
			var i int
			fmt.Sscan(ci.KeyResultID, &i)
			ci.KeyResultID = o.KeyResults[i].ID
			cis = append(cis, ci)
		}
		if len(cis) > 0 {
			if _, err := st.RecordCheckIns(ctx, ws, cis); err != nil {
				return fail("%q was created, but its current values were not recorded (check in on them in Slack): %v", o.Title, err)
			}
		}
		created++
	}
	switch {
	case *dryRun:
		fmt.Fprintf(stdout, "Dry run: %d objective%s would be created, %d skipped. Nothing was written.\n", created, plural(created), skipped)
	default:
		fmt.Fprintf(stdout, "Imported %d objective%s into workspace %s; %d skipped.\n", created, plural(created), ws, skipped)
	}
	return 0
}

// importNow is the import's clock (tests move it).
var importNow = time.Now

// importConfig reads okrbot's configuration for an import: the bot token
// (to look people up), the Slack API URL, the default timezone and Redis.
// The app-level token is not needed (no socket is opened).
func importConfig() (Config, error) {
	var c Config
	if err := envconfig.Process("", &c); err != nil {
		return c, &ConfigError{err.Error()}
	}
	if c.SlackBotToken == "" {
		return c, &ConfigError{"SLACK_BOT_TOKEN is not set: the import finds each owner in Slack by e-mail (users.lookupByEmail, scope users:read.email), so it needs the bot token (xoxb-…) from your Slack app's OAuth & Permissions page, as okrbot itself does"}
	}
	if c.RedisURL == "" {
		return c, &ConfigError{"REDIS_URL is not set: set it to the Redis okrbot keeps its data in (without it okrbot runs on an in-memory store, and an import there would vanish)"}
	}
	if err := checkToken("SLACK_BOT_TOKEN", c.SlackBotToken, "xoxb-", "the bot token from your Slack app's OAuth & Permissions page"); err != nil {
		return c, err
	}
	u, err := url.Parse(c.SlackAPIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, &ConfigError{"SLACK_API_URL must be an http(s) URL like https://slack.com/api/"}
	}
	if !strings.HasSuffix(c.SlackAPIURL, "/") {
		c.SlackAPIURL += "/"
	}
	if _, err := time.LoadLocation(c.DefaultTimezone); err != nil || c.DefaultTimezone == "" {
		return c, &ConfigError{fmt.Sprintf("OKRBOT_DEFAULT_TIMEZONE must be an IANA timezone like Europe/Berlin, not %q", c.DefaultTimezone)}
	}
	return c, validateRedis(c.RedisURL, c.RedisMode, c.RedisPrefix)
}

// reportRows prints a file's mistakes, one a line, and returns status 1.
func reportRows(w io.Writer, path string, errs []okrcsv.RowError) int {
	fmt.Fprintf(w, "okrbot import: %s has %d problem%s; nothing was imported:\n", path, len(errs), plural(len(errs)))
	for _, e := range errs {
		fmt.Fprintf(w, "  %s\n", e.Error())
	}
	return 1
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func rowsLabel(rows []int) string {
	if len(rows) == 1 {
		return fmt.Sprintf("row %d", rows[0])
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprint(r)
	}
	return "rows " + strings.Join(parts, ", ")
}

// importer resolves an import's people and teams in Slack and its cycles
// in the store.
type importer struct {
	ctx       context.Context
	api       *slack.Client
	store     *store.Store
	workspace string
	defaultTZ string
	now       time.Time

	users    map[string]string // owner cell → user id
	names    map[string]string // user id → how the output names them
	teams    map[string]string // team cell → channel id
	chanName map[string]string
	byName   map[string]*slack.Channel // channel name → channel, once listed
	settings map[string]okrs.Settings
	fatal    error // Slack or Redis failed: not the file's fault
}

var (
	slackUser    = regexp.MustCompile(`^(?:<@)?([UW][A-Z0-9]{2,})(?:\|[^>]*)?>?$`)
	slackChannel = regexp.MustCompile(`^(?:<#)?([CG][A-Z0-9]{2,})(?:\|[^>]*)?>?$`)
)

// resolve finds every owner and team the rows name, once each, and
// reports the ones Slack does not know, by row and column.
func (r *importer) resolve(rows []okrcsv.ImportRow) []okrcsv.RowError {
	var errs []okrcsv.RowError
	tried := map[string]string{} // cell → the error message ("" when found)
	check := func(row okrcsv.ImportRow, col string, find func(string) (string, string)) {
		cell := row.Get(col)
		if cell == "" || r.fatal != nil {
			return
		}
		msg, ok := tried[col+"\x00"+cell]
		if !ok {
			_, msg = find(cell)
			tried[col+"\x00"+cell] = msg
		}
		if msg != "" {
			errs = append(errs, okrcsv.RowError{Row: row.Row, Column: col, Message: msg})
		}
	}
	for _, row := range rows {
		check(row, okrcsv.ColTeam, r.team)
		check(row, okrcsv.ColObjectiveOwner, r.user)
		check(row, okrcsv.ColOwner, r.user)
	}
	return errs
}

// user finds an owner cell's Slack user: by e-mail, or by member id.
func (r *importer) user(cell string) (string, string) {
	var u *slack.User
	var err error
	switch {
	case strings.Contains(cell, "@") && !strings.HasPrefix(cell, "<@"):
		u, err = r.api.GetUserByEmailContext(r.ctx, cell)
		if slackCode(err) == "users_not_found" {
			return "", fmt.Sprintf("no Slack user has the e-mail %s", cell)
		}
	case slackUser.MatchString(cell):
		u, err = r.api.GetUserInfoContext(r.ctx, slackUser.FindStringSubmatch(cell)[1])
		if code := slackCode(err); code == "user_not_found" || code == "user_not_visible" {
			return "", fmt.Sprintf("no Slack user has the id %s", cell)
		}
	default:
		return "", fmt.Sprintf("%q is neither an e-mail nor a Slack member id (like U0123ABCD)", cell)
	}
	if code := slackCode(err); code == "missing_scope" {
		r.fatal = errors.New("slack refused users.lookupByEmail: the app lacks the users:read.email scope; add it (see the manifest) and reinstall the app")
		return "", ""
	}
	if err != nil {
		r.fatal = fmt.Errorf("looking up %s in Slack: %w", cell, err)
		return "", ""
	}
	e := u.Enterprise
	in := u.TeamID == r.workspace || e.EnterpriseID == r.workspace || slices.Contains(e.Teams, r.workspace)
	switch {
	case !in:
		return "", fmt.Sprintf("%s is not in this workspace", cell)
	case u.Deleted:
		return "", fmt.Sprintf("%s's Slack account is deactivated", cell)
	}
	r.users[cell] = u.ID
	if r.names[u.ID] == "" {
		r.names[u.ID] = displayOf(u, cell)
	}
	return u.ID, ""
}

func displayOf(u *slack.User, cell string) string {
	for _, n := range []string{u.RealName, u.Profile.RealName, u.Name} {
		if n != "" {
			if strings.Contains(cell, "@") {
				return n + " <" + cell + ">"
			}
			return n
		}
	}
	return u.ID
}

// team finds a team cell's channel: a channel id or link, or a name
// (#growth or growth) among the channels okrbot can list.
func (r *importer) team(cell string) (string, string) {
	m := slackChannel.FindStringSubmatch(cell)
	var info *slack.Channel
	if m == nil {
		name := strings.ToLower(strings.TrimPrefix(cell, "#"))
		if err := r.listChannels(); err != nil {
			r.fatal = err
			return "", ""
		}
		c, ok := r.byName[name]
		if !ok {
			return "", fmt.Sprintf("okrbot sees no channel named #%s (invite okrbot to a private channel first, or write the channel's id, like C0123ABCD)", name)
		}
		info = c
	} else {
		var err error
		info, err = r.api.GetConversationInfoContext(r.ctx, &slack.GetConversationInfoInput{ChannelID: m[1]})
		switch code := slackCode(err); {
		case code == "channel_not_found":
			return "", fmt.Sprintf("Slack has no channel %s that okrbot can see (invite okrbot to a private channel first)", m[1])
		case err != nil:
			r.fatal = fmt.Errorf("looking up channel %s in Slack: %w", m[1], err)
			return "", ""
		}
	}
	switch {
	case info.IsArchived:
		return "", fmt.Sprintf("the channel %s (#%s) is archived", m[1], info.Name)
	}
	r.teams[cell] = info.ID
	if r.chanName == nil {
		r.chanName = map[string]string{}
	}
	r.chanName[info.ID] = info.Name
	return info.ID, ""
}

// listChannels loads, once, the public channels and the private ones
// okrbot is in (conversations.list, every page), by name.
func (r *importer) listChannels() error {
	if r.byName != nil {
		return nil
	}
	byName := map[string]*slack.Channel{}
	p := &slack.GetConversationsParameters{Types: []string{"public_channel", "private_channel"}, Limit: 1000}
	for {
		chans, next, err := r.api.GetConversationsContext(r.ctx, p)
		if err != nil {
			return fmt.Errorf("listing channels in Slack (conversations.list): %w", err)
		}
		for i := range chans {
			byName[strings.ToLower(chans[i].Name)] = &chans[i]
		}
		if next == "" {
			break
		}
		p.Cursor = next
	}
	r.byName = byName
	return nil
}

// cycle is okrcsv.ImportInput.Cycle: the team's cycle named name (its
// record, or a standard quarter or half), or its current one.
func (r *importer) cycle(team, name string) (okrs.Cycle, error) {
	st, ok := r.settings[team]
	if !ok {
		var err error
		st, err = r.store.Settings(r.ctx, r.workspace, team)
		if okrs.ErrorCode(err) == okrs.ENOTFOUND {
			st, err = okrs.DefaultSettings(r.defaultTZ), nil
		}
		if err != nil {
			r.fatal = err
			return okrs.Cycle{}, err
		}
		r.settings[team] = st
	}
	if name == "" {
		return okrs.CurrentCycle(st, r.now), nil
	}
	return st.CycleNamed(name)
}

func planKey(o okrs.Objective) string {
	return o.Team + "\x00" + o.Cycle + "\x00" + strings.ToLower(strings.Join(strings.Fields(o.Title), " "))
}

// existing returns the plans' keys that their teams have already: the same
// title in the same cycle, archived objectives aside.
func (r *importer) existing(plans []okrcsv.Planned) (map[string]bool, error) {
	out := map[string]bool{}
	loaded := map[string]bool{}
	for _, p := range plans {
		o := p.Objective
		if loaded[o.Team+"\x00"+o.Cycle] {
			continue
		}
		loaded[o.Team+"\x00"+o.Cycle] = true
		objs, err := r.store.TeamObjectives(r.ctx, r.workspace, o.Team, o.Cycle, 0)
		if err != nil {
			return nil, err
		}
		for _, x := range objs {
			if x.Team == o.Team {
				out[planKey(x)] = true
			}
		}
	}
	return out, nil
}

func (r *importer) person(id string) string {
	if n := r.names[id]; n != "" {
		return n
	}
	return id
}

func (r *importer) teamLabel(id string) string {
	if n := r.chanName[id]; n != "" {
		return "#" + n
	}
	return id
}

func slackCode(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return ""
}
