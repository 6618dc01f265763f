package runner

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/verify"
)

const (
	idBase   = "a000000000b1"
	idChange = "a000000000b2"
)

// renderChange is the revision autogen writes to take the tables of old to
// those of new.
func renderChange(t testing.TB, old, new []string) (up, down string) {
	t.Helper()
	ctx := context.Background()
	current, err := schema.FromDDL(ctx, old)
	if err != nil {
		t.Fatalf("old DDL: %v", err)
	}
	target, err := schema.FromDDL(ctx, new)
	if err != nil {
		t.Fatalf("new DDL: %v", err)
	}
	ops, err := diff.Compare(current, target, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := verify.Render(ctx, schema.OpenMemory, ops, current, target)
	if err != nil {
		t.Fatal(err)
	}
	return res.Up, res.Down
}

// changeGraph creates old's tables, then changes them as the rendered
// revision does.
func changeGraph(t testing.TB, old, new []string) graph {
	up, down := renderChange(t, old, new)
	var drops []string
	for i := len(old) - 1; i >= 0; i-- {
		if tb, err := schema.ParseCreateTable(old[i]); err == nil {
			drops = append(drops, "DROP TABLE "+quoteIdent(tb.Name)+";")
		}
	}
	return newGraph(
		rev(idBase, "base", nil, strings.Join(old, ";\n")+";", strings.Join(drops, "\n")),
		rev(idChange, "change", []string{idBase}, up, down),
	)
}

// tableState is what a table is: its sqlite_schema rows, its columns as
// SQLite reads them, its rows (by rowid where the rowid is a key the
// copy keeps, as a sorted list otherwise) and sqlite_sequence's row.
func tableState(t testing.TB, db *sql.DB, table string) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name = ? ORDER BY type, name", table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, text)
	}
	rows.Close()
	rows, err = db.Query("SELECT name, type, \"notnull\", coalesce(dflt_value, 'none'), pk, hidden FROM pragma_table_xinfo(?)", table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, typ, dflt string
		var nn, pk, hidden int
		if err := rows.Scan(&name, &typ, &nn, &dflt, &pk, &hidden); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "column %s %s notnull=%d default=%s pk=%d hidden=%d\n", name, typ, nn, dflt, pk, hidden)
	}
	rows.Close()
	b.WriteString(dumpTyped(t, db, table))
	var seq sql.NullInt64
	if count(t, db, "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") > 0 {
		_ = db.QueryRow("SELECT seq FROM sqlite_sequence WHERE name = ?", table).Scan(&seq)
	}
	fmt.Fprintf(&b, "sequence %v\n", seq)
	return b.String()
}

// dumpTyped lists every row with each value's storage class, sorted.
func dumpTyped(t testing.TB, db *sql.DB, table string) string {
	t.Helper()
	var cols []string
	rows, err := db.Query("SELECT name FROM pragma_table_xinfo(?)", table)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, fmt.Sprintf("typeof(%[1]s) || ':' || quote(%[1]s)", quoteIdent(c)))
	}
	rows.Close()
	lines, err := queryStrings(context.Background(), db, "SELECT "+strings.Join(cols, " || ' ' || ")+" FROM "+quoteIdent(table))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

func integrityOK(t testing.TB, db *sql.DB) {
	t.Helper()
	lines, err := queryStrings(context.Background(), db, "PRAGMA integrity_check")
	if err != nil || len(lines) != 1 || lines[0] != "ok" {
		t.Fatalf("integrity_check: %q %v", lines, err)
	}
	if n := count(t, db, "SELECT count(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Fatalf("foreign_key_check: %d violations", n)
	}
}

// plainRevision runs a revision section as any SQLite client would: foreign
// keys off, one transaction, the statements as written.
func plainRevision(t testing.TB, path, body string) {
	t.Helper()
	db := rawDB(t, path)
	stmts, err := sqltext.SplitStatements(body)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "PRAGMA foreign_keys = OFF", "BEGIN")
	mustExec(t, db, stmts...)
	mustExec(t, db, "COMMIT")
}

