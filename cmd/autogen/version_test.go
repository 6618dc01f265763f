package main

import (
	"debug/buildinfo"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	rev := "5963311abcdef0123456789abcdef0123456789a"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		ok   bool
		want string
	}{
		{"go install module@version", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}}, true, "autogen v1.4.0 (go1.26.8)"},
		{"checkout, clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")}, true, "autogen (devel) " + rev + " (go1.26.8)"},
		{"checkout, edited", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")}, true, "autogen (devel) " + rev + "-dirty (go1.26.8)"},
		{"pseudo-version naming the commit", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203072335-5963311abcde+dirty"}, Settings: vcs("true")}, true, "autogen v0.0.0-20261203072335-5963311abcde+dirty"},
		{"no version control", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "autogen (devel)"},
		{"no build information", nil, false, "autogen (unknown version: the binary carries no build information)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.bi, tt.ok); got != tt.want {
				t.Errorf("versionLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestVersionFlag checks autogen --version against the build information
// the Go toolchain wrote into the binary.
func TestVersionFlag(t *testing.T) {
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{t: t, dir: t.TempDir(), binary: true}
	out, _ := a.ok("--version")
	if want := versionLine(bi, true) + "\n"; out != want {
		t.Errorf("autogen --version printed %q, want %q", out, want)
	}
	if !strings.HasPrefix(out, "autogen "+bi.Main.Version) {
		t.Errorf("autogen --version printed %q, without the module version %q", out, bi.Main.Version)
	}
}

func TestCurrentMissingDatabase(t *testing.T) {
	a := rvTutorial(t)
	e := a.fails(exitUsage, "nothere.db does not exist", "--url", "sqlite:///nothere.db", "current")
	if strings.Count(strings.TrimSpace(e), "\n") > 0 {
		t.Errorf("more than one line on stderr:\n%s", e)
	}
	if _, err := os.Stat(filepath.Join(a.dir, "nothere.db")); !os.IsNotExist(err) {
		t.Errorf("current created the missing database (%v)", err)
	}
	if _, _, code := a.run("--url", "sqlite:///nothere.db", "history"); code != 0 {
		t.Errorf("history without a database: exit %d, want 0 (it only marks the current revision)", code)
	}
	if out, _ := a.ok("current"); !strings.Contains(out, "000000000001") {
		t.Errorf("current on the existing database: %q", out)
	}
}
