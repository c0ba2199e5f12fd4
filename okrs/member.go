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
	if m.Guest || workspace == "" {
		return false
	}
	return m.Team == workspace || m.Enterprise == workspace || slices.Contains(m.Teams, workspace)
}

// IsAdminOf reports whether the person's admin rights count in workspace:
// only a member's do, never a guest's or those of an admin of another
// organisation.
func (m Member) IsAdminOf(workspace string) bool {
	return m.Admin && m.BelongsTo(workspace)
}
