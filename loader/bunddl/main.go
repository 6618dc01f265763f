package bunddl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"

	"github.com/uptrace/bun/schema"
)

// List is a list of models a package declares, by the name autogen found it
// under (e.g. example.com/app/models.Models).
type List struct {
	Name   string
	Models []interface{}
}

// Main is the main function of the program the model loader builds inside
// the user's module. It records the tables of models (the structs that
// embed bun.BaseModel), of the candidates that an m2m tag names as its
// junction, and of every model in lists, and writes the []Table to standard
// output as JSON; it exits with status 1 only when it cannot write.
func Main(dialect schema.Dialect, models, candidates []interface{}, lists ...List) {
	all, bad := Collect(dialect, models, candidates, lists...)
	out := append(bad, Record(context.Background(), dialect, all)...)
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Collect returns the model set: models, the candidates that embed
// bun.BaseModel, every model of lists, and the other candidates whose
// table name (bun's rule on dialect) an m2m tag of one of those names as
// its junction. Candidates that are no structs are dropped. A list element
// that is not a struct or a pointer to one is returned as a Table with
// Error set.
func Collect(dialect schema.Dialect, models, candidates []interface{}, lists ...List) ([]interface{}, []Table) {
	all := append([]interface{}(nil), models...)
	var others []interface{}
	for _, c := range candidates {
		typ := reflect.TypeOf(c)
		for typ != nil && typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		switch {
		case typ == nil || typ.Kind() != reflect.Struct:
		case embedsBaseModel(typ, map[reflect.Type]bool{}):
			all = append(all, c)
		default:
			others = append(others, c)
		}
	}
	candidates = others
	var bad []Table
	for _, l := range lists {
		for i, m := range l.Models {
			typ := reflect.TypeOf(m)
			for typ != nil && typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ == nil || typ.Kind() != reflect.Struct || typ.Name() == "" {
				what := "nil"
				if typ != nil {
					what = "a " + reflect.TypeOf(m).String()
				}
				bad = append(bad, Table{Type: l.Name, Error: fmt.Sprintf("element %d is %s, not a model; list models as (*Team)(nil) or &Team{}", i+1, what)})
				continue
			}
			all = append(all, m)
		}
	}
	names := map[string]bool{}
	for _, m := range all {
		m2mNames(reflect.TypeOf(m), names, map[reflect.Type]bool{})
	}
	// A junction may itself name junctions: repeat until no candidate joins.
	for added := true; added && len(names) > 0; {
		added = false
		var rest []interface{}
		for _, c := range candidates {
			typ := reflect.TypeOf(c)
			for typ != nil && typ.Kind() == reflect.Pointer {
				typ = typ.Elem()
			}
			if typ != nil && names[TableName(dialect, typ)] {
				all = append(all, c)
				m2mNames(typ, names, map[reflect.Type]bool{})
				added = true
				continue
			}
			rest = append(rest, c)
		}
		candidates = rest
	}
	return all, bad
}

// embedsBaseModel reports whether struct typ embeds bun.BaseModel,
// directly or through embedded structs, by value or pointer: the models
// the loader finds by syntax alone are told apart here.
func embedsBaseModel(typ reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[typ] {
		return false
	}
	seen[typ] = true
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if !f.Anonymous {
			continue
		}
		t := f.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == reflect.TypeOf(schema.BaseModel{}) {
			return true
		}
		if t.Kind() == reflect.Struct && embedsBaseModel(t, seen) {
			return true
		}
	}
	return false
}
