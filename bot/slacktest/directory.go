package slacktest

import (
	"slices"
	"strings"
	"sync"
	"time"
)

// Workspace is a Slack workspace (team). The first workspace added is the
// primary one: auth.test reports it and users or channels without a TeamID
// belong to it. Without any AddWorkspace call the fake creates
// {ID: "T0DEFAULT", Name: "Fake Workspace", Domain: "fake"} on first use.
type Workspace struct {
	ID             string
	Name           string
	Domain         string // default: Name lower-cased without spaces
	EnterpriseID   string // set for Enterprise Grid workspaces
	EnterpriseName string
}

// User is a workspace member. Zero fields get Slack-like defaults: Name from
// the ID, RealName from Name, TZ "UTC"; TZLabel and TZOffset are computed from
// TZ (at the fake's clock) when TZLabel is empty. A user of another
// organisation (a TeamID of another workspace) is reported with that team_id
// and their own is_admin, as Slack does in Slack Connect channels; users of an
// Enterprise Grid workspace (one with an EnterpriseID) carry enterprise_user.
type User struct {
	ID             string
	TeamID         string
	Name           string
	RealName       string
	DisplayName    string
	Email          string
	TZ             string
	TZLabel        string
	TZOffset       int // seconds east of UTC
	Locale         string
	IsAdmin        bool
	IsOwner        bool
	IsPrimaryOwner bool
	IsRestricted   bool // a multi-channel guest
	// IsUltraRestricted is a single-channel guest.
	IsUltraRestricted bool
	IsBot             bool
	Deleted           bool
	// Status is the person's custom status (see SetStatus).
	Status Status
}

// Channel is a public (C…) or private (G…/C…) channel. The bot can post only
// when BotIsMember is true; ephemerals additionally need the target user in
// Members.
type Channel struct {
	ID          string
	TeamID      string
	Name        string
	Members     []string
	BotIsMember bool
	IsPrivate   bool
	IsArchived  bool
	Topic       string
	Purpose     string
}

// defaultWorkspace is created when something needs a workspace before any
// was added.
var defaultWorkspace = Workspace{ID: "T0DEFAULT", Name: "Fake Workspace", Domain: "fake"}

// convEntry is a conversation as the fake stores it: a registered channel or
// a DM (IM) opened with conversations.open or by posting to a user ID.
type convEntry struct {
	ch      Channel
	members map[string]bool
	imUser  string // non-empty for DMs
	mpim    bool   // group DM opened with conversations.open
	created time.Time
}

func (c *convEntry) isIM() bool { return c.imUser != "" }

type directory struct {
	mu        sync.RWMutex
	teams     map[string]*Workspace
	teamOrder []string
	users     map[string]*User
	userOrder []string
	userPos   map[string]int
	convs     map[string]*convEntry
	ims       map[string]string // user ID → D… ID
}

func (d *directory) init() {
	d.teams = map[string]*Workspace{}
	d.users = map[string]*User{}
	d.userPos = map[string]int{}
	d.convs = map[string]*convEntry{}
	d.ims = map[string]string{}
}

// AddWorkspace registers (or replaces) a workspace. The first workspace added
// becomes the primary one, and the bot user is registered in it.
func (s *Server) AddWorkspace(w Workspace) {
	if w.Domain == "" {
		w.Domain = strings.ReplaceAll(strings.ToLower(w.Name), " ", "")
		if w.Domain == "" {
			w.Domain = strings.ToLower(w.ID)
		}
	}
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	s.addTeamLocked(w)
}

func (s *Server) addTeamLocked(w Workspace) {
	d := &s.dir
	if _, ok := d.teams[w.ID]; !ok {
		d.teamOrder = append(d.teamOrder, w.ID)
	}
	d.teams[w.ID] = &w
	if len(d.teamOrder) == 1 {
		bot := &User{ID: s.cfg.botUserID, TeamID: w.ID, Name: s.cfg.botName, RealName: s.cfg.botName, TZ: "UTC", IsBot: true}
		bot.TZLabel, bot.TZOffset = tzInfo(bot.TZ, s.now())
		s.putUserLocked(bot)
	}
}

// primaryTeamLocked returns the primary workspace, creating the default one
// if needed. d.mu must be held for writing.
func (s *Server) primaryTeamLocked() *Workspace {
	d := &s.dir
	if len(d.teamOrder) == 0 {
		s.addTeamLocked(defaultWorkspace)
	}
	return d.teams[d.teamOrder[0]]
}

// primaryTeam returns a copy of the primary workspace.
func (s *Server) primaryTeam() Workspace {
	d := &s.dir
	d.mu.RLock()
	if len(d.teamOrder) > 0 {
		w := *d.teams[d.teamOrder[0]]
		d.mu.RUnlock()
		return w
	}
	d.mu.RUnlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	return *s.primaryTeamLocked()
}

// Workspace returns the workspace with the given ID.
func (s *Server) Workspace(id string) (Workspace, bool) {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	w, ok := d.teams[id]
	if !ok {
		return Workspace{}, false
	}
	return *w, true
}