// inPlaceCase is a change of table t between two definitions, applied to a
// table holding rows.
type inPlaceCase struct {
	name     string
	old, new []string // DDL; t is the table changed
	fill     []string // statements run after the base revision
	// up and down say whether each direction is expected in place.
	up, down bool
}

var inPlaceCases = []inPlaceCase{
	{name: "default added", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT DEFAULT 'x')`}, up: true, down: true},
	{name: "default changed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER NOT NULL DEFAULT 1)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER NOT NULL DEFAULT 2)`}, up: true, down: true},
	{name: "default removed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT DEFAULT 'x')`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)`}, up: true, down: true},
	{name: "expression default", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TIMESTAMP)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TIMESTAMP DEFAULT current_timestamp)`}, up: true, down: true},
	// Adding NOT NULL back must read every row: the downgrade rebuilds.
	{name: "NOT NULL removed with a default changed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER NOT NULL DEFAULT 1)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 3)`}, up: true},
	{name: "unnamed CHECK removed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER CHECK (c >= 0))`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER)`}, up: true},
	{name: "foreign key removed", old: []string{`CREATE TABLE p (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER REFERENCES p (id))`},
		new: []string{`CREATE TABLE p (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER)`}, up: true},
	{name: "INTEGER to BIGINT, indexed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER, d TEXT)`, `CREATE INDEX t_cd ON t (c, d)`},
		new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c BIGINT, d TEXT)`, `CREATE INDEX t_cd ON t (c, d)`}, up: true, down: true},
	{name: "VARCHAR to TEXT under a unique rule", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER, d VARCHAR(20), UNIQUE (d))`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER, d TEXT, UNIQUE (d))`}, up: true, down: true},
	{name: "several at once", old: []string{`CREATE TABLE p (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, c INTEGER DEFAULT 1 CHECK (c < 100), d INTEGER NOT NULL REFERENCES p (id))`},
		new: []string{`CREATE TABLE p (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, c BIGINT DEFAULT 7, d BIGINT)`}, up: true},
	{name: "WITHOUT ROWID", old: []string{`CREATE TABLE t (id TEXT PRIMARY KEY, c INTEGER DEFAULT 1) WITHOUT ROWID`}, new: []string{`CREATE TABLE t (id TEXT PRIMARY KEY, c INTEGER DEFAULT 2) WITHOUT ROWID`}, up: true, down: true},
	{name: "virtual generated column", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 1, g INTEGER GENERATED ALWAYS AS (c * 2))`},
		new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 5, g INTEGER GENERATED ALWAYS AS (c * 2))`}, up: true, down: true},
	{name: "no rowid alias", old: []string{`CREATE TABLE t (k TEXT, c INTEGER DEFAULT 1)`}, new: []string{`CREATE TABLE t (k TEXT, c INTEGER DEFAULT 2)`}, up: true, down: true},
	// Changes that change stored values or keys rebuild.
	{name: "INTEGER to TEXT", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)`}},
	{name: "rowid alias key retyped", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER)`}, new: []string{`CREATE TABLE t (id BIGINT PRIMARY KEY, c INTEGER)`}},
	{name: "STRICT retyped", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INT) STRICT`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER) STRICT`}},
	{name: "collation changed", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)`, `CREATE INDEX t_c ON t (c)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT COLLATE NOCASE)`, `CREATE INDEX t_c ON t (c)`}},
	// A column added by ALTER TABLE ADD COLUMN after rows were stored is
	// missing from their records, which read its default: changing it in
	// place would change them, so the rebuild stores it.
	{name: "default of a column added to stored rows", old: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT)`}, new: []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, c INTEGER DEFAULT 6)`},
		fill: []string{`ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 5`}, down: true},
}

// TestInPlace applies each change to a table holding rows, in both
// directions, and checks that the runner's result is the rebuild's as a
// plain SQLite client runs it, row for row, with integrity_check clean.
func TestInPlace(t *testing.T) {
	for _, tc := range inPlaceCases {
		t.Run(tc.name, func(t *testing.T) {
			g := changeGraph(t, tc.old, tc.new)
			if len(tc.fill) > 0 {
				// The live definition is old's after fill: the change is
				// rendered against it, as autogen renders against the
				// database.
				g = fillGraph(t, tc)
			}
			checkInPlace(t, g, tc.up, tc.down, func(db *sql.DB) {
				fillParents(t, db)
				fillRows(t, db, "t", 30)
				if len(tc.fill) > 0 {
					mustExec(t, db, tc.fill...)
					fillRows(t, db, "t", 20)
				}
			})
		})
	}
}

