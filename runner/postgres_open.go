package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// DefaultConnectTimeout bounds OpenPostgres's wait for a server that does
// not answer, when the connection string sets no connect_timeout.
const DefaultConnectTimeout = 10 * time.Second

// OpenPostgres connects through pgx to the PostgreSQL database a libpq
// keyword/value string (or URL) names, and checks that it answers, for a
// command-line tool that migrates it. Errors are one sentence naming the
// database as name gives it (a URL with its password masked): no server
// there, a login the server refused, no such database.
func OpenPostgres(ctx context.Context, dsn, name string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: the connection settings cannot be used: %w", name, err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	db := stdlib.OpenDB(*cfg)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, pgOpenError(name, err)
	}
	return db, nil
}

// connError is a connection the server or the network refused, said in
// one sentence; the driver's error is kept for errors.Is and errors.As.
type connError struct {
	msg string
	err error
}

func (e *connError) Error() string { return e.msg }
func (e *connError) Unwrap() error { return e.err }

// pgOpenError says in one sentence why the database name cannot be used.
func pgOpenError(name string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "3D000":
			return &connError{fmt.Sprintf("database %s does not exist on the server: %s (SQLSTATE %s)", name, pe.Message, pe.Code), err}
		case "28P01", "28000":
			return &connError{fmt.Sprintf("database %s: the server refused the login: %s (SQLSTATE %s); check the user and password (in the URL, $PGPASSWORD or ~/.pgpass)", name, pe.Message, pe.Code), err}
		}
		return &connError{fmt.Sprintf("database %s cannot be opened: %s (SQLSTATE %s)", name, pe.Message, pe.Code), err}
	}
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		return &connError{fmt.Sprintf("database %s cannot be reached: host %q is not known (%s)", name, dns.Name, dns.Err), err}
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, os.ErrNotExist):
		return &connError{fmt.Sprintf("database %s cannot be reached: no server accepts connections there (%s)", name, innermost(err, op)), err}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return &connError{fmt.Sprintf("database %s cannot be reached: the server did not answer in time (%s)", name, innermost(err, op)), err}
	case errors.As(err, &op):
		return &connError{fmt.Sprintf("database %s cannot be reached: %s", name, op), err}
	}
	return &connError{fmt.Sprintf("database %s cannot be opened: %s", name, innermost(err, op)), err}
}

// innermost is the network error under err when there is one (its text
// names the address tried, without the driver's preamble), else err.
func innermost(err error, op *net.OpError) error {
	if errors.As(err, &op) {
		return op
	}
	return err
}
