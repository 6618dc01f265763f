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
	for _, t := range s.Tables {
		t.dump(&b)
	}
	for _, v := range s.Views {
		fmt.Fprintf(&b, "view %s\n  sql: %s\n", sqltext.QuoteIdent(v.Name), v.SQL)
	}
	for _, tr := range s.Triggers {
		fmt.Fprintf(&b, "trigger %s on %s\n  sql: %s\n", sqltext.QuoteIdent(tr.Name), sqltext.QuoteIdent(tr.Table), tr.SQL)
	}
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
	fmt.Fprintf(b, "\n  sql: %s\n", t.SQL)
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
		b.WriteString("\n")
	}
	for _, u := range t.Uniques {
		fmt.Fprintf(b, "  unique%s (%s)\n", constraintName(u.Name), sqltext.QuoteList(u.Columns))
	}
	for _, c := range t.Checks {
		fmt.Fprintf(b, "  check%s (%s)\n", constraintName(c.Name), c.Expr)
	}
	for _, fk := range t.ForeignKeys {
		ref := sqltext.QuoteIdent(fk.RefTable)
		if len(fk.RefColumns) > 0 {
			ref += " (" + sqltext.QuoteList(fk.RefColumns) + ")"
		}
		fmt.Fprintf(b, "  foreign key%s (%s) references %s ON DELETE %s ON UPDATE %s",
			constraintName(fk.Name), sqltext.QuoteList(fk.Columns), ref, fk.OnDelete, fk.OnUpdate)
		if fk.Deferrable != "" {
			b.WriteString(" " + fk.Deferrable)
		}
		b.WriteString("\n")
	}
	for _, ix := range t.Indexes {
		kind := "index"
		if ix.Unique {
			kind = "unique index"
		}
		fmt.Fprintf(b, "  %s %s (%s)", kind, sqltext.QuoteIdent(ix.Name), indexTerms(ix.Columns))
		if ix.Where != "" {
			fmt.Fprintf(b, " WHERE %s", ix.Where)
		}
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
		if c.Desc {
			term += " DESC"
		}
		terms[i] = term
	}
	return strings.Join(terms, ", ")
}
