package runner

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Connection state one revision sets (PRAGMAs, TEMP objects) does not
// carry into the next: each case's revision B sets it, and revision C must
// run as on a new connection. Before, B's PRAGMA ignore_check_constraints
// let C commit a row that breaks a CHECK, which integrity_check then found.
func TestRevisionStateDoesNotLeak(t *testing.T) {
	cases := []struct {
		name, b, c string
		wantErr    string // C's error; "" when C must succeed
		check      string // for a C that succeeds: a query giving 1
	}{
		{"ignore_check_constraints", "CREATE TABLE k (x CHECK (x > 0));\nPRAGMA ignore_check_constraints = ON;",
			"INSERT INTO k VALUES (-1);", "CHECK constraint failed", ""},
		{"writable_schema", "PRAGMA writable_schema = ON;",
			"UPDATE sqlite_master SET sql = replace(sql, 'name', 'nom') WHERE name = 'teams';", "may not be modified", ""},
		{"recursive_triggers", `CREATE TABLE n (x INTEGER);
CREATE TRIGGER more AFTER INSERT ON n WHEN new.x < 5 BEGIN INSERT INTO n VALUES (new.x + 1); END;
PRAGMA recursive_triggers = ON;`, "INSERT INTO n VALUES (1);", "", "SELECT count(*) = 2 FROM n"},
		{"case_sensitive_like", "PRAGMA case_sensitive_like = ON;",
			"CREATE TABLE l AS SELECT 'A' LIKE 'a' AS v;", "", "SELECT v FROM l"},
		{"reverse_unordered_selects", "CREATE TABLE src (x);\nINSERT INTO src VALUES (1), (2), (3);\nPRAGMA reverse_unordered_selects = ON;",
			"CREATE TABLE dst AS SELECT x FROM src;", "", "SELECT x = 1 FROM dst WHERE rowid = 1"},
		{"TEMP trigger on a main table", "CREATE TEMP TRIGGER wipe AFTER INSERT ON main.teams BEGIN DELETE FROM members; END;",
			"INSERT INTO teams VALUES (3, 'green');", "", "SELECT count(*) = 3 FROM members"},
		{"TEMP table shadowing a main one", "CREATE TEMP TABLE members (x);",
			"INSERT INTO members (name, team_id) VALUES ('dee', 1);", "", "SELECT count(*) = 4 FROM main.members"},
		{"table in schema temp", "CREATE TABLE temp.members (x);",
			"INSERT INTO members (name, team_id) VALUES ('dee', 1);", "", "SELECT count(*) = 4 FROM main.members"},
		{"table in schema \"TEMP\"", `CREATE TABLE "TEMP" . members (x);`,
			"INSERT INTO members (name, team_id) VALUES ('dee', 1);", "", "SELECT count(*) = 4 FROM main.members"},
		{"view in schema [temp]", "CREATE TABLE src (x);\nCREATE VIEW [temp].members AS SELECT x AS name, x AS team_id FROM src;",
			"CREATE TABLE seen AS SELECT count(*) AS n FROM members;", "", "SELECT n = 3 FROM seen"},
	}
	for _, c := range cases {
		for _, padded := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/padded=%t", c.name, padded), func(t *testing.T) {
				revisionStateCase(t, c.b, c.c, c.wantErr, c.check, padded)
			})
		}
	}
}

// revisionStateCase runs TestRevisionStateDoesNotLeak's case: revision B
// sets state, C must not see it. Padded, two stateless revisions run
// between A and B in the same run, so that B runs on a connection the
// runner kept from the revision before it (isolate), as most revisions do.
func revisionStateCase(t *testing.T, b, c, wantErr, check string, padded bool) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := appGraph()
	g[idB].Upgrade, g[idC].Upgrade = b, c
	if padded {
		g[idP1] = rev(idP1, "pad 1", []string{idA}, "CREATE TABLE pad1 (x);", "DROP TABLE pad1;")
		g[idP2] = rev(idP2, "pad 2", []string{idP1}, "CREATE TABLE pad2 (x);\nINSERT INTO pad2 VALUES (1);", "DROP TABLE pad2;")
		g[idB].Parents = []string{idP2}
	}
	r := open(t, path, g.dir())
	if _, err := r.Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	mustExec(t, db, "INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 1), ('cy', 2)")
	_, err := r.Upgrade(ctx, "head")
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) || !strings.Contains(err.Error(), "still at "+idB) {
			t.Fatalf("upgrade: %v, want revision C refused with %q", err, wantErr)
		}
	} else if err != nil {
		t.Fatal(err)
	} else if count(t, db, check) != 1 {
		t.Errorf("%s is not true after C: B's state reached it", check)
	}
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q %v", ok, err)
	}
}

const (
	idP1 = "7a8b9c0d1e2f"
	idP2 = "9c0d1e2f3a4b"
)

