package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3". When
// it is empty, the build's module version is used (go install …@v1.2.3), or
// "dev".
var version string

// versionString is the version `okrbot version` prints and start-up logs.
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(version, bi)
}

// versionOf is okrbot's version from the -X value v or the build info bi
// (which may be nil): "v1.2.3 (commit 0123abc…-dirty, go1.26.8)".
func versionOf(v string, bi *debug.BuildInfo) string {
	commit, goVersion := "unknown", runtime.Version()
	if bi != nil {
		if v == "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" {
			commit = rev
			if modified == "true" {
				commit += "-dirty"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	return fmt.Sprintf("%s (commit %s, %s)", v, commit, goVersion)
}
