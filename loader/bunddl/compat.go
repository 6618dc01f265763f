package bunddl

import (
	"reflect"
	"strings"

	"github.com/uptrace/bun/schema"
)

// TableName is the table name bun gives typ on dialect, worked out on a
// registry of its own so that no relation is resolved and nothing is
// registered. It is "" when bun cannot build the table (it panics).
//
// bun v1.2 and later call the step that names a table without resolving
// its relations Tables.InProgress; v1.1 calls it Tables.Ref.
func TableName(dialect schema.Dialect, typ reflect.Type) (name string) {
	defer func() {
		if recover() != nil {
			name = ""
		}
	}()
	tables := reflect.ValueOf(schema.NewTables(dialect))
	m := tables.MethodByName("InProgress")
	if !m.IsValid() {
		m = tables.MethodByName("Ref")
	}
	if !m.IsValid() {
		return ""
	}
	out := m.Call([]reflect.Value{reflect.ValueOf(typ)})
	t, ok := out[0].Interface().(*schema.Table)
	if !ok || t == nil {
		return ""
	}
	return t.Name
}

// splitName returns a table's schema (bun v1.2 and later parse
// table:"schema.name" into Table.Schema; "" otherwise) and its name
// without that schema.
func splitName(t *schema.Table) (schemaName, name string) {
	name = t.Name
	if f := reflect.ValueOf(t).Elem().FieldByName("Schema"); f.IsValid() && f.Kind() == reflect.String {
		schemaName = f.String()
	}
	if schemaName != "" {
		if rest, ok := strings.CutPrefix(name, schemaName+"."); ok {
			return schemaName, rest
		}
		// bun gives a table without a schema in its tag the dialect's
		// default schema; only a tag that names one puts it in Name.
		return "", name
	}
	return "", name
}

// references reports whether WithForeignKeys writes a FOREIGN KEY for rel.
// bun v1.1.17 and later decide it with Relation.References; earlier v1.1
// releases write one for every relation that is neither has-many nor m2m.
func references(rel *schema.Relation) bool {
	if m := reflect.ValueOf(rel).MethodByName("References"); m.IsValid() {
		if out := m.Call(nil); len(out) == 1 && out[0].Kind() == reflect.Bool {
			return out[0].Bool()
		}
	}
	return rel.Type != schema.HasManyRelation && rel.Type != schema.ManyToManyRelation
}

// relationFields are the column names of a relation's foreign key in its
// table and in the parent: bun v1.3 calls the fields BasePKs and JoinPKs,
// earlier releases BaseFields and JoinFields.
func relationFields(rel *schema.Relation) (base, join []string) {
	v := reflect.ValueOf(rel).Elem()
	names := func(fieldNames ...string) []string {
		for _, n := range fieldNames {
			f := v.FieldByName(n)
			if !f.IsValid() {
				continue
			}
			fields, ok := f.Interface().([]*schema.Field)
			if !ok {
				return nil
			}
			out := make([]string, len(fields))
			for i, fl := range fields {
				out[i] = fl.Name
			}
			return out
		}
		return nil
	}
	return names("BasePKs", "BaseFields"), names("JoinPKs", "JoinFields")
}
