package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/script"
)

// pgGraph is the tutorial's chain on PostgreSQL: tables with rows, a
// column added, a table renamed with its foreign key kept.
func pgGraph() graph {
	return newGraph(
		rev(idA, "Initial Tables", nil, `
CREATE TABLE teams (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE members (id BIGSERIAL PRIMARY KEY, name TEXT,
  team_id BIGINT REFERENCES teams (id) ON DELETE CASCADE);
CREATE INDEX members_team ON members (team_id);
INSERT INTO teams (name) VALUES ('red'), ('blue');
INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 2);
-- a function body holds semicolons of its own
CREATE FUNCTION team_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM teams; $$;
`, `DROP FUNCTION team_count();
DROP TABLE members;
DROP TABLE teams;`),
		rev(idB, "Column age added to Member", []string{idA},
			`ALTER TABLE members ADD COLUMN age INTEGER NOT NULL DEFAULT 30;`,
			`ALTER TABLE members DROP COLUMN age;`),
		rev(idC, "Rename teams", []string{idB},
			`ALTER TABLE teams RENAME TO squads;`,
			`ALTER TABLE squads RENAME TO teams;`),
	)
}

// pgOpen is a runner on a fresh database of the test cluster.
func pgOpen(t testing.TB, d *script.Dir, opts ...Option) (*Runner, *pgtest.Database) {
	t.Helper()
	pg := pgtest.New(t)
	return FromDir(pg.DB, d, opts...), pg
}

// pgDump is the public schema's tables, columns, indexes and rows, sorted,
// so two states compare as strings.
func pgDump(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	q := func(query string) []string { return queryList(t, db, query) }
	for _, l := range q(`SELECT concat_ws(' ', table_name, column_name, data_type, is_nullable, column_default)
		FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`) {
		b.WriteString(l + "\n")
	}
	for _, l := range q(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`) {
		b.WriteString(l + "\n")
	}
	for _, tb := range q(`SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`) {
		rows := q("SELECT t::text FROM " + tb + " t")
		slices.Sort(rows)
		fmt.Fprintf(&b, "%s: %s\n", tb, strings.Join(rows, " "))
	}
	return b.String()
}

func pgCount(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestPGUpgradeDowngrade(t *testing.T) {
	ctx := context.Background()
	var log strings.Builder
	r, pg := pgOpen(t, pgGraph().dir(), WithLog(&log))
	steps, err := r.Upgrade(ctx, "head")
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[2].Revision != idC {
		t.Fatalf("steps = %+v", steps)
	}
	if got := current(t, r); !slices.Equal(got, []string{idC}) {
		t.Fatalf("current = %v", got)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM members m JOIN squads s ON s.id = m.team_id WHERE m.age = 30"); n != 2 {
		t.Errorf("members joined to squads = %d, want 2", n)
	}
	for _, want := range []string{"Context impl PostgresqlImpl.", "Running upgrade  -> " + idA + ", Initial Tables", "Running upgrade " + idB + " -> " + idC} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	// The version table is Alembic's.
	if n := pgCount(t, pg.DB, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'alembic_version'
		AND column_name = 'version_num' AND data_type = 'character varying' AND character_maximum_length = 32 AND is_nullable = 'NO'`); n != 1 {
		t.Error("alembic_version.version_num is not VARCHAR(32) NOT NULL")
	}
	if n := pgCount(t, pg.DB, `SELECT count(*) FROM pg_constraint WHERE conname = 'alembic_version_pkc' AND contype = 'p'`); n != 1 {
		t.Error("alembic_version has no primary key alembic_version_pkc")
	}
	if _, err := r.Downgrade(ctx, "-1"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM teams"); n != 2 {
		t.Errorf("teams holds %d rows after downgrade -1", n)
	}
	if _, err := r.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if got := current(t, r); len(got) != 0 {
		t.Fatalf("current after base = %v", got)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"); n != 0 {
		t.Errorf("%d tables left at base", n)
	}
	// The pool is left usable: no lock, no open transaction.
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"); n != 0 {
		t.Errorf("%d advisory locks held after the runs", n)
	}
}

func TestPGFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	g := pgGraph()
	g[idB].Upgrade = "ALTER TABLE members ADD COLUMN age INTEGER;\nUPDATE members SET age = 1;\nCREATE TABLE extra (id INT);\n\nINSERT INTO extra\n  SELECT nosuch FROM members;"
	g[idB].UpgradeLine = 12
	r, pg := pgOpen(t, g.dir())
	if _, err := r.Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	before := pgDump(t, pg.DB)
	steps, err := r.Upgrade(ctx, "head")
	if err == nil {
		t.Fatal("upgrade succeeded")
	}
	if len(steps) != 0 {
		t.Errorf("steps = %+v", steps)
	}
	for _, want := range []string{"revision " + idB, "versions/" + idB + ".sql:17", `"INSERT INTO extra SELECT nosuch FROM members"`,
		"SQLSTATE 42703", "rolled back, database", "is still at " + idA} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if after := pgDump(t, pg.DB); after != before {
		t.Errorf("database changed by a failed revision:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Errorf("current = %v", got)
	}
}

// A string the splitter calls one statement is sent as one execution,
// which the server refuses when it holds two: nothing of it runs.
func TestPGOneStatementPerExecution(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.New(t)
	mustExec(t, pg.DB, "CREATE TABLE keep (x int)")
	for _, viaPgx := range []bool{true, false} {
		err := postgres.ExecOne(ctx, pg.DB, viaPgx, "SELECT 1; DROP TABLE keep")
		if err == nil || !strings.Contains(err.Error(), "multiple commands") {
			t.Errorf("viaPgx=%t: err = %v, want the server's refusal of multiple commands", viaPgx, err)
		}
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM keep"); n != 0 {
		t.Fatal("keep changed")
	}
}

func TestPGTransactionControlRefused(t *testing.T) {
	for _, stmt := range []string{"COMMIT", "BEGIN", "START TRANSACTION", "ROLLBACK", "ABORT", "END", "PREPARE TRANSACTION 'x'", "commit and chain"} {
		t.Run(stmt, func(t *testing.T) {
			g := pgGraph()
			g[idB].Upgrade = "ALTER TABLE members ADD COLUMN age INTEGER;\n" + stmt + ";\nCREATE TABLE after_commit (x int);"
			r, pg := pgOpen(t, g.dir())
			_, err := r.Upgrade(context.Background(), "head")
			if err == nil || !strings.Contains(err.Error(), "must not begin or end one") {
				t.Fatalf("err = %v", err)
			}
			if n := pgCount(t, pg.DB, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'age'"); n != 0 {
				t.Error("the revision's first statement was committed")
			}
		})
	}
	// ROLLBACK TO a savepoint stays inside the revision's transaction.
	g := pgGraph()
	g[idB].Upgrade = "SAVEPOINT s;\nALTER TABLE members ADD COLUMN age INTEGER;\nROLLBACK TO SAVEPOINT s;\nALTER TABLE members ADD COLUMN age2 INTEGER;"
	r, pg := pgOpen(t, g.dir())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM information_schema.columns WHERE column_name IN ('age', 'age2')"); n != 1 {
		t.Errorf("%d of age, age2 exist, want age2 only", n)
	}
}

// A SET a revision makes on its session does not reach the next revision.
func TestPGSessionStateScopedToRevision(t *testing.T) {
	g := pgGraph()
	g[idA].Upgrade += "\nCREATE SCHEMA elsewhere;\nSET search_path = elsewhere;\nCREATE TEMP TABLE scratch (x int);"
	g[idA].Downgrade = "DROP SCHEMA elsewhere;\n" + g[idA].Downgrade
	r, pg := pgOpen(t, g.dir())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'squads'"); n != 1 {
		t.Error("revision C did not run in public: revision A's search_path leaked into it")
	}
	if _, err := r.Downgrade(context.Background(), "base"); err != nil {
		t.Fatal(err)
	}
}

