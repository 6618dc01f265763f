package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Ids of forestApp's revisions.
const (
	fAccount = "aaaaaaaaaaaa" // root, no label: account, with rows
	fNet     = "bbbbbbbbbbbb" // root, label networking
	fNet2    = "cccccccccccc" // revises fNet, depends on fAccount
)

// forestApp is the QA report's repro: two trees, the unlabelled one holding
// table account with rows, the other labelled networking; with net2 a
// networking revision depends on the account tree.
func forestApp(t *testing.T, net2 bool) *app {
	t.Helper()
	a := newApp(t, map[string]string{"models/models.go": rvBaseModels(t)})
	a.ok("init", "migrations")
	a.writeRevision(revisionFile{ID: fAccount, Message: fAccount, Upgrade: "CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO account VALUES (1, 'ann'), (2, 'bob');", Downgrade: "DROP TABLE account;"})
	a.writeRevision(revisionFile{ID: fNet, Message: fNet, BranchLabels: "networking", Upgrade: "CREATE TABLE net (id INTEGER PRIMARY KEY);", Downgrade: "DROP TABLE net;"})
	if net2 {
		a.writeRevision(revisionFile{ID: fNet2, Message: fNet2, Parents: []string{fNet}, DependsOn: fAccount, Upgrade: "CREATE TABLE net_account (net_id INTEGER, account_id INTEGER);", Downgrade: "DROP TABLE net_account;"})
	}
	return a
}

// TestBranchBaseLeavesOtherTrees: label@base on a root revision undoes,
// stamps and lists that branch alone; the other tree keeps its table and
// rows (it used to be downgraded too).
func TestBranchBaseLeavesOtherTrees(t *testing.T) {
	a := forestApp(t, false)
	accounts := []string{"1|ann", "2|bob"}
	a.ok("upgrade", "heads")
	_, e := a.ok("downgrade", "networking@base")
	if strings.Contains(e, "downgrade "+fAccount) || !strings.Contains(e, "downgrade "+fNet) {
		t.Errorf("downgrade networking@base ran:\n%s", e)
	}
	if got := a.rows("SELECT id, name FROM account ORDER BY id"); !slices.Equal(got, accounts) {
		t.Errorf("account after downgrade networking@base: %v", got)
	}
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fAccount}) {
		t.Errorf("version rows after downgrade networking@base: %v", got)
	}

	a.ok("upgrade", "heads")
	a.ok("stamp", "networking@base")
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fAccount}) {
		t.Errorf("version rows after stamp networking@base: %v", got)
	}
	if got := a.rows("SELECT id, name FROM account ORDER BY id"); !slices.Equal(got, accounts) {
		t.Errorf("account after stamp networking@base: %v", got)
	}

	out, _ := a.ok("history", "-r", "networking@base:")
	if want := "<base> -> " + fNet + " (networking) (head), " + fNet + "\n"; out != want {
		t.Errorf("history -r networking@base: =\n%s\nwant\n%s", out, want)
	}
}

// TestWrongDirection: upgrade -1 and downgrade +1 are refused before
// anything runs, naming the request and where the database is.
func TestWrongDirection(t *testing.T) {
	a := forestApp(t, true)
	a.ok("upgrade", fNet)
	e := a.fails(exitUsage, "cannot upgrade to -1 (base)", "upgrade", "-1")
	for _, want := range []string{"at " + fNet, "use downgrade"} {
		if !strings.Contains(e, want) {
			t.Errorf("upgrade -1 says %q, lacking %q", e, want)
		}
	}
	for _, spec := range []string{"+1", "networking@head", fAccount} {
		e = a.fails(exitUsage, "cannot downgrade to "+spec, "downgrade", spec)
		if strings.Contains(e, "rolled back") || !strings.Contains(e, "at "+fNet) {
			t.Errorf("downgrade %s says %q", spec, e)
		}
	}
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fNet}) {
		t.Errorf("version rows after refused commands: %v", got)
	}
	a.ok("upgrade", "heads")
	rows := versionRows(t, filepath.Join(a.dir, "database.db"))
	a.ok("upgrade", "networking@base+1") // named, already passed: a no-op, as Alembic
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, rows) {
		t.Errorf("upgrade to a revision already passed changed the version rows: %v, want %v", got, rows)
	}
	a.fails(exitUsage, "cannot upgrade to networking@-1", "upgrade", "networking@-1")
	a.ok("upgrade", fAccount) // a dependency of the head: already there, not below
	if got := a.rows("SELECT count(*) FROM account"); !slices.Equal(got, []string{"2"}) {
		t.Errorf("account after refused commands: %v", got)
	}
}

// TestDependsOnRows: the version table keeps Alembic's rows for depends_on
// (no row for a revision a row depends on), and rows an older autogen wrote
// (with that row) still count as up to date and move as Alembic's do.
func TestDependsOnRows(t *testing.T) {
	a := forestApp(t, true)
	a.ok("upgrade", "networking@head")
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fNet2}) {
		t.Fatalf("version rows after upgrade networking@head: %v, want Alembic's [%s]", got, fNet2)
	}
	a.ok("downgrade", "-1")
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fAccount, fNet}) {
		t.Fatalf("version rows after downgrade -1: %v", got)
	}
	a.ok("upgrade", "heads")
	// check compares the models with the database (they differ: exit 1) only
	// when the database is at head, with either kind of rows.
	for _, rows := range [][]string{{fNet2}, {fAccount, fNet2}} {
		a.exec("DELETE FROM alembic_version")
		for _, r := range rows {
			a.exec("INSERT INTO alembic_version VALUES ('" + r + "')")
		}
		if _, e, code := a.run("check"); code != exitChanged || strings.Contains(e, "not up to date") {
			t.Errorf("check with rows %v: exit %d\n%s", rows, code, e)
		}
	}
	a.ok("downgrade", "networking@base") // from the older rows
	if got := versionRows(t, filepath.Join(a.dir, "database.db")); !slices.Equal(got, []string{fAccount}) {
		t.Errorf("version rows after downgrade networking@base: %v", got)
	}
	if got := a.rows("SELECT count(*) FROM account"); !slices.Equal(got, []string{"2"}) {
		t.Errorf("account after downgrade networking@base: %v", got)
	}
	a.fails(exitUsage, "not up to date", "check")
}
