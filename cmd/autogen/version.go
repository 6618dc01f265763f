package main

import (
	"runtime/debug"
	"strings"
)

// versionLine is what autogen --version prints, from the binary's build
// information: the module version go install stamps, or for a build from a
// checkout the commit it was built from, marked dirty when the work tree
// had changes.
func versionLine(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "autogen (unknown version: the binary carries no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	dirty := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + rev
		if dirty {
			v += "-dirty"
		}
	}
	line := "autogen " + v
	if bi.GoVersion != "" {
		line += " (" + bi.GoVersion + ")"
	}
	return line
}
