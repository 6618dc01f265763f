// Package pgrender turns diff operations into the PostgreSQL SQL of both
// directions of a revision: native ALTER TABLE for every change (no table
// rebuild), each statement preceded by a comment naming the lock it takes
// and whether it scans or rewrites the table, destructive steps marked
// DESTRUCTIVE as on SQLite, and a downgrade that is the exact inverse.
//
// By default every statement is the plain, transactional form: a revision
// runs in one transaction, and inside one the "safer" forms gain nothing
// (ADD CONSTRAINT ... NOT VALID followed by VALIDATE still holds the first
// statement's lock until COMMIT, and CREATE INDEX CONCURRENTLY cannot run
// in a transaction at all). With Options.SafeForms, a revision made only
// of index and constraint changes is written in those forms and marked
// "-- +autogen no-transaction", every statement safe to run again.
//
// A primary key or unique constraint that foreign keys reference can
// change: the foreign keys resting on a key the revision drops (in either
// direction) are dropped first and added back, as inspected, last.
package pgrender

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// Render renders ops (from diff.Compare(current, target), both inspected
// on PostgreSQL) as a revision: one render.Change per operation, in order;
// the downgrade undoes them in reverse.
func Render(ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	return RenderWith(ops, current, target, Options{})
}

// RenderWith is Render steered by opts.
func RenderWith(ops []diff.Op, current, target *schema.Schema, opts Options) (*render.Result, error) {
	r := &renderer{current: current, target: target, created: map[string]bool{}}
	for _, t := range current.Tables {
		r.created[t.Name] = true
	}
	r.survey(ops)
	r.noteRetypes(ops)
	rk := planRekey(ops, current, target)
	var warnings []string
	if opts.SafeForms {
		ok, gains := online(ops, rk)
		r.safe = ok
		if !ok && gains {
			warnings = append(warnings, plainKept)
		}
	}
	first, middle, last := rk.arrange(ops)
	changes := rk.dropDependents()
	for _, part := range [][]diff.Op{first, middle} {
		if err := r.ops(&changes, part); err != nil {
			return nil, err
		}
	}
	changes = append(changes, r.deferred...)
	if err := r.ops(&changes, last); err != nil {
		return nil, err
	}
	changes = append(changes, rk.addDependents()...)
	r.unsafeAdditions(changes)
	if len(changes) > 0 && (r.safe || len(warnings) > 0) {
		var head sqlBuf
		if r.safe {
			safeHeader(&head)
		} else {
			head.comment(plainKept)
		}
		changes[0].Up = head.text.String() + changes[0].Up
	}
	res := result(changes)
	res.Warnings = append(res.Warnings, warnings...)
	return res, nil
}

func (r *renderer) ops(changes *[]render.Change, ops []diff.Op) error {
	for _, op := range ops {
		c, err := r.op(op)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", render.ErrRender, op.Describe(), err)
		}
		*changes = append(*changes, c)
	}
	return nil
}

func result(changes []render.Change) *render.Result {
	res := &render.Result{Changes: changes}
	ups, downs := make([]string, 0, len(changes)), make([]string, 0, len(changes))
	for i := range changes {
		ups = append(ups, strings.TrimRight(changes[i].Up, "\n"))
		downs = append(downs, strings.TrimRight(changes[len(changes)-1-i].Down, "\n"))
		res.Warnings = append(res.Warnings, changes[i].Warnings...)
	}
	if len(changes) > 0 {
		res.Up, res.Down = strings.Join(ups, "\n\n")+"\n", strings.Join(downs, "\n\n")+"\n"
	}
	return res
}

// renderer holds what operations need of each other.
type renderer struct {
	current, target *schema.Schema
	// created are the tables that exist at the current point of the
	// upgrade: a foreign key to one not created yet is deferred.
	created  map[string]bool
	deferred []render.Change // foreign keys added after every table exists
	safe     bool            // write the safe forms (Options.SafeForms, and the revision allows them)
	// removed are the values enum types lose, by type as columns name it;
	// retyped the columns whose type changes from or to an enum type.
	removed map[string]map[string]bool
	retyped map[[2]string]bool
	// dropped are the views and triggers the revision drops (and may make
	// again), by kind and name.
	dropped map[[2]string]bool
}

// sqlBuf is one direction of a change: its text, comments included, and
// its statements without semicolons.
type sqlBuf struct {
	text  strings.Builder
	stmts []string
}

func (b *sqlBuf) stmt(s string) {
	b.stmts = append(b.stmts, s)
	b.text.WriteString(s)
	b.text.WriteString(";\n")
}

// comment writes a sentence as one comment line, whatever the names in it
// hold.
func (b *sqlBuf) comment(sentence string) {
	b.text.WriteString(sqltext.Comment(printable.Escape(sentence)))
}

// change is one operation being rendered.
type change struct {
	up, down sqlBuf
	warnings []string
}

func (c *change) done(op diff.Op, table, from string) render.Change {
	return render.Change{Ops: []diff.Op{op}, Table: table, From: from,
		Up: c.up.text.String(), Down: c.down.text.String(),
		UpStatements: c.up.stmts, DownStatements: c.down.stmts, Warnings: c.warnings}
}

