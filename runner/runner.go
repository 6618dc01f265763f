// Package runner applies revisions to a SQLite or PostgreSQL database and
// keeps Alembic's version table: one transaction per revision, SQL and
// version rows committing together (on SQLite, foreign-key enforcement off
// and checked before commit).
//
// An application migrates its own database at start-up from revisions
// compiled into it:
//
//	//go:embed migrations/versions
//	var files embed.FS
//
//	scripts, err := fs.Sub(files, "migrations") // the script directory
//	db, err := sql.Open("sqlite", "file:app.db")
//	r, err := runner.New(db, scripts)
//	steps, err := r.Upgrade(ctx, "head")
//
// The database must be opened with the modernc.org/sqlite driver ("sqlite"),
// on a file, or on a private in-memory database whose *sql.DB keeps a single
// connection (SetMaxOpenConns(1)): every connection to ":memory:" is a
// database of its own. A shared-cache database is not supported, as its
// table locks are not covered by the busy timeout. Several processes may
// upgrade the same file at once: each revision runs in a BEGIN IMMEDIATE
// transaction that re-reads the version table, so each is applied once.
//
// Each revision runs on a connection of its own, reset first, and a
// connection a revision ran on is closed rather than returned to db's pool,
// so that nothing a revision sets (PRAGMAs, TEMP objects) outlives it.
//
// # PostgreSQL
//
// A *sql.DB opened through pgx (github.com/jackc/pgx/v5/stdlib, or
// OpenPostgres) is recognised as PostgreSQL; another driver needs
// WithPostgreSQL. A run holds a session-level pg_advisory_lock, keyed by
// the version table's schema and name, on one connection for its whole
// length, so that instances of an application starting at once migrate one
// after the other and each revision is applied once; a run waiting for it
// logs the process it waits for, and waits as long as ctx allows. The
// version table lives in current_schema(). Each revision runs in one
// transaction with its version-row change, its statements split by
// postgres.SplitStatements and sent one per execution through the extended
// protocol, which refuses a string holding two; WithLockTimeout and
// WithStatementTimeout set lock_timeout and statement_timeout in it (SET
// LOCAL). A revision may not begin or end a transaction. Settings a
// revision makes on its session are reset (RESET ALL, DISCARD TEMP) before
// the next, and the connection is closed after the run. On PostgreSQL 14
// and later the run sets client_connection_check_interval, so that the
// server rolls back the revision of a runner that was killed, and frees
// its locks, within a second rather than when the statement ends.
//
// A revision file holding the line "-- +autogen no-transaction"
// (script.NoTransactionMarker) runs outside a transaction, for statements
// PostgreSQL refuses inside one (CREATE INDEX CONCURRENTLY, ALTER TYPE ...
// ADD VALUE before PostgreSQL 12, VACUUM): each statement commits on its
// own and the version rows move in a transaction after the last. When a
// statement fails, those before it stay applied and the version rows do
// not move, which the error says: write such revisions so that they can
// run again (IF NOT EXISTS), and keep one statement in each where you can.
package runner

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/autogen-dev/autogen/script"
)

// DefaultVersionTable is Alembic's version table name.
const DefaultVersionTable = script.DefaultVersionTable

// DefaultBusyTimeout is how long a run waits for another connection's lock
// before giving up.
const DefaultBusyTimeout = 30 * time.Second

// Runner migrates one database with the revisions of one script directory.
// Its methods may be called from several goroutines; runs on one Runner
// take turns.
type Runner struct {
	db    *sql.DB
	dir   *script.Dir
	path  string // the database as messages name it
	table string
	// tableSchema is WithVersionTableSchema's schema; "" means the
	// schema the run finds current.
	tableSchema string
	busy        time.Duration
	log         io.Writer
	logger      *slog.Logger
	// progress is WithProgress's function, or nil.
	progress func(Progress)

	mu     sync.Mutex // held for a run; conn is the run's connection
	conn   *sql.Conn
	header bool // whether Alembic's opening lines were logged
	// checked holds the tables PRAGMA quick_check passed in this run
	// (integrity.go), by folded name.
	checked map[string]bool
	// Set when a run starts: see isolate.
	memory     bool            // the database has no file, so conn cannot be replaced
	tempBefore map[string]bool // the TEMP objects conn held before the run
	ran        bool            // a revision's transaction has run on conn

	// pg is set for a PostgreSQL database (postgres.go); pgLock and
	// pgStatement hold WithLockTimeout's and WithStatementTimeout's values.
	pg                  *pgConfig
	pgLock, pgStatement *time.Duration
	// reuse says the next revision may run on conn: isolate opened it for
	// this run and the revisions that ran on it set nothing of the
	// connection's (see stateless).
	reuse bool
	own   bool // isolate opened conn for this run
	known known
}