// fillGraph renders tc's change against the definition old has after fill.
func fillGraph(t *testing.T, tc inPlaceCase) graph {
	t.Helper()
	db := rawDB(t, filepath.Join(t.TempDir(), "shape.db"))
	mustExec(t, db, tc.old...)
	mustExec(t, db, tc.fill...)
	live, err := queryStrings(context.Background(), db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	up, down := renderChange(t, live, tc.new)
	g := changeGraph(t, tc.old, tc.new)
	g[idChange] = rev(idChange, "change", []string{idBase}, up, down)
	return g
}

// checkInPlace upgrades to idChange and back, with the runner and with a
// plain client on a copy, after fill, comparing table t's state.
func checkInPlace(t *testing.T, g graph, up, down bool, fill func(*sql.DB)) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path, ref := filepath.Join(dir, "app.db"), filepath.Join(dir, "ref.db")
	var log bytes.Buffer
	r := open(t, path, g.dir(), WithLog(&log))
	if _, err := r.Upgrade(ctx, idBase); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	fill(db)
	copyFile(t, path, ref)
	refDB := rawDB(t, ref)

	log.Reset()
	if _, err := r.Upgrade(ctx, idChange); err != nil {
		t.Fatal(err)
	}
	plainRevision(t, ref, g[idChange].Upgrade)
	if got := strings.Contains(log.String(), "in place"); got != up {
		t.Errorf("upgrade in place = %v, want %v; log:\n%s\nSQL:\n%s", got, up, log.String(), g[idChange].Upgrade)
	}
	integrityOK(t, db)
	if got, want := tableState(t, db, "t"), tableState(t, refDB, "t"); got != want {
		t.Fatalf("after the upgrade, the runner gives\n%s\nthe rebuild gives\n%s", got, want)
	}
	// New rows get the new definition's defaults on either side, or are
	// refused on both.
	_, err := db.Exec("INSERT INTO t DEFAULT VALUES")
	_, refErr := refDB.Exec("INSERT INTO t DEFAULT VALUES")
	if (err == nil) != (refErr == nil) {
		t.Fatalf("an insert of defaults gives %v after the runner, %v after the rebuild", err, refErr)
	}
	if got, want := tableState(t, db, "t"), tableState(t, refDB, "t"); got != want {
		t.Fatalf("after an insert, the runner's table holds\n%s\nthe rebuild's\n%s", got, want)
	}
	if err == nil {
		mustExec(t, db, "DELETE FROM t WHERE rowid = (SELECT max(rowid) FROM t)")
		mustExec(t, refDB, "DELETE FROM t WHERE rowid = (SELECT max(rowid) FROM t)")
	}

	log.Reset()
	if _, err := r.Downgrade(ctx, idBase); err != nil {
		t.Fatal(err)
	}
	plainRevision(t, ref, g[idChange].Downgrade)
	if got := strings.Contains(log.String(), "in place"); got != down {
		t.Errorf("downgrade in place = %v, want %v; log:\n%s", got, down, log.String())
	}
	integrityOK(t, db)
	if got, want := tableState(t, db, "t"), tableState(t, refDB, "t"); got != want {
		t.Fatalf("after the downgrade, the runner gives\n%s\nthe rebuild gives\n%s", got, want)
	}
}

// fillParents gives table p, where there is one, the ids fillRows uses.
func fillParents(t testing.TB, db *sql.DB) {
	t.Helper()
	if count(t, db, "SELECT count(*) FROM sqlite_master WHERE name = 'p'") > 0 {
		mustExec(t, db, "WITH RECURSIVE s(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM s WHERE x < 60) INSERT INTO p (id) SELECT x FROM s")
	}
}

