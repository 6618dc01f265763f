package schema

import (
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// What String prints of the fields only PostgreSQL sets; each helper
// prints nothing for a zero value, so SQLite listings do not change.

func (s *Schema) dumpPostgres(b *strings.Builder) {
	for _, e := range s.Enums {
		vals := make([]string, len(e.Values))
		for i, v := range e.Values {
			vals[i] = sqltext.QuoteString(v)
		}
		fmt.Fprintf(b, "enum %s (%s)%s\n", sqltext.QuoteIdent(e.Name), strings.Join(vals, ", "), comment(e.Comment))
	}
	for _, q := range s.Sequences {
		fmt.Fprintf(b, "sequence %s %s\n", sqltext.QuoteIdent(q.Name), sequenceParams(q))
	}
	for _, f := range s.Functions {
		fmt.Fprintf(b, "function %s(%s)\n  sql: %s\n", sqltext.QuoteIdent(f.Name), f.Args, strings.TrimSpace(f.SQL))
	}
}

func sequenceParams(q *Sequence) string {
	s := fmt.Sprintf("%s START %d INCREMENT %d MINVALUE %d MAXVALUE %d CACHE %d", q.Type, q.Start, q.Increment, q.Min, q.Max, q.Cache)
	if q.Cycle {
		s += " CYCLE"
	}
	return s
}

func columnPostgres(c *Column) string {
	var b strings.Builder
	if c.Identity != "" {
		b.WriteString(" GENERATED " + c.Identity + " AS IDENTITY")
	}
	if c.Sequence != nil {
		fmt.Fprintf(&b, " sequence %s (%s)", sqltext.QuoteIdent(c.Sequence.Name), sequenceParams(c.Sequence))
	}
	b.WriteString(comment(c.Comment))
	return b.String()
}

func comment(text string) string {
	if text == "" {
		return ""
	}
	return " comment " + sqltext.QuoteString(text)
}

func viewKind(v *View) string {
	if v.Materialized {
		return "materialized view"
	}
	return "view"
}

func include(cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	return " INCLUDE (" + sqltext.QuoteList(cols) + ")"
}

func deferrable(d string) string {
	if d == "" {
		return ""
	}
	return " " + d
}

func nullsNotDistinct(on bool) string {
	if !on {
		return ""
	}
	return " NULLS NOT DISTINCT"
}

func method(m string) string {
	if m == "" {
		return ""
	}
	return " USING " + m
}

func checkFlags(c *Check) string {
	s := ""
	if c.NoInherit {
		s += " NO INHERIT"
	}
	if c.NotValid {
		s += " NOT VALID"
	}
	return s
}

func foreignKeyFlags(fk *ForeignKey) string {
	s := ""
	if fk.Match != "" {
		s += " MATCH " + fk.Match
	}
	if fk.NotValid {
		s += " NOT VALID"
	}
	return s
}
