package slacktest

import "time"

// Status is a user's custom status, as users.info and users.list show it in
// the profile: status_text, status_emoji and status_expiration (a Unix
// time; 0 means it stays until changed). Unlike Slack, the fake does not
// clear an expired status (its clock need not be the test's): it shows it
// with its expiration, which okrbot honours itself.
type Status struct {
	Text       string
	Emoji      string
	Expiration time.Time // zero: until changed
}

// renderStatus writes a user's status into a profile object. s.dir.mu is
// held.
func (s *Server) renderStatus(st Status, profile jsonObject) {
	exp := int64(0)
	if !st.Expiration.IsZero() {
		exp = st.Expiration.Unix()
	}
	profile["status_text"], profile["status_emoji"], profile["status_expiration"] = st.Text, st.Emoji, exp
	profile["status_text_canonical"] = ""
}

// SetStatus sets a user's custom status (an unknown user is ignored).
func (s *Server) SetStatus(user string, st Status) {
	d := &s.dir
	d.mu.Lock()
	defer d.mu.Unlock()
	if u, ok := d.users[user]; ok {
		cp := *u
		cp.Status = st
		d.users[user] = &cp
	}
}
