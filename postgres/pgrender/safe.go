package pgrender

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// Options steer RenderWith; the zero value is Render's.
type Options struct {
	// SafeForms writes the forms that hold a lighter lock while they scan
	// a table: CREATE/DROP INDEX CONCURRENTLY, a UNIQUE constraint made
	// from an index built CONCURRENTLY, a FOREIGN KEY or CHECK added NOT
	// VALID then validated, SET NOT NULL after a validated CHECK (col IS
	// NOT NULL). They only help outside a transaction (inside one the
	// first statement's lock is held until COMMIT, and CONCURRENTLY is
	// refused), so they are written only in a revision made of nothing
	// else, marked no-transaction; a revision with any other change keeps
	// the plain forms in one transaction and a warning says so.
	SafeForms bool
}

// NoTransactionMarker is script.NoTransactionMarker: the line that makes
// the runner apply a revision outside a transaction.
const NoTransactionMarker = "-- +autogen no-transaction"

// online reports whether every operation has a safe form (ok) and
// whether any gains from one (gains); dependents (foreign keys dropped
// around a changed key) rule the safe forms out.
func online(ops []diff.Op, rk *rekey) (ok, gains bool) {
	ok = len(rk.dependents) == 0
	for _, op := range ops {
		has, gain := safeForm(op)
		ok, gains = ok && has, gains || gain
	}
	return ok && gains, gains
}

// safeForm reports whether op has a safe form, and whether it gains from
// one.
func safeForm(op diff.Op) (has, gains bool) {
	switch o := op.(type) {
	case *diff.AddIndex:
		return concurrentable(o.Index), true
	case *diff.DropIndex:
		return concurrentable(o.Index), true
	case *diff.AddForeignKey, *diff.DropForeignKey, *diff.AddCheck, *diff.DropCheck, *diff.AddUnique, *diff.DropUnique:
		return true, true
	case *diff.AlterColumn:
		return o.Attr == diff.AttrNotNull, o.Attr == diff.AttrNotNull
	}
	return false, false
}

func concurrentable(ix *schema.Index) bool {
	return strings.HasPrefix(ix.SQL, "CREATE INDEX ") || strings.HasPrefix(ix.SQL, "CREATE UNIQUE INDEX ")
}

// plainKept says why a revision asked for the safe forms has the plain
// ones: it is written at its top and given as a warning.
const plainKept = "postgresql_safe_forms: this revision holds changes without a safe form besides its index or constraint changes, so it keeps the plain forms in one transaction; generate those in a revision of their own for the lighter locks"

// safeHeader opens a revision written with the safe forms.
func safeHeader(b *sqlBuf) {
	b.text.WriteString(NoTransactionMarker + "\n")
	b.comment("postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun")
}

// safeOp renders op in its safe form; ok is false for an operation
// without one.
func safeOp(c *change, op diff.Op) bool {
	switch o := op.(type) {
	case *diff.AddIndex:
		createConcurrently(&c.up, o.Index)
		dropConcurrently(&c.down, o.Index)
	case *diff.DropIndex:
		dropConcurrently(&c.up, o.Index)
		createConcurrently(&c.down, o.Index)
	case *diff.AddForeignKey:
		addValidated(&c.up, o.TableName, o.ForeignKey.Name, fkDef(o.ForeignKey, false), "FOREIGN KEY", o.ForeignKey.NotValid)
		dropIfExists(&c.down, o.TableName, o.ForeignKey.Name)
	case *diff.DropForeignKey:
		dropIfExists(&c.up, o.TableName, o.ForeignKey.Name)
		addValidated(&c.down, o.TableName, o.ForeignKey.Name, fkDef(o.ForeignKey, false), "FOREIGN KEY", o.ForeignKey.NotValid)
	case *diff.AddUnique:
		addUniqueUsingIndex(&c.up, o.TableName, o.Unique)
		dropIfExists(&c.down, o.TableName, o.Unique.Name)
	case *diff.DropUnique:
		dropIfExists(&c.up, o.TableName, o.Unique.Name)
		addUniqueUsingIndex(&c.down, o.TableName, o.Unique)
	case *diff.AddCheck:
		addValidated(&c.up, o.TableName, o.Check.Name, checkDef(o.Check, false), "CHECK", o.Check.NotValid)
		dropIfExists(&c.down, o.TableName, o.Check.Name)
	case *diff.DropCheck:
		dropIfExists(&c.up, o.TableName, o.Check.Name)
		addValidated(&c.down, o.TableName, o.Check.Name, checkDef(o.Check, false), "CHECK", o.Check.NotValid)
	case *diff.AlterColumn:
		if o.Attr != diff.AttrNotNull {
			return false
		}
		set, drop := &c.up, &c.down
		if !o.New.NotNull {
			set, drop = drop, set
		}
		setNotNullValidated(set, o.TableName, o.New.Name)
		drop.comment(lockNote("DROP NOT NULL", o.TableName))
		drop.stmt(alter(o.TableName) + " ALTER COLUMN " + ident(o.New.Name) + " DROP NOT NULL")
	default:
		return false
	}
	return true
}

