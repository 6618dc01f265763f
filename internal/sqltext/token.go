package sqltext

import (
	"errors"
	"fmt"
	"strings"
)

// TokenKind is the lexical class of a Token.
type TokenKind int

// The token kinds. Keywords are TokenIdent: SQLite lets most of them name
// things, so the parser decides by position.
const (
	TokenIdent       TokenKind = iota + 1 // bare word: identifier or keyword
	TokenQuotedIdent                      // "x", `x` or [x]
	TokenString                           // 'x'
	TokenBlob                             // x'0A'
	TokenNumber                           // 12, 1.5e3, 0x1F, 1_000
	TokenOperator                         // ( ) , ; . + - || -> and the rest
	TokenParam                            // ? ?1 :a @a $a #a
	TokenComment                          // -- … or /* … */
)

var kindNames = map[TokenKind]string{
	TokenIdent: "identifier", TokenQuotedIdent: "quoted identifier", TokenString: "string",
	TokenBlob: "blob", TokenNumber: "number", TokenOperator: "operator",
	TokenParam: "parameter", TokenComment: "comment",
}

func (k TokenKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("TokenKind(%d)", int(k))
}

// Token is one lexical token of SQLite SQL.
type Token struct {
	Kind   TokenKind
	Text   string // exactly as written
	Value  string // identifiers and strings unquoted; otherwise Text
	Offset int    // byte offset of Text in the input
}

// ErrSyntax is wrapped by every tokenizer and parser error.
var ErrSyntax = errors.New("syntax error")

// Tokenize splits SQLite SQL into tokens, comments included and whitespace
// left out. Like SQLite it accepts an unterminated /* comment at the end.
func Tokenize(sql string) ([]Token, error) {
	var toks []Token
	for i := 0; i < len(sql); {
		c := sql[i]
		if isSpace(c) {
			i++
			continue
		}
		n, kind, err := scanToken(sql, i)
		if err != nil {
			return toks, err
		}
		text := sql[i : i+n]
		toks = append(toks, Token{Kind: kind, Text: text, Value: tokenValue(kind, text), Offset: i})
		i += n
	}
	return toks, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// trimSpace trims what SQLite counts as white space, which is ASCII only.
func TrimSpace(s string) string { return strings.Trim(s, " \t\n\f\r") }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

// isIDChar is SQLite's IdChar: letters, digits, '_', '$' and any byte of a
// UTF-8 sequence.
func IsIDChar(c byte) bool {
	return IsIDStart(c) || isDigit(c) || c == '$'
}

func IsIDStart(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '_' || c >= 0x80
}

func syntaxErr(off int, format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", ErrSyntax, off, fmt.Sprintf(format, args...))
}

// scanToken returns the length and kind of the token starting at sql[i].
func scanToken(sql string, i int) (int, TokenKind, error) {
	c := sql[i]
	rest := sql[i:]
	switch {
	case strings.HasPrefix(rest, "--"):
		end := strings.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		return end, TokenComment, nil
	case strings.HasPrefix(rest, "/*"):
		end := strings.Index(rest[2:], "*/")
		if end < 0 {
			return len(rest), TokenComment, nil
		}
		return end + 4, TokenComment, nil
	case c == '\'':
		n, err := scanQuoted(rest, '\'', i)
		return n, TokenString, err
	case c == '"' || c == '`':
		n, err := scanQuoted(rest, c, i)
		return n, TokenQuotedIdent, err
	case c == '[':
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return 0, 0, syntaxErr(i, "unterminated [identifier")
		}
		return end + 1, TokenQuotedIdent, nil
	case (c == 'x' || c == 'X') && len(rest) > 1 && rest[1] == '\'':
		return scanBlob(rest, i)
	case isDigit(c) || (c == '.' && len(rest) > 1 && isDigit(rest[1])):
		return scanNumber(rest, i)
	case IsIDStart(c):
		n := 1
		for n < len(rest) && IsIDChar(rest[n]) {
			n++
		}
		return n, TokenIdent, nil
	case c == '?':
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		return n, TokenParam, nil
	case c == ':' || c == '@' || c == '$' || c == '#':
		return scanParam(rest, i)
	}
	return scanOperator(rest, i)
}

