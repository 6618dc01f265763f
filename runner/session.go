package runner

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
)

// session runs fn on a connection taken from the caller's pool. A
// connection that a revision ran on is closed rather than given back to the
// pool, whatever the revision set on it (see isolate); one that ran none is
// given back as it was found: the settings the run changed are restored,
// and one that cannot be restored is closed. A database with no file keeps
// its one connection, restored.
func (r *Runner) session(ctx context.Context, fn func(context.Context) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.tableSchema != "" {
		return oneSchema(r.tableSchema)
	}
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return r.openError(err)
	}
	if r.path == "" {
		r.path = databaseName(ctx, conn)
	}
	saved, err := r.configure(ctx, conn)
	if err == nil {
		r.memory, r.tempBefore, err = connState(ctx, conn)
	}
	if err != nil {
		discard(conn)
		return r.openError(err)
	}
	r.conn, r.ran, r.checked, r.reuse, r.own, r.known = conn, false, nil, false, false, known{}
	err = fn(ctx)
	conn, r.conn = r.conn, nil
	switch {
	case conn == nil:
		return err
	case r.ran && !r.memory:
		discard(conn)
		return err
	}
	bg := context.WithoutCancel(ctx)
	rerr := restore(bg, conn, saved)
	if rerr == nil && r.ran {
		rerr = dropTemp(bg, conn, r.tempBefore)
	}
	if rerr != nil {
		discard(conn)
		return errors.Join(err, fmt.Errorf("database %s: %w", r.path, rerr))
	}
	if cerr := conn.Close(); err == nil {
		err = cerr
	}
	return err
}

// sessionPragmas are the connection settings a run changes and restores on
// a connection it gives back: busy_timeout and threads when it starts,
// cache_spill and revisionPragmas around each revision.
var sessionPragmas = append([]string{"busy_timeout", "threads", "cache_spill"}, revisionPragmas...)

// configure records the connection's settings and sets the run's (setup).
func (r *Runner) configure(ctx context.Context, conn *sql.Conn) ([]int64, error) {
	saved := make([]int64, len(sessionPragmas))
	for i, p := range sessionPragmas {
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p).Scan(&saved[i]); err != nil {
			return nil, r.openError(err)
		}
	}
	return saved, r.setup(ctx, conn)
}

// setup sets the run's settings on conn and reads the schema, which is
// what finds a file that is not a database.
func (r *Runner) setup(ctx context.Context, conn *sql.Conn) error {
	for _, stmt := range []string{
		fmt.Sprintf("PRAGMA busy_timeout = %d", r.busy.Milliseconds()),
		fmt.Sprintf("PRAGMA threads = %d", sorterThreads()),
	} {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return r.openError(err)
		}
	}
	var n int
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return r.openError(err)
	}
	return nil
}

// restore ends a transaction a failed run may have left open and puts the
// connection's settings back.
func restore(ctx context.Context, conn *sql.Conn, saved []int64) error {
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil && !strings.Contains(err.Error(), "no transaction is active") {
		return fmt.Errorf("ending the run's transaction: %w", err)
	}
	for i, p := range sessionPragmas {
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA %s = %d", p, saved[i])); err != nil {
			return fmt.Errorf("restoring PRAGMA %s: %w", p, err)
		}
	}
	return nil
}

// discard closes conn's driver connection instead of returning it to the
// pool: database/sql drops a connection whose Raw call reports it bad.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// databaseName is the main database's file, or ":memory:" for a database
// that has none.
func databaseName(ctx context.Context, conn *sql.Conn) string {
	rows, err := conn.QueryContext(ctx, "PRAGMA database_list")
	if err != nil {
		return "(unnamed)"
	}
	defer rows.Close()
	for rows.Next() {
		var seq int
		var name, file string
		if rows.Scan(&seq, &name, &file) == nil && name == "main" {
			if file == "" {
				return Memory
			}
			return file
		}
	}
	return "(unnamed)"
}

// Memory is the path that opens a private in-memory database.
const Memory = ":memory:"

// maxSorterThreads bounds the sorter's helper threads: each holds its own
// sort buffer (about 2 MiB at the default cache size), and past a few the
// disk, not the CPU, is what a large CREATE INDEX waits for.
const maxSorterThreads = 4

// sorterThreads is the number of helper threads SQLite may use to sort
// (PRAGMA threads). The default, none, leaves a rebuild's CREATE INDEX — more
// than half of rebuilding a large table — on one core.
func sorterThreads() int {
	return min(runtime.GOMAXPROCS(0), maxSorterThreads)
}

func (r *Runner) openError(err error) error { return openError(r.path, r.busy, err) }

func (r *Runner) busyError(err error) error { return busyError(r.path, r.busy, err) }

// openError says in one sentence why the database name cannot be used.
func openError(name string, busy time.Duration, err error) error {
	switch code(err) {
	case codeNotADB, codeCorrupt:
		return fmt.Errorf("database %s is not a SQLite database or is corrupt: %w", name, err)
	case codeBusy, codeLocked:
		return busyError(name, busy, err)
	}
	return fmt.Errorf("database %s cannot be opened: %w", name, err)
}

func busyError(name string, busy time.Duration, err error) error {
	return fmt.Errorf("database %s is locked by another connection: waited the busy timeout of %s for it and gave up; nothing was changed: %w", name, busy, err)
}
