package schema

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// CreateScript is the DDL that makes s: tables, then indexes, views and
// triggers.
func (s *Schema) CreateScript() string {
	var b strings.Builder
	for _, t := range s.Tables {
		stmt(&b, t.SQL)
	}
	for _, t := range s.Tables {
		for _, ix := range t.Indexes {
			stmt(&b, ix.SQL)
		}
	}
	for _, v := range s.Views {
		stmt(&b, v.SQL)
	}
	for _, tr := range s.Triggers {
		stmt(&b, tr.SQL)
	}
	return b.String()
}

func stmt(b *strings.Builder, s string) {
	b.WriteString(strings.TrimRight(strings.TrimSpace(s), ";"))
	b.WriteString(";\n")
}

// ExecScript runs every statement of script on conn, one at a time; an error
// names the statement that failed.
func ExecScript(ctx context.Context, conn *sql.Conn, script string) error {
	stmts, err := sqltext.SplitStatements(script)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLineMarked(s), err)
		}
	}
	return nil
}

// firstLineMarked is s up to its first newline, followed by " ..." when
// more of s follows.
func firstLineMarked(s string) string {
	if line := sqltext.FirstLine(s); len(line) < len(s) {
		return line + " ..."
	}
	return s
}

// InOrderOf returns t with its columns in the order order has them, when
// both have the same column names: an upgrade that appends a column the
// models place elsewhere gives the target (autogen compares columns by
// name, not place).
func (t *Table) InOrderOf(order *Table) *Table {
	if t == nil || order == nil || len(t.Columns) != len(order.Columns) {
		return t
	}
	cols := make([]*Column, 0, len(t.Columns))
	for i, oc := range order.Columns {
		c := t.Column(oc.Name)
		if c == nil {
			return t
		}
		moved := *c
		moved.Position = i
		cols = append(cols, &moved)
	}
	u := *t
	u.Columns = cols
	return &u
}