func (r *renderer) op(op diff.Op) (render.Change, error) {
	var c change
	table, from := op.Table(), op.Table()
	if r.safe && safeOp(&c, op) {
		return c.done(op, table, from), nil
	}
	if constraintChange(&c, op) {
		return c.done(op, table, from), nil
	}
	switch o := op.(type) {
	case *diff.CreateTable:
		r.createTable(&c.up, o.New, true)
		c.down.comment(lockNote("DROP TABLE", o.New.Name))
		c.down.stmt("DROP TABLE " + ident(o.New.Name))
		table, from = "", ""
	case *diff.DropTable:
		c.up.comment("DESTRUCTIVE: drops table " + o.Old.Name + " and its rows")
		c.up.comment(lockNote("DROP TABLE", o.Old.Name))
		c.up.stmt("DROP TABLE " + ident(o.Old.Name))
		c.down.comment("DESTRUCTIVE: table " + o.Old.Name + " comes back empty: the rows the upgrade dropped cannot come back")
		r.createTable(&c.down, o.Old, false)
		table, from = "", ""
	case *diff.RenameTable:
		from = o.Old.Name
		c.up.stmt(alter(o.Old.Name) + " RENAME TO " + ident(o.New.Name))
		c.down.stmt(alter(o.New.Name) + " RENAME TO " + ident(o.Old.Name))
	case *diff.RenameColumn:
		c.up.stmt(alter(o.TableName) + " RENAME COLUMN " + ident(o.Old.Name) + " TO " + ident(o.New.Name))
		c.down.stmt(alter(o.TableName) + " RENAME COLUMN " + ident(o.New.Name) + " TO " + ident(o.Old.Name))
	case *diff.AddColumn:
		addColumn(&c, o.TableName, o.Column, false)
		c.down.comment(lockNote("DROP COLUMN", o.TableName))
		c.down.stmt(alter(o.TableName) + " DROP COLUMN " + ident(o.Column.Name))
	case *diff.DropColumn:
		c.up.comment("DESTRUCTIVE: drops column " + o.TableName + "." + o.Column.Name + " and its data")
		c.up.comment(lockNote("DROP COLUMN", o.TableName))
		c.up.stmt(alter(o.TableName) + " DROP COLUMN " + ident(o.Column.Name))
		addColumn(&c, o.TableName, o.Column, true)
	case *diff.AlterColumn:
		if r.removedDefault(&c, o) || r.enumRetype(&c, o) {
			break
		}
		if err := alterColumn(&c, o); err != nil {
			return render.Change{}, err
		}
	case *diff.AddIndex:
		createIndex(&c.up, o.Index)
		c.down.comment(lockNote("DROP INDEX", o.Index.Table))
		c.down.stmt("DROP INDEX " + ident(o.Index.Name))
	case *diff.DropIndex:
		c.up.comment(lockNote("DROP INDEX", o.Index.Table))
		c.up.stmt("DROP INDEX " + ident(o.Index.Name))
		createIndex(&c.down, o.Index)
	case *diff.AlterForeignKey:
		if o.Old.Name != o.New.Name && fkDef(o.Old, true) == fkDef(o.New, true) {
			renameConstraint(&c, o.TableName, o.Old.Name, o.New.Name)
			break
		}
		dropConstraint(&c.up, o.TableName, o.Old.Name)
		addConstraint(&c.up, o.TableName, o.New.Name, fkDef(o.New, true), "FOREIGN KEY")
		dropConstraint(&c.down, o.TableName, o.New.Name)
		addConstraint(&c.down, o.TableName, o.Old.Name, fkDef(o.Old, true), "FOREIGN KEY")
	case *diff.AlterPrimaryKey:
		alterPrimaryKey(&c, o)
	case *diff.CreateView:
		c.up.stmt(o.View.SQL)
		c.down.stmt(dropView(o.View))
		table, from = "", ""
	case *diff.DropView:
		c.up.stmt(dropView(o.View))
		c.down.stmt(o.View.SQL)
		table, from = "", ""
	case *diff.CreateTrigger:
		c.up.stmt(o.Trigger.SQL)
		c.down.stmt("DROP TRIGGER " + ident(o.Trigger.Name) + " ON " + ident(o.Trigger.Table))
	case *diff.DropTrigger:
		c.up.stmt("DROP TRIGGER " + ident(o.Trigger.Name) + " ON " + ident(o.Trigger.Table))
		c.down.stmt(o.Trigger.SQL)
	default:
		if !r.enumOp(&c, op) {
			return render.Change{}, fmt.Errorf("PostgreSQL has no such change (%T)", op)
		}
	}
	return c.done(op, table, from), nil
}

func alter(table string) string { return "ALTER TABLE " + ident(table) }

func dropView(v *schema.View) string {
	if v.Materialized {
		return "DROP MATERIALIZED VIEW " + ident(v.Name)
	}
	return "DROP VIEW " + ident(v.Name)
}

