package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// rebuildReason says why ops cannot be done with ALTER TABLE on a table
// holding rows ("" when they can), in words that follow "SQLite cannot".
func (c *tableChange) rebuildReason(ops []diff.Op, renames map[string]string) string {
	if reason := c.orderReason(ops, renames); reason != "" {
		return reason
	}
	for _, op := range ops {
		var reason string
		switch o := op.(type) {
		case *diff.AddColumn:
			reason = c.addColumnReason(o.Column)
		case *diff.DropColumn:
			reason = c.dropColumnReason(o.Column.Name, ops)
		case *diff.AlterColumn:
			if o.Attr != diff.AttrNotNull || o.New.Generated != "" {
				reason = fmt.Sprintf("change the %s of column %s", o.Attr.Noun(), o.New.Name)
			}
		case *diff.DropCheck:
			if o.Check.Name == "" {
				reason = "drop an unnamed CHECK constraint"
			}
		case *diff.AddForeignKey:
			if !addsColumn(ops, o.ForeignKey) {
				reason = "add a foreign key to existing columns"
			}
		case *diff.AddCheck, *diff.AddIndex, *diff.DropIndex:
		case *diff.DropForeignKey:
			reason = "drop a foreign key"
		case *diff.AlterForeignKey:
			reason = "change a foreign key"
		case *diff.AddUnique:
			reason = "add a UNIQUE constraint"
		case *diff.DropUnique:
			reason = "drop a UNIQUE constraint"
		case *diff.AlterPrimaryKey:
			reason = "change a primary key"
		case *diff.AlterOptions:
			reason = "change WITHOUT ROWID or STRICT"
		default:
			reason = "apply " + op.Describe()
		}
		if reason != "" {
			return reason
		}
	}
	return ""
}

// addsColumn reports whether fk is on one column that ops add.
func addsColumn(ops []diff.Op, fk *schema.ForeignKey) bool {
	if len(fk.Columns) != 1 {
		return false
	}
	for _, op := range ops {
		if o, ok := op.(*diff.AddColumn); ok && sqltext.EqualIdent(o.Column.Name, fk.Columns[0]) {
			return true
		}
	}
	return false
}

// orderReason checks that ALTER TABLE, which appends columns, leaves the
// target's columns. In the upgrade their order may differ: autogen compares
// columns by name (check reports no difference), and a table rebuilt only
// to place a column would copy every row for nothing. The downgrade must
// give back the stored CREATE text, order included.
func (c *tableChange) orderReason(ops []diff.Op, renames map[string]string) string {
	names := c.alteredColumns(ops, renames)
	if len(names) != len(c.to.Columns) {
		return "reorder columns"
	}
	for i, col := range c.to.Columns {
		switch {
		case col.Name == names[i]:
		case !c.forward:
			return fmt.Sprintf("place column %s among the existing ones", col.Name)
		case !slices.Contains(names, col.Name):
			return "reorder columns"
		}
	}
	return ""
}

// alteredColumns lists the column names ALTER TABLE leaves, in order: the
// kept ones, renamed, then the added ones.
func (c *tableChange) alteredColumns(ops []diff.Op, renames map[string]string) []string {
	var names []string
	dropped := map[string]bool{}
	for _, op := range ops {
		if o, ok := op.(*diff.DropColumn); ok {
			dropped[sqltext.FoldIdent(o.Column.Name)] = true
		}
	}
	for _, col := range c.from.Columns {
		if !dropped[sqltext.FoldIdent(col.Name)] {
			names = append(names, renamed(renames, col.Name))
		}
	}
	for _, op := range ops {
		if o, ok := op.(*diff.AddColumn); ok {
			names = append(names, o.Column.Name)
		}
	}
	return names
}

// leaves is a table holding only the columns ALTER TABLE leaves, in their
// order, for (*schema.Table).InOrderOf.
func (c *tableChange) leaves() *schema.Table {
	_, renames, rest := c.split()
	var t schema.Table
	for _, name := range c.alteredColumns(rest, renames) {
		t.Columns = append(t.Columns, &schema.Column{Name: name})
	}
	return &t
}

// appendedOutOfPlace reports whether ADD COLUMN puts col elsewhere than
// the target has it: some column the target places after it already exists.
func (c *tableChange) appendedOutOfPlace(ops []diff.Op, col string) bool {
	names := c.alteredColumns(ops, nil)
	for i, tc := range c.to.Columns {
		if tc.Name == col {
			return i < len(names) && names[i] != col
		}
	}
	return false
}

func renamed(renames map[string]string, name string) string {
	for o, n := range renames {
		if sqltext.EqualIdent(o, name) {
			return n
		}
	}
	return name
}