func TestPGAdoptAlembicDatabase(t *testing.T) {
	ctx := context.Background()
	g := pgGraph()
	r, pg := pgOpen(t, g.dir())
	// What Alembic leaves after running revision A: its tables, and its
	// version table as SQLAlchemy creates it.
	for _, s := range strings.Split(strings.TrimSpace(g[idA].Upgrade), ";\n") {
		if !strings.HasPrefix(strings.TrimSpace(s), "--") {
			mustExec(t, pg.DB, s)
		}
	}
	mustExec(t, pg.DB, "CREATE TABLE alembic_version (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
		"INSERT INTO alembic_version (version_num) VALUES ('"+idA+"')")
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Fatalf("current = %v", got)
	}
	steps, err := r.Upgrade(ctx, "head")
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 || steps[0].Revision != idB {
		t.Fatalf("steps = %+v", steps)
	}
	// A database whose schema was made by hand is adopted with stamp.
	r2, pg2 := pgOpen(t, g.dir())
	mustExec(t, pg2.DB, "CREATE TABLE teams (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)",
		"CREATE TABLE members (id BIGSERIAL PRIMARY KEY, name TEXT, team_id BIGINT REFERENCES teams (id) ON DELETE CASCADE)",
		"INSERT INTO teams (name) VALUES ('red')")
	if err := r2.Stamp(ctx, false, idA); err != nil {
		t.Fatal(err)
	}
	if _, err := r2.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg2.DB, "SELECT count(*) FROM squads"); n != 1 {
		t.Errorf("squads holds %d rows", n)
	}
	if err := r2.Stamp(ctx, true, idB); err != nil {
		t.Fatal(err)
	}
	if got := current(t, r2); !slices.Equal(got, []string{idB}) {
		t.Errorf("current after stamp --purge = %v", got)
	}
}

func TestPGConcurrentGoroutines(t *testing.T) {
	pg := pgtest.New(t)
	g, head := logGraph(6)
	g[fmt.Sprintf("%012x", 0xabc000)].Upgrade = "CREATE TABLE applied (rev TEXT);\n" + strings.SplitN(g[fmt.Sprintf("%012x", 0xabc000)].Upgrade, "\n", 2)[1]
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		db, err := pg.Cluster.Open(pg.Name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = FromDir(db, g.dir()).Upgrade(context.Background(), "head")
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("runner %d: %v", i, err)
		}
	}
	pgCheckAppliedOnce(t, pg.DB, 6, head)
}

func pgCheckAppliedOnce(t *testing.T, db *sql.DB, n int, head string) {
	t.Helper()
	if got := pgCount(t, db, "SELECT count(*) FROM applied"); got != n {
		t.Errorf("applied holds %d rows, want %d (one per revision)", got, n)
	}
	if got := pgCount(t, db, "SELECT count(DISTINCT rev) FROM applied"); got != n {
		t.Errorf("applied holds %d distinct revisions, want %d", got, n)
	}
	if got := pgCount(t, db, "SELECT count(*) FROM alembic_version WHERE version_num = $1", head); got != 1 {
		t.Errorf("version table lacks the head %s", head)
	}
	if got := pgCount(t, db, "SELECT count(*) FROM alembic_version"); got != 1 {
		t.Errorf("version table holds %d rows, want 1", got)
	}
}

// pgHelperEnv holds the connection string a re-executed test binary
// upgrades (TestMain).
const pgHelperEnv = "RUNNER_TEST_UPGRADE_PG"

// pgSlowEnv makes the re-executed binary upgrade slowGraph instead.
const pgSlowEnv = "RUNNER_TEST_SLOW_PG"

// slowGraph is pgGraph with revision B stuck in pg_sleep after its first
// statement, for a process to be killed in.
func slowGraph() graph {
	g := pgGraph()
	g[idB].Upgrade = "ALTER TABLE members ADD COLUMN age INTEGER;\nSELECT pg_sleep(60);"
	return g
}

