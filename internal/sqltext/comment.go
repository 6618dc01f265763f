// Package sqltext is what autogen knows about SQLite's SQL as text, apart
// from any schema, in one place: the tokenizer and the statement splitter
// (which end statements where SQLite's sqlite3_complete does), keywords and
// identifiers compared as SQLite compares them (ASCII letters folded only),
// quoting, parentheses, type affinity, rewriting the names in an
// expression, and the text autogen writes around SQL: comments that stay
// comments, line endings that leave quoted names alone.
package sqltext

import (
	"strings"

	"github.com/autogen-dev/autogen/internal/printable"
)

// Comment returns text as SQL line comments, one "-- " line per line of
// text, each ended by a line feed; empty text gives "-- \n". Every text
// autogen writes into a revision or a script goes through it: SQLite ends a
// line comment at LF only, but a reader's editor also breaks lines at CR,
// VT, FF, U+0085, U+2028 and U+2029, so those, and every other control
// character but tab, are written escaped (printable.Escape). A name holding
// "\nDELETE FROM t;" therefore never becomes a statement, nor looks like one.
func Comment(text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(printable.Lines(text), "\n") {
		b.WriteString("-- ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}
