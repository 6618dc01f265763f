package bunddl

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
)

// recorder keeps the text of every statement executed on it.
type recorder struct{ stmts []string }

func (r *recorder) exec(query string, nargs int) (driver.Result, error) {
	if nargs > 0 {
		return nil, errors.New("autogen cannot record a statement with arguments: " + query)
	}
	r.stmts = append(r.stmts, query)
	return driver.RowsAffected(0), nil
}

// connector, conn and the rest are a database/sql driver over a recorder:
// every statement succeeds, affects no row and returns no row.
type connector struct{ rec *recorder }

func (c connector) Connect(context.Context) (driver.Conn, error) { return conn(c), nil }
func (c connector) Driver() driver.Driver                        { return recDriver(c) }

type recDriver struct{ rec *recorder }

func (d recDriver) Open(string) (driver.Conn, error) { return conn(d), nil }

type conn struct{ rec *recorder }

func (c conn) Prepare(query string) (driver.Stmt, error) { return stmt{c.rec, query}, nil }
func (c conn) Close() error                              { return nil }
func (c conn) Begin() (driver.Tx, error)                 { return tx{}, nil }
func (c conn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.rec.exec(query, len(args))
}
func (c conn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return rows{}, nil
}

type stmt struct {
	rec   *recorder
	query string
}

func (s stmt) Close() error                                    { return nil }
func (s stmt) NumInput() int                                   { return -1 }
func (s stmt) Exec(args []driver.Value) (driver.Result, error) { return s.rec.exec(s.query, len(args)) }
func (s stmt) Query([]driver.Value) (driver.Rows, error)       { return rows{}, nil }

type tx struct{}

func (tx) Commit() error   { return nil }
func (tx) Rollback() error { return nil }

type rows struct{}

func (rows) Columns() []string         { return nil }
func (rows) Close() error              { return nil }
func (rows) Next([]driver.Value) error { return io.EOF }
