// Package assess measures what a revision would do to the rows of a live
// database before it is written: the rows a dropped table or column takes
// with it, the values a narrowing type change touches, the NULLs under a
// new NOT NULL, the duplicates under a new unique rule, the orphans under
// a new foreign key, the rows a rebuild copies, and the views and triggers
// the upgrade leaves broken (SQLite itself is asked, on a scratch copy of
// the schema). Fatal findings make the upgrade fail as the data stands.
package assess

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/verify"
)

// Kind names what a Finding is about.
type Kind string

// The kinds of Finding.
const (
	KindDropTable     Kind = "drop table"     // rows deleted with a table
	KindDropColumn    Kind = "drop column"    // non-NULL values deleted with a column
	KindNarrowing     Kind = "narrowing"      // values longer than a new declared size
	KindConversion    Kind = "conversion"     // values a type change alters, or leaves of another type
	KindNotNull       Kind = "not null"       // NULLs in a column becoming NOT NULL
	KindNewNotNull    Kind = "new not null"   // rows that get no value for a new NOT NULL column
	KindUnique        Kind = "unique"         // rows holding values equal under a new or changed unique rule or primary key
	KindCheck         Kind = "check"          // rows failing a new CHECK
	KindForeignKey    Kind = "foreign key"    // rows whose parent row is missing under a new foreign key
	KindRebuild       Kind = "rebuild"        // rows copied by a table rebuild
	KindBrokenView    Kind = "broken view"    // a view the upgrade leaves naming a table or column that is gone
	KindBrokenTrigger Kind = "broken trigger" // a trigger the upgrade leaves naming a table or column that is gone
	KindLostTrigger   Kind = "lost trigger"   // a hand-made trigger that goes with a view the upgrade drops
	KindOrphans       Kind = "orphans"        // child rows the downgrade of dropping their parent table leaves pointing nowhere
	KindKey           Kind = "key"            // an INSERT omitting the primary key behaves otherwise (rowid alias, AUTOINCREMENT)
	KindEnumValue     Kind = "enum value"     // PostgreSQL: rows holding a value its enum type loses, or a value renamed
)

// Finding is what one operation would do to live rows. Fatal findings make
// the upgrade fail (or violate a constraint) as the data stands, or leave
// a view or trigger that fails whenever it is used (Rows is 0 for those).
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
// finding. res is what verify.Render made of ops: its changes group the
// operations by table, the tables it rebuilds (Result.Rebuilt: render alone
// decides, after checking its SQL) are reported with the rows they copy,
// and where the database has views or triggers its upgrade is run on an
// empty copy of the database's schema, opened by open, where SQLite itself
// tells which of them the upgrade leaves broken. Findings are sorted by
// table, column and kind.
func Assess(ctx context.Context, q schema.Querier, open verify.Opener, ops []diff.Op, res *render.Result) ([]Finding, error) {
	current, err := schema.Inspect(ctx, q)
	if err != nil {
		return nil, err
	}
	a := &assessor{ctx: ctx, q: q, open: open, current: current, rebuilt: res.Rebuilt, dropped: map[string]bool{}, ops: ops}
	for _, op := range ops {
		if o, ok := op.(*diff.DropTable); ok {
			a.dropped[sqltext.FoldIdent(o.Old.Name)] = true
		}
	}
	for _, c := range res.Changes {
		if err := a.group(c); err != nil {
			return nil, err
		}
	}
	if err := a.dependents(ops, res.Up); err != nil {
		return nil, err
	}
	a.lostTriggers(ops)
	slices.SortFunc(a.out, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(x.Table, y.Table), cmp.Compare(x.Column, y.Column), cmp.Compare(x.Kind, y.Kind),
			cmp.Compare(x.Message, y.Message))
	})
	return a.out, nil
}

