package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// An application that runs on SQLite and on PostgreSQL keeps one models
// package and a script directory per database, each named by a section of
// alembic.ini and chosen with -n/--name, as with Alembic. The two chains
// stay apart: each revision is written in its section's dialect, revises
// that directory's head, and is applied to that section's database only.
func TestTwoDatabasesOneModels(t *testing.T) {
	models := withoutAge(exampleModels(t))
	pg := pgtest.New(t)
	a := newApp(t, map[string]string{"models/models.go": models})
	a.ok("init", "migrations")
	a.ok("-n", "pg", "init", "migrations_pg")
	a.write("alembic.ini", readFile(t, filepath.Join(a.dir, "alembic.ini"))+
		"\n[pg]\nscript_location = migrations_pg\nsqlalchemy.url = "+strings.ReplaceAll(pg.URL, "%", "%%")+"\nmodels = ./models\n")
	sqlite := []string{}
	postgres := []string{"-n", "pg"}

	a.ok(append(sqlite, "revision", "-m", "initial")...)
	a.ok(append(postgres, "revision", "-m", "initial")...)
	sqliteFirst, pgFirst := onlyRevision(t, a.dir, "migrations"), onlyRevision(t, a.dir, "migrations_pg")
	if !strings.Contains(sqliteFirst, "AUTOINCREMENT") || strings.Contains(pgFirst, "AUTOINCREMENT") || !strings.Contains(pgFirst, "bigint") {
		t.Fatalf("the revisions are not in their section's dialect:\nSQLite:\n%s\nPostgreSQL:\n%s", sqliteFirst, pgFirst)
	}
	a.ok(append(sqlite, "upgrade", "head")...)
	a.ok(append(postgres, "upgrade", "head")...)
	a.exec("INSERT INTO teams (name) VALUES ('red'); INSERT INTO members (name, team_id) VALUES ('ann', 1)")
	mustExecPG(t, pg, "INSERT INTO teams (name) VALUES ('blue'); INSERT INTO members (name, team_id) VALUES ('bob', 1)")
	for _, args := range [][]string{sqlite, postgres, {"--name", "pg"}} {
		a.ok(append(args, "check")...)
		a.ok(append(args, "check", "--migrations")...)
	}
	// docs/ci.md's job: the section's script directory, CI's server.
	a.ok("-n", "pg", "--url", pg.URL, "check", "--migrations")

	// A new field: both checks fail until each directory has its revision
	// and each database is upgraded; the rows stay.
	a.write("models/models.go", withAge(t, models))
	for _, args := range [][]string{sqlite, postgres} {
		if out, _, code := a.run(append(args, "check")...); code != 1 || !strings.Contains(out, "members.age") {
			t.Fatalf("autogen %v check after adding a field: exit %d, want 1:\n%s", args, code, out)
		}
	}
	a.ok(append(postgres, "revision", "-m", "age")...)
	if out, _, code := a.run(append(sqlite, "check", "--migrations")...); code != 1 || !strings.Contains(out, "members.age") {
		t.Fatalf("SQLite check --migrations after a PostgreSQL revision only: exit %d, want 1:\n%s", code, out)
	}
	a.ok(append(sqlite, "revision", "-m", "age")...)
	for _, d := range []struct{ dir, first string }{{"migrations", sqliteFirst}, {"migrations_pg", pgFirst}} {
		revs := revisionFiles(t, a.dir, d.dir)
		if len(revs) != 2 {
			t.Fatalf("%s holds %d revisions, want 2", d.dir, len(revs))
		}
		first := revisionHeader(t, d.first, "Revision ID")
		i := slices.IndexFunc(revs, func(body string) bool { return body != d.first })
		if got := revisionHeader(t, revs[i], "Revises"); got != first || !strings.Contains(strings.ReplaceAll(revs[i], `"`, ""), "ADD COLUMN age") {
			t.Errorf("%s: the age revision revises %q, want its own directory's head %s:\n%s", d.dir, got, first, revs[i])
		}
	}
	a.ok(append(postgres, "upgrade", "head")...)
	a.ok(append(sqlite, "upgrade", "head")...)
	for _, args := range [][]string{sqlite, postgres} {
		a.ok(append(args, "check")...)
		a.ok(append(args, "check", "--migrations")...)
	}
	if got := a.rows("SELECT name, team_id, coalesce(age, 'none') FROM members"); !slices.Equal(got, []string{"ann|1|none"}) {
		t.Errorf("SQLite members after upgrade: %v", got)
	}
	if got := queryStrings(t, pg.DB, "SELECT name, team_id, coalesce(age::text, 'none') FROM members"); !slices.Equal(got, []string{"bob|1|none"}) {
		t.Errorf("PostgreSQL members after upgrade: %v", got)
	}

	a.fails(2, "section [sqlite] does not exist (the file has [alembic], [pg])", "-n", "sqlite", "check")
}

// revisionFiles returns the bodies of the revision files in dir/versions.
func revisionFiles(t *testing.T, root, dir string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, dir, "versions", "*.sql"))
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(b))
	}
	return bodies
}

// onlyRevision is the body of the one revision file in dir/versions.
func onlyRevision(t *testing.T, root, dir string) string {
	t.Helper()
	revs := revisionFiles(t, root, dir)
	if len(revs) != 1 {
		t.Fatalf("%s holds %d revisions, want 1", dir, len(revs))
	}
	return revs[0]
}
