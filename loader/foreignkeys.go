package loader

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/loader/bunddl"
	"github.com/autogen-dev/autogen/schema"
)

// checkForeignKeys refuses a foreign key whose parent columns are neither
// the parent's primary key nor UNIQUE. SQLite creates such a table and only
// says "foreign key mismatch" when it checks the key, so the revision would
// be written and its upgrade fail. A key to the parent's primary key is
// fine; for any other SQLite is asked, on a private database holding the
// parent's statements (its unique indexes included) and a table with the
// key alone.
func checkForeignKeys(ctx context.Context, tables []bunddl.Table) error {
	byName := map[string]bunddl.Table{}
	for _, t := range tables {
		if _, ok := byName[t.Name]; !ok {
			byName[t.Name] = t
		}
	}
	for _, t := range tables {
		for _, fk := range t.ForeignKeys {
			parent, ok := byName[fk.Table]
			if !ok || isPrimaryKey(parent, fk.TableColumns) {
				continue
			}
			mismatch, err := keyMismatch(ctx, parent, fk)
			if err != nil {
				return err
			}
			if mismatch {
				cols := make([]string, len(fk.TableColumns))
				for i, c := range fk.TableColumns {
					cols[i] = fk.Table + "." + c
				}
				return &ModelError{Model: t.Type, Field: fk.Field, Reason: fmt.Sprintf(
					"its foreign key (%s) references %s (%s), which is neither the primary key nor UNIQUE there; SQLite creates the table but refuses every write it checks (foreign key mismatch): make %s unique (bun:\",unique\", or one unique: group), or join on %s's primary key",
					strings.Join(fk.Columns, ", "), fk.Table, strings.Join(fk.TableColumns, ", "), strings.Join(cols, ", "), fk.Table)}
			}
		}
	}
	return nil
}

// isPrimaryKey reports whether cols are exactly the primary key columns of
// t, in any order.
func isPrimaryKey(t bunddl.Table, cols []string) bool {
	var pk []string
	for _, c := range t.Columns {
		if c.PK {
			pk = append(pk, sqltext.FoldIdent(c.Name))
		}
	}
	want := make([]string, len(cols))
	for i, c := range cols {
		want[i] = sqltext.FoldIdent(c)
	}
	slices.Sort(pk)
	slices.Sort(want)
	return len(pk) > 0 && slices.Equal(pk, want)
}

// keyMismatch asks SQLite whether a foreign key to parent's columns is
// one it can check. It is false when the parent's own statements fail:
// the other checks report those.
func keyMismatch(ctx context.Context, parent bunddl.Table, fk bunddl.ForeignKey) (bool, error) {
	db, closeDB, err := schema.OpenMemory(ctx)
	if err != nil {
		return false, err
	}
	defer closeDB()
	for _, stmt := range parent.Statements {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return false, nil
		}
	}
	probe := "autogen_fk_probe"
	var cols []string
	for i := range fk.TableColumns {
		cols = append(cols, sqltext.QuoteIdent(fmt.Sprintf("c%d", i)))
	}
	parentCols := make([]string, len(fk.TableColumns))
	for i, c := range fk.TableColumns {
		parentCols[i] = sqltext.QuoteIdent(c)
	}
	create := fmt.Sprintf("CREATE TABLE %s (%s, FOREIGN KEY (%s) REFERENCES %s (%s))",
		probe, strings.Join(cols, ", "), strings.Join(cols, ", "), sqltext.QuoteIdent(fk.Table), strings.Join(parentCols, ", "))
	if _, err := db.ExecContext(ctx, create); err != nil {
		return false, nil
	}
	rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check("+probe+")")
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	return err != nil && strings.Contains(err.Error(), "foreign key mismatch"), nil
}
