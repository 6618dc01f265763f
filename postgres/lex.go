package postgres

import (
	"errors"
	"fmt"
	"strings"
)

// TokenKind is the lexical class of a Token.
type TokenKind int

// The token kinds. Keywords are TokenIdent: PostgreSQL lets most of them
// name things, so the reader decides by position.
const (
	TokenIdent       TokenKind = iota + 1 // bare word, its Value folded to lower case
	TokenQuotedIdent                      // "x" or U&"x"
	TokenString                           // 'x', E'x', N'x', U&'x', B'1', X'1F', $tag$x$tag$
	TokenNumber                           // 12, 1.5e3, .5
	TokenParam                            // $1
	TokenOperator                         // ( ) [ ] , ; : :: . and operators such as <= or ||
	TokenComment                          // -- … or /* … */, nested
)

// Token is one lexical token of PostgreSQL SQL.
type Token struct {
	Kind   TokenKind
	Text   string // exactly as written
	Value  string // bare words folded to lower case, quoted names unquoted; otherwise Text
	Offset int    // byte offset of Text in the input
}

// ErrSyntax is wrapped by every tokenizer error.
var ErrSyntax = errors.New("syntax error")

func syntaxErr(off int, format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", ErrSyntax, off, fmt.Sprintf(format, args...))
}

// Tokenize splits PostgreSQL SQL into tokens as the server's lexer does
// (with standard_conforming_strings on, its default since 9.1), comments
// included and whitespace left out. An unterminated string, quoted name or
// comment is an error, as on the server.
func Tokenize(sql string) ([]Token, error) {
	var toks []Token
	for i := 0; i < len(sql); {
		if isSpace(sql[i]) {
			i++
			continue
		}
		n, kind, err := scan(sql, i)
		if err != nil {
			return toks, err
		}
		text := sql[i : i+n]
		toks = append(toks, Token{Kind: kind, Text: text, Value: value(kind, text), Offset: i})
		i += n
	}
	return toks, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentCont(c byte) bool { return isIdentStart(c) || isDigit(c) || c == '$' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// opChars are the characters PostgreSQL operators are made of.
const opChars = "+-*/<>=~!@#%^&|`?"

// scan returns the length and kind of the token at sql[i].
func scan(sql string, i int) (int, TokenKind, error) {
	c := sql[i]
	rest := sql[i:]
	switch {
	case strings.HasPrefix(rest, "--"):
		end := strings.IndexAny(rest, "\n\r")
		if end < 0 {
			end = len(rest)
		}
		return end, TokenComment, nil
	case strings.HasPrefix(rest, "/*"):
		return scanBlockComment(sql, i)
	case c == '\'':
		n, err := scanQuoted(sql, i, '\'', false)
		return n, TokenString, err
	case c == '"':
		n, err := scanQuoted(sql, i, '"', false)
		return n, TokenQuotedIdent, err
	case c == '$':
		return scanDollar(sql, i)
	case isDigit(c) || c == '.' && len(rest) > 1 && isDigit(rest[1]):
		return scanNumber(rest), TokenNumber, nil
	case isIdentStart(c):
		return scanWord(sql, i)
	case strings.HasPrefix(rest, "::"):
		return 2, TokenOperator, nil
	case strings.IndexByte(opChars, c) >= 0:
		return scanOperator(rest), TokenOperator, nil
	case strings.IndexByte("()[],;:.", c) >= 0:
		return 1, TokenOperator, nil
	}
	return 0, 0, syntaxErr(i, "unexpected character %q", rest[:1])
}

func scanBlockComment(sql string, i int) (int, TokenKind, error) {
	depth := 0
	for j := i; j < len(sql)-1; j++ {
		switch sql[j : j+2] {
		case "/*":
			depth++
			j++
		case "*/":
			depth--
			j++
			if depth == 0 {
				return j + 1 - i, TokenComment, nil
			}
		}
	}
	return 0, 0, syntaxErr(i, "unterminated /* comment")
}

// scanQuoted reads a quoted string or name starting at sql[i] (the quote),
// where a doubled quote stands for one; backslashes escape the next byte
// in an E'...' string.
func scanQuoted(sql string, i int, q byte, backslash bool) (int, error) {
	for j := i + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1 - i, nil
		}
	}
	what := "string"
	if q == '"' {
		what = "quoted identifier"
	}
	return 0, syntaxErr(i, "unterminated %s", what)
}

