package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/script"
)

// pgConfig is what a Runner on PostgreSQL needs beyond SQLite's settings;
// a Runner without one migrates SQLite.
type pgConfig struct {
	viaPgx bool // db's driver is pgx, which runs one statement in one round trip
	// The timeouts each revision's transaction sets with SET LOCAL; nil
	// leaves the server's (or the role's) setting in force.
	lockTimeout, statementTimeout *time.Duration
	schema                        string // current_schema(), where the version table lives; set per run
	key                           int64  // the run's advisory lock
	checkClient                   bool   // the server has client_connection_check_interval (PostgreSQL 14)
}

// clientCheckInterval is how often the server looks, during a long
// statement or lock wait of the runner's, whether the runner is still
// there: a runner killed in the middle of a revision would otherwise leave
// its statement running on, and the tables it locked and the migration
// lock held, until the statement ends.
const clientCheckInterval = time.Second

// watchClient sets client_connection_check_interval on conn (set is "SET"
// or "SET LOCAL"), where the server has it.
func (r *Runner) watchClient(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, set string) error {
	if !r.pg.checkClient {
		return nil
	}
	if _, err := q.ExecContext(ctx, fmt.Sprintf("%s client_connection_check_interval = %d", set, clientCheckInterval.Milliseconds())); err != nil {
		return fmt.Errorf("database %s: setting client_connection_check_interval: %w", r.path, err)
	}
	return nil
}

// WithPostgreSQL makes the runner speak PostgreSQL to db. It is only
// needed for a driver other than pgx's database/sql driver (such as
// lib/pq or bun's pgdriver): a *sql.DB opened through
// github.com/jackc/pgx/v5/stdlib is recognised by itself.
func WithPostgreSQL() Option {
	return func(r *Runner) {
		if r.pg == nil {
			r.pg = &pgConfig{}
		}
	}
}

// WithLockTimeout sets PostgreSQL's lock_timeout for each revision (SET
// LOCAL in its transaction): a statement that waits longer for a lock
// fails, and the revision rolls back, rather than queueing every other
// query on the table behind its ACCESS EXCLUSIVE lock. Zero means no
// limit; without this option the server's setting is left in force. It
// implies nothing on SQLite, where WithBusyTimeout bounds lock waits.
func WithLockTimeout(d time.Duration) Option {
	return func(r *Runner) { r.pgLock = &d }
}

// WithStatementTimeout sets PostgreSQL's statement_timeout for each
// revision's statements (SET LOCAL): a statement that runs longer is
// cancelled and the revision rolls back. Zero means no limit; without this
// option the server's setting is left in force.
func WithStatementTimeout(d time.Duration) Option {
	return func(r *Runner) { r.pgStatement = &d }
}

// postgresSetup decides the dialect once every option is applied.
func (r *Runner) postgresSetup() {
	if r.pg == nil && postgres.IsPgx(r.db) {
		r.pg = &pgConfig{}
	}
	if r.pg != nil {
		r.pg.viaPgx = postgres.IsPgx(r.db)
		r.pg.lockTimeout, r.pg.statementTimeout = r.pgLock, r.pgStatement
	}
}

// lockKey is the pg_advisory_lock key of runs on the version table
// schema.table: runs on one version table take turns, runs on the version
// tables of two schemas (two apps sharing a database) do not wait for each
// other.
func lockKey(schema, table string) int64 {
	h := fnv.New64a()
	h.Write([]byte("autogen migrate\x00" + schema + "\x00" + table))
	return int64(h.Sum64())
}

// pgSession runs fn on a connection of its own that, for a run that
// writes (lock), holds the advisory lock of the version table for the
// whole run, so that several processes starting at once migrate one after
// the other: each reads the version rows only once the one before it has
// committed. The connection is closed
// after a run that ran a revision, whatever the revisions set on it;
// otherwise it is unlocked and given back to the pool.
func (r *Runner) pgSession(ctx context.Context, lock bool, fn func(context.Context) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return pgOpenError(r.pgName(), err)
	}
	var db string
	var schema sql.NullString
	var version int
	if err := conn.QueryRowContext(ctx, "SELECT current_database(), current_schema(), current_setting('server_version_num')::int").Scan(&db, &schema, &version); err != nil {
		discard(conn)
		return pgOpenError(r.pgName(), err)
	}
	r.pg.checkClient = version >= 140000
	if r.path == "" {
		r.path = db
	}
	if !schema.Valid {
		discard(conn)
		return fmt.Errorf("database %s: no schema of the search_path exists, so there is nowhere to keep the version table %q; create the schema or set search_path", r.path, r.table)
	}
	r.pg.schema = schema.String
	if r.tableSchema != "" {
		if err := r.pgCheckSchema(ctx, conn); err != nil {
			discard(conn)
			return err
		}
		r.pg.schema = r.tableSchema
	}
	key := lockKey(r.pg.schema, r.table)
	r.pg.key = key
	r.conn, r.ran = conn, false
	if !lock {
		err = fn(ctx)
		r.conn = nil
		return errors.Join(err, conn.Close())
	}
	if err := r.watchClient(ctx, conn, "SET"); err != nil {
		discard(conn)
		return err
	}
	if err := r.advisoryLock(ctx, conn, key); err != nil {
		discard(conn)
		return err
	}
	err = fn(ctx)
	r.conn = nil
	if r.ran {
		discard(conn) // closing the session releases its lock
		return err
	}
	bg := context.WithoutCancel(ctx)
	var unlocked bool
	uerr := conn.QueryRowContext(bg, "SELECT pg_advisory_unlock($1)", key).Scan(&unlocked)
	if uerr == nil && unlocked && r.pg.checkClient {
		_, uerr = conn.ExecContext(bg, "RESET client_connection_check_interval")
	}
	if uerr != nil || !unlocked {
		discard(conn)
		return err
	}
	return errors.Join(err, conn.Close())
}

