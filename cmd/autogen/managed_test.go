package main

import (
	"slices"
	"strings"
	"testing"
)

// managedModels is a models package whose AfterCreateTableHook makes a
// trigger and a view when hook is set.
func managedModels(hook bool) string {
	body := ""
	if hook {
		body = `	if _, err := q.DB().ExecContext(ctx, "CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN UPDATE items SET name = upper(new.name) WHERE id = new.id; END"); err != nil {
		return err
	}
	if _, err := q.DB().ExecContext(ctx, "CREATE VIEW item_names AS SELECT name FROM items"); err != nil {
		return err
	}
`
	}
	return `package models

import (
	"context"

	"github.com/uptrace/bun"
)

type Item struct {
	bun.BaseModel ` + "`bun:\"table:items\"`" + `
	ID   int64  ` + "`bun:\"id,pk,autoincrement\"`" + `
	Name string ` + "`bun:\"name,notnull\"`" + `
}

var _ bun.AfterCreateTableHook = (*Item)(nil)

func (*Item) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
` + body + `	return nil
}
`
}

// TestManagedViewsAndTriggers: the trigger and view a model hook makes are
// created marked as autogen's, so removing them from the hook is detected
// (check exits 1, revision drops them, downgrade brings them back), while a
// trigger made by hand on the same table is never touched.
func TestManagedViewsAndTriggers(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": managedModels(true)})
	a.ok("init", "migrations")
	_, errOut := a.ok("revision", "-m", "init")
	for _, want := range []string{"added trigger 'items_ai' on 'items'", "added view 'item_names'"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("first revision does not say %q:\n%s", want, errOut)
		}
	}
	a.ok("upgrade", "head")
	const objects = `SELECT name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name`
	managed := []string{
		"item_names|CREATE VIEW item_names /* autogen: managed */ AS SELECT name FROM items",
		"items_ai|CREATE TRIGGER items_ai /* autogen: managed */ AFTER INSERT ON items BEGIN UPDATE items SET name = upper(new.name) WHERE id = new.id; END",
	}
	if got := a.rows(objects); !slices.Equal(got, managed) {
		t.Fatalf("after the first upgrade:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(managed, "\n"))
	}
	const mine = "mine|CREATE TRIGGER mine AFTER DELETE ON items BEGIN SELECT 1; END"
	a.exec(`CREATE TRIGGER mine AFTER DELETE ON items BEGIN SELECT 1; END;
		INSERT INTO items (name) VALUES ('ann'), ('bob')`)
	a.ok("check") // the marker does not differ from the models' text; mine is kept

	a.write("models/models.go", managedModels(false))
	o, e, code := a.run("check")
	if code != 1 {
		t.Fatalf("check after removing the hook's trigger and view: exit %d, want 1\n%s%s", code, o, e)
	}
	for _, want := range []string{"removed trigger 'items_ai' on 'items'", "removed view 'item_names'"} {
		if !strings.Contains(o+e, want) {
			t.Errorf("check does not say %q:\n%s%s", want, o, e)
		}
	}
	if strings.Contains(o+e, "mine") {
		t.Errorf("check names the hand-made trigger:\n%s%s", o, e)
	}
	a.ok("revision", "-m", "drop hook objects")
	var body string
	for _, v := range a.versions() {
		if b := readFile(t, v); strings.Contains(b, "drop hook objects") {
			body = b
		}
	}
	for _, want := range []string{`DROP TRIGGER IF EXISTS "items_ai";`, `DROP VIEW IF EXISTS "item_names";`} {
		if !strings.Contains(body, want) {
			t.Errorf("second revision lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "mine") {
		t.Errorf("second revision names the hand-made trigger:\n%s", body)
	}
	a.ok("upgrade", "head")
	if got := a.rows(objects); !slices.Equal(got, []string{mine}) {
		t.Fatalf("after dropping:\n%s\nwant only %s", strings.Join(got, "\n"), mine)
	}
	a.ok("check")

	a.ok("downgrade", "-1")
	if got, want := a.rows(objects), append(slices.Clone(managed), mine); !slices.Equal(got, want) {
		t.Fatalf("after downgrade:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := a.rows("SELECT id, name FROM items ORDER BY id"); !slices.Equal(got, []string{"1|ANN", "2|BOB"}) {
		t.Errorf("items after downgrade: %v", got)
	}
	a.ok("upgrade", "head")
	if got := a.rows(objects); !slices.Equal(got, []string{mine}) {
		t.Fatalf("after upgrading again:\n%s\nwant only %s", strings.Join(got, "\n"), mine)
	}
}
