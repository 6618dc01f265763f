package runner

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// A table rebuild autogen writes (render's rebuild: create the new
// definition as rebuildPrefix+table, copy the rows, drop, rename under
// legacy_alter_table, recreate the indexes and triggers) copies every row
// even when the change touches none: a default, a NOT NULL, CHECK or
// FOREIGN KEY constraint removed, a declared type changed for another of
// the same affinity. SQLite documents a procedure for such changes
// (lang_altertable.html, "Making Other Kinds Of Table Schema Changes"):
// rewrite the table's CREATE text in sqlite_schema under PRAGMA
// writable_schema and bump PRAGMA schema_version. The runner applies it in
// place of such a rebuild when it can show the result is the rebuild's:
//
//   - the block is exactly the shape autogen writes, and the indexes and
//     triggers it recreates are exactly the table's live ones;
//   - on scratch databases holding the table's live definition, the rebuild
//     as written and the edit give the same sqlite_schema rows and the same
//     table, index and foreign key pragmas;
//   - every difference between the old and new definitions leaves the
//     stored records meaning what they meant: same columns, collations,
//     generated columns, keys, UNIQUE constraints (their automatic indexes),
//     WITHOUT ROWID and STRICT; a type only for one of the same affinity,
//     outside the primary key, generated columns and STRICT tables; NOT
//     NULL, CHECK and FOREIGN KEY constraints only removed (adding one is a
//     promise about the rows that only reading them all can check, which the
//     rebuild does as it copies them);
//   - a changed default changes no row: SQLite reads a column missing from a
//     record written before ALTER TABLE ADD COLUMN added it as the column's
//     current default, so a new default would change those rows' values. A
//     probe reads the table once looking for such records (unless it is
//     empty); where there are some, the rebuild runs as written and
//     stores the old default in them.
//
// Anything else, or any doubt (an error, a check that does not hold),
// runs the statements as written. The edit runs in a savepoint inside the
// revision's transaction: a failure rolls it back before the rebuild runs.

// rebuildPrefix is the name prefix of the table a rebuild builds
// (render.TempPrefix).
const rebuildPrefix = "_autogen_new_"

// rebuildBlock is a table rebuild recognised among a revision's statements.
type rebuildBlock struct {
	table  string   // the table rebuilt
	temp   string   // rebuildPrefix + table
	create string   // the CREATE TABLE of the new definition, as written
	cols   []string // the columns the rows are copied by
	stmts  []string // the block's statements, as written
	tail   []string // its CREATE INDEX and CREATE TRIGGER statements
}

// inPlace applies the rebuild that stmts start with, if they start with one
// that can be done as an edit of sqlite_schema, and returns how many
// statements it stood for; 0 means stmts are to run as written.
func (r *Runner) inPlace(ctx context.Context, stmts []string) (int, error) {
	b, live, err := r.rebuildAhead(ctx, stmts)
	if err != nil || b == nil {
		return 0, err
	}
	plan, err := planEdit(ctx, b, live)
	if err != nil {
		// Not shown safe: the rebuild runs as written.
		return 0, nil
	}
	short, err := r.shortRecords(ctx, b.table, live, plan)
	if err != nil {
		return 0, err
	}
	if short {
		r.logf("Rebuilding table %s as written: rows stored before column %s was added read its default, which the revision changes", b.table, plan.probe)
		return 0, nil
	}
	if err := r.savepoint(ctx, "autogen_in_place", func() error {
		return r.editTable(ctx, b.table, plan)
	}); err != nil {
		// Undone: the rebuild runs as written, on the definition it expects.
		return 0, r.checkDefinition(ctx, b.table, live.sql)
	}
	r.logf("Changing table %s in place (its definition in sqlite_schema, %s): no row copied", b.table, plan.what)
	return len(b.stmts), nil
}

// liveTable is what the database holds for a table before its rebuild.
type liveTable struct {
	sql     string   // CREATE TABLE
	objects []string // CREATE INDEX and CREATE TRIGGER statements on it
}