// pgName names the database in an error raised before the server said
// which it is.
func (r *Runner) pgName() string {
	if r.path != "" {
		return r.path
	}
	return "(PostgreSQL)"
}

// advisoryLock takes the run's lock, waiting for another run that holds
// it for as long as ctx allows; the wait is logged with the holder's
// process id, so that a deploy that seems stuck says what it waits for.
func (r *Runner) advisoryLock(ctx context.Context, conn *sql.Conn, key int64) error {
	var ok bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok); err != nil {
		return fmt.Errorf("database %s: taking the migration lock: %w", r.path, err)
	}
	if ok {
		return nil
	}
	var pid sql.NullInt64
	_ = conn.QueryRowContext(ctx, `SELECT pid FROM pg_catalog.pg_locks WHERE `+lockHolder, lockHalves(key)...).Scan(&pid)
	holder := "another session"
	if pid.Valid {
		holder = fmt.Sprintf("server process %d", pid.Int64)
	}
	r.logf("Waiting for another migration of %s (%s) to finish.", r.path, holder)
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return fmt.Errorf("database %s: waiting for another migration (%s) to release its lock: %w", r.path, holder, err)
	}
	return nil
}

// lockHolder selects, in pg_locks, the holder of the advisory lock whose
// key lockHalves gives: pg_locks shows a bigint key as its high and low
// halves.
const lockHolder = `locktype = 'advisory' AND granted
	AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
	AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`

func lockHalves(key int64) []any { return []any{int64(uint64(key) >> 32), int64(uint32(key))} }

// pgCheckLock makes sure the run still holds its lock after a revision: a
// revision calling pg_advisory_unlock_all() or DISCARD ALL would release
// it, and another run could then apply what this one is about to.
func (r *Runner) pgCheckLock(ctx context.Context, rev *script.Revision) error {
	var held bool
	err := r.conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks WHERE pid = pg_backend_pid() AND `+lockHolder+`)`,
		lockHalves(r.pg.key)...).Scan(&held)
	if err != nil {
		return fmt.Errorf("database %s: checking the migration lock: %w", r.path, err)
	}
	if !held {
		return fmt.Errorf("revision %s (%s) released the migration lock (pg_advisory_unlock, DISCARD ALL); it was applied, and the run stops there, as another run may now be migrating %s", rev.ID, rev.Path, r.path)
	}
	return nil
}

// pgCheckSchema makes sure WithVersionTableSchema's schema exists:
// autogen, as Alembic, does not create it.
func (r *Runner) pgCheckSchema(ctx context.Context, conn *sql.Conn) error {
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)`, r.tableSchema).Scan(&ok); err != nil {
		return pgOpenError(r.pgName(), err)
	}
	if !ok {
		return fmt.Errorf("database %s: schema %q (version_table_schema) does not exist; create it, or leave version_table_schema unset to keep the version table %q in the current schema", r.path, r.tableSchema, r.table)
	}
	return nil
}

// pgVersionTable is the version table, qualified with the schema the run
// found it (or creates it) in.
func (r *Runner) pgVersionTable() string {
	return sqltext.QuoteIdent(r.pg.schema) + "." + sqltext.QuoteIdent(r.table)
}

func (r *Runner) pgHasVersionTable(ctx context.Context, q queryer) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'))`, r.pg.schema, r.table).Scan(&ok)
	return ok, err
}

// queryer is a *sql.Conn or *sql.Tx.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// pgCurrent reads the version rows, sorted; none without a version table.
func (r *Runner) pgCurrent(ctx context.Context, q queryer) ([]string, error) {
	ok, err := r.pgHasVersionTable(ctx, q)
	if err != nil || !ok {
		return nil, r.pgReadError(err)
	}
	rows, err := q.QueryContext(ctx, "SELECT version_num FROM "+r.pgVersionTable())
	if err != nil {
		return nil, r.pgReadError(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, r.pgReadError(err)
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, r.pgReadError(rows.Err())
}

func (r *Runner) pgReadError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("database %s: reading version table %q: %w", r.path, r.table, err)
}

// pgEnsureVersionTable creates the contract's version table in the run's
// schema when it is missing.
func (r *Runner) pgEnsureVersionTable(ctx context.Context, q queryer) error {
	ok, err := r.pgHasVersionTable(ctx, q)
	if err != nil || ok {
		return r.pgReadError(err)
	}
	ddl := "CREATE TABLE " + r.pgVersionTable() + " (version_num VARCHAR(32) NOT NULL, CONSTRAINT " +
		sqltext.QuoteIdent(r.table+"_pkc") + " PRIMARY KEY (version_num))"
	if _, err := q.ExecContext(ctx, ddl); err != nil {
		return fmt.Errorf("database %s: creating version table %q: %w", r.path, r.table, err)
	}
	return nil
}

// pgMoveVersions applies a step's version-row changes, checking, as
// Alembic does, that each row it deletes is there.
func (r *Runner) pgMoveVersions(ctx context.Context, q queryer, del, ins []string, id string) error {
	t := r.pgVersionTable()
	for _, v := range del {
		res, err := q.ExecContext(ctx, "DELETE FROM "+t+" WHERE version_num = $1", v)
		if err != nil {
			return fmt.Errorf("revision %s: deleting version row %q: %w", id, v, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("revision %s: version table %q should hold exactly one row %q to delete, found %d", id, r.table, v, n)
		}
	}
	for _, v := range ins {
		if _, err := q.ExecContext(ctx, "INSERT INTO "+t+" (version_num) VALUES ($1)", v); err != nil {
			return fmt.Errorf("revision %s: inserting version row %q: %w", id, v, err)
		}
	}
	return nil
}
