package main

import (
	"slices"
	"strings"
	"testing"
)

// TestAddIntegerPrimaryKeyOnRows: a model that gains an INTEGER PRIMARY
// KEY (bun's pk,autoincrement) on a table holding rows is not refused as a
// NOT NULL column without a default: the column is an alias of the rowid,
// so the rebuild numbers the rows. The downgrade takes the column away and
// keeps the rows.
func TestAddIntegerPrimaryKeyOnRows(t *testing.T) {
	const before = `package models

import "github.com/uptrace/bun"

type Note struct {
	bun.BaseModel ` + "`bun:\"table:notes\"`" + `
	Title string ` + "`bun:\",notnull\"`" + `
}
`
	a := newApp(t, map[string]string{"models/models.go": before})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "notes")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO notes (title) VALUES ('a'), ('b'), ('c')`)
	after := strings.Replace(before, "\tTitle", "\tID    int64  `bun:\",pk,autoincrement\"`\n\tTitle", 1)
	a.write("models/models.go", after)
	a.ok("revision", "-m", "id")
	a.ok("upgrade", "head")
	a.ok("check")
	if got := a.rows(`SELECT id, title FROM notes ORDER BY id`); !slices.Equal(got, []string{"1|a", "2|b", "3|c"}) {
		t.Errorf("notes after adding id: %q", got)
	}
	a.exec(`INSERT INTO notes (title) VALUES ('d')`)
	a.ok("downgrade", "-1")
	if got := a.rows(`SELECT * FROM notes ORDER BY title`); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("notes after the downgrade: %q", got)
	}
	a.ok("upgrade", "head")
	a.ok("check")
	if got := a.rows(`SELECT count(DISTINCT id) FROM notes`); !slices.Equal(got, []string{"4"}) {
		t.Errorf("ids after upgrading again: %q", got)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}
