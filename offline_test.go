package autogen

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// The table of the offline tests: a hostile name (quotes and a line
// break), AUTOINCREMENT, an index, a trigger, a view and a child table
// whose foreign key names it.
const (
	hostile   = "We\"ird\n'T"
	hostileQ  = `"We""ird` + "\n" + `'T"`
	offBase   = "0ff1ce000001"
	offNN     = "0ff1ce000002"
	offNamed  = "0ff1ce000003"
	offUnnmd  = "0ff1ce000004"
	offDropNN = "0ff1ce000005"
)

func offlineRevisions() []offRev {
	return []offRev{
		{offBase, "", `CREATE TABLE ` + hostileQ + ` (id INTEGER PRIMARY KEY AUTOINCREMENT, "na""me" TEXT DEFAULT 'z', n INT,
  CONSTRAINT "pos""itive" CHECK (n >= 0));
CREATE INDEX "ix ""n""" ON ` + hostileQ + ` (n);
CREATE TABLE log (msg TEXT);
CREATE TRIGGER "tr""g" AFTER INSERT ON ` + hostileQ + ` BEGIN INSERT INTO log VALUES ('row ' || new.id); END;
CREATE VIEW v AS SELECT id, n FROM ` + hostileQ + `;
CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES ` + hostileQ + ` (id));`,
			"DROP VIEW v;\nDROP TABLE child;\nDROP TABLE log;\nDROP TABLE " + hostileQ + ";"},
		// As autogen writes it: the NULLs take the default, then SET NOT NULL.
		{offNN, offBase, `UPDATE ` + hostileQ + ` SET "na""me" = 'z' WHERE "na""me" IS NULL;
alter  table ` + hostileQ + "\n  ALTER COLUMN \"na\"\"me\" set not NULL;",
			`ALTER TABLE ` + hostileQ + ` ALTER COLUMN "na""me" DROP NOT NULL;`},
		{offNamed, offNN, `-- a hand-written note stays
ALTER TABLE main.` + hostileQ + ` ADD CONSTRAINT "sm""a` + "\n" + `ll" CHECK (n < 1000);`,
			`ALTER TABLE ` + hostileQ + ` DROP CONSTRAINT "sm""a` + "\n" + `ll";`},
		{offUnnmd, offNamed, `Alter Table ` + hostileQ + ` Add Check (n <> 13);`,
			`SELECT 1 WHERE 0;`},
		{offDropNN, offUnnmd, `ALTER TABLE ` + hostileQ + ` DROP CONSTRAINT "pos""itive";
ALTER TABLE ` + hostileQ + ` ALTER "na""me" DROP NOT NULL;`,
			`ALTER TABLE ` + hostileQ + ` ALTER "na""me" SET NOT NULL;
ALTER TABLE ` + hostileQ + ` ADD CONSTRAINT "pos""itive" CHECK (n >= 0);`},
	}
}

type offRev struct{ id, parent, up, down string }

func offlineDir(t testing.TB, revs []offRev) *script.Dir {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, r := range revs {
		text := fmt.Sprintf("-- rev %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-12-03 09:00:00.000000\n\n-- +autogen upgrade\n%s\n\n-- +autogen downgrade\n%s\n",
			r.id, r.id, r.parent, r.up, r.down)
		fsys["versions/"+r.id+".sql"] = &fstest.MapFile{Data: []byte(text)}
	}
	d, err := script.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// applier applies an offline script to the database file at path.
type applier func(t *testing.T, path, script string) error

func appliers(t *testing.T) map[string]applier {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
	}
	out, err := exec.Command(shell, "-version").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sqlite3 shell %s", strings.Fields(string(out))[0])
	return map[string]applier{
		"sqlite3 shell": func(t *testing.T, path, script string) error {
			cmd := exec.Command(shell, path)
			cmd.Stdin = strings.NewReader(script)
			out, err := cmd.CombinedOutput()
			if err != nil || len(out) > 0 {
				return fmt.Errorf("sqlite3: %v: %s", err, out)
			}
			return nil
		},
		"bundled SQLite": func(t *testing.T, path, script string) error {
			db := openFile(t, path)
			defer db.Close()
			_, err := db.ExecContext(context.Background(), script)
			return err
		},
	}
}

