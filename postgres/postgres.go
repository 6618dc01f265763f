// Package postgres is autogen's PostgreSQL dialect: connecting through
// pgx, reading a schema from pg_catalog into the schema model (Inspect),
// and building the schema a set of statements creates in a scratch schema
// that is rolled back (Target).
//
// Every function takes a *sql.DB or *sql.Tx, so a program's own
// connection, whichever driver opened it, works as well as Open's.
package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Open connects to the database a libpq keyword/value string names
// (config.Postgres's DSN) through pgx, and checks that it answers.
func Open(ctx context.Context, dsn string) (*sql.DB, error) {
	return OpenDatabase(ctx, dsn, "")
}

// OpenDatabase is Open for another database of the server dsn names, with
// the same user and settings; database "" is dsn's own.
func OpenDatabase(ctx context.Context, dsn, database string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if database != "" {
		cfg.Database = database
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return db, nil
}