func helperUpgradePG(dsn string, slow bool) int {
	g, _ := logGraph(6)
	if slow {
		g = slowGraph()
	}
	ctx := context.Background()
	db, err := OpenPostgres(ctx, dsn, "test")
	if err == nil {
		_, err = FromDir(db, g.dir()).Upgrade(ctx, "head")
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

func TestPGConcurrentProcesses(t *testing.T) {
	pg := pgtest.New(t)
	_, head := logGraph(6)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	out := make([][]byte, 4)
	errs := make([]error, 4)
	for i := range out {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), pgHelperEnv+"="+pg.Cluster.DSN(pg.Name))
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range out {
		if errs[i] != nil {
			t.Errorf("process %d: %v\n%s", i, errs[i], out[i])
		}
	}
	pgCheckAppliedOnce(t, pg.DB, 6, head)
}

func TestPGNoTransaction(t *testing.T) {
	ctx := context.Background()
	g := pgGraph()
	g[idB].Upgrade = "CREATE INDEX CONCURRENTLY members_name ON members (name);"
	g[idB].Downgrade = "DROP INDEX CONCURRENTLY members_name;"
	r, pg := pgOpen(t, g.dir())
	_, err := r.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "SQLSTATE 25001") || !strings.Contains(err.Error(), script.NoTransactionMarker) {
		t.Fatalf("without the directive: err = %v", err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Fatalf("current = %v", got)
	}
	g[idB].NoTransaction = true
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'members_name' AND i.indisvalid"); n != 1 {
		t.Error("members_name is missing or invalid")
	}
	if _, err := r.Downgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_class WHERE relname = 'members_name'"); n != 0 {
		t.Error("members_name survived the downgrade")
	}
	// A statement failing part way leaves the ones before it, and says so.
	g[idB].Upgrade = "CREATE INDEX CONCURRENTLY members_name ON members (name);\nCREATE INDEX CONCURRENTLY members_bad ON members (nosuch);"
	_, err = r.Upgrade(ctx, "head")
	for _, want := range []string{"revision " + idB, "1 statement(s) before this one stay applied", "still at " + idA} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Errorf("current = %v", got)
	}
}

func TestPGTimeouts(t *testing.T) {
	ctx := context.Background()
	g := pgGraph()
	r, pg := pgOpen(t, g.dir(), WithLockTimeout(200*time.Millisecond))
	if _, err := r.Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	tx, err := pg.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("SELECT count(*) FROM members"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = r.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "SQLSTATE 55P03") || !strings.Contains(err.Error(), "lock_timeout, 200ms") {
		t.Fatalf("err = %v", err)
	}
	if waited := time.Since(start); waited > 20*time.Second {
		t.Errorf("waited %s", waited)
	}
	tx.Rollback()
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Errorf("current = %v", got)
	}
	// The lock timeout was the transaction's own, not left on the pool.
	var lt string
	if err := pg.DB.QueryRow("SHOW lock_timeout").Scan(&lt); err != nil || lt != "0" {
		t.Errorf("lock_timeout on the pool = %q, %v", lt, err)
	}

	g[idB].Upgrade = "SELECT pg_sleep(5);"
	r2 := FromDir(pg.DB, g.dir(), WithStatementTimeout(100*time.Millisecond))
	_, err = r2.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "SQLSTATE 57014") || !strings.Contains(err.Error(), "statement_timeout, 100ms") {
		t.Fatalf("err = %v", err)
	}
}

func TestPGVersionTableNames(t *testing.T) {
	for _, name := range []string{"user", `we"ird table`, "Versions", "a;drop table x"} {
		t.Run(name, func(t *testing.T) {
			r, pg := pgOpen(t, pgGraph().dir(), WithVersionTable(name))
			if _, err := r.Upgrade(context.Background(), "head"); err != nil {
				t.Fatal(err)
			}
			if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE tablename = $1", name); n != 1 {
				t.Fatalf("no table %q", name)
			}
			if got := current(t, r); !slices.Equal(got, []string{idC}) {
				t.Errorf("current = %v", got)
			}
		})
	}
}

func TestPGOpenErrors(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.New(t)
	role := pg.PasswordRole(t, "pw", "right")
	c := pg.Cluster
	tests := []struct {
		name, dsn, want string
	}{
		{"missing database", c.DSN("nosuchdb"), `database NAME does not exist on the server: database "nosuchdb" does not exist (SQLSTATE 3D000)`},
		{"wrong password", strings.Replace(c.DSN(pg.Name), "user=postgres", "user="+role+" password=wrong", 1), "database NAME: the server refused the login: password authentication failed"},
		{"no server", fmt.Sprintf("host=%s port=1 user=postgres dbname=x", t.TempDir()), "database NAME cannot be reached: no server accepts connections there"},
		{"refused TCP", "host=127.0.0.1 port=1 user=postgres dbname=x sslmode=disable", "database NAME cannot be reached: no server accepts connections there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := OpenPostgres(ctx, tt.dsn, "NAME")
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "right") || strings.Contains(err.Error(), "\n") {
				t.Errorf("err shows a password or spans lines: %v", err)
			}
		})
	}
	var ce *connError
	_, err := OpenPostgres(ctx, c.DSN("nosuchdb"), "x")
	if !errors.As(err, &ce) {
		t.Errorf("err %T", err)
	}
}
