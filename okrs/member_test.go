package okrs

import "testing"

func TestMember(t *testing.T) {
	const ws, ent = "TACME", "EACME"
	tests := []struct {
		name      string
		m         Member
		workspace string
		belongs   bool
		admin     bool
		guest     bool
	}{
		{"member", Member{Team: ws}, ws, true, false, false},
		{"admin", Member{Team: ws, Admin: true}, ws, true, true, false},
		{"admin of another organisation", Member{Team: "TPARTNER", Admin: true}, ws, false, false, false},
		{"member of another organisation", Member{Team: "TPARTNER"}, ws, false, false, false},
		{"guest", Member{Team: ws, Guest: true}, ws, false, false, true},
		{"guest flagged admin", Member{Team: ws, Guest: true, Admin: true}, ws, false, false, true},
		{"guest of another organisation", Member{Team: "TPARTNER", Guest: true}, ws, false, false, false},
		{"grid guest, org-wide install", Member{Team: "TSALES", Enterprise: ent, Guest: true}, ent, false, false, true},
		{"grid admin, org-wide install", Member{Team: "TSALES", Enterprise: ent, Admin: true}, ent, true, true, false},
		{"grid admin of another org", Member{Team: "TX", Enterprise: "EOTHER", Admin: true}, ent, false, false, false},
		{"grid member of this workspace by teams", Member{Team: "TSALES", Enterprise: ent, Teams: []string{"TSALES", ws}, Admin: true}, ws, true, true, false},
		{"grid admin of a sibling workspace", Member{Team: "TSALES", Enterprise: ent, Teams: []string{"TSALES"}, Admin: true}, ws, false, false, false},
		{"no workspace", Member{Admin: true}, "", false, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.BelongsTo(tc.workspace); got != tc.belongs {
				t.Errorf("BelongsTo(%q) = %v, want %v", tc.workspace, got, tc.belongs)
			}
			if got := tc.m.IsAdminOf(tc.workspace); got != tc.admin {
				t.Errorf("IsAdminOf(%q) = %v, want %v", tc.workspace, got, tc.admin)
			}
			if got := tc.m.IsGuestOf(tc.workspace); got != tc.guest {
				t.Errorf("IsGuestOf(%q) = %v, want %v", tc.workspace, got, tc.guest)
			}
		})
	}
}
