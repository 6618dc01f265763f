package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Ids of parityApp's revisions.
const (
	pA = "aaaaaaaaaaaa"
	pB = "bbbbbbbbbbbb"
	pC = "cccccccccccc"
)

// parityApp is an initialized module holding the revisions that steps
// (each the arguments of one command) make.
func parityApp(t *testing.T, steps ...[]string) *app {
	t.Helper()
	a := newApp(t, map[string]string{"models/models.go": rvBaseModels(t)})
	a.ok("init", "migrations")
	for _, s := range steps {
		a.ok(s...)
	}
	return a
}

// chain is three empty revisions pA -> pB -> pC.
var chain = [][]string{
	{"revision", "--empty", "-m", "one", "--rev-id", pA},
	{"revision", "--empty", "-m", "two", "--rev-id", pB},
	{"revision", "--empty", "-m", "three", "--rev-id", pC},
}

// forked is pA with two heads on it, pB and pC.
var forked = [][]string{
	{"revision", "--empty", "-m", "one", "--rev-id", pA},
	{"revision", "--empty", "-m", "two", "--rev-id", pB},
	{"revision", "--empty", "-m", "three", "--rev-id", pC, "--head", pA, "--splice"},
}

// TestAttachedShortValues: argparse reads "-rVALUE" as "-r VALUE", and so
// do Alembic's users and its tutorial ("history -r-3:current").
func TestAttachedShortValues(t *testing.T) {
	a := parityApp(t, chain[:2]...)
	a.ok("revision", "--empty", "-mthree", "--rev-id", pC)
	if out, _ := a.ok("history", "-r"+pB+":"); !strings.HasPrefix(out, pB+" -> "+pC+" (head), three\n") {
		t.Errorf("history -r%s: shows\n%s", pB, out)
	}
	a.ok("-calembic.ini", "upgrade", "head")
	a.ok("-nalembic", "downgrade", "-1")
	if out, _ := a.ok("history", "-r-1:current"); !strings.HasPrefix(out, pA+" -> "+pB+", two\n") {
		t.Errorf("history -r-1:current shows\n%s", out)
	}
	if out, _ := a.ok("current", "-calembic.ini"); strings.TrimSpace(out) != pB {
		t.Errorf("current -calembic.ini = %q", out)
	}
	a.fails(exitUsage, "unknown flag -x", "history", "-x1")
}

// TestMergeOnlyHeads: Alembic merges heads only; merging a revision that
// something already revises would fork the graph again.
func TestMergeOnlyHeads(t *testing.T) {
	a := parityApp(t, forked...)
	a.fails(exitUsage, "revision "+pA+" is not a head revision", "merge", pA, pB, "-m", "ancestor")
	a.ok("merge", pB, pC, "-m", "join")
	n := len(a.versions())
	a.fails(exitUsage, "revision "+pB+" is not a head revision", "merge", pB, pC, "-m", "again")
	if got := len(a.versions()); got != n {
		t.Errorf("a refused merge wrote a file: %d files, want %d", got, n)
	}
	a.ok("heads") // the graph still loads
}

func TestBranchLabelChecked(t *testing.T) {
	labelled := append(slices.Clone(chain), []string{"revision", "--empty", "-m", "x", "--branch-label", "lbl"})
	apps := map[string]*app{"forked": parityApp(t, forked...), "chain": parityApp(t, chain...), "labelled": parityApp(t, labelled...)}
	tests := []struct {
		app, label, want string
	}{
		{"forked", "head", `--branch-label "head" is a reserved word`},
		{"chain", "head", `--branch-label "head" is a reserved word`},
		{"chain", "heads", `--branch-label "heads" is a reserved word`},
		{"chain", "base", `--branch-label "base" is a reserved word`},
		{"chain", "current", `--branch-label "current" is a reserved word`},
		{"chain", "my-branch", `--branch-label "my-branch" is not a valid label`},
		{"chain", "bbb", `--branch-label "bbb" is (the start of) revision id ` + pB},
		{"chain", pA, `--branch-label "` + pA + `" is the id of revision ` + pA},
		{"labelled", "lbl", `--branch-label "lbl" is already the branch label of revision`},
	}
	for _, tt := range tests {
		t.Run(tt.app+"/"+tt.label, func(t *testing.T) {
			a := apps[tt.app]
			n := len(a.versions())
			a.fails(exitUsage, tt.want, "revision", "--empty", "-m", "labelled", "--branch-label", tt.label)
			a.fails(exitUsage, tt.want, "merge", "heads", "-m", "labelled", "--branch-label", tt.label)
			if got := len(a.versions()); got != n {
				t.Errorf("a refused label wrote a file: %d files, want %d", got, n)
			}
			a.ok("heads")
		})
	}
	a := apps["chain"]
	a.ok("revision", "--empty", "-m", "labelled", "--branch-label", "my_branch")
	a.ok("upgrade", "my_branch@head")
}

