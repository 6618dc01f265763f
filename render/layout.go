package render

import (
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// layoutCreateTable puts each column and table constraint of a one-line
// CREATE TABLE on a line of its own, as Alembic's create_table reads in
// review. Only the target's text (from the models) goes through it: text
// that already has line breaks, or that the tokenizer rejects, is returned
// as it is, and SQLite stores whichever it is given with the same meaning.
func layoutCreateTable(sql string) string {
	if strings.Contains(sql, "\n") {
		return sql
	}
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		return sql
	}
	var b strings.Builder
	depth, last := 0, 0
	emit := func(end int, after string) {
		b.WriteString(strings.TrimRight(sql[last:end], " \t"))
		b.WriteString(after)
		last = end
		for last < len(sql) && (sql[last] == ' ' || sql[last] == '\t') {
			last++
		}
	}
	for _, t := range toks {
		if t.Kind != sqltext.TokenOperator {
			continue
		}
		switch {
		case t.Text == "(":
			depth++
			if depth == 1 {
				emit(t.Offset+1, "\n    ")
			}
		case t.Text == ")":
			if depth == 1 {
				emit(t.Offset, "\n")
			}
			depth--
		case t.Text == "," && depth == 1:
			emit(t.Offset+1, "\n    ")
		}
	}
	b.WriteString(sql[last:])
	return b.String()
}