type assessor struct {
	ctx     context.Context
	q       schema.Querier
	open    verify.Opener
	current *schema.Schema
	rebuilt []string
	dropped map[string]bool // tables the revision drops, by folded name
	ops     []diff.Op       // the revision's operations, every table's
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

// lostTriggers reports the hand-made triggers on views the revision drops:
// DROP VIEW takes them along, no revision names them, and the downgrade,
// which creates the view again, cannot bring them back.
func (a *assessor) lostTriggers(ops []diff.Op) {
	dropped := map[string]bool{}
	for _, op := range ops {
		if o, ok := op.(*diff.DropTrigger); ok {
			dropped[sqltext.FoldIdent(o.Trigger.Name)] = true
		}
	}
	for _, op := range ops {
		o, ok := op.(*diff.DropView)
		if !ok {
			continue
		}
		for _, tr := range a.current.Triggers {
			if tr.Managed || dropped[sqltext.FoldIdent(tr.Name)] || !sqltext.EqualIdent(tr.Table, o.View.Name) {
				continue
			}
			a.out = append(a.out, Finding{Table: o.View.Name, Kind: KindLostTrigger,
				Message: fmt.Sprintf("dropping view %s also drops trigger %s, made by hand on this database; the downgrade does not bring it back", o.View.Name, tr.Name)})
		}
	}
}

// orphans reports, for each table keeping a foreign key to parent, which
// the revision drops, the rows that will point nowhere after the
// downgrade: it creates parent again, empty, and the foreign key with it.
func (a *assessor) orphans(parent string) error {
	for _, c := range render.Children(a.current, parent, a.dropped) {
		var conds []string
		for _, fk := range c.ForeignKeys {
			if !sqltext.EqualIdent(fk.RefTable, parent) {
				continue
			}
			// SQLite checks a foreign key only where none of its columns is NULL.
			var set []string
			for _, col := range fk.Columns {
				set = append(set, q(col)+" IS NOT NULL")
			}
			conds = append(conds, "("+strings.Join(set, " AND ")+")")
		}
		n, err := a.count(c.Name, "SELECT count(*) FROM "+q(c.Name)+" WHERE "+strings.Join(conds, " OR "))
		if err != nil {
			return err
		}
		then := "the revision declares them to the foreign key check"
		if !render.OrphansDeclared(c.Name, parent) {
			then = "the foreign key check refuses the downgrade while they exist"
		}
		a.add(Finding{Table: c.Name, Kind: KindOrphans, Rows: n,
			Message: fmt.Sprintf("the downgrade creates table %s again, empty: %s of %s will point to no row of it (it brings back the table and the foreign key, not the rows; %s)", parent, printable.Count(n, "row", "rows"), c.Name, then)})
	}
	return nil
}

func (a *assessor) group(g render.Change) error {
	if g.Table == "" {
		if o, ok := g.Ops[0].(*diff.DropTable); ok && a.current.Table(o.Old.Name) != nil {
			n, err := a.count(o.Old.Name, "SELECT count(*) FROM "+q(o.Old.Name))
			if err != nil {
				return err
			}
			a.add(Finding{Table: o.Old.Name, Kind: KindDropTable, Rows: n,
				Message: fmt.Sprintf("dropping table %s deletes its %s", o.Old.Name, printable.Count(n, "row", "rows"))})
			return a.orphans(o.Old.Name)
		}
		return nil
	}
	from := a.current.Table(g.From)
	if from == nil {
		return fmt.Errorf("%w: table %q is not in the database", render.ErrRender, g.From)
	}
	if g.Key != "" {
		a.out = append(a.out, Finding{Table: g.Table, Kind: KindKey, Message: g.Key})
	}
	// Column names in ops are the target's; queries need the current ones,
	// and a new column reads as the default every existing row gets.
	back := map[string]string{}
	for _, op := range g.Ops {
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
	// leaves in it, and the unique rules over it see the filled values too.
	filled := map[string]string{}
	for _, op := range g.Ops {
		if o, ok := op.(*diff.AlterColumn); ok && o.Attr == diff.AttrNotNull && o.New.NotNull && o.New.Default != "" {
			cur := q(o.Old.Name)
			back[o.New.Name] = fmt.Sprintf("COALESCE(%s, %s)", cur, o.New.Default)
			filled[sqltext.FoldIdent(o.New.Name)] = o.New.Default
		}
	}
	t := &tableAssess{assessor: a, from: from, back: back, filled: filled, table: g.Table, ops: g.Ops}
	for _, op := range g.Ops {
		if err := t.op(op, g.Ops); err != nil {
			return err
		}
	}
	if err := t.uniques(); err != nil {
		return err
	}
	return t.rebuild()
}

type tableAssess struct {
	*assessor
	from   *schema.Table
	back   map[string]string // target column name -> SQL reading it now
	filled map[string]string // lower-case target column name -> the default its NULLs get
	table  string            // the table's target name
	ops    []diff.Op         // the table's operations
}

func (t *tableAssess) col(name string) string {
	for n, expr := range t.back {
		if sqltext.EqualIdent(n, name) {
			return expr
		}
	}
	return q(name)
}

// expr rewrites an expression over target columns into one over the
// current table.
func (t *tableAssess) expr(e string) string {
	return sqltext.ReplaceIdents(e, func(name string) (string, bool) {
		for n, expr := range t.back {
			if sqltext.EqualIdent(n, name) {
				return expr, true
			}
		}
		return "", false
	})
}

// target returns the target definition of the column with target name
// name, nil when there is none.
func (t *tableAssess) target(name string) *schema.Column {
	for _, op := range t.ops {
		var c *schema.Column
		switch o := op.(type) {
		case *diff.AlterColumn:
			c = o.New
		case *diff.RenameColumn:
			c = o.New
		case *diff.AddColumn:
			c = o.Column
		}
		if c != nil && sqltext.EqualIdent(c.Name, name) {
			return c
		}
	}
	if t.source(name) == nil {
		return nil
	}
	return t.from.Column(name)
}

// source returns the current definition of the column with target name
// name, nil for a column the table gets.
func (t *tableAssess) source(name string) *schema.Column {
	for _, op := range t.ops {
		switch o := op.(type) {
		case *diff.RenameColumn:
			if sqltext.EqualIdent(o.New.Name, name) {
				return o.Old
			}
			if sqltext.EqualIdent(o.Old.Name, name) {
				return nil // the name is taken by another column now
			}
		case *diff.AddColumn:
			if sqltext.EqualIdent(o.Column.Name, name) {
				return nil
			}
		}
	}
	return t.from.Column(name)
}

func (t *tableAssess) where(cond string) (int64, error) {
	return t.count(t.table, fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", q(t.from.Name), cond))
}

func (t *tableAssess) op(op diff.Op, all []diff.Op) error {
	switch o := op.(type) {
	case *diff.DropColumn:
		n, err := t.where(q(o.Column.Name) + " IS NOT NULL")
		msg := fmt.Sprintf("dropping column %s.%s deletes %s", t.table, o.Column.Name, printable.Count(n, "non-NULL value", "non-NULL values"))
		if fill := t.downgradeFill(o.Column); fill != "" {
			msg += fmt.Sprintf("; the downgrade cannot bring %s back and fills %s.%s with %s for %s",
				printable.Agree(n, "it", "them"), t.table, o.Column.Name, fill, printable.Count(n, "row", "rows"))
		}
		t.add(Finding{Table: t.table, Column: o.Column.Name, Kind: KindDropColumn, Rows: n, Message: msg})
		return err
	case *diff.AddColumn:
		c := o.Column
		if !c.NotNull || c.Generated != "" || (c.Default != "" && !sqltext.EqualIdent(sqltext.Unparen(c.Default), "NULL")) || t.newRowid(c) {
			return nil
		}
		n, err := t.where("1")
		t.add(Finding{Table: t.table, Column: c.Name, Kind: KindNewNotNull, Rows: n, Fatal: true,
			Message: fmt.Sprintf("new column %s.%s is NOT NULL without a default, and the table holds %s", t.table, c.Name, printable.Count(n, "row", "rows"))})
		return err
	case *diff.AlterColumn:
		return t.alter(o)
	case *diff.AddCheck:
		n, err := t.where(fmt.Sprintf("NOT (%s)", t.expr(o.Check.Expr)))
		t.add(Finding{Table: t.table, Kind: KindCheck, Rows: n, Fatal: true,
			Message: fmt.Sprintf("%s of table %s %s the new CHECK (%s)", printable.Count(n, "row", "rows"), t.table, printable.Agree(n, "fails", "fail"), o.Check.Expr)})
		return err
	case *diff.AddForeignKey:
		return t.orphans(o.ForeignKey, all)
	}
	return nil
}

// newRowid reports whether the added column c becomes the table's alias of
// the rowid (bun's INTEGER pk,autoincrement): the rebuild that adds it
// leaves it out of the copy and SQLite numbers the rows, so NOT NULL
// without a default is no failure.
func (t *tableAssess) newRowid(c *schema.Column) bool {
	withoutRowid, pk := t.from.WithoutRowID, t.from.PrimaryKey
	for _, op := range t.ops {
		switch o := op.(type) {
		case *diff.AlterPrimaryKey:
			pk = o.New
		case *diff.AlterOptions:
			withoutRowid = o.New.WithoutRowID
		}
	}
	return sqltext.EqualIdent(c.Type, "INTEGER") && !withoutRowid && pk != nil &&
		len(pk.Columns) == 1 && !pk.Desc && sqltext.EqualIdent(pk.Columns[0], c.Name)
}

// downgradeFill is the value the downgrade puts back in a dropped column
// that is NOT NULL without a default (zeroValue, what the rebuild writes).
// It is "" for a column the downgrade need not fill: nullable, with a
// default, generated, or part of the primary key.
func (t *tableAssess) downgradeFill(c *schema.Column) string {
	if !c.NotNull || c.Generated != "" || (c.Default != "" && !sqltext.EqualIdent(sqltext.Unparen(c.Default), "NULL")) {
		return ""
	}
	if t.from.PrimaryKey != nil && sqltext.ContainsIdent(t.from.PrimaryKey.Columns, c.Name) {
		return ""
	}
	return render.ZeroValue(c.Type)
}

func (t *tableAssess) alter(o *diff.AlterColumn) error {
	c := q(o.Old.Name) // the column as it is now
	switch {
	case o.Attr == diff.AttrNotNull && o.New.NotNull:
		n, err := t.where(c + " IS NULL")
		fatal := o.New.Default == ""
		msg := fmt.Sprintf("column %s.%s becomes NOT NULL and %s NULL there", t.table, o.New.Name, printable.Count(n, "row holds", "rows hold"))
		if fatal {
			msg += fmt.Sprintf(", with no default to fill %s", printable.Agree(n, "it", "them"))
		} else {
			msg += fmt.Sprintf("; %s the default %s", printable.Agree(n, "it gets", "they get"), o.New.Default)
		}
		t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindNotNull, Rows: n, Fatal: fatal, Message: msg})
		return err
	case o.Attr == diff.AttrType && t.affinity(o.Old.Type) != t.affinity(o.New.Type):
		return t.conversion(o)
	case o.Attr == diff.AttrType && o.Destructive():
		return t.narrowing(o)
	}
	return nil
}

// numericText is the condition under which SQLite's numeric affinity
// converts the value of e: text that is a well-formed integer or real
// literal ('12', '01', ' 1e3 '; not 'abc', '12abc' or '0x10'). CAST(e AS
// NUMERIC) has NUMERIC affinity, so comparing it with e applies that
// affinity to e: the two are equal exactly when the text converts.
func numericText(e string) string {
	return fmt.Sprintf("(typeof(%s) = 'text' AND CAST(%s AS NUMERIC) = %s)", e, e, e)
}

// convert is e as a column of affinity aff stores it.
func convert(e string, aff sqltext.Affinity) string {
	switch aff {
	case sqltext.AffinityInteger, sqltext.AffinityReal, sqltext.AffinityNumeric:
		return fmt.Sprintf("CASE WHEN %s THEN CAST(%s AS NUMERIC) ELSE %s END", numericText(e), e, e)
	case sqltext.AffinityText:
		return fmt.Sprintf("CASE WHEN typeof(%s) IN ('integer', 'real') THEN CAST(%s AS TEXT) ELSE %s END", e, e, e)
	}
	return e
}

// narrowing counts the values longer than a smaller declared size: under
// the same affinity SQLite keeps every value as it is, so only the size
// shrinks, which SQLite does not enforce.
func (t *tableAssess) narrowing(o *diff.AlterColumn) error {
	c := q(o.Old.Name)
	change := fmt.Sprintf("narrowing %s.%s from %s to %s", t.table, o.New.Name, cmp.Or(o.Old.Type, "(none)"), cmp.Or(o.New.Type, "(none)"))
	sizes := sqltext.TypeSizes(o.New.Type)
	if len(sizes) == 0 || t.affinity(o.New.Type) != sqltext.AffinityText {
		n, err := t.where(c + " IS NOT NULL")
		t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindNarrowing, Rows: n,
			Message: fmt.Sprintf("%s touches %s", change, printable.Count(n, "value", "values"))})
		return err
	}
	size := int64(sizes[0])
	n, err := t.where(fmt.Sprintf("length(%s) > %d", c, size))
	t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindNarrowing, Rows: n,
		Message: fmt.Sprintf("%s: %s longer than %d characters (SQLite keeps %s whole; it does not enforce sizes)",
			change, printable.Count(n, "value is", "values are"), size, printable.Agree(n, "it", "them"))})
	return err
}

