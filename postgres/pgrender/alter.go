package pgrender

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// lockNote says which lock a statement takes on table and for how long:
// what a reviewer of a revision for a busy database must know. The
// statements that hold ACCESS EXCLUSIVE while they scan or rewrite every
// row say how to do without.
func lockNote(kind, table string) string {
	var s string
	switch kind {
	case "DROP TABLE":
		s = "ACCESS EXCLUSIVE on %s (blocks reads and writes) until COMMIT"
	case "ADD COLUMN":
		s = "ACCESS EXCLUSIVE on %s, brief: no rewrite unless the default is volatile (such as random())"
	case "ALTER TYPE":
		s = "ACCESS EXCLUSIVE on %s; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)"
	case "SET NOT NULL":
		s = "ACCESS EXCLUSIVE on %s; scans every row (on a large table, add CHECK (col IS NOT NULL) NOT VALID and VALIDATE it in earlier revisions: the scan is then skipped)"
	case "CREATE INDEX":
		s = "SHARE on %s (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)"
	case "UNIQUE", "PRIMARY KEY":
		s = "ACCESS EXCLUSIVE on %s while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX"
	case "FOREIGN KEY":
		s = "SHARE ROW EXCLUSIVE on %s and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)"
	case "CHECK":
		s = "ACCESS EXCLUSIVE on %s; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)"
	case "CREATE INDEX CONCURRENTLY":
		s = "SHARE UPDATE EXCLUSIVE on %s (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end"
	case "DROP INDEX CONCURRENTLY":
		s = "SHARE UPDATE EXCLUSIVE on %s (reads and writes go on); waits for the transactions using the index to end"
	case "FOREIGN KEY NOT VALID":
		s = "SHARE ROW EXCLUSIVE on %s and its parent, brief (no scan): rows written from now on are checked"
	case "VALIDATE FOREIGN KEY":
		s = "SHARE UPDATE EXCLUSIVE on %s (reads and writes go on) and ROW SHARE on its parent while it scans every row"
	case "CHECK NOT VALID":
		s = "ACCESS EXCLUSIVE on %s, brief (no scan): rows written from now on are checked"
	case "VALIDATE CHECK":
		s = "SHARE UPDATE EXCLUSIVE on %s (reads and writes go on) while it scans every row"
	case "USING INDEX":
		s = "ACCESS EXCLUSIVE on %s, brief: the index built above becomes the constraint, without a scan"
	case "SET NOT NULL VALIDATED":
		s = "ACCESS EXCLUSIVE on %s, brief: the validated CHECK proves there is no NULL, so PostgreSQL 12 and later skip the scan"
	default: // catalog-only changes: DROP COLUMN, DROP INDEX, DROP CONSTRAINT, defaults, DROP NOT NULL
		s = "ACCESS EXCLUSIVE on %s, brief (no scan, no rewrite)"
	}
	return "lock: " + fmt.Sprintf(s, table)
}

// addColumn writes ADD COLUMN: into the upgrade for a new column, into the
// downgrade (restore) for one the upgrade drops, whose values are gone.
func addColumn(c *change, table string, col *schema.Column, restore bool) {
	b := &c.up
	if restore {
		b = &c.down
	}
	_, serial := serialType(col)
	filled := col.Default != "" || col.Identity != "" || col.Generated != "" || serial
	add := alter(table) + " ADD COLUMN "
	switch {
	case filled || !col.NotNull:
		if restore {
			b.comment(fmt.Sprintf("DESTRUCTIVE: column %s.%s comes back %s in every row: the values the upgrade dropped cannot come back", table, col.Name, restoredAs(col)))
		}
		b.comment(lockNote("ADD COLUMN", table))
		b.stmt(add + columnDef(col))
	case restore && zeroValue(col.Type) != "":
		zero := zeroValue(col.Type)
		b.comment(fmt.Sprintf("DESTRUCTIVE: column %s.%s comes back with %s in every row: the values the upgrade dropped cannot come back", table, col.Name, zero))
		b.comment(lockNote("ADD COLUMN", table))
		withZero := *col
		withZero.Default = zero
		b.stmt(add + columnDef(&withZero))
		b.stmt(alter(table) + " ALTER COLUMN " + ident(col.Name) + " DROP DEFAULT")
	default:
		w := fmt.Sprintf("ADD COLUMN %s.%s NOT NULL without a default fails when %s holds rows", table, col.Name, table)
		if !restore {
			c.warnings = append(c.warnings, w)
		}
		b.comment(w)
		b.comment(lockNote("ADD COLUMN", table))
		b.stmt(add + columnDef(col))
	}
}

