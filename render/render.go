// Package render turns diff operations into SQLite SQL for both directions
// of a revision: ALTER TABLE where SQLite's documented rules allow it, else
// SQLite's 12-step table rebuild. It reads no database: package verify runs
// its SQL on scratch databases and has it rebuild the tables where ALTER
// TABLE falls short, and package assess counts the live rows a change
// touches.
//
// The SQL never touches PRAGMA foreign_keys: the pragma is a no-op inside a
// transaction, so the runner turns enforcement off around every revision
// and runs PRAGMA foreign_key_check before COMMIT (see ARCHITECTURE.md). A
// revision therefore needs no marker, and a table rebuild's DROP TABLE
// fires no ON DELETE action.
package render

import (
	"errors"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// ErrRender is wrapped by every error of SQL: operations that do not fit
// the schemas they are rendered against.
var ErrRender = errors.New("cannot render")

// TempPrefix starts the name of the table a rebuild builds before it takes
// the old table's place.
const TempPrefix = "_autogen_new_"

// Result is the SQL of a revision and what a reader should know about it.
type Result struct {
	Up, Down string
	// Warnings name statements that will fail on a table holding rows, such
	// as a NOT NULL column without a default; Assess counts those rows.
	Warnings []string
	// Rebuilt lists the tables (target names) the upgrade rebuilds, in
	// order: their rows are all copied.
	Rebuilt []string
	// Changes are the steps Up and Down are made of, in upgrade order.
	Changes []Change
}

// Change is one step of a revision: one operation, or every change to one
// existing table, in both directions.
type Change struct {
	Ops []diff.Op // what it does, as diff.Compare gave it
	// Table and From are set for a change to an existing table: its target
	// name and its current one.
	Table, From string
	Up, Down    string // the SQL with its comments, as the revision holds it
	// UpStatements and DownStatements are the statements of Up and Down,
	// in order, without their semicolons: what a runner executes.
	UpStatements, DownStatements []string
	Rebuilt                      bool // the upgrade rebuilds the table
	Warnings                     []string
	// Key says what the upgrade means for an INSERT that omits the
	// table's primary key (KeyChange), "" when nothing changes for it.
	Key string
}

// Options steer Render. The zero value writes ALTER TABLE wherever
// SQLite's rules allow it and takes the live triggers' texts as they are.
type Options struct {
	// RebuildUp and RebuildDown hold the tables (lower-case target names)
	// whose upgrade or downgrade must be a rebuild even where ALTER TABLE
	// would do: verify's verdict once it has run the SQL.
	RebuildUp, RebuildDown map[string]bool
	// Triggers are the live triggers' texts as each change meets them;
	// nil means the live texts throughout, which is right for a revision
	// that renames nothing (verify.Triggers replays the renames).
	Triggers *Triggers
	// Exact makes a rebuild do what ALTER TABLE's own forms do, for SQL
	// that stands in for them: the CREATE text kept as written, and rows
	// copied as they are, so that a NULL in a column becoming NOT NULL
	// fails the copy (as ALTER COLUMN ... SET NOT NULL fails) rather
	// than taking the column's default.
	Exact bool
}

// Render renders ops (from diff.Compare(current, target)) as the upgrade
// and downgrade SQL of a revision.
func Render(ops []diff.Op, current, target *schema.Schema, opts Options) (*Result, error) {
	p, groups := newPlanner(ops, current, target, opts)
	changes, err := p.renderAll(groups)
	if err != nil {
		return nil, err
	}
	return result(changes, p.rebuilt), nil
}

// result joins the changes into a revision's two sections: the downgrade
// undoes them in reverse order.
func result(changes []Change, rebuilt []string) *Result {
	r := &Result{Changes: changes, Rebuilt: rebuilt}
	ups, downs := make([]string, len(changes)), make([]string, len(changes))
	for i, c := range changes {
		ups[i], downs[len(changes)-1-i] = c.Up, c.Down
		r.Warnings = append(r.Warnings, c.Warnings...)
	}
	r.Up, r.Down = joinGroups(ups), joinGroups(downs)
	return r
}

func newPlanner(ops []diff.Op, current, target *schema.Schema, opts Options) (*planner, []*opGroup) {
	p := &planner{current: current, target: target, forceUp: opts.RebuildUp, forceDown: opts.RebuildDown, trigs: opts.Triggers, exact: opts.Exact}
	p.live = Live(ops, current)
	p.dropped = map[string]bool{}
	for _, op := range ops {
		if o, ok := op.(*diff.DropTable); ok {
			p.dropped[sqltext.FoldIdent(o.Old.Name)] = true
		}
	}
	groups := groupOps(ops)
	if p.trigs == nil {
		p.trigs = liveTriggers(p.live, len(groups))
	}
	return p, groups
}

func (p *planner) renderAll(groups []*opGroup) ([]Change, error) {
	changes := make([]Change, 0, len(groups))
	for i, g := range groups {
		c, err := p.group(i, g)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

func joinGroups(gs []string) string {
	var kept []string
	for _, g := range gs {
		if g != "" {
			kept = append(kept, strings.TrimRight(g, "\n"))
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return strings.Join(kept, "\n\n") + "\n"
}

// planner holds what every group needs.
type planner struct {
	current, target *schema.Schema
	live            *schema.Schema // views and triggers present while tables change
	// forceUp and forceDown hold the tables (lower-case target name) whose
	// upgrade or downgrade must be a rebuild.
	forceUp, forceDown map[string]bool
	rebuilt            []string        // tables the upgrade rebuilds
	trigs              *Triggers       // the live triggers' text as each group runs
	dropped            map[string]bool // tables the upgrade drops, by folded name
	exact              bool            // Options.Exact
}

// Live returns the views and triggers that exist while tables are changed,
// in either direction: the current ones no operation drops.
func Live(ops []diff.Op, current *schema.Schema) *schema.Schema {
	live := &schema.Schema{}
	dropped := map[string]bool{}
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.DropView:
			dropped["v:"+sqltext.FoldIdent(o.View.Name)] = true
		case *diff.DropTrigger:
			dropped["t:"+sqltext.FoldIdent(o.Trigger.Name)] = true
		}
	}
	for _, v := range current.Views {
		if !dropped["v:"+sqltext.FoldIdent(v.Name)] {
			live.Views = append(live.Views, v)
		}
	}
	for _, t := range current.Triggers {
		if !dropped["t:"+sqltext.FoldIdent(t.Name)] {
			live.Triggers = append(live.Triggers, t)
		}
	}
	return live
}

// opGroup is one operation, or all the changes to one existing table.
type opGroup struct {
	table string // set for a table-change group
	ops   []diff.Op
}

// groupOps keeps the order of ops but gathers every change to an existing
// table into the group of its first change, so each table is rebuilt once.
func groupOps(ops []diff.Op) []*opGroup {
	var groups []*opGroup
	byTable := map[string]*opGroup{}
	for _, op := range ops {
		if !isTableChange(op) {
			groups = append(groups, &opGroup{ops: []diff.Op{op}})
			continue
		}
		key := sqltext.FoldIdent(op.Table())
		g := byTable[key]
		if g == nil {
			g = &opGroup{table: op.Table()}
			byTable[key] = g
			groups = append(groups, g)
		}
		g.ops = append(g.ops, op)
	}
	return groups
}

func isTableChange(op diff.Op) bool {
	switch op.(type) {
	case *diff.CreateTable, *diff.DropTable, *diff.CreateView, *diff.DropView, *diff.CreateTrigger, *diff.DropTrigger:
		return false
	}
	return true
}

// group renders group i in both directions.
func (p *planner) group(i int, g *opGroup) (Change, error) {
	if g.table != "" {
		return p.tableGroup(i, g)
	}
	var u, d sqlBuf
	switch o := g.ops[0].(type) {
	case *diff.CreateTable:
		comment(&u, o.Describe())
		createTable(&u, o.New, layoutCreateTable)
		comment(&d, "removed table '"+o.New.Name+"'")
		destructive(&d, fmt.Sprintf("drops table %s and its rows", o.New.Name))
		stmt(&d, "DROP TABLE "+q(o.New.Name))
	case *diff.DropTable:
		comment(&u, o.Describe())
		destructive(&u, fmt.Sprintf("drops table %s and its rows", o.Old.Name))
		stmt(&u, "DROP TABLE "+q(o.Old.Name))
		comment(&d, "added table '"+o.Old.Name+"'")
		p.orphans(&d, o.Old.Name)
		createTable(&d, o.Old, nil)
		for _, tr := range p.tableTriggers(i, false, o.Old.Name) {
			stmt(&d, tr)
		}
	case *diff.CreateView:
		sql, err := schema.MarkManaged(o.View.SQL)
		if err != nil {
			return Change{}, fmt.Errorf("%w: view %s: %w", ErrRender, o.View.Name, err)
		}
		comment(&u, o.Describe())
		stmt(&u, sql)
		comment(&d, "removed view '"+o.View.Name+"'")
		stmt(&d, "DROP VIEW "+q(o.View.Name))
	case *diff.DropView:
		comment(&u, o.Describe())
		// IF EXISTS: the view may have been made by hand, on this database
		// only; the revision must run on others too.
		stmt(&u, "DROP VIEW IF EXISTS "+q(o.View.Name))
		comment(&d, "added view '"+o.View.Name+"'")
		stmt(&d, o.View.SQL) // as SQLite stores it: a managed view keeps its marker
	case *diff.CreateTrigger:
		sql, err := schema.MarkManaged(o.Trigger.SQL)
		if err != nil {
			return Change{}, fmt.Errorf("%w: trigger %s: %w", ErrRender, o.Trigger.Name, err)
		}
		comment(&u, o.Describe())
		stmt(&u, sql)
		comment(&d, fmt.Sprintf("removed trigger '%s' on '%s'", o.Trigger.Name, o.Trigger.Table))
		stmt(&d, "DROP TRIGGER "+q(o.Trigger.Name))
	case *diff.DropTrigger:
		comment(&u, o.Describe())
		stmt(&u, "DROP TRIGGER IF EXISTS "+q(o.Trigger.Name)) // as for views
		comment(&d, fmt.Sprintf("added trigger '%s' on '%s'", o.Trigger.Name, o.Trigger.Table))
		stmt(&d, o.Trigger.SQL)
	default:
		return Change{}, fmt.Errorf("%w: unknown operation %T", ErrRender, o)
	}
	return newChange(g, &u, &d), nil
}

func newChange(g *opGroup, up, down *sqlBuf) Change {
	c := Change{Ops: g.ops, Up: up.String(), Down: down.String(), UpStatements: up.stmts, DownStatements: down.stmts}
	if g.table != "" {
		c.Table, c.From = g.table, fromName(g)
	}
	return c
}

// createTable writes t's CREATE TABLE as stored, then its indexes.
// createTable writes t's CREATE statements; layout, when given, reshapes
// the CREATE TABLE text for the reader.
func createTable(b *sqlBuf, t *schema.Table, layout func(string) string) {
	sql := t.SQL
	if layout != nil {
		sql = layout(sql)
	}
	stmt(b, sql)
	for _, ix := range t.Indexes {
		stmt(b, ix.SQL)
	}
}

// tableGroup renders the changes to one existing table, group i: upgrade
// from the current table to the target one, downgrade from the target back.
func (p *planner) tableGroup(i int, g *opGroup) (Change, error) {
	u, d, err := p.changes(g)
	if err != nil {
		return Change{}, err
	}
	u.exact, d.exact = p.exact, p.exact
	u.force = p.forceUp[sqltext.FoldIdent(g.table)]
	d.force = p.forceDown[sqltext.FoldIdent(g.table)]
	// The table's old name too: the live names, should the renames not
	// have been replayed.
	u.triggers = p.tableTriggers(i, true, u.to.Name, u.from.Name)
	d.triggers = p.tableTriggers(i, false, d.to.Name, d.from.Name)
	up, err := u.render()
	if err != nil {
		return Change{}, err
	}
	if u.rebuilt {
		p.rebuilt = append(p.rebuilt, u.to.Name)
	} else {
		// The downgrade starts from the columns in the order ALTER TABLE
		// leaves them, not the models': order is not meaning, and the
		// downgrade of an ADD COLUMN is a DROP COLUMN.
		d.from = d.from.InOrderOf(u.leaves())
	}
	down, err := d.render()
	if err != nil {
		return Change{}, err
	}
	c := newChange(g, up, down)
	c.Rebuilt, c.Warnings = u.rebuilt, append(u.warns, d.warns...)
	c.Key = KeyChange(u.from, u.to)
	return c, nil
}

// changes returns a table group's change in both directions.
func (p *planner) changes(g *opGroup) (u, d *tableChange, err error) {
	to := p.target.Table(g.table)
	from := p.current.Table(fromName(g))
	if from == nil || to == nil {
		return nil, nil, fmt.Errorf("%w: table %q is not in both schemas its operations were rendered against", ErrRender, g.table)
	}
	u = &tableChange{from: from, to: to, ops: g.ops, live: p.live, fromAll: p.current, forward: true}
	inv := make([]diff.Op, 0, len(g.ops))
	for _, op := range g.ops {
		inv = append(inv, invert(op, from.Name))
	}
	d = &tableChange{from: to, to: from, ops: inv, live: p.live, fromAll: p.target}
	return u, d, nil
}

// invert returns the operation undoing op; table is the name the table has
// after the inverse runs.
func invert(op diff.Op, table string) diff.Op {
	switch o := op.(type) {
	case *diff.RenameTable:
		return &diff.RenameTable{Old: o.New, New: o.Old}
	case *diff.AddColumn:
		return &diff.DropColumn{TableName: table, Column: o.Column}
	case *diff.DropColumn:
		return &diff.AddColumn{TableName: table, Column: o.Column}
	case *diff.RenameColumn:
		return &diff.RenameColumn{TableName: table, Old: o.New, New: o.Old}
	case *diff.AlterColumn:
		return &diff.AlterColumn{TableName: table, Attr: o.Attr, Old: o.New, New: o.Old}
	case *diff.AddIndex:
		return &diff.DropIndex{Index: o.Index}
	case *diff.DropIndex:
		return &diff.AddIndex{Index: o.Index}
	case *diff.AddUnique:
		return &diff.DropUnique{TableName: table, Unique: o.Unique}
	case *diff.DropUnique:
		return &diff.AddUnique{TableName: table, Unique: o.Unique}
	case *diff.AddForeignKey:
		return &diff.DropForeignKey{TableName: table, ForeignKey: o.ForeignKey}
	case *diff.DropForeignKey:
		return &diff.AddForeignKey{TableName: table, ForeignKey: o.ForeignKey}
	case *diff.AlterForeignKey:
		return &diff.AlterForeignKey{TableName: table, Old: o.New, New: o.Old}
	case *diff.AddCheck:
		return &diff.DropCheck{TableName: table, Check: o.Check}
	case *diff.DropCheck:
		return &diff.AddCheck{TableName: table, Check: o.Check}
	case *diff.AlterPrimaryKey:
		return &diff.AlterPrimaryKey{TableName: table, Old: o.New, New: o.Old}
	case *diff.AlterOptions:
		return &diff.AlterOptions{TableName: table, Old: o.New, New: o.Old}
	}
	return op
}

func q(name string) string { return sqltext.QuoteIdent(name) }

// sqlBuf is SQL being written: its text, comments included, and the
// statements in it, so that what a revision runs is known without reading
// the text back.
type sqlBuf struct {
	text  strings.Builder
	stmts []string
}

func (b *sqlBuf) String() string { return b.text.String() }

func stmt(b *sqlBuf, s string) {
	s = strings.TrimRight(strings.TrimSpace(s), ";")
	b.stmts = append(b.stmts, s)
	b.text.WriteString(s)
	b.text.WriteString(";\n")
}

// comment writes a sentence as one comment line: the names in it may hold
// line breaks, which are written escaped rather than break the line.
func comment(b *sqlBuf, sentence string) {
	b.text.WriteString(sqltext.Comment(printable.Escape(sentence)))
}

func destructive(b *sqlBuf, what string) {
	comment(b, "DESTRUCTIVE: "+what)
}

// fromName is the current name of the table a group changes.
func fromName(g *opGroup) string {
	for _, op := range g.ops {
		if r, ok := op.(*diff.RenameTable); ok {
			return r.Old.Name
		}
	}
	return g.table
}