// rebuildAhead recognises a rebuild block at the start of stmts and reads
// the live table it rebuilds; nil when stmts start otherwise or the block
// does not recreate exactly the table's live indexes and triggers.
func (r *Runner) rebuildAhead(ctx context.Context, stmts []string) (*rebuildBlock, *liveTable, error) {
	b := parseRebuild(stmts)
	if b == nil {
		return nil, nil, nil
	}
	live := &liveTable{}
	err := r.conn.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", b.table).Scan(&live.sql)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("database %s: reading the definition of table %s: %w", r.path, b.table, err)
	}
	if live.objects, err = queryStrings(ctx, r.conn,
		"SELECT sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name = ? ORDER BY type, name", b.table); err != nil {
		return nil, nil, fmt.Errorf("database %s: reading the indexes and triggers of table %s: %w", r.path, b.table, err)
	}
	// The block ends with the live objects it recreates; a statement after
	// them (another group's new trigger) is not part of it.
	want := slices.Clone(live.objects)
	n := 0
	for _, s := range b.tail {
		i := slices.Index(want, s)
		if i < 0 {
			break
		}
		want = slices.Delete(want, i, i+1)
		n++
	}
	if len(want) > 0 {
		return nil, nil, nil
	}
	b.stmts = b.stmts[:len(b.stmts)-len(b.tail)+n]
	b.tail = b.tail[:n]
	return b, live, nil
}

// parseRebuild matches the statements render's rebuild writes, in order;
// the tail is every CREATE INDEX or CREATE TRIGGER statement that follows.
func parseRebuild(stmts []string) *rebuildBlock {
	// Most statements are not a rebuild's first: spare parsing them.
	if len(stmts) < 6 || !strings.Contains(stmts[0], rebuildPrefix) {
		return nil
	}
	t, err := schema.ParseCreateTable(stmts[0])
	if err != nil || !strings.HasPrefix(t.Name, rebuildPrefix) || len(t.Name) == len(rebuildPrefix) {
		return nil
	}
	b := &rebuildBlock{temp: t.Name, table: strings.TrimPrefix(t.Name, rebuildPrefix), create: stmts[0]}
	i := 1
	cols, ok := copyColumns(stmts[i], b.temp, b.table)
	if !ok {
		return nil
	}
	b.cols = cols
	i++
	seq := []string{
		"DELETE FROM sqlite_sequence WHERE name = " + sqltext.QuoteString(b.temp),
		"INSERT INTO sqlite_sequence (name, seq) SELECT " + sqltext.QuoteString(b.temp) + ", seq FROM sqlite_sequence WHERE name = " + sqltext.QuoteString(b.table),
	}
	if sameTokens(stmts[i], seq[0]) && i+1 < len(stmts) && sameTokens(stmts[i+1], seq[1]) {
		i += 2
	}
	for _, want := range []string{
		"DROP TABLE " + sqltext.QuoteIdent(b.table),
		"PRAGMA legacy_alter_table = ON",
		"ALTER TABLE " + sqltext.QuoteIdent(b.temp) + " RENAME TO " + sqltext.QuoteIdent(b.table),
		"PRAGMA legacy_alter_table = OFF",
	} {
		if i >= len(stmts) || !sameTokens(stmts[i], want) {
			return nil
		}
		i++
	}
	for ; i < len(stmts) && createsOn(stmts[i], b.table); i++ {
		b.tail = append(b.tail, stmts[i])
	}
	b.stmts = stmts[:i]
	return b
}