func restoredAs(col *schema.Column) string {
	if col.Default != "" && !strings.HasPrefix(col.Default, "nextval(") {
		return "with its default " + col.Default
	}
	if col.NotNull || col.Identity != "" {
		return "numbered afresh"
	}
	return "NULL"
}

// zeroValue is a value of a built-in type that every NOT NULL column of it
// accepts, for a dropped column coming back; "" when there is none.
func zeroValue(typ string) string {
	t := typ
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = t[:i]
	}
	switch {
	case strings.HasSuffix(typ, "[]"):
		return "'{}'"
	case t == "smallint", t == "integer", t == "bigint", t == "numeric", t == "real", t == "double precision":
		return "0"
	case t == "boolean":
		return "false"
	case t == "text", t == "character varying", t == "character", t == "bytea", t == `"char"`:
		return "''"
	case t == "json", t == "jsonb":
		return "'null'"
	case t == "uuid":
		return "'00000000-0000-0000-0000-000000000000'"
	case t == "date", strings.HasPrefix(t, "timestamp"):
		return "'epoch'"
	case strings.HasPrefix(t, "time"):
		return "'00:00'"
	case t == "interval":
		return "'0'"
	}
	return ""
}

func alterColumn(c *change, o *diff.AlterColumn) error {
	col := alter(o.TableName) + " ALTER COLUMN " + ident(o.New.Name)
	switch o.Attr {
	case diff.AttrType, diff.AttrCollation:
		if o.Destructive() {
			c.up.comment(fmt.Sprintf("DESTRUCTIVE: narrows the type of %s.%s from %s to %s; values that do not fit make the upgrade fail, values the cast rounds are changed", o.TableName, o.New.Name, o.Old.Type, o.New.Type))
		}
		c.up.comment(lockNote("ALTER TYPE", o.TableName))
		c.up.stmt(col + retype(o.New, o.Old))
		c.down.comment(lockNote("ALTER TYPE", o.TableName))
		c.down.stmt(col + retype(o.Old, o.New))
	case diff.AttrNotNull:
		set, drop := col+" SET NOT NULL", col+" DROP NOT NULL"
		if !o.New.NotNull {
			set, drop = drop, set
			c.up.comment(lockNote("DROP NOT NULL", o.TableName))
			c.down.comment(fmt.Sprintf("fails when %s.%s holds NULLs by then", o.TableName, o.New.Name))
			c.down.comment(lockNote("SET NOT NULL", o.TableName))
		} else {
			c.warnings = append(c.warnings, fmt.Sprintf("SET NOT NULL on %s.%s fails when the column holds NULLs", o.TableName, o.New.Name))
			c.up.comment(lockNote("SET NOT NULL", o.TableName))
			c.down.comment(lockNote("DROP NOT NULL", o.TableName))
		}
		c.up.stmt(set)
		c.down.stmt(drop)
	case diff.AttrDefault:
		if from, to, ok := sequenceRename(o.Old, o.New); ok {
			// The default follows the sequence's OID: renaming the
			// sequence (as a renamed table's serial column needs) is the
			// whole change, in either direction.
			c.up.stmt("ALTER SEQUENCE " + ident(from) + " RENAME TO " + ident(to))
			c.down.stmt("ALTER SEQUENCE " + ident(to) + " RENAME TO " + ident(from))
			return nil
		}
		c.up.comment(lockNote("DEFAULT", o.TableName))
		c.up.stmt(col + setDefault(o.New.Default))
		c.down.comment(lockNote("DEFAULT", o.TableName))
		c.down.stmt(col + setDefault(o.Old.Default))
	default:
		return fmt.Errorf("PostgreSQL cannot change the %s of column %s.%s in place; drop the column and add it again", o.Attr.Noun(), o.TableName, o.New.Name)
	}
	return nil
}

// retype is the TYPE clause that gives a column to's type and collation,
// converting from's values with an explicit cast (what an implicit one
// would refuse, such as text to integer, is then tried).
func retype(to, from *schema.Column) string {
	s := " TYPE " + to.Type
	if to.Collation != "" {
		s += " COLLATE " + to.Collation
	} else if from.Collation != "" {
		s += ` COLLATE "default"`
	}
	if to.Type != from.Type && !stringType(to.Type) {
		s += " USING " + ident(to.Name) + "::" + to.Type
	}
	return s
}

// StringType reports whether typ is text, varchar or char: every type
// converts to them by assignment, so Render writes no USING cast, and the
// conversion then rejects an over-long value instead of truncating it as
// an explicit cast would.
func StringType(typ string) bool { return stringType(typ) }

func stringType(typ string) bool {
	base, _, _ := strings.Cut(typ, "(")
	switch base {
	case "text", "character varying", "character":
		return true
	}
	return false
}

