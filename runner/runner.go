// Package runner applies revisions to a SQLite database and keeps Alembic's
// version table: one transaction per revision, SQL and version rows
// committing together, foreign-key enforcement off and checked before commit.
package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"golang.org/x/sys/unix"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/autogen-dev/autogen/internal/filemode"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// DefaultVersionTable is Alembic's version table name.
const DefaultVersionTable = "alembic_version"

// DefaultBusyTimeout is how long a command waits for another connection's
// lock before giving up.
const DefaultBusyTimeout = 30 * time.Second

// Memory is the path that opens a private in-memory database.
const Memory = ":memory:"

// Options configure Open.
type Options struct {
	VersionTable string        // default alembic_version
	BusyTimeout  time.Duration // default 30s
	Log          io.Writer     // Alembic-style INFO lines; nil discards them
	// ReadOnly opens for commands that only read (current): a missing file is
	// not created and reads as having no version.
	ReadOnly bool
}

// Planner plans the steps that take the current heads to a target; it is
// what the runner needs of a *script.Dir.
type Planner interface {
	Plan(current, target []string, up bool) ([]script.Step, error)
}

// Runner holds one dedicated connection to a database file, so that the
// pragmas it sets stay in force for every statement it runs.
type Runner struct {
	path    string
	table   string
	busy    time.Duration
	log     io.Writer
	db      *sql.DB   // nil when a ReadOnly open found no file
	conn    *sql.Conn // the one connection every statement runs on
	missing bool
}

// Open opens the SQLite database at path, checking before any work that it is
// a database and, unless opts.ReadOnly, that it and its folder are writable.
func Open(ctx context.Context, path string, opts Options) (*Runner, error) {
	r := &Runner{path: path, table: opts.VersionTable, busy: opts.BusyTimeout, log: opts.Log}
	if r.table == "" {
		r.table = DefaultVersionTable
	}
	if r.busy <= 0 {
		r.busy = DefaultBusyTimeout
	}
	if r.log == nil {
		r.log = io.Discard
	}
	if path == Memory {
		// A private in-memory database: no file to check, and the runner's
		// one connection keeps it alive until Close.
		if err := r.connectDSN(ctx, ":memory:?"+r.dsnQuery("rwc")); err != nil {
			return nil, err
		}
		r.logHeader()
		return r, nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	exists, err := checkPath(abs, path, !opts.ReadOnly)
	if err != nil {
		return nil, err
	}
	if !exists && opts.ReadOnly {
		r.missing = true
		r.logHeader()
		return r, nil
	}
	if err := r.connect(ctx, abs, opts.ReadOnly); err != nil {
		return nil, err
	}
	if !opts.ReadOnly {
		if err := r.quickCheck(ctx); err != nil {
			r.Close()
			return nil, err
		}
	}
	r.logHeader()
	return r, nil
}

// quickCheck refuses to write into a damaged file: SQLite notices corrupt
// pages only when it touches them, which a migration may do halfway.
func (r *Runner) quickCheck(ctx context.Context) error {
	var res string
	if err := r.conn.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res); err != nil {
		return r.openError(err)
	}
	if res != "ok" {
		return fmt.Errorf("database %s is corrupt (%s); nothing was changed", r.path, schema.FirstLine(res))
	}
	return nil
}

// checkPath reports whether the file exists, and fails with one sentence
// naming the file when its folder is missing or, for writing, when the file
// or its folder (where SQLite puts its journal) is not writable.
func checkPath(abs, shown string, write bool) (bool, error) {
	dir := filepath.Dir(abs)
	di, err := os.Stat(dir)
	if err == nil && !di.IsDir() {
		return false, fmt.Errorf("database %s: %s is a file, not a folder", shown, dir)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("database %s: folder %s does not exist", shown, dir)
	}
	if err != nil {
		return false, fmt.Errorf("database %s: folder %s: %w", shown, dir, err)
	}
	fi, err := os.Stat(abs)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("database %s: %w", shown, err)
	}
	if exists && fi.IsDir() {
		return false, fmt.Errorf("database %s is a folder, not a SQLite database file", shown)
	}
	// A FIFO would block and a device would fail with a bare "disk I/O
	// error"; SQLite needs a regular file.
	if exists && !fi.Mode().IsRegular() {
		return false, fmt.Errorf("database %s is not a regular file (it is %s)", shown, filemode.Kind(fi.Mode()))
	}
	if !write {
		return exists, nil
	}
	if exists && !writable(abs, fi.Mode()) {
		return false, fmt.Errorf("database %s is read-only; migrating needs write access to it", shown)
	}
	if !writable(dir, di.Mode()) {
		return false, fmt.Errorf("database %s: folder %s is read-only; SQLite needs to write its journal there", shown, dir)
	}
	return exists, nil
}