// copyColumns matches INSERT INTO temp (cols) SELECT cols FROM table, the
// same columns on both sides, and returns them.
func copyColumns(stmt, temp, table string) ([]string, bool) {
	toks := words(stmt)
	i := 0
	kw := func(k string) bool {
		if i < len(toks) && toks[i].Kind == sqltext.TokenIdent && sqltext.EqualIdent(toks[i].Text, k) {
			i++
			return true
		}
		return false
	}
	op := func(o string) bool {
		if i < len(toks) && toks[i].Kind == sqltext.TokenOperator && toks[i].Text == o {
			i++
			return true
		}
		return false
	}
	name := func() (string, bool) {
		if i < len(toks) && (toks[i].Kind == sqltext.TokenIdent || toks[i].Kind == sqltext.TokenQuotedIdent) {
			i++
			return toks[i-1].Value, true
		}
		return "", false
	}
	list := func(end func() bool) ([]string, bool) {
		var out []string
		for {
			n, ok := name()
			if !ok {
				return nil, false
			}
			out = append(out, n)
			if end() {
				return out, true
			}
			if !op(",") {
				return nil, false
			}
		}
	}
	if !kw("INSERT") || !kw("INTO") {
		return nil, false
	}
	if n, ok := name(); !ok || n != temp || !op("(") {
		return nil, false
	}
	into, ok := list(func() bool { return op(")") })
	if !ok || !kw("SELECT") {
		return nil, false
	}
	from, ok := list(func() bool { return kw("FROM") })
	if !ok {
		return nil, false
	}
	if n, ok := name(); !ok || n != table || i != len(toks) || !slices.Equal(into, from) {
		return nil, false
	}
	return into, true
}

// createsOn reports whether stmt is a CREATE [UNIQUE] INDEX or CREATE
// TRIGGER statement; whether it is on table is settled against the live
// objects it must equal.
func createsOn(stmt, table string) bool {
	toks := words(stmt)
	if len(toks) < 3 || !sqltext.EqualIdent(toks[0].Text, "CREATE") {
		return false
	}
	switch sqltext.UpperASCII(toks[1].Text) {
	case "INDEX", "TRIGGER":
		return true
	case "UNIQUE":
		return sqltext.EqualIdent(toks[2].Text, "INDEX")
	}
	return false
}

// words is stmt's tokens without comments; nil when it does not tokenize.
func words(stmt string) []sqltext.Token {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return nil
	}
	out := toks[:0]
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			out = append(out, t)
		}
	}
	return out
}

// sameTokens reports whether a and b are the same tokens, keywords
// compared case-insensitively, identifiers and strings by value.
func sameTokens(a, b string) bool {
	x, y := words(a), words(b)
	if x == nil || len(x) != len(y) {
		return false
	}
	for i := range x {
		switch {
		case x[i].Kind != y[i].Kind:
			return false
		case x[i].Kind == sqltext.TokenIdent:
			if !sqltext.EqualIdent(x[i].Text, y[i].Text) {
				return false
			}
		case x[i].Value != y[i].Value:
			return false
		}
	}
	return true
}

// editPlan is the edit that stands for a rebuild.
type editPlan struct {
	oldSQL, newSQL string
	what           string   // the kinds of change, for the log
	probe          string   // the column whose records a probe reads, "" for none
	columns        []column // PRAGMA table_xinfo as the edit must leave it
}