// uniqueRule is a primary key, UNIQUE constraint or unique index of the
// target table, its terms over target column names.
type uniqueRule struct {
	terms []schema.IndexColumn
	where string // a partial index's WHERE, over target columns
	pk    bool
	isNew bool // added by the revision; otherwise kept, and checked only where its columns change
}

// uniques counts the rows that the target's uniqueness rules refuse: the
// rules the revision adds, and the rules it keeps over columns whose
// values or comparison change (a new affinity converts '01' to 1, a new
// collation makes 'Ann' equal to 'ann', a default fills NULLs). The
// rebuild's copy would fail on them.
func (t *tableAssess) uniques() error {
	var rules []uniqueRule
	newPK := false
	for _, op := range t.ops {
		switch o := op.(type) {
		case *diff.AddUnique:
			rules = append(rules, uniqueRule{terms: columnTerms(o.Unique.Columns), isNew: true})
		case *diff.AddIndex:
			if o.Index.Unique {
				rules = append(rules, uniqueRule{terms: o.Index.Columns, where: o.Index.Where, isNew: true})
			}
		case *diff.AlterPrimaryKey:
			newPK = true
			if o.New != nil {
				rules = append(rules, uniqueRule{terms: columnTerms(o.New.Columns), pk: true, isNew: true})
			}
		}
	}
	// The kept rules, renamed to target names; a rule over a dropped
	// column goes with it.
	rename := map[string]string{}
	dropped := map[string]bool{}
	for _, op := range t.ops {
		switch o := op.(type) {
		case *diff.RenameColumn:
			rename[sqltext.FoldIdent(o.Old.Name)] = o.New.Name
		case *diff.DropColumn:
			dropped[sqltext.FoldIdent(o.Column.Name)] = true
		}
	}
	kept := func(cols []string, where string) (uniqueRule, bool) {
		var r uniqueRule
		for _, c := range cols {
			if c == "" || dropped[sqltext.FoldIdent(c)] {
				return r, false
			}
			if n, ok := rename[sqltext.FoldIdent(c)]; ok {
				c = n
			}
			r.terms = append(r.terms, schema.IndexColumn{Name: c})
		}
		if where != "" {
			r.where = sqltext.RenameIdents(where, rename)
		}
		return r, true
	}
	if pk := t.from.PrimaryKey; pk != nil && !newPK {
		if r, ok := kept(pk.Columns, ""); ok {
			r.pk = true
			rules = append(rules, r)
		}
	}
	for _, u := range t.from.Uniques {
		if slices.ContainsFunc(t.ops, func(op diff.Op) bool {
			d, ok := op.(*diff.DropUnique)
			return ok && schema.EqualUnique(d.Unique, u)
		}) {
			continue
		}
		if r, ok := kept(u.Columns, ""); ok {
			rules = append(rules, r)
		}
	}
	for _, ix := range t.from.Indexes {
		if !ix.Unique || slices.ContainsFunc(t.ops, func(op diff.Op) bool {
			d, ok := op.(*diff.DropIndex)
			return ok && sqltext.EqualIdent(d.Index.Name, ix.Name)
		}) {
			continue
		}
		var cols []string
		for _, ic := range ix.Columns {
			cols = append(cols, ic.Name)
		}
		if r, ok := kept(cols, ix.Where); ok {
			for i := range r.terms {
				r.terms[i].Collation = ix.Columns[i].Collation
			}
			rules = append(rules, r)
		}
	}
	for _, r := range rules {
		if err := t.duplicates(r); err != nil {
			return err
		}
	}
	return nil
}

