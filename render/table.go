package render

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// tableChange is the change of one existing table from one definition to
// another, in one direction.
type tableChange struct {
	from, to *schema.Table
	ops      []diff.Op
	live     *schema.Schema // views and triggers present meanwhile
	fromAll  *schema.Schema // the whole schema the change starts from
	// triggers are the CREATE TRIGGER statements of the triggers on the
	// table when its rebuild runs, in the text SQLite then has for them: the
	// rebuild's DROP TABLE drops them, so it creates them again.
	triggers []string
	// forward is set for the upgrade. The downgrade differs: its CREATE
	// text is restored as stored, and a column it adds back (one the
	// upgrade dropped) is filled even when NOT NULL without a default.
	forward bool
	force   bool // rebuild even where ALTER TABLE would do
	exact   bool // Options.Exact
	rebuilt bool // set by render when it chose a rebuild
	warns   []string
}

func (c *tableChange) render() (*sqlBuf, error) {
	var b sqlBuf
	for _, d := range describe(c.ops) {
		comment(&b, d)
	}
	if key := KeyChange(c.from, c.to); key != "" {
		comment(&b, "KEY: "+key)
	}
	stmts, renames, rest := c.split()
	for _, s := range stmts {
		stmt(&b, s)
	}
	if len(rest) == 0 {
		return &b, nil
	}
	slices.SortStableFunc(rest, func(x, y diff.Op) int { return cmp.Compare(rank(x), rank(y)) })
	for _, op := range rest {
		c.destructiveComment(&b, op)
	}
	reason := c.rebuildReason(rest, renames)
	if reason == "" && c.force {
		reason = forcedReason
	}
	if reason != "" {
		c.rebuilt = true
		if err := c.rebuild(&b, reason, renames); err != nil {
			return nil, err
		}
		return &b, nil
	}
	c.alter(&b, rest)
	return &b, nil
}

// split returns the ALTER TABLE statements of c's renames (the table's
// first, then its columns'), the column renames (old name -> new) and the
// other operations.
func (c *tableChange) split() (stmts []string, renames map[string]string, rest []diff.Op) {
	renames = map[string]string{}
	for _, op := range c.ops {
		switch o := op.(type) {
		case *diff.RenameTable:
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s RENAME TO %s", q(c.from.Name), q(c.to.Name)))
		case *diff.RenameColumn:
			renames[o.Old.Name] = o.New.Name
		default:
			rest = append(rest, op)
		}
	}
	for _, old := range slices.Sorted(maps.Keys(renames)) {
		stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s", q(c.to.Name), q(old), q(renames[old])))
	}
	return stmts, renames, rest
}

// forcedReason marks a rebuild that verify asked for.
const forcedReason = "forced"

// rank orders one table's in-place changes so each finds what it needs:
// indexes and constraints go before the columns they use, columns come
// before the constraints and indexes that use them.
func rank(op diff.Op) int {
	switch op.(type) {
	case *diff.DropIndex:
		return 0
	case *diff.DropCheck, *diff.DropForeignKey, *diff.DropUnique:
		return 1
	case *diff.DropColumn:
		return 2
	case *diff.AddColumn:
		return 3
	case *diff.AlterColumn, *diff.AlterPrimaryKey:
		return 4
	case *diff.AddCheck, *diff.AddForeignKey, *diff.AlterForeignKey, *diff.AddUnique:
		return 5
	case *diff.AddIndex:
		return 6
	}
	return 7
}

func (c *tableChange) destructiveComment(b *sqlBuf, op diff.Op) {
	if o, ok := op.(*diff.AddColumn); ok && c.zeroFilled(o.Column) {
		destructive(b, fmt.Sprintf("column %s.%s comes back with %s in every row: the values the upgrade dropped cannot come back", c.to.Name, o.Column.Name, ZeroValue(o.Column.Type)))
		return
	}
	if !op.Destructive() {
		return
	}
	switch o := op.(type) {
	case *diff.DropColumn:
		destructive(b, fmt.Sprintf("drops column %s.%s and its data", c.to.Name, o.Column.Name))
	case *diff.AlterColumn:
		effect := "SQLite keeps stored values as they are"
		if sqltext.TypeAffinity(o.Old.Type) != sqltext.TypeAffinity(o.New.Type) {
			effect = "text that reads as a number is converted"
		}
		destructive(b, fmt.Sprintf("narrows the type of %s.%s from %s to %s; %s", c.to.Name, o.New.Name, cmp.Or(o.Old.Type, "(none)"), cmp.Or(o.New.Type, "(none)"), effect))
	default:
		destructive(b, op.Describe())
	}
}

