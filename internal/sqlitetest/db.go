// Package sqlitetest holds the test harness that render's, verify's and
// assess's tests share: private in-memory SQLite databases holding rows,
// migrated the way the runner migrates them, and snapshots of the rows a
// change must keep.
package sqlitetest

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

// DB is one connection to a private in-memory database, foreign key
// enforcement on as an application would have it.
type DB struct {
	t    testing.TB
	db   *sql.DB
	Conn *sql.Conn // the one connection, for the code under test
}

// New opens a database and runs the scripts stmts on it.
func New(t testing.TB, stmts ...string) *DB {
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
	d := &DB{t: t, db: db, Conn: conn}
	t.Cleanup(func() { conn.Close(); db.Close() })
	d.Exec("PRAGMA foreign_keys = ON")
	for _, s := range stmts {
		d.Script(s)
	}
	return d
}

// CompareDDL inspects current and target, each in its own database, and
// compares them.
func CompareDDL(t testing.TB, current, target string, opts diff.Options) (cur, tgt *schema.Schema, ops []diff.Op) {
	t.Helper()
	cur, tgt = New(t, current).Inspect(), New(t, target).Inspect()
	ops, err := diff.Compare(cur, tgt, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cur, tgt, ops
}

// Exec runs one statement; an error fails the test.
func (d *DB) Exec(s string) {
	d.t.Helper()
	if _, err := d.Conn.ExecContext(context.Background(), s); err != nil {
		d.t.Fatalf("%s: %v", s, err)
	}
}

// Script runs every statement of s; an error fails the test.
func (d *DB) Script(s string) {
	d.t.Helper()
	if err := d.TryScript(s); err != nil {
		d.t.Fatal(err)
	}
}

// TryScript runs every statement of s and returns the first error.
func (d *DB) TryScript(s string) error {
	stmts, err := sqltext.SplitStatements(s)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		if _, err := d.Conn.ExecContext(context.Background(), st); err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

// Migrate applies a revision's SQL the way the runner does: enforcement off
// outside the transaction, foreign_key_check before COMMIT.
func (d *DB) Migrate(s string) error {
	d.t.Helper()
	ctx := context.Background()
	d.Exec("PRAGMA foreign_keys = OFF")
	defer d.Exec("PRAGMA foreign_keys = ON")
	before := d.FKViolations()
	d.Exec("BEGIN")
	if err := d.TryScript(s); err != nil {
		d.Exec("ROLLBACK")
		return err
	}
	if after := d.FKViolations(); after > before {
		d.Exec("ROLLBACK")
		return fmt.Errorf("foreign_key_check: %d violations, %d before", after, before)
	}
	_, err := d.Conn.ExecContext(ctx, "COMMIT")
	return err
}

// FKViolations counts the rows PRAGMA foreign_key_check reports.
func (d *DB) FKViolations() int {
	d.t.Helper()
	rows, err := d.Conn.QueryContext(context.Background(), "PRAGMA foreign_key_check")
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

// Inspect reads the database's schema.
func (d *DB) Inspect() *schema.Schema {
	d.t.Helper()
	s, err := schema.Inspect(context.Background(), d.Conn)
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

// Master returns sqlite_master's rows, for exact comparison.
func (d *DB) Master() []string {
	return d.Strings("SELECT type || ' ' || name || ' ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
}

// Strings returns a query's rows, each as its columns joined by "|".
func (d *DB) Strings(query string) []string {
	d.t.Helper()
	return Strings(d.t, d.Conn, query)
}

// Strings returns the rows of query on q (a database, connection or
// transaction), each as its columns joined by "|".
func Strings(t testing.TB, q schema.Querier, query string) []string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
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
			t.Fatal(err)
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
		t.Fatal(err)
	}
	return out
}

// Snapshot holds, per table, its rows over the given columns, sorted.
type Snapshot map[string][]string

// ColumnMap pairs a table of a and a table of b, and their columns that
// keep values: same column (or renamed by the ops) on both sides, not
// generated, and not made NOT NULL (its NULLs may be filled).
type ColumnMap struct {
	TableA, TableB string
	ColsA, ColsB   []string
}

// KeptColumns lists, for each table of a and its counterpart in b (ops
// rename tables and columns), the columns whose values a change keeps.
func KeptColumns(ops []diff.Op, a, b *schema.Schema) []ColumnMap {
	tableRen := map[string]string{}
	colRen := map[string]map[string]string{}
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.RenameTable:
			tableRen[sqltext.FoldIdent(o.Old.Name)] = o.New.Name
		case *diff.RenameColumn:
			m := colRen[sqltext.FoldIdent(o.TableName)]
			if m == nil {
				m = map[string]string{}
				colRen[sqltext.FoldIdent(o.TableName)] = m
			}
			m[sqltext.FoldIdent(o.Old.Name)] = o.New.Name
		}
	}
	var out []ColumnMap
	for _, ta := range a.Tables {
		nameB := ta.Name
		if n, ok := tableRen[sqltext.FoldIdent(ta.Name)]; ok {
			nameB = n
		}
		tb := b.Table(nameB)
		if tb == nil {
			continue
		}
		cm := ColumnMap{TableA: ta.Name, TableB: tb.Name}
		for _, ca := range ta.Columns {
			nb := ca.Name
			if n, ok := colRen[sqltext.FoldIdent(tb.Name)][sqltext.FoldIdent(ca.Name)]; ok {
				nb = n
			}
			cb := tb.Column(nb)
			if cb == nil || ca.Generated != "" || cb.Generated != "" || cb.NotNull != ca.NotNull {
				continue
			}
			cm.ColsA = append(cm.ColsA, ca.Name)
			cm.ColsB = append(cm.ColsB, cb.Name)
		}
		out = append(out, cm)
	}
	return out
}

// Snapshot reads the rows of the tables maps names over their kept
// columns, side a or (sideB) side b.
func (d *DB) Snapshot(maps []ColumnMap, sideB bool) Snapshot {
	s := Snapshot{}
	for _, m := range maps {
		table, cols := m.TableA, m.ColsA
		if sideB {
			table, cols = m.TableB, m.ColsB
		}
		expr := "count(*)"
		if len(cols) > 0 {
			quoted := make([]string, len(cols))
			for i, c := range cols {
				quoted[i] = "ifnull(CAST(" + sqltext.QuoteIdent(c) + " AS TEXT), 'NULL')"
			}
			expr = strings.Join(quoted, " || '|' || ")
		}
		rows := d.Strings("SELECT " + expr + " FROM " + sqltext.QuoteIdent(table))
		slices.Sort(rows)
		s[sqltext.FoldIdent(m.TableA)] = rows
	}
	return s
}
