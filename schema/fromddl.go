package schema

import (
	"context"
	"database/sql"
	"fmt"

	_ "modernc.org/sqlite" // the "sqlite" driver FromDDL runs statements with
)

// FromDDL runs stmts, in order, in a fresh private in-memory SQLite database
// with foreign-key enforcement off, and inspects the result.
func FromDDL(ctx context.Context, stmts []string) (*Schema, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	defer db.Close()
	// Every connection to ":memory:" is its own database: hold one.
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, fmt.Errorf("turn foreign keys off: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, err
	}
	for i, stmt := range stmts {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("statement %d (%s): %w", i+1, abbrev(stmt), err)
		}
	}
	return Inspect(ctx, conn)
}
