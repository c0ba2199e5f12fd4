package main

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "6bc40d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708"
	tests := []struct {
		name string
		v    string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", "", nil, "dev (commit unknown, " + runtime.Version() + ")"},
		{"local build", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "dev (commit unknown, go1.26.8)"},
		{"go install @version", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0 (commit unknown, go1.26.8)"},
		{"ldflags wins", "v2.0.0", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, "v2.0.0 (commit unknown, go1.26.8)"},
		{"clean checkout", "", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")},
			"dev (commit " + rev + ", go1.26.8)"},
		{"modified checkout", "v2.0.0", &debug.BuildInfo{GoVersion: "go1.26.8", Settings: vcs(rev, "true")},
			"v2.0.0 (commit " + rev + "-dirty, go1.26.8)"},
	}
	for _, tt := range tests {
		if got := versionOf(tt.v, tt.bi); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestVersionLdflags builds okrbot as the Dockerfile does, with
// -ldflags "-X main.version=…", and runs okrbot version: -X silently does
// nothing when the variable is renamed or gets a non-constant initializer.
func TestVersionLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "okrbot")
	build := exec.Command("go", "build", "-ldflags=-s -w -X main.version=v9.8.7-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "okrbot v9.8.7-test (commit ") {
		t.Errorf("okrbot version = %q, %v; want it to start with okrbot v9.8.7-test (commit ", out, err)
	}
}
