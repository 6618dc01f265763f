package runner

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
)

func TestPGBranchesAndMerge(t *testing.T) {
	const b1, b2, m = branchB1, branchB2, branchMerge
	g := branchGraph()
	ctx := context.Background()
	r, pg := pgOpen(t, g.dir())
	for _, s := range []struct {
		up     bool
		target string
		heads  []string
		rows   int
	}{
		{true, b1, []string{b1}, 1},
		{true, b2, []string{b1, b2}, 2},
		{true, m, []string{m}, 3},
		{false, b2, []string{b1, b2}, 2},
		{false, "base", nil, -1},
	} {
		if err := migrateTo(ctx, r, s.up, s.target); err != nil {
			t.Fatalf("to %s: %v", s.target, err)
		}
		if got := current(t, r); !slices.Equal(got, s.heads) {
			t.Errorf("to %s: heads %v, want %v", s.target, got, s.heads)
		}
		if s.rows >= 0 {
			if n := pgCount(t, pg.DB, "SELECT count(*) FROM log"); n != s.rows {
				t.Errorf("to %s: log holds %d rows, want %d", s.target, n, s.rows)
			}
		}
	}
}

// A run that finds another holding the migration lock says whom it waits
// for, and gives up when its context ends, changing nothing.
func TestPGWaitsForLock(t *testing.T) {
	var log bytes.Buffer
	r, pg := pgOpen(t, pgGraph().dir(), WithLog(&log))
	conn, err := pg.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pid int
	if err := conn.QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_lock($1)", lockKey("public", DefaultVersionTable)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = r.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "waiting for another migration") {
		t.Fatalf("err = %v", err)
	}
	if want := "Waiting for another migration of " + pg.Name + " (server process " + strconv.Itoa(pid) + ") to finish."; !strings.Contains(log.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, log.String())
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); n != 0 {
		t.Errorf("%d tables exist", n)
	}
	// Released, the lock is taken at once.
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock_all()"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
}

func mustParse(t *testing.T, dsn string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// otherDriver hides pgx behind a driver of another type, as lib/pq or
// bun's pgdriver would be: the runner is told with WithPostgreSQL, and
// sends each statement by prepare, execute and close.
type otherDriver struct{ driver.Driver }

type otherConnector struct{ driver.Connector }

func (c otherConnector) Driver() driver.Driver { return otherDriver{c.Connector.Driver()} }

func TestPGOtherDriver(t *testing.T) {
	pg := pgtest.New(t)
	cfg := stdlib.GetConnector(*mustParse(t, pg.Cluster.DSN(pg.Name)))
	db := sql.OpenDB(otherConnector{cfg})
	defer db.Close()
	if postgres.IsPgx(db) {
		t.Fatal("the wrapped driver passes for pgx")
	}
	r := FromDir(db, pgGraph().dir(), WithPostgreSQL())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idC}) {
		t.Errorf("current = %v", got)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM squads"); n != 2 {
		t.Errorf("squads holds %d rows", n)
	}
}

// A revision that releases the run's lock stops the run after it.
func TestPGRevisionReleasingTheLock(t *testing.T) {
	g := pgGraph()
	g[idB].Upgrade += "\nSELECT pg_advisory_unlock_all();"
	r, pg := pgOpen(t, g.dir())
	steps, err := r.Upgrade(context.Background(), "head")
	if err == nil || !strings.Contains(err.Error(), "revision "+idB) || !strings.Contains(err.Error(), "released the migration lock") {
		t.Fatalf("err = %v", err)
	}
	if len(steps) != 2 || steps[1].Revision != idB {
		t.Errorf("steps = %+v, want A and B, both committed", steps)
	}
	if got := current(t, r); !slices.Equal(got, []string{idB}) {
		t.Errorf("current = %v (the revision itself is applied)", got)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_tables WHERE tablename = 'squads'"); n != 0 {
		t.Error("the run went on past the revision that released its lock")
	}
}

// On SQLite a revision marked no-transaction is refused, online and in
// --sql output, before anything of it runs.
func TestNoTransactionRefusedOnSQLite(t *testing.T) {
	g := appGraph()
	g[idB].NoTransaction = true
	r := open(t, filepath.Join(t.TempDir(), "app.db"), g.dir())
	_, err := r.Upgrade(context.Background(), "head")
	if err == nil || !strings.Contains(err.Error(), "is marked \"-- +autogen no-transaction\", which is for PostgreSQL") {
		t.Fatalf("err = %v", err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Errorf("current = %v", got)
	}
	err = OfflineSQL(&bytes.Buffer{}, g.dir(), nil, []string{idC}, true, OfflineOptions{})
	if err == nil || !strings.Contains(err.Error(), "which is for PostgreSQL") {
		t.Errorf("offline: err = %v", err)
	}
}

// Current and Plan read the version rows without waiting for a migration
// in progress.
func TestPGReadsDoNotWaitForTheLock(t *testing.T) {
	r, pg := pgOpen(t, pgGraph().dir())
	if _, err := r.Upgrade(context.Background(), idA); err != nil {
		t.Fatal(err)
	}
	conn, err := pg.DB.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_lock($1)", lockKey("public", DefaultVersionTable)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got, err := r.Current(ctx); err != nil || !slices.Equal(got, []string{idA}) {
		t.Errorf("Current = %v, %v", got, err)
	}
	if steps, err := r.Plan(ctx, "head", Up); err != nil || len(steps) != 2 {
		t.Errorf("Plan = %v, %v", steps, err)
	}
}

// A process killed in the middle of a revision leaves the database as it
// was before the revision, and its lock with it: the next run applies it.
func TestPGKilledMidRevision(t *testing.T) {
	r, pg := pgOpen(t, slowGraph().dir())
	if _, err := r.Upgrade(context.Background(), idA); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), pgHelperEnv+"="+pg.Cluster.DSN(pg.Name), pgSlowEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for pgCount(t, pg.DB, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(60)%'") == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the revision never reached its pg_sleep")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	// The server ends the session once it notices the client is gone; a
	// new run waits for its lock until then.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if got, err := r.Current(ctx); err != nil || !slices.Equal(got, []string{idA}) {
		t.Fatalf("current = %v, %v", got, err)
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'age'"); n != 0 {
		t.Error("the killed revision's first statement is there")
	}
	g := pgGraph()
	if _, err := FromDir(pg.DB, g.dir()).Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
}

// A connection given back to the pool (no revision ran on it) holds no
// lock and none of the run's settings.
func TestPGConnectionGivenBackClean(t *testing.T) {
	r, pg := pgOpen(t, pgGraph().dir(), WithLockTimeout(time.Second))
	pg.DB.SetMaxOpenConns(1)
	if err := r.Stamp(context.Background(), false, idB); err != nil {
		t.Fatal(err)
	}
	for setting, want := range map[string]string{"client_connection_check_interval": "0", "lock_timeout": "0"} {
		var got string
		if err := pg.DB.QueryRow("SELECT current_setting($1)", setting).Scan(&got); err != nil || got != want {
			t.Errorf("%s on the pool = %q, %v; want %q", setting, got, err, want)
		}
	}
	if n := pgCount(t, pg.DB, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"); n != 0 {
		t.Errorf("%d advisory locks held", n)
	}
}
