package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// pgInit is the example module after init, its alembic.ini pointing at a
// fresh database of the test cluster.
func pgInit(t *testing.T, models string) (*app, *pgtest.Database) {
	t.Helper()
	pg := pgtest.New(t)
	a := newApp(t, map[string]string{"models/models.go": models})
	a.ok("init", "migrations")
	ini := readFile(t, filepath.Join(a.dir, "alembic.ini"))
	ini = regexp.MustCompile(`(?m)^sqlalchemy\.url = .*$`).ReplaceAllLiteralString(ini, "sqlalchemy.url = "+strings.ReplaceAll(pg.URL, "%", "%%"))
	a.write("alembic.ini", ini)
	return a, pg
}

// The README's tutorial on a PostgreSQL URL: revisions generated from the
// models, applied and undone, with rows in the tables between steps.
func TestPostgresTutorial(t *testing.T) {
	models := withoutAge(exampleModels(t))
	a, pg := pgInit(t, models)

	_, errOut := a.ok("revision", "-m", "Initial Tables")
	for _, want := range []string{"Detected added table 'members'", "Detected added table 'teams'"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("revision does not say %q:\n%s", want, errOut)
		}
	}
	if n := len(a.versions()); n != 1 {
		t.Fatalf("%d revision files after the first revision, want 1", n)
	}
	first := revisionHeader(t, readFile(t, a.versions()[0]), "Revision ID")
	if body := readFile(t, a.versions()[0]); !strings.Contains(body, "CREATE TABLE teams (") || strings.Contains(body, "AUTOINCREMENT") {
		t.Errorf("first revision is not PostgreSQL's CREATE TABLE:\n%s", body)
	}
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO teams (name) VALUES ('red'), ('blue');
		INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 2), ('cid', 2)`)

	_, errOut = a.ok("revision", "-m", "nothing")
	if !strings.Contains(errOut, "No changes in schema detected") || len(a.versions()) != 1 {
		t.Fatalf("revision without changes wrote a file or did not say so:\n%s", errOut)
	}
	a.ok("check")
	a.ok("check", "--migrations")

	a.write("models/models.go", withAge(t, models))
	if _, _, code := a.run("check"); code != 1 {
		t.Fatalf("check after adding a field: exit %d, want 1", code)
	}
	if out, _, code := a.run("check", "--migrations"); code != 1 || !strings.Contains(out, "Detected added column 'members.age'") {
		t.Fatalf("check --migrations after adding a field: exit %d, want 1:\n%s", code, out)
	}
	_, errOut = a.ok("revision", "-m", "Column age added to Member")
	if !strings.Contains(errOut, "Detected added column 'members.age'") {
		t.Errorf("second revision output:\n%s", errOut)
	}
	var second string
	for _, v := range a.versions() {
		if id := revisionHeader(t, readFile(t, v), "Revision ID"); id != first {
			second = id
			if body := readFile(t, v); !strings.Contains(body, "ALTER TABLE members ADD COLUMN age bigint;") ||
				!strings.Contains(body, "ALTER TABLE members DROP COLUMN age;") {
				t.Errorf("second revision does not add and drop the column:\n%s", body)
			}
		}
	}
	a.ok("upgrade", "head")
	want := []string{"1 ann 1 ", "2 bob 2 ", "3 cid 2 "}
	if got := queryStrings(t, pg.DB, "SELECT concat_ws(' ', id, name, team_id, coalesce(age::text, '')) FROM members ORDER BY id"); !slices.Equal(got, want) {
		t.Fatalf("members after upgrade: %v, want %v", got, want)
	}
	mustExecPG(t, pg, "UPDATE members SET age = 30 WHERE id = 1")
	a.ok("check")

	_, errOut = a.ok("downgrade", "-1")
	if !strings.Contains(errOut, "Running downgrade "+second+" -> "+first) {
		t.Errorf("downgrade output:\n%s", errOut)
	}
	if got := queryStrings(t, pg.DB, "SELECT concat_ws(' ', id, name, team_id) FROM members ORDER BY id"); !slices.Equal(got, []string{"1 ann 1", "2 bob 2", "3 cid 2"}) {
		t.Fatalf("members after downgrade: %v", got)
	}
	if got := queryStrings(t, pg.DB, "SELECT column_name FROM information_schema.columns WHERE table_name = 'members' AND column_name = 'age'"); len(got) != 0 {
		t.Fatalf("members.age still there after downgrade")
	}
	a.ok("upgrade", "head")
	a.ok("check")

	// Dropping the field: the revision says what it deletes, with counts.
	a.write("models/models.go", models)
	mustExecPG(t, pg, "UPDATE members SET age = 40")
	a.ok("revision", "-m", "Drop age")
	var third string
	for _, v := range a.versions() {
		body := readFile(t, v)
		if strings.Contains(body, "Drop age") {
			third = body
		}
	}
	for _, w := range []string{"dropping column members.age deletes 3 non-NULL values", "-- DESTRUCTIVE: drops column members.age"} {
		if !strings.Contains(third, w) {
			t.Errorf("third revision lacks %q:\n%s", w, third)
		}
	}
	a.ok("upgrade", "head")
	a.ok("downgrade", "base")
	if got := queryStrings(t, pg.DB, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); !slices.Equal(got, []string{"alembic_version"}) {
		t.Fatalf("tables after downgrade base: %v", got)
	}
	if got := queryStrings(t, pg.DB, "SELECT datname FROM pg_database WHERE datname LIKE 'autogen_replay_%'"); len(got) != 0 {
		t.Errorf("check --migrations left scratch databases: %v", got)
	}
	if _, err := os.Stat(filepath.Join(a.dir, "database.db")); err == nil {
		t.Error("a SQLite file was made for a PostgreSQL project")
	}
}

func mustExecPG(t *testing.T, pg *pgtest.Database, q string) {
	t.Helper()
	if _, err := pg.DB.Exec(q); err != nil {
		t.Fatal(err)
	}
}
