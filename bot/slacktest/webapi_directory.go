package slacktest

import (
	"encoding/base64"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Web API methods about the app, workspaces, users and conversations.

func (s *Server) appsConnectionsOpen(*apiRequest) (jsonObject, *apiError) {
	ticket := s.hub.issueTicket()
	u := strings.Replace(s.baseURL, "http://", "ws://", 1) + "/link/?ticket=" + ticket + "&app_id=" + s.cfg.appID
	return jsonObject{"url": u}, nil
}

func (s *Server) authTest(*apiRequest) (jsonObject, *apiError) {
	w := s.primaryTeam()
	res := jsonObject{
		"url":                   "https://" + w.Domain + ".slack.com/",
		"team":                  w.Name,
		"user":                  s.cfg.botName,
		"team_id":               w.ID,
		"user_id":               s.cfg.botUserID,
		"bot_id":                s.cfg.botID,
		"is_enterprise_install": false,
	}
	if w.EnterpriseID != "" {
		res["enterprise_id"] = w.EnterpriseID
	}
	return res, nil
}

func (s *Server) teamInfoMethod(r *apiRequest) (jsonObject, *apiError) {
	var w Workspace
	if id := r.str("team"); id != "" {
		var ok bool
		if w, ok = s.Workspace(id); !ok {
			return nil, fail("team_not_found")
		}
	} else {
		w = s.primaryTeam()
	}
	team := jsonObject{"id": w.ID, "name": w.Name, "domain": w.Domain, "email_domain": "", "icon": jsonObject{}}
	if w.EnterpriseID != "" {
		team["enterprise_id"], team["enterprise_name"] = w.EnterpriseID, w.EnterpriseName
	}
	return jsonObject{"team": team}, nil
}

// userObject renders a user as Slack's user object. s.dir.mu must be held.
func (s *Server) userObject(u *User, includeLocale bool) jsonObject {
	profile := jsonObject{
		"real_name":               u.RealName,
		"real_name_normalized":    u.RealName,
		"display_name":            u.DisplayName,
		"display_name_normalized": u.DisplayName,
		"team":                    u.TeamID,
		"avatar_hash":             "g000000000",
		"image_24":                "https://a.slack-edge.com/avatar_24.png",
		"image_32":                "https://a.slack-edge.com/avatar_32.png",
		"image_48":                "https://a.slack-edge.com/avatar_48.png",
		"image_72":                "https://a.slack-edge.com/avatar_72.png",
		"image_192":               "https://a.slack-edge.com/avatar_192.png",
		"image_512":               "https://a.slack-edge.com/avatar_512.png",
	}
	if first, last, ok := strings.Cut(u.RealName, " "); ok {
		profile["first_name"], profile["last_name"] = first, last
	} else {
		profile["first_name"] = u.RealName
	}
	if u.Email != "" {
		profile["email"] = u.Email
	}
	s.renderStatus(u.Status, profile)
	if u.IsBot {
		profile["bot_id"], profile["api_app_id"], profile["always_active"] = s.cfg.botID, s.cfg.appID, true
	}
	o := jsonObject{
		"id":                  u.ID,
		"team_id":             u.TeamID,
		"name":                u.Name,
		"deleted":             u.Deleted,
		"color":               "9f69e7",
		"real_name":           u.RealName,
		"tz":                  u.TZ,
		"tz_label":            u.TZLabel,
		"tz_offset":           u.TZOffset,
		"profile":             profile,
		"is_admin":            u.IsAdmin,
		"is_owner":            u.IsOwner,
		"is_primary_owner":    u.IsPrimaryOwner,
		"is_restricted":       u.IsRestricted,
		"is_ultra_restricted": u.IsUltraRestricted,
		"is_bot":              u.IsBot,
		"is_app_user":         false,
		"is_email_confirmed":  !u.IsBot,
		"updated":             s.now().Unix(),
	}
	if w, ok := s.dir.teams[u.TeamID]; ok && w.EnterpriseID != "" { // s.dir.mu is held
		o["enterprise_user"] = jsonObject{
			"id": u.ID, "enterprise_id": w.EnterpriseID, "enterprise_name": w.EnterpriseName,
			"is_admin": u.IsAdmin, "is_owner": u.IsOwner, "is_primary_owner": u.IsPrimaryOwner,
			"teams": []string{u.TeamID},
		}
	}
	if includeLocale {
		loc := u.Locale
		if loc == "" {
			loc = "en-US"
		}
		o["locale"] = loc
	}
	return o
}

func (s *Server) usersInfo(r *apiRequest) (jsonObject, *apiError) {
	includeLocale := r.boolean("include_locale")
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	if list := r.str("users"); list != "" && !r.has("user") {
		var out []jsonObject
		for id := range strings.SplitSeq(list, ",") {
			u, ok := d.users[strings.TrimSpace(id)]
			if !ok {
				return nil, fail("user_not_found")
			}
			out = append(out, s.userObject(u, includeLocale))
		}
		return jsonObject{"users": out}, nil
	}
	u, ok := d.users[r.str("user")]
	if !ok {
		return nil, fail("user_not_found")
	}
	return jsonObject{"user": s.userObject(u, includeLocale)}, nil
}

func (s *Server) usersLookupByEmail(r *apiRequest) (jsonObject, *apiError) {
	email := strings.ToLower(r.str("email"))
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	for _, id := range d.userOrder {
		if u := d.users[id]; email != "" && strings.ToLower(u.Email) == email {
			return jsonObject{"user": s.userObject(u, false)}, nil
		}
	}
	return nil, fail("users_not_found")
}

func encodeCursor(kind, v string) string {
	return base64.StdEncoding.EncodeToString([]byte(kind + ":" + v))
}

func decodeCursor(kind, c string) (string, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return "", false
	}
	return strings.CutPrefix(string(b), kind+":")
}