func columnTerms(cols []string) []schema.IndexColumn {
	terms := make([]schema.IndexColumn, len(cols))
	for i, c := range cols {
		terms[i] = schema.IndexColumn{Name: c}
	}
	return terms
}

// term is the SQL, over the current table, of the value a rule's term
// compares in the target table: the column's value as the target's
// affinity stores it, under the collation the rule compares with. change
// says what differs from how the current table compares it ("" when
// nothing does).
func (t *tableAssess) term(ic schema.IndexColumn) (expr, change string) {
	if ic.Name == "" {
		expr = "(" + t.expr(ic.Expr) + ")"
		if ic.Collation != "" {
			expr += " COLLATE " + q(ic.Collation)
		}
		return expr, ""
	}
	expr = t.col(ic.Name)
	tc, cc := t.target(ic.Name), t.source(ic.Name)
	var changes []string
	if fill, ok := t.filled[sqltext.FoldIdent(ic.Name)]; ok {
		changes = append(changes, fmt.Sprintf("the NULLs of %s get the default %s", ic.Name, fill))
	}
	if tc != nil {
		if ta := sqltext.TypeAffinity(tc.Type); cc == nil || sqltext.TypeAffinity(cc.Type) != ta {
			expr = convert(expr, ta)
			if cc != nil {
				changes = append(changes, fmt.Sprintf("%s becomes %s", ic.Name, cmp.Or(tc.Type, "(none)")))
			}
		}
	}
	coll := ic.Collation
	if coll == "" && tc != nil {
		coll = tc.Collation
		if cc != nil && !sqltext.EqualIdent(orBinary(cc.Collation), orBinary(tc.Collation)) {
			changes = append(changes, fmt.Sprintf("%s compares with COLLATE %s", ic.Name, orBinary(tc.Collation)))
		}
	}
	if coll != "" {
		expr = "(" + expr + ") COLLATE " + q(coll)
	}
	return expr, strings.Join(changes, " and ")
}

