package runner

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// revisionPragmas are the connection settings that change what a
// statement does, which every revision starts with at SQLite's default
// (off), whatever a revision before it or the application set: a revision
// behaves the same run by the CLI or on an application's pool.
// case_sensitive_like, which cannot be read back, is set off too.
var revisionPragmas = []string{
	"foreign_keys", // off: see inTx
	"legacy_alter_table",
	"ignore_check_constraints",
	"writable_schema",
	"recursive_triggers",
	"defer_foreign_keys",
	"query_only",
	"reverse_unordered_selects",
}

// spillKiB is how much changed data a revision's transaction keeps in
// memory, when another connection holds the file as it starts, before it
// writes any to the database file (see spillPolicy).
const spillKiB = 64 << 10

// isolate gives the revision about to run a connection in a known state:
// no state a revision before it set (PRAGMAs, TEMP objects) is left, nor
// anything ATTACHed. On a database with a file, each revision after the
// first runs on a new connection from the pool and every connection a
// revision ran on is closed, not given back (session): nothing a revision
// sets can outlive it, whether or not the runner knows of it. The first
// revision's connection may be one the application used, so it is reset
// as well. A database without a file has only its one connection: it is
// reset to the same state, and restored when the run ends, which covers
// revisionPragmas and TEMP objects, not settings beyond them.
//
// Opening a connection costs more than most revisions (SQLite reads the
// whole schema again), so a connection isolate opened is kept for the next
// revision when the revision that ran on it was stateless and none of the
// runner's in-place edits (which set PRAGMAs of their own) ran: nothing
// since the last reset can have changed the connection, apart from the
// settings inTx sets before every transaction, so reset is not repeated.
func (r *Runner) isolate(ctx context.Context) error {
	if r.reuse {
		r.reuse = false
		return nil
	}
	if r.ran && !r.memory {
		discard(r.conn)
		r.conn, r.own = nil, false
		conn, err := r.db.Conn(ctx)
		if err != nil {
			return r.openError(err)
		}
		r.conn = conn
		if err := r.setup(ctx, conn); err != nil {
			return err
		}
		r.own = true
	}
	r.ran = true
	if err := r.reset(ctx); err != nil {
		return fmt.Errorf("database %s: resetting the connection before a revision: %w", r.path, err)
	}
	return nil
}

// reset detaches what is attached, drops the TEMP objects not there before
// the run and sets revisionPragmas and case_sensitive_like off.
func (r *Runner) reset(ctx context.Context) error {
	if !r.memory {
		if err := detachAll(ctx, r.conn); err != nil {
			return err
		}
	}
	if err := dropTemp(ctx, r.conn, r.tempBefore); err != nil {
		return err
	}
	stmts := []string{"PRAGMA case_sensitive_like = OFF"}
	for _, p := range revisionPragmas {
		stmts = append(stmts, "PRAGMA "+p+" = OFF")
	}
	for _, s := range stmts {
		if _, err := r.conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// connState reports whether the database has no file, and the TEMP objects
// the connection holds, by "type name".
func connState(ctx context.Context, conn *sql.Conn) (memory bool, temp map[string]bool, err error) {
	var file string
	if err := conn.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
		return false, nil, err
	}
	objs, err := tempObjects(ctx, conn)
	if err != nil {
		return false, nil, err
	}
	temp = map[string]bool{}
	for _, o := range objs {
		temp[o.kind+" "+o.name] = true
	}
	return file == "", temp, nil
}

func tempObjects(ctx context.Context, conn *sql.Conn) ([]object, error) {
	rows, err := conn.QueryContext(ctx, `SELECT type, name FROM temp.sqlite_master
		WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		ORDER BY type = 'table', type = 'view'`)
	if err != nil {
		return nil, fmt.Errorf("listing TEMP objects: %w", err)
	}
	defer rows.Close()
	var out []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// dropTemp drops the TEMP triggers, views and tables (with their indexes)
// that keep does not list, triggers first.
func dropTemp(ctx context.Context, conn *sql.Conn, keep map[string]bool) error {
	objs, err := tempObjects(ctx, conn)
	if err != nil {
		return err
	}
	for _, o := range objs {
		if keep[o.kind+" "+o.name] {
			continue
		}
		stmt := fmt.Sprintf("DROP %s IF EXISTS temp.%s", o.kind, sqltext.QuoteIdent(o.name))
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", stmt, err)
		}
	}
	return nil
}

// detachAll detaches every database but main and temp.
func detachAll(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, "SELECT name FROM pragma_database_list WHERE name NOT IN ('main', 'temp')")
	if err != nil {
		return fmt.Errorf("listing attached databases: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := conn.ExecContext(ctx, "DETACH "+sqltext.QuoteIdent(n)); err != nil {
			return fmt.Errorf("DETACH %s: %w", n, err)
		}
	}
	return nil
}

