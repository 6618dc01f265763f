// Package pgassess counts, on a live PostgreSQL database, the rows each
// risky operation of a revision touches: rows dropped with a table,
// values dropped with a column, NULLs under a new NOT NULL, duplicates
// under a new UNIQUE or primary key, rows failing a new CHECK or foreign
// key, values a type change rejects. Every query is a SELECT in a
// read-only transaction that is rolled back; no lock beyond ACCESS SHARE
// is taken on the live tables.
package pgassess

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/autogen-dev/autogen/assess"
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/schema"
)

// Assess counts the rows of db (whose schema is current) that ops touch;
// operations touching no row give no finding. Findings are sorted by
// table, column and kind.
func Assess(ctx context.Context, db *sql.DB, ops []diff.Op, current *schema.Schema) ([]assess.Finding, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	// A table locked by a long ALTER elsewhere makes the count wait: say
	// so after a while rather than hang.
	if _, err := tx.ExecContext(ctx, "SELECT set_config('lock_timeout', '10s', true)"); err != nil {
		return nil, fmt.Errorf("assess: %w", err)
	}
	a := &assessor{ctx: ctx, tx: tx, current: current, tables: map[string]string{}, columns: map[[2]string]string{}}
	for _, op := range ops {
		a.names(op)
	}
	for _, op := range ops {
		if err := a.op(op); err != nil {
			return nil, fmt.Errorf("assess %s: %w", op.Describe(), err)
		}
	}
	slices.SortStableFunc(a.findings, func(x, y assess.Finding) int {
		return strings.Compare(x.Table+"\x00"+x.Column+"\x00"+string(x.Kind), y.Table+"\x00"+y.Column+"\x00"+string(y.Kind))
	})
	return a.findings, nil
}

type assessor struct {
	ctx      context.Context
	tx       *sql.Tx
	current  *schema.Schema
	tables   map[string]string    // target table name -> live name
	columns  map[[2]string]string // {target table, target column} -> live column
	findings []assess.Finding
	n        int // savepoints made
	// labels are the enum types' values once the revision's enum
	// operations, which come first, have run.
	labels map[string][]string
}

// names records the renames, so an operation that names a table or column
// by its target name reads the live one.
func (a *assessor) names(op diff.Op) {
	switch o := op.(type) {
	case *diff.RenameTable:
		a.tables[o.New.Name] = o.Old.Name
	case *diff.RenameColumn:
		a.columns[[2]string{o.TableName, o.New.Name}] = o.Old.Name
	}
}

func (a *assessor) table(name string) string {
	if live, ok := a.tables[name]; ok {
		return live
	}
	return name
}

func (a *assessor) column(table, name string) string {
	if live, ok := a.columns[[2]string{table, name}]; ok {
		return live
	}
	return name
}

// live reports whether the table exists in the live database: one the
// revision creates holds no rows.
func (a *assessor) live(table string) bool { return a.current.Table(a.table(table)) != nil }

func (a *assessor) add(f assess.Finding) {
	if f.Rows > 0 || f.Fatal {
		a.findings = append(a.findings, f)
	}
}

func (a *assessor) op(op diff.Op) error {
	switch o := op.(type) {
	case *diff.DropTable:
		n, err := a.count("SELECT count(*) FROM " + q(o.Old.Name))
		a.add(assess.Finding{Table: o.Old.Name, Kind: assess.KindDropTable, Rows: n,
			Message: fmt.Sprintf("dropping table %s deletes its %s", o.Old.Name, printable.Count(n, "row", "rows"))})
		return err
	case *diff.DropColumn:
		n, err := a.where(o.TableName, q(a.column(o.TableName, o.Column.Name))+" IS NOT NULL")
		a.add(assess.Finding{Table: o.TableName, Column: o.Column.Name, Kind: assess.KindDropColumn, Rows: n,
			Message: fmt.Sprintf("dropping column %s.%s deletes %s; the downgrade cannot bring them back", o.TableName, o.Column.Name, printable.Count(n, "non-NULL value", "non-NULL values"))})
		return err
	case *diff.AddColumn:
		return a.addColumn(o)
	case *diff.AlterColumn:
		return a.alterColumn(o)
	case *diff.AddUnique:
		return a.duplicates(o.TableName, o.Unique.Columns, o.Unique.NullsNotDistinct, "unique constraint "+o.Unique.Name)
	case *diff.AddIndex:
		// A duplicate makes CREATE UNIQUE INDEX fail, and its CONCURRENTLY
		// form leave an INVALID index behind.
		if cols, ok := pgrender.UniqueColumns(o.Index); ok {
			return a.duplicates(o.Index.Table, cols, o.Index.NullsNotDistinct, "unique index "+o.Index.Name)
		}
		return nil
	case *diff.AlterPrimaryKey:
		if o.New == nil {
			return nil
		}
		return a.duplicates(o.TableName, o.New.Columns, true, "primary key")
	case *diff.AddCheck:
		return a.check(o)
	case *diff.AddForeignKey:
		return a.foreignKey(o)
	}
	return a.enumOp(op)
}

