// Package diff compares two schemas (the live database and the one the models
// describe) and yields the ordered operations that turn one into the other.
package diff

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// Op is one schema change. The concrete types below are the complete set;
// render switches on them.
type Op interface {
	// Describe says what changed in Alembic's words, e.g.
	// "added column 'members.age'"; the CLI prints "Detected " before it.
	Describe() string
	// Destructive reports whether applying the change can remove data.
	Destructive() bool
	// Table is the table the change belongs to: for a renamed table its new
	// name, for a view the view's name, for a trigger the table it is on.
	Table() string
	// rank orders operations on the same table; it seals the interface.
	rank() int
}

// Attr names the column attribute an AlterColumn changes.
type Attr int

// The column attributes AlterColumn can change.
const (
	AttrType Attr = iota
	AttrNotNull
	AttrDefault
	AttrCollation
	AttrGenerated
)

// String gives the attribute's word ("type", "nullable", ...), as the JSON
// output names it.
func (a Attr) String() string {
	switch a {
	case AttrType:
		return "type"
	case AttrNotNull:
		return "nullable"
	case AttrDefault:
		return "default"
	case AttrCollation:
		return "collation"
	case AttrGenerated:
		return "generated"
	}
	return fmt.Sprintf("Attr(%d)", int(a))
}

// Noun names the attribute in a sentence: "change the generated
// expression of column u".
func (a Attr) Noun() string {
	switch a {
	case AttrNotNull:
		return "nullability"
	case AttrGenerated:
		return "generated expression"
	}
	return a.String()
}

// CreateTable creates a table of the target schema, with its indexes.
type CreateTable struct{ New *schema.Table }

// DropTable drops a table of the current schema, with its rows.
type DropTable struct{ Old *schema.Table }

// RenameTable renames a table (from a rename hint). Old is the current
// table, New the target one; other changes to it come as separate ops.
type RenameTable struct{ Old, New *schema.Table }

// AddColumn adds Column to table TableName.
type AddColumn struct {
	TableName string
	Column    *schema.Column
}

// DropColumn drops Column, and its values, from table TableName.
type DropColumn struct {
	TableName string
	Column    *schema.Column
}

// RenameColumn renames column Old to New (from a rename hint); New carries
// the target definition, and further differences come as AlterColumn ops.
type RenameColumn struct {
	TableName string
	Old, New  *schema.Column
}

// AlterColumn changes one attribute of a column; a column with several
// changed attributes gets one AlterColumn per attribute.
type AlterColumn struct {
	TableName string
	Attr      Attr
	Old, New  *schema.Column
}

// AddIndex creates an index (CREATE INDEX) on an existing table.
type AddIndex struct{ Index *schema.Index }

// DropIndex drops an index of an existing table.
type DropIndex struct{ Index *schema.Index }

// AddUnique adds a UNIQUE constraint to an existing table.
type AddUnique struct {
	TableName string
	Unique    *schema.Unique
}

// DropUnique removes a UNIQUE constraint from an existing table.
type DropUnique struct {
	TableName string
	Unique    *schema.Unique
}

// AddForeignKey adds a foreign key to an existing table.
type AddForeignKey struct {
	TableName  string
	ForeignKey *schema.ForeignKey
}

// DropForeignKey removes a foreign key from an existing table.
type DropForeignKey struct {
	TableName  string
	ForeignKey *schema.ForeignKey
}

// AlterForeignKey changes what a foreign key does (ON DELETE, ON UPDATE,
// deferral, constraint name) while it keeps its columns and the table and
// columns it references: one change, not a removed and an added key.
type AlterForeignKey struct {
	TableName string
	Old, New  *schema.ForeignKey
}

// AddCheck adds a CHECK constraint to an existing table.
type AddCheck struct {
	TableName string
	Check     *schema.Check
}

// DropCheck removes a CHECK constraint from an existing table.
type DropCheck struct {
	TableName string
	Check     *schema.Check
}

// AlterPrimaryKey changes a table's primary key; Old or New is nil when
// the table had or gets none.
type AlterPrimaryKey struct {
	TableName string
	Old, New  *schema.PrimaryKey
}

// AlterOptions changes a table's WITHOUT ROWID or STRICT option.
type AlterOptions struct {
	TableName string
	Old, New  *schema.Table
}

// CreateView creates a view of the target schema.
type CreateView struct{ View *schema.View }

// DropView drops a view of the current schema.
type DropView struct{ View *schema.View }

// CreateTrigger creates a trigger of the target schema.
type CreateTrigger struct{ Trigger *schema.Trigger }

