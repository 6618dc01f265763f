package runner

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	idA = "1a2b3c4d5e6f"
	idB = "3c4d5e6f7a8b"
	idC = "5e6f7a8b9c0d"
)

// appGraph is the tutorial's chain plus a rebuild of the parent table that
// members reference with ON DELETE CASCADE.
func appGraph() graph {
	return newGraph(
		rev(idA, "Initial Tables", nil, `
CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT,
  team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE);
CREATE INDEX members_team ON members (team_id);
INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
`, `DROP TABLE members;
DROP TABLE teams;`),
		rev(idB, "Column age added to Member", []string{idA},
			`ALTER TABLE members ADD COLUMN age INTEGER;`,
			`ALTER TABLE members DROP COLUMN age;`),
		rev(idC, "Rebuild teams", []string{idB}, `
CREATE TABLE new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL DEFAULT 'x');
INSERT INTO new_teams (id, name) SELECT id, name FROM teams;
DROP TABLE teams;
ALTER TABLE new_teams RENAME TO teams;
`, `
CREATE TABLE new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO new_teams (id, name) SELECT id, name FROM teams;
DROP TABLE teams;
ALTER TABLE new_teams RENAME TO teams;
`),
	)
}

func TestUpgradeDowngradeLinear(t *testing.T) {
	for _, fkOn := range []bool{false, true} {
		t.Run(map[bool]string{false: "fk-off", true: "fk-on-before"}[fkOn], func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "app.db")
			var log bytes.Buffer
			g := appGraph()
			r := open(t, path, g.dir(), WithLog(&log))
			if fkOn {
				// As if the user's connection settings had enforcement on:
				// the runner must still switch it off around each revision.
				mustExecConn(t, r, "PRAGMA foreign_keys = ON")
			}
			steps, err := r.Upgrade(ctx, idC)
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != 3 || steps[0].Revision != idA || steps[2].Revision != idC || steps[1].Message != "Column age added to Member" ||
				steps[1].File != "versions/"+idB+".sql" || steps[2].Direction != Up || steps[2].Duration <= 0 {
				t.Errorf("steps = %+v", steps)
			}
			wantLog := `INFO  [alembic.runtime.migration] Context impl SQLiteImpl.
INFO  [alembic.runtime.migration] Will assume transactional DDL.
INFO  [alembic.runtime.migration] Running upgrade  -> 1a2b3c4d5e6f, Initial Tables
INFO  [alembic.runtime.migration] Running upgrade 1a2b3c4d5e6f -> 3c4d5e6f7a8b, Column age added to Member
INFO  [alembic.runtime.migration] Running upgrade 3c4d5e6f7a8b -> 5e6f7a8b9c0d, Rebuild teams
`
			if log.String() != wantLog {
				t.Errorf("log:\n%s\nwant:\n%s", log.String(), wantLog)
			}
			if got := current(t, r); !slices.Equal(got, []string{idC}) {
				t.Fatalf("current = %v", got)
			}
			db := rawDB(t, path)
			mustExec(t, db, "INSERT INTO members (name, team_id, age) VALUES ('ann', 1, 30), ('bob', 1, 40), ('cy', 2, NULL)")
			if fkOn {
				mustExecConn(t, r, "PRAGMA foreign_keys = ON")
			}
			log.Reset()
			steps, err = r.Downgrade(ctx, "-1")
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != 1 || steps[0].Revision != idC || steps[0].Direction != Down {
				t.Errorf("downgrade -1 steps = %+v", steps)
			}
			if want := "INFO  [alembic.runtime.migration] Running downgrade 5e6f7a8b9c0d -> 3c4d5e6f7a8b, Rebuild teams\n"; log.String() != want {
				t.Errorf("log = %q, want %q", log.String(), want)
			}
			// The rebuild dropped teams; no cascade may have reached members.
			if n := count(t, db, "SELECT count(*) FROM members"); n != 3 {
				t.Fatalf("members after rebuild downgrade: %d rows, want 3", n)
			}
			if n := count(t, db, "SELECT count(*) FROM teams WHERE name IN ('red', 'blue')"); n != 2 {
				t.Fatalf("teams: %d rows, want 2", n)
			}
			if fkOn {
				mustExecConn(t, r, "PRAGMA foreign_keys = ON")
			}
			if _, err := r.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			if n := count(t, db, "SELECT count(*) FROM members WHERE team_id IS NOT NULL"); n != 3 {
				t.Fatalf("members after rebuild upgrade: %d rows, want 3", n)
			}
			if _, err := r.Downgrade(ctx, "base"); err != nil {
				t.Fatal(err)
			}
			if got := current(t, r); len(got) != 0 {
				t.Fatalf("current after downgrade base = %v", got)
			}
			if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name <> 'alembic_version' AND name NOT LIKE 'sqlite_%'"); n != 0 {
				t.Fatalf("%d schema objects left after downgrade base", n)
			}
		})
	}
}

