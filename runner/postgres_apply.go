package runner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/script"
)

// run is session on SQLite and pgSession on PostgreSQL, for a run that
// writes.
func (r *Runner) run(ctx context.Context, fn func(context.Context) error) error {
	if r.pg != nil {
		return r.pgSession(ctx, true, fn)
	}
	return r.session(ctx, fn)
}

// read is run for a run that only reads: on PostgreSQL it does not wait
// for a migration in progress, and sees the version rows it last
// committed.
func (r *Runner) read(ctx context.Context, fn func(context.Context) error) error {
	if r.pg != nil {
		return r.pgSession(ctx, false, fn)
	}
	return r.session(ctx, fn)
}

// pgMigrateOne plans from the version rows and applies the first step: in
// one transaction with its version rows, or statement by statement for a
// revision marked no-transaction. The advisory lock pgSession holds keeps
// other runs from moving the rows in between.
func (r *Runner) pgMigrateOne(ctx context.Context, p *plan) (*script.Step, error) {
	heads, err := r.pgCurrent(ctx, r.conn)
	if err != nil {
		return nil, err
	}
	st, err := p.next(heads)
	if err != nil || st == nil {
		return nil, err
	}
	if r.ran {
		if err := r.pgResetSession(ctx); err != nil {
			return nil, err
		}
	}
	r.ran = true
	r.logf("%s", withMessage(runningLine(*st), st.Revision))
	if st.Revision.NoTransaction {
		err = r.pgApplyNoTx(ctx, *st, heads)
	} else {
		err = r.pgApplyTx(ctx, *st, heads)
	}
	if err != nil {
		return nil, err
	}
	return st, r.pgCheckLock(ctx, st.Revision)
}

// pgResetSession puts the connection's settings back to the session's
// defaults and drops its temporary tables between two revisions, so that
// what one revision SET (a search_path, a role) does not carry into the
// next as it would not in another run.
func (r *Runner) pgResetSession(ctx context.Context) error {
	for _, stmt := range []string{"RESET ALL", "DISCARD TEMP"} {
		if _, err := r.conn.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("database %s: %s between revisions: %w", r.path, stmt, err)
		}
	}
	return nil
}

// pgTx runs fn in a transaction on the run's connection with the
// configured timeouts, committing when fn succeeds; on failure the
// transaction is rolled back and the error says where the database was
// left (heads).
func (r *Runner) pgTx(ctx context.Context, heads []string, fn func(queryer) error) error {
	tx, err := r.conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("database %s: %w: %w", r.path, errBegin, err)
	}
	err = r.pgTimeouts(ctx, tx, "SET LOCAL")
	if err == nil {
		err = fn(tx)
	}
	if err == nil {
		if err = tx.Commit(); err != nil {
			err = fmt.Errorf("database %s: COMMIT failed: %w", r.path, err)
		}
	}
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("%w; rolled back, database %s is still at %s", err, r.path, describeHeads(heads))
	}
	return nil
}

// pgTimeouts sets lock_timeout and statement_timeout as configured, and
// the client check (watchClient), with set being "SET LOCAL" (for the
// transaction) or "SET" (for the session).
func (r *Runner) pgTimeouts(ctx context.Context, q queryer, set string) error {
	if err := r.watchClient(ctx, q, set); err != nil {
		return err
	}
	for _, t := range []struct {
		name string
		d    *time.Duration
	}{{"lock_timeout", r.pg.lockTimeout}, {"statement_timeout", r.pg.statementTimeout}} {
		if t.d == nil {
			continue
		}
		ms := t.d.Milliseconds()
		if ms == 0 && *t.d > 0 {
			ms = 1 // below a millisecond is not "no limit"
		}
		if _, err := q.ExecContext(ctx, fmt.Sprintf("%s %s = %d", set, t.name, ms)); err != nil {
			return fmt.Errorf("database %s: setting %s: %w", r.path, t.name, err)
		}
	}
	return nil
}

// pgApplyTx runs a revision and its version-row change in one transaction.
func (r *Runner) pgApplyTx(ctx context.Context, st script.Step, heads []string) error {
	return r.pgTx(ctx, heads, func(tx queryer) error {
		if err := r.pgEnsureVersionTable(ctx, tx); err != nil {
			return err
		}
		if _, err := r.pgStatements(ctx, tx, st); err != nil {
			return err
		}
		return r.pgMoveVersions(ctx, tx, st.Delete, st.Insert, st.Revision.ID)
	})
}

// pgApplyNoTx runs a revision marked no-transaction: each statement on its
// own (CREATE INDEX CONCURRENTLY refuses to run in a transaction block),
// then the version rows in a transaction of their own. A statement that
// fails leaves those before it applied, which the error says.
func (r *Runner) pgApplyNoTx(ctx context.Context, st script.Step, heads []string) error {
	if err := r.pgEnsureVersionTable(ctx, r.conn); err != nil {
		return err
	}
	if err := r.pgTimeouts(ctx, r.conn, "SET"); err != nil {
		return err
	}
	n, err := r.pgStatements(ctx, r.conn, st)
	if err != nil {
		return fmt.Errorf("%w; the revision is marked %q, so the %d statement(s) before this one stay applied and database %s is still at %s: make the revision safe to run again (IF NOT EXISTS; drop an INVALID index a failed CREATE INDEX CONCURRENTLY left) and rerun",
			err, script.NoTransactionMarker, n, r.path, describeHeads(heads))
	}
	if _, err := r.conn.ExecContext(ctx, "RESET ALL"); err != nil {
		return fmt.Errorf("database %s: RESET ALL: %w", r.path, err)
	}
	err = r.pgTx(ctx, heads, func(tx queryer) error {
		return r.pgMoveVersions(ctx, tx, st.Delete, st.Insert, st.Revision.ID)
	})
	if err != nil {
		return fmt.Errorf("revision %s ran all its statements, outside a transaction, but its version rows were not written: %w", st.Revision.ID, err)
	}
	return nil
}