// planEdit runs the rebuild and the edit on scratch databases holding the
// table's live definition and checks that the edit's result is the
// rebuild's, and that it leaves every stored record meaning what it meant.
func planEdit(ctx context.Context, b *rebuildBlock, live *liveTable) (*editPlan, error) {
	old, err := scratchState(ctx, b.table, live, nil)
	if err != nil {
		return nil, err
	}
	rebuilt, err := scratchState(ctx, b.table, live, func(conn *sql.Conn) error {
		for _, s := range b.stmts {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	plan := &editPlan{oldSQL: live.sql, newSQL: rebuilt.sql, columns: rebuilt.columns}
	edited, err := scratchState(ctx, b.table, live, func(conn *sql.Conn) error {
		return editDefinition(ctx, conn, b.table, plan.newSQL)
	})
	if err != nil {
		return nil, err
	}
	if !edited.equal(rebuilt) {
		return nil, errors.New("the edit does not give the rebuild's schema")
	}
	// Every index, automatic ones included, must read the stored entries as
	// before: same columns, order and collations.
	if !slices.Equal(old.indexes, edited.indexes) || old.list != edited.list {
		return nil, errors.New("an index or the table kind changes")
	}
	if err := plan.compare(old, edited); err != nil {
		return nil, err
	}
	return plan, nil
}

// compare checks the old and new definitions difference by difference.
func (p *editPlan) compare(old, edited *scratch) error {
	o, err := schema.ParseCreateTable(p.oldSQL)
	if err != nil {
		return err
	}
	n, err := schema.ParseCreateTable(p.newSQL)
	if err != nil {
		return err
	}
	if len(o.Columns) != len(n.Columns) || len(old.columns) != len(edited.columns) || o.WithoutRowID != n.WithoutRowID || o.Strict != n.Strict ||
		!schema.EqualPrimaryKey(o.PrimaryKey, n.PrimaryKey) || (o.PrimaryKey != nil && o.PrimaryKey.Autoincrement != n.PrimaryKey.Autoincrement) ||
		!slices.EqualFunc(o.Uniques, n.Uniques, schema.EqualUnique) {
		return errors.New("the columns, keys or table options change")
	}
	var kinds []string
	kind := func(k string) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	for i, oc := range o.Columns {
		nc := n.Columns[i]
		if oc.Name != nc.Name || !sqltext.EqualIdent(oc.Collation, nc.Collation) || oc.Stored != nc.Stored ||
			schema.NormalizeExpr(oc.Generated) != schema.NormalizeExpr(nc.Generated) {
			return fmt.Errorf("column %s changes more than its type, NOT NULL or default", oc.Name)
		}
		if old.columns[i].pk != edited.columns[i].pk || old.columns[i].hidden != edited.columns[i].hidden || old.columns[i].name != edited.columns[i].name {
			return fmt.Errorf("column %s changes its key or kind", oc.Name)
		}
		if ot, nt := old.columns[i].typ, edited.columns[i].typ; ot != nt {
			if sqltext.TypeAffinity(ot) != sqltext.TypeAffinity(nt) || old.columns[i].pk != 0 || oc.Generated != "" || o.Strict {
				return fmt.Errorf("column %s changes its type in a way that changes stored values or keys", oc.Name)
			}
			kind("a declared type of the same affinity")
		}
		if nc.NotNull && !oc.NotNull {
			return fmt.Errorf("column %s becomes NOT NULL", oc.Name)
		}
		if oc.NotNull && !nc.NotNull {
			kind("NOT NULL removed")
		}
		if old.columns[i].dflt != edited.columns[i].dflt {
			kind("a default")
			if p.probe == "" {
				p.probe = oc.Name // the first changed: records short of it are short of the rest
			}
		}
	}
	for _, c := range n.Checks {
		if !slices.ContainsFunc(o.Checks, func(x *schema.Check) bool { return schema.EqualCheck(x, c) }) {
			return errors.New("a CHECK constraint is added")
		}
	}
	if len(n.Checks) < len(o.Checks) {
		kind("a CHECK constraint removed")
	}
	for _, fk := range n.ForeignKeys {
		if !slices.ContainsFunc(o.ForeignKeys, func(x *schema.ForeignKey) bool { return schema.EqualForeignKey(x, fk) }) {
			return errors.New("a foreign key is added")
		}
	}
	if len(n.ForeignKeys) < len(o.ForeignKeys) {
		kind("a foreign key removed")
	}
	if len(kinds) == 0 {
		kind("its text")
	}
	p.what = strings.Join(kinds, ", ")
	return nil
}

// scratch is what a scratch database holds for one table.
type scratch struct {
	sql     string
	rows    []string // its sqlite_schema rows (type, name, tbl_name, sql)
	columns []column // PRAGMA table_xinfo
	indexes []string // each index's name and PRAGMA index_xinfo
	fks     []string // PRAGMA foreign_key_list
	list    string   // PRAGMA table_list: its kind, WITHOUT ROWID and STRICT
}

type column struct {
	name, typ, dflt string
	notnull, pk     int
	hidden          int
}

func (s *scratch) equal(t *scratch) bool {
	return s.sql == t.sql && slices.Equal(s.rows, t.rows) && slices.Equal(s.columns, t.columns) &&
		slices.Equal(s.indexes, t.indexes) && slices.Equal(s.fks, t.fks) && s.list == t.list
}

// scratchState loads the live table, its indexes and its triggers into an
// empty in-memory database, runs change (when given) and reads the state.
func scratchState(ctx context.Context, table string, live *liveTable, change func(*sql.Conn) error) (*scratch, error) {
	conn, done, err := schema.OpenMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, err
	}
	for _, s := range append([]string{live.sql}, live.objects...) {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, err
		}
	}
	if change != nil {
		if err := change(conn); err != nil {
			return nil, err
		}
	}
	return readState(ctx, conn, table)
}

func readState(ctx context.Context, conn *sql.Conn, table string) (*scratch, error) {
	s := &scratch{}
	if err := conn.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&s.sql); err != nil {
		return nil, err
	}
	var err error
	if s.rows, err = queryStrings(ctx, conn, "SELECT type || char(31) || name || char(31) || tbl_name || char(31) || coalesce(sql, '') FROM sqlite_schema WHERE tbl_name = ? ORDER BY type, name", table); err != nil {
		return nil, err
	}
	if s.columns, err = tableColumns(ctx, conn, table); err != nil {
		return nil, err
	}
	names, err := queryStrings(ctx, conn, "SELECT name FROM pragma_index_list(?) ORDER BY name", table)
	if err != nil {
		return nil, err
	}
	for _, ix := range names {
		info, err := queryStrings(ctx, conn, "SELECT seqno || char(31) || cid || char(31) || coalesce(name, '') || char(31) || desc || char(31) || coalesce(coll, '') || char(31) || key FROM pragma_index_xinfo(?) ORDER BY seqno", ix)
		if err != nil {
			return nil, err
		}
		s.indexes = append(s.indexes, ix+"\x1f"+strings.Join(info, "\x1e"))
	}
	if s.fks, err = queryStrings(ctx, conn, `SELECT id || char(31) || seq || char(31) || "table" || char(31) || "from" || char(31) || coalesce("to", '') || char(31) || on_update || char(31) || on_delete || char(31) || "match" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table); err != nil {
		return nil, err
	}
	err = conn.QueryRowContext(ctx, "SELECT type || char(31) || wr || char(31) || strict FROM pragma_table_list WHERE schema = 'main' AND name = ?", table).Scan(&s.list)
	return s, err
}

func tableColumns(ctx context.Context, conn *sql.Conn, table string) ([]column, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name, type, \"notnull\", coalesce(dflt_value, char(0)), pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.notnull, &c.dflt, &c.pk, &c.hidden); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// queryStrings is the one-column result of query.
func queryStrings(ctx context.Context, q schema.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// editDefinition is SQLite's procedure on conn, inside its transaction:
// sqlite_schema's text of the table replaced, the schema version bumped
// so that every connection reads the schema again (this one at once:
// writable_schema = RESET reloads it).
func editDefinition(ctx context.Context, conn *sql.Conn, table, createSQL string) error {
	var version int64
	if err := conn.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA writable_schema = ON"); err != nil {
		return err
	}
	var on int
	if err := conn.QueryRowContext(ctx, "PRAGMA writable_schema").Scan(&on); err != nil {
		return err
	}
	if on == 0 {
		return errors.New("PRAGMA writable_schema cannot be switched on (SQLITE_DBCONFIG_DEFENSIVE)")
	}
	res, err := conn.ExecContext(ctx, "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?", createSQL, table)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n != 1 {
			err = fmt.Errorf("%d rows of sqlite_schema name table %s", n, table)
		}
	}
	if err == nil {
		_, err = conn.ExecContext(ctx, fmt.Sprintf("PRAGMA schema_version = %d", int32(version+1)))
	}
	// Off, and the schema read again, whatever happened.
	if _, rerr := conn.ExecContext(ctx, "PRAGMA writable_schema = RESET"); err == nil {
		err = rerr
	}
	return err
}

// editTable applies plan to the database and checks that the table now
// reads as the scratch rebuild's did.
func (r *Runner) editTable(ctx context.Context, table string, plan *editPlan) error {
	if err := editDefinition(ctx, r.conn, table, plan.newSQL); err != nil {
		return fmt.Errorf("database %s: editing the definition of table %s: %w", r.path, table, err)
	}
	got, err := tableColumns(ctx, r.conn, table)
	if err != nil {
		return fmt.Errorf("database %s: reading table %s after editing its definition: %w", r.path, table, err)
	}
	if !slices.Equal(got, plan.columns) {
		return fmt.Errorf("database %s: table %s does not read as its new definition after the edit", r.path, table)
	}
	var res string
	if err := r.conn.QueryRowContext(ctx, "PRAGMA quick_check(sqlite_schema)").Scan(&res); err != nil || res != "ok" {
		return fmt.Errorf("database %s: sqlite_schema after editing table %s: %s %v", r.path, table, res, err)
	}
	return nil
}

// shortRecords reports whether a record of table stores fewer columns than
// reach plan.probe: SQLite reads the missing ones as the column's current
// default. It switches that default to a random blob no row stores and
// looks for rows that read it, then undoes the switch.
func (r *Runner) shortRecords(ctx context.Context, table string, live *liveTable, plan *editPlan) (bool, error) {
	if plan.probe == "" {
		return false, nil
	}
	var one int
	err := r.conn.QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(table)+" LIMIT 1").Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil // no rows, none to change
	}
	if err != nil {
		return false, fmt.Errorf("database %s: reading table %s: %w", r.path, table, err)
	}
	var token [16]byte
	if _, err := rand.Read(token[:]); err != nil {
		return false, err
	}
	sentinel := "x'" + hex.EncodeToString(token[:]) + "'"
	probeSQL, err := replaceDefault(live.sql, plan.probe, sentinel)
	if err != nil {
		return true, nil // cannot probe: assume the worst
	}
	short := true
	err = r.savepoint(ctx, "autogen_probe", func() error {
		if err := editDefinition(ctx, r.conn, table, probeSQL); err != nil {
			return err
		}
		cols, err := tableColumns(ctx, r.conn, table)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cols, func(c column) bool { return c.name == plan.probe })
		if i < 0 || !sqltext.EqualIdent(cols[i].dflt, sentinel) {
			return errors.New("the probe's default is not in force")
		}
		var n int
		err = r.conn.QueryRowContext(ctx, "SELECT 1 FROM "+quoteIdent(table)+" NOT INDEXED WHERE "+quoteIdent(plan.probe)+" IS "+sentinel+" LIMIT 1").Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			short, err = false, nil
		}
		if err == nil {
			err = errUndo // always undone
		}
		return err
	})
	if err != nil && !errors.Is(err, errUndo) {
		short = true // the probe failed and was undone: assume the worst
	}
	return short, r.checkDefinition(ctx, table, live.sql)
}

// errUndo rolls a savepoint back after a read-only look.
var errUndo = errors.New("undo")

// savepoint runs fn in a savepoint, rolled back (and the schema read
// again) when fn fails.
func (r *Runner) savepoint(ctx context.Context, name string, fn func() error) error {
	if err := r.exec(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	err := fn()
	if err == nil {
		return r.exec(ctx, "RELEASE "+name)
	}
	bg := context.WithoutCancel(ctx)
	if rerr := r.exec(bg, "ROLLBACK TO "+name); rerr != nil {
		return errors.Join(err, rerr)
	}
	if rerr := r.exec(bg, "RELEASE "+name); rerr != nil {
		return errors.Join(err, rerr)
	}
	if rerr := r.exec(bg, "PRAGMA writable_schema = RESET"); rerr != nil {
		return errors.Join(err, rerr)
	}
	return err
}

// checkDefinition confirms that table's definition is want again.
func (r *Runner) checkDefinition(ctx context.Context, table, want string) error {
	var got string
	if err := r.conn.QueryRowContext(ctx, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&got); err != nil {
		return fmt.Errorf("database %s: reading the definition of table %s: %w", r.path, table, err)
	}
	if got != want {
		return fmt.Errorf("database %s: the definition of table %s was not restored after an edit was undone", r.path, table)
	}
	return nil
}

// replaceDefault returns the CREATE TABLE text createSQL with column col's
// DEFAULT clause replaced by DEFAULT expr (added when it has none).
func replaceDefault(createSQL, col, expr string) (string, error) {
	toks := words(createSQL)
	// The column definitions start after the first "(".
	i := slices.IndexFunc(toks, func(t sqltext.Token) bool { return t.Kind == sqltext.TokenOperator && t.Text == "(" })
	if i < 0 {
		return "", errors.New("no column list")
	}
	for i++; i < len(toks); {
		end := itemEnd(toks, i)
		if end < 0 {
			return "", errors.New("unbalanced column list")
		}
		first := toks[i]
		if (first.Kind == sqltext.TokenIdent || first.Kind == sqltext.TokenQuotedIdent || first.Kind == sqltext.TokenString) && sqltext.EqualIdent(first.Value, col) && !tableConstraint(first) {
			return setDefault(createSQL, toks, i+1, end, expr)
		}
		if toks[end].Text == ")" {
			break
		}
		i = end + 1
	}
	return "", fmt.Errorf("no column %s", col)
}

func tableConstraint(t sqltext.Token) bool {
	if t.Kind != sqltext.TokenIdent {
		return false
	}
	switch sqltext.UpperASCII(t.Text) {
	case "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN":
		return true
	}
	return false
}

// itemEnd is the index of the "," or ")" that ends the column-list item
// starting at i, -1 when there is none.
func itemEnd(toks []sqltext.Token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		if toks[i].Kind != sqltext.TokenOperator {
			continue
		}
		switch toks[i].Text {
		case "(":
			depth++
		case ")":
			if depth == 0 {
				return i
			}
			depth--
		case ",":
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// setDefault rewrites the column definition toks[from:end].
func setDefault(sqlText string, toks []sqltext.Token, from, end int, expr string) (string, error) {
	depth := 0
	for j := from; j < end; j++ {
		t := toks[j]
		if t.Kind == sqltext.TokenOperator && t.Text == "(" {
			depth++
		}
		if t.Kind == sqltext.TokenOperator && t.Text == ")" {
			depth--
		}
		if depth != 0 || t.Kind != sqltext.TokenIdent || !sqltext.EqualIdent(t.Text, "DEFAULT") {
			continue
		}
		k := j + 1
		if k >= end {
			return "", errors.New("DEFAULT without a value")
		}
		switch {
		case toks[k].Kind == sqltext.TokenOperator && toks[k].Text == "(":
			d := 0
			for ; k < end; k++ {
				if toks[k].Kind == sqltext.TokenOperator && toks[k].Text == "(" {
					d++
				} else if toks[k].Kind == sqltext.TokenOperator && toks[k].Text == ")" {
					if d--; d == 0 {
						break
					}
				}
			}
			if k >= end {
				return "", errors.New("unbalanced DEFAULT")
			}
		case toks[k].Kind == sqltext.TokenOperator && (toks[k].Text == "-" || toks[k].Text == "+") && k+1 < end:
			k++
		}
		stop := toks[k].Offset + len(toks[k].Text)
		return sqlText[:t.Offset] + "DEFAULT " + expr + sqlText[stop:], nil
	}
	last := toks[end-1]
	at := last.Offset + len(last.Text)
	return sqlText[:at] + " DEFAULT " + expr + sqlText[at:], nil
}
