package schema

import (
	"strings"
)

// QuoteIdent quotes an identifier for SQLite with double quotes, doubling
// any inside it.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QuoteString is s as a SQL string literal: single-quoted, doubling any
// single quote inside it.
func QuoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// keywords are SQLite's keywords (plus TRUE and FALSE, which it reads as
// constants); NormalizeExpr writes them upper-case and unquoted.
var keywords = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC
	ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT
	CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE
	DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT
	EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED
	GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD
	INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT
	NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA
	PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME
	REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY
	THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW
	VIRTUAL WHEN WHERE WINDOW WITH WITHOUT TRUE FALSE`) {
		m[k] = true
	}
	return m
}()

// IsKeyword reports whether word is an SQLite keyword, in any case.
func IsKeyword(word string) bool {
	return keywords[upperASCII(word)]
}

// NormalizeExpr rewrites an expression (or any SQL) into a canonical form so
// that two spellings SQLite reads alike compare equal: canonical spacing,
// keywords and function names upper-case, identifiers double-quoted, strings
// and numbers as written, comments and redundant outer parentheses dropped.
// Text that does not tokenize is only trimmed.
func NormalizeExpr(expr string) string {
	all, err := Tokenize(expr)
	if err != nil {
		return trimSpace(expr)
	}
	toks := all[:0:0]
	for _, t := range all {
		if t.Kind != TokenComment {
			toks = append(toks, t)
		}
	}
	toks = stripParens(toks)
	var b strings.Builder
	var prev Token
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
func normalToken(toks []Token, i int) string {
	t := toks[i]
	switch t.Kind {
	case TokenIdent, TokenQuotedIdent:
		call := i+1 < len(toks) && toks[i+1].Kind == TokenOperator && toks[i+1].Text == "("
		if bareWord(t.Value) && (call || IsKeyword(t.Value) || castType(toks, i)) {
			return upperASCII(t.Value)
		}
		return QuoteIdent(t.Value)
	case TokenBlob:
		return upperASCII(t.Text)
	}
	return t.Text
}

// castType reports whether toks[i] is the type name of a CAST, which SQLite
// reads case-insensitively.
func castType(toks []Token, i int) bool {
	if i == 0 || !isKeyword(toks[i-1], "AS") || i+1 >= len(toks) {
		return false
	}
	next := toks[i+1]
	return next.Kind == TokenOperator && (next.Text == ")" || next.Text == "(")
}

// isUnary reports whether a sign after t is a unary one.
func isUnary(t Token) bool {
	switch t.Kind {
	case TokenOperator:
		return t.Text != ")"
	case TokenIdent:
		return IsKeyword(t.Text)
	}
	return false
}

// needSpace decides the spacing between prev and t; signUnary says whether
// prev is a sign used as a unary operator (its predecessor was an operator).
func needSpace(prev, t Token, signUnary bool) bool {
	// A dot beside a number would join it: ". 0X0" must not become ".0X0".
	if prev.Kind == TokenOperator && prev.Text == "." && t.Kind == TokenNumber ||
		prev.Kind == TokenNumber && t.Kind == TokenOperator && t.Text == "." {
		return true
	}
	if prev.Kind == TokenOperator {
		switch prev.Text {
		case "(", ".":
			return false
		case "-", "+":
			if signUnary {
				return false
			}
		}
	}
	if t.Kind == TokenOperator {
		switch t.Text {
		case ")", ",", ".", ";":
			return false
		case "(":
			return prev.Kind != TokenIdent && prev.Kind != TokenQuotedIdent || IsKeyword(prev.Value) && !isFuncKeyword(prev.Value)
		}
	}
	return true
}

// isFuncKeyword lists keywords that are written like calls: a '(' after them
// belongs to them.
func isFuncKeyword(word string) bool {
	switch upperASCII(word) {
	case "CAST", "RAISE", "EXISTS", "GLOB", "LIKE", "REGEXP", "MATCH", "REPLACE":
		return true
	}
	return false
}

// NormalizeType returns a declared column type in canonical form: upper-case
// words separated by one space and the size in parentheses without spaces,
// so "varchar (100)" and "VARCHAR(100)" are equal.
func NormalizeType(t string) string {
	toks, err := Tokenize(t)
	if err != nil {
		return upperASCII(strings.Join(strings.Fields(t), " "))
	}
	var b strings.Builder
	prevWord := false
	for _, tok := range toks {
		if tok.Kind == TokenComment {
			continue
		}
		word := tok.Kind != TokenOperator
		if word && prevWord {
			b.WriteByte(' ')
		}
		if tok.Kind == TokenIdent || tok.Kind == TokenQuotedIdent {
			b.WriteString(upperASCII(tok.Value))
		} else {
			b.WriteString(tok.Text)
		}
		prevWord = word
	}
	return b.String()
}

// bareWord reports whether s can be written as an unquoted identifier.
func bareWord(s string) bool {
	if s == "" || !isIDStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIDChar(s[i]) {
			return false
		}
	}
	return true
}
