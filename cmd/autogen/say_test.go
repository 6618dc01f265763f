package main

import (
	"strings"
	"testing"
)

// sayRevision writes a revision of a's models and returns its two sections.
func sayRevision(t *testing.T, a *app, id string) (up, down string) {
	t.Helper()
	a.ok("revision", "-m", id, "--rev-id", id)
	body := rvReadVersion(t, a, id)
	return rvUpgradeSection(t, body), udDowngradeSection(t, body)
}

// sayHas fails the test unless text holds every one of want.
func sayHas(t *testing.T, where, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q:\n%s", where, w, text)
		}
	}
}

// Losing the rowid alias and AUTOINCREMENT is said in the upgrade, in a
// comment and in the safety report, with what it means for an INSERT
// that omits the key; and it means that.
func TestSayKeyChange(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, "ID   int64  `bun:\"id,pk,autoincrement\"`\n\tName string `bun:\"name,notnull,unique\"`",
		"ID   int64  `bun:\"id,pk,type:bigint\"`\n\tName string `bun:\"name,notnull,unique\"`"))
	up, down := sayRevision(t, a, "000000000002")
	const lost = "teams.id is no longer an alias of the rowid (bigint PRIMARY KEY, not INTEGER PRIMARY KEY) and loses AUTOINCREMENT: an INSERT that omits id no longer gets a new key, it fails (NOT NULL constraint failed); give every new row its key"
	sayHas(t, "the upgrade", up, "-- KEY: "+lost, "--   "+lost, "-- modified primary key on 'teams': AUTOINCREMENT removed")
	sayHas(t, "the downgrade", down, "-- KEY: teams.id becomes an alias of the rowid (INTEGER PRIMARY KEY): an INSERT that omits it gets a new key")
	a.ok("upgrade", "head")
	db := a.db()
	if _, err := db.Exec(`INSERT INTO teams (name) VALUES ('green')`); err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed: teams.id") {
		t.Errorf("an INSERT omitting the key after the upgrade: %v, want the NOT NULL failure the revision announces", err)
	}
	db.Close()
	a.ok("downgrade", "000000000001")
	a.exec(`INSERT INTO teams (name) VALUES ('green')`)
	if got := a.rows(`SELECT id FROM teams WHERE name = 'green'`); len(got) != 1 || got[0] != "3" {
		t.Errorf("after the downgrade an INSERT omitting the key got id %v, want 3", got)
	}
}

// A change of ON DELETE is one change in both sections and in check.
func TestSayForeignKeyAction(t *testing.T) {
	a := rvTutorial(t)
	rel := "Team   *Team  `bun:\"rel:belongs-to,join:team_id=id\"`"
	onDelete := func(rule string) string {
		return rvModelsWith(t, rel, "Team   *Team  `bun:\"rel:belongs-to,join:team_id=id,on_delete:"+rule+"\"`")
	}
	a.write("models/models.go", onDelete("CASCADE"))
	a.ok("revision", "-m", "cascade", "--rev-id", "000000000002")
	a.ok("upgrade", "head")
	a.write("models/models.go", onDelete("RESTRICT"))
	o, _, code := a.run("check")
	if code != 1 || o != "Detected changed foreign key members.team_id -> teams(id): ON DELETE CASCADE -> RESTRICT\n" {
		t.Errorf("check: exit %d, stdout:\n%s", code, o)
	}
	up, down := sayRevision(t, a, "000000000003")
	sayHas(t, "the upgrade", up, "-- changed foreign key members.team_id -> teams(id): ON DELETE CASCADE -> RESTRICT\n")
	sayHas(t, "the downgrade", down, "-- changed foreign key members.team_id -> teams(id): ON DELETE RESTRICT -> CASCADE\n")
	if strings.Contains(up+down, "removed foreign key") || strings.Contains(up+down, "added foreign key") {
		t.Errorf("the revision still says a foreign key is removed and added:\n%s\n%s", up, down)
	}
	a.ok("upgrade", "head")
	a.ok("check")
	udRoundTrip(t, a, "fresh.db")
}

// sayIndexModels is managedModels' package with a column kind, whose hook
// makes index items_name on cols.
func sayIndexModels(cols string) string {
	name := "Name string `bun:\"name,notnull\"`"
	src := strings.Replace(managedModels(false), name, name+"\n\tKind string `bun:\"kind\"`", 1)
	return strings.Replace(src, "\treturn nil\n}", "\t_, err := q.DB().ExecContext(ctx, \"CREATE INDEX items_name ON items ("+cols+")\")\n\treturn err\n}", 1)
}

// A changed index is one change, said in the order each section runs.
func TestSayIndexChange(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": sayIndexModels("name")})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "init", "--rev-id", "000000000001")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO items (name, kind) VALUES ('a', 'x'), ('b', NULL)`)
	a.write("models/models.go", sayIndexModels("kind, name DESC"))
	up, down := sayRevision(t, a, "000000000002")
	sayHas(t, "the upgrade", up, "-- changed index 'items_name' on 'items': (name) -> (kind, name DESC)\n")
	sayHas(t, "the downgrade", down, "-- changed index 'items_name' on 'items': (kind, name DESC) -> (name)\n")
	if strings.Contains(up+down, "removed index") || strings.Contains(up+down, "added index") {
		t.Errorf("the revision says the index is removed and added:\n%s\n%s", up, down)
	}
	udRoundTrip(t, a, "fresh.db")
	a.ok("upgrade", "head")
	a.ok("check")
}