// scanQuoted scans a token quoted by q in which qq stands for q.
func scanQuoted(s string, q byte, off int) (int, error) {
	for n := 1; n < len(s); n++ {
		if s[n] != q {
			continue
		}
		if n+1 < len(s) && s[n+1] == q {
			n++
			continue
		}
		return n + 1, nil
	}
	what := "string"
	if q != '\'' {
		what = "quoted identifier"
	}
	return 0, syntaxErr(off, "unterminated %s", what)
}

func scanBlob(s string, off int) (int, TokenKind, error) {
	n := 2
	for n < len(s) && isHex(s[n]) {
		n++
	}
	if n >= len(s) || s[n] != '\'' {
		return 0, 0, syntaxErr(off, "malformed blob literal")
	}
	if (n-2)%2 != 0 {
		return 0, 0, syntaxErr(off, "blob literal with an odd number of hex digits")
	}
	return n + 1, TokenBlob, nil
}

// scanNumber follows SQLite's tokenizer, digit separators ('_') included;
// a number running straight into an identifier character is an error.
func scanNumber(s string, off int) (int, TokenKind, error) {
	n := 0
	digits := func(ok func(byte) bool) {
		for n < len(s) && (ok(s[n]) || (s[n] == '_' && n+1 < len(s) && ok(s[n+1]) && n > 0 && ok(s[n-1]))) {
			n++
		}
	}
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		n = 2
		digits(isHex)
	} else {
		digits(isDigit)
		if n < len(s) && s[n] == '.' {
			n++
			digits(isDigit)
		}
		if n < len(s) && (s[n] == 'e' || s[n] == 'E') {
			m := n + 1
			if m < len(s) && (s[m] == '+' || s[m] == '-') {
				m++
			}
			if m < len(s) && isDigit(s[m]) {
				n = m
				digits(isDigit)
			}
		}
	}
	if n < len(s) && (IsIDChar(s[n]) || s[n] == '_') {
		return 0, 0, syntaxErr(off, "malformed number %q", s[:n+1])
	}
	return n, TokenNumber, nil
}

func scanParam(s string, off int) (int, TokenKind, error) {
	n := 1
	for n < len(s) {
		switch {
		case IsIDChar(s[n]):
			n++
		case s[0] == '$' && strings.HasPrefix(s[n:], "::"):
			n += 2
		case s[0] == '$' && s[n] == '(' && n > 1:
			end := strings.IndexByte(s[n:], ')')
			if end < 0 {
				return 0, 0, syntaxErr(off, "unterminated parameter")
			}
			return n + end + 1, TokenParam, nil
		default:
			if n == 1 {
				return 0, 0, syntaxErr(off, "unexpected %q", s[:1])
			}
			return n, TokenParam, nil
		}
	}
	if n == 1 {
		return 0, 0, syntaxErr(off, "unexpected %q", s[:1])
	}
	return n, TokenParam, nil
}

var operators = []string{
	"->>", "->", "||", "<=", ">=", "==", "!=", "<>", "<<", ">>",
	"(", ")", ",", ";", ".", "+", "-", "*", "/", "%", "=", "<", ">", "&", "|", "~",
}

func scanOperator(s string, off int) (int, TokenKind, error) {
	for _, op := range operators {
		if strings.HasPrefix(s, op) {
			return len(op), TokenOperator, nil
		}
	}
	r := s[:1]
	if s[0] >= 0x80 {
		r = s
	}
	return 0, 0, syntaxErr(off, "unexpected character %q", firstRune(r))
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return s
}

// tokenValue unquotes identifiers and strings.
func tokenValue(kind TokenKind, text string) string {
	switch kind {
	case TokenString:
		return unquote(text, '\'')
	case TokenQuotedIdent:
		switch text[0] {
		case '[':
			return text[1 : len(text)-1]
		default:
			return unquote(text, text[0])
		}
	}
	return text
}

func unquote(text string, q byte) string {
	inner := text[1 : len(text)-1]
	return strings.ReplaceAll(inner, string([]byte{q, q}), string(q))
}

// Is reports whether t is the bare word kw, compared as SQLite compares
// keywords: ASCII letters folded, nothing else.
func (t Token) Is(kw string) bool {
	return t.Kind == TokenIdent && EqualIdent(t.Text, kw)
}