// usersList pages through users in registration order. limit <= 0 returns
// all, limits over 1000 count as 1000; next_cursor names the next user.
func (s *Server) usersList(r *apiRequest) (jsonObject, *apiError) {
	limit := r.integer("limit", 0)
	switch {
	case limit <= 0:
		limit = math.MaxInt
	case limit > 1000:
		limit = 1000
	}
	team := r.str("team_id")
	includeLocale := r.boolean("include_locale")
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	start := 0
	if c := r.str("cursor"); c != "" {
		id, ok := decodeCursor("user", c)
		pos, known := d.userPos[id]
		if !ok || !known {
			return nil, fail("invalid_cursor")
		}
		start = pos
	}
	members := []jsonObject{}
	next := ""
	for _, id := range d.userOrder[start:] {
		u := d.users[id]
		if team != "" && u.TeamID != team {
			continue
		}
		if len(members) == limit {
			next = encodeCursor("user", id)
			break
		}
		members = append(members, s.userObject(u, includeLocale))
	}
	return jsonObject{
		"members":           members,
		"cache_ts":          s.now().Unix(),
		"response_metadata": jsonObject{"next_cursor": next},
	}, nil
}

func (s *Server) conversationsOpen(r *apiRequest) (jsonObject, *apiError) {
	if ch := r.str("channel"); ch != "" {
		e, code := s.resolveConv(ch)
		if code != "" {
			return nil, fail(code)
		}
		return jsonObject{"channel": s.channelObject(e, false), "already_open": true, "no_op": true}, nil
	}
	var users []string
	for u := range strings.SplitSeq(r.str("users"), ",") {
		if u = strings.TrimSpace(u); u != "" && u != s.cfg.botUserID {
			users = append(users, u)
		}
	}
	if len(users) == 0 {
		return nil, fail("users_list_not_supplied")
	}
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, id := range users {
		u, ok := d.users[id]
		switch {
		case !ok:
			return nil, fail("user_not_found")
		case u.Deleted:
			return nil, fail("user_disabled")
		case u.IsBot && len(users) == 1:
			return nil, fail("cannot_dm_bot")
		}
	}
	var e *convEntry
	var existed bool
	if len(users) == 1 {
		e, existed = s.openIMLocked(users[0])
	} else {
		e, existed = s.openMPIMLocked(users)
	}
	full := r.boolean("return_im") || len(users) > 1
	res := jsonObject{"channel": s.channelObject(e, full)}
	if existed {
		res["already_open"], res["no_op"] = true, true
	}
	return res, nil
}

// openMPIMLocked returns the group DM of the bot and several users.
func (s *Server) openMPIMLocked(users []string) (*convEntry, bool) {
	d := &s.dir
	sorted := slices.Sorted(slices.Values(users))
	key := "mpim:" + strings.Join(sorted, ",")
	if id, ok := d.ims[key]; ok {
		return d.convs[id], true
	}
	id := s.newID("G")
	members := append(sorted, s.cfg.botUserID)
	e := &convEntry{
		ch: Channel{
			ID: id, TeamID: d.users[sorted[0]].TeamID, Name: "mpdm-" + strings.Join(sorted, "--") + "-1",
			Members: members, BotIsMember: true, IsPrivate: true,
		},
		members: map[string]bool{},
		mpim:    true,
		created: s.now(),
	}
	for _, m := range members {
		e.members[m] = true
	}
	d.convs[id] = e
	d.ims[key] = id
	return e, false
}