// fillRows inserts n rows into table, a value of each column's affinity
// (NULL now and then), through the table's own definition.
func fillRows(t testing.TB, db *sql.DB, table string, n int) {
	t.Helper()
	rows, err := db.Query("SELECT name, type, pk, hidden FROM pragma_table_xinfo(?)", table)
	if err != nil {
		t.Fatal(err)
	}
	var names, vals []string
	var types []string
	for rows.Next() {
		var name, typ string
		var pk, hidden int
		if err := rows.Scan(&name, &typ, &pk, &hidden); err != nil {
			t.Fatal(err)
		}
		if hidden != 0 {
			continue
		}
		names = append(names, quoteIdent(name))
		types = append(types, typ)
	}
	rows.Close()
	for i := range n {
		vals = vals[:0]
		for j, typ := range types {
			vals = append(vals, sampleValue(typ, i, j))
		}
		mustExec(t, db, fmt.Sprintf("INSERT OR IGNORE INTO %s (%s) VALUES (%s)", quoteIdent(table), strings.Join(names, ", "), strings.Join(vals, ", ")))
	}
}

func sampleValue(typ string, i, j int) string {
	if j > 0 && (i+j)%7 == 3 {
		return "NULL"
	}
	switch sqltext.TypeAffinity(typ) {
	case sqltext.AffinityText:
		return fmt.Sprintf("'v%d'", i*31+j)
	case sqltext.AffinityReal:
		return fmt.Sprintf("%d.5", i)
	case sqltext.AffinityBlob:
		if i%2 == 0 {
			return fmt.Sprintf("x'%02x'", i)
		}
		return fmt.Sprintf("'%d'", i)
	}
	return fmt.Sprintf("%d", i+j)
}

// TestInPlaceRowsStoredBeforeAddColumn checks what the probe protects: the
// rows stored before ADD COLUMN keep the default they read, new rows get
// the new one.
func TestInPlaceRowsStoredBeforeAddColumn(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db := rawDB(t, path)
	mustExec(t, db, `CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT)`, `INSERT INTO t (b) VALUES ('old')`,
		`ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 5`, `INSERT INTO t (b) VALUES ('new')`)
	up, down := renderChange(t, []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, c INTEGER DEFAULT 5)`}, []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, c INTEGER DEFAULT 6)`})
	g := newGraph(rev(idChange, "change", nil, up, down))
	var log bytes.Buffer
	r := open(t, path, g.dir(), WithLog(&log))
	if _, err := r.Upgrade(ctx, idChange); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "Rebuilding table t as written") {
		t.Errorf("log:\n%s", log.String())
	}
	mustExec(t, db, `INSERT INTO t (b) VALUES ('newer')`)
	if got := strings.Join(mustStrings(t, db, "SELECT b || '=' || c FROM t ORDER BY id"), " "); got != "old=5 new=5 newer=6" {
		t.Errorf("rows read %s", got)
	}
	integrityOK(t, db)
}

func mustStrings(t testing.TB, db *sql.DB, q string) []string {
	t.Helper()
	out, err := queryStrings(context.Background(), db, q)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInPlaceRunsEditedBlocksAsWritten: a rebuild whose copy was edited by
// hand (here, to transform a column) is not the rebuild autogen writes,
// and runs as written.
func TestInPlaceRunsEditedBlocksAsWritten(t *testing.T) {
	old := []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 1)`}
	up, down := renderChange(t, old, []string{`CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 2)`})
	edited := strings.Replace(up, `SELECT "id", "c" FROM "t"`, `SELECT "id", "c" + 1 FROM "t"`, 1)
	if edited == up {
		t.Fatalf("the rendered copy is not as expected:\n%s", up)
	}
	g := newGraph(rev(idBase, "base", nil, old[0]+";", "DROP TABLE t;"), rev(idChange, "change", []string{idBase}, edited, down))
	checkInPlace(t, g, false, true, func(db *sql.DB) { fillRows(t, db, "t", 10) })
}

// TestInPlaceKeepsObjects: the table's indexes and triggers, and a view on
// it, are there and work after an in-place change.
func TestInPlaceKeepsObjects(t *testing.T) {
	old := []string{`CREATE TABLE log (msg TEXT)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, c INTEGER DEFAULT 1, d TEXT UNIQUE)`, `CREATE INDEX t_c ON t (c)`,
		`CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins ' || new.c); END`, `CREATE VIEW v AS SELECT c, d FROM t`}
	new := slices.Clone(old)
	new[1] = `CREATE TABLE t (id INTEGER PRIMARY KEY, c BIGINT DEFAULT 9, d TEXT UNIQUE)`
	g := changeGraph(t, old, new)
	checkInPlace(t, g, true, true, func(db *sql.DB) { fillRows(t, db, "t", 20) })
}

