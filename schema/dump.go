package schema

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// String renders the schema as a readable, deterministic listing, one item a
// line, for golden files and error messages.
func (s *Schema) String() string {
	var b strings.Builder
	if s.Name != "" {
		fmt.Fprintf(&b, "schema %s\n", sqltext.QuoteIdent(s.Name))
	}
	for _, t := range s.Tables {
		t.dump(&b)
	}
	for _, v := range s.Views {
		fmt.Fprintf(&b, "%s %s%s\n  sql: %s\n", viewKind(v), sqltext.QuoteIdent(v.Name), comment(v.Comment), v.SQL)
	}
	for _, tr := range s.Triggers {
		fmt.Fprintf(&b, "trigger %s on %s\n  sql: %s\n", sqltext.QuoteIdent(tr.Name), sqltext.QuoteIdent(tr.Table), tr.SQL)
	}
	s.dumpPostgres(&b)
	return b.String()
}

func (t *Table) dump(b *strings.Builder) {
	fmt.Fprintf(b, "table %s", sqltext.QuoteIdent(t.Name))
	if t.WithoutRowID {
		b.WriteString(" WITHOUT ROWID")
	}
	if t.Strict {
		b.WriteString(" STRICT")
	}
	b.WriteString(comment(t.Comment) + "\n")
	if t.SQL != "" { // PostgreSQL keeps no CREATE TABLE text
		fmt.Fprintf(b, "  sql: %s\n", t.SQL)
	}
	for _, c := range t.Columns {
		fmt.Fprintf(b, "  column %d %s%s\n", c.Position, sqltext.QuoteIdent(c.Name), columnAttrs(c))
	}
	if pk := t.PrimaryKey; pk != nil {
		fmt.Fprintf(b, "  primary key%s (%s)", constraintName(pk.Name), sqltext.QuoteList(pk.Columns))
		if pk.Desc {
			b.WriteString(" DESC")
		}
		if pk.Autoincrement {
			b.WriteString(" AUTOINCREMENT")
		}
		b.WriteString(include(pk.Include) + deferrable(pk.Deferrable) + "\n")
	}
	for _, u := range t.Uniques {
		fmt.Fprintf(b, "  unique%s%s (%s)%s%s\n", constraintName(u.Name), nullsNotDistinct(u.NullsNotDistinct),
			sqltext.QuoteList(u.Columns), include(u.Include), deferrable(u.Deferrable))
	}
	for _, c := range t.Checks {
		fmt.Fprintf(b, "  check%s (%s)%s\n", constraintName(c.Name), c.Expr, checkFlags(c))
	}
	for _, fk := range t.ForeignKeys {
		ref := sqltext.QuoteIdent(fk.RefTable)
		if fk.RefSchema != "" {
			ref = sqltext.QuoteIdent(fk.RefSchema) + "." + ref
		}
		if len(fk.RefColumns) > 0 {
			ref += " (" + sqltext.QuoteList(fk.RefColumns) + ")"
		}
		fmt.Fprintf(b, "  foreign key%s (%s) references %s ON DELETE %s ON UPDATE %s",
			constraintName(fk.Name), sqltext.QuoteList(fk.Columns), ref, fk.OnDelete, fk.OnUpdate)
		if fk.Deferrable != "" {
			b.WriteString(" " + fk.Deferrable)
		}
		b.WriteString(foreignKeyFlags(fk) + "\n")
	}
	for _, ix := range t.Indexes {
		kind := "index"
		if ix.Unique {
			kind = "unique index"
		}
		fmt.Fprintf(b, "  %s %s%s (%s)%s%s", kind, sqltext.QuoteIdent(ix.Name), method(ix.Method), indexTerms(ix.Columns),
			include(ix.Include), nullsNotDistinct(ix.NullsNotDistinct))
		if ix.Where != "" {
			fmt.Fprintf(b, " WHERE %s", ix.Where)
		}
		b.WriteString(comment(ix.Comment))
		fmt.Fprintf(b, "\n    sql: %s\n", ix.SQL)
	}
}

func columnAttrs(c *Column) string {
	var b strings.Builder
	if c.Type != "" {
		b.WriteString(" type=" + c.Type)
	}
	if c.NotNull {
		b.WriteString(" NOT NULL")
	}
	if c.Default != "" {
		b.WriteString(" DEFAULT " + c.Default)
	}
	if c.Collation != "" {
		b.WriteString(" COLLATE " + c.Collation)
	}
	if c.Generated != "" {
		kind := "VIRTUAL"
		if c.Stored {
			kind = "STORED"
		}
		fmt.Fprintf(&b, " AS (%s) %s", c.Generated, kind)
	}
	b.WriteString(columnPostgres(c))
	return b.String()
}

func constraintName(name string) string {
	if name == "" {
		return ""
	}
	return " " + sqltext.QuoteIdent(name)
}

func indexTerms(cols []IndexColumn) string {
	terms := make([]string, len(cols))
	for i, c := range cols {
		term := sqltext.QuoteIdent(c.Name)
		if c.Expr != "" {
			term = "(" + c.Expr + ")"
		}
		if c.Collation != "" {
			term += " COLLATE " + c.Collation
		}
		if c.OpClass != "" {
			term += " " + c.OpClass
		}
		if c.Desc {
			term += " DESC"
		}
		if c.Nulls != "" {
			term += " NULLS " + c.Nulls
		}
		terms[i] = term
	}
	return strings.Join(terms, ", ")
}