// scanDollar reads a dollar-quoted string ($$...$$, $tag$...$tag$) or a
// positional parameter ($1).
func scanDollar(sql string, i int) (int, TokenKind, error) {
	j := i + 1
	if j < len(sql) && isDigit(sql[j]) {
		for j < len(sql) && isDigit(sql[j]) {
			j++
		}
		return j - i, TokenParam, nil
	}
	for j < len(sql) && sql[j] != '$' && isIdentCont(sql[j]) {
		j++
	}
	if j >= len(sql) || sql[j] != '$' {
		return 0, 0, syntaxErr(i, "stray $ (not a $tag$ quote or a $1 parameter)")
	}
	tag := sql[i : j+1]
	end := strings.Index(sql[j+1:], tag)
	if end < 0 {
		return 0, 0, syntaxErr(i, "unterminated %s string", tag)
	}
	return j + 1 + end + len(tag) - i, TokenString, nil
}

func scanNumber(s string) int {
	j := 0
	for j < len(s) && (isDigit(s[j]) || s[j] == '_') {
		j++
	}
	if j < len(s) && s[j] == '.' && !strings.HasPrefix(s[j:], "..") {
		j++
		for j < len(s) && (isDigit(s[j]) || s[j] == '_') {
			j++
		}
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for j = k; j < len(s) && isDigit(s[j]); j++ {
			}
		}
	}
	return j
}

// scanWord reads a bare word, or the prefixed literal it opens: E'..',
// N'..', B'..', X'..', U&'..' and U&"..".
func scanWord(sql string, i int) (int, TokenKind, error) {
	rest := sql[i:]
	if len(rest) > 1 && rest[1] == '\'' {
		switch rest[0] {
		case 'e', 'E':
			n, err := scanQuoted(sql, i+1, '\'', true)
			return n + 1, TokenString, err
		case 'n', 'N', 'b', 'B', 'x', 'X':
			n, err := scanQuoted(sql, i+1, '\'', false)
			return n + 1, TokenString, err
		}
	}
	if len(rest) > 2 && (rest[0] == 'u' || rest[0] == 'U') && rest[1] == '&' && (rest[2] == '\'' || rest[2] == '"') {
		n, err := scanQuoted(sql, i+2, rest[2], false)
		kind := TokenString
		if rest[2] == '"' {
			kind = TokenQuotedIdent
		}
		return n + 2, kind, err
	}
	j := 1
	for j < len(rest) && isIdentCont(rest[j]) {
		j++
	}
	return j, TokenIdent, nil
}

// scanOperator reads an operator as the server does: the longest run of
// operator characters that does not start a comment, shortened when it
// ends in + or - unless it holds one of ~ ! @ # % ^ & | ` ?.
func scanOperator(s string) int {
	j := 0
	for j < len(s) && strings.IndexByte(opChars, s[j]) >= 0 {
		if j > 0 && (strings.HasPrefix(s[j:], "--") || strings.HasPrefix(s[j:], "/*")) {
			break
		}
		j++
	}
	if j > 1 && !strings.ContainsAny(s[:j], "~!@#%^&|`?") {
		for j > 1 && (s[j-1] == '+' || s[j-1] == '-') {
			j--
		}
	}
	return j
}

// value is what a token stands for: a bare word folded to lower case as
// the server folds it (ASCII only), a quoted name without its quotes.
func value(kind TokenKind, text string) string {
	switch kind {
	case TokenIdent:
		return strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return r
		}, text)
	case TokenQuotedIdent:
		if text[0] == '"' {
			return strings.ReplaceAll(text[1:len(text)-1], `""`, `"`)
		}
	}
	return text
}

// SplitStatements splits a script at the semicolons outside strings,
// quoted names, dollar quotes, comments and parentheses (a CREATE RULE's
// action list holds its own), returning each statement without its
// semicolon, from its leading comments to its last token (a trailing line
// comment would swallow a semicolon put after it); statements holding only
// comments are dropped.
func SplitStatements(sql string) ([]string, error) {
	toks, err := Tokenize(sql)
	if err != nil {
		return nil, err
	}
	var out []string
	start, end, depth := 0, -1, 0 // end: past the statement's last code token, -1 before one
	flush := func() {
		if end >= 0 {
			out = append(out, strings.TrimSpace(sql[start:end]))
		}
	}
	for _, t := range toks {
		switch {
		case t.Kind == TokenComment:
			continue
		case t.Text == "(" || t.Text == "[":
			depth++
		case (t.Text == ")" || t.Text == "]") && depth > 0:
			depth--
		case t.Text == ";" && depth == 0:
			flush()
			start, end = t.Offset+1, -1
			continue
		}
		end = t.Offset + len(t.Text)
	}
	flush()
	return out, nil
}