// TestInPlaceProperty draws table definitions and changes among those the
// runner may make in place (defaults, NOT NULL, CHECK and FOREIGN KEY
// removed, types of the same affinity) and others, and checks for each
// that the runner's result is the plain rebuild's in both directions.
func TestInPlaceProperty(t *testing.T) {
	n := 30
	if testing.Short() {
		n = 10
	}
	rng := rand.New(rand.NewPCG(15, 2026))
	inPlace := 0
	for i := range n {
		old, new := drawChange(rng)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			ddl := []string{`CREATE TABLE p (id INTEGER PRIMARY KEY)`}
			g := changeGraph(t, append(slices.Clone(ddl), old), append(slices.Clone(ddl), new))
			if strings.Contains(g[idChange].Upgrade, rebuildPrefix) && inPlaceShape(t, old, new) {
				inPlace++
			}
			up := inPlaceShape(t, old, new) && strings.Contains(g[idChange].Upgrade, rebuildPrefix)
			down := inPlaceShape(t, new, old) && strings.Contains(g[idChange].Downgrade, rebuildPrefix)
			checkInPlace(t, g, up, down, func(db *sql.DB) {
				fillParents(t, db)
				fillRows(t, db, "t", 40)
			})
		})
	}
	if inPlace < n/4 {
		t.Errorf("only %d of %d changes went in place", inPlace, n)
	}
}

// propColumn is a column of a drawn table.
type propColumn struct {
	name, typ, dflt string
	notNull         bool
	check, fk       bool
}

var propTypes = [][]string{{"INTEGER", "BIGINT", "INT", "SMALLINT"}, {"TEXT", "VARCHAR(20)", "CLOB"}, {"REAL", "DOUBLE PRECISION", "FLOAT"}, {"NUMERIC", "DECIMAL(10,2)", "BOOLEAN"}, {"BLOB", ""}}

func (c propColumn) sql() string {
	s := `"` + c.name + `"`
	if c.typ != "" {
		s += " " + c.typ
	}
	if c.notNull {
		s += " NOT NULL"
	}
	if c.dflt != "" {
		s += " DEFAULT " + c.dflt
	}
	if c.check {
		s += ` CHECK ("` + c.name + `" IS NOT 'forbidden')`
	}
	if c.fk {
		s += " REFERENCES p (id)"
	}
	return s
}

// drawChange draws a table t and a changed definition of it.
func drawChange(rng *rand.Rand) (old, new string) {
	cols := []propColumn{}
	for i := range 2 + rng.IntN(4) {
		group := propTypes[rng.IntN(len(propTypes))]
		c := propColumn{name: fmt.Sprintf("c%d", i), typ: group[rng.IntN(len(group))]}
		if rng.IntN(3) == 0 {
			c.dflt = fmt.Sprint(rng.IntN(9))
		}
		c.notNull = c.dflt != "" && rng.IntN(2) == 0
		c.check = rng.IntN(4) == 0
		c.fk = sqltext.TypeAffinity(c.typ) == sqltext.AffinityInteger && rng.IntN(4) == 0
		cols = append(cols, c)
	}
	changed := slices.Clone(cols)
	for range 1 + rng.IntN(2) {
		i := rng.IntN(len(changed))
		c := &changed[i]
		switch rng.IntN(6) {
		case 0: // another default, or none
			c.dflt = []string{"", "'x'", "42", "(1 + 1)"}[rng.IntN(4)]
			c.notNull = c.notNull && c.dflt != ""
		case 1:
			c.notNull = !c.notNull && c.dflt != ""
		case 2:
			c.check = !c.check
		case 3:
			c.fk = !c.fk && sqltext.TypeAffinity(c.typ) == sqltext.AffinityInteger
		case 4: // a type of the same affinity
			for _, g := range propTypes {
				if slices.Contains(g, c.typ) {
					c.typ = g[rng.IntN(len(g))]
				}
			}
		case 5: // any type
			g := propTypes[rng.IntN(len(propTypes))]
			c.typ = g[rng.IntN(len(g))]
			c.fk = c.fk && sqltext.TypeAffinity(c.typ) == sqltext.AffinityInteger
		}
	}
	table := func(cs []propColumn) string {
		var defs []string
		for _, c := range cs {
			defs = append(defs, c.sql())
		}
		return `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, ` + strings.Join(defs, ", ") + ")"
	}
	return table(cols), table(changed)
}

