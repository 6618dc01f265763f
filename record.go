package autogen

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// RecordModels is LoadModels for models linked into the calling program:
// each is a pointer to a model struct, such as (*models.Team)(nil). It
// runs bun's NewCreateTable().Model(m).WithForeignKeys(), the model's
// AfterCreateTableHook included, on a database/sql driver that records
// the statements instead of running them: what the loader's program does
// inside the user's module, here without a go command. Models an m2m
// relation joins through are registered first, as a bun app must.
//
// A model bun cannot create a table for is an error naming its type.
func RecordModels(ctx context.Context, models ...any) (*Models, error) {
	rec := &recorder{}
	sqldb := sql.OpenDB(recConnector{rec})
	defer sqldb.Close()
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	if err := registerJunctions(db, models); err != nil {
		return nil, err
	}
	out := &Models{Tables: map[string]string{}}
	byTable := map[string][]string{}
	var tables []string
	for _, m := range models {
		name, stmts, err := record(ctx, db, rec, m)
		if err != nil {
			return nil, err
		}
		if prev, ok := byTable[name]; ok {
			if !slices.Equal(prev, stmts) {
				return nil, fmt.Errorf("models %s and %s both define table %q, differently", out.Tables[name], typeName(m), name)
			}
			continue
		}
		byTable[name], out.Tables[name] = stmts, typeName(m)
		tables = append(tables, name)
	}
	slices.Sort(tables)
	for _, t := range tables {
		out.Statements = append(out.Statements, byTable[t]...)
	}
	return out, nil
}

// record returns the table of model m and the statements bun runs to
// create it; a panic inside bun is an error naming the type.
func record(ctx context.Context, db *bun.DB, rec *recorder, m any) (table string, stmts []string, err error) {
	t := reflect.TypeOf(m)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return "", nil, fmt.Errorf("model %v is not a pointer to a struct, such as (*models.Team)(nil)", t)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model %s: bun cannot create its table: %v", typeName(m), r)
		}
	}()
	table = db.Table(t.Elem()).Name
	if table == "" {
		return "", nil, fmt.Errorf("model %s: bun gives it no table name; a table: tag cannot hold a double quote", typeName(m))
	}
	stmts = rec.take(func() error {
		_, err := db.NewCreateTable().Model(m).WithForeignKeys().Exec(ctx)
		return err
	}, &err)
	if err != nil {
		return "", nil, fmt.Errorf("model %s: %w", typeName(m), err)
	}
	return table, stmts, nil
}

// registerJunctions registers the models m2m tags name as junctions: bun
// resolves an m2m relation by table name and panics when the junction is
// not registered.
func registerJunctions(db *bun.DB, models []any) (err error) {
	junctions := map[string]bool{}
	for _, m := range models {
		if t := reflect.TypeOf(m); t != nil && t.Kind() == reflect.Pointer {
			m2mNames(t.Elem(), junctions, map[reflect.Type]bool{})
		}
	}
	for _, m := range models {
		t := reflect.TypeOf(m)
		if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
			continue // record reports it
		}
		if !junctions[sqlitedialect.New().Tables().InProgress(t.Elem()).Name] {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("model %s: bun cannot register it as an m2m junction: %v", typeName(m), r)
				}
			}()
			db.RegisterModel(m)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// m2mNames adds the junction table names that m2m tags in typ name.
func m2mNames(typ reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || seen[typ] {
		return
	}
	seen[typ] = true
	for i := range typ.NumField() {
		f := typ.Field(i)
		tag := f.Tag.Get("bun")
		for opt := range strings.SplitSeq(tag, ",") {
			if name, ok := strings.CutPrefix(opt, "m2m:"); ok {
				names[strings.Trim(name, "'\"")] = true
			}
		}
		if f.Anonymous || strings.Contains(tag, "embed:") {
			m2mNames(f.Type, names, seen)
		}
	}
}

func typeName(m any) string {
	t := reflect.TypeOf(m)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "<nil>"
	}
	return t.PkgPath() + "." + t.Name()
}

// recorder keeps the text of the statements bun executes.
type recorder struct {
	mu    sync.Mutex
	stmts []string
}

// take runs f and returns the statements it executed; f's error goes to
// *err.
func (r *recorder) take(f func() error, err *error) []string {
	r.mu.Lock()
	r.stmts = nil
	r.mu.Unlock()
	*err = f()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stmts
}

func (r *recorder) exec(query string, nargs int) (driver.Result, error) {
	if nargs > 0 {
		return nil, errors.New("cannot record a statement with arguments: " + query)
	}
	r.mu.Lock()
	r.stmts = append(r.stmts, query)
	r.mu.Unlock()
	return driver.RowsAffected(0), nil
}

// The recording driver: every connection records into one recorder, and
// queries return no rows.
type (
	recConnector struct{ rec *recorder }
	recConn      struct{ rec *recorder }
	recStmt      struct {
		rec   *recorder
		query string
	}
	recTx   struct{}
	recRows struct{}
)

func (c recConnector) Connect(context.Context) (driver.Conn, error) { return recConn(c), nil }
func (c recConnector) Driver() driver.Driver                        { return c }
func (c recConnector) Open(string) (driver.Conn, error)             { return recConn(c), nil }

func (c recConn) Prepare(query string) (driver.Stmt, error) { return recStmt{c.rec, query}, nil }
func (c recConn) Close() error                              { return nil }
func (c recConn) Begin() (driver.Tx, error)                 { return recTx{}, nil }
func (c recConn) ExecContext(_ context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.rec.exec(query, len(args))
}
func (c recConn) QueryContext(context.Context, string, []driver.NamedValue) (driver.Rows, error) {
	return recRows{}, nil
}

func (s recStmt) Close() error  { return nil }
func (s recStmt) NumInput() int { return -1 }
func (s recStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.rec.exec(s.query, len(args))
}
func (s recStmt) Query([]driver.Value) (driver.Rows, error) { return recRows{}, nil }

func (recTx) Commit() error   { return nil }
func (recTx) Rollback() error { return nil }

func (recRows) Columns() []string         { return nil }
func (recRows) Close() error              { return nil }
func (recRows) Next([]driver.Value) error { return io.EOF }
