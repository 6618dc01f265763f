package render

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// Kind names what a Finding is about.
type Kind string

// The kinds of Finding.
const (
	KindDropTable  Kind = "drop table"   // rows deleted with a table
	KindDropColumn Kind = "drop column"  // non-NULL values deleted with a column
	KindNarrowing  Kind = "narrowing"    // values under a narrowing type change
	KindNotNull    Kind = "not null"     // NULLs in a column becoming NOT NULL
	KindNewNotNull Kind = "new not null" // rows that get no value for a new NOT NULL column
	KindUnique     Kind = "unique"       // rows holding duplicated values under a new unique rule
	KindCheck      Kind = "check"        // rows failing a new CHECK
	KindForeignKey Kind = "foreign key"  // rows whose parent row is missing under a new foreign key
	KindRebuild    Kind = "rebuild"      // rows copied by a table rebuild
)

// Finding is what one operation would do to live rows. Fatal findings make
// the upgrade fail (or violate a constraint) as the data stands.
type Finding struct {
	Table   string
	Column  string
	Kind    Kind
	Rows    int64
	Fatal   bool
	Message string
}

// Assess counts, in the database behind q, the rows that each destructive or
// risky operation of ops touches; operations touching no row give no
// finding. rebuilt names the tables the rendered SQL rebuilds (Result.Rebuilt:
// render alone decides, after checking its SQL), whose copied rows are
// reported too. Findings are sorted by table, column and kind.
func Assess(ctx context.Context, q schema.Querier, ops []diff.Op, rebuilt []string) ([]Finding, error) {
	current, err := schema.Inspect(ctx, q)
	if err != nil {
		return nil, err
	}
	a := &assessor{ctx: ctx, q: q, current: current, rebuilt: rebuilt}
	for _, g := range groupOps(ops) {
		if err := a.group(g); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(a.out, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(x.Table, y.Table), cmp.Compare(x.Column, y.Column), cmp.Compare(x.Kind, y.Kind))
	})
	return a.out, nil
}

type assessor struct {
	ctx     context.Context
	q       schema.Querier
	current *schema.Schema
	rebuilt []string
	out     []Finding
}

func (a *assessor) add(f Finding) {
	if f.Rows > 0 {
		a.out = append(a.out, f)
	}
}

// count runs a count query; the error names the table.
func (a *assessor) count(table, query string) (int64, error) {
	rows, err := a.q.QueryContext(a.ctx, query)
	if err != nil {
		return 0, fmt.Errorf("counting rows of table %s: %w", table, err)
	}
	defer rows.Close()
	var n sql.NullInt64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, fmt.Errorf("counting rows of table %s: %w", table, err)
		}
	}
	return n.Int64, rows.Err()
}

func (a *assessor) group(g *opGroup) error {
	if g.table == "" {
		if o, ok := g.ops[0].(*diff.DropTable); ok && a.current.Table(o.Old.Name) != nil {
			n, err := a.count(o.Old.Name, "SELECT count(*) FROM "+q(o.Old.Name))
			if err != nil {
				return err
			}
			a.add(Finding{Table: o.Old.Name, Kind: KindDropTable, Rows: n,
				Message: fmt.Sprintf("dropping table %s deletes its %d rows", o.Old.Name, n)})
		}
		return nil
	}
	from := a.current.Table(fromName(g))
	if from == nil {
		return fmt.Errorf("%w: table %q is not in the database", ErrRender, fromName(g))
	}
	// Column names in ops are the target's; queries need the current ones,
	// and a new column reads as the default every existing row gets.
	back := map[string]string{}
	for _, op := range g.ops {
		switch o := op.(type) {
		case *diff.RenameColumn:
			back[o.New.Name] = q(o.Old.Name)
		case *diff.AddColumn:
			back[o.Column.Name] = "NULL"
			if o.Column.Default != "" {
				back[o.Column.Name] = "(" + o.Column.Default + ")"
			}
		}
	}
	// A column made NOT NULL with a default reads as what the change
	// leaves in it, and the unique rules already over it see the filled
	// values too.
	var filled []string
	for _, op := range g.ops {
		if o, ok := op.(*diff.AlterColumn); ok && o.Attr == diff.AttrNotNull && o.New.NotNull && o.New.Default != "" {
			cur := q(o.Old.Name)
			back[o.New.Name] = fmt.Sprintf("COALESCE(%s, %s)", cur, o.New.Default)
			filled = append(filled, o.New.Name)
		}
	}
	t := &tableAssess{assessor: a, from: from, back: back, table: g.table}
	for _, op := range g.ops {
		if err := t.op(op, g.ops); err != nil {
			return err
		}
	}
	if err := t.keptUniques(g.ops, filled); err != nil {
		return err
	}
	return t.rebuild()
}

