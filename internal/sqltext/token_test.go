package sqltext

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestTokenize(t *testing.T) {
	type tk struct {
		kind  TokenKind
		value string
	}
	cases := []struct {
		in   string
		want []tk
	}{
		{`a "b ""c""" ` + "`d``e`" + ` [f "g"]`, []tk{{TokenIdent, "a"}, {TokenQuotedIdent, `b "c"`}, {TokenQuotedIdent, "d`e"}, {TokenQuotedIdent, `f "g"`}}},
		{`'it''s' x'0aFF' X''`, []tk{{TokenString, "it's"}, {TokenBlob, "x'0aFF'"}, {TokenBlob, "X''"}}},
		{`1 1.5 .5 1e10 1.5E-3 0x1F 1_000 3.`, []tk{{TokenNumber, "1"}, {TokenNumber, "1.5"}, {TokenNumber, ".5"}, {TokenNumber, "1e10"}, {TokenNumber, "1.5E-3"}, {TokenNumber, "0x1F"}, {TokenNumber, "1_000"}, {TokenNumber, "3."}}},
		{"a -- c ;\nb /* d */ c /* open", []tk{{TokenIdent, "a"}, {TokenComment, "-- c ;"}, {TokenIdent, "b"}, {TokenComment, "/* d */"}, {TokenIdent, "c"}, {TokenComment, "/* open"}}},
		{`? ?12 :a @b $c::d(e) #f`, []tk{{TokenParam, "?"}, {TokenParam, "?12"}, {TokenParam, ":a"}, {TokenParam, "@b"}, {TokenParam, "$c::d(e)"}, {TokenParam, "#f"}}},
		{`a->>'$.x'||b<>c!=d<=e>>f.g`, []tk{{TokenIdent, "a"}, {TokenOperator, "->>"}, {TokenString, "$.x"}, {TokenOperator, "||"}, {TokenIdent, "b"}, {TokenOperator, "<>"}, {TokenIdent, "c"}, {TokenOperator, "!="}, {TokenIdent, "d"}, {TokenOperator, "<="}, {TokenIdent, "e"}, {TokenOperator, ">>"}, {TokenIdent, "f"}, {TokenOperator, "."}, {TokenIdent, "g"}}},
		{"naïve_$x _y", []tk{{TokenIdent, "naïve_$x"}, {TokenIdent, "_y"}}},
		{"  \t\n", nil},
	}
	for _, c := range cases {
		toks, err := Tokenize(c.in)
		if err != nil {
			t.Errorf("Tokenize(%q): %v", c.in, err)
			continue
		}
		var got []tk
		for _, tok := range toks {
			got = append(got, tk{tok.Kind, tok.Value})
			if c.in[tok.Offset:tok.Offset+len(tok.Text)] != tok.Text {
				t.Errorf("Tokenize(%q): token %q has a wrong offset %d", c.in, tok.Text, tok.Offset)
			}
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestTokenizeErrors(t *testing.T) {
	cases := map[string]string{
		"a 'open":     "offset 2: unterminated string",
		`"open`:       "offset 0: unterminated quoted identifier",
		"[open":       "offset 0: unterminated [identifier",
		"x'abc'":      "offset 0: blob literal with an odd number",
		"x'zz'":       "offset 0: malformed blob",
		"12abc":       "offset 0: malformed number",
		"a ^ b":       "offset 2: unexpected character",
		"a : b":       "offset 2: unexpected",
		"select 1 \\": "offset 9: unexpected character",
	}
	for in, want := range cases {
		_, err := Tokenize(in)
		if err == nil || !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), want) {
			t.Errorf("Tokenize(%q) = %v, want an ErrSyntax containing %q", in, err, want)
		}
	}
}

// FuzzLeadingTokens checks that the tokens FromDDL classifies statements by
// are the first ones Tokenize gives, comments left out.
func FuzzLeadingTokens(f *testing.F) {
	for _, s := range []string{`CREATE TABLE "a" (id)`, "/* x */ CREATE -- y\n UNIQUE INDEX i ON a(b)", `CREATE TABLE 'a`, ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := Tokenize(s)
		if err != nil {
			return
		}
		var want []Token
		for _, tok := range toks {
			if tok.Kind != TokenComment && len(want) < 4 {
				want = append(want, tok)
			}
		}
		if got := LeadingTokens(s, 4); !reflect.DeepEqual(got, want) && (len(got) != 0 || len(want) != 0) {
			t.Errorf("leadingTokens(%q) = %v, want %v", s, got, want)
		}
	})
}
