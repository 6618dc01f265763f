package main

import (
	"slices"
	"strings"
	"testing"
)

// A primary key that another table's foreign key references changes
// through the CLI: the revision drops the foreign key, changes the key and
// adds the foreign key back, and the rows survive the upgrade and the
// downgrade.
func TestPostgresReferencedPrimaryKey(t *testing.T) {
	models := withoutAge(exampleModels(t))
	a, pg := pgInit(t, models)
	a.ok("revision", "-m", "Initial Tables")
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO teams (name) VALUES ('red'), ('blue');
		INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 2), ('cid', 2)`)

	const from = "\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tName string `bun:\"name,notnull,unique\"`\n"
	const to = "\tID   int64  `bun:\"id,pk,autoincrement,unique\"`\n\tName string `bun:\"name,pk,notnull,unique\"`\n"
	if !strings.Contains(models, from) {
		t.Fatalf("example models changed shape; update this test:\n%s", models)
	}
	a.write("models/models.go", strings.Replace(models, from, to, 1))
	a.ok("revision", "-m", "team key")
	var body string
	for _, v := range a.versions() {
		if b := readFile(t, v); strings.Contains(b, "team key") {
			body = b
		}
	}
	for _, want := range []string{
		"ALTER TABLE members DROP CONSTRAINT members_team_id_fkey;",
		"ALTER TABLE teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id, name);",
		"ALTER TABLE members ADD CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id);",
	} {
		if strings.Count(body, want) < 1 {
			t.Errorf("revision lacks %q:\n%s", want, body)
		}
	}
	rows := func(when string) {
		t.Helper()
		want := []string{"ann red", "bob blue", "cid blue"}
		if got := queryStrings(t, pg.DB, "SELECT m.name || ' ' || t.name FROM members m JOIN teams t ON t.id = m.team_id ORDER BY m.id"); !slices.Equal(got, want) {
			t.Fatalf("rows %s: %v, want %v", when, got, want)
		}
	}
	a.ok("upgrade", "head")
	rows("after the upgrade")
	a.ok("check")
	if got := queryStrings(t, pg.DB, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'teams_pkey'"); !slices.Equal(got, []string{"PRIMARY KEY (id, name)"}) {
		t.Errorf("teams_pkey after the upgrade: %v", got)
	}
	a.ok("downgrade", "-1")
	rows("after the downgrade")
	if got := queryStrings(t, pg.DB, "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname IN ('teams_pkey', 'members_team_id_fkey') ORDER BY conname"); !slices.Equal(got, []string{"FOREIGN KEY (team_id) REFERENCES teams(id)", "PRIMARY KEY (id)"}) {
		t.Errorf("keys after the downgrade: %v", got)
	}
	a.ok("upgrade", "head")
	rows("after the second upgrade")
}
