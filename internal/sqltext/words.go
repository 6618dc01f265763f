package sqltext

import "strings"

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
	return keywords[UpperASCII(word)]
}

// EqualIdent reports whether two identifiers name the same thing in SQLite,
// which folds ASCII letters only.
func EqualIdent(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// ContainsIdent reports whether list holds name, compared as EqualIdent
// compares them.
func ContainsIdent(list []string, name string) bool {
	for _, n := range list {
		if EqualIdent(n, name) {
			return true
		}
	}
	return false
}

// QuoteList is names quoted with QuoteIdent and joined with ", ".
func QuoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = QuoteIdent(n)
	}
	return strings.Join(q, ", ")
}

// FirstLine is s up to its first newline, for messages that name a
// statement or a revision's message.
func FirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// LeadingTokens returns up to n tokens from the start of stmt, comments left
// out, without tokenizing the rest; it stops at the first lexical error,
// which SQLite reports when the statement runs.
func LeadingTokens(stmt string, n int) []Token {
	var toks []Token
	for i := 0; i < len(stmt) && len(toks) < n; {
		if isSpace(stmt[i]) {
			i++
			continue
		}
		size, kind, err := scanToken(stmt, i)
		if err != nil {
			break
		}
		if kind != TokenComment {
			text := stmt[i : i+size]
			toks = append(toks, Token{Kind: kind, Text: text, Value: tokenValue(kind, text), Offset: i})
		}
		i += size
	}
	return toks
}
