package runner

import (
	"bytes"
	"context"
	"database/sql"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A statement that fails in an offline script leaves its revision
// unrecorded and undone, whoever runs the script: the sqlite3 shell
// without -bail (which goes on after an error), with -bail, and the
// bundled SQLite running it as one string (sqlite3_exec's way). Revisions
// before it stay applied; none after it runs.
func TestOfflineFailedStatementRecordsNothing(t *testing.T) {
	const (
		idOK   = "aaaaaaaaaaa1"
		idBad  = "aaaaaaaaaaa2"
		idNext = "aaaaaaaaaaa3"
	)
	d := loadDir(t,
		rev(idOK, "people", nil, `CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO people (name) VALUES ('ann'), (NULL);`, "DROP TABLE people;"),
		// A rebuild whose copy fails on the NULL name: run on past the
		// error, DROP TABLE would take every row with it.
		rev(idBad, "names required", []string{idOK}, `-- rebuild "people"
CREATE TABLE new_people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO new_people (id, name) SELECT id, name FROM people; -- fails
DROP TABLE people;
ALTER TABLE new_people RENAME TO people;`, "SELECT 1;"),
		rev(idNext, "later", []string{idBad}, "CREATE TABLE later (x);", "DROP TABLE later;"),
	)
	var script bytes.Buffer
	if err := OfflineSQL(&script, d, nil, []string{idNext}, true, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
	}
	appliers := map[string]func(t *testing.T, db string) error{
		"sqlite3 without -bail": func(t *testing.T, db string) error { return shellRun(shell, db, script.String()) },
		"sqlite3 -bail":         func(t *testing.T, db string) error { return shellRun(shell, db, script.String(), "-bail") },
		"bundled SQLite": func(t *testing.T, db string) error {
			conn := rawDB(t, db)
			_, err := conn.ExecContext(context.Background(), script.String())
			conn.Close()
			return err
		},
	}
	for name, apply := range appliers {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			err := apply(t, path)
			if err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed") {
				t.Fatalf("applying the script: %v, want the NOT NULL failure", err)
			}
			db := rawDB(t, path)
			if got := queryList(t, db, "SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{idOK}) {
				t.Errorf("version rows %v, want only %s: a revision whose statement failed was recorded", got, idOK)
			}
			if got := queryList(t, db, "SELECT coalesce(name, 'NULL') FROM people ORDER BY id"); !slices.Equal(got, []string{"ann", "NULL"}) {
				t.Errorf("people holds %v after the failed revision", got)
			}
			if got := queryList(t, db, "SELECT name FROM sqlite_master WHERE name IN ('new_people', 'later')"); len(got) > 0 {
				t.Errorf("tables %v exist: the failed revision or the one after it ran", got)
			}
		})
	}
}

func shellRun(shell, db, script string, flags ...string) error {
	cmd := exec.Command(shell, append(flags, db)...)
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return &shellError{err: err, out: string(out)}
	}
	if len(out) > 0 {
		return &shellError{out: string(out)}
	}
	return nil
}

type shellError struct {
	err error
	out string
}

func (e *shellError) Error() string {
	if e.err == nil {
		return "exit 0: " + e.out
	}
	return e.err.Error() + ": " + e.out
}

// queryList returns a query's first column, row by row.
func queryList(t testing.TB, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

// OfflineSQL refuses what the runner refuses before running anything,
// naming the revision, file and line: no script is written for it.
func TestOfflineRefusesWhatTheRunnerRefuses(t *testing.T) {
	const id = "bbbbbbbbbbb9"
	tests := []struct{ name, up, want string }{
		{"attach", "CREATE TABLE a (x);\nATTACH 'other.db' AS o;", "may not ATTACH or DETACH"},
		{"detach", "DETACH o;", "may not ATTACH or DETACH"},
		{"process pragma", "CREATE TABLE a (x);\n\nPRAGMA soft_heap_limit = 1;", "PRAGMA soft_heap_limit holds for every connection"},
		{"transaction", "COMMIT;", "must not begin or end"},
		{"NUL byte", "CREATE TABLE a (x);\nSELECT 'a\x00'; DROP TABLE a;", "NUL byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rev(id, "bad", nil, tt.up, "")
			r.UpgradeLine = 10
			d := loadDir(t, r)
			var out bytes.Buffer
			err := OfflineSQL(&out, d, nil, []string{id}, true, OfflineOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), id) {
				t.Fatalf("OfflineSQL: %v, want an error naming %s and saying %q", err, id, tt.want)
			}
			if out.Len() > 0 {
				t.Errorf("a script was written:\n%s", out.String())
			}
			// The online runner refuses it with the same words.
			_, runErr := open(t, filepath.Join(t.TempDir(), "app.db"), d).Upgrade(context.Background(), id)
			if runErr == nil || !strings.Contains(runErr.Error(), tt.want) {
				t.Errorf("the runner: %v", runErr)
			}
		})
	}
}

// CR LF inside quotes reaches SQLite as CR LF through the sqlite3 shell,
// which drops the CR before each LF of its input (issue 13, item 7): the
// offline script gives the schema and rows the runner gives. A tool that
// does not read the script line by line is stopped before the revision
// runs.
func TestOfflineCRLFInsideQuotes(t *testing.T) {
	const id = "ccccccccccc1"
	d := loadDir(t, rev(id, "crlf", nil, "CREATE TABLE t (a TEXT DEFAULT 'x\r\ny', \"b\r\nc\" TEXT DEFAULT 'p\r\r\nq');\r\n"+
		"INSERT INTO t (a) VALUES ('m\r\nn');\r\nINSERT INTO t DEFAULT VALUES;\r\n", "DROP TABLE t;"))
	var script bytes.Buffer
	if err := OfflineSQL(&script, d, nil, []string{id}, true, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
	}
	online := filepath.Join(t.TempDir(), "online.db")
	if _, err := open(t, online, d).Upgrade(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	offline := filepath.Join(t.TempDir(), "offline.db")
	if err := shellRun(shell, offline, script.String()); err != nil {
		t.Fatalf("sqlite3: %v", err)
	}
	const rows = "SELECT hex(a) || ' ' || hex(\"b\r\nc\") FROM t ORDER BY rowid"
	want := []string{"6D0D0A6E 700D0D0A71", "780D0A79 700D0D0A71"}
	for name, path := range map[string]string{"online": online, "offline": offline} {
		db := rawDB(t, path)
		if got := queryList(t, db, rows); !slices.Equal(got, want) {
			t.Errorf("%s: rows %q, want %q", name, got, want)
		}
	}
	if a, b := dump(t, online), dump(t, offline); a != b {
		t.Errorf("online and offline schemas differ:\n%q\n---\n%q", a, b)
	}

	bundled := filepath.Join(t.TempDir(), "bundled.db")
	conn := rawDB(t, bundled)
	_, err = conn.ExecContext(context.Background(), script.String())
	conn.Close()
	if err == nil || !strings.Contains(err.Error(), "must be run by the sqlite3 shell") {
		t.Fatalf("the bundled SQLite ran the script: %v", err)
	}
	if got := queryList(t, rawDB(t, bundled), "SELECT name FROM sqlite_master"); len(got) > 0 {
		t.Errorf("the refused script left %v", got)
	}
}