func orBinary(coll string) string {
	if coll == "" {
		return "BINARY"
	}
	return coll
}

// duplicates counts the rows holding a key that another row holds too
// under rule r of the target table; rows with a NULL term are exempt, as
// UNIQUE exempts them. A kept rule whose terms compare as before is not
// counted: the live data already satisfies it.
func (t *tableAssess) duplicates(r uniqueRule) error {
	var changes, names, cols []string
	conds := make([]string, 0, len(r.terms)+1)
	keys := make([]string, 0, len(r.terms))
	sel := make([]string, 0, len(r.terms))
	for i, ic := range r.terms {
		e, change := t.term(ic)
		if change != "" {
			changes = append(changes, change)
		}
		if ic.Name != "" {
			names = append(names, ic.Name)
			cols = append(cols, ic.Name)
		} else {
			names = append(names, ic.Expr)
		}
		conds = append(conds, "("+e+") IS NOT NULL")
		keys = append(keys, fmt.Sprintf("k%d", i))
		sel = append(sel, fmt.Sprintf("%s AS k%d", e, i))
	}
	if !r.isNew && len(changes) == 0 {
		return nil
	}
	if r.where != "" {
		conds = append(conds, "("+t.expr(r.where)+")")
	}
	// The terms are selected first: GROUP BY would read a bare integer
	// (a new column's default) as a column number. A term's COLLATE goes
	// with it through the subquery.
	query := fmt.Sprintf("SELECT sum(n) FROM (SELECT count(*) AS n FROM (SELECT %s FROM %s WHERE %s) GROUP BY %s HAVING count(*) > 1)",
		strings.Join(sel, ", "), q(t.from.Name), strings.Join(conds, " AND "), strings.Join(keys, ", "))
	n, err := t.count(t.table, query)
	rule := "unique rule"
	if r.pk {
		rule = "primary key"
	}
	var msg string
	if r.isNew {
		msg = fmt.Sprintf("%s of table %s %s duplicated values of (%s), which the new %s forbids",
			printable.Count(n, "row", "rows"), t.table, printable.Agree(n, "holds", "hold"), strings.Join(names, ", "), rule)
	} else {
		msg = fmt.Sprintf("%s of table %s %s values of (%s) that are equal once %s, which the %s forbids",
			printable.Count(n, "row", "rows"), t.table, printable.Agree(n, "holds", "hold"), strings.Join(names, ", "), strings.Join(changes, " and "), rule)
	}
	if len(cols) < len(r.terms) {
		cols = nil
	}
	t.add(Finding{Table: t.table, Column: strings.Join(cols, ","), Kind: KindUnique, Rows: n, Fatal: true, Message: msg})
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
	matched := parent != nil && len(refCols) == len(fk.Columns)
	if matched {
		var match []string
		for i, c := range fk.Columns {
			cur := t.parentColumn(parent, refCols[i])
			if cur == "" {
				return t.newParentKey(fk, cond, refCols[i])
			}
			match = append(match, fmt.Sprintf("p.%s = %s.%s", q(cur), q(t.from.Name), t.col(c)))
		}
		cond += fmt.Sprintf(" AND NOT EXISTS (SELECT 1 FROM %s AS p WHERE %s)", q(parent.Name), strings.Join(match, " AND "))
	}
	n, err := t.where(cond)
	rows := printable.Count(n, "row", "rows")
	var msg string
	switch {
	case matched && len(fk.Columns) == 1:
		msg = fmt.Sprintf("%s of table %s %s a %s that matches no %s.%s, which the new foreign key forbids",
			rows, t.table, printable.Agree(n, "has", "have"), fk.Columns[0], fk.RefTable, refCols[0])
	case matched:
		msg = fmt.Sprintf("%s of table %s %s values of (%s) that match no (%s) of table %s, which the new foreign key forbids",
			rows, t.table, printable.Agree(n, "has", "have"), strings.Join(fk.Columns, ", "), strings.Join(refCols, ", "), fk.RefTable)
	default:
		msg = fmt.Sprintf("%s of table %s %s (%s) set, but table %s has no row to match, which the new foreign key forbids",
			rows, t.table, printable.Agree(n, "has", "have"), strings.Join(fk.Columns, ", "), fk.RefTable)
	}
	t.add(Finding{Table: t.table, Column: strings.Join(fk.Columns, ","), Kind: KindForeignKey, Rows: n, Fatal: true, Message: msg})
	return err
}

