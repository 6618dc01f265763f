package sqltext

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestComment(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "-- \n"},
		{"added column 'members.age'", "-- added column 'members.age'\n"},
		{"two\nlines", "-- two\n-- lines\n"},
		{"crlf\r\nends", "-- crlf\n-- ends\n"},
		{"tab\tkept", "-- tab\tkept\n"},
		{"d\rDELETE FROM t;", "-- d\\rDELETE FROM t;\n"},
		{"a\u2028DROP TABLE v;\u2029\u0085\v\f", "-- a\\u2028DROP TABLE v;\\u2029\\u0085\\v\\f\n"},
		{"nul\x00esc\x1b", "-- nul\\x00esc\\x1b\n"},
	}
	for _, tt := range tests {
		if got := Comment(tt.in); got != tt.want {
			t.Errorf("Comment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineEndings(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb", "a\nb"},
		{"CREATE TABLE \"a\r\nb\" (x)\r\n", "CREATE TABLE \"a\r\nb\" (x)\n"},
		{"SELECT 'it''s\r\n', [x\r\ny], `q\r\n`;\r\n", "SELECT 'it''s\r\n', [x\r\ny], `q\r\n`;\n"},
		{"-- it's a comment\r\nSELECT 1;\r\n", "-- it's a comment\nSELECT 1;\n"},
		{"/* it's\r\n */ SELECT \"\"\"x\r\n\";\r\n", "/* it's\n */ SELECT \"\"\"x\r\n\";\n"},
		{"unclosed 'x\r\ny", "unclosed 'x\r\ny"},
		{"lone\rcr", "lone\rcr"},
	}
	for _, tt := range tests {
		if got := LineEndings(tt.in); got != tt.want {
			t.Errorf("LineEndings(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzComment checks that every line of a comment is one: each starts with
// "-- " and holds nothing an editor or SQLite could end a line at.
func FuzzComment(f *testing.F) {
	for _, s := range []string{"", "x", "a\nDELETE FROM t;\n--x", "a\r\nb", "\u2028\u2029\u0085\v\f\r", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Comment(s)
		if !strings.HasSuffix(c, "\n") {
			t.Fatalf("Comment(%q) = %q does not end its line", s, c)
		}
		for _, line := range strings.Split(strings.TrimSuffix(c, "\n"), "\n") {
			if !strings.HasPrefix(line, "-- ") {
				t.Fatalf("Comment(%q) has the line %q", s, line)
			}
			if i := strings.IndexAny(line, "\r\v\f\x00\u0085\u2028\u2029"); i >= 0 {
				t.Fatalf("Comment(%q) keeps a line break in %q", s, line)
			}
		}
	})
}

// FuzzLineEndings checks that the function is idempotent, as reading a
// file written through it must give the same text, and that it only ever
// drops CRs before an LF.
var crs = regexp.MustCompile("\r+\n")

func FuzzLineEndings(f *testing.F) {
	for _, s := range []string{"a\r\nb", "0\r\r\n", "'x\r\n'", "\"\"\"\r\n", "-- '\r\n'\r\n", "/* ' */\r\n'\r\n'", "[\r\n]\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := LineEndings(s)
		if LineEndings(got) != got {
			t.Fatalf("LineEndings(%q) = %q changes again", s, got)
		}
		if crs.ReplaceAllString(got, "\n") != crs.ReplaceAllString(s, "\n") {
			t.Fatalf("LineEndings(%q) = %q changed more than line endings", s, got)
		}
		if q := QuotedLines(s); len(q) != strings.Count(s, "\n")+1 || q[0] {
			t.Fatalf("QuotedLines(%q) = %v", s, q)
		}
	})
}

func TestQuotedLines(t *testing.T) {
	tests := []struct {
		in   string
		want []bool
	}{
		{"a\nb", []bool{false, false}},
		{"CREATE TABLE \"a\n-- +autogen downgrade\nb\" (x);\n-- +autogen downgrade", []bool{false, true, true, false}},
		{"-- it's\nSELECT 'x\ny', [p\nq];\n", []bool{false, false, true, true, false}},
		{"/* 'a\n */ x\n", []bool{false, false, false}},
		{"SELECT 'unclosed\n-- +autogen downgrade\n", []bool{false, false, false}},
	}
	for _, tt := range tests {
		if got := QuotedLines(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("QuotedLines(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestUnparen(t *testing.T) {
	tests := []struct{ in, want string }{
		{" NULL ", "NULL"},
		{"((NULL))", "NULL"},
		{"( a + 1 )", "a + 1"},
		{"(a) + (b)", "(a) + (b)"},
		{"()", ""},
		{"(')')", "')'"},
		{"('unclosed)", "('unclosed)"},
	}
	for _, tt := range tests {
		if got := Unparen(tt.in); got != tt.want {
			t.Errorf("Unparen(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