// createTable writes t's CREATE TABLE and CREATE INDEX statements. In the
// upgrade (deferFKs), a foreign key to a table that does not exist yet is
// added once every table does.
func (r *renderer) createTable(b *sqlBuf, t *schema.Table, deferFKs bool) {
	r.created[t.Name] = true
	var defs []string
	for _, col := range t.Columns {
		defs = append(defs, columnDef(col))
	}
	if pk := t.PrimaryKey; pk != nil {
		defs = append(defs, constraint(pk.Name, pkDef(pk)))
	}
	for _, u := range t.Uniques {
		defs = append(defs, constraint(u.Name, uniqueDef(u)))
	}
	for _, ck := range t.Checks {
		defs = append(defs, constraint(ck.Name, checkDef(ck, false)))
	}
	for _, fk := range t.ForeignKeys {
		if deferFKs && fk.RefSchema == "" && !r.created[fk.RefTable] {
			r.deferFK(t.Name, fk)
			continue
		}
		defs = append(defs, constraint(fk.Name, fkDef(fk, false)))
	}
	b.stmt("CREATE TABLE " + ident(t.Name) + " (\n    " + strings.Join(defs, ",\n    ") + "\n)")
	for _, ix := range t.Indexes {
		b.stmt(ix.SQL)
	}
}

func (r *renderer) deferFK(table string, fk *schema.ForeignKey) {
	var c change
	addConstraint(&c.up, table, fk.Name, fkDef(fk, false), "FOREIGN KEY")
	dropConstraint(&c.down, table, fk.Name)
	op := &diff.AddForeignKey{TableName: table, ForeignKey: fk}
	r.deferred = append(r.deferred, c.done(op, table, table))
}

func constraint(name, def string) string {
	if name == "" {
		return def
	}
	return "CONSTRAINT " + ident(name) + " " + def
}

// columnDef is a column as CREATE TABLE and ADD COLUMN write it. A serial
// column (a default calling nextval on the sequence it owns) is written
// with its serial type, which creates and owns the sequence again.
func columnDef(c *schema.Column) string {
	typ, def := c.Type, c.Default
	if s, ok := serialType(c); ok {
		typ, def = s, ""
	}
	parts := []string{ident(c.Name), typ}
	if c.Collation != "" {
		parts = append(parts, "COLLATE "+c.Collation)
	}
	switch {
	case c.Generated != "":
		parts = append(parts, "GENERATED ALWAYS AS ("+c.Generated+") STORED")
	case c.Identity != "":
		parts = append(parts, "GENERATED "+c.Identity+" AS IDENTITY")
	case def != "":
		parts = append(parts, "DEFAULT "+def)
	}
	if c.NotNull && c.Identity == "" {
		parts = append(parts, "NOT NULL")
	}
	return strings.Join(parts, " ")
}

func serialType(c *schema.Column) (string, bool) {
	if c.Sequence == nil || c.Identity != "" || !strings.HasPrefix(c.Default, "nextval(") {
		return "", false
	}
	switch c.Type {
	case "integer":
		return "serial", true
	case "bigint":
		return "bigserial", true
	case "smallint":
		return "smallserial", true
	}
	return "", false
}

func pkDef(pk *schema.PrimaryKey) string {
	return "PRIMARY KEY (" + idents(pk.Columns) + ")" + include(pk.Include) + deferral(pk.Deferrable)
}

func uniqueDef(u *schema.Unique) string {
	s := "UNIQUE "
	if u.NullsNotDistinct {
		s += "NULLS NOT DISTINCT "
	}
	return s + "(" + idents(u.Columns) + ")" + include(u.Include) + deferral(u.Deferrable)
}

// fkDef is a FOREIGN KEY clause; NOT VALID is kept only where ALTER TABLE
// adds it (altering), as CREATE TABLE does not take it.
func fkDef(fk *schema.ForeignKey, altering bool) string {
	ref := ident(fk.RefTable)
	if fk.RefSchema != "" {
		ref = ident(fk.RefSchema) + "." + ref
	}
	s := "FOREIGN KEY (" + idents(fk.Columns) + ") REFERENCES " + ref
	if len(fk.RefColumns) > 0 {
		s += " (" + idents(fk.RefColumns) + ")"
	}
	if fk.Match != "" {
		s += " MATCH " + fk.Match
	}
	if fk.OnUpdate != "" && fk.OnUpdate != "NO ACTION" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	if fk.OnDelete != "" && fk.OnDelete != "NO ACTION" {
		s += " ON DELETE " + fk.OnDelete
	}
	s += deferral(fk.Deferrable)
	if altering && fk.NotValid {
		s += " NOT VALID"
	}
	return s
}

func checkDef(ck *schema.Check, altering bool) string {
	s := "CHECK (" + ck.Expr + ")"
	if ck.NoInherit {
		s += " NO INHERIT"
	}
	if altering && ck.NotValid {
		s += " NOT VALID"
	}
	return s
}

func include(cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	return " INCLUDE (" + idents(cols) + ")"
}

func deferral(d string) string {
	if d == "" {
		return ""
	}
	return " " + d
}