// parentColumn is the current name of column col (a target name) of
// table parent, "" when the revision adds that column: a rename hint's
// column reads as its old name.
func (t *tableAssess) parentColumn(parent *schema.Table, col string) string {
	for _, op := range t.tableOps(parent.Name) {
		switch o := op.(type) {
		case *diff.RenameColumn:
			if sqltext.EqualIdent(o.New.Name, col) {
				return o.Old.Name
			}
		case *diff.AddColumn:
			if sqltext.EqualIdent(o.Column.Name, col) {
				return ""
			}
		}
	}
	if c := parent.Column(col); c != nil {
		return c.Name
	}
	return ""
}

// tableOps is the revision's operations on table name.
func (a *assessor) tableOps(name string) []diff.Op {
	var out []diff.Op
	for _, op := range a.ops {
		switch o := op.(type) {
		case *diff.RenameColumn:
			if sqltext.EqualIdent(o.TableName, name) {
				out = append(out, op)
			}
		case *diff.AddColumn:
			if sqltext.EqualIdent(o.TableName, name) {
				out = append(out, op)
			}
		case *diff.DropColumn:
			if sqltext.EqualIdent(o.TableName, name) {
				out = append(out, op)
			}
		}
	}
	return out
}

// newParentKey reports a new foreign key whose parent column the revision
// adds: no current row can be matched against it, and the values the
// child holds pointed at a column the revision drops. Most often a column
// was renamed without a hint, and the hint is what to say.
func (t *tableAssess) newParentKey(fk *schema.ForeignKey, cond, col string) error {
	n, err := t.where(cond)
	hint := fmt.Sprintf("if a column of %s became %s, give --rename %s.OLD=%s", fk.RefTable, col, fk.RefTable, col)
	var dropped []string
	for _, op := range t.tableOps(fk.RefTable) {
		if o, ok := op.(*diff.DropColumn); ok {
			dropped = append(dropped, o.Column.Name)
		}
	}
	if len(dropped) == 1 {
		hint = fmt.Sprintf("if %s.%s became %s, give --rename %s.%s=%s", fk.RefTable, dropped[0], col, fk.RefTable, dropped[0], col)
	}
	t.add(Finding{Table: t.table, Column: strings.Join(fk.Columns, ","), Kind: KindForeignKey, Rows: n, Fatal: true,
		Message: fmt.Sprintf("%s of table %s %s (%s) set, and the new foreign key matches them against %s.%s, a column this revision adds, so no row can be checked and the values they pointed at are dropped; %s",
			printable.Count(n, "row", "rows"), t.table, printable.Agree(n, "has", "have"), strings.Join(fk.Columns, ", "), fk.RefTable, col, hint)})
	return err
}

func addsColumnNamed(ops []diff.Op, name string) bool {
	for _, op := range ops {
		if o, ok := op.(*diff.AddColumn); ok && sqltext.EqualIdent(o.Column.Name, name) {
			return true
		}
	}
	return false
}

// rebuild reports the rows a rebuild of the table copies.
func (t *tableAssess) rebuild() error {
	if !sqltext.ContainsIdent(t.rebuilt, t.table) {
		return nil
	}
	n, err := t.where("1")
	t.add(Finding{Table: t.table, Kind: KindRebuild, Rows: n,
		Message: fmt.Sprintf("rebuilding table %s copies its %s", t.table, printable.Count(n, "row", "rows"))})
	return err
}

// broken is a view or trigger SQLite refuses to compile.
type broken struct {
	trigger bool
	name    string
	table   string   // a trigger's table or view
	sql     string   // its CREATE text
	events  []string // a trigger's statements that fail: INSERT, UPDATE, DELETE
	err     string   // SQLite's message
}