// AddUser registers (or replaces) a user. An empty TeamID means the primary
// workspace; an unknown TeamID registers a workspace with that ID (add it
// first with AddWorkspace to give it a name).
func (s *Server) AddUser(u User) {
	if u.Name == "" {
		u.Name = strings.ToLower(u.ID)
	}
	if u.RealName == "" {
		u.RealName = u.Name
	}
	if u.TZ == "" {
		u.TZ = "UTC"
	}
	if u.TZLabel == "" {
		u.TZLabel, u.TZOffset = tzInfo(u.TZ, s.now())
	}
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if u.TeamID == "" {
		u.TeamID = s.primaryTeamLocked().ID
	} else if _, ok := d.teams[u.TeamID]; !ok {
		s.addTeamLocked(Workspace{ID: u.TeamID, Name: u.TeamID, Domain: strings.ToLower(u.TeamID)})
	}
	s.putUserLocked(&u)
}

func (s *Server) putUserLocked(u *User) {
	d := &s.dir
	if _, ok := d.users[u.ID]; !ok {
		d.userPos[u.ID] = len(d.userOrder)
		d.userOrder = append(d.userOrder, u.ID)
	}
	d.users[u.ID] = u
}

// tzInfo returns an abbreviation and the UTC offset of a zone at t.
func tzInfo(tz string, t time.Time) (string, int) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return tz, 0
	}
	name, off := t.In(loc).Zone()
	return name, off
}

// User returns the registered user with the given ID.
func (s *Server) User(id string) (User, bool) {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.users[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// AddChannel registers (or replaces) a channel. An empty TeamID means the
// primary workspace.
func (s *Server) AddChannel(c Channel) {
	c.Members = slices.Clone(c.Members)
	if c.Name == "" {
		c.Name = strings.ToLower(c.ID)
	}
	e := &convEntry{ch: c, members: make(map[string]bool, len(c.Members)), created: s.now()}
	for _, m := range c.Members {
		e.members[m] = true
	}
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if e.ch.TeamID == "" {
		e.ch.TeamID = s.primaryTeamLocked().ID
	}
	if old, ok := d.convs[c.ID]; ok {
		e.created = old.created
	}
	d.convs[c.ID] = e
}

// Channel returns a registered channel or DM by ID.
func (s *Server) Channel(id string) (Channel, bool) {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	e, ok := d.convs[id]
	if !ok {
		return Channel{}, false
	}
	c := e.ch
	c.Members = slices.Clone(c.Members)
	return c, true
}

// DMChannel returns the ID of the bot's DM (IM) channel with a user, opening
// it if needed, exactly as conversations.open would. The ID is stable: "D"
// followed by the user ID without its leading "U".
func (s *Server) DMChannel(userID string) string {
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	e, _ := s.openIMLocked(userID)
	return e.ch.ID
}

// openIMLocked returns the DM with a user, creating it if needed. The bool is
// true when it already existed. d.mu must be held for writing.
func (s *Server) openIMLocked(userID string) (*convEntry, bool) {
	d := &s.dir
	if id, ok := d.ims[userID]; ok {
		return d.convs[id], true
	}
	id := "D" + strings.TrimPrefix(userID, "U")
	if _, taken := d.convs[id]; taken {
		id = s.newID("D")
	}
	team := ""
	if u, ok := d.users[userID]; ok {
		team = u.TeamID
	} else {
		team = s.primaryTeamLocked().ID
	}
	e := &convEntry{
		ch: Channel{
			ID: id, TeamID: team, Name: userID, Members: []string{userID, s.cfg.botUserID},
			BotIsMember: true, IsPrivate: true,
		},
		members: map[string]bool{userID: true, s.cfg.botUserID: true},
		imUser:  userID,
		created: s.now(),
	}
	d.convs[id] = e
	d.ims[userID] = id
	return e, false
}

// isUserID reports whether id looks like a user ID rather than a channel ID.
func isUserID(id string) bool {
	return strings.HasPrefix(id, "U") || strings.HasPrefix(id, "W")
}

// resolveConv finds the conversation a Web API call addresses. A user ID
// addresses the bot's DM with that user (Slack opens it implicitly); unknown
// IDs yield channel_not_found. The returned entry must not be modified.
func (s *Server) resolveConv(id string) (*convEntry, string) {
	if id == "" {
		return nil, "channel_not_found"
	}
	d := &s.dir
	if isUserID(id) {
		d.mu.RLock()
		_, known := d.users[id]
		imID, open := d.ims[id]
		var e *convEntry
		if open {
			e = d.convs[imID]
		}
		d.mu.RUnlock()
		if !known {
			return nil, "channel_not_found"
		}
		if e != nil {
			return e, ""
		}
		d.mu.Lock()
		e, _ = s.openIMLocked(id)
		d.mu.Unlock()
		return e, ""
	}
	d.mu.RLock()
	e, ok := d.convs[id]
	d.mu.RUnlock()
	if !ok {
		return nil, "channel_not_found"
	}
	return e, ""
}

// teamDomain returns the domain of a team, or the team ID lower-cased.
func (s *Server) teamInfo(teamID string) Workspace {
	if w, ok := s.Workspace(teamID); ok {
		return w
	}
	if teamID == "" {
		return s.primaryTeam()
	}
	return Workspace{ID: teamID, Name: teamID, Domain: strings.ToLower(teamID)}
}
