package render

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"

	_ "modernc.org/sqlite"
)

// testDB is one connection to a private in-memory database, foreign key
// enforcement on as an application would have it.
type testDB struct {
	t    testing.TB
	db   *sql.DB
	conn *sql.Conn
}

func newDB(t testing.TB, stmts ...string) *testDB {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := &testDB{t: t, db: db, conn: conn}
	t.Cleanup(func() { conn.Close(); db.Close() })
	d.exec("PRAGMA foreign_keys = ON")
	for _, s := range stmts {
		d.script(s)
	}
	return d
}

// compareDDL inspects current and target, each in its own database, and
// compares them.
func compareDDL(t testing.TB, current, target string, opts diff.Options) (cur, tgt *schema.Schema, ops []diff.Op) {
	t.Helper()
	cur, tgt = newDB(t, current).inspect(), newDB(t, target).inspect()
	ops, err := diff.Compare(cur, tgt, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cur, tgt, ops
}

func (d *testDB) exec(s string) {
	d.t.Helper()
	if _, err := d.conn.ExecContext(context.Background(), s); err != nil {
		d.t.Fatalf("%s: %v", s, err)
	}
}

// script runs every statement of s.
func (d *testDB) script(s string) {
	d.t.Helper()
	if err := d.tryScript(s); err != nil {
		d.t.Fatal(err)
	}
}

func (d *testDB) tryScript(s string) error {
	stmts, err := sqltext.SplitStatements(s)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := d.conn.ExecContext(context.Background(), st); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

// migrate applies a revision's SQL the way the runner does: enforcement off
// outside the transaction, foreign_key_check before COMMIT.
func (d *testDB) migrate(s string) error {
	d.t.Helper()
	ctx := context.Background()
	d.exec("PRAGMA foreign_keys = OFF")
	defer d.exec("PRAGMA foreign_keys = ON")
	before := d.fkViolations()
	d.exec("BEGIN")
	if err := d.tryScript(s); err != nil {
		d.exec("ROLLBACK")
		return err
	}
	if after := d.fkViolations(); after > before {
		d.exec("ROLLBACK")
		return fmt.Errorf("foreign_key_check: %d violations, %d before", after, before)
	}
	_, err := d.conn.ExecContext(ctx, "COMMIT")
	return err
}

func (d *testDB) fkViolations() int {
	d.t.Helper()
	rows, err := d.conn.QueryContext(context.Background(), "PRAGMA foreign_key_check")
	if err != nil {
		d.t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

func (d *testDB) inspect() *schema.Schema {
	d.t.Helper()
	s, err := schema.Inspect(context.Background(), d.conn)
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

// master returns sqlite_master's rows, for exact comparison.
func (d *testDB) master() []string {
	return d.strings("SELECT type || ' ' || name || ' ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
}

func (d *testDB) strings(query string) []string {
	d.t.Helper()
	rows, err := d.conn.QueryContext(context.Background(), query)
	if err != nil {
		d.t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			d.t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		d.t.Fatal(err)
	}
	return out
}

// snapshot holds, per table, its rows over the given columns, sorted.
type snapshot map[string][]string

// columnMap pairs a table of a and a table of b, and their columns that
// keep values: same column (or renamed by the ops) on both sides, not
// generated, and not made NOT NULL (its NULLs may be filled).
type columnMap struct {
	tableA, tableB string
	colsA, colsB   []string
}

func keptColumns(ops []diff.Op, a, b *schema.Schema) []columnMap {
	tableRen := map[string]string{}
	colRen := map[string]map[string]string{}
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.RenameTable:
			tableRen[strings.ToLower(o.Old.Name)] = o.New.Name
		case *diff.RenameColumn:
			m := colRen[strings.ToLower(o.TableName)]
			if m == nil {
				m = map[string]string{}
				colRen[strings.ToLower(o.TableName)] = m
			}
			m[strings.ToLower(o.Old.Name)] = o.New.Name
		}
	}
	var out []columnMap
	for _, ta := range a.Tables {
		nameB := ta.Name
		if n, ok := tableRen[strings.ToLower(ta.Name)]; ok {
			nameB = n
		}
		tb := b.Table(nameB)
		if tb == nil {
			continue
		}
		cm := columnMap{tableA: ta.Name, tableB: tb.Name}
		for _, ca := range ta.Columns {
			nb := ca.Name
			if n, ok := colRen[strings.ToLower(tb.Name)][strings.ToLower(ca.Name)]; ok {
				nb = n
			}
			cb := tb.Column(nb)
			if cb == nil || ca.Generated != "" || cb.Generated != "" || cb.NotNull != ca.NotNull {
				continue
			}
			cm.colsA = append(cm.colsA, ca.Name)
			cm.colsB = append(cm.colsB, cb.Name)
		}
		out = append(out, cm)
	}
	return out
}

func (d *testDB) snapshot(maps []columnMap, sideB bool) snapshot {
	s := snapshot{}
	for _, m := range maps {
		table, cols := m.tableA, m.colsA
		if sideB {
			table, cols = m.tableB, m.colsB
		}
		expr := "count(*)"
		if len(cols) > 0 {
			quoted := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = "ifnull(CAST(" + sqltext.QuoteIdent(c) + " AS TEXT), 'NULL')"
			}
			expr = strings.Join(quoted, " || '|' || ")
		}
		rows := d.strings("SELECT " + expr + " FROM " + sqltext.QuoteIdent(table))
		slices.Sort(rows)
		s[strings.ToLower(m.tableA)] = rows
	}
	return s
}
