package main

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

const (
	pgRevA = "1a2b3c4d5e6f"
	pgRevB = "3c4d5e6f7a8b"
	pgRevC = "5e6f7a8b9c0d"
)

// pgApp is a module whose alembic.ini names a fresh database of the test
// cluster, with three hand-written PostgreSQL revisions; extra is added to
// the ini's section.
func pgApp(t *testing.T, extra string) (*app, *pgtest.Database) {
	t.Helper()
	pg := pgtest.New(t)
	a := newApp(t, map[string]string{
		"alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = " + strings.ReplaceAll(pg.URL, "%", "%%") + "\n" + extra,
	})
	a.writeRevision(revisionFile{ID: pgRevA, Message: "Initial Tables",
		Upgrade: `CREATE TABLE teams (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE members (id BIGSERIAL PRIMARY KEY, name TEXT, team_id BIGINT REFERENCES teams (id) ON DELETE CASCADE);`,
		Downgrade: "DROP TABLE members;\nDROP TABLE teams;"})
	a.writeRevision(revisionFile{ID: pgRevB, Message: "Column age added to Member", Parents: []string{pgRevA},
		Upgrade:   "ALTER TABLE members ADD COLUMN age INTEGER NOT NULL DEFAULT 30;",
		Downgrade: "ALTER TABLE members DROP COLUMN age;"})
	a.writeRevision(revisionFile{ID: pgRevC, Message: "Index on name", Parents: []string{pgRevB},
		Upgrade:   "-- +autogen no-transaction\nCREATE INDEX CONCURRENTLY members_name ON members (name);",
		Downgrade: "DROP INDEX CONCURRENTLY members_name;"})
	return a, pg
}

func pgVersions(t *testing.T, pg *pgtest.Database) []string {
	t.Helper()
	return queryStrings(t, pg.DB, "SELECT version_num FROM alembic_version ORDER BY 1")
}

// The tutorial's commands on a PostgreSQL URL, with rows in the tables
// between steps.
func TestPostgresCommands(t *testing.T) {
	a, pg := pgApp(t, "")
	a.ok("upgrade", pgRevA)
	if _, err := pg.DB.Exec("INSERT INTO teams (name) VALUES ('red'); INSERT INTO members (name, team_id) VALUES ('ann', 1)"); err != nil {
		t.Fatal(err)
	}
	_, stderr := a.ok("upgrade", "head")
	for _, want := range []string{"Context impl PostgresqlImpl.", "Running upgrade " + pgRevA + " -> " + pgRevB, "Running upgrade " + pgRevB + " -> " + pgRevC} {
		if !strings.Contains(stderr, want) {
			t.Errorf("upgrade's log lacks %q:\n%s", want, stderr)
		}
	}
	if got := queryStrings(t, pg.DB, "SELECT name || ' ' || age FROM members"); !slices.Equal(got, []string{"ann 30"}) {
		t.Errorf("members = %v", got)
	}
	if out, _ := a.ok("current"); !strings.Contains(out, pgRevC+" (head)") {
		t.Errorf("current = %q", out)
	}
	// current -v names the database by its URL, the password masked.
	withPassword := strings.Replace(pg.URL, "postgres@", "postgres:hunter2@", 1)
	if out, _ := a.ok("--url", withPassword, "current", "-v"); !strings.Contains(out, "Current revision(s) for postgresql://postgres:xxxxx@/") ||
		strings.Contains(out, "hunter2") || !strings.Contains(out, "Rev: "+pgRevC+" (head)") {
		t.Errorf("current -v = %q", out)
	}
	if out, _ := a.ok("history", "--indicate-current"); !strings.Contains(out, pgRevC+" (head) (current)") {
		t.Errorf("history = %q", out)
	}
	if out, _ := a.ok("heads"); !strings.Contains(out, pgRevC+" (head)") {
		t.Errorf("heads = %q", out)
	}
	a.ok("downgrade", "-1")
	if got := pgVersions(t, pg); !slices.Equal(got, []string{pgRevB}) {
		t.Errorf("after downgrade -1: %v", got)
	}
	a.ok("downgrade", pgRevA)
	if got := queryStrings(t, pg.DB, "SELECT name FROM members"); !slices.Equal(got, []string{"ann"}) {
		t.Errorf("members after downgrade = %v", got)
	}
	a.ok("downgrade", "base")
	if got := pgVersions(t, pg); len(got) != 0 {
		t.Errorf("after downgrade base: %v", got)
	}
	a.ok("stamp", pgRevB)
	if got := pgVersions(t, pg); !slices.Equal(got, []string{pgRevB}) {
		t.Errorf("after stamp: %v", got)
	}
	a.ok("stamp", "--purge", "base")
}

