package okrs

import "slices"

// A Member is a person as Slack describes them (users.info), for deciding
// what they may do with a workspace's OKRs. In a Slack Connect channel,
// people from partner organisations use okrbot too; Slack reports their own
// team and their own admin flag, which mean nothing here.
type Member struct {
	ID         string
	Team       string   // team_id: the workspace the person belongs to
	Enterprise string   // enterprise_user.enterprise_id, on Enterprise Grid
	Teams      []string // enterprise_user.teams: the Grid workspaces they are in
	Admin      bool     // is_admin, is_owner or is_primary_owner, of their own workspace or org
	Guest      bool     // is_restricted or is_ultra_restricted
}

// BelongsTo reports whether the person is a full member (not a guest) of
// workspace, the id okrbot keys data by: a team id, or the enterprise id of
// an org-wide install.
func (m Member) BelongsTo(workspace string) bool {
	return !m.Guest && m.in(workspace)
}

// IsGuestOf reports whether the person is a guest of workspace: in it, but
// restricted. A guest of another organisation is not; they are from
// another organisation.
func (m Member) IsGuestOf(workspace string) bool {
	return m.Guest && m.in(workspace)
}

// in reports whether the person's team or enterprise is workspace, guest
// or not.
func (m Member) in(workspace string) bool {
	return workspace != "" && (m.Team == workspace || m.Enterprise == workspace || slices.Contains(m.Teams, workspace))
}

// IsAdminOf reports whether the person's admin rights count in workspace:
// only a member's do, never a guest's or those of an admin of another
// organisation.
func (m Member) IsAdminOf(workspace string) bool {
	return m.Admin && m.BelongsTo(workspace)
}
