package runner

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
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
