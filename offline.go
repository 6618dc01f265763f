package autogen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// OfflineOptions configure OfflineSQL.
type OfflineOptions struct {
	runner.OfflineOptions
	// SQLiteVersion is the oldest sqlite3 shell the script must run on,
	// such as "3.40.1" (alembic.ini's offline_sqlite_version); "" means
	// DefaultOfflineSQLiteVersion. Below NewAlterForms the ALTER TABLE
	// forms SQLite 3.53 added are written as table rebuilds.
	SQLiteVersion string
}

const (
	// DefaultOfflineSQLiteVersion is the oldest sqlite3 shell offline
	// scripts run on when nothing else is said: DROP COLUMN is 3.35's.
	DefaultOfflineSQLiteVersion = "3.35"
	// NewAlterForms is the SQLite version that added ALTER TABLE ... ALTER
	// COLUMN ... SET/DROP NOT NULL, ADD [CONSTRAINT name] CHECK and DROP
	// CONSTRAINT.
	NewAlterForms = "3.53"
)

// ErrBadSQLiteVersion is wrapped by OfflineSQL's error about a
// SQLiteVersion it cannot read or that is older than
// DefaultOfflineSQLiteVersion.
var ErrBadSQLiteVersion = errors.New("bad offline_sqlite_version")

// ErrOfflineRewrite is wrapped by OfflineSQL's errors about a statement
// it could not write for the sqlite3 shell the script is meant for.
var ErrOfflineRewrite = errors.New("cannot be written for a sqlite3 shell older than " + NewAlterForms)

// OfflineSQL writes the script runner.OfflineSQL writes, for a sqlite3
// shell of opts.SQLiteVersion: when that shell predates NewAlterForms,
// each statement in one of those forms (in revisions autogen wrote or
// hand-written ones) becomes SQLite's table rebuild of the table it
// changes. The definition the table has there comes from replaying the
// revisions from base on an empty in-memory database with the runner;
// each such statement is run there, the table inspected before and after,
// the rebuild rendered from that change (indexes and triggers recreated,
// rows copied as they are, so a NULL fails SET NOT NULL's rebuild as it
// fails the statement), and the rebuild run in its place and checked to
// give the same schema. A statement that cannot be written so is an
// error wrapping ErrOfflineRewrite, never a script that does something
// else. Scripts for psql are runner.OfflineSQL's.
func OfflineSQL(ctx context.Context, w io.Writer, d *script.Dir, from, to []string, up bool, opts OfflineOptions) error {
	if opts.PostgreSQL {
		return runner.OfflineSQL(w, d, from, to, up, opts.OfflineOptions)
	}
	keep, err := keepsNewForms(opts.SQLiteVersion)
	if err != nil {
		return err
	}
	if !keep {
		rw, err := newRewriter(ctx, d, from, to, up, opts.VersionTable)
		if err != nil {
			return err
		}
		if rw != nil {
			defer rw.db.Close()
			opts.Rewrite = rw.rewrite
		}
	}
	return runner.OfflineSQL(w, d, from, to, up, opts.OfflineOptions)
}

// keepsNewForms reports whether a sqlite3 shell of version v (or the
// default) knows the ALTER TABLE forms of NewAlterForms.
func keepsNewForms(v string) (bool, error) {
	if v == "" {
		v = DefaultOfflineSQLiteVersion
	}
	got, err := parseVersion(v)
	if err != nil {
		return false, err
	}
	oldest, _ := parseVersion(DefaultOfflineSQLiteVersion)
	if compareVersions(got, oldest) < 0 {
		return false, fmt.Errorf("%w: offline_sqlite_version %s is older than %s, the oldest sqlite3 shell offline scripts run on (DROP COLUMN is %s's)", ErrBadSQLiteVersion, v, DefaultOfflineSQLiteVersion, DefaultOfflineSQLiteVersion)
	}
	forms, _ := parseVersion(NewAlterForms)
	return compareVersions(got, forms) >= 0, nil
}

// parseVersion reads a SQLite version such as 3.40 or 3.40.1.
func parseVersion(v string) ([3]int, error) {
	var out [3]int
	bad := fmt.Errorf("%w: offline_sqlite_version %q is not a SQLite version such as 3.40.1", ErrBadSQLiteVersion, v)
	parts := strings.Split(strings.TrimSpace(v), ".")
	if len(parts) < 2 || len(parts) > 3 {
		return out, bad
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p != strconv.Itoa(n) {
			return out, bad
		}
		out[i] = n
	}
	return out, nil
}

