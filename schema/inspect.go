package schema

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// Querier is what Inspect reads through: *sql.DB, *sql.Conn and *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// The inspection queries: one for sqlite_master and one per kind of pragma,
// each joined over every table, so the number of queries does not grow
// with the number of tables.
const (
	masterQuery = `SELECT type, name, tbl_name, sql FROM sqlite_master
WHERE type IN ('table', 'index', 'view', 'trigger') ORDER BY name`
	userTables   = `m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'`
	columnsQuery = `SELECT m.name, c.cid, c.name, c.type, c."notnull", c.pk, c.hidden
FROM sqlite_master AS m JOIN pragma_table_xinfo(m.name) AS c
WHERE ` + userTables + ` ORDER BY m.name, c.cid`
	indexesQuery = `SELECT m.name, l.name, l.origin, x.cid, x.name, x."desc"
FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS l JOIN pragma_index_xinfo(l.name) AS x
WHERE ` + userTables + ` AND l.origin = 'c' AND x.key ORDER BY m.name, l.name, x.seqno`
	foreignKeysQuery = `SELECT m.name, f.id, f."table", f."from", f.on_update, f.on_delete
FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f
WHERE ` + userTables + ` ORDER BY m.name, f.id, f.seq`
)

// Inspect reads the schema of the main database behind q. Internal tables
// (sqlite_%) and the tables named in skip are left out, with their indexes
// and triggers. What only the stored SQL holds comes from parsing it; the
// pragmas check the parse.
func Inspect(ctx context.Context, q Querier, skip ...string) (*Schema, error) {
	s := &Schema{}
	tables := map[string]*Table{} // by lower-case name
	var indexes []*Index
	err := query(ctx, q, masterQuery, func(rows *sql.Rows) error {
		var typ, name, tbl string
		var text sql.NullString
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			return err
		}
		if internal(name) || internal(tbl) || skipped(tbl, skip) {
			return nil
		}
		return addObject(s, tables, &indexes, typ, name, tbl, text.String)
	})
	if err != nil {
		return nil, err
	}
	for _, ix := range indexes {
		t := tables[sqltext.FoldIdent(ix.Table)]
		if t == nil {
			return nil, fmt.Errorf("inspect index %q: its table %q is not in the schema", ix.Name, ix.Table)
		}
		t.Indexes = append(t.Indexes, ix)
	}
	if err := checkColumns(ctx, q, tables); err != nil {
		return nil, err
	}
	if err := checkIndexes(ctx, q, tables); err != nil {
		return nil, err
	}
	if err := checkForeignKeys(ctx, q, tables); err != nil {
		return nil, err
	}
	sortSchema(s)
	return s, nil
}

func internal(name string) bool {
	return len(name) >= 7 && sqltext.EqualIdent(name[:7], "sqlite_")
}

func skipped(name string, skip []string) bool {
	for _, n := range skip {
		if sqltext.EqualIdent(n, name) {
			return true
		}
	}
	return false
}

func addObject(s *Schema, tables map[string]*Table, indexes *[]*Index, typ, name, tbl, text string) error {
	switch typ {
	case "table":
		if isVirtual(text) {
			return fmt.Errorf("inspect table %q: virtual tables are not supported", name)
		}
		t, err := ParseCreateTable(text)
		if err != nil {
			return fmt.Errorf("inspect table %q: %w", name, err)
		}
		if t.Name != name {
			return fmt.Errorf("inspect table %q: its stored SQL names it %q", name, t.Name)
		}
		s.Tables = append(s.Tables, t)
		tables[sqltext.FoldIdent(name)] = t
	case "index":
		if text == "" {
			return nil // sqlite_autoindex_*: a UNIQUE or PRIMARY KEY constraint
		}
		ix, err := ParseCreateIndex(text)
		if err != nil {
			return fmt.Errorf("inspect index %q of table %q: %w", name, tbl, err)
		}
		ix.Name, ix.Table = name, tbl
		*indexes = append(*indexes, ix)
	case "view":
		s.Views = append(s.Views, &View{Name: name, SQL: text, Managed: IsManaged(text)})
	case "trigger":
		s.Triggers = append(s.Triggers, &Trigger{Name: name, Table: tbl, SQL: text, Managed: IsManaged(text)})
	}
	return nil
}

// query runs one query and calls scan for every row.
func query(ctx context.Context, q Querier, text string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("inspect: query %s: %w", sqltext.FirstLine(text), err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("inspect: query %s: %w", sqltext.FirstLine(text), err)
	}
	return nil
}

