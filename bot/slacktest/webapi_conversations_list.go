package slacktest

import (
	"slices"
	"strings"
)

// conversationsList is conversations.list as a bot token sees it: the
// primary workspace's channels of the asked types (public_channel by
// default; private_channel lists only those the bot is in), ordered by
// name, paged by cursor (limit ≤ 1000, default 100), archived ones left out
// with exclude_archived. DMs and group DMs are not listed.
func (s *Server) conversationsList(r *apiRequest) (jsonObject, *apiError) {
	types := map[string]bool{}
	for t := range strings.SplitSeq(r.str("types"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			types[t] = true
		}
	}
	if len(types) == 0 {
		types["public_channel"] = true
	}
	for t := range types {
		if t != "public_channel" && t != "private_channel" && t != "mpim" && t != "im" {
			return nil, fail("invalid_types")
		}
	}
	team := r.str("team_id")
	if team == "" {
		team = s.primaryTeam().ID
	}
	excludeArchived := r.boolean("exclude_archived")
	d := &s.dir
	d.mu.RLock()
	var list []*convEntry
	for _, e := range d.convs {
		c := e.ch
		switch {
		case e.isIM() || e.mpim || c.TeamID != team:
		case excludeArchived && c.IsArchived:
		case c.IsPrivate && (!types["private_channel"] || !c.BotIsMember):
		case !c.IsPrivate && !types["public_channel"]:
		default:
			list = append(list, e)
		}
	}
	d.mu.RUnlock()
	slices.SortFunc(list, func(a, b *convEntry) int {
		if c := strings.Compare(a.ch.Name, b.ch.Name); c != 0 {
			return c
		}
		return strings.Compare(a.ch.ID, b.ch.ID)
	})
	start, end, next, aerr := page(r, "conversations", len(list), 100, 1000)
	if aerr != nil {
		return nil, aerr
	}
	channels := []jsonObject{}
	d.mu.RLock()
	for _, e := range list[start:end] {
		channels = append(channels, s.channelObject(e, true))
	}
	d.mu.RUnlock()
	return jsonObject{"channels": channels, "response_metadata": jsonObject{"next_cursor": next}}, nil
}
