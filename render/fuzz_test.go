package render

import (
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

// FuzzRenameCreateTable checks that swapping the name of any CREATE TABLE
// the parser accepts gives a statement naming the new table with the same
// columns and constraints.
func FuzzRenameCreateTable(f *testing.F) {
	for _, s := range []string{
		`CREATE TABLE "members" ("id" INTEGER PRIMARY KEY, "name" TEXT)`,
		`create temp table if not exists main.t (a, b, unique (a))`,
		"CREATE TABLE [my table] (`x` INT /* members */, -- t\n y)",
		`CREATE TABLE "a""b" (c TEXT DEFAULT 'CREATE TABLE x')`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		orig, err := schema.ParseCreateTable(sql)
		if err != nil {
			return
		}
		out, err := renameCreateTable(sql, "_autogen_new_x")
		if err != nil {
			t.Fatalf("renameCreateTable(%q): %v", sql, err)
		}
		got, err := schema.ParseCreateTable(out)
		if err != nil {
			t.Fatalf("renamed %q does not parse: %v", out, err)
		}
		if got.Name != "_autogen_new_x" {
			t.Fatalf("renamed %q names %q", out, got.Name)
		}
		got.Name, got.SQL = orig.Name, orig.SQL
		if !got.Equal(orig) {
			t.Fatalf("renaming %q changed the table: %q", sql, out)
		}
	})
}