func (a *assessor) addColumn(o *diff.AddColumn) error {
	c := o.Column
	if !c.NotNull || c.Default != "" || c.Identity != "" || c.Generated != "" || !a.live(o.TableName) {
		return nil
	}
	n, err := a.count("SELECT count(*) FROM " + q(a.table(o.TableName)))
	a.add(assess.Finding{Table: o.TableName, Column: c.Name, Kind: assess.KindNewNotNull, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("new column %s.%s is NOT NULL without a default, and the table holds %s", o.TableName, c.Name, printable.Count(n, "row", "rows"))})
	return err
}

func (a *assessor) alterColumn(o *diff.AlterColumn) error {
	if !a.live(o.TableName) {
		return nil
	}
	col := q(a.column(o.TableName, o.New.Name))
	switch o.Attr {
	case diff.AttrNotNull:
		if !o.New.NotNull {
			return nil
		}
		n, err := a.where(o.TableName, col+" IS NULL")
		a.add(assess.Finding{Table: o.TableName, Column: o.New.Name, Kind: assess.KindNotNull, Rows: n, Fatal: n > 0,
			Message: fmt.Sprintf("column %s.%s becomes NOT NULL and %s NULL there; SET NOT NULL fails", o.TableName, o.New.Name, printable.Count(n, "row holds", "rows hold"))})
		return err
	case diff.AttrType:
		return a.cast(o, col)
	}
	return nil
}

// cast tries the conversion the upgrade makes on every non-NULL value: a
// value it rejects makes the upgrade fail.
func (a *assessor) cast(o *diff.AlterColumn, col string) error {
	n, err := a.where(o.TableName, col+" IS NOT NULL")
	if err != nil || n == 0 {
		return err
	}
	change := fmt.Sprintf("changing the type of %s.%s from %s to %s", o.TableName, o.New.Name, o.Old.Type, o.New.Type)
	if pgrender.StringType(o.New.Type) {
		return a.tooLong(o, col, change)
	}
	if labels, array, ok := a.enumLabels(o.New.Type); ok {
		return a.notLabels(o, col, change, labels, array)
	}
	_, err = a.count(fmt.Sprintf("SELECT count(%s%s::%s) FROM %s", col, pgrender.EnumCast(a.current, o.Old.Type), o.New.Type, q(a.table(o.TableName))))
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg) && strings.HasPrefix(pg.Code, "22"): // data exception
		a.add(assess.Finding{Table: o.TableName, Column: o.New.Name, Kind: assess.KindNarrowing, Rows: n, Fatal: true,
			Message: fmt.Sprintf("%s fails: a value does not convert (%s)", change, pg.Message)})
		return nil
	case err != nil:
		return err
	}
	if o.Destructive() {
		a.add(assess.Finding{Table: o.TableName, Column: o.New.Name, Kind: assess.KindNarrowing, Rows: n,
			Message: fmt.Sprintf("%s converts %s", change, printable.Count(n, "value", "values"))})
	}
	return nil
}