func (c *tableChange) addColumnReason(col *schema.Column) string {
	switch {
	case c.to.PrimaryKey != nil && sqltext.ContainsIdent(c.to.PrimaryKey.Columns, col.Name):
		return "add primary key column " + col.Name
	case inUnique(c.to, col.Name):
		return "add UNIQUE column " + col.Name
	case col.Generated != "" && (col.Stored || col.NotNull):
		return "add STORED or NOT NULL generated column " + col.Name
	case col.NotNull && noDefault(col):
		return "add NOT NULL column " + col.Name + " without a default"
	case col.Default != "" && !constantDefault(col.Default):
		return "add column " + col.Name + " with a non-constant default"
	}
	return ""
}

func inUnique(t *schema.Table, col string) bool {
	for _, u := range t.Uniques {
		if sqltext.ContainsIdent(u.Columns, col) {
			return true
		}
	}
	return false
}

// dropColumnReason applies DROP COLUMN's limits to column col of c.from.
func (c *tableChange) dropColumnReason(col string, ops []diff.Op) string {
	t := c.from
	switch {
	case t.PrimaryKey != nil && sqltext.ContainsIdent(t.PrimaryKey.Columns, col):
		return "drop primary key column " + col
	case inUnique(t, col):
		return "drop UNIQUE column " + col
	}
	for _, fk := range t.ForeignKeys {
		if sqltext.ContainsIdent(fk.Columns, col) {
			return "drop foreign key column " + col
		}
	}
	for _, ix := range t.Indexes {
		if indexUses(ix, col) && !dropsIndex(ops, ix.Name) {
			return "drop indexed column " + col
		}
	}
	for _, ck := range t.Checks {
		if mentions(ck.Expr, col) {
			return "drop column " + col + ", which a CHECK uses"
		}
	}
	for _, other := range t.Columns {
		if other.Generated != "" && mentions(other.Generated, col) {
			return "drop column " + col + ", which a generated column uses"
		}
	}
	for _, v := range c.live.Views {
		if mentions(v.SQL, t.Name) && mentions(v.SQL, col) {
			return "drop column " + col + ", which view " + v.Name + " may use"
		}
	}
	for _, tr := range c.live.Triggers {
		if (sqltext.EqualIdent(tr.Table, t.Name) || mentions(tr.SQL, t.Name)) && mentions(tr.SQL, col) {
			return "drop column " + col + ", which trigger " + tr.Name + " may use"
		}
	}
	if c.fromAll != nil {
		for _, other := range c.fromAll.Tables {
			for _, fk := range other.ForeignKeys {
				if sqltext.EqualIdent(fk.RefTable, t.Name) && sqltext.ContainsIdent(fk.RefColumns, col) {
					return "drop column " + col + ", which table " + other.Name + " references"
				}
			}
		}
	}
	return ""
}

func indexUses(ix *schema.Index, col string) bool {
	if mentions(ix.Where, col) {
		return true
	}
	for _, ic := range ix.Columns {
		if sqltext.EqualIdent(ic.Name, col) || mentions(ic.Expr, col) {
			return true
		}
	}
	return false
}

func dropsIndex(ops []diff.Op, name string) bool {
	for _, op := range ops {
		if o, ok := op.(*diff.DropIndex); ok && sqltext.EqualIdent(o.Index.Name, name) {
			return true
		}
	}
	return false
}

// mentions reports whether sql holds an identifier token naming name.
func mentions(sql, name string) bool {
	if sql == "" {
		return false
	}
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return true // unreadable: assume the worst
	}
	for _, t := range toks {
		if (t.Kind == sqltext.TokenIdent || t.Kind == sqltext.TokenQuotedIdent || t.Kind == sqltext.TokenString) && sqltext.EqualIdent(t.Value, name) {
			return true
		}
	}
	return false
}

// constantDefault reports whether a DEFAULT is a literal, which is what ADD
// COLUMN accepts: a number, string, blob, NULL, TRUE or FALSE, maybe signed.
func constantDefault(expr string) bool {
	toks, err := sqltext.Tokenize(sqltext.Unparen(expr))
	if err != nil {
		return false
	}
	if len(toks) == 2 && toks[0].Kind == sqltext.TokenOperator && (toks[0].Text == "-" || toks[0].Text == "+") {
		toks = toks[1:]
	}
	if len(toks) != 1 {
		return false
	}
	switch toks[0].Kind {
	case sqltext.TokenString, sqltext.TokenNumber, sqltext.TokenBlob:
		return true
	case sqltext.TokenIdent:
		switch sqltext.UpperASCII(toks[0].Text) {
		case "NULL", "TRUE", "FALSE":
			return true
		}
	}
	return false
}