// DropTrigger drops a trigger of the current schema.
type DropTrigger struct{ Trigger *schema.Trigger }

// Describe implements Op.
func (o *CreateTable) Describe() string { return fmt.Sprintf("added table '%s'", o.New.Name) }

// Describe implements Op.
func (o *DropTable) Describe() string { return fmt.Sprintf("removed table '%s'", o.Old.Name) }

// Describe implements Op.
func (o *RenameTable) Describe() string {
	return fmt.Sprintf("renamed table '%s' to '%s'", o.Old.Name, o.New.Name)
}

// Describe implements Op.
func (o *AddColumn) Describe() string {
	return fmt.Sprintf("added column '%s.%s'", o.TableName, o.Column.Name)
}

// Describe implements Op.
func (o *DropColumn) Describe() string {
	return fmt.Sprintf("removed column '%s.%s'", o.TableName, o.Column.Name)
}

// Describe implements Op.
func (o *RenameColumn) Describe() string {
	return fmt.Sprintf("renamed column '%s.%s' to '%s'", o.TableName, o.Old.Name, o.New.Name)
}

// Describe implements Op, in the words of Alembic's autogenerate log:
// "NOT NULL on column 'members.name'", "type change from VARCHAR to
// INTEGER on 'members.code'", "server default on column 'members.name'".
func (o *AlterColumn) Describe() string {
	at := fmt.Sprintf("'%s.%s'", o.TableName, o.New.Name)
	switch o.Attr {
	case AttrNotNull:
		if o.New.NotNull {
			return "NOT NULL on column " + at
		}
		return "NULL on column " + at
	case AttrType:
		return fmt.Sprintf("type change from %s to %s on %s", typeWord(o.Old.Type), typeWord(o.New.Type), at)
	case AttrDefault:
		if o.New.Default == "" {
			return "removed server default on column " + at
		}
		return "server default on column " + at
	case AttrCollation:
		return fmt.Sprintf("collation change from %s to %s on %s", collationWord(o.Old.Collation), collationWord(o.New.Collation), at)
	case AttrGenerated:
		return "generated expression change on column " + at
	}
	return fmt.Sprintf("modified %s on %s", o.Attr, at)
}

func typeWord(t string) string {
	if t == "" {
		return "(none)"
	}
	return t
}

func collationWord(c string) string {
	if c == "" {
		return "BINARY"
	}
	return c
}

// Describe implements Op.
func (o *AddIndex) Describe() string {
	return fmt.Sprintf("added index '%s' on '%s'", o.Index.Name, o.Index.Table)
}

// Describe implements Op.
func (o *DropIndex) Describe() string {
	return fmt.Sprintf("removed index '%s' on '%s'", o.Index.Name, o.Index.Table)
}

// Describe implements Op.
func (o *AddUnique) Describe() string {
	return fmt.Sprintf("added unique constraint %s on '%s'", uniqueLabel(o.Unique), o.TableName)
}

// Describe implements Op.
func (o *DropUnique) Describe() string {
	return fmt.Sprintf("removed unique constraint %s on '%s'", uniqueLabel(o.Unique), o.TableName)
}

// Describe implements Op.
func (o *AddForeignKey) Describe() string {
	return fmt.Sprintf("added foreign key %s on '%s'", fkLabel(o.ForeignKey), o.TableName)
}

// Describe implements Op.
func (o *DropForeignKey) Describe() string {
	return fmt.Sprintf("removed foreign key %s on '%s'", fkLabel(o.ForeignKey), o.TableName)
}

// Describe implements Op: "changed foreign key members.team_id ->
// teams(id): ON DELETE CASCADE -> RESTRICT".
func (o *AlterForeignKey) Describe() string {
	cols := strings.Join(o.New.Columns, ", ")
	if len(o.New.Columns) > 1 {
		cols = "(" + cols + ")"
	}
	ref := o.New.RefTable
	if len(o.New.RefColumns) > 0 {
		ref += "(" + strings.Join(o.New.RefColumns, ", ") + ")"
	}
	var changes []string
	change := func(what, from, to, none string) {
		if from == to {
			return
		}
		if from == "" {
			from = none
		}
		if to == "" {
			to = none
		}
		changes = append(changes, fmt.Sprintf("%s%s -> %s", what, from, to))
	}
	change("ON DELETE ", o.Old.OnDelete, o.New.OnDelete, "NO ACTION")
	change("ON UPDATE ", o.Old.OnUpdate, o.New.OnUpdate, "NO ACTION")
	change("", o.Old.Deferrable, o.New.Deferrable, "NOT DEFERRABLE")
	change("MATCH ", o.Old.Match, o.New.Match, "SIMPLE")
	if o.Old.NotValid != o.New.NotValid {
		changes = append(changes, fmt.Sprintf("NOT VALID %t -> %t", o.Old.NotValid, o.New.NotValid))
	}
	if o.Old.Name != o.New.Name {
		changes = append(changes, fmt.Sprintf("name '%s' -> '%s'", o.Old.Name, o.New.Name))
	}
	return fmt.Sprintf("changed foreign key %s.%s -> %s: %s", o.TableName, cols, ref, strings.Join(changes, ", "))
}