func openFile(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := runner.OpenFile(context.Background(), path, runner.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func offlineScript(t *testing.T, d *script.Dir, from, to string, up bool, version string) string {
	t.Helper()
	var b bytes.Buffer
	if err := OfflineSQL(context.Background(), &b, d, []string{from}, []string{to}, up, OfflineOptions{SQLiteVersion: version}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// state is what a test compares between the online and offline results:
// the inspected schema, the version rows and every row of the tables.
type state struct {
	schema   *schema.Schema
	versions []string
	rows     []string
}

func stateOf(t *testing.T, path string) state {
	t.Helper()
	db := openFile(t, path)
	defer db.Close()
	ctx := context.Background()
	s, err := schema.Inspect(ctx, db, runner.DefaultVersionTable)
	if err != nil {
		t.Fatal(err)
	}
	st := state{schema: s, versions: queryAll(t, db, "SELECT version_num FROM alembic_version ORDER BY 1")}
	for _, tb := range s.Tables {
		for _, r := range queryAll(t, db, "SELECT * FROM "+quote(tb.Name)+" ORDER BY 1") {
			st.rows = append(st.rows, tb.Name+": "+r)
		}
	}
	for _, name := range queryAll(t, db, "SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1") {
		st.rows = append(st.rows, "object "+name)
	}
	return st
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func queryAll(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	return sqlitetest.Strings(t, db, query)
}

func (s state) diff(o state) string {
	var d []string
	if !schema.Equal(s.schema, o.schema) {
		d = append(d, "schemas differ")
		for _, tb := range s.schema.Tables {
			if ot := o.schema.Table(tb.Name); ot == nil || !tb.Equal(ot) {
				other := "(none)"
				if ot != nil {
					other = ot.SQL
				}
				d = append(d, fmt.Sprintf("table %q:\n%s\n---\n%s", tb.Name, tb.SQL, other))
			}
		}
	}
	if !slices.Equal(s.versions, o.versions) {
		d = append(d, fmt.Sprintf("versions %v and %v", s.versions, o.versions))
	}
	if !slices.Equal(s.rows, o.rows) {
		d = append(d, fmt.Sprintf("rows\n%s\n---\n%s", strings.Join(s.rows, "\n"), strings.Join(o.rows, "\n")))
	}
	return strings.Join(d, "\n")
}

// copyDB copies the database at src into a new file.
func copyDB(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy.db")
	db := openFile(t, src)
	defer db.Close()
	if _, err := db.Exec("VACUUM INTO ?", dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestOfflineSQLRewritesNewAlterForms applies offline scripts of revisions
// holding SET NOT NULL, DROP NOT NULL, ADD CHECK (named and unnamed) and
// DROP CONSTRAINT, written for the default offline_sqlite_version, with
// the sqlite3 shell (Debian 12's is 3.40.1, which lacks those forms) and
// the bundled SQLite, up and down, on a database holding rows: each gives
// what upgrade and downgrade give online, rows, index, trigger and view
// included.
func TestOfflineSQLRewritesNewAlterForms(t *testing.T) {
	rows := `INSERT INTO ` + hostileQ + ` ("na""me", n) VALUES ('a', 1), (NULL, 2), ('c''
d', 3);
INSERT INTO child (parent) VALUES (1), (3);`
	offlineMatchesOnline(t, offlineRevisions(), rows, func(t *testing.T, db *sql.DB) {
		// The trigger the rebuilds recreated still fires.
		if _, err := db.Exec(`INSERT INTO ` + hostileQ + ` (n) VALUES (4)`); err != nil {
			t.Fatal(err)
		}
		if got := queryAll(t, db, "SELECT msg FROM log WHERE msg = 'row 4'"); len(got) != 1 {
			t.Errorf("the trigger did not fire after the scripts: %v", got)
		}
	})
}

// Tables of every kind: WITHOUT ROWID, STRICT, generated columns (stored
// and virtual), a composite primary key, a partial and an expression index.
func TestOfflineSQLTableKinds(t *testing.T) {
	revs := []offRev{
		{offBase, "", `CREATE TABLE s (k TEXT, j INT, v INT, g INT GENERATED ALWAYS AS (v * 2) STORED, h INT AS (v + 1),
  PRIMARY KEY (k, j)) WITHOUT ROWID, STRICT;
CREATE INDEX s_v ON s (v) WHERE v > 1;
CREATE UNIQUE INDEX s_lower ON s (lower(k), j);`, "DROP TABLE s;"},
		{offNN, offBase, `ALTER TABLE s ADD CHECK (v < 100);
ALTER TABLE s ALTER COLUMN v SET NOT NULL;
ALTER TABLE s ADD CONSTRAINT g_pos CHECK (g >= 0);`, `ALTER TABLE s DROP CONSTRAINT g_pos;
ALTER TABLE s ALTER COLUMN v DROP NOT NULL;`},
	}
	offlineMatchesOnline(t, revs, `INSERT INTO s (k, j, v) VALUES ('a', 1, 1), ('b', 2, 5), ('B', 3, 7);`, func(t *testing.T, db *sql.DB) {
		if got := queryAll(t, db, "SELECT k, g, h FROM s ORDER BY k"); strings.Join(got, ",") != "B|14|8,a|2|2,b|10|6" {
			t.Errorf("generated columns after the scripts: %v", got)
		}
	})
}

// offlineMatchesOnline brings a database holding rows (made by the first
// revision, then rows) to the last revision and back online, and the
// same database with the offline scripts applied by the sqlite3 shell
// and by the bundled SQLite: each step gives the same schema, rows and
// version rows. after runs on each offline result.
func offlineMatchesOnline(t *testing.T, revs []offRev, rows string, after func(t *testing.T, db *sql.DB)) {
	t.Helper()
	ctx := context.Background()
	d := offlineDir(t, revs)
	first, last := revs[0].id, revs[len(revs)-1].id
	online := filepath.Join(t.TempDir(), "online.db")
	db := openFile(t, online)
	r := runner.FromDir(db, d)
	if _, err := r.Upgrade(ctx, first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	atBase := copyDB(t, online)
	up := offlineScript(t, d, first, last, true, "")
	down := offlineScript(t, d, last, first, false, "")
	for _, s := range []string{up, down} {
		for _, form := range []string{"SET NOT NULL", "DROP NOT NULL", "ADD CONSTRAINT", "DROP CONSTRAINT", "Add Check", "ADD CHECK"} {
			if strings.Contains(stripComments(s), form) {
				t.Errorf("the script still holds %s:\n%s", form, s)
			}
		}
	}
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	atHead := stateOf(t, online)
	if _, err := r.Downgrade(ctx, first); err != nil {
		t.Fatal(err)
	}
	db.Close()
	backAtBase := stateOf(t, online)
	for name, apply := range appliers(t) {
		t.Run(name, func(t *testing.T) {
			path := copyDB(t, atBase)
			if err := apply(t, path, up); err != nil {
				t.Fatalf("upgrade script: %v\n%s", err, up)
			}
			if diff := stateOf(t, path).diff(atHead); diff != "" {
				t.Errorf("offline upgrade and online upgrade differ: %s", diff)
			}
			if err := apply(t, path, down); err != nil {
				t.Fatalf("downgrade script: %v\n%s", err, down)
			}
			if diff := stateOf(t, path).diff(backAtBase); diff != "" {
				t.Errorf("offline downgrade and online downgrade differ: %s", diff)
			}
			db := openFile(t, path)
			defer db.Close()
			after(t, db)
		})
	}
}

// From base, the script creates the table before it rewrites the forms
// that change it: on an empty database it gives what upgrade head gives.
func TestOfflineSQLFromBase(t *testing.T) {
	d := offlineDir(t, offlineRevisions())
	online := filepath.Join(t.TempDir(), "online.db")
	db := openFile(t, online)
	if _, err := runner.FromDir(db, d).Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	want := stateOf(t, online)
	var b bytes.Buffer
	if err := OfflineSQL(context.Background(), &b, d, nil, []string{offDropNN}, true, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, apply := range appliers(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			if err := apply(t, path, b.String()); err != nil {
				t.Fatalf("%v\n%s", err, b.String())
			}
			if diff := stateOf(t, path).diff(want); diff != "" {
				t.Errorf("offline from base and online differ: %s", diff)
			}
		})
	}
}

// stripComments drops the script's comment lines and block comments'
// text, where the statements the rewrite replaced are quoted.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// A SET NOT NULL on a column holding NULL, with no UPDATE before it, fails
// as the statement itself fails online: the rebuild copies rows as they
// are (no COALESCE to the default), and nothing is recorded.
func TestOfflineSetNotNullOnNullFails(t *testing.T) {
	ctx := context.Background()
	revs := []offRev{
		{offBase, "", `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'z');`, "DROP TABLE t;"},
		{offNN, offBase, `ALTER TABLE t ALTER COLUMN a SET NOT NULL;`, `ALTER TABLE t ALTER COLUMN a DROP NOT NULL;`},
	}
	d := offlineDir(t, revs)
	path := filepath.Join(t.TempDir(), "app.db")
	db := openFile(t, path)
	if _, err := runner.FromDir(db, d).Upgrade(ctx, offBase); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO t (a) VALUES ('x'), (NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.FromDir(db, d).Upgrade(ctx, "head"); err == nil {
		t.Fatal("SET NOT NULL online on a NULL succeeded")
	}
	db.Close()
	before := stateOf(t, path)
	script := offlineScript(t, d, offBase, offNN, true, "")
	if strings.Contains(script, "COALESCE") {
		t.Errorf("the rebuild fills NULLs:\n%s", script)
	}
	for name, apply := range appliers(t) {
		t.Run(name, func(t *testing.T) {
			cp := copyDB(t, path)
			err := apply(t, cp, script)
			if err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed") {
				t.Fatalf("the script on a NULL: %v, want NOT NULL constraint failed", err)
			}
			if diff := stateOf(t, cp).diff(before); diff != "" {
				t.Errorf("the failed script changed the database: %s", diff)
			}
		})
	}
}

// With offline_sqlite_version at 3.53 or later the new forms are kept;
// a version autogen cannot read, or older than 3.35, is refused.
func TestOfflineSQLiteVersion(t *testing.T) {
	d := offlineDir(t, offlineRevisions())
	for _, v := range []string{"3.53", "3.53.0", "3.54.1", "4.0"} {
		if s := offlineScript(t, d, offBase, offNN, true, v); !strings.Contains(s, "set not NULL") {
			t.Errorf("offline_sqlite_version %s: the form is not kept:\n%s", v, s)
		}
	}
	for _, v := range []string{"3.35", "3.40.1", "3.52.9", ""} {
		if s := offlineScript(t, d, offBase, offNN, true, v); strings.Contains(stripComments(s), "set not NULL") {
			t.Errorf("offline_sqlite_version %q: the form is kept:\n%s", v, s)
		}
	}
	for _, v := range []string{"3.34.1", "three", "3", "3.40.1.2", "3.x", "3.-1"} {
		err := OfflineSQL(context.Background(), &bytes.Buffer{}, d, nil, []string{offNN}, true, OfflineOptions{SQLiteVersion: v})
		if !errors.Is(err, ErrBadSQLiteVersion) || !strings.Contains(err.Error(), "offline_sqlite_version") {
			t.Errorf("offline_sqlite_version %q: %v", v, err)
		}
	}
}

// What the rewrite cannot follow is an error naming the revision, never a
// script that does something else.
func TestOfflineRewriteRefuses(t *testing.T) {
	base := offRev{offBase, "", `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);`, "DROP TABLE t;"}
	for _, tc := range []struct {
		name, up string
		want     []string
	}{
		{"on conflict", `ALTER TABLE t ALTER COLUMN a SET NOT NULL ON CONFLICT REPLACE;`, []string{"ON CONFLICT"}},
		{"no such table", `ALTER TABLE nope ALTER COLUMN a SET NOT NULL;`, []string{"no table nope"}},
		{"other schema", `ALTER TABLE temp.t ADD CHECK (a <> '');`, []string{"temp.t", "main schema"}},
		{"no such constraint", `ALTER TABLE t DROP CONSTRAINT c;`, []string{"fails on an empty database"}},
		{"earlier statement fails", `INSERT INTO nope VALUES (1);
ALTER TABLE t DROP CONSTRAINT c;`, []string{"statement 1", "fails on an empty database"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := offlineDir(t, []offRev{base, {offNN, offBase, tc.up, "SELECT 1;"}})
			var b bytes.Buffer
			err := OfflineSQL(context.Background(), &b, d, []string{offBase}, []string{offNN}, true, OfflineOptions{})
			if !errors.Is(err, ErrOfflineRewrite) {
				t.Fatalf("err = %v, want ErrOfflineRewrite", err)
			}
			for _, w := range append(tc.want, "revision "+offNN) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if b.Len() > 0 {
				t.Errorf("a script was written:\n%s", b.String())
			}
		})
	}
}

func TestNewAlterForm(t *testing.T) {
	for _, tc := range []struct {
		stmt  string
		table string
		isNew bool
		err   bool
	}{
		{stmt: `ALTER TABLE t ALTER COLUMN a SET NOT NULL`, table: "t", isNew: true},
		{stmt: `alter table "T""x" alter a drop not null`, table: `T"x`, isNew: true},
		{stmt: "-- note\nALTER /* c */ TABLE [t] ADD CONSTRAINT c CHECK (a > 0)", table: "t", isNew: true},
		{stmt: "ALTER TABLE `t` add check (a > 0)", table: "t", isNew: true},
		{stmt: `ALTER TABLE main.t DROP CONSTRAINT c`, table: "t", isNew: true},
		{stmt: `ALTER TABLE "main"."t" DROP CONSTRAINT c`, table: "t", isNew: true},
		{stmt: `ALTER TABLE temp.t DROP CONSTRAINT c`, err: true},
		{stmt: `ALTER TABLE t ADD COLUMN c INT CHECK (c > 0)`},
		{stmt: `ALTER TABLE t ADD c INT CONSTRAINT k CHECK (c > 0)`},
		{stmt: `ALTER TABLE t ADD "check" INT`},
		{stmt: `ALTER TABLE t ADD "constraint" INT`},
		{stmt: `ALTER TABLE t DROP COLUMN c`},
		{stmt: `ALTER TABLE t DROP "constraint"`},
		{stmt: `ALTER TABLE t RENAME COLUMN a TO "alter"`},
		{stmt: `ALTER TABLE t RENAME TO u`},
		{stmt: `ALTER TABLE temp.t ADD COLUMN c`},
		{stmt: `SELECT 'ALTER TABLE t ALTER COLUMN a SET NOT NULL'`},
		{stmt: `UPDATE t SET a = 1`},
		{stmt: `ALTER TABLE`},
	} {
		table, isNew, err := newAlterForm(tc.stmt)
		if isNew != tc.isNew || (err != nil) != tc.err || isNew && table != tc.table {
			t.Errorf("newAlterForm(%q) = %q, %v, %v; want %q, %v, error %v", tc.stmt, table, isNew, err, tc.table, tc.isNew, tc.err)
		}
	}
}
