package sqltext

import "strings"

// RenameIdents rewrites the identifiers of an expression that name a key of
// renames (old column name -> new) to the new name, quoted; strings and
// keywords are left alone. Text that does not tokenize is returned as is.
// It knows no scopes, so it suits one table's expressions (CHECK, index,
// generated column), not views or triggers: an alias or another table's
// column of the same name would be renamed too. SQLite's own RENAME gives
// their text (see render's triggerStates).
func RenameIdents(expr string, renames map[string]string) string {
	if len(renames) == 0 {
		return expr
	}
	return ReplaceIdents(expr, func(name string) (string, bool) {
		for o, n := range renames {
			if EqualIdent(o, name) {
				return QuoteIdent(n), true
			}
		}
		return "", false
	})
}

// ReplaceIdents replaces each identifier of expr (not keywords, strings or
// comments) for which repl returns true with the SQL text repl gives.
// Text that does not tokenize is returned as is.
func ReplaceIdents(expr string, repl func(name string) (string, bool)) string {
	if expr == "" {
		return expr
	}
	toks, err := Tokenize(expr)
	if err != nil {
		return expr
	}
	var b strings.Builder
	last := 0
	for _, tok := range toks {
		if tok.Kind != TokenQuotedIdent && (tok.Kind != TokenIdent || IsKeyword(tok.Value)) {
			continue
		}
		text, ok := repl(tok.Value)
		if !ok {
			continue
		}
		b.WriteString(expr[last:tok.Offset])
		end := tok.Offset + len(tok.Text)
		// Keep the new text from fusing with a neighbour: "a""b" is one
		// identifier, not two.
		if tok.Offset > 0 && !isSpaceOrOp(expr[tok.Offset-1]) {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		if end < len(expr) && !isSpaceOrOp(expr[end]) {
			b.WriteByte(' ')
		}
		last = end
	}
	b.WriteString(expr[last:])
	return b.String()
}

func isSpaceOrOp(c byte) bool {
	return strings.IndexByte(" \t\n\r\f(),;=<>+-*/%|&~!.", c) >= 0
}

// StripParens removes parentheses that enclose all of toks.
func StripParens(toks []Token) []Token {
	for len(toks) >= 2 && toks[0].Text == "(" && toks[0].Kind == TokenOperator && MatchingParen(toks) == len(toks)-1 {
		toks = toks[1 : len(toks)-1]
	}
	return toks
}

// MatchingParen returns the index of the ')' closing toks[0], or -1.
func MatchingParen(toks []Token) int {
	depth := 0
	for i, t := range toks {
		if t.Kind != TokenOperator {
			continue
		}
		switch t.Text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// Unparen is expr trimmed and without the parentheses around all of it:
// "((a + 1))" gives "a + 1", "(a) + (b)" stays. Text that does not
// tokenize is only trimmed.
func Unparen(expr string) string {
	s := strings.TrimSpace(expr)
	toks, err := Tokenize(s)
	if err != nil {
		return s
	}
	inner := StripParens(toks)
	switch {
	case len(inner) == len(toks):
		return s
	case len(inner) == 0:
		return ""
	}
	last := inner[len(inner)-1]
	return strings.TrimSpace(s[inner[0].Offset : last.Offset+len(last.Text)])
}