// pgStatements runs the step's statements one per execution and returns
// how many succeeded.
func (r *Runner) pgStatements(ctx context.Context, q queryer, st script.Step) (int, error) {
	rev := st.Revision
	_, body, stmts, err := pgSection(st)
	if err != nil {
		return 0, err
	}
	lines := statementLines(body, stmts)
	for i, stmt := range stmts {
		where := func(extra int) string { return stmtLocation(rev, st.Up, lines[i]+extra) }
		if pgTxControl(stmt) {
			return i, fmt.Errorf("revision %s (%s) contains the statement %q; the runner wraps each revision in its own transaction, so revisions must not begin or end one (mark the revision %q to run it outside one)", rev.ID, where(0), firstLine(stmt), script.NoTransactionMarker)
		}
		if err := postgres.ExecOne(ctx, q, r.pg.viaPgx, stmt); err != nil {
			return i, fmt.Errorf("revision %s (%s) failed at the statement %q: %w%s", rev.ID, where(errorLine(stmt, err)), firstLine(stmt), err, r.pgHint(err))
		}
	}
	return len(stmts), nil
}

// pgSection is the step's section of its revision ("upgrade" or
// "downgrade"), its SQL, and that split into statements.
func pgSection(st script.Step) (verb, body string, stmts []string, err error) {
	rev := st.Revision
	verb, body = "upgrade", rev.Upgrade
	if !st.Up {
		verb, body = "downgrade", rev.Downgrade
	}
	if stmts, err = postgres.SplitStatements(body); err != nil {
		return "", "", nil, fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
	}
	return verb, body, stmts, nil
}

// statementLines is, for each statement (substrings of body, in order),
// how many lines into body it starts.
func statementLines(body string, stmts []string) []int {
	out := make([]int, len(stmts))
	pos := 0
	for i, s := range stmts {
		off := pos
		if j := strings.Index(body[pos:], s); j >= 0 {
			off, pos = pos+j, pos+j+len(s)
		}
		out[i] = strings.Count(body[:off], "\n")
	}
	return out
}

// errorLine is how many lines into stmt the server's error points
// (PostgreSQL's error position counts characters from 1), 0 when it points
// nowhere.
func errorLine(stmt string, err error) int {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Position <= 0 {
		return 0
	}
	n := int(pe.Position) - 1
	for i := range stmt {
		if n == 0 {
			return strings.Count(stmt[:i], "\n")
		}
		n--
	}
	return 0
}

// pgHint explains the server errors a migration meets most.
func (r *Runner) pgHint(err error) string {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return ""
	}
	switch pe.Code {
	case "55P03":
		if r.pg.lockTimeout != nil {
			return fmt.Sprintf(" (another session held a lock the statement needed for longer than lock_timeout, %s)", *r.pg.lockTimeout)
		}
	case "57014":
		if r.pg.statementTimeout != nil {
			return fmt.Sprintf(" (the statement ran longer than statement_timeout, %s)", *r.pg.statementTimeout)
		}
	case "25001":
		return fmt.Sprintf(" (mark the revision with a line %q to run its statements outside a transaction)", script.NoTransactionMarker)
	}
	return ""
}

// pgTxControl reports statements that would end or nest the runner's
// transaction; ROLLBACK TO a savepoint does not.
func pgTxControl(stmt string) bool {
	w := firstWord(stmt)
	if isTxControl(stmt, w) {
		return true
	}
	switch w {
	case "START", "ABORT":
		return true
	case "PREPARE":
		f := strings.Fields(sqltext.UpperASCII(stmt))
		return len(f) > 1 && strings.HasPrefix(f[1], "TRANSACTION")
	}
	return false
}

// pgStamp sets the version rows in one transaction.
func (r *Runner) pgStamp(ctx context.Context, target []string, purge bool) error {
	heads, err := r.pgCurrent(ctx, r.conn)
	if err != nil {
		return err
	}
	return r.pgTx(ctx, heads, func(tx queryer) error {
		if err := r.pgEnsureVersionTable(ctx, tx); err != nil {
			return err
		}
		if purge {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+r.pgVersionTable()); err != nil {
				return fmt.Errorf("database %s: purging version table %q: %w", r.path, r.table, err)
			}
		}
		now, err := r.pgCurrent(ctx, tx)
		if err != nil {
			return err
		}
		return r.stampRows(now, target, func(del, ins []string) error {
			return r.pgMoveVersions(ctx, tx, del, ins, strings.Join(ins, ", "))
		})
	})
}

// sqliteTransactional refuses a revision marked no-transaction on SQLite,
// where every statement can run in the revision's transaction and none
// should commit on its own.
func sqliteTransactional(rev *script.Revision) error {
	if rev.NoTransaction {
		return fmt.Errorf("revision %s (%s) is marked %q, which is for PostgreSQL; on SQLite every revision runs in its transaction", rev.ID, rev.Path, script.NoTransactionMarker)
	}
	return nil
}