func mustExecConn(t testing.TB, r *Runner, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := r.db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestBranchesAndMerge(t *testing.T) {
	const b1, b2, m = branchB1, branchB2, branchMerge
	g := branchGraph()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	var log bytes.Buffer
	r := open(t, path, g.dir(), WithLog(&log))
	db := rawDB(t, path)
	steps := []struct {
		up       bool
		target   string
		heads    []string
		logged   string
		logCount int
	}{
		{true, b1, []string{b1}, "Running upgrade aaaaaaaaaaa0 -> bbbbbbbbbbb1, one", 1},
		{true, b2, []string{b1, b2}, "Running upgrade aaaaaaaaaaa0 -> ccccccccccc2, two", 2},
		{true, m, []string{m}, "Running upgrade bbbbbbbbbbb1, ccccccccccc2 -> ddddddddddd3, merge", 3},
		// As Alembic: undoing the merge leaves both branches.
		{false, b2, []string{b1, b2}, "Running downgrade ddddddddddd3 -> bbbbbbbbbbb1, ccccccccccc2, merge", 2},
		{false, "base", nil, "Running downgrade aaaaaaaaaaa0 -> , base", -1},
	}
	for _, s := range steps {
		log.Reset()
		if err := migrateTo(ctx, r, s.up, s.target); err != nil {
			t.Fatal(err)
		}
		if got := current(t, r); !slices.Equal(got, s.heads) {
			t.Fatalf("to %v: heads %v, want %v", s.target, got, s.heads)
		}
		if !strings.Contains(log.String(), s.logged+"\n") {
			t.Errorf("to %v: log %q lacks %q", s.target, log.String(), s.logged)
		}
		if s.logCount >= 0 {
			if n := count(t, db, "SELECT count(*) FROM log"); n != s.logCount {
				t.Errorf("to %v: %d log rows, want %d", s.target, n, s.logCount)
			}
		}
	}
}

func TestFailureLeavesDatabaseUnchanged(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		up      string
		prepare string // run on the runner's connection first
		wantErr []string
	}{
		{"bad statement", `
CREATE TABLE extra (id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO extra VALUES (1, 'a');
INSERT INTO teams VALUES (3, 'green');
UPDATE members SET name = 'changed';
INSERT INTO no_such_table VALUES (1);
`, "", []string{idB, "versions/" + idB + ".sql", `"INSERT INTO no_such_table VALUES (1)"`, "no such table: no_such_table", "still at " + idA}},
		{"foreign key broken", `
DELETE FROM teams WHERE id = 1;
`, "", []string{idB, `table "members"`, `to "teams"`, "2 row(s)", "0 before", "still at " + idA}},
		{"page limit", `
CREATE TABLE big (b BLOB);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO big SELECT randomblob(1000) FROM n;
`, "PRAGMA max_page_count = 40", []string{idB, "full", "max_page_count", "still at " + idA}},
		{"transaction control", "COMMIT;", "", []string{idB, `"COMMIT"`, "must not begin or end"}},
		// Statements are split where SQLite splits them. caſe (U+017F folds
		// to s in Go, not in SQLite) once counted as CASE, so the trigger
		// seemed to go on past its END: COMMIT and DELETE rode inside its
		// text, modernc ran every statement of the string, and the failure
		// after them "rolled back" an emptied table.
		{"long s makes no CASE", `
CREATE TABLE n1 (x);
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT 1 AS caſe; END;
COMMIT;
DELETE FROM members;
CREATE TRIGGER trg2 AFTER INSERT ON n1 BEGIN SELECT 2; END;
INSERT INTO no_such_table VALUES (1);
`, "", []string{idB, `"COMMIT"`, "must not begin or end"}},
		{"Kelvin sign makes no KEY", `
CREATE TABLE n1 (x);
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT 1 AS Key, 2 AS caſe; END;
END;
DELETE FROM members;
INSERT INTO no_such_table VALUES (1);
`, "", []string{idB, `"END"`, "must not begin or end"}},
		{"END as a column name", `
CREATE TABLE n1 (x, "end");
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT end FROM n1; DELETE FROM members; END;
INSERT INTO n1 VALUES (1, 2);
INSERT INTO no_such_table VALUES (1);
`, "", []string{idB, "no such table: no_such_table"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			g := appGraph()
			r := open(t, path, g.dir())
			if _, err := r.Upgrade(ctx, idA); err != nil {
				t.Fatal(err)
			}
			mustExec(t, rawDB(t, path), "INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 1), ('cy', 2)")
			before := dump(t, path)
			if c.prepare != "" {
				mustExecConn(t, r, c.prepare)
			}
			g[idB].Upgrade = c.up
			_, err := r.Upgrade(ctx, idC)
			if err == nil {
				t.Fatal("upgrade succeeded")
			}
			for _, w := range c.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if after := dump(t, path); after != before {
				t.Errorf("database changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if got := current(t, r); !slices.Equal(got, []string{idA}) {
				t.Errorf("current = %v", got)
			}
		})
	}
}

func TestLockedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := appGraph()
	if _, err := open(t, path, g.dir()).Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	before := dump(t, path)
	r := open(t, path, g.dir(), WithBusyTimeout(200*time.Millisecond))
	holder := rawDB(t, path)
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = r.Upgrade(ctx, idC)
	if err == nil {
		t.Fatal("upgrade succeeded while the database was locked")
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("gave up after %s, before the busy timeout", waited)
	}
	_, openErr := OpenFile(ctx, path, FileOptions{BusyTimeout: 100 * time.Millisecond})
	if openErr == nil {
		t.Fatal("OpenFile succeeded while the database was locked")
	}
	for _, e := range []error{err, openErr} {
		for _, w := range []string{path, "locked by another connection", "nothing was changed"} {
			if !strings.Contains(e.Error(), w) {
				t.Errorf("error %q lacks %q", e, w)
			}
		}
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if after := dump(t, path); after != before {
		t.Errorf("database changed:\n%s\n%s", before, after)
	}
}

// TestPreexistingViolations: a database that already breaks a foreign key
// can still be migrated, and a revision adding violations is still refused.
func TestPreexistingViolations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := appGraph()
	r := open(t, path, g.dir())
	if _, err := r.Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	// The raw connection has enforcement off: team 99 does not exist.
	mustExec(t, rawDB(t, path), "INSERT INTO members (name, team_id) VALUES ('ann', 1), ('orphan', 99)")
	g[idB].Upgrade = "CREATE TABLE extra (id INTEGER PRIMARY KEY);"
	if _, err := r.Upgrade(ctx, idB); err != nil {
		t.Fatalf("a revision that adds no violation was refused: %v", err)
	}
	if n := count(t, rawDB(t, path), "SELECT count(*) FROM members WHERE team_id = 99"); n != 1 {
		t.Fatalf("the orphan row is gone: %d", n)
	}
	before := dump(t, path)
	g[idC].Upgrade = "DELETE FROM teams WHERE id = 1;"
	_, err := r.Upgrade(ctx, idC)
	if err == nil {
		t.Fatal("a revision adding a violation was applied")
	}
	for _, w := range []string{idC, `table "members"`, "2 row(s)", "1 before", "still at " + idB} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if after := dump(t, path); after != before {
		t.Errorf("database changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}