// alter writes the in-place statements for ops, which rebuildReason accepted.
func (c *tableChange) alter(b *sqlBuf, ops []diff.Op) {
	t := q(c.to.Name)
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.AddColumn:
			if c.appendedOutOfPlace(ops, o.Column.Name) {
				comment(b, fmt.Sprintf("column %s goes last: ADD COLUMN appends, and autogen compares columns by name, not place", q(o.Column.Name)))
			}
			stmt(b, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s", t, columnDef(o.Column, c.columnFK(ops, o.Column.Name))))
		case *diff.DropColumn:
			stmt(b, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", t, q(o.Column.Name)))
		case *diff.AlterColumn:
			col := q(o.New.Name)
			if !o.New.NotNull {
				stmt(b, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", t, col))
				continue
			}
			if o.New.Default != "" {
				stmt(b, fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s IS NULL", t, col, o.New.Default, col))
			} else {
				c.warnf("column %s.%s becomes NOT NULL without a default: the change fails if it holds NULLs", c.to.Name, o.New.Name)
				comment(b, "WARNING: "+c.warns[len(c.warns)-1])
			}
			stmt(b, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", t, col))
		case *diff.AddCheck:
			stmt(b, fmt.Sprintf("ALTER TABLE %s ADD %sCHECK (%s)", t, constraintName(o.Check.Name), o.Check.Expr))
		case *diff.DropCheck:
			stmt(b, fmt.Sprintf("ALTER TABLE %s DROP CONSTRAINT %s", t, q(o.Check.Name)))
		case *diff.AddIndex:
			stmt(b, o.Index.SQL)
		case *diff.DropIndex:
			stmt(b, "DROP INDEX "+q(o.Index.Name))
		}
	}
}

func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return "CONSTRAINT " + q(name) + " "
}

func (c *tableChange) warnf(format string, args ...any) {
	c.warns = append(c.warns, fmt.Sprintf(format, args...))
}

// columnFK returns the foreign key ops adds on column col alone, if any.
func (c *tableChange) columnFK(ops []diff.Op, col string) *schema.ForeignKey {
	for _, op := range ops {
		if o, ok := op.(*diff.AddForeignKey); ok && len(o.ForeignKey.Columns) == 1 && sqltext.EqualIdent(o.ForeignKey.Columns[0], col) {
			return o.ForeignKey
		}
	}
	return nil
}

// columnDef writes a column definition for ADD COLUMN.
func columnDef(col *schema.Column, fk *schema.ForeignKey) string {
	parts := []string{q(col.Name)}
	if col.Type != "" {
		parts = append(parts, col.Type)
	}
	if col.NotNull {
		parts = append(parts, "NOT NULL")
	}
	if col.Default != "" {
		parts = append(parts, "DEFAULT "+col.Default)
	}
	if col.Collation != "" {
		parts = append(parts, "COLLATE "+col.Collation)
	}
	if col.Generated != "" {
		kind := "VIRTUAL"
		if col.Stored {
			kind = "STORED"
		}
		parts = append(parts, fmt.Sprintf("GENERATED ALWAYS AS (%s) %s", col.Generated, kind))
	}
	if fk != nil {
		parts = append(parts, references(fk))
	}
	return strings.Join(parts, " ")
}

func references(fk *schema.ForeignKey) string {
	s := "REFERENCES " + q(fk.RefTable)
	if len(fk.RefColumns) > 0 {
		s += " (" + sqltext.QuoteList(fk.RefColumns) + ")"
	}
	if fk.OnUpdate != "" {
		s += " ON UPDATE " + fk.OnUpdate
	}
	if fk.OnDelete != "" {
		s += " ON DELETE " + fk.OnDelete
	}
	if fk.Deferrable != "" {
		s += " " + fk.Deferrable
	}
	return s
}
