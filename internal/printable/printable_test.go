package printable

import (
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"members", "members"},
		{"größe 名前 ſ", "größe 名前 ſ"},
		{"a\nDROP TABLE t;\n--x", `a\nDROP TABLE t;\n--x`},
		{"cr\rlf\r\n", `cr\rlf\r\n`},
		{"\t\v\f\a\b", `\t\v\f\a\b`},
		{"esc\x1b[2J nul\x00 del\x7f", `esc\x1b[2J nul\x00 del\x7f`},
		{"nel\u0085 ls\u2028 ps\u2029", `nel\u0085 ls\u2028 ps\u2029`},
		{"rlo\u202eevil\u202c lri\u2066x\u2069 alm\u061c lrm\u200e", `rlo\u202eevil\u202c lri\u2066x\u2069 alm\u061c lrm\u200e`},
		{"bad\xffutf8\xc3", `bad\xffutf8\xc3`},
		{`back\slash \n`, `back\slash \n`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := Escape(Escape(tt.in)); got != tt.want {
			t.Errorf("Escape(Escape(%q)) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLines(t *testing.T) {
	tests := []struct{ in, want string }{
		{"one\ntwo\tcol", "one\ntwo\tcol"},
		{"crlf\r\nnext", "crlf\nnext"},
		{"a\x1b[31m\nb\u2028c\rd", "a\\x1b[31m\nb\\u2028c\\rd"},
	}
	for _, tt := range tests {
		if got := Lines(tt.in); got != tt.want {
			t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzEscape checks what every caller relies on: the result is valid
// UTF-8 holding no rune Escaped reports, Escape changes nothing twice, and
// Lines differs from Escape only by keeping line feeds and tabs.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "x", "a\nb", "\x1b[2J", "\u2028", "\xff\xfe", "tab\there", "crlf\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, e)
		}
		for _, r := range e {
			if Escaped(r) {
				t.Fatalf("Escape(%q) = %q keeps %U", s, e, r)
			}
		}
		if Escape(e) != e {
			t.Fatalf("Escape is not idempotent on %q", s)
		}
		for _, r := range Lines(s) {
			if Escaped(r) && r != '\n' && r != '\t' {
				t.Fatalf("Lines(%q) keeps %U", s, r)
			}
		}
	})
}

func TestCount(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{{0, "0 rows holds"}, {1, "1 row hold"}, {2, "2 rows holds"}} {
		if got := Count(c.n, "row", "rows") + " " + Agree(c.n, "hold", "holds"); got != c.want {
			t.Errorf("n=%d: %q, want %q", c.n, got, c.want)
		}
	}
	if got := Count(3, "difference", "differences"); got != "3 differences" {
		t.Errorf("int: %q", got)
	}
}
