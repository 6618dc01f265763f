package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/autogen-dev/autogen/schema"
)

// TargetOptions says what Target's result is named after.
type TargetOptions struct {
	// Schema is the live schema the statements are meant for, which the
	// result is named after; "" means db's current_schema().
	Schema string
}

// StatementError is a statement Target refused or the server rejected.
type StatementError struct {
	Index int    // 1-based position in the list
	SQL   string // the statement
	Err   error
}

func (e *StatementError) Error() string {
	return fmt.Sprintf("statement %d of the models' schema (%s) %s", e.Index, abbrev(e.SQL), reason(e.Err))
}

func (e *StatementError) Unwrap() error { return e.Err }

// reason words an error as the end of a sentence: the server's message
// without its "ERROR:" and SQLSTATE decoration, else the error's text
// (autogen's own sentences).
func reason(err error) string {
	if pg, ok := err.(*pgconn.PgError); ok {
		msg := "fails: " + pg.Message
		if pg.Hint != "" {
			msg += " (hint: " + pg.Hint + ")"
		}
		return msg
	}
	return err.Error()
}

// abbrev is a statement's first line, shortened, for a message.
func abbrev(stmt string) string {
	line := strings.TrimSpace(stmt)
	line, _, cut := strings.Cut(line, "\n")
	if r := []rune(line); len(r) > 60 {
		line, cut = string(r[:57]), true
	}
	if cut {
		line += "..."
	}
	return line
}

// Target returns the schema stmts create, built in a scratch schema of db
// and inspected by Inspect, as the live schema is. Everything happens in
// one transaction that is rolled back, so nothing of it outlives the call,
// even when the process dies; the live schema is never used as scratch
// space:
//   - each statement must be one CREATE, ALTER, COMMENT ON, GRANT or
//     REVOKE that names no other schema, and runs alone through the
//     extended protocol, so no second statement rides along; the one DO
//     block taken is the idiom that creates a type once whichever hook
//     runs first (BEGIN one statement; EXCEPTION WHEN duplicate_object THEN
//     null; END), whose statement is checked and run as any other;
//   - the search_path holds the scratch schema, then the schemas of
//     installed extensions (their types and functions resolve);
//   - a lock the transaction holds on a table outside the scratch schema
//     (other than a share lock for reading) fails the build: looked for
//     after each statement that acts on an object by name, and at the end;
//   - lock_timeout is 2 s: scratch objects are the transaction's own, so a
//     wait means a statement reached for someone else's.
//
// db may be the live database or a dev database (Atlas's name for one kept
// for this). The role needs CREATE on the database to make the scratch
// schema.
func Target(ctx context.Context, db *sql.DB, stmts []string, opts TargetOptions) (*schema.Schema, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("target schema: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // rolling back is the point
	b := &builder{tx: tx, pgx: isPgx(db)}
	if err := b.start(ctx); err != nil {
		return nil, err
	}
	for i, stmt := range stmts {
		run, text := b.run, stmt
		if inner, ok := createOnce(stmt); ok {
			run, text = b.runOnce, inner
		}
		if err := run(ctx, text); err != nil {
			return nil, &StatementError{Index: i + 1, SQL: stmt, Err: err}
		}
	}
	if err := b.checkLocks(ctx); err != nil {
		return nil, fmt.Errorf("target schema: a statement %w", err)
	}
	s, err := InspectTx(ctx, tx, InspectOptions{Schema: b.scratch})
	if err != nil {
		return nil, fmt.Errorf("target schema: %w", err)
	}
	s.Name = opts.Schema
	if s.Name == "" {
		s.Name = b.live
	}
	return s, nil
}

// builder is one run of Target.
type builder struct {
	tx      *sql.Tx
	pgx     bool
	scratch string          // the scratch schema's name
	live    string          // current_schema() before the scratch one
	schemas map[string]bool // every schema of the database
	// reachable are the names of the tables, views and sequences of the
	// other schemas on the search_path (those of extensions), which an
	// unqualified name reaches when the scratch schema has no such
	// relation; scratch are those of them known to resolve to the scratch
	// schema now.
	reachable, scratchNames map[string]bool
}

// start makes the scratch schema and sets the transaction up to build in it.
func (b *builder) start(ctx context.Context) error {
	var random [6]byte
	if _, err := rand.Read(random[:]); err != nil {
		return err
	}
	b.scratch = "autogen_scratch_" + hex.EncodeToString(random[:])
	var names string
	err := b.tx.QueryRowContext(ctx, `SELECT coalesce(current_schema(), ''), json_agg(nspname)::text FROM pg_namespace`).Scan(&b.live, &names)
	if err != nil {
		return fmt.Errorf("target schema: %w", err)
	}
	var list []string
	if err := json.Unmarshal([]byte(names), &list); err != nil {
		return fmt.Errorf("target schema: %w", err)
	}
	b.schemas = map[string]bool{}
	for _, n := range list {
		b.schemas[n] = true
	}
	if _, err := b.tx.ExecContext(ctx, `CREATE SCHEMA `+quoteIdent(b.scratch)); err != nil {
		return fmt.Errorf("target schema: cannot create a scratch schema (%s); grant the role CREATE on the database, or set dev_url to a database where it may", reason(err))
	}
	for _, q := range []string{setPathQuery, `SELECT set_config('lock_timeout', '2s', true)`,
		`SELECT set_config('standard_conforming_strings', 'on', true)`} {
		args := []any{b.scratch}
		if !strings.Contains(q, "$1") {
			args = nil
		}
		if _, err := b.tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("target schema: %w", err)
		}
	}
	var reachable string
	err = b.tx.QueryRowContext(ctx, `SELECT coalesce(json_agg(c.relname), '[]')::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY (current_schemas(false)) AND n.nspname <> $1`, b.scratch).Scan(&reachable)
	if err != nil {
		return fmt.Errorf("target schema: %w", err)
	}
	b.reachable, b.scratchNames = map[string]bool{}, map[string]bool{}
	var relations []string
	if err := json.Unmarshal([]byte(reachable), &relations); err != nil {
		return fmt.Errorf("target schema: %w", err)
	}
	for _, n := range relations {
		b.reachable[n] = true
	}
	return nil
}

