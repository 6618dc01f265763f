// Package bunddl records the statements bun runs to create the tables of a
// set of models: it opens bun on a database/sql driver that executes
// nothing and keeps the text of every statement, registers the m2m junction
// models first, as a bun application must, and runs
// NewCreateTable().Model(m).WithForeignKeys() for each model, its
// AfterCreateTableHook included.
//
// The package imports only the standard library and bun, uses only what
// bun v1.1, v1.2 and v1.3 have in common (reflection bridges the rest) and
// no language feature newer than Go 1.17 (interface{}, not any): the
// model loader compiles its source inside the user's module, against the
// user's bun, next to a generated main that names the models; autogen's
// in-process API uses it directly with models linked into the program.
package bunddl

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// Table is what bun runs to create one model's table, or why it cannot.
type Table struct {
	// Type is the model's qualified Go type name, e.g. example.com/app/models.Team.
	Type string `json:"type"`
	// Name is the table's name without its schema; Schema is the schema a
	// table: tag names ("" when none).
	Name   string `json:"table,omitempty"`
	Schema string `json:"schema,omitempty"`
	// Deps are the tables the model's foreign keys reference.
	Deps []string `json:"deps,omitempty"`
	// Statements are the statements bun executed, CREATE TABLE first and
	// then those of the model's AfterCreateTableHook.
	Statements []string `json:"statements,omitempty"`
	// Columns are the table's columns as bun writes them, in order.
	Columns []Column `json:"columns,omitempty"`
	// ForeignKeys are the foreign keys WithForeignKeys writes, by relation.
	ForeignKeys []ForeignKey `json:"fks,omitempty"`
	// Field is the Go field at fault and Error the reason, when bun
	// cannot create the table.
	Field string `json:"field,omitempty"`
	Error string `json:"error,omitempty"`
}

// Column is one column as bun writes it into CREATE TABLE.
type Column struct {
	Field   string `json:"field"`          // Go field name
	Name    string `json:"name"`           // column name
	Type    string `json:"type,omitempty"` // SQL type; "" when bun gives none
	Default string `json:"default,omitempty"`
	PK      bool   `json:"pk,omitempty"` // part of the primary key
}

// ForeignKey is one foreign key bun writes for a relation.
type ForeignKey struct {
	Field        string   `json:"field"`   // the relation's Go field
	Columns      []string `json:"columns"` // in this table
	Table        string   `json:"table"`   // the parent table, without schema
	TableColumns []string `json:"table_columns"`
}

// Record returns what bun, on dialect, runs to create the table of each of
// models (pointers to structs, or structs), in the order given, without
// executing anything. Models that are the junction of an m2m relation among
// them are registered first, and every model's relations are resolved
// before any table is created, so that foreign keys are those of an
// application that registered its models before creating them. A model bun
// cannot create has Error set; Record itself never panics.
func Record(ctx context.Context, dialect schema.Dialect, models []interface{}) []Table {
	types, out := modelTypes(models)
	rec := &recorder{}
	sqldb := sql.OpenDB(connector{rec})
	defer sqldb.Close()
	sqldb.SetMaxOpenConns(1)
	db := bun.NewDB(sqldb, dialect)

	registerJunctions(db, types)
	for i, typ := range types {
		if out[i].Error == "" {
			out[i].Error = resolve(db, typ)
		}
	}
	for i, typ := range types {
		if out[i].Error == "" {
			describe(ctx, db, rec, typ, &out[i])
		}
	}
	return out
}

// modelTypes returns the distinct struct types of models, and a Table for
// each carrying its name and any error in the model value itself.
func modelTypes(models []interface{}) ([]reflect.Type, []Table) {
	var types []reflect.Type
	var out []Table
	seen := map[reflect.Type]bool{}
	for i, m := range models {
		typ := reflect.TypeOf(m)
		for typ != nil && typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ != nil && seen[typ] {
			continue
		}
		t := Table{Type: typeName(typ)}
		switch {
		case typ == nil:
			t.Type = fmt.Sprintf("model %d", i+1)
			t.Error = "a nil interface value is not a model; give a typed pointer such as (*Team)(nil)"
		case typ.Kind() != reflect.Struct:
			t.Error = fmt.Sprintf("a %s is not a model; a model is a struct", typ.Kind())
		case typ.Name() == "":
			t.Error = "an unnamed struct type is not a model; declare it as a named type"
		}
		seen[typ] = true
		types = append(types, typ)
		out = append(out, t)
	}
	return types, out
}

