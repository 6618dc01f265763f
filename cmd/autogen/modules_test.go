package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
)

// TestModuleLayouts: models reached through a replace'd local module
// (issue 12 item 5) and a module whose go.mod lost the SQLite dialect to
// go mod tidy (item 8), through the CLI on a database holding rows: they
// load, upgrade, check clean; an edit to the file that defines the columns
// makes check exit 1 (the cache sees it); the change upgrades, and
// downgrade base and upgrade head work.
func TestModuleLayouts(t *testing.T) {
	const local = "package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Team struct {\n\tbun.BaseModel `bun:\"table:teams\"`\n\tID   int64 `bun:\",pk,autoincrement\"`\n\tName string\n}\n"
	const viaShared = "package models\n\nimport (\n\t\"example.com/shared\"\n\t\"github.com/uptrace/bun\"\n)\n\ntype Team struct {\n\tbun.BaseModel `bun:\"table:teams\"`\n\tshared.Base\n}\n"
	const sharedBase = "package shared\n\ntype Base struct {\n\tID   int64 `bun:\",pk,autoincrement\"`\n\tName string\n}\n"
	noDialect := strings.Replace(workload.GoMod, "\tgithub.com/uptrace/bun/dialect/sqlitedialect v1.3.0\n", "", 1)
	if noDialect == workload.GoMod {
		t.Fatal("the go.mod requires no dialect to remove")
	}
	tests := []struct {
		name   string
		files  map[string]string
		edited string // the file whose Name field gains a neighbour
	}{
		{"replace", map[string]string{
			"go.mod":           workload.GoMod + "\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ./shared\n",
			"models/models.go": viaShared,
			"shared/go.mod":    "module example.com/shared\n\ngo 1.26.0\n",
			"shared/base.go":   sharedBase,
		}, "shared/base.go"},
		{"no dialect in go.mod", map[string]string{"go.mod": noDialect, "models/models.go": local}, "models/models.go"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t, nil)
			for name, body := range tt.files {
				a.write(name, body)
			}
			a.ok("init", "migrations")
			a.ok("revision", "-m", "teams")
			a.ok("upgrade", "head")
			a.exec(`INSERT INTO teams (name) VALUES ('red'), ('blue')`)
			a.ok("check")

			body := tt.files[tt.edited]
			edited := strings.Replace(body, "\tName string\n", "\tName string\n\tCode string `bun:\",notnull,default:'x'\"`\n", 1)
			if edited == body {
				t.Fatal("the edit did not apply")
			}
			a.write(tt.edited, edited)
			a.fails(1, "", "check")
			a.ok("revision", "-m", "code")
			a.ok("upgrade", "head")
			a.ok("check")
			if got := a.rows(`SELECT name, code FROM teams ORDER BY id`); !slices.Equal(got, []string{"red|x", "blue|x"}) {
				t.Errorf("teams after the change: %q", got)
			}
			a.ok("downgrade", "base")
			a.ok("upgrade", "head")
			a.ok("check")
		})
	}
}
