package sqltext

import "strings"

// LineEndings turns the CR LF line endings of SQL text into LF (CR CR LF
// too, so that a second pass changes nothing), as a file
// saved on Windows needs, but leaves those inside quoted identifiers and
// string literals ('…', "…", `…`, […]): there they are part of a name or a
// value, and changing them would make a statement name another table. It
// is used both where revision files are written and where they are read,
// so that a file reads back exactly as it was written.
func LineEndings(s string) string {
	if !strings.Contains(s, "\r\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if n := quotedLen(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		if n := commentLen(s[i:]); n > 0 {
			writeUnquoted(&b, s[i:i+n])
			i += n
			continue
		}
		n := 1
		for i+n < len(s) && quotedLen(s[i+n:]) == 0 && commentLen(s[i+n:]) == 0 {
			n++
		}
		writeUnquoted(&b, s[i:i+n])
		i += n
	}
	return b.String()
}

// writeUnquoted writes s, text outside quotes, with its line endings made
// LF.
func writeUnquoted(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		if n := crlfLen(s[i:]); n > 0 {
			b.WriteByte('\n')
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
}

// quotedLen is the length of the quoted identifier or string literal s
// starts with (to the end of s when it is not closed), or 0. A doubled
// quote inside is part of it, as SQLite reads it.
func quotedLen(s string) int {
	n, _ := quoted(s)
	return n
}

// quoted is quotedLen, and whether the quote is closed.
func quoted(s string) (n int, closed bool) {
	if s == "" {
		return 0, false
	}
	closing := closingQuote(s[0])
	if closing == 0 {
		return 0, false
	}
	for i := 1; i < len(s); i++ {
		if s[i] != closing {
			continue
		}
		if closing != ']' && i+1 < len(s) && s[i+1] == closing {
			i++
			continue
		}
		return i + 1, true
	}
	return len(s), false
}

// commentLen is the length of the comment s starts with, or 0: a quote in
// a comment opens nothing.
func commentLen(s string) int {
	switch {
	case strings.HasPrefix(s, "--"):
		if end := strings.IndexByte(s, '\n'); end >= 0 {
			return end + 1
		}
		return len(s)
	case strings.HasPrefix(s, "/*"):
		if end := strings.Index(s[2:], "*/"); end >= 0 {
			return end + 4
		}
		return len(s)
	}
	return 0
}

// crlfLen is the length of the run of CRs and the LF that s starts with,
// or 0.
func crlfLen(s string) int {
	n := 0
	for n < len(s) && s[n] == '\r' {
		n++
	}
	if n > 0 && n < len(s) && s[n] == '\n' {
		return n + 1
	}
	return 0
}

// QuotedLines reports, for each line of s (split at LF), whether it starts
// inside a quoted identifier or string literal: such a line is part of a
// name or a value, not a line of its own, whatever it looks like. A quote
// left open at the end of s marks nothing: that is a syntax error for
// SQLite to report, not a reason to hide the lines after it.
func QuotedLines(s string) []bool {
	out := make([]bool, strings.Count(s, "\n")+1)
	line := 0
	for i := 0; i < len(s); {
		n, closed := quoted(s[i:])
		if n == 0 {
			n = max(commentLen(s[i:]), 1)
			line += strings.Count(s[i:i+n], "\n")
			i += n
			continue
		}
		inner := strings.Count(s[i:i+n], "\n")
		if closed {
			for k := 1; k <= inner; k++ {
				out[line+k] = true
			}
		}
		line += inner
		i += n
	}
	return out
}

// closingQuote is the character that closes a quote opened by c, or 0.
func closingQuote(c byte) byte {
	switch c {
	case '\'', '"', '`':
		return c
	case '[':
		return ']'
	}
	return 0
}