// Describe implements Op.
func (o *AddCheck) Describe() string {
	return fmt.Sprintf("added check constraint %s on '%s'", checkLabel(o.Check), o.TableName)
}

// Describe implements Op.
func (o *DropCheck) Describe() string {
	return fmt.Sprintf("removed check constraint %s on '%s'", checkLabel(o.Check), o.TableName)
}

// Describe implements Op.
func (o *AlterPrimaryKey) Describe() string {
	key := func(pk *schema.PrimaryKey) string {
		if pk == nil {
			return "none"
		}
		return "(" + strings.Join(pk.Columns, ", ") + ")"
	}
	var changes []string
	if from, to := key(o.Old), key(o.New); from != to {
		changes = append(changes, from+" -> "+to)
	}
	switch auto := func(pk *schema.PrimaryKey) bool { return pk != nil && pk.Autoincrement }; {
	case auto(o.Old) && !auto(o.New):
		changes = append(changes, "AUTOINCREMENT removed")
	case !auto(o.Old) && auto(o.New):
		changes = append(changes, "AUTOINCREMENT added")
	}
	if len(changes) == 0 {
		return fmt.Sprintf("modified primary key on '%s'", o.TableName)
	}
	return fmt.Sprintf("modified primary key on '%s': %s", o.TableName, strings.Join(changes, ", "))
}

// Describe implements Op.
func (o *AlterOptions) Describe() string {
	return fmt.Sprintf("modified table options on '%s'", o.TableName)
}

// Describe implements Op.
func (o *CreateView) Describe() string { return fmt.Sprintf("added view '%s'", o.View.Name) }

// Describe implements Op.
func (o *DropView) Describe() string { return fmt.Sprintf("removed view '%s'", o.View.Name) }

// Describe implements Op.
func (o *CreateTrigger) Describe() string {
	return fmt.Sprintf("added trigger '%s' on '%s'", o.Trigger.Name, o.Trigger.Table)
}

// Describe implements Op.
func (o *DropTrigger) Describe() string {
	return fmt.Sprintf("removed trigger '%s' on '%s'", o.Trigger.Name, o.Trigger.Table)
}

func uniqueLabel(u *schema.Unique) string {
	if u.Name != "" {
		return "'" + u.Name + "'"
	}
	return "(" + strings.Join(u.Columns, ", ") + ")"
}

func fkLabel(fk *schema.ForeignKey) string {
	ref := fk.RefTable
	if len(fk.RefColumns) > 0 {
		ref += "(" + strings.Join(fk.RefColumns, ", ") + ")"
	}
	s := "(" + strings.Join(fk.Columns, ", ") + ") -> " + ref
	if fk.Name != "" {
		s = "'" + fk.Name + "' " + s
	}
	return s
}

func checkLabel(c *schema.Check) string {
	if c.Name != "" {
		return "'" + c.Name + "'"
	}
	return "(" + c.Expr + ")"
}

// Destructive implements Op.
func (o *CreateTable) Destructive() bool { return false }

// Destructive implements Op: the table's rows go with it.
func (o *DropTable) Destructive() bool { return true }

// Destructive implements Op.
func (o *RenameTable) Destructive() bool { return false }

// Destructive implements Op.
func (o *AddColumn) Destructive() bool { return false }

// Destructive implements Op: the column's values go with it.
func (o *DropColumn) Destructive() bool { return true }

// Destructive implements Op.
func (o *RenameColumn) Destructive() bool { return false }

// Destructive implements Op: a narrowing type change can alter or reject
// stored values.
func (o *AlterColumn) Destructive() bool {
	return o.Attr == AttrType && narrowing(o.Old.Type, o.New.Type)
}

// Destructive implements Op.
func (o *AddIndex) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropIndex) Destructive() bool { return false }

// Destructive implements Op.
func (o *AddUnique) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropUnique) Destructive() bool { return false }

// Destructive implements Op.
func (o *AddForeignKey) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropForeignKey) Destructive() bool { return false }

