package schema

import (
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// NormalizeExpr rewrites an expression (or any SQL) into a canonical form so
// that two spellings SQLite reads alike compare equal: canonical spacing,
// keywords and function names upper-case, identifiers double-quoted, strings
// and numbers as written, comments and redundant outer parentheses dropped.
// Text that does not tokenize is only trimmed.
func NormalizeExpr(expr string) string {
	all, err := sqltext.Tokenize(expr)
	if err != nil {
		return sqltext.TrimSpace(expr)
	}
	toks := all[:0:0]
	for _, t := range all {
		if t.Kind != sqltext.TokenComment {
			toks = append(toks, t)
		}
	}
	toks = sqltext.StripParens(toks)
	var b strings.Builder
	var prev sqltext.Token
	for i, t := range toks {
		text := normalToken(toks, i)
		if i > 0 && needSpace(prev, t, i == 1 || i > 1 && isUnary(toks[i-2])) {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		prev = t
	}
	return b.String()
}

// normalToken is the canonical text of toks[i].
func normalToken(toks []sqltext.Token, i int) string {
	t := toks[i]
	switch t.Kind {
	case sqltext.TokenIdent, sqltext.TokenQuotedIdent:
		call := i+1 < len(toks) && toks[i+1].Kind == sqltext.TokenOperator && toks[i+1].Text == "("
		if bareWord(t.Value) && (call || sqltext.IsKeyword(t.Value) || castType(toks, i)) {
			return sqltext.UpperASCII(t.Value)
		}
		return sqltext.QuoteIdent(t.Value)
	case sqltext.TokenBlob:
		return sqltext.UpperASCII(t.Text)
	}
	return t.Text
}

// castType reports whether toks[i] is the type name of a CAST, which SQLite
// reads case-insensitively.
func castType(toks []sqltext.Token, i int) bool {
	if i == 0 || !toks[i-1].Is("AS") || i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	return next.Kind == sqltext.TokenOperator && (next.Text == ")" || next.Text == "(")
}

// isUnary reports whether a sign after t is a unary one.
func isUnary(t sqltext.Token) bool {
	switch t.Kind {
	case sqltext.TokenOperator:
		return t.Text != ")"
	case sqltext.TokenIdent:
		return sqltext.IsKeyword(t.Text)
	}
	return false
}

// needSpace decides the spacing between prev and t; signUnary says whether
// prev is a sign used as a unary operator (its predecessor was an operator).
func needSpace(prev, t sqltext.Token, signUnary bool) bool {
	// A dot beside a number would join it: ". 0X0" must not become ".0X0".
	if prev.Kind == sqltext.TokenOperator && prev.Text == "." && t.Kind == sqltext.TokenNumber ||
		prev.Kind == sqltext.TokenNumber && t.Kind == sqltext.TokenOperator && t.Text == "." {
		return true
	}
	if prev.Kind == sqltext.TokenOperator {
		switch prev.Text {
		case "(", ".":
			return false
		case "-", "+":
			if signUnary {
				return false
			}
		}
	}
	if t.Kind == sqltext.TokenOperator {
		switch t.Text {
		case ")", ",", ".", ";":
			return false
		case "(":
			return prev.Kind != sqltext.TokenIdent && prev.Kind != sqltext.TokenQuotedIdent || sqltext.IsKeyword(prev.Value) && !isFuncKeyword(prev.Value)
		}
	}
	return true
}

// isFuncKeyword lists keywords that are written like calls: a '(' after them
// belongs to them.
func isFuncKeyword(word string) bool {
	switch sqltext.UpperASCII(word) {
	case "CAST", "RAISE", "EXISTS", "GLOB", "LIKE", "REGEXP", "MATCH", "REPLACE":
		return true
	}
	return false
}

// NormalizeType returns a declared column type in canonical form: upper-case
// words separated by one space and the size in parentheses without spaces,
// so "varchar (100)" and "VARCHAR(100)" are equal.
func NormalizeType(t string) string {
	toks, err := sqltext.Tokenize(t)
	if err != nil {
		return sqltext.UpperASCII(strings.Join(strings.Fields(t), " "))
	}
	var b strings.Builder
	prevWord := false
	for _, tok := range toks {
		if tok.Kind == sqltext.TokenComment {
			continue
		}
		word := tok.Kind != sqltext.TokenOperator
		if word && prevWord {
			b.WriteByte(' ')
		}
		if tok.Kind == sqltext.TokenIdent || tok.Kind == sqltext.TokenQuotedIdent {
			b.WriteString(sqltext.UpperASCII(tok.Value))
		} else {
			b.WriteString(tok.Text)
		}
		prevWord = word
	}
	return b.String()
}

// bareWord reports whether s can be written as an unquoted identifier.
func bareWord(s string) bool {
	if s == "" || !sqltext.IsIDStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !sqltext.IsIDChar(s[i]) {
			return false
		}
	}
	return true
}