// canWrite reports whether path exists and may be written.
func canWrite(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && writable(path, fi.Mode())
}

// writable asks the kernel, and treats a file with no write bit as read-only
// even for root, who the kernel would let write anyway: the user meant it.
func writable(path string, mode fs.FileMode) bool {
	if mode.Perm()&0o222 == 0 {
		return false
	}
	return unix.Access(path, unix.W_OK) == nil
}

func (r *Runner) connect(ctx context.Context, abs string, readOnly bool) error {
	mode := "rwc"
	if readOnly {
		// A hot journal left by a killed process can only be rolled back by
		// a connection that may write; read-only commands use one whenever
		// the file allows it, so that they see the restored database.
		mode = "ro"
		if canWrite(abs) && canWrite(filepath.Dir(abs)) {
			mode = "rw"
		}
	}
	return r.connectDSN(ctx, "file:"+(&url.URL{Path: abs}).EscapedPath()+"?"+r.dsnQuery(mode))
}

// dsnQuery is the DSN's query: the open mode and the pragmas every
// connection of the runner needs.
func (r *Runner) dsnQuery(mode string) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", r.busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(0)")
	q.Add("_pragma", fmt.Sprintf("threads(%d)", sorterThreads()))
	return q.Encode()
}

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

func (r *Runner) connectDSN(ctx context.Context, dsn string) error {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("database %s: %w", r.path, err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err == nil {
		// Reading the schema is what finds a file that is not a database.
		var n int
		err = conn.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n)
		if err != nil {
			conn.Close()
		}
	}
	if err != nil {
		db.Close()
		return r.openError(err)
	}
	r.db, r.conn = db, conn
	return nil
}

func (r *Runner) openError(err error) error {
	switch code(err) {
	case codeNotADB, codeCorrupt:
		return fmt.Errorf("database %s is not a SQLite database or is corrupt: %w", r.path, err)
	case codeBusy, codeLocked:
		return r.busyError(err)
	}
	return fmt.Errorf("database %s cannot be opened: %w", r.path, err)
}

func (r *Runner) busyError(err error) error {
	return fmt.Errorf("database %s is locked by another connection and stayed locked for the busy timeout of %s; nothing was changed: %w", r.path, r.busy, err)
}

// Close releases the connection.
func (r *Runner) Close() error {
	if r.db == nil {
		return nil
	}
	err := r.conn.Close()
	if cerr := r.db.Close(); err == nil {
		err = cerr
	}
	return err
}

// Path is the database file the runner was opened on.
func (r *Runner) Path() string { return r.path }

// logPrefix starts every line the runner logs, as Alembic's migration
// context logs it.
const logPrefix = "INFO  [alembic.runtime.migration] "

func (r *Runner) logf(format string, args ...any) {
	fmt.Fprintf(r.log, logPrefix+format+"\n", args...)
}

func (r *Runner) logHeader() {
	r.logf("Context impl SQLiteImpl.")
	r.logf("Will assume transactional DDL.")
}

// LogHeader writes the lines Alembic logs before an offline (--sql) run.
func LogHeader(w io.Writer) {
	fmt.Fprintln(w, logPrefix+"Context impl SQLiteImpl.")
	fmt.Fprintln(w, logPrefix+"Generating static SQL")
	fmt.Fprintln(w, logPrefix+"Will assume transactional DDL.")
}

// Current returns the version rows, sorted; none when the database has no
// version table (or, opened ReadOnly, does not exist).
func (r *Runner) Current(ctx context.Context) ([]string, error) {
	if r.missing {
		return nil, nil
	}
	v, err := r.current(ctx)
	if err != nil {
		if code(err) == codeBusy || code(err) == codeLocked {
			return nil, r.busyError(err)
		}
		return nil, fmt.Errorf("database %s: reading version table %q: %w", r.path, r.table, err)
	}
	return v, nil
}

func (r *Runner) hasVersionTable(ctx context.Context) (bool, error) {
	var n int
	err := r.conn.QueryRowContext(ctx,
		"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", r.table).Scan(&n)
	return n > 0, err
}

func (r *Runner) current(ctx context.Context) ([]string, error) {
	ok, err := r.hasVersionTable(ctx)
	if err != nil || !ok {
		return nil, err
	}
	rows, err := r.conn.QueryContext(ctx, "SELECT version_num FROM "+quoteIdent(r.table))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	sort.Strings(out)
	return out, rows.Err()
}