// run checks and runs one statement. Only a name that the statement holds
// and that names a relation of another schema on the search_path can reach
// outside the scratch schema; when one does not resolve to the scratch
// schema once the statement has run, the transaction's locks are looked at
// right away, so that a live table it reached is let go at once. Reading
// pg_locks copies the whole lock table: after every statement of a
// thousand tables it cost more than building them. The locks are looked at
// once more at the end.
func (b *builder) run(ctx context.Context, stmt string) error {
	toks, err := checkTarget(stmt, b.schemas, b.scratch)
	if err != nil {
		return err
	}
	if err := execOne(ctx, b.tx, b.pgx, stmt); err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "55P03" { // lock_not_available
			return errors.New("waited 2 s (lock_timeout) for a lock another session holds, so it reaches beyond the scratch schema")
		}
		return err
	}
	var names []string
	for _, t := range toks {
		if (t.Kind == TokenIdent || t.Kind == TokenQuotedIdent) && b.reachable[t.Value] && !b.scratchNames[t.Value] {
			names = append(names, t.Value)
		}
	}
	if len(names) == 0 {
		return nil
	}
	list, err := json.Marshal(names)
	if err != nil {
		return err
	}
	var outside bool
	err = b.tx.QueryRowContext(ctx, `SELECT coalesce(json_agg(x), '[]')::text, bool_or(n.nspname <> $2) FROM json_array_elements_text($1::json) x
JOIN pg_class c ON c.oid = to_regclass(quote_ident(x))
JOIN pg_namespace n ON n.oid = c.relnamespace`, string(list), b.scratch).Scan(new(string), &outside)
	if err != nil {
		return fmt.Errorf("resolve its names: %w", err)
	}
	if !outside {
		for _, n := range names {
			b.scratchNames[n] = true
		}
		return nil
	}
	return b.checkLocks(ctx)
}

// checkLocks fails when the transaction holds a lock stronger than a
// reader's on a table outside the scratch schema.
func (b *builder) checkLocks(ctx context.Context) error {
	var where string
	err := b.tx.QueryRowContext(ctx, `SELECT coalesce(min(quote_ident(n.nspname) || '.' || quote_ident(c.relname) || ' (' || l.mode || ')'), '')
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.mode <> 'AccessShareLock'
	AND n.nspname NOT IN ($1, 'pg_catalog', 'pg_toast') AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'`,
		b.scratch).Scan(&where)
	if err != nil {
		return fmt.Errorf("check its locks: %w", err)
	}
	if where != "" {
		return fmt.Errorf("reaches %s outside the scratch schema; leave names unqualified and create only the models' own objects", where)
	}
	return nil
}

// quoteIdent double-quotes a name.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