// --url and $AUTOGEN_URL name the database as sqlalchemy.url does, in
// SQLAlchemy's spellings.
func TestPostgresURLSources(t *testing.T) {
	a, pg := pgApp(t, "")
	a.write("alembic.ini", "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///unused.db\n")
	u := strings.Replace(pg.URL, "postgresql://", "postgresql+psycopg2://", 1)
	a.ok("--url", u, "upgrade", pgRevA)
	a.env = []string{"AUTOGEN_URL=" + strings.Replace(pg.URL, "postgresql://", "postgres://", 1)}
	a.ok("upgrade", "head")
	if got := pgVersions(t, pg); !slices.Equal(got, []string{pgRevC}) {
		t.Errorf("versions = %v", got)
	}
}

// lock_timeout and statement_timeout of the ini hold in each revision.
func TestPostgresTimeoutKeys(t *testing.T) {
	a, pg := pgApp(t, "lock_timeout = 1.5\nstatement_timeout = 0\n")
	a.writeRevision(revisionFile{ID: "9e9e9e9e9e9e", Message: "Check settings", Parents: []string{pgRevC},
		Upgrade: `DO $$ BEGIN
  IF current_setting('lock_timeout') <> '1500ms' OR current_setting('statement_timeout') <> '0' THEN
    RAISE EXCEPTION 'lock_timeout %, statement_timeout %', current_setting('lock_timeout'), current_setting('statement_timeout');
  END IF;
END $$;`})
	if _, err := pg.DB.Exec("ALTER DATABASE " + pg.Name + " SET statement_timeout = '1min'"); err != nil {
		t.Fatal(err)
	}
	a.ok("upgrade", "head")
	if got := pgVersions(t, pg); !slices.Equal(got, []string{"9e9e9e9e9e9e"}) {
		t.Errorf("versions = %v", got)
	}
}

// A failing revision exits 2 with one sentence naming it, its line and the
// server's message, and leaves the database as it was.
func TestPostgresFailingRevision(t *testing.T) {
	a, pg := pgApp(t, "")
	a.writeRevision(revisionFile{ID: "9e9e9e9e9e9e", Message: "Broken", Parents: []string{pgRevC},
		Upgrade: "ALTER TABLE members ADD COLUMN email TEXT;\nALTER TABLE members ADD COLUMN email TEXT;"})
	a.ok("upgrade", pgRevC)
	e := a.fails(2, `ERROR: column "email" of relation "members" already exists (SQLSTATE 42701); rolled back`, "upgrade", "head")
	if !strings.Contains(e, "9e9e9e9e9e9e_Broken.sql:11") {
		t.Errorf("stderr does not name the statement's line:\n%s", e)
	}
	if got := queryStrings(t, pg.DB, "SELECT column_name FROM information_schema.columns WHERE column_name = 'email'"); len(got) != 0 {
		t.Errorf("email exists after the failed revision")
	}
	if got := pgVersions(t, pg); !slices.Equal(got, []string{pgRevC}) {
		t.Errorf("versions = %v", got)
	}
}

// A server out of reach, a refused password and a missing database are one
// sentence naming the URL with its password masked, exit 2.
func TestPostgresConnectionErrors(t *testing.T) {
	a, pg := pgApp(t, "")
	role := pg.PasswordRole(t, "pw", "s3cret")
	q := url.Values{"host": {pg.Cluster.SocketDir}, "port": {fmt.Sprint(pg.Cluster.Port)}}.Encode()
	tests := []struct{ name, url, want string }{
		{"missing database", "postgresql://postgres:s3cret@/nosuchdb?" + q, "database postgresql://postgres:xxxxx@/nosuchdb?"},
		{"wrong password", "postgresql://" + role + ":wrong@/" + pg.Name + "?" + q, "the server refused the login"},
		{"no server", "postgresql://postgres:s3cret@127.0.0.1:1/x?sslmode=disable", "cannot be reached: no server accepts connections there"},
		{"no socket", "postgresql://postgres@/x?host=" + url.QueryEscape(filepath.Join(t.TempDir(), "none")), "cannot be reached"},
	}
	for _, tt := range tests {
		for _, cmd := range [][]string{{"upgrade", "head"}, {"current"}, {"stamp", "head"}} {
			e := a.fails(2, tt.want, append([]string{"--url", tt.url}, cmd...)...)
			if strings.Contains(e, "s3cret") || strings.Count(strings.TrimSpace(e), "\n") > 0 {
				t.Errorf("%s, %v: stderr shows the password or spans lines:\n%s", tt.name, cmd, e)
			}
		}
	}
}