func typeName(typ reflect.Type) string {
	if typ == nil {
		return ""
	}
	if typ.PkgPath() == "" {
		return typ.String()
	}
	return typ.PkgPath() + "." + typ.Name()
}

// registerJunctions registers the models that an m2m tag of another model
// names as its junction: bun finds a junction by table name among the
// registered models only, and panics when it is not there. A junction
// whose registration needs another junction registered first is retried
// until no more succeed; the rest are reported by resolve.
func registerJunctions(db *bun.DB, types []reflect.Type) {
	names := map[string]bool{}
	for _, typ := range types {
		if typ != nil && typ.Kind() == reflect.Struct {
			m2mNames(typ, names, map[reflect.Type]bool{})
		}
	}
	if len(names) == 0 {
		return
	}
	var pending []reflect.Type
	for _, typ := range types {
		if typ != nil && typ.Kind() == reflect.Struct && names[TableName(db.Dialect(), typ)] {
			pending = append(pending, typ)
		}
	}
	for progress := true; progress && len(pending) > 0; {
		progress = false
		var failed []reflect.Type
		for _, typ := range pending {
			if resolve(db, typ) != "" {
				failed = append(failed, typ)
				continue
			}
			progress = true
		}
		pending = failed
	}
}

// resolve makes bun build the model's table with its relations, returning
// bun's panic message when it cannot.
func resolve(db *bun.DB, typ reflect.Type) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = strings.TrimSpace(fmt.Sprint(r))
		}
	}()
	db.Table(typ)
	return ""
}

// describe records what bun executes to create the model's table.
func describe(ctx context.Context, db *bun.DB, rec *recorder, typ reflect.Type, out *Table) {
	defer func() {
		if r := recover(); r != nil {
			out.Statements = nil
			out.Error = strings.TrimSpace(fmt.Sprint(r))
		}
	}()
	table := db.Table(typ)
	out.Schema, out.Name = splitName(table)
	if out.Name == "" {
		out.Error = "bun gives the model no table name; a table: tag cannot hold a double quote"
		return
	}
	byName := map[string]string{} // lower(column) -> Go field
	for _, f := range table.Fields {
		key := strings.ToLower(f.Name)
		if prev, ok := byName[key]; ok {
			out.Error = fmt.Sprintf("column %q is declared twice in the model, by fields %s and %s; give one of them another column name or bun:\"-\"", f.Name, prev, f.GoName)
			return
		}
		byName[key] = f.GoName
		out.Columns = append(out.Columns, Column{Field: f.GoName, Name: f.Name, Type: f.CreateTableSQLType, Default: f.SQLDefault, PK: f.IsPK})
	}
	deps := map[string]bool{}
	for _, rel := range table.Relations {
		if !references(rel) {
			continue
		}
		_, name := splitName(rel.JoinTable)
		base, join := relationFields(rel)
		out.ForeignKeys = append(out.ForeignKeys, ForeignKey{Field: rel.Field.GoName, Columns: base, Table: name, TableColumns: join})
		if rel.JoinTable != table {
			deps[name] = true
		}
	}
	sort.Slice(out.ForeignKeys, func(i, j int) bool { return out.ForeignKeys[i].Field < out.ForeignKeys[j].Field })
	for name := range deps {
		out.Deps = append(out.Deps, name)
	}
	sort.Strings(out.Deps)

	rec.stmts = nil
	if _, err := db.NewCreateTable().Model(reflect.Zero(reflect.PointerTo(typ)).Interface()).WithForeignKeys().Exec(ctx); err != nil {
		out.Error = err.Error()
		return
	}
	out.Statements = rec.stmts
}

// m2mNames adds the junction table names that m2m tags in typ name,
// through embedded structs.
func m2mNames(typ reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil || typ.Kind() != reflect.Struct || seen[typ] {
		return
	}
	seen[typ] = true
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := f.Tag.Get("bun")
		for _, opt := range strings.Split(tag, ",") {
			if name, ok := strings.CutPrefix(strings.TrimSpace(opt), "m2m:"); ok {
				names[strings.Trim(name, `'"`)] = true
			}
		}
		if f.Anonymous || strings.Contains(tag, "embed:") {
			m2mNames(f.Type, names, seen)
		}
	}
}
