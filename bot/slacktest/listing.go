package slacktest

import (
	"slices"
	"strings"
)

// Users returns every registered user, in the order they were added (the
// bot user included; check IsBot).
func (s *Server) Users() []User {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]User, 0, len(d.userOrder))
	for _, id := range d.userOrder {
		if u, ok := d.users[id]; ok {
			out = append(out, *u)
		}
	}
	return out
}

// Channels returns every registered channel (not DMs), ordered by
// workspace and name.
func (s *Server) Channels() []Channel {
	d := &s.dir
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []Channel
	for _, e := range d.convs {
		if e.isIM() {
			continue
		}
		c := e.ch
		c.Members = slices.Clone(c.Members)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Channel) int {
		if c := strings.Compare(a.TeamID, b.TeamID); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// Changed returns a channel that is closed at the next Web API call,
// response_url post or upload the fake records: anything the bot does that
// can change a message, a view or a file. Take it before looking at the
// records, so that no change is missed.
func (s *Server) Changed() <-chan struct{} { return s.calls.n.wait() }