// dependents runs the upgrade on an empty copy of the database's schema
// and asks SQLite there which views and triggers no longer compile: a view
// is selected from, a trigger's table gets an INSERT, UPDATE and DELETE
// through EXPLAIN, which compiles the triggers they fire without running
// anything. What was broken before the upgrade is not reported.
func (a *assessor) dependents(ops []diff.Op, up string) error {
	if strings.TrimSpace(up) == "" {
		return nil
	}
	has := len(a.current.Views) > 0 || len(a.current.Triggers) > 0
	for _, op := range ops {
		switch op.(type) {
		case *diff.CreateView, *diff.CreateTrigger:
			has = true
		}
	}
	if !has {
		return nil
	}
	conn, closeDB, err := a.open(a.ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := schema.ExecScript(a.ctx, conn, "PRAGMA foreign_keys = OFF;\n"+a.current.CreateScript()); err != nil {
		return fmt.Errorf("%w: the database's schema does not load into an empty SQLite database: %w", render.ErrRender, err)
	}
	before, err := probeSchema(a.ctx, conn)
	if err != nil {
		return err
	}
	if err := schema.ExecScript(a.ctx, conn, up); err != nil {
		return fmt.Errorf("%w: the upgrade SQL fails on an empty copy of the database's schema: %w", render.ErrRender, err)
	}
	after, err := probeSchema(a.ctx, conn)
	if err != nil {
		return err
	}
	for _, b := range after {
		if slices.ContainsFunc(before, func(o broken) bool {
			return o.trigger == b.trigger && sqltext.EqualIdent(o.name, b.name)
		}) {
			continue
		}
		a.out = append(a.out, brokenFinding(b, ops))
	}
	return nil
}

// probeSchema returns the views and triggers of the database behind conn
// that SQLite does not compile.
func probeSchema(ctx context.Context, conn *sql.Conn) ([]broken, error) {
	type object struct{ typ, name, table, sql string }
	var objs []object
	rows, err := conn.QueryContext(ctx, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type, name")
	if err != nil {
		return nil, fmt.Errorf("read the views and triggers of a copy of the schema: %w", err)
	}
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.typ, &o.name, &o.table, &o.sql); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the views and triggers of a copy of the schema: %w", err)
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the views and triggers of a copy of the schema: %w", err)
	}
	var out []broken
	var triggers []object
	var names []string  // every trigger's name
	var tables []string // tables and views with triggers, in order
	for _, o := range objs {
		switch o.typ {
		case "view":
			if err := explain(ctx, conn, "SELECT * FROM "+q(o.name)); err != nil {
				out = append(out, broken{name: o.name, table: o.name, sql: o.sql, err: sqliteMessage(err)})
			}
		case "trigger":
			triggers = append(triggers, o)
			names = append(names, o.name)
			if !sqltext.ContainsIdent(tables, o.table) {
				tables = append(tables, o.table)
			}
		}
	}
	for _, table := range tables {
		var on []object
		for _, tr := range triggers {
			if sqltext.EqualIdent(tr.table, table) {
				on = append(on, tr)
			}
		}
		found := map[string]*broken{}
		for _, p := range firing(ctx, conn, table) {
			if explain(ctx, conn, p.stmt) == nil {
				continue // every trigger it fires compiles
			}
			// Find the trigger at fault: with every other trigger dropped,
			// the statement fails with it and compiles without it.
			for _, tr := range on {
				msg, err := isolate(ctx, conn, names, tr.name, p.stmt)
				if err != nil {
					return nil, err
				}
				if msg == "" {
					continue
				}
				b := found[sqltext.FoldIdent(tr.name)]
				if b == nil {
					b = &broken{trigger: true, name: tr.name, table: tr.table, sql: tr.sql, err: msg}
					found[sqltext.FoldIdent(tr.name)] = b
				}
				b.events = append(b.events, p.event)
			}
		}
		for _, tr := range on {
			if b := found[sqltext.FoldIdent(tr.name)]; b != nil {
				out = append(out, *b)
			}
		}
	}
	return out, nil
}

type firingStmt struct{ event, stmt string }

// firing returns an INSERT, UPDATE and DELETE on table (or view), which
// between them fire every trigger on it: the UPDATE sets every column, so
// that UPDATE OF triggers fire too.
func firing(ctx context.Context, conn *sql.Conn, table string) []firingStmt {
	out := []firingStmt{{"INSERT", "INSERT INTO " + q(table) + " DEFAULT VALUES"}}
	var sets []string
	if rows, err := conn.QueryContext(ctx, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0", table); err == nil {
		for rows.Next() {
			var c string
			if rows.Scan(&c) == nil {
				sets = append(sets, q(c)+" = "+q(c))
			}
		}
		rows.Close()
	}
	if len(sets) > 0 {
		out = append(out, firingStmt{"UPDATE", "UPDATE " + q(table) + " SET " + strings.Join(sets, ", ")})
	}
	return append(out, firingStmt{"DELETE", "DELETE FROM " + q(table)})
}

// explain compiles stmt, and the triggers it fires, without running it.
func explain(ctx context.Context, conn *sql.Conn, stmt string) error {
	rows, err := conn.QueryContext(ctx, "EXPLAIN "+stmt)
	if err != nil {
		return err
	}
	return rows.Close()
}

