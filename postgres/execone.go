package postgres

import (
	"context"
	"database/sql"
)

// Querier is what ExecOne runs a statement on: *sql.DB, *sql.Conn or
// *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// ExecOne runs stmt, which must be exactly one statement, on q, through
// PostgreSQL's extended protocol, which refuses a string holding several:
// a second statement cannot ride along in the text of a first, as it
// would through the simple protocol. viaPgx says q's driver is pgx's
// (IsPgx), which does it in one round trip.
func ExecOne(ctx context.Context, q Querier, viaPgx bool, stmt string) error {
	return execOne(ctx, q, viaPgx, stmt)
}

// IsPgx reports whether db was opened through pgx's database/sql driver
// (github.com/jackc/pgx/v5/stdlib).
func IsPgx(db *sql.DB) bool { return isPgx(db) }
