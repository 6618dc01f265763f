package render

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// OrphansDirective opens the line of a section declaring that it may leave
// rows of a child table whose foreign key matches no row of a parent table
// (package script reads it, the runner's foreign key check honours it):
// `-- +autogen orphans "members" -> "teams"`.
const OrphansDirective = "-- +autogen orphans"

// Children returns the tables of current that keep a foreign key to table
// parent after a revision dropping it is undone: those the revision does
// not drop (dropped holds folded names), parent itself aside. Their rows
// point nowhere once the downgrade has created parent again, empty.
func Children(current *schema.Schema, parent string, dropped map[string]bool) []*schema.Table {
	var out []*schema.Table
	for _, t := range current.Tables {
		if sqltext.EqualIdent(t.Name, parent) || dropped[sqltext.FoldIdent(t.Name)] {
			continue
		}
		for _, fk := range t.ForeignKeys {
			if sqltext.EqualIdent(fk.RefTable, parent) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// orphans writes, in the downgrade of dropping table parent, why rows of its
// children will point nowhere and the directive that lets the runner's
// foreign key check through for each of them. A name that cannot stand on
// one comment line as it is (a line break, a control character) gets no
// directive: the check then refuses the downgrade while such rows exist,
// which the comment says.
func (p *planner) orphans(b *sqlBuf, parent string) {
	for _, c := range Children(p.current, parent, p.dropped) {
		cols := fkColumns(c, parent)
		if !OrphansDeclared(c.Name, parent) {
			comment(b, fmt.Sprintf("table %s comes back empty: rows of %s whose %s pointed to it point nowhere, and the foreign key check refuses this downgrade while there are any (names that cannot stand on a directive line)", parent, c.Name, cols))
			continue
		}
		comment(b, fmt.Sprintf("table %s comes back empty: rows of %s whose %s pointed to it point nowhere; the foreign key check lets them through:", parent, c.Name, cols))
		b.text.WriteString(OrphansDirective + " " + sqltext.QuoteIdent(c.Name) + " -> " + sqltext.QuoteIdent(parent) + "\n")
	}
}

// fkColumns names the columns of t's foreign keys to parent: "team_id",
// "(a, b)".
func fkColumns(t *schema.Table, parent string) string {
	var out []string
	for _, fk := range t.ForeignKeys {
		if !sqltext.EqualIdent(fk.RefTable, parent) {
			continue
		}
		s := strings.Join(fk.Columns, ", ")
		if len(fk.Columns) > 1 {
			s = "(" + s + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " or ")
}

// OrphansDeclared reports whether the downgrade of dropping table parent
// declares the orphans of table child: whether both names can be written
// on a comment line as they are.
func OrphansDeclared(child, parent string) bool {
	plain := func(name string) bool {
		return printable.Escape(name) == name && !strings.ContainsAny(name, "\r\n")
	}
	return plain(child) && plain(parent)
}