func compareVersions(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

// rewriter follows the offline script on a scratch database and writes
// the new ALTER TABLE forms as rebuilds.
type rewriter struct {
	ctx          context.Context // OfflineSQL's: Rewrite has no context of its own
	db           *sql.DB
	versionTable string
}

// newRewriter returns nil when no step of the plan holds one of the new
// forms; otherwise a scratch database replayed from base to from.
func newRewriter(ctx context.Context, d *script.Dir, from, to []string, up bool, versionTable string) (*rewriter, error) {
	steps, err := d.Plan(from, to, up)
	if err != nil {
		return nil, err
	}
	if !anyNewForm(steps) {
		return nil, nil
	}
	if versionTable == "" {
		versionTable = runner.DefaultVersionTable
	}
	db, err := sqlite{}.scratch(ctx)
	if err != nil {
		return nil, err
	}
	r := runner.FromDir(db, d, runner.WithVersionTable(versionTable), runner.WithName("a scratch database"))
	for _, head := range from {
		if _, err := r.Upgrade(ctx, head); err != nil {
			db.Close()
			return nil, fmt.Errorf("replaying the revisions up to %s on an empty database, to learn the tables' definitions for the ALTER TABLE forms that %w: %w", head, ErrOfflineRewrite, err)
		}
	}
	return &rewriter{ctx: ctx, db: db, versionTable: versionTable}, nil
}

// anyNewForm reports whether a step's section holds a statement in one of
// the new forms; an unreadable section is left to runner.OfflineSQL.
func anyNewForm(steps []script.Step) bool {
	for _, st := range steps {
		body := st.Revision.Upgrade
		if !st.Up {
			body = st.Revision.Downgrade
		}
		stmts, err := sqltext.SplitStatements(body)
		if err != nil {
			continue
		}
		for _, s := range stmts {
			if _, ok, err := newAlterForm(s); ok || err != nil {
				return true // an error is said by rewrite, naming the statement
			}
		}
	}
	return false
}

// rewrite runs a step's statements on the scratch database, in one
// transaction as the script does, and returns them with each new form
// replaced by its rebuild.
func (r *rewriter) rewrite(st script.Step, stmts []string) ([]string, error) {
	where := func(i int) string {
		section := "upgrade"
		if !st.Up {
			section = "downgrade"
		}
		return fmt.Sprintf("revision %s (%s), %s section, statement %d", st.Revision.ID, printable.Escape(st.Revision.Path), section, i+1)
	}
	if _, err := r.db.ExecContext(r.ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, err
	}
	tx, err := r.db.BeginTx(r.ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var out []string
	for i, s := range stmts {
		table, ok, err := newAlterForm(s)
		if err != nil {
			return nil, fmt.Errorf("%s %w: %w", where(i), ErrOfflineRewrite, err)
		}
		if !ok {
			if _, err := tx.ExecContext(r.ctx, s); err != nil {
				return nil, fmt.Errorf("%s fails on an empty database replayed from base, where the tables' definitions are learnt for the ALTER TABLE forms that %w: %w", where(i), ErrOfflineRewrite, err)
			}
			out = append(out, s)
			continue
		}
		rebuilt, err := r.rebuild(tx, s, table)
		if err != nil {
			return nil, fmt.Errorf("%s (ALTER TABLE %s) %w as a table rebuild: %w; if your sqlite3 is %s or newer, set offline_sqlite_version = %s in alembic.ini",
				where(i), printable.Escape(table), ErrOfflineRewrite, err, NewAlterForms, NewAlterForms)
		}
		out = append(out, rebuilt...)
	}
	return out, tx.Commit()
}

// rebuild runs stmt, one of the new forms changing table, under a
// savepoint, renders the rebuild from the schema before to the one after,
// undoes stmt and runs the rebuild in its place, and returns the rebuild's
// statements once it gave the same schema.
func (r *rewriter) rebuild(tx *sql.Tx, stmt, table string) ([]string, error) {
	if hasConflictClause(stmt) {
		return nil, errors.New("its ON CONFLICT clause would let a rebuild's copy replace or skip the rows the statement refuses")
	}
	before, err := schema.Inspect(r.ctx, tx, r.versionTable)
	if err != nil {
		return nil, err
	}
	if before.Table(table) == nil {
		return nil, fmt.Errorf("there is no table %s at this point of the revisions", printable.Escape(table))
	}
	if _, err := tx.ExecContext(r.ctx, "SAVEPOINT autogen_offline"); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(r.ctx, stmt)
	if err != nil {
		return nil, fmt.Errorf("it fails on an empty database replayed from base: %w", err)
	}
	after, err := schema.Inspect(r.ctx, tx, r.versionTable)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(r.ctx, "ROLLBACK TO autogen_offline"); err != nil {
		return nil, err
	}
	stmts, err := rebuildStatements(before, after, table)
	if err != nil {
		return nil, err
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(r.ctx, s); err != nil {
			return nil, fmt.Errorf("its rebuild fails on an empty database replayed from base: %w", err)
		}
	}
	got, err := schema.Inspect(r.ctx, tx, r.versionTable)
	if err != nil {
		return nil, err
	}
	if !schema.Equal(got, after) {
		return nil, errors.New("the rebuild written for it does not give the schema the statement gives")
	}
	if _, err := tx.ExecContext(r.ctx, "RELEASE autogen_offline"); err != nil {
		return nil, err
	}
	return withNote(stmt, stmts), nil
}

// rebuildStatements renders the rebuild of table from its definition in
// before to the one in after, which differ in that table only.
func rebuildStatements(before, after *schema.Schema, table string) ([]string, error) {
	ops, err := diff.Compare(before, after, diff.Options{})
	if err != nil {
		return nil, err
	}
	if len(ops) == 0 {
		return nil, nil // the statement changes nothing SQLite keeps
	}
	for _, op := range ops {
		if !sqltext.EqualIdent(op.Table(), table) {
			return nil, fmt.Errorf("it changes more than table %s: %s", printable.Escape(table), op.Describe())
		}
	}
	res, err := render.Render(ops, before, after, render.Options{
		RebuildUp: map[string]bool{sqltext.FoldIdent(table): true},
		Exact:     true,
	})
	if err != nil {
		return nil, err
	}
	if len(res.Changes) != 1 || !res.Changes[0].Rebuilt {
		return nil, errors.New("it is not one change of that table")
	}
	return res.Changes[0].UpStatements, nil
}

// withNote puts the statement a rebuild replaces, as a comment, before
// the rebuild; the comments the statement started with stay first.
func withNote(stmt string, rebuild []string) []string {
	lead, body := leadingComments(stmt)
	note := lead + sqltext.Comment(fmt.Sprintf("%s: written as SQLite's table rebuild, for a sqlite3 shell older than %s (offline_sqlite_version)", printable.Escape(body), NewAlterForms))
	if len(rebuild) == 0 {
		return nil
	}
	out := append([]string(nil), rebuild...)
	out[0] = note + out[0]
	return out
}

// leadingComments splits a statement into the comments it starts with and
// the rest.
func leadingComments(stmt string) (lead, body string) {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return "", stmt
	}
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			return stmt[:t.Offset], stmt[t.Offset:]
		}
	}
	return "", stmt
}