// rebuild writes SQLite's table rebuild (https://sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"): create the new definition
// under a temporary name, copy the rows, drop the old table, rename the new
// one into its place, then recreate its indexes and triggers.
//
// Views, and triggers on other tables, that name the table are left alone:
// DROP TABLE does not check them, and the rename runs with
// legacy_alter_table on, which neither checks nor rewrites them, so they
// name the new table once it has the old name. Dropping and recreating them
// would fail, or create them, on a database that lacks them: a view made by
// hand exists only where it was made.
func (c *tableChange) rebuild(b *sqlBuf, reason string, renames map[string]string) error {
	name := c.to.Name
	temp := TempPrefix + name
	create, err := renameCreateTable(c.to.SQL, temp)
	if err != nil {
		return fmt.Errorf("%w: table %q: %w", ErrRender, name, err)
	}
	if c.forward && !c.exact {
		// The downgrade must restore the live text exactly; the upgrade's
		// text comes from the models and is laid out for review.
		create = layoutCreateTable(create)
	}
	if reason == forcedReason {
		comment(b, fmt.Sprintf("rebuild %s: ALTER TABLE would not give this exact definition", q(name)))
	} else {
		comment(b, fmt.Sprintf("rebuild %s: SQLite cannot %s in place", q(name), reason))
	}
	stmt(b, create)
	c.copyRows(b, temp, renames)
	stmt(b, "DROP TABLE "+q(name))
	comment(b, "legacy_alter_table: the rename leaves the views and triggers that name "+q(name)+" as they are")
	stmt(b, "PRAGMA legacy_alter_table = ON")
	stmt(b, fmt.Sprintf("ALTER TABLE %s RENAME TO %s", q(temp), q(name)))
	stmt(b, "PRAGMA legacy_alter_table = OFF")
	for _, ix := range c.to.Indexes {
		stmt(b, ix.SQL)
	}
	if len(c.triggers) > 0 {
		comment(b, "DROP TABLE dropped the triggers on "+q(name)+": create them again (on any database this runs on)")
	}
	for _, tr := range c.triggers {
		stmt(b, tr)
	}
	return nil
}

// copyRows fills the new table from the old one, and carries over the
// AUTOINCREMENT counter.
func (c *tableChange) copyRows(b *sqlBuf, temp string, renames map[string]string) {
	name := c.to.Name
	seen := len(c.warns)
	cols, exprs := c.copyColumns(renames)
	for _, w := range c.warns[seen:] {
		comment(b, "WARNING: "+w)
	}
	// Columns are named, never SELECT *: two databases at the same revision
	// may hold a table's columns in different orders (ADD COLUMN appends,
	// create_all does not), and a copy by position would then put values in
	// the wrong columns without a word. (SELECT * would buy SQLite's
	// transfer optimisation only where the definitions match, which a
	// rebuild's change mostly rules out anyway.)
	if len(cols) > 0 {
		stmt(b, fmt.Sprintf("INSERT INTO %s (%s)\n  SELECT %s FROM %s", q(temp), strings.Join(cols, ", "), strings.Join(exprs, ", "), q(name)))
	}
	if autoincrement(c.from) && autoincrement(c.to) {
		// Keep AUTOINCREMENT's promise: no id of a deleted row comes back.
		stmt(b, fmt.Sprintf("DELETE FROM sqlite_sequence WHERE name = %s", sqltext.QuoteString(temp)))
		stmt(b, fmt.Sprintf("INSERT INTO sqlite_sequence (name, seq)\n  SELECT %s, seq FROM sqlite_sequence WHERE name = %s", sqltext.QuoteString(temp), sqltext.QuoteString(name)))
	}
}

// copyColumns lists the new table's columns filled from the old one and the
// expressions that fill them.
func (c *tableChange) copyColumns(renames map[string]string) (cols, exprs []string) {
	for _, col := range c.to.Columns {
		if col.Generated != "" {
			continue
		}
		var src *schema.Column
		for _, old := range c.from.Columns {
			if sqltext.EqualIdent(renamed(renames, old.Name), col.Name) {
				src = old
			}
		}
		if src == nil {
			switch {
			case c.zeroFilled(col):
				cols = append(cols, q(col.Name))
				exprs = append(exprs, ZeroValue(col.Type))
				for _, risk := range zeroFillRisks(c.to, col.Name) {
					c.warnf("column %s.%s comes back with %s in every row, %s", c.to.Name, col.Name, ZeroValue(col.Type), risk)
				}
			case col.NotNull && noDefault(col) && !sqltext.EqualIdent(rowidAlias(c.to), col.Name):
				c.warnf("new column %s.%s is NOT NULL without a default: the rebuild fails if table %s holds rows", c.to.Name, col.Name, c.to.Name)
			}
			continue
		}
		expr := q(col.Name)
		if col.NotNull && !src.NotNull && !c.exact {
			if col.Default != "" {
				expr = fmt.Sprintf("COALESCE(%s, %s)", expr, col.Default)
			} else {
				c.warnf("column %s.%s becomes NOT NULL without a default: the rebuild fails if it holds NULLs", c.to.Name, col.Name)
			}
		}
		cols = append(cols, q(col.Name))
		exprs = append(exprs, expr)
	}
	return cols, exprs
}

