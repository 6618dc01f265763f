package render

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// KeyChange says what a change of table from to table to means for an
// INSERT that omits the primary key, "" when nothing changes for it: the
// key stops or starts being an alias of the rowid (only a column declared
// exactly INTEGER PRIMARY KEY in a rowid table is one, and only then does
// SQLite give an omitted key a new value), or loses or gains AUTOINCREMENT
// (which keeps the ids of deleted rows from coming back). The column must
// be in both tables.
func KeyChange(from, to *schema.Table) string {
	col := rowidAlias(from)
	if col == "" {
		col = rowidAlias(to)
	}
	if col == "" || from.Column(col) == nil || to.Column(col) == nil {
		return "" // a key column dropped or added is said as such
	}
	name := to.Name + "." + col
	wasAlias, isAlias := rowidAlias(from) != "", sqltext.EqualIdent(rowidAlias(to), col)
	wasAuto, isAuto := autoincrement(from), autoincrement(to)
	switch {
	case wasAlias && !isAlias:
		lost := ""
		if wasAuto {
			lost = " and loses AUTOINCREMENT"
		}
		then := "stores NULL in it"
		if c := to.Column(col); c != nil && c.NotNull {
			then = "fails (NOT NULL constraint failed)"
		}
		return fmt.Sprintf("%s is no longer an alias of the rowid (%s)%s: an INSERT that omits %s no longer gets a new key, it %s; give every new row its key", name, notAlias(to, col), lost, col, then)
	case !wasAlias && isAlias:
		return fmt.Sprintf("%s becomes an alias of the rowid (INTEGER PRIMARY KEY): an INSERT that omits it gets a new key, and every row's key must be an integer", name)
	case wasAuto && !isAuto:
		return fmt.Sprintf("%s loses AUTOINCREMENT: an INSERT that omits it gets one more than the largest key in the table, which may be the key of a row deleted earlier", name)
	case !wasAuto && isAuto:
		return fmt.Sprintf("%s gains AUTOINCREMENT: an INSERT that omits it never gets the key of a row deleted earlier", name)
	}
	return ""
}

// rowidAlias is the column of t that is an alias of the rowid, or "".
func rowidAlias(t *schema.Table) string {
	if t == nil || t.WithoutRowID || t.PrimaryKey == nil || len(t.PrimaryKey.Columns) != 1 || t.PrimaryKey.Desc {
		return ""
	}
	name := t.PrimaryKey.Columns[0]
	if c := t.Column(name); c != nil && sqltext.EqualIdent(c.Type, "INTEGER") {
		return name
	}
	return ""
}

// notAlias says why column col of t is not an alias of the rowid.
func notAlias(t *schema.Table, col string) string {
	switch {
	case t.WithoutRowID:
		return "the table is WITHOUT ROWID"
	case t.PrimaryKey == nil || !sqltext.ContainsIdent(t.PrimaryKey.Columns, col):
		return col + " is no longer the primary key"
	case len(t.PrimaryKey.Columns) > 1:
		return "the primary key is (" + strings.Join(t.PrimaryKey.Columns, ", ") + ")"
	case t.PrimaryKey.Desc:
		return "PRIMARY KEY DESC"
	}
	typ := "untyped"
	if c := t.Column(col); c != nil && c.Type != "" {
		typ = c.Type
	}
	return typ + " PRIMARY KEY, not INTEGER PRIMARY KEY"
}