// channelObject renders a conversation as Slack's conversation object; brief
// gives only the ID and DM fields, as conversations.open without return_im.
func (s *Server) channelObject(e *convEntry, full bool) jsonObject {
	c := e.ch
	if e.isIM() {
		o := jsonObject{"id": c.ID}
		if full {
			o["created"], o["is_im"], o["user"], o["is_open"] = e.created.Unix(), true, e.imUser, true
			o["is_org_shared"], o["priority"], o["context_team_id"] = false, 0, c.TeamID
		}
		return o
	}
	if !full {
		return jsonObject{"id": c.ID}
	}
	return jsonObject{
		"id":              c.ID,
		"name":            c.Name,
		"name_normalized": c.Name,
		"created":         e.created.Unix(),
		"creator":         "",
		"is_channel":      !c.IsPrivate,
		"is_group":        c.IsPrivate && !e.mpim,
		"is_mpim":         e.mpim,
		"is_im":           false,
		"is_private":      c.IsPrivate,
		"is_archived":     c.IsArchived,
		"is_general":      false,
		"is_shared":       false,
		"is_ext_shared":   false,
		"is_org_shared":   false,
		"is_member":       c.BotIsMember,
		"context_team_id": c.TeamID,
		"num_members":     len(c.Members),
		"topic":           jsonObject{"value": c.Topic, "creator": "", "last_set": 0},
		"purpose":         jsonObject{"value": c.Purpose, "creator": "", "last_set": 0},
	}
}

// conv looks a conversation up, channel_not_found when unknown.
func (s *Server) conv(id string) (*convEntry, *apiError) {
	d := &s.dir
	d.mu.RLock()
	e, ok := d.convs[id]
	d.mu.RUnlock()
	if !ok {
		return nil, fail("channel_not_found")
	}
	return e, nil
}

func (s *Server) conversationsInfo(r *apiRequest) (jsonObject, *apiError) {
	e, aerr := s.conv(r.str("channel"))
	if aerr != nil {
		return nil, aerr
	}
	return jsonObject{"channel": s.channelObject(e, true)}, nil
}

func (s *Server) conversationsMembers(r *apiRequest) (jsonObject, *apiError) {
	e, aerr := s.conv(r.str("channel"))
	if aerr != nil {
		return nil, aerr
	}
	members := slices.Clone(e.ch.Members)
	if e.ch.BotIsMember && !e.members[s.cfg.botUserID] {
		members = append(members, s.cfg.botUserID)
	}
	start, end, next, aerr := page(r, "member", len(members), 100, 1000)
	if aerr != nil {
		return nil, aerr
	}
	return jsonObject{
		"members":           members[start:end],
		"response_metadata": jsonObject{"next_cursor": next},
	}, nil
}

// conversationsHistory lists a conversation's messages, newest first, as
// Slack does: not ephemerals, not thread replies (only their parents),
// metadata only with include_all_metadata, paginated with limit and cursor.
// The bot must be a member (DMs always are): not_in_channel otherwise.
func (s *Server) conversationsHistory(r *apiRequest) (jsonObject, *apiError) {
	id := r.str("channel")
	e, aerr := s.conv(id)
	if aerr != nil {
		return nil, aerr
	}
	if !e.isIM() && !e.ch.BotIsMember {
		return nil, fail("not_in_channel")
	}
	all := s.Messages(id)
	var msgs []map[string]any
	for i := len(all) - 1; i >= 0; i-- {
		m := all[i]
		if m.Ephemeral || m.ThreadTS != "" && m.ThreadTS != m.TS {
			continue
		}
		w := m.wire()
		if r.str("include_all_metadata") != "true" && r.str("include_all_metadata") != "1" {
			delete(w, "metadata")
		}
		msgs = append(msgs, w)
	}
	start, end, next, aerr := page(r, "history", len(msgs), 100, 999)
	if aerr != nil {
		return nil, aerr
	}
	out := msgs[start:end]
	if out == nil {
		out = []map[string]any{}
	}
	return jsonObject{"messages": out, "has_more": next != "", "response_metadata": jsonObject{"next_cursor": next}}, nil
}

// page reads the cursor and limit of a paginated method over n items: the
// slice [start:end] to return and the next cursor ("" on the last page). A
// limit out of (0, max] means def.
func page(r *apiRequest, kind string, n, def, max int) (start, end int, next string, aerr *apiError) {
	if c := r.str("cursor"); c != "" {
		v, ok := decodeCursor(kind, c)
		i, err := strconv.Atoi(v)
		if !ok || err != nil || i < 0 || i > n {
			return 0, 0, "", fail("invalid_cursor")
		}
		start = i
	}
	limit := r.integer("limit", def)
	if limit <= 0 || limit > max {
		limit = def
	}
	end = min(start+limit, n)
	if end < n {
		next = encodeCursor(kind, strconv.Itoa(end))
	}
	return start, end, next, nil
}