// Destructive implements Op: ON DELETE CASCADE or SET NULL acts on rows
// only when a parent row is deleted later, never while the change runs.
func (o *AlterForeignKey) Destructive() bool { return false }

// Destructive implements Op.
func (o *AddCheck) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropCheck) Destructive() bool { return false }

// Destructive implements Op.
func (o *AlterPrimaryKey) Destructive() bool { return false }

// Destructive implements Op.
func (o *AlterOptions) Destructive() bool { return false }

// Destructive implements Op.
func (o *CreateView) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropView) Destructive() bool { return false }

// Destructive implements Op.
func (o *CreateTrigger) Destructive() bool { return false }

// Destructive implements Op.
func (o *DropTrigger) Destructive() bool { return false }

// Table implements Op.
func (o *CreateTable) Table() string { return o.New.Name }

// Table implements Op.
func (o *DropTable) Table() string { return o.Old.Name }

// Table implements Op.
func (o *RenameTable) Table() string { return o.New.Name }

// Table implements Op.
func (o *AddColumn) Table() string { return o.TableName }

// Table implements Op.
func (o *DropColumn) Table() string { return o.TableName }

// Table implements Op.
func (o *RenameColumn) Table() string { return o.TableName }

// Table implements Op.
func (o *AlterColumn) Table() string { return o.TableName }

// Table implements Op.
func (o *AddIndex) Table() string { return o.Index.Table }

// Table implements Op.
func (o *DropIndex) Table() string { return o.Index.Table }

// Table implements Op.
func (o *AddUnique) Table() string { return o.TableName }

// Table implements Op.
func (o *DropUnique) Table() string { return o.TableName }

// Table implements Op.
func (o *AddForeignKey) Table() string { return o.TableName }

// Table implements Op.
func (o *DropForeignKey) Table() string { return o.TableName }

// Table implements Op.
func (o *AlterForeignKey) Table() string { return o.TableName }

// Table implements Op.
func (o *AddCheck) Table() string { return o.TableName }

// Table implements Op.
func (o *DropCheck) Table() string { return o.TableName }

// Table implements Op.
func (o *AlterPrimaryKey) Table() string { return o.TableName }

// Table implements Op.
func (o *AlterOptions) Table() string { return o.TableName }

// Table implements Op.
func (o *CreateView) Table() string { return o.View.Name }

// Table implements Op.
func (o *DropView) Table() string { return o.View.Name }

// Table implements Op.
func (o *CreateTrigger) Table() string { return o.Trigger.Table }

// Table implements Op.
func (o *DropTrigger) Table() string { return o.Trigger.Table }

// The ranks order one table's operations: renames first so later ops use
// the new names, drops before adds so a replaced constraint can reuse a name.
const (
	rankRenameTable = iota
	rankRenameColumn
	rankDropTrigger
	rankDropIndex
	rankDropForeignKey
	rankDropUnique
	rankDropCheck
	rankDropColumn
	rankAddColumn
	rankAlterColumn
	rankAlterPrimaryKey
	rankAddCheck
	rankAddUnique
	rankAddForeignKey
	rankAddIndex
	rankCreateTrigger
)

func (o *CreateTable) rank() int     { return 0 }
func (o *DropTable) rank() int       { return 0 }
func (o *RenameTable) rank() int     { return rankRenameTable }
func (o *AddColumn) rank() int       { return rankAddColumn }
func (o *DropColumn) rank() int      { return rankDropColumn }
func (o *RenameColumn) rank() int    { return rankRenameColumn }
func (o *AlterColumn) rank() int     { return rankAlterColumn }
func (o *AddIndex) rank() int        { return rankAddIndex }
func (o *DropIndex) rank() int       { return rankDropIndex }
func (o *AddUnique) rank() int       { return rankAddUnique }
func (o *DropUnique) rank() int      { return rankDropUnique }
func (o *AddForeignKey) rank() int   { return rankAddForeignKey }
func (o *DropForeignKey) rank() int  { return rankDropForeignKey }
func (o *AlterForeignKey) rank() int { return rankAddForeignKey }
func (o *AddCheck) rank() int        { return rankAddCheck }
func (o *DropCheck) rank() int       { return rankDropCheck }
func (o *AlterPrimaryKey) rank() int { return rankAlterPrimaryKey }
func (o *AlterOptions) rank() int    { return rankAlterPrimaryKey }
func (o *CreateView) rank() int      { return 0 }
func (o *DropView) rank() int        { return 0 }
func (o *CreateTrigger) rank() int   { return rankCreateTrigger }
func (o *DropTrigger) rank() int     { return rankDropTrigger }