// checkColumns compares the parsed columns with pragma_table_xinfo.
func checkColumns(ctx context.Context, q Querier, tables map[string]*Table) error {
	seen := map[*Table]int{}
	pks := map[*Table][]pkColumn{}
	err := query(ctx, q, columnsQuery, func(rows *sql.Rows) error {
		var tbl, name string
		var typ sql.NullString
		var cid, notNull, pk, hidden int
		if err := rows.Scan(&tbl, &cid, &name, &typ, &notNull, &pk, &hidden); err != nil {
			return err
		}
		t := tables[sqltext.FoldIdent(tbl)]
		if t == nil {
			return nil
		}
		i := seen[t]
		seen[t]++
		if i >= len(t.Columns) {
			return fmt.Errorf("inspect table %q: SQLite has column %q that the parsed CREATE TABLE lacks", tbl, name)
		}
		c := t.Columns[i]
		if c.Name != name {
			return fmt.Errorf("inspect table %q: column %d is %q to SQLite but %q in the parsed CREATE TABLE", tbl, i, name, c.Name)
		}
		if want := generatedKind(c); hiddenKind(hidden) != want {
			return fmt.Errorf("inspect table %q: column %q is %s to SQLite but %s in the parsed CREATE TABLE", tbl, name, hiddenKind(hidden), want)
		}
		// SQLite's notnull also counts the implied NOT NULL of a WITHOUT
		// ROWID table's key, which means the same as a declared one.
		c.NotNull = notNull != 0
		if pk > 0 {
			pks[t] = append(pks[t], pkColumn{pk, name})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range tables {
		if seen[t] != len(t.Columns) {
			return fmt.Errorf("inspect table %q: SQLite has %d columns but the parsed CREATE TABLE has %d", t.Name, seen[t], len(t.Columns))
		}
		if err := checkPrimaryKey(t, pks[t]); err != nil {
			return err
		}
	}
	return nil
}

type pkColumn struct {
	pos  int // 1-based position in the key
	name string
}

func checkPrimaryKey(t *Table, cols []pkColumn) error {
	sort.Slice(cols, func(i, j int) bool { return cols[i].pos < cols[j].pos })
	var want []string
	for _, c := range cols {
		want = append(want, c.name)
	}
	var got []string
	if t.PrimaryKey != nil {
		got = t.PrimaryKey.Columns
	}
	if !equalStrings(got, want) {
		return fmt.Errorf("inspect table %q: the primary key is (%s) to SQLite but (%s) in the parsed CREATE TABLE", t.Name, strings.Join(want, ", "), strings.Join(got, ", "))
	}
	return nil
}

func hiddenKind(hidden int) string {
	switch hidden {
	case 2:
		return "a VIRTUAL generated column"
	case 3:
		return "a STORED generated column"
	}
	return "an ordinary column"
}

func generatedKind(c *Column) string {
	switch {
	case c.Generated == "":
		return hiddenKind(0)
	case c.Stored:
		return hiddenKind(3)
	}
	return hiddenKind(2)
}

// checkIndexes compares parsed CREATE INDEX columns with pragma_index_xinfo
// and takes column names as the table spells them.
func checkIndexes(ctx context.Context, q Querier, tables map[string]*Table) error {
	seen := map[*Index]int{}
	err := query(ctx, q, indexesQuery, func(rows *sql.Rows) error {
		var tbl, name, origin string
		var col sql.NullString
		var cid int
		var desc bool
		if err := rows.Scan(&tbl, &name, &origin, &cid, &col, &desc); err != nil {
			return err
		}
		t := tables[sqltext.FoldIdent(tbl)]
		if t == nil {
			return nil
		}
		ix := findIndex(t, name)
		if ix == nil {
			return fmt.Errorf("inspect table %q: SQLite has index %q that sqlite_master does not list", tbl, name)
		}
		i := seen[ix]
		seen[ix]++
		if i >= len(ix.Columns) {
			return fmt.Errorf("inspect index %q: SQLite indexes more terms than its parsed CREATE INDEX", name)
		}
		c := &ix.Columns[i]
		if (cid == -2) != (c.Expr != "") || c.Desc != desc || (col.Valid && !sqltext.EqualIdent(c.Name, col.String)) {
			return fmt.Errorf("inspect index %q: term %d is %s to SQLite but %s in the parsed CREATE INDEX", name, i, describeTerm(col, cid), describeColumn(*c))
		}
		if col.Valid {
			c.Name = col.String
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range tables {
		for _, ix := range t.Indexes {
			if seen[ix] != len(ix.Columns) {
				return fmt.Errorf("inspect index %q: SQLite has %d terms but the parsed CREATE INDEX has %d", ix.Name, seen[ix], len(ix.Columns))
			}
		}
	}
	return nil
}

func findIndex(t *Table, name string) *Index {
	for _, ix := range t.Indexes {
		if ix.Name == name {
			return ix
		}
	}
	return nil
}

func describeTerm(col sql.NullString, cid int) string {
	if cid == -2 {
		return "an expression"
	}
	if cid == -1 {
		return "the rowid"
	}
	return fmt.Sprintf("column %q", col.String)
}

func describeColumn(c IndexColumn) string {
	if c.Expr != "" {
		return fmt.Sprintf("expression %q", c.Expr)
	}
	return fmt.Sprintf("column %q", c.Name)
}

// checkForeignKeys compares the parsed foreign keys with
// pragma_foreign_key_list, which lists them in reverse order.
func checkForeignKeys(ctx context.Context, q Querier, tables map[string]*Table) error {
	type key struct {
		t  *Table
		id int
	}
	got := map[key]*ForeignKey{}
	var order []key
	err := query(ctx, q, foreignKeysQuery, func(rows *sql.Rows) error {
		var tbl, parent, from, onUpdate, onDelete string
		var id int
		if err := rows.Scan(&tbl, &id, &parent, &from, &onUpdate, &onDelete); err != nil {
			return err
		}
		t := tables[sqltext.FoldIdent(tbl)]
		if t == nil {
			return nil
		}
		k := key{t, id}
		fk := got[k]
		if fk == nil {
			fk = &ForeignKey{RefTable: parent, OnDelete: onDelete, OnUpdate: onUpdate}
			got[k] = fk
			order = append(order, k)
		}
		fk.Columns = append(fk.Columns, from)
		return nil
	})
	if err != nil {
		return err
	}
	count := map[*Table]int{}
	for _, k := range order {
		count[k.t]++
	}
	for _, t := range tables {
		if count[t] != len(t.ForeignKeys) {
			return fmt.Errorf("inspect table %q: SQLite has %d foreign keys but the parsed CREATE TABLE has %d", t.Name, count[t], len(t.ForeignKeys))
		}
	}
	for _, k := range order {
		if err := sameForeignKey(k.t, got[k], k.t.ForeignKeys[len(k.t.ForeignKeys)-1-k.id]); err != nil {
			return err
		}
	}
	return nil
}

func sameForeignKey(t *Table, pragma, parsed *ForeignKey) error {
	ok := sqltext.EqualIdent(pragma.RefTable, parsed.RefTable) && len(pragma.Columns) == len(parsed.Columns) &&
		pragma.OnDelete == parsed.OnDelete && pragma.OnUpdate == parsed.OnUpdate
	for i := 0; ok && i < len(pragma.Columns); i++ {
		ok = sqltext.EqualIdent(pragma.Columns[i], parsed.Columns[i])
	}
	if !ok {
		return fmt.Errorf("inspect table %q: foreign key (%s) REFERENCES %q ON DELETE %s ON UPDATE %s to SQLite but (%s) REFERENCES %q ON DELETE %s ON UPDATE %s in the parsed CREATE TABLE",
			t.Name, strings.Join(pragma.Columns, ", "), pragma.RefTable, pragma.OnDelete, pragma.OnUpdate,
			strings.Join(parsed.Columns, ", "), parsed.RefTable, parsed.OnDelete, parsed.OnUpdate)
	}
	return nil
}

func sortSchema(s *Schema) {
	sort.Slice(s.Tables, func(i, j int) bool { return s.Tables[i].Name < s.Tables[j].Name })
	sort.Slice(s.Views, func(i, j int) bool { return s.Views[i].Name < s.Views[j].Name })
	sort.Slice(s.Triggers, func(i, j int) bool { return s.Triggers[i].Name < s.Triggers[j].Name })
	for _, t := range s.Tables {
		sort.Slice(t.Indexes, func(i, j int) bool { return t.Indexes[i].Name < t.Indexes[j].Name })
	}
}

// isVirtual reports whether text is a CREATE VIRTUAL TABLE statement.
func isVirtual(text string) bool {
	toks, _ := sqltext.Tokenize(text)
	n := 0
	for _, t := range toks {
		if t.Kind == sqltext.TokenComment {
			continue
		}
		if n == 1 {
			return t.Is("VIRTUAL")
		}
		n++
	}
	return false
}