func setDefault(def string) string {
	if def == "" {
		return " DROP DEFAULT"
	}
	return " SET DEFAULT " + def
}

func createIndex(b *sqlBuf, ix *schema.Index) {
	b.comment(lockNote("CREATE INDEX", ix.Table))
	b.stmt(ix.SQL)
}

// tableConstraint is a UNIQUE, FOREIGN KEY or CHECK constraint an
// operation adds or drops, as ADD CONSTRAINT writes it.
type tableConstraint struct{ table, name, def, kind string }

// constraintOf is the constraint of an AddUnique, DropUnique,
// AddForeignKey, DropForeignKey, AddCheck or DropCheck, and whether op
// adds it (the upgrade of one kind is the downgrade of the other); ok is
// false for any other operation.
func constraintOf(op diff.Op) (k tableConstraint, adds, ok bool) {
	switch o := op.(type) {
	case *diff.AddUnique:
		return tableConstraint{o.TableName, o.Unique.Name, uniqueDef(o.Unique), "UNIQUE"}, true, true
	case *diff.DropUnique:
		return tableConstraint{o.TableName, o.Unique.Name, uniqueDef(o.Unique), "UNIQUE"}, false, true
	case *diff.AddForeignKey:
		return tableConstraint{o.TableName, o.ForeignKey.Name, fkDef(o.ForeignKey, true), "FOREIGN KEY"}, true, true
	case *diff.DropForeignKey:
		return tableConstraint{o.TableName, o.ForeignKey.Name, fkDef(o.ForeignKey, true), "FOREIGN KEY"}, false, true
	case *diff.AddCheck:
		return tableConstraint{o.TableName, o.Check.Name, checkDef(o.Check, true), "CHECK"}, true, true
	case *diff.DropCheck:
		return tableConstraint{o.TableName, o.Check.Name, checkDef(o.Check, true), "CHECK"}, false, true
	}
	return tableConstraint{}, false, false
}

// constraintChange writes op's upgrade and downgrade into c when op adds
// or drops a UNIQUE, FOREIGN KEY or CHECK constraint; false for any other
// operation.
func constraintChange(c *change, op diff.Op) bool {
	k, adds, ok := constraintOf(op)
	if !ok {
		return false
	}
	add, drop := &c.up, &c.down
	if !adds {
		add, drop = drop, add
	}
	addConstraint(add, k.table, k.name, k.def, k.kind)
	dropConstraint(drop, k.table, k.name)
	return true
}

func addConstraint(b *sqlBuf, table, name, def, kind string) {
	b.comment(lockNote(kind, table))
	b.stmt(alter(table) + " ADD " + constraint(name, def))
}

func dropConstraint(b *sqlBuf, table, name string) {
	b.comment(lockNote("DROP CONSTRAINT", table))
	b.stmt(alter(table) + " DROP CONSTRAINT " + ident(name))
}

func renameConstraint(c *change, table, from, to string) {
	c.up.comment(lockNote("RENAME CONSTRAINT", table))
	c.up.stmt(alter(table) + " RENAME CONSTRAINT " + ident(from) + " TO " + ident(to))
	c.down.comment(lockNote("RENAME CONSTRAINT", table))
	c.down.stmt(alter(table) + " RENAME CONSTRAINT " + ident(to) + " TO " + ident(from))
}

func alterPrimaryKey(c *change, o *diff.AlterPrimaryKey) {
	if o.Old != nil && o.New != nil && o.Old.Name != o.New.Name && pkDef(o.Old) == pkDef(o.New) {
		// Only the name differs (a renamed table keeps its key's name):
		// renaming the constraint renames its index, without a rebuild.
		renameConstraint(c, o.TableName, o.Old.Name, o.New.Name)
		return
	}
	if o.Old != nil {
		dropConstraint(&c.up, o.TableName, o.Old.Name)
	}
	if o.New != nil {
		addConstraint(&c.up, o.TableName, o.New.Name, pkDef(o.New), "PRIMARY KEY")
		dropConstraint(&c.down, o.TableName, o.New.Name)
	}
	if o.Old != nil {
		addConstraint(&c.down, o.TableName, o.Old.Name, pkDef(o.Old), "PRIMARY KEY")
	}
}

// sequenceRename reports whether a changed default is the same serial
// column's nextval on a sequence of another name.
func sequenceRename(old, new *schema.Column) (from, to string, ok bool) {
	if old.Sequence == nil || new.Sequence == nil || old.Identity != "" || new.Identity != "" {
		return "", "", false
	}
	from, to = old.Sequence.Name, new.Sequence.Name
	if from == to || strings.ReplaceAll(old.Default, from, to) != new.Default {
		return "", "", false
	}
	return from, to, true
}