// known is what the runner learnt on one connection and may trust while no
// other connection commits (PRAGMA data_version stays the same): the
// runner's own writes go through SQLite, as for the tables integrity.go
// checks once per run.
type known struct {
	conn         *sql.Conn
	dataVersion  int64
	schemaOK     bool // quick_check(sqlite_schema) and SQLite's tables passed
	versionTable bool // the version table exists
	cacheSize    int  // PRAGMA cache_size, 0 until read
	spill        int  // the PRAGMA cache_spill last set, when spillSet
	spillSet     bool
}

// New returns a runner for db with the revisions of the script directory
// scripts (a file system holding versions/, such as an embed.FS sub-tree or
// os.DirFS). It reads the revision files and checks their graph; it does
// not touch the database.
func New(db *sql.DB, scripts fs.FS, opts ...Option) (*Runner, error) {
	d, err := script.LoadFS(scripts)
	if err != nil {
		return nil, err
	}
	return FromDir(db, d, opts...), nil
}

// FromDir is New for a script directory already loaded.
func FromDir(db *sql.DB, d *script.Dir, opts ...Option) *Runner {
	r := &Runner{db: db, dir: d, table: DefaultVersionTable, busy: DefaultBusyTimeout, log: io.Discard}
	for _, o := range opts {
		o(r)
	}
	r.postgresSetup()
	return r
}

// Direction is the way a step moves the database.
type Direction int8

// The two directions.
const (
	Up   Direction = 1 // an upgrade
	Down Direction = 2 // a downgrade
)

func (d Direction) String() string {
	if d == Down {
		return "downgrade"
	}
	return "upgrade"
}

// Step is one revision applied in one direction.
type Step struct {
	Revision  string // the revision's id
	Message   string // its message
	File      string // its file, as the script directory names it
	Direction Direction
	// Duration is how long its transaction took, commit included; zero for
	// a step that was planned and not run.
	Duration time.Duration
}

func stepOf(st script.Step, d time.Duration) Step {
	dir := Up
	if !st.Up {
		dir = Down
	}
	return Step{Revision: st.Revision.ID, Message: st.Revision.Message, File: st.Revision.Path, Direction: dir, Duration: d}
}

// Upgrade applies revisions until the database reaches spec (any specifier
// the CLI takes: "head", "heads", an id or unique prefix, "+1",
// "branch@head", ...), each in its own BEGIN IMMEDIATE transaction that
// also moves the version rows, and returns the steps it ran, in order. A
// target below the database is refused, as Alembic does. Another process
// upgrading the same file at once is waited for, and what it applied is not
// applied again. On error, the steps returned are those committed before it.
func (r *Runner) Upgrade(ctx context.Context, spec string) ([]Step, error) {
	return r.migrate(ctx, spec, Up)
}

// Downgrade undoes revisions until the database is at spec ("base", "-1",
// an id, "branch@base", ...), one transaction per revision, and returns the
// steps it ran, in order.
func (r *Runner) Downgrade(ctx context.Context, spec string) ([]Step, error) {
	return r.migrate(ctx, spec, Down)
}

// Plan returns the steps that Upgrade (Up) or Downgrade (Down) to spec
// would run now, running none.
func (r *Runner) Plan(ctx context.Context, spec string, d Direction) ([]Step, error) {
	var out []Step
	err := r.read(ctx, func(ctx context.Context) error {
		current, target, err := r.target(ctx, spec, d)
		if err != nil {
			return err
		}
		steps, err := r.dir.Plan(current, target, d == Up)
		for _, st := range steps {
			out = append(out, stepOf(st, 0))
		}
		return err
	})
	return out, err
}