// TestMessagesAlembicUsersFollow: every hint must work when followed.
func TestMessagesAlembicUsersFollow(t *testing.T) {
	a := parityApp(t, chain...)
	e := a.fails(exitUsage, "autogen downgrade --sql "+pC+":"+pB, "downgrade", "--sql", "-1")
	_, hint, _ := strings.Cut(strings.TrimSuffix(strings.TrimSpace(e), "."), "e.g. autogen ")
	a.ok(strings.Fields(hint)...)
	for _, spec := range []string{"base:head:head", "base:", ":"} {
		a.fails(exitUsage, fmt.Sprintf("revision range %q is malformed", spec), "upgrade", "--sql", spec)
	}
	a.fails(exitUsage, "unknown flag --foo;", "current", "--foo")
	a.fails(exitUsage, "unknown flag --foo;", "--foo=1", "current")
	a.fails(exitUsage, "unknown flag -foo;", "current", "-foo")
	for _, cmd := range []string{"heads", "branches", "current", "check", "history"} {
		a.fails(exitUsage, cmd+" takes no arguments", cmd, "extra")
	}
	for _, spec := range []string{"base", "current"} {
		if out, e := a.ok("show", spec); out != "" || e != "" {
			t.Errorf("show %s on an unstamped database: stdout %q, stderr %q; want nothing", spec, out, e)
		}
	}
}

func TestStampSeveral(t *testing.T) {
	a := parityApp(t, forked...)
	a.ok("stamp", pB, pC)
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{pB, pC}) {
		t.Fatalf("after stamp %s %s: %v", pB, pC, got)
	}
	a.ok("stamp", pA)
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{pA}) {
		t.Fatalf("after stamp %s: %v", pA, got)
	}
	a.exec("INSERT INTO alembic_version VALUES ('ffffffffffff')")
	a.fails(exitUsage, "give --purge", "stamp", pB)
	a.ok("stamp", pB, pC, "--purge")
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{pB, pC}) {
		t.Fatalf("after stamp --purge: %v", got)
	}
}

// TestStampSQL applies stamp --sql with the sqlite3 shell, as Alembic's
// offline stamp is used.
func TestStampSQL(t *testing.T) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
	}
	a := parityApp(t, forked...)
	db := filepath.Join(a.dir, "database.db")
	apply := func(args ...string) {
		t.Helper()
		script, e := a.ok(args...)
		if !strings.Contains(e, "INFO  [alembic.runtime.migration] Generating static SQL\n") || strings.Contains(script, "INFO") {
			t.Errorf("autogen %s: log lines not on stderr alone:\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), script, e)
		}
		cmd := exec.Command(shell, "-bail", db)
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sqlite3 rejected autogen %s: %v\n%s\nscript:\n%s", strings.Join(args, " "), err, out, script)
		}
	}
	apply("stamp", "--sql", pB, pC)
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{pB, pC}) {
		t.Fatalf("after stamp --sql %s %s: %v", pB, pC, got)
	}
	apply("stamp", "--sql", "heads:"+pA)
	if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{pA}) {
		t.Fatalf("after stamp --sql heads:%s: %v", pA, got)
	}
	apply("stamp", "--sql", pA+":base")
	if got := a.rows(masterQuery); len(got) != 0 {
		t.Fatalf("after stamp --sql %s:base: %v", pA, got)
	}
	a.fails(exitUsage, "cannot know without a database", "stamp", "--sql", "current")
	a.fails(exitUsage, "cannot be combined with --sql", "stamp", "--sql", "--purge", "heads")
}

// TestEffectiveHead: a head that another revision depends on is Alembic's
// "effective head", and heads --resolve-dependencies leaves it out.
func TestEffectiveHead(t *testing.T) {
	a := parityApp(t, forked[:2]...)
	a.ok("revision", "--empty", "-m", "three", "--rev-id", pC, "--head", pA, "--splice", "--depends-on", pB)
	out, _ := a.ok("heads")
	if want := pB + " (effective head)\n" + pC + " (head)\n"; out != want {
		t.Errorf("heads =\n%s\nwant\n%s", out, want)
	}
	out, _ = a.ok("heads", "--resolve-dependencies")
	if want := pC + " (head)\n"; out != want {
		t.Errorf("heads --resolve-dependencies =\n%s\nwant\n%s", out, want)
	}
	if out, _ = a.ok("history"); !strings.Contains(out, pA+" -> "+pB+" (effective head), two\n") {
		t.Errorf("history does not mark the effective head:\n%s", out)
	}
	if out, _ = a.ok("show", pB); !strings.HasPrefix(out, "Rev: "+pB+" (head)\n") {
		t.Errorf("show (Alembic's log entry) marks a head by Revises alone:\n%s", out)
	}
}