// zeroFilled reports whether the downgrade adds col back, NOT NULL without
// a default, filled with zeroValue: the values the upgrade dropped are gone,
// and without a value the copy of a table holding rows would fail. A
// primary key column is left out: one value for every row cannot be a key
// (an INTEGER PRIMARY KEY left NULL gets fresh rowids).
func (c *tableChange) zeroFilled(col *schema.Column) bool {
	inPK := c.to.PrimaryKey != nil && sqltext.ContainsIdent(c.to.PrimaryKey.Columns, col.Name)
	return !c.forward && !inPK && col.NotNull && col.Generated == "" && noDefault(col)
}

// zeroFillRisks says how a downgrade that fills column col of t with one
// value in every row can fail on a table holding rows: a unique rule over
// it, a foreign key from it, a CHECK naming it.
func zeroFillRisks(t *schema.Table, col string) []string {
	var risks []string
	unique := func(cols []string) {
		switch {
		case len(cols) == 1:
			risks = append(risks, fmt.Sprintf("which its UNIQUE rule forbids: the downgrade fails if table %s holds more than one row", t.Name))
		default:
			risks = append(risks, fmt.Sprintf("under the unique rule (%s): the downgrade fails if two rows agree on its other columns", strings.Join(cols, ", ")))
		}
	}
	for _, u := range t.Uniques {
		if sqltext.ContainsIdent(u.Columns, col) {
			unique(u.Columns)
		}
	}
	for _, ix := range t.Indexes {
		var cols []string
		for _, c := range ix.Columns {
			cols = append(cols, c.Name)
		}
		if ix.Unique && ix.Where == "" && sqltext.ContainsIdent(cols, col) {
			unique(cols)
		}
	}
	for _, fk := range t.ForeignKeys {
		if sqltext.ContainsIdent(fk.Columns, col) {
			risks = append(risks, fmt.Sprintf("which its foreign key to %s must find there: the downgrade fails unless %s has such a row", fk.RefTable, fk.RefTable))
		}
	}
	for _, ck := range t.Checks {
		if mentions(ck.Expr, col) {
			risks = append(risks, fmt.Sprintf("which must pass CHECK (%s)", ck.Expr))
		}
	}
	return risks
}

func noDefault(col *schema.Column) bool {
	return col.Default == "" || sqltext.EqualIdent(sqltext.Unparen(col.Default), "NULL")
}

// ZeroValue is what bun writes for a zero Go value into a column declared
// typ: 0 for the numeric affinities (false too), the empty string for text,
// the empty blob for blob, and the zero time.Time for bun's TIMESTAMP.
func ZeroValue(typ string) string {
	switch sqltext.TypeAffinity(typ) {
	case sqltext.AffinityText:
		return "''"
	case sqltext.AffinityBlob:
		return "x''"
	case sqltext.AffinityNumeric:
		if u := sqltext.UpperASCII(typ); strings.Contains(u, "TIME") || strings.Contains(u, "DATE") {
			return "'0001-01-01 00:00:00+00:00'"
		}
	}
	return "0"
}

// renameCreateTable returns a CREATE TABLE statement with its table name
// replaced by name, found with the tokenizer so nothing else changes.
func renameCreateTable(sql, name string) (string, error) {
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return "", err
	}
	var words []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			words = append(words, t)
		}
	}
	i := 0
	next := func(kw ...string) bool {
		for _, k := range kw {
			if i < len(words) && words[i].Kind == sqltext.TokenIdent && sqltext.EqualIdent(words[i].Text, k) {
				i++
				return true
			}
		}
		return false
	}
	if !next("CREATE") {
		return "", fmt.Errorf("not a CREATE TABLE statement: %.40q", sql)
	}
	next("TEMP", "TEMPORARY")
	if !next("TABLE") {
		return "", fmt.Errorf("not a CREATE TABLE statement: %.40q", sql)
	}
	if next("IF") {
		next("NOT")
		next("EXISTS")
	}
	if i >= len(words) {
		return "", fmt.Errorf("CREATE TABLE without a name: %.40q", sql)
	}
	start, end := words[i].Offset, words[i].Offset+len(words[i].Text)
	if i+2 < len(words) && words[i+1].Text == "." {
		end = words[i+2].Offset + len(words[i+2].Text)
	}
	return sql[:start] + q(name) + sql[end:], nil
}

func autoincrement(t *schema.Table) bool {
	return t.PrimaryKey != nil && t.PrimaryKey.Autoincrement
}