// A URL without a password takes it from $PGPASSWORD (and the port from
// $PGPORT) as the run's environment gives them: the in-process harness's
// variables, not the test process's.
func TestPostgresPasswordFromEnvironment(t *testing.T) {
	a, pg := pgApp(t, "")
	role := pg.PasswordRole(t, "pw", "s3cret")
	dbURL := "postgresql://" + role + "@/" + pg.Name + "?host=" + url.QueryEscape(pg.Cluster.SocketDir)
	t.Setenv("PGPASSWORD", "wrong")
	a.env = []string{"PGPORT=" + fmt.Sprint(pg.Cluster.Port), "PGPASSWORD=s3cret", "AUTOGEN_URL=" + dbURL}
	a.ok("current")
	a.env = []string{"PGPORT=" + fmt.Sprint(pg.Cluster.Port), "PGPASSWORD=nope", "AUTOGEN_URL=" + dbURL}
	a.fails(2, "the server refused the login", "current")
}

// upgrade --sql on a PostgreSQL URL writes the script for psql without
// connecting: the server named need not exist.
func TestPostgresOfflineSQL(t *testing.T) {
	a, _ := pgApp(t, "statement_timeout = 90\n")
	out, stderr := a.ok("--url", "postgresql://nobody@127.0.0.1:1/none", "upgrade", "--sql", "base:head")
	for _, want := range []string{"BEGIN;\n\nSET LOCAL statement_timeout = 90000;\n\nCREATE TABLE alembic_version",
		"SET statement_timeout = 90000;\n\n-- +autogen no-transaction\nCREATE INDEX CONCURRENTLY members_name ON members (name);\n\nRESET lock_timeout;"} {
		if !strings.Contains(out, want) {
			t.Errorf("script lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr, "Context impl PostgresqlImpl.") {
		t.Errorf("log: %s", stderr)
	}
	if strings.Contains(out, "PRAGMA") {
		t.Errorf("a SQLite PRAGMA in a PostgreSQL script:\n%s", out)
	}
}

// version_table_schema keeps the version table in another schema, as
// Alembic's key does: online and in the offline script; a schema that
// does not exist, or the key on SQLite, is one sentence, exit 2.
func TestPostgresVersionTableSchema(t *testing.T) {
	a, pg := pgApp(t, "version_table_schema = Meta Data\n")
	a.fails(2, `schema "Meta Data" (version_table_schema) does not exist`, "upgrade", "head")
	mustExecPG(t, pg, `CREATE SCHEMA "Meta Data"`)
	a.ok("upgrade", pgRevA)
	mustExecPG(t, pg, `INSERT INTO teams (name) VALUES ('red')`)
	a.ok("upgrade", "head")
	if got := queryStrings(t, pg.DB, `SELECT version_num FROM "Meta Data".alembic_version`); !slices.Equal(got, []string{pgRevC}) {
		t.Fatalf("version rows in the schema: %q", got)
	}
	if got := queryStrings(t, pg.DB, `SELECT table_schema FROM information_schema.tables WHERE table_name = 'alembic_version'`); !slices.Equal(got, []string{"Meta Data"}) {
		t.Fatalf("alembic_version in schemas %q", got)
	}
	if out, _ := a.ok("current"); !strings.Contains(out, pgRevC) {
		t.Errorf("current: %s", out)
	}
	a.ok("downgrade", "base")
	if got := queryStrings(t, pg.DB, `SELECT count(*)::text FROM "Meta Data".alembic_version`); !slices.Equal(got, []string{"0"}) {
		t.Fatalf("version rows after downgrade base: %q", got)
	}

	script, _ := a.ok("upgrade", "--sql", "base:head")
	if !strings.Contains(script, `CREATE TABLE "Meta Data".alembic_version`) || !strings.Contains(script, `INSERT INTO "Meta Data".alembic_version`) {
		t.Fatalf("offline script does not use the schema:\n%s", script)
	}
	mustExecPG(t, pg, `DROP TABLE "Meta Data".alembic_version`)
	runPsql(t, pg, script)
	if out, _ := a.ok("current"); !strings.Contains(out, pgRevC) {
		t.Errorf("current after the offline script: %s", out)
	}

	sq := newApp(t, map[string]string{"alembic.ini": "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///db.sqlite\nversion_table_schema = meta\n",
		"migrations/versions/.keep": ""})
	sq.fails(2, "a SQLite database has one schema", "upgrade", "head")
	sq.fails(2, "a SQLite database has one schema", "upgrade", "--sql", "base:head")
}