// concurrently is ix's CREATE INDEX with CONCURRENTLY.
func concurrently(ix *schema.Index) string {
	create, rest, _ := strings.Cut(ix.SQL, "INDEX ")
	return create + "INDEX CONCURRENTLY " + rest
}

func createConcurrently(b *sqlBuf, ix *schema.Index) {
	b.comment("a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index " + ix.Name + " behind: dropping it first lets a rerun start over")
	dropConcurrently(b, ix)
	b.comment(lockNote("CREATE INDEX CONCURRENTLY", ix.Table))
	b.stmt(concurrently(ix))
}

func dropConcurrently(b *sqlBuf, ix *schema.Index) {
	b.comment(lockNote("DROP INDEX CONCURRENTLY", ix.Table))
	b.stmt("DROP INDEX CONCURRENTLY IF EXISTS " + ident(ix.Name))
}

func dropIfExists(b *sqlBuf, table, name string) {
	b.comment(lockNote("DROP CONSTRAINT", table))
	b.stmt(alter(table) + " DROP CONSTRAINT IF EXISTS " + ident(name))
}

// addValidated adds a constraint NOT VALID (a brief lock, no scan), then
// validates it under a lock that lets reads and writes go on; one
// inspected as NOT VALID stays so. A constraint of the name left by a
// failed earlier run is dropped first.
func addValidated(b *sqlBuf, table, name, def, kind string, notValid bool) {
	dropIfExists(b, table, name)
	b.comment(lockNote(kind+" NOT VALID", table))
	b.stmt(alter(table) + " ADD " + constraint(name, def) + " NOT VALID")
	if notValid {
		return
	}
	b.comment(lockNote("VALIDATE "+kind, table))
	b.stmt(alter(table) + " VALIDATE CONSTRAINT " + ident(name))
}

// addUniqueUsingIndex builds a UNIQUE constraint's index CONCURRENTLY,
// then makes it the constraint (a brief lock, no scan). The constraint and
// an index of its name left by a failed earlier run are dropped first.
func addUniqueUsingIndex(b *sqlBuf, table string, u *schema.Unique) {
	dropIfExists(b, table, u.Name)
	ix := &schema.Index{Name: u.Name, Table: table, SQL: "CREATE UNIQUE INDEX " + ident(u.Name) + " ON " + ident(table) +
		" (" + idents(u.Columns) + ")" + include(u.Include) + nullsNotDistinct(u.NullsNotDistinct)}
	createConcurrently(b, ix)
	b.comment(lockNote("USING INDEX", table))
	b.stmt(alter(table) + " ADD CONSTRAINT " + ident(u.Name) + " UNIQUE USING INDEX " + ident(u.Name) + deferral(u.Deferrable))
}

func nullsNotDistinct(on bool) string {
	if on {
		return " NULLS NOT DISTINCT"
	}
	return ""
}

// setNotNullValidated writes SET NOT NULL after a validated CHECK (col IS
// NOT NULL), which lets PostgreSQL 12 and later skip SET NOT NULL's scan;
// the CHECK is dropped after.
func setNotNullValidated(b *sqlBuf, table, column string) {
	tmp := notNullCheckName(table, column)
	b.comment(fmt.Sprintf("SET NOT NULL on %s.%s without its scan under ACCESS EXCLUSIVE: a CHECK (%s IS NOT NULL) is validated first, then dropped", table, column, column))
	addValidated(b, table, tmp, "CHECK ("+ident(column)+" IS NOT NULL)", "CHECK", false)
	b.comment(lockNote("SET NOT NULL VALIDATED", table))
	b.stmt(alter(table) + " ALTER COLUMN " + ident(column) + " SET NOT NULL")
	b.comment(lockNote("DROP CONSTRAINT", table))
	b.stmt(alter(table) + " DROP CONSTRAINT IF EXISTS " + ident(tmp))
}

// notNullCheckName names the temporary CHECK of setNotNullValidated: the
// same for the same column every time, within PostgreSQL's 63 bytes.
func notNullCheckName(table, column string) string {
	sum := sha256.Sum256([]byte(table + "\x00" + column))
	return "autogen_not_null_" + hex.EncodeToString(sum[:6])
}

// inTransaction is stmt as Verify can run it inside its transaction:
// without CONCURRENTLY, which changes how the index is built, not what.
func inTransaction(stmt string) string {
	for _, p := range []string{"CREATE INDEX CONCURRENTLY ", "CREATE UNIQUE INDEX CONCURRENTLY ", "DROP INDEX CONCURRENTLY "} {
		if rest, ok := strings.CutPrefix(stmt, p); ok {
			return strings.TrimSuffix(p, "CONCURRENTLY ") + rest
		}
	}
	return stmt
}
