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

// TestRenameReferencedColumnNoHint: a parent's key column renamed in the
// models, with a child's foreign key following it and no --rename hint,
// is not an SQL error from the safety report: the revision is refused or
// written with the drop counted, and the sentence offers the rename hint.
func TestRenameReferencedColumnNoHint(t *testing.T) {
	const before = `package models

import "github.com/uptrace/bun"

type Project struct {
	bun.BaseModel ` + "`bun:\"table:projects\"`" + `
	ID   int64  ` + "`bun:\"id,pk,autoincrement\"`" + `
	Name string ` + "`bun:\",notnull\"`" + `
}

type Note struct {
	bun.BaseModel ` + "`bun:\"table:notes\"`" + `
	ID        int64    ` + "`bun:\",pk,autoincrement\"`" + `
	ProjectID int64    ` + "`bun:\",notnull\"`" + `
	Project   *Project ` + "`bun:\"rel:belongs-to,join:project_id=id\"`" + `
}
`
	a := newApp(t, map[string]string{"models/models.go": before})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "init")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO projects (id, name) VALUES (1, 'x'), (2, 'y'); INSERT INTO notes (project_id) VALUES (1), (2), (2)`)
	after := strings.Replace(before, "`bun:\"id,pk,autoincrement\"`", "`bun:\"project_id,pk,autoincrement\"`", 1)
	after = strings.Replace(after, "join:project_id=id", "join:project_id=project_id", 1)
	a.write("models/models.go", after)
	tree := relTree(t, a.dir)
	e := a.fails(2, "3 rows of table notes have (project_id) set, and the new foreign key matches them against projects.project_id, a column this revision adds, so no row can be checked and the values they pointed at are dropped; if projects.id became project_id, give --rename projects.id=project_id", "revision", "-m", "rename")
	if strings.Contains(e, "SQL") || strings.Contains(e, "no such column") {
		t.Errorf("stderr shows an SQL error:\n%s", e)
	}
	if d := relTreeDiff(tree, relTree(t, a.dir)); len(d) > 0 {
		t.Errorf("wrote %v", d)
	}

	a.ok("revision", "-m", "rename", "--rename", "projects.id=project_id")
	a.ok("upgrade", "head")
	a.ok("check")
	if got := a.rows(`SELECT n.id, p.name FROM notes n JOIN projects p ON p.project_id = n.project_id ORDER BY n.id`); !slices.Equal(got, []string{"1|x", "2|y", "3|y"}) {
		t.Errorf("notes and their projects after the rename: %q", got)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}

const embedModels = `package models

import "github.com/uptrace/bun"

type Address struct {
	Street string ` + "`bun:\",notnull,default:''\"`" + `
	City   string ` + "`bun:\",notnull,default:''\"`" + `
	Zip    int64
}

type Customer struct {
	bun.BaseModel ` + "`bun:\"table:customers\"`" + `
	ID   int64   ` + "`bun:\",pk,autoincrement\"`" + `
	Addr Address ` + "`bun:\"embed:addr_\"`" + `
}
`

// TestGroupedRenames: changing embed:addr_ to embed:address_ drops three
// columns and adds three; each gets its rename hint without a terminal,
// the three prompts on one, and the answers keep the rows' values.
func TestGroupedRenames(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": embedModels})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "customers")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO customers (addr_street, addr_city, addr_zip) VALUES ('Main St', 'Oslo', 150), ('High St', 'Bergen', NULL)`)
	a.write("models/models.go", strings.Replace(embedModels, "embed:addr_", "embed:address_", 1))

	_, e := a.ok("revision", "-m", "address", "--dry-run", "--allow-failing")
	for _, c := range []string{"street", "city", "zip"} {
		if want := "Possible rename: give --rename customers.addr_" + c + "=address_" + c + " "; !strings.Contains(e, want) {
			t.Errorf("no hint %q:\n%s", want, e)
		}
	}

	screen, code := runTTY(t, a, []string{"y", "y", "y"}, "revision", "-m", "address", "--rev-id", "0000000000ad")
	if code != 0 {
		t.Fatalf("exit %d; terminal:\n%s", code, screen)
	}
	for _, c := range []string{"street", "city", "zip"} {
		if q := "Did you rename customers.addr_" + c + " to customers.address_" + c + "? [y/N] "; !strings.Contains(screen, q) {
			t.Errorf("not asked %q:\n%s", q, screen)
		}
	}
	a.ok("upgrade", "head")
	a.ok("check")
	want := []string{"1|Main St|Oslo|150", "2|High St|Bergen|NULL"}
	if got := a.rows(`SELECT id, address_street, address_city, address_zip FROM customers ORDER BY id`); !slices.Equal(got, want) {
		t.Errorf("customers after the renames: %q, want %q", got, want)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}

const unexportedJunction = `package models

import "github.com/uptrace/bun"

type Event struct {
	bun.BaseModel ` + "`bun:\"table:events\"`" + `
	ID   int64 ` + "`bun:\",pk,autoincrement\"`" + `
	Tags []Tag ` + "`bun:\"m2m:event_to_tags,join:Event=Tag\"`" + `
}

type Tag struct {
	bun.BaseModel ` + "`bun:\"table:tags\"`" + `
	ID   int64 ` + "`bun:\",pk,autoincrement\"`" + `
	Name string
}

type eventToTag struct {
	bun.BaseModel ` + "`bun:\"table:event_to_tags\"`" + `
	EventID int64  ` + "`bun:\",pk\"`" + `
	Event   *Event ` + "`bun:\"rel:belongs-to,join:event_id=id\"`" + `
	TagID   int64  ` + "`bun:\",pk\"`" + `
	Tag     *Tag   ` + "`bun:\"rel:belongs-to,join:tag_id=id\"`" + `
}

func Register(db *bun.DB) { db.RegisterModel((*eventToTag)(nil)) }
`

// TestUnexportedJunction: an app that registers an unexported junction
// struct (db.RegisterModel((*eventToTag)(nil))) is told in one sentence to
// export it or list it in Models; listed, it loads with bun's two foreign
// keys and takes the full cycle on rows.
func TestUnexportedJunction(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": unexportedJunction})
	a.ok("init", "migrations")
	e := a.fails(2, "example.com/app/models.eventToTag: it is unexported, so autogen cannot name it; export it or list it in the package's Models", "revision", "-m", "x")
	relOneSentence(t, e)

	a.write("models/models.go", unexportedJunction+"\nvar Models = []any{(*eventToTag)(nil)}\n")
	a.ok("revision", "-m", "events")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO events (id) VALUES (1); INSERT INTO tags (id, name) VALUES (1, 'go'), (2, 'sql'); INSERT INTO event_to_tags VALUES (1, 1), (1, 2);`)
	a.ok("check")
	want := []string{"event_to_tags|event_id|events|id", "event_to_tags|tag_id|tags|id"}
	if fks := a.rows(`SELECT 'event_to_tags', "from", "table", "to" FROM pragma_foreign_key_list('event_to_tags') ORDER BY 2`); !slices.Equal(fks, want) {
		t.Errorf("foreign keys: %q, want %q", fks, want)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}