// stateless decides whether the next revision may run on the same
// connection; a statement that might set anything must say no, however it
// is spelled.
func TestStateless(t *testing.T) {
	for _, c := range []struct {
		stmt string
		want bool
	}{
		{"ALTER TABLE t ADD COLUMN c INTEGER", true},
		{"CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'x')", true},
		{"INSERT INTO t SELECT * FROM u /* PRAGMA in a comment */", true},
		{"-- TEMP\nCREATE INDEX i ON t (a)", true},
		{"CREATE TABLE t (temperature REAL, tempo INT, sqlite_temp TEXT)", true},
		{"PRAGMA foreign_keys = ON", false},
		{"pragma main.cache_size = 10", false},
		{"  /* x */ Pragma recursive_triggers(1)", false},
		{"CREATE TEMP TABLE x (a)", false},
		{"create temporary view v AS SELECT 1", false},
		{"CREATE TABLE temp.x (a)", false},
		{`CREATE TABLE "temp".x (a)`, false},
		{"CREATE TABLE [TEMP].x (a)", false},
		{"CREATE TABLE `Temp`.x (a)", false},
		{"CREATE TRIGGER temp.tr AFTER INSERT ON t BEGIN SELECT 1; END", false},
		{"ATTACH ':memory:' AS aux", false},
		{"DETACH aux", false},
		{"ALTER TABLE t ADD COLUMN temp REAL", false}, // a false alarm: a new connection, which is safe
		{"SELECT 'unterminated", false},
	} {
		if got := stateless([]string{"CREATE TABLE ok (a)", c.stmt}); got != c.want {
			t.Errorf("stateless(%q) = %t, want %t", c.stmt, got, c.want)
		}
	}
}

// A revision may not ATTACH or DETACH: the runner's transaction, backup,
// checks and version row cover the database it migrates, not another file.
// Nor may it set a PRAGMA that holds for the whole process.
func TestAttachRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "app.db")
	other := filepath.Join(dir, "other.db")
	attach, process := "so it may not ATTACH or DETACH another", "holds for every connection of the process"
	for _, c := range []struct{ stmt, want string }{
		{"ATTACH '" + other + "' AS aux;\nCREATE TABLE aux.x (a);", attach},
		{"/* c */ attach database ':memory:' as aux;", attach},
		{"DETACH aux;", attach},
		{"PRAGMA soft_heap_limit = 1;", process},
		{"pragma main.Hard_Heap_Limit(1);", process},
		{"PRAGMA temp_store_directory = '" + dir + "';", process},
	} {
		g := appGraph()
		g[idB].Upgrade = c.stmt
		r := open(t, path, g.dir())
		_, err := r.Upgrade(ctx, idC)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "still at "+idA) {
			t.Errorf("revision %q: %v, want an error saying %q", c.stmt, err, c.want)
		}
		if got := current(t, r); !slices.Equal(got, []string{idA}) {
			t.Errorf("current = %v", got)
		}
	}
	if n, _ := filepath.Glob(other + "*"); len(n) != 0 {
		t.Errorf("a refused revision wrote %v", n)
	}
}

// What a revision sets stays out of the application's pool: the
// connections it ran on are closed, not given back, so the app's next
// statements run with its own settings and no TEMP object of the run.
func TestRunStateStaysOutOfThePool(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	g := appGraph()
	g[idC].Upgrade = `CREATE TABLE k (x CHECK (x > 0));
PRAGMA ignore_check_constraints = ON;
PRAGMA recursive_triggers = ON;
CREATE TEMP TABLE scratch (a);
CREATE TEMP TRIGGER wipe AFTER INSERT ON main.teams BEGIN DELETE FROM members; END;`
	// The app's own connection state before the run: the first revision
	// may run on this connection, which is then closed.
	mustExec(t, db, "CREATE TEMP TABLE app_scratch (a)", "PRAGMA case_sensitive_like = ON")
	if _, err := FromDir(db, g.dir()).Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]int{"ignore_check_constraints": 0, "recursive_triggers": 0, "foreign_keys": 1} {
		if got := count(t, db, "PRAGMA "+p); got != want {
			t.Errorf("after the run the app's connection has %s = %d, want %d", p, got, want)
		}
	}
	if n := count(t, db, "SELECT count(*) FROM temp.sqlite_master"); n != 0 {
		t.Errorf("after the run the app's connection holds %d TEMP objects", n)
	}
	mustExec(t, db, "INSERT INTO members (name, team_id) VALUES ('ann', 1)", "INSERT INTO teams VALUES (3, 'green')")
	if n := count(t, db, "SELECT count(*) FROM members"); n != 1 {
		t.Errorf("%d members after inserting a team, want 1: the run's TEMP trigger fired", n)
	}
	if _, err := db.Exec("INSERT INTO k VALUES (-1)"); err == nil {
		t.Error("the app's connection ignores CHECK constraints after the run")
	}
}

// A database without a file keeps its one connection: the run resets it
// between revisions and gives it back with the app's settings and TEMP
// objects, and without the run's.
func TestMemoryConnectionReset(t *testing.T) {
	ctx := context.Background()
	db, err := OpenFile(ctx, Memory, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustExec(t, db, "CREATE TEMP TABLE app_scratch (a)", "PRAGMA recursive_triggers = ON")
	g := appGraph()
	g[idB].Upgrade = "CREATE TABLE k (x CHECK (x > 0));\nPRAGMA ignore_check_constraints = ON;\nCREATE TEMP TABLE scratch (a);"
	g[idC].Upgrade = "INSERT INTO k VALUES (-1);"
	r := FromDir(db, g.dir())
	if _, err := r.Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "CHECK constraint failed") {
		t.Fatalf("upgrade: %v, want C refused by the CHECK", err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idB}) {
		t.Errorf("current = %v", got)
	}
	if got := count(t, db, "PRAGMA ignore_check_constraints") + 10*count(t, db, "PRAGMA recursive_triggers"); got != 10 {
		t.Errorf("after the run ignore_check_constraints + 10 * recursive_triggers = %d, want 10", got)
	}
	var names string
	if err := db.QueryRow("SELECT group_concat(name, ' ') FROM (SELECT name FROM temp.sqlite_master ORDER BY name)").Scan(&names); err != nil {
		t.Fatal(err)
	}
	if names != "app_scratch" {
		t.Errorf("TEMP objects after the run: %q, want the app's app_scratch only", names)
	}
}
