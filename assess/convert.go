package assess

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
)

// convertTable is the temporary table a conversion is measured in. It
// lives in the connection's temp schema: the live database is only read.
const convertTable = "autogen_convert"

// affinity is the affinity a column declared typ has in the table: a
// STRICT table's ANY column keeps every value as it is given.
func (t *tableAssess) affinity(typ string) sqltext.Affinity {
	if t.from.Strict && sqltext.EqualIdent(strings.TrimSpace(typ), "ANY") {
		return sqltext.AffinityBlob
	}
	return sqltext.TypeAffinity(typ)
}

// declared is a type name of affinity aff, for the temporary table; the
// column's own type is not needed, as only its affinity converts values.
func declared(aff sqltext.Affinity) string {
	if aff == sqltext.AffinityBlob {
		return ""
	}
	return string(aff)
}

// conversionCounts are the values of a column a change of affinity alters.
type conversionCounts struct {
	changed  int64 // values the change of type alters
	lost     int64 // of those, values that read back as the old type are not what is stored now
	notNum   int64 // text or blobs a numeric column keeps as they are
	notWhole int64 // numbers with a fraction (or too large) an INTEGER column keeps as REAL
}

// conversion counts the values of a column whose type changes affinity
// that the rebuild's copy changes for good: SQLite itself converts each
// value, in a temporary table whose columns have the old value as it is,
// the value stored under the new type, and that value stored back under
// the old type (what the downgrade gives). A value is at fault when the
// last differs from the first by type or text (quote(): '00001' becomes 1
// and comes back as '1'; 1.50 text becomes 1.5; 9007199254740993 becomes
// a REAL that comes back as ...992), or when the new column keeps it in a
// type the new one does not hold: text that is not a number in a numeric
// column, a fraction in an INTEGER column. Such a change is fatal: a
// revision would silently change or misplace data.
func (t *tableAssess) conversion(o *diff.AlterColumn) error {
	from, to := t.affinity(o.Old.Type), t.affinity(o.New.Type)
	c, err := t.convertCounts(o.Old.Name, from, to)
	if err != nil {
		return fmt.Errorf("measuring the conversion of %s.%s to %s: %w", t.table, o.New.Name, cmp.Or(o.New.Type, "(none)"), err)
	}
	var parts []string
	if c.lost > 0 {
		parts = append(parts, fmt.Sprintf("%s back as %s %s from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore %s",
			printable.Count(c.lost, "value reads", "values read"), cmp.Or(o.Old.Type, "(none)"), printable.Agree(c.lost, "differs", "differ"), printable.Agree(c.lost, "it", "them")))
	}
	if c.notNum > 0 {
		parts = append(parts, fmt.Sprintf("%s not a number, which the %s column keeps as it is",
			printable.Count(c.notNum, "value is", "values are"), to))
	}
	if c.notWhole > 0 {
		parts = append(parts, fmt.Sprintf("%s not a whole number that fits 64 bits, which the INTEGER column keeps as REAL",
			printable.Count(c.notWhole, "value is", "values are")))
	}
	t.add(Finding{Table: t.table, Column: o.New.Name, Kind: KindConversion, Rows: c.changed, Fatal: true,
		Message: fmt.Sprintf("converting %s.%s from %s to %s changes %s: %s",
			t.table, o.New.Name, cmp.Or(o.Old.Type, "(none)"), cmp.Or(o.New.Type, "(none)"),
			printable.Count(c.changed, "stored value", "stored values"), strings.Join(parts, "; "))})
	return nil
}

// convertCounts runs the conversion of column col from affinity from to
// affinity to in a temporary table, on one connection of the database.
func (t *tableAssess) convertCounts(col string, from, to sqltext.Affinity) (conversionCounts, error) {
	var c conversionCounts
	err := t.onConnection(func(conn session) error {
		tmp := "temp." + q(convertTable)
		stmts := []string{
			"DROP TABLE IF EXISTS " + tmp,
			fmt.Sprintf("CREATE TEMP TABLE %s (o, n %s, b %s)", q(convertTable), declared(to), declared(from)),
			fmt.Sprintf("INSERT INTO %s (o, n) SELECT %s, %s FROM main.%s WHERE %s IS NOT NULL", tmp, q(col), q(col), q(t.from.Name), q(col)),
			fmt.Sprintf("UPDATE %s SET b = n", tmp),
		}
		defer conn.ExecContext(context.WithoutCancel(t.ctx), "DROP TABLE IF EXISTS "+tmp)
		for _, s := range stmts {
			if _, err := conn.ExecContext(t.ctx, s); err != nil {
				return err
			}
		}
		notNum, notWhole := "0", "0"
		switch to {
		case sqltext.AffinityInteger:
			notWhole = "typeof(n) = 'real'"
			fallthrough
		case sqltext.AffinityReal, sqltext.AffinityNumeric:
			notNum = "typeof(n) IN ('text', 'blob')"
		}
		lost := "quote(b) IS NOT quote(o)"
		query := fmt.Sprintf("SELECT count(*), coalesce(sum(%s), 0), coalesce(sum(%s), 0), coalesce(sum(%s), 0) FROM %s WHERE %s OR %s OR %s",
			lost, notNum, notWhole, tmp, lost, notNum, notWhole)
		return conn.QueryRowContext(t.ctx, query).Scan(&c.changed, &c.lost, &c.notNum, &c.notWhole)
	})
	return c, err
}

// session is what a conversion is measured on: one connection.
type session interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// onConnection runs fn on one connection of the database, where a
// temporary table lives from one statement to the next: q itself when it
// is a connection or a transaction, else one taken from the pool.
func (a *assessor) onConnection(fn func(session) error) error {
	switch db := a.q.(type) {
	case *sql.Conn:
		return fn(db)
	case *sql.Tx:
		return fn(db)
	case interface {
		Conn(context.Context) (*sql.Conn, error)
	}:
		conn, err := db.Conn(a.ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return fn(conn)
	}
	return fmt.Errorf("the database handle (%T) gives no connection of its own", a.q)
}
