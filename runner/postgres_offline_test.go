package runner

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// psql runs script with psql -v ON_ERROR_STOP=1 on pg's database and
// returns its output and error.
func psql(t *testing.T, pg *pgtest.Database, script string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("psql")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("psql is not installed")
		}
		t.Skip("psql is not installed")
	}
	path := filepath.Join(t.TempDir(), "migrate.sql")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", path, pg.Cluster.DSN(pg.Name))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func offlineScript(t *testing.T, g graph, from, to []string, up bool, opts OfflineOptions) string {
	t.Helper()
	opts.PostgreSQL = true
	var b bytes.Buffer
	if err := OfflineSQL(&b, g.dir(), from, to, up, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The --sql script of PostgreSQL runs under psql -v ON_ERROR_STOP=1, up and
// down, and leaves what the runner leaves.
func TestPGOfflineSQLRunsInPsql(t *testing.T) {
	g := pgGraph()
	g[idB].NoTransaction = true
	g[idB].Upgrade = "CREATE INDEX CONCURRENTLY members_name ON members (name);\nALTER TABLE members ADD COLUMN age INTEGER NOT NULL DEFAULT 30;"
	g[idB].Downgrade = "DROP INDEX CONCURRENTLY members_name;\nALTER TABLE members DROP COLUMN age;"
	lock := 2 * time.Second
	opts := OfflineOptions{LockTimeout: &lock}
	up := offlineScript(t, g, nil, []string{idC}, true, opts)
	for _, want := range []string{"BEGIN;\n\nSET LOCAL lock_timeout = 2000;\n\nCREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));",
		"-- Running upgrade " + idA + " -> " + idB + " (outside a transaction: -- +autogen no-transaction)\n\nSET lock_timeout = 2000;\n\nCREATE INDEX CONCURRENTLY",
		"UPDATE alembic_version SET version_num='" + idC + "' WHERE alembic_version.version_num = '" + idB + "';"} {
		if !strings.Contains(up, want) {
			t.Errorf("script lacks %q:\n%s", want, up)
		}
	}
	pg := pgtest.New(t)
	if out, err := psql(t, pg, up); err != nil {
		t.Fatalf("psql: %v\n%s\nscript:\n%s", err, out, up)
	}
	viaPsql := pgDump(t, pg.DB)
	r, pg2 := pgOpen(t, g.dir())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if online := pgDump(t, pg2.DB); online != viaPsql {
		t.Errorf("psql and the runner differ:\npsql:\n%s\nrunner:\n%s", viaPsql, online)
	}
	down := offlineScript(t, g, []string{idC}, nil, false, OfflineOptions{})
	if out, err := psql(t, pg, down); err != nil {
		t.Fatalf("psql: %v\n%s\nscript:\n%s", err, out, down)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); n != 0 {
		t.Errorf("%d tables left after the downgrade script (version table included)", n)
	}
}

// A failing revision stops psql; the revisions before it stay committed,
// its own block rolls back.
func TestPGOfflineSQLStopsAtError(t *testing.T) {
	g := pgGraph()
	g[idB].Upgrade = "ALTER TABLE members ADD COLUMN age INTEGER;\nALTER TABLE nosuch ADD COLUMN x INTEGER;"
	script := offlineScript(t, g, nil, []string{idC}, true, OfflineOptions{})
	pg := pgtest.New(t)
	out, err := psql(t, pg, script)
	if err == nil || !strings.Contains(out, `relation "nosuch" does not exist`) {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	if got := queryVersions(t, pg); !slices.Equal(got, []string{idA}) {
		t.Errorf("versions = %v", got)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'age'"); n != 0 {
		t.Error("the failed revision's first statement was committed")
	}
}

func queryVersions(t *testing.T, pg *pgtest.Database) []string {
	t.Helper()
	rows, err := pg.DB.Query("SELECT version_num FROM alembic_version ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// What psql would not pass to the server as written is refused.
func TestPGOfflineSQLRefuses(t *testing.T) {
	for _, tt := range []struct{ stmt, want string }{
		{"SELECT :foo", `holds ":foo", which psql would replace`},
		{`SELECT :'foo'`, "psql would replace"},
		{`SELECT 1 \! rm -rf x`, "unexpected character"},
		{"COMMIT", "must not begin or end a transaction"},
	} {
		g := pgGraph()
		g[idB].Upgrade = tt.stmt + ";"
		var b bytes.Buffer
		err := OfflineSQL(&b, g.dir(), nil, []string{idC}, true, OfflineOptions{PostgreSQL: true})
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), idB) {
			t.Errorf("%s: err = %v, want %q", tt.stmt, err, tt.want)
		}
	}
	// A cast and a slice with a space are fine.
	g := pgGraph()
	g[idB].Upgrade = "SELECT '1'::int, (ARRAY[1,2,3])[1: 2];"
	if err := OfflineSQL(&bytes.Buffer{}, g.dir(), nil, []string{idC}, true, OfflineOptions{PostgreSQL: true}); err != nil {
		t.Error(err)
	}
}

// stamp --sql on PostgreSQL runs under psql and leaves the version rows the
// runner's Stamp leaves.
func TestPGOfflineStampRunsInPsql(t *testing.T) {
	g := pgGraph()
	pg := pgtest.New(t)
	for _, s := range []struct{ from, to []string }{{nil, []string{idB}}, {[]string{idB}, []string{idC}}, {[]string{idC}, nil}} {
		var b bytes.Buffer
		if err := OfflineStamp(&b, g.dir(), s.from, s.to, OfflineOptions{PostgreSQL: true, VersionTable: "my versions"}); err != nil {
			t.Fatal(err)
		}
		if out, err := psql(t, pg, b.String()); err != nil {
			t.Fatalf("psql: %v\n%s\nscript:\n%s", err, out, b.String())
		}
		exists := pgCount(t, pg.DB, `SELECT count(*) FROM pg_tables WHERE tablename = 'my versions'`) == 1
		if len(s.to) == 0 {
			if exists {
				t.Error("the version table survived a stamp to base")
			}
			continue
		}
		var got string
		if err := pg.DB.QueryRow(`SELECT string_agg(version_num, ',') FROM "my versions"`).Scan(&got); err != nil || got != s.to[0] {
			t.Errorf("stamp to %v: versions %q, %v", s.to, got, err)
		}
	}
}

// Semicolons inside strings, quoted names, dollar quotes and nested
// comments split nowhere, online and through psql alike.
func TestPGHostileStatements(t *testing.T) {
	g := newGraph(rev(idA, "hostile", nil, `CREATE TABLE "we;ird
name" ("x;y" TEXT DEFAULT E'it\'s; -- not a comment', z TEXT DEFAULT 'a''b;c');
/* a comment /* nested; */ still; */ INSERT INTO "we;ird
name" (z) VALUES ($tag$ ; COMMIT; $tag$);
CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'x;'; END; $$;
INSERT INTO "we;ird
name" (z) SELECT f() -- trailing comment; with a semicolon
;
COMMENT ON TABLE "we;ird
name" IS U&'d\0061t\+000061 -- ;';`, `DROP FUNCTION f();
DROP TABLE "we;ird
name";`))
	r, online := pgOpen(t, g.dir())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, online.DB, `SELECT count(*) FROM "we;ird
name" WHERE "x;y" = 'it''s; -- not a comment'`); n != 2 {
		t.Errorf("%d rows with the default", n)
	}
	script := offlineScript(t, g, nil, []string{idA}, true, OfflineOptions{})
	viaPsql := pgtest.New(t)
	if out, err := psql(t, viaPsql, script); err != nil {
		t.Fatalf("psql: %v\n%s\nscript:\n%s", err, out, script)
	}
	if a, b := pgDump(t, online.DB), pgDump(t, viaPsql.DB); a != b {
		t.Errorf("runner and psql differ:\nrunner:\n%s\npsql:\n%s", a, b)
	}
	if _, err := r.Downgrade(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
}