// spillPolicy decides when the transaction about to start writes changed
// pages to the database file before COMMIT ("spills" its cache), which
// needs an EXCLUSIVE lock. While a reader holds the file that attempt
// fails, which is no error (the cache grows instead), but it leaves SQLite
// holding PENDING, which locks every new reader out until the transaction
// ends. So when another connection holds the file now (BEGIN EXCLUSIVE,
// tried without waiting, fails), spilling waits until spillKiB of changes
// are held: readers are locked out only while the revision commits. With
// nobody there, SQLite's default (spill past the cache size) keeps memory
// and time as they were; a reader that comes later is locked out from the
// first spill on, but never waited for before COMMIT. It leaves the busy
// timeout at 0.
func (r *Runner) spillPolicy(ctx context.Context) error {
	if err := r.setBusyTimeout(ctx, 0); err != nil {
		return err
	}
	var spill int
	_, err := r.conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
	switch {
	case err == nil:
		if err := r.exec(ctx, "ROLLBACK"); err != nil {
			return err
		}
		if spill, err = r.cacheSize(ctx); err != nil {
			return err
		}
	case isBusy(err):
		spill = -spillKiB
	default:
		return fmt.Errorf("database %s: BEGIN EXCLUSIVE: %w", r.path, err)
	}
	// A revision that may set cache_spill or cache_size gets a new
	// connection (stateless), so the value set last is still in force.
	if k := &r.known; k.conn == r.conn && k.spillSet && k.spill == spill {
		return nil
	}
	if err := r.exec(ctx, fmt.Sprintf("PRAGMA cache_spill = %d", spill)); err != nil {
		return err
	}
	if r.known.conn != r.conn {
		r.known = known{conn: r.conn}
	}
	r.known.spill, r.known.spillSet = spill, true
	return nil
}

// cacheSize is the connection's PRAGMA cache_size, read once per connection.
func (r *Runner) cacheSize(ctx context.Context) (int, error) {
	if r.known.conn == r.conn && r.known.cacheSize != 0 {
		return r.known.cacheSize, nil
	}
	var n int
	if err := r.conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
		return 0, fmt.Errorf("database %s: reading PRAGMA cache_size: %w", r.path, err)
	}
	if r.known.conn != r.conn {
		r.known = known{conn: r.conn}
	}
	r.known.cacheSize = n
	return n, nil
}

// stateWords are the words without which a statement cannot change its
// connection's state: PRAGMAs, TEMP objects (CREATE TEMP ..., or a name
// qualified with temp.) and attached databases. A statement holding one
// anywhere, even as a column name or in a string, counts as stateful.
var stateWords = []string{"PRAGMA", "TEMP", "TEMPORARY", "ATTACH", "DETACH"}

// stateless reports whether no statement of stmts can leave state on the
// connection it runs on, so the next revision may run on the same one
// (isolate). SQLite matches keywords in ASCII only, as EqualIdent does; a
// statement the tokenizer rejects counts as stateful.
func stateless(stmts []string) bool {
	for _, s := range stmts {
		toks, err := sqltext.Tokenize(s)
		if err != nil {
			return false
		}
		for _, t := range toks {
			if t.Kind == sqltext.TokenComment {
				continue
			}
			for _, w := range stateWords {
				if sqltext.EqualIdent(t.Value, w) {
					return false
				}
			}
		}
	}
	return true
}