// keptUniques checks the unique rules the table keeps over columns whose
// NULLs get filled with a default.
func (t *tableAssess) keptUniques(ops []diff.Op, filled []string) error {
	if len(filled) == 0 {
		return nil
	}
	to := applyOps(t.from, nil)
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.RenameColumn, *diff.DropUnique, *diff.DropIndex, *diff.DropColumn:
			to = applyOps(to, []diff.Op{o})
		}
	}
	uses := func(cols []string) bool {
		return slices.ContainsFunc(cols, func(c string) bool { return containsName(filled, c) })
	}
	for _, u := range to.Uniques {
		if uses(u.Columns) {
			if err := t.duplicates(u.Columns, nil, ""); err != nil {
				return err
			}
		}
	}
	for _, ix := range to.Indexes {
		var cols []string
		for _, ic := range ix.Columns {
			cols = append(cols, ic.Name)
		}
		if ix.Unique && uses(cols) && slices.Index(cols, "") < 0 {
			if err := t.duplicates(cols, nil, t.expr(ix.Where)); err != nil {
				return err
			}
		}
	}
	return nil
}

type tableAssess struct {
	*assessor
	from  *schema.Table
	back  map[string]string // target column name -> SQL reading it now
	table string            // the table's target name
}

func (t *tableAssess) col(name string) string {
	for n, expr := range t.back {
		if schema.EqualIdent(n, name) {
			return expr
		}
	}
	return q(name)
}

// expr rewrites an expression over target columns into one over the
// current table.
func (t *tableAssess) expr(e string) string {
	return diff.ReplaceIdents(e, func(name string) (string, bool) {
		for n, expr := range t.back {
			if schema.EqualIdent(n, name) {
				return expr, true
			}
		}
		return "", false
	})
}

func (t *tableAssess) where(cond string) (int64, error) {
	return t.count(t.table, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", q(t.from.Name), cond))
}

func (t *tableAssess) op(op diff.Op, all []diff.Op) error {
	switch o := op.(type) {
	case *diff.DropColumn:
		n, err := t.where(q(o.Column.Name) + " IS NOT NULL")
		t.add(Finding{Table: t.table, Column: o.Column.Name, Kind: KindDropColumn, Rows: n,
			Message: fmt.Sprintf("dropping column %s.%s deletes %d non-NULL values", t.table, o.Column.Name, n)})
		return err
	case *diff.AddColumn:
		c := o.Column
		if !c.NotNull || c.Generated != "" || (c.Default != "" && !strings.EqualFold(stripParens(c.Default), "NULL")) {
			return nil
		}
		n, err := t.where("1")
		t.add(Finding{Table: t.table, Column: c.Name, Kind: KindNewNotNull, Rows: n, Fatal: true,
			Message: fmt.Sprintf("new column %s.%s is NOT NULL without a default, and the table holds %d rows", t.table, c.Name, n)})
		return err
	case *diff.AlterColumn:
		return t.alter(o)
	case *diff.AddUnique:
		return t.duplicates(o.Unique.Columns, nil, "")
	case *diff.AddIndex:
		if !o.Index.Unique {
			return nil
		}
		var exprs []string
		for _, ic := range o.Index.Columns {
			if ic.Name != "" {
				exprs = append(exprs, t.col(ic.Name))
			} else {
				exprs = append(exprs, t.expr(ic.Expr))
			}
		}
		return t.duplicates(nil, exprs, t.expr(o.Index.Where))
	case *diff.AddCheck:
		n, err := t.where(fmt.Sprintf("NOT (%s)", t.expr(o.Check.Expr)))
		t.add(Finding{Table: t.table, Kind: KindCheck, Rows: n, Fatal: true,
			Message: fmt.Sprintf("%d rows of table %s fail the new CHECK (%s)", n, t.table, o.Check.Expr)})
		return err
	case *diff.AddForeignKey:
		return t.orphans(o.ForeignKey, all)
	}
	return nil
}

func (t *tableAssess) alter(o *diff.AlterColumn) error {
	c := q(o.Old.Name) // the column as it is now
	switch {
	case o.Attr == diff.AttrNotNull && o.New.NotNull:
		n, err := t.where(c + " IS NULL")
		fatal := o.New.Default == ""
		msg := fmt.Sprintf("column %s.%s becomes NOT NULL and %d rows hold NULL there", t.table, o.New.Name, n)
		if fatal {
			msg += ", with no default to fill them"
		} else {
			msg += fmt.Sprintf("; they get the default %s", o.New.Default)
		}
		t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindNotNull, Rows: n, Fatal: fatal, Message: msg})
		return err
	case o.Attr == diff.AttrType && o.Destructive():
		return t.narrowing(o)
	}
	return nil
}