// tooLong counts the values longer than a string type's length: those
// the assignment conversion rejects (excess spaces it drops).
func (a *assessor) tooLong(o *diff.AlterColumn, col, change string) error {
	_, size, ok := strings.Cut(o.New.Type, "(")
	if !ok {
		return nil
	}
	size = strings.TrimSuffix(size, ")")
	if _, err := strconv.Atoi(size); err != nil {
		return nil
	}
	n, err := a.where(o.TableName, fmt.Sprintf("char_length(rtrim(%s::text, ' ')) > %s", col, size))
	a.add(assess.Finding{Table: o.TableName, Column: o.New.Name, Kind: assess.KindNarrowing, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s fails: %s longer than %s characters", change, printable.Count(n, "value is", "values are"), size)})
	return err
}

// duplicates counts the rows sharing their key with another row (and,
// for a primary key, rows with a NULL in it).
func (a *assessor) duplicates(table string, cols []string, nullsEqual bool, what string) error {
	if !a.live(table) {
		return nil
	}
	keys := make([]string, len(cols))
	var notNull []string
	for i, c := range cols {
		keys[i] = q(a.column(table, c))
		notNull = append(notNull, keys[i]+" IS NOT NULL")
	}
	cond := "true"
	if !nullsEqual {
		cond = strings.Join(notNull, " AND ")
	}
	k := strings.Join(keys, ", ")
	n, err := a.count(fmt.Sprintf("SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM %s WHERE %s GROUP BY %s HAVING count(*) > 1) d",
		q(a.table(table)), cond, k))
	a.add(assess.Finding{Table: table, Kind: assess.KindUnique, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s %s their (%s) with another row under the new %s on %s", printable.Count(n, "row", "rows"), printable.Agree(n, "shares", "share"), strings.Join(cols, ", "), what, table)})
	if err != nil || what != "primary key" {
		return err
	}
	n, err = a.where(table, "NOT ("+strings.Join(notNull, " AND ")+")")
	a.add(assess.Finding{Table: table, Kind: assess.KindNotNull, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s a NULL in (%s), the new primary key of %s", printable.Count(n, "row holds", "rows hold"), strings.Join(cols, ", "), table)})
	return err
}

func (a *assessor) check(o *diff.AddCheck) error {
	if !a.live(o.TableName) || o.Check.NotValid {
		return nil
	}
	n, err := a.where(o.TableName, "NOT ("+o.Check.Expr+")")
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "42703" { // a column the revision adds: NULL, which passes
		return nil
	}
	a.add(assess.Finding{Table: o.TableName, Kind: assess.KindCheck, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s of table %s %s the new CHECK (%s)", printable.Count(n, "row", "rows"), o.TableName, printable.Agree(n, "fails", "fail"), o.Check.Expr)})
	return err
}

func (a *assessor) foreignKey(o *diff.AddForeignKey) error {
	fk := o.ForeignKey
	if !a.live(o.TableName) || fk.NotValid {
		return nil
	}
	var set []string
	for _, c := range fk.Columns {
		set = append(set, "c."+q(a.column(o.TableName, c))+" IS NOT NULL")
	}
	cond := strings.Join(set, " AND ")
	parent := a.current.Table(a.table(fk.RefTable))
	if parent != nil && fk.RefSchema == "" {
		refs := fk.RefColumns
		if len(refs) == 0 && parent.PrimaryKey != nil {
			refs = parent.PrimaryKey.Columns
		}
		var eq []string
		for i, c := range fk.Columns {
			eq = append(eq, fmt.Sprintf("p.%s = c.%s", q(a.column(fk.RefTable, refs[i])), q(a.column(o.TableName, c))))
		}
		cond += fmt.Sprintf(" AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)", q(parent.Name), strings.Join(eq, " AND "))
	} else if fk.RefSchema != "" {
		return nil // another schema's table: not counted
	}
	n, err := a.count(fmt.Sprintf("SELECT count(*) FROM %s c WHERE %s", q(a.table(o.TableName)), cond))
	a.add(assess.Finding{Table: o.TableName, Kind: assess.KindForeignKey, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s of table %s %s no parent row in %s under the new foreign key", printable.Count(n, "row", "rows"), o.TableName, printable.Agree(n, "has", "have"), fk.RefTable)})
	return err
}

func (a *assessor) where(table, cond string) (int64, error) {
	return a.count(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", q(a.table(table)), cond))
}

// count runs one counting query under a savepoint, so that a failed one
// (a value that does not convert) leaves the transaction usable.
func (a *assessor) count(query string) (int64, error) {
	a.n++
	sp := fmt.Sprintf("autogen_assess_%d", a.n)
	if _, err := a.tx.ExecContext(a.ctx, "SAVEPOINT "+sp); err != nil {
		return 0, err
	}
	var n int64
	err := a.tx.QueryRowContext(a.ctx, query).Scan(&n)
	if err != nil {
		if _, rerr := a.tx.ExecContext(a.ctx, "ROLLBACK TO SAVEPOINT "+sp); rerr != nil {
			return 0, errors.Join(err, rerr)
		}
	}
	return n, err
}

func q(name string) string { return pgrender.Ident(name) }
