package postgres

import (
	"fmt"
	"slices"
	"strings"
)

// The statements Target runs are bun's CREATE TABLE and whatever the
// models' hooks add. They are run in a scratch schema inside a transaction
// that is rolled back, but a statement that reached the live schema would
// still lock live tables while it ran; so each is read first and refused
// unless it only creates or alters things by unqualified name.

// creatable are the kinds of object a target statement may CREATE: those
// that live in a schema (and extensions, which hooks ensure).
var creatable = []string{"aggregate", "collation", "constraint", "domain", "extension", "function", "index",
	"materialized", "operator", "policy", "procedure", "recursive", "rule", "sequence", "statistics",
	"table", "temp", "temporary", "trigger", "type", "unique", "unlogged", "view"}

// alterable are the kinds of object a target statement may ALTER.
var alterable = []string{"aggregate", "collation", "domain", "function", "index", "materialized", "policy",
	"procedure", "sequence", "statistics", "table", "trigger", "type", "view"}

// commentable are the kinds of object a target statement may COMMENT ON.
var commentable = []string{"aggregate", "collation", "column", "constraint", "domain", "extension", "function",
	"index", "materialized", "policy", "procedure", "rule", "sequence", "statistics", "table", "trigger",
	"type", "view"}

// checkTarget refuses a statement that is not exactly one CREATE, ALTER,
// COMMENT ON, GRANT or REVOKE of schema objects, or that names a schema
// other than scratch: schemas holds every schema of the database. It
// returns the statement's tokens, comments left out.
func checkTarget(stmt string, schemas map[string]bool, scratch string) ([]Token, error) {
	code, err := codeTokens(stmt)
	if err != nil {
		return nil, err
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("holds no statement")
	}
	for _, t := range code {
		if t.Text == ";" {
			return nil, fmt.Errorf("holds more than one statement")
		}
	}
	if err := checkKind(code); err != nil {
		return nil, err
	}
	for i, t := range code {
		switch {
		case t.Kind == TokenQuotedIdent && t.Text[0] != '"':
			return nil, fmt.Errorf("writes a name as %s; write it as a plain or double-quoted name", t.Text)
		case t.Kind == TokenIdent && t.Value == "schema":
			return nil, fmt.Errorf("uses SCHEMA; the statements build the models' schema and may not name or move schemas")
		case (t.Kind == TokenIdent || t.Kind == TokenQuotedIdent) && i+1 < len(code) && code[i+1].Text == ".":
			if t.Value != scratch && t.Value != "pg_catalog" && schemas[t.Value] {
				return nil, fmt.Errorf("names schema %q (in %s.%s); leave names unqualified: they are created in a scratch schema",
					t.Value, t.Text, nextText(code, i+2))
			}
		}
	}
	return code, nil
}

func nextText(toks []Token, i int) string {
	if i < len(toks) {
		return toks[i].Text
	}
	return ""
}

// checkKind refuses every statement kind but the creating ones.
func checkKind(code []Token) error {
	word := func(i int) string {
		if i < len(code) && code[i].Kind == TokenIdent {
			return code[i].Value
		}
		return ""
	}
	first := word(0)
	allowed := func(list []string, kind string) error {
		if slices.Contains(list, kind) {
			return nil
		}
		return fmt.Errorf("is %s %s; the models' statements may create and alter tables, indexes, views, triggers, functions, types and sequences only",
			strings.ToUpper(first), strings.ToUpper(kind))
	}
	switch first {
	case "create":
		kind := word(1)
		if kind == "or" && word(2) == "replace" {
			kind = word(3)
		}
		return allowed(creatable, kind)
	case "alter":
		return allowed(alterable, word(1))
	case "comment":
		if word(1) != "on" {
			return fmt.Errorf("is a COMMENT statement without ON")
		}
		return allowed(commentable, word(2))
	case "grant", "revoke":
		return nil
	case "":
		return fmt.Errorf("does not start with a keyword (it starts %q)", code[0].Text)
	}
	if first == "do" {
		return fmt.Errorf("is a DO statement; the only DO block autogen runs is one that creates a type once: DO $$ BEGIN CREATE TYPE ...; EXCEPTION WHEN duplicate_object THEN null; END $$")
	}
	return fmt.Errorf("is a %s statement; the models' statements may only CREATE, ALTER, COMMENT ON, GRANT or REVOKE", strings.ToUpper(first))
}