// narrowing counts the values a narrowing type change concerns: under the
// same affinity SQLite keeps every value as it is and only the declared
// size shrinks, so the values longer than it are what a reader must know
// of; a move to a numeric affinity converts text that reads as a number.
func (t *tableAssess) narrowing(o *diff.AlterColumn) error {
	c := q(o.Old.Name)
	change := fmt.Sprintf("narrowing %s.%s from %s to %s", t.table, o.New.Name, orNone(o.Old.Type), orNone(o.New.Type))
	size, sized := diff.TypeSize(o.New.Type)
	var n int64
	var err error
	var msg string
	switch {
	case diff.TypeAffinity(o.Old.Type) != diff.TypeAffinity(o.New.Type):
		n, err = t.where("typeof(" + c + ") = 'text'")
		msg = fmt.Sprintf("%s: %d text values are converted to numbers where they read as one", change, n)
	case sized && diff.TypeAffinity(o.New.Type) == diff.AffinityText:
		n, err = t.where(fmt.Sprintf("length(%s) > %d", c, int64(size)))
		msg = fmt.Sprintf("%s: %d values are longer than %d characters (SQLite keeps them whole; it does not enforce sizes)", change, n, int64(size))
	default:
		n, err = t.where(c + " IS NOT NULL")
		msg = fmt.Sprintf("%s touches %d values", change, n)
	}
	t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindNarrowing, Rows: n, Message: msg})
	return err
}

// duplicates counts the rows holding a value that another row holds too,
// over columns (target names) or expressions; rows with a NULL term are
// exempt, as UNIQUE exempts them.
func (t *tableAssess) duplicates(columns, exprs []string, where string) error {
	for _, c := range columns {
		exprs = append(exprs, t.col(c))
	}
	conds := make([]string, 0, len(exprs)+1)
	keys := make([]string, 0, len(exprs))
	sel := make([]string, 0, len(exprs))
	for i, e := range exprs {
		conds = append(conds, "("+e+") IS NOT NULL")
		keys = append(keys, fmt.Sprintf("k%d", i))
		sel = append(sel, fmt.Sprintf("%s AS k%d", e, i))
	}
	if where != "" {
		conds = append(conds, "("+where+")")
	}
	// The terms are selected first: GROUP BY would read a bare integer
	// (a new column's default) as a column number.
	query := fmt.Sprintf("SELECT sum(n) FROM (SELECT count(*) AS n FROM (SELECT %s FROM %s WHERE %s) GROUP BY %s HAVING count(*) > 1)",
		strings.Join(sel, ", "), q(t.from.Name), strings.Join(conds, " AND "), strings.Join(keys, ", "))
	n, err := t.count(t.table, query)
	name := strings.Join(columns, ", ")
	if name == "" {
		name = strings.Join(exprs, ", ")
	}
	t.add(Finding{Table: t.table, Column: strings.Join(columns, ","), Kind: KindUnique, Rows: n, Fatal: true,
		Message: fmt.Sprintf("%d rows of table %s hold duplicated values of (%s), which the new unique rule forbids", n, t.table, name)})
	return err
}

// orphans counts rows whose foreign key columns are all set but name no
// parent row; the runner's foreign_key_check would roll the revision back.
func (t *tableAssess) orphans(fk *schema.ForeignKey, all []diff.Op) error {
	var set []string
	for _, c := range fk.Columns {
		if addsColumnNamed(all, c) {
			return nil // a new column holds only its default
		}
		set = append(set, t.col(c)+" IS NOT NULL")
	}
	cond := strings.Join(set, " AND ")
	parent := t.current.Table(fk.RefTable)
	refCols := fk.RefColumns
	if parent != nil && len(refCols) == 0 && parent.PrimaryKey != nil {
		refCols = parent.PrimaryKey.Columns
	}
	if parent != nil && len(refCols) == len(fk.Columns) {
		var match []string
		for i, c := range fk.Columns {
			match = append(match, fmt.Sprintf("p.%s = %s.%s", q(refCols[i]), q(t.from.Name), t.col(c)))
		}
		cond += fmt.Sprintf(" AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)", q(parent.Name), strings.Join(match, " AND "))
	}
	n, err := t.where(cond)
	t.add(Finding{Table: t.table, Column: strings.Join(fk.Columns, ","), Kind: KindForeignKey, Rows: n, Fatal: true,
		Message: fmt.Sprintf("%d rows of table %s name a %s row that does not exist", n, t.table, fk.RefTable)})
	return err
}

func addsColumnNamed(ops []diff.Op, name string) bool {
	for _, op := range ops {
		if o, ok := op.(*diff.AddColumn); ok && schema.EqualIdent(o.Column.Name, name) {
			return true
		}
	}
	return false
}

// rebuild reports the rows a rebuild of the table copies.
func (t *tableAssess) rebuild() error {
	if !containsName(t.rebuilt, t.table) {
		return nil
	}
	n, err := t.where("1")
	t.add(Finding{Table: t.table, Kind: KindRebuild, Rows: n,
		Message: fmt.Sprintf("rebuilding table %s copies its %d rows", t.table, n)})
	return err
}