func (r *Runner) migrate(ctx context.Context, spec string, d Direction) ([]Step, error) {
	var out []Step
	err := r.run(ctx, func(ctx context.Context) error {
		r.logHeader()
		_, target, err := r.target(ctx, spec, d)
		if err != nil {
			return err
		}
		out, err = r.apply(ctx, target, d == Up)
		return err
	})
	return out, err
}

// target resolves spec against the database's version rows and refuses a
// target on the wrong side of them for the direction.
func (r *Runner) target(ctx context.Context, spec string, d Direction) (current, target []string, err error) {
	if current, err = r.readCurrent(ctx); err != nil {
		return nil, nil, err
	}
	if target, err = r.dir.Target(spec, current); err != nil {
		return nil, nil, err
	}
	if err := r.dir.CheckDirection(spec, current, target, d == Up); err != nil {
		return nil, nil, err
	}
	return current, target, nil
}

// Current returns the version rows, sorted; none when the database has no
// version table.
func (r *Runner) Current(ctx context.Context) ([]string, error) {
	var out []string
	err := r.read(ctx, func(ctx context.Context) (err error) {
		out, err = r.readCurrent(ctx)
		return err
	})
	return out, err
}

func (r *Runner) readCurrent(ctx context.Context) ([]string, error) {
	if r.pg != nil {
		return r.pgCurrent(ctx, r.conn)
	}
	v, err := r.current(ctx)
	if err != nil {
		if c := code(err); c == codeBusy || c == codeLocked {
			return nil, r.busyError(err)
		}
		return nil, fmt.Errorf("database %s: reading version table %q: %w", r.path, r.table, err)
	}
	return v, nil
}

func (r *Runner) hasVersionTable(ctx context.Context) (bool, error) {
	if r.known.versionTable && r.known.conn == r.conn {
		return true, nil
	}
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
	slices.Sort(out)
	return out, rows.Err()
}

// logPrefix starts every line the runner logs, as Alembic's migration
// context logs it.
const logPrefix = "INFO  [alembic.runtime.migration] "

func (r *Runner) logf(format string, args ...any) {
	fmt.Fprintf(r.log, logPrefix+format+"\n", args...)
}

// warnPrefix starts a warning, as Python's logging writes WARNING in
// Alembic's five-letter level column.
const warnPrefix = "WARNI [alembic.runtime.migration] "

// warn logs a warning on the log and, at slog.LevelWarn, on the slog
// logger.
func (r *Runner) warn(ctx context.Context, msg string) {
	fmt.Fprintln(r.log, warnPrefix+msg)
	if r.logger != nil {
		r.logger.LogAttrs(ctx, slog.LevelWarn, msg)
	}
}

// logStep records a committed step on the slog logger.
func (r *Runner) logStep(ctx context.Context, s Step) {
	if r.logger == nil {
		return
	}
	r.logger.LogAttrs(ctx, slog.LevelInfo, "migrated",
		slog.String("revision", s.Revision), slog.String("direction", s.Direction.String()),
		slog.String("message", s.Message), slog.String("file", s.File), slog.Duration("duration", s.Duration))
}

// logHeader writes Alembic's opening lines, once per runner.
func (r *Runner) logHeader() {
	if r.header {
		return
	}
	r.header = true
	if r.pg != nil {
		r.logf("Context impl PostgresqlImpl.")
		r.logf("Will assume transactional DDL.")
		return
	}
	r.logf("Context impl SQLiteImpl.")
	r.logf("Will assume transactional DDL.")
}

// LogHeader writes the lines Alembic logs before an offline (--sql) run.
func LogHeader(w io.Writer) { logHeader(w, false) }

func logHeader(w io.Writer, pg bool) {
	if pg {
		fmt.Fprintln(w, logPrefix+"Context impl PostgresqlImpl.")
		fmt.Fprintln(w, logPrefix+"Generating static SQL")
		fmt.Fprintln(w, logPrefix+"Will assume transactional DDL.")
		return
	}
	fmt.Fprintln(w, logPrefix+"Context impl SQLiteImpl.")
	fmt.Fprintln(w, logPrefix+"Generating static SQL")
	fmt.Fprintln(w, logPrefix+"Will assume transactional DDL.")
}
