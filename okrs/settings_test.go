package okrs

import "testing"

func TestSettingsMayManage(t *testing.T) {
	managed := Settings{Managers: []string{"UMGR"}}
	tests := []struct {
		name        string
		s           Settings
		user        string
		admin, sees bool
		want        bool
	}{
		{"manager", managed, "UMGR", false, true, true},
		{"manager not in the private channel", managed, "UMGR", false, false, true},
		{"someone else", managed, "UANA", false, true, false},
		{"admin", managed, "UADM", true, false, true},
		{"no managers yet, in the channel", Settings{}, "UANA", false, true, true},
		{"no managers yet, outside the private channel", Settings{}, "UANA", false, false, false},
		{"no managers yet, admin outside the private channel", Settings{}, "UADM", true, false, true},
		{"nobody", Settings{}, "", false, true, false},
	}
	for _, tc := range tests {
		if got := tc.s.MayManage(tc.user, tc.admin, tc.sees); got != tc.want {
			t.Errorf("%s: MayManage(%q, %v, %v) = %v, want %v", tc.name, tc.user, tc.admin, tc.sees, got, tc.want)
		}
	}
}
