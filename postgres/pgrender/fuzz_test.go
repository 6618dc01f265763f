package pgrender_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/schema"
)

// FuzzRenderStatements feeds arbitrary table, column and index names, a
// default and a comment through diff and Render (a column dropped, one
// added with the default and an index, a table created and one dropped),
// and checks that the runner's splitter reads each section as exactly the
// statements Render listed: no name, default or lock comment can break a
// statement out or hide one in a comment. It needs no server, so it runs
// wherever the SQLite fuzz targets run.
func FuzzRenderStatements(f *testing.F) {
	for _, s := range [][4]string{
		{"t", "c", "ix", "x"},
		{"a\nDROP TABLE victims;\n--x", "d\nDELETE FROM t;\n--x", "i\r\nDROP TABLE victims;", "'; DELETE FROM victims; --"},
		{"a\rDROP TABLE victims;", "b\u2028DELETE FROM victims;", "c\u2029x", "d\u0085e"},
		{"*/ DROP TABLE victims; /*", "c\n;", "$$; DROP TABLE victims; $$", "E'\\'; DROP TABLE victims; --"},
		{"select", "Up Case", "\"quoted\"", "$tag$x$tag$"},
		{"größe", "名前", "ſelect", "\\\\"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	f.Fuzz(func(t *testing.T, table, column, index, def string) {
		for _, n := range []string{table, column, index, def} {
			if strings.ContainsRune(n, 0) || !utf8.ValidString(n) {
				t.Skip("PostgreSQL text holds neither NUL nor invalid UTF-8")
			}
		}
		if table == "" || column == "" || index == "" || table == "keep" || table == "gone" || column == "id" || column == "old" {
			t.Skip("names must be distinct and not empty")
		}
		current, target := fuzzSchemas(table, column, index, def)
		ops, err := diff.Compare(current, target, diff.Options{})
		if err != nil {
			t.Skip(err) // a pair diff refuses is not rendered
		}
		res, err := pgrender.Render(ops, current, target)
		if err != nil {
			t.Skip(err)
		}
		checkSplit(t, res)
	})
}

// fuzzSchemas is a schema holding table (id, old) and gone, and the
// schema where old is dropped, column added with default def, an index on
// it, table keep created and gone dropped.
func fuzzSchemas(table, column, index, def string) (current, target *schema.Schema) {
	id := func() *schema.Column { return &schema.Column{Name: "id", Type: "bigint", NotNull: true} }
	pk := func(name string) *schema.PrimaryKey {
		return &schema.PrimaryKey{Name: name + "_pkey", Columns: []string{"id"}}
	}
	current = &schema.Schema{Tables: []*schema.Table{
		{Name: "gone", Columns: []*schema.Column{id()}, PrimaryKey: pk("gone")},
		{Name: table, Columns: []*schema.Column{id(), {Name: "old", Type: "text", Position: 1}}, PrimaryKey: pk(table)},
	}}
	added := &schema.Column{Name: column, Type: "text", Default: sqltext.QuoteString(def) + "::text", Position: 1}
	ix := &schema.Index{Name: index, Table: table, Columns: []schema.IndexColumn{{Name: column}},
		SQL: "CREATE INDEX " + pgrender.Ident(index) + " ON public." + pgrender.Ident(table) + " USING btree (" + pgrender.Ident(column) + ")"}
	target = &schema.Schema{Tables: []*schema.Table{
		{Name: "keep", Columns: []*schema.Column{id()}, PrimaryKey: pk("keep"), Comment: def},
		{Name: table, Columns: []*schema.Column{id(), added}, PrimaryKey: pk(table), Indexes: []*schema.Index{ix}},
	}}
	return current, target
}
