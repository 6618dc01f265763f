// Package buntest runs bun itself on a real SQLite database, for the tests
// that compare the statements autogen records with those bun runs.
package buntest

import (
	"context"
	"database/sql"
	"reflect"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"
	_ "modernc.org/sqlite" // the database bun runs on
)

// capture is a bun query hook that keeps every query bun runs.
type capture struct{ queries []string }

func (c *capture) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *capture) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	c.queries = append(c.queries, e.Query)
}

// Create does what a bun application on SQLite does: it registers the
// junctions, then creates each model's table in the order given, on a fresh
// in-memory database. It returns the statements bun ran for each model
// (hooks included), by struct type, and the database.
func Create(t testing.TB, junctions []any, models ...any) (map[reflect.Type][]string, *sql.DB) {
	t.Helper()
	sqldb, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	sqldb.SetMaxOpenConns(1)
	t.Cleanup(func() { sqldb.Close() })
	hook := &capture{}
	db := bun.NewDB(sqldb, sqlitedialect.New()).WithQueryHook(hook)
	db.RegisterModel(junctions...)
	out := map[reflect.Type][]string{}
	for _, m := range models {
		hook.queries = nil
		if _, err := db.NewCreateTable().Model(m).WithForeignKeys().Exec(context.Background()); err != nil {
			t.Fatalf("bun creating %T: %v", m, err)
		}
		out[reflect.TypeOf(m).Elem()] = hook.queries
	}
	return out, sqldb
}

// Format returns the CREATE TABLE statement bun writes for each model on
// dialect, junctions registered first, without running anything (hooks
// do not run).
func Format(t testing.TB, dialect schema.Dialect, junctions []any, models ...any) map[reflect.Type]string {
	t.Helper()
	db := bun.NewDB(nil, dialect)
	db.RegisterModel(junctions...)
	out := map[reflect.Type]string{}
	for _, m := range models {
		out[reflect.TypeOf(m).Elem()] = db.NewCreateTable().Model(m).WithForeignKeys().String()
	}
	return out
}
