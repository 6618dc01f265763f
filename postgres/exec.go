package postgres

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// querier is what one statement runs on: *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// isPgx reports whether db's driver is pgx, which can run a statement
// through the extended protocol in one round trip.
func isPgx(db *sql.DB) bool {
	_, ok := db.Driver().(*stdlib.Driver)
	return ok
}

// execOne runs stmt, which must be exactly one statement. It goes through
// PostgreSQL's extended protocol, whose Parse message the server refuses
// for a string holding several ("cannot insert multiple commands into a
// prepared statement"): a second statement cannot ride along in the text
// of a first. Through the simple protocol, which pgx's Exec uses for a
// statement without arguments, it would run. pgx does it in one round trip
// (the unnamed statement); other drivers prepare, execute and close.
func execOne(ctx context.Context, q querier, viaPgx bool, stmt string) error {
	if viaPgx {
		rows, err := q.QueryContext(ctx, stmt, pgx.QueryExecModeExec)
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return err
		}
		return rows.Close()
	}
	ps, err := q.PrepareContext(ctx, stmt)
	if err != nil {
		return err
	}
	defer ps.Close()
	_, err = ps.ExecContext(ctx)
	return err
}