// newAlterForm reports whether stmt is ALTER TABLE in one of the forms of
// NewAlterForms (ALTER [COLUMN], ADD CONSTRAINT, ADD CHECK, DROP
// CONSTRAINT), whatever its spelling, case and quoting, and names the
// table. The words that start those forms are reserved, so a bare one
// cannot be a column name. A table of another schema than main is an
// error: the scratch database has only main.
func newAlterForm(stmt string) (table string, ok bool, err error) {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return "", false, nil // the runner's checks say why
	}
	var words []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			words = append(words, t)
		}
	}
	bare := func(i int, kw ...string) bool {
		if i >= len(words) || words[i].Kind != sqltext.TokenIdent {
			return false
		}
		for _, k := range kw {
			if sqltext.EqualIdent(words[i].Text, k) {
				return true
			}
		}
		return false
	}
	if !bare(0, "ALTER") || !bare(1, "TABLE") || len(words) < 4 {
		return "", false, nil
	}
	i := 2
	table = words[i].Value
	if len(words) > i+2 && words[i+1].Text == "." {
		if !sqltext.EqualIdent(table, "main") {
			if isNew(bare, i+3) {
				return "", false, fmt.Errorf("table %s.%s is not in the main schema, which is all a rewrite for an older sqlite3 shell can follow", printable.Escape(table), printable.Escape(words[i+2].Value))
			}
			return "", false, nil
		}
		i += 2
		table = words[i].Value
	}
	return table, isNew(bare, i+1), nil
}

// isNew reports whether the words from i on start one of the new forms.
func isNew(bare func(int, ...string) bool, i int) bool {
	switch {
	case bare(i, "ALTER"):
		return true
	case bare(i, "ADD"):
		return bare(i+1, "CONSTRAINT", "CHECK")
	case bare(i, "DROP"):
		return bare(i+1, "CONSTRAINT")
	}
	return false
}

// hasConflictClause reports whether stmt holds ON CONFLICT outside quotes.
func hasConflictClause(stmt string) bool {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return true
	}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].Kind == sqltext.TokenIdent && toks[i+1].Kind == sqltext.TokenIdent &&
			sqltext.EqualIdent(toks[i].Text, "ON") && sqltext.EqualIdent(toks[i+1].Text, "CONFLICT") {
			return true
		}
	}
	return false
}
