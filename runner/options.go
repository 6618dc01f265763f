package runner

import (
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Option configures a Runner.
type Option func(*Runner)

// WithVersionTable names the version table (default alembic_version).
func WithVersionTable(name string) Option {
	return func(r *Runner) {
		if name != "" {
			r.table = name
		}
	}
}

// WithVersionTableSchema keeps the version table in schema rather than in
// the current schema of the connection (Alembic's version_table_schema),
// on PostgreSQL; the schema must exist. A SQLite run refuses it: a SQLite
// database has one schema.
func WithVersionTableSchema(schema string) Option {
	return func(r *Runner) { r.tableSchema = schema }
}

// oneSchema is the error of a SQLite run or script given a version table
// schema.
func oneSchema(schema string) error {
	return fmt.Errorf("version table schema %q: a SQLite database has one schema; version_table_schema is for PostgreSQL", schema)
}

// WithBusyTimeout sets how long a run on SQLite waits for another
// connection's lock (default 30s); the connection's own busy timeout is
// restored after the run. On PostgreSQL see WithLockTimeout.
func WithBusyTimeout(d time.Duration) Option {
	return func(r *Runner) {
		if d > 0 {
			r.busy = d
		}
	}
}

// WithLog writes Alembic's INFO lines ("Running upgrade A -> B, message")
// to w.
func WithLog(w io.Writer) Option {
	return func(r *Runner) {
		if w != nil {
			r.log = w
		}
	}
}

// WithLogger logs each step on l at level Info once it is committed
// ("migrated", with its revision, direction, message, file and duration).
func WithLogger(l *slog.Logger) Option {
	return func(r *Runner) { r.logger = l }
}

// WithName is how messages name the database (default: its file, from
// PRAGMA database_list).
func WithName(name string) Option {
	return func(r *Runner) { r.path = name }
}