// inPlaceShape reports whether from -> to changes only what the runner may
// change in place: no column's affinity, no NOT NULL, CHECK or foreign key
// added.
func inPlaceShape(t *testing.T, from, to string) bool {
	a, err := schema.ParseCreateTable(from)
	if err != nil {
		t.Fatal(err)
	}
	b, err := schema.ParseCreateTable(to)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range a.Columns {
		d := b.Columns[i]
		if sqltext.TypeAffinity(c.Type) != sqltext.TypeAffinity(d.Type) || d.NotNull && !c.NotNull {
			return false
		}
	}
	return len(b.Checks) <= len(a.Checks) && checksKept(a, b) && len(b.ForeignKeys) <= len(a.ForeignKeys) && fksKept(a, b)
}

func checksKept(a, b *schema.Table) bool {
	for _, c := range b.Checks {
		if !slices.ContainsFunc(a.Checks, func(x *schema.Check) bool { return schema.EqualCheck(x, c) }) {
			return false
		}
	}
	return true
}

func fksKept(a, b *schema.Table) bool {
	for _, c := range b.ForeignKeys {
		if !slices.ContainsFunc(a.ForeignKeys, func(x *schema.ForeignKey) bool { return schema.EqualForeignKey(x, c) }) {
			return false
		}
	}
	return true
}

func TestReplaceDefault(t *testing.T) {
	for _, tc := range []struct{ in, col, want string }{
		{`CREATE TABLE t (a INTEGER, b TEXT DEFAULT 'x', c)`, "b", `CREATE TABLE t (a INTEGER, b TEXT DEFAULT X, c)`},
		{`CREATE TABLE t (a INTEGER, b TEXT, c)`, "b", `CREATE TABLE t (a INTEGER, b TEXT DEFAULT X, c)`},
		{`CREATE TABLE t (a INTEGER DEFAULT -1 NOT NULL)`, "a", `CREATE TABLE t (a INTEGER DEFAULT X NOT NULL)`},
		{`CREATE TABLE t ("a b" INT DEFAULT (1 + (2)) CHECK ("a b" > 0), PRIMARY KEY ("a b"))`, "a b", `CREATE TABLE t ("a b" INT DEFAULT X CHECK ("a b" > 0), PRIMARY KEY ("a b"))`},
		{`CREATE TABLE t (a, "default" DEFAULT 1)`, "DEFAULT", `CREATE TABLE t (a, "default" DEFAULT X)`},
		{`CREATE TABLE t (a DECIMAL(10, 2), b)`, "a", `CREATE TABLE t (a DECIMAL(10, 2) DEFAULT X, b)`},
	} {
		got, err := replaceDefault(tc.in, tc.col, "X")
		if err != nil || got != tc.want {
			t.Errorf("replaceDefault(%q, %q) = %q, %v; want %q", tc.in, tc.col, got, err, tc.want)
		}
	}
	if _, err := replaceDefault(`CREATE TABLE t (a, UNIQUE (a))`, "unique", "X"); err == nil {
		t.Error("a table constraint was taken for a column")
	}
}

// TestRebuildPrefix: the runner recognises the rebuilds render writes.
func TestRebuildPrefix(t *testing.T) {
	if rebuildPrefix != render.TempPrefix {
		t.Fatalf("rebuildPrefix %q, render.TempPrefix %q", rebuildPrefix, render.TempPrefix)
	}
}