// isolate compiles stmt with trigger the only trigger of the database,
// then with none, and returns SQLite's message when the first fails and
// the second does not, or fails otherwise (a view takes no INSERT without
// its INSTEAD OF trigger): the trigger does not compile. The triggers are
// dropped inside a savepoint that is rolled back.
func isolate(ctx context.Context, conn *sql.Conn, all []string, trigger, stmt string) (string, error) {
	if _, err := conn.ExecContext(ctx, "SAVEPOINT autogen_probe"); err != nil {
		return "", fmt.Errorf("probe trigger %s on a copy of the schema: %w", trigger, err)
	}
	undo := func() error {
		_, err := conn.ExecContext(ctx, "ROLLBACK TO autogen_probe; RELEASE autogen_probe")
		return err
	}
	for _, name := range all {
		if sqltext.EqualIdent(name, trigger) {
			continue
		}
		if _, err := conn.ExecContext(ctx, "DROP TRIGGER "+q(name)); err != nil {
			undo()
			return "", fmt.Errorf("probe trigger %s on a copy of the schema: %w", trigger, err)
		}
	}
	with := explain(ctx, conn, stmt)
	var without error
	if with != nil {
		if _, err := conn.ExecContext(ctx, "DROP TRIGGER "+q(trigger)); err != nil {
			undo()
			return "", fmt.Errorf("probe trigger %s on a copy of the schema: %w", trigger, err)
		}
		without = explain(ctx, conn, stmt)
	}
	if err := undo(); err != nil {
		return "", fmt.Errorf("probe trigger %s on a copy of the schema: %w", trigger, err)
	}
	if with == nil || (without != nil && without.Error() == with.Error()) {
		return "", nil
	}
	return sqliteMessage(with), nil
}

// sqliteMessage is SQLite's own words in a driver error: "no such column:
// nick" from "SQL logic error: no such column: nick (1)".
func sqliteMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "SQL logic error: ")
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		if _, ok := strings.CutSuffix(msg[i+2:], ")"); ok && strings.Trim(msg[i+2:len(msg)-1], "0123456789") == "" {
			msg = msg[:i]
		}
	}
	return msg
}

// brokenFinding words a broken view or trigger, naming the dropped or
// renamed table or column it uses where ops and SQLite's message tell it.
func brokenFinding(b broken, ops []diff.Op) Finding {
	f := Finding{Table: b.table, Kind: KindBrokenView, Fatal: true}
	subject := "view " + b.name
	fails := fmt.Sprintf("every query of view %s would fail with \"%s\"", b.name, b.err)
	if b.trigger {
		f.Kind = KindBrokenTrigger
		subject = fmt.Sprintf("trigger %s on %s", b.name, b.table)
		fails = fmt.Sprintf("every %s on %s that fires it would fail with \"%s\"", strings.Join(b.events, " or "), b.table, b.err)
	}
	table, column, change := brokenCause(b, ops)
	if change == "" {
		f.Message = fmt.Sprintf("%s no longer works after the upgrade: %s", subject, fails)
		return f
	}
	f.Table, f.Column = table, column
	what := "table " + table
	if column != "" {
		what = "column " + table + "." + column
	}
	f.Message = fmt.Sprintf("%s uses %s, which this revision %s: %s", subject, what, change, fails)
	return f
}

// brokenCause finds in ops the table or column named in SQLite's "no such
// column" or "no such table" message: what the revision drops or renames.
func brokenCause(b broken, ops []diff.Op) (table, column, change string) {
	mentioned := map[string]bool{sqltext.FoldIdent(b.table): true}
	if toks, err := sqltext.Tokenize(b.sql); err == nil {
		for _, tok := range toks {
			if tok.Kind == sqltext.TokenIdent || tok.Kind == sqltext.TokenQuotedIdent {
				mentioned[sqltext.FoldIdent(tok.Value)] = true
			}
		}
	}
	lastPart := func(name string) string {
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			return name[i+1:]
		}
		return name
	}
	type candidate struct{ table, change string }
	pick := func(cs []candidate) (candidate, bool) {
		for _, c := range cs {
			if mentioned[sqltext.FoldIdent(c.table)] {
				return c, true
			}
		}
		if len(cs) == 1 {
			return cs[0], true
		}
		return candidate{}, false
	}
	// "no such column: NEW.age", or an INSERT's "table members has no
	// column named nick", which names the table too.
	col, inTable := "", ""
	if _, name, ok := strings.Cut(b.err, "no such column: "); ok {
		col = lastPart(name)
	} else if before, name, ok := strings.Cut(b.err, " has no column named "); ok {
		col = name
		if i := strings.LastIndex(before, "table "); i >= 0 {
			inTable = lastPart(before[i+len("table "):])
		}
	}
	if col != "" {
		var cs []candidate
		for _, op := range ops {
			switch o := op.(type) {
			case *diff.DropColumn:
				if sqltext.EqualIdent(o.Column.Name, col) {
					cs = append(cs, candidate{o.TableName, "drops"})
				}
			case *diff.RenameColumn:
				if sqltext.EqualIdent(o.Old.Name, col) {
					cs = append(cs, candidate{o.TableName, "renames to " + o.New.Name})
				}
			}
		}
		if inTable != "" {
			cs = slices.DeleteFunc(cs, func(c candidate) bool { return !sqltext.EqualIdent(c.table, inTable) })
		}
		if c, ok := pick(cs); ok {
			return c.table, col, c.change
		}
	}
	if _, name, ok := strings.Cut(b.err, "no such table: "); ok {
		tbl := lastPart(name)
		for _, op := range ops {
			switch o := op.(type) {
			case *diff.DropTable:
				if sqltext.EqualIdent(o.Old.Name, tbl) {
					return o.Old.Name, "", "drops"
				}
			case *diff.RenameTable:
				if sqltext.EqualIdent(o.Old.Name, tbl) {
					return o.Old.Name, "", "renames to " + o.New.Name
				}
			}
		}
	}
	return "", "", ""
}

func q(name string) string { return sqltext.QuoteIdent(name) }
