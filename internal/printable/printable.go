// Package printable shows text from names, files and revisions on a
// terminal or in a comment without letting it act: a table named with an
// escape sequence must not recolour the screen, and one named with a line
// break must not start a line of its own.
package printable

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escaped reports whether Escape rewrites r: control characters (C0, DEL,
// C1, among them tab, CR, LF, VT, FF, NUL, ESC and U+0085), the line and
// paragraph separators U+2028 and U+2029, and the bidirectional controls,
// which reorder the text around them on screen.
func Escaped(r rune) bool {
	switch {
	case unicode.IsControl(r), r == '\u2028', r == '\u2029':
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// Escape returns s with every rune Escaped reports, and every byte that is
// not UTF-8, written as a Go escape (\n, \x1b, \u2028, \xff), so that the
// result is one line that only prints. Text without such runes comes back
// unchanged; Escape of an escaped text changes nothing.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case Escaped(r):
			b.WriteString(escapeRune(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || Escaped(r) {
			return true
		}
		i += n
	}
	return false
}

func escapeRune(r rune) string {
	switch r {
	case '\a':
		return `\a`
	case '\b':
		return `\b`
	case '\f':
		return `\f`
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	case '\v':
		return `\v`
	}
	if r < 0x80 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Lines is Escape for text meant to span lines, such as compiler output or
// SQL: each line (ended by LF or CR LF) is escaped, and the line feeds and
// tabs that lay the text out are kept.
func Lines(s string) string {
	if !needsEscape(strings.NewReplacer("\n", "", "\t", "").Replace(s)) {
		return s
	}
	var b strings.Builder
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(Escape(part))
		}
	}
	return b.String()
}
