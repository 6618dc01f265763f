package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// enumModels is a user's module whose Person.Mood column has an enum type
// that the model's BeforeCreateTable hook creates, as bun apps do.
func enumModels(values string) string {
	return "package models\n\nimport (\n\t\"context\"\n\n\t\"github.com/uptrace/bun\"\n)\n\n" +
		"// Person has a mood.\ntype Person struct {\n\tbun.BaseModel `bun:\"table:people\"`\n\n" +
		"\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tName string `bun:\"name,notnull\"`\n" +
		"\tMood string `bun:\"mood,type:mood,notnull,default:'happy'\"`\n}\n\n" +
		"var _ bun.BeforeCreateTableHook = (*Person)(nil)\n\n" +
		"// BeforeCreateTable creates the enum type.\nfunc (*Person) BeforeCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {\n" +
		"\t_, err := q.DB().ExecContext(ctx, `CREATE TYPE mood AS ENUM (" + values + ")`)\n\treturn err\n}\n"
}

// hostile is a label with a quote, a backslash, a newline and a comment
// opener, as PostgreSQL takes it in a string constant.
const hostile = `'it''s \ a -- */
+autogen downgrade'`

// An enum type created in a model's hook goes through revision, upgrade
// and downgrade with rows in the table: values added at their place,
// a removal refused while rows hold the value, and each step undone.
func TestPostgresEnums(t *testing.T) {
	a, pg := pgInit(t, enumModels("'happy', "+hostile+", 'sad'"))
	_, errOut := a.ok("revision", "-m", "people")
	for _, want := range []string{"Detected added enum type 'mood'", "Detected added table 'people'"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("revision does not say %q:\n%s", want, errOut)
		}
	}
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO people (name, mood) VALUES ('ann', 'sad'), ('bob', DEFAULT), ('cid', `+hostile+`)`)
	labels := func() []string {
		return queryStrings(t, pg.DB, "SELECT enumlabel FROM pg_enum WHERE enumtypid = (SELECT oid FROM pg_type WHERE typname = 'mood') ORDER BY enumsortorder")
	}
	moods := func() []string {
		return queryStrings(t, pg.DB, "SELECT name || ' ' || mood FROM people ORDER BY id")
	}
	odd := "it's \\ a -- */\n+autogen downgrade"
	rows := []string{"ann sad", "bob happy", "cid " + odd}
	if got := moods(); !slices.Equal(got, rows) {
		t.Fatalf("rows: %q", got)
	}
	a.ok("check")

	// Values added before, between and after the others.
	a.write("models/models.go", enumModels("'ok', 'happy', 'meh', "+hostile+", 'sad', 'great'"))
	if out, _, code := a.run("check", "--format", "json"); code != 1 || !strings.Contains(out, `"kind": "add_enum_values"`) ||
		!strings.Contains(out, `"enum": "mood"`) || !strings.Contains(out, `"ok",`) {
		t.Errorf("check --format json with values to add: exit %d, want 1:\n%s", code, out)
	}
	_, errOut = a.ok("revision", "-m", "more moods")
	if !strings.Contains(errOut, "Detected added values 'ok', 'meh', 'great' to enum type 'mood'") {
		t.Errorf("revision output:\n%s", errOut)
	}
	body := newest(t, a, "more moods")
	for _, want := range []string{"ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';", "ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy';", "ALTER TYPE mood ADD VALUE 'great';"} {
		if !strings.Contains(body, want) {
			t.Errorf("revision lacks %q:\n%s", want, body)
		}
	}
	a.ok("upgrade", "head")
	want := []string{"ok", "happy", "meh", odd, "sad", "great"}
	if got := labels(); !slices.Equal(got, want) {
		t.Fatalf("labels after adding: %q, want %q", got, want)
	}
	a.ok("check")
	a.ok("check", "--migrations")
	mustExecPG(t, pg, `INSERT INTO people (name, mood) VALUES ('dan', 'meh')`)

	// Removing 'sad' while ann holds it is refused, with the count.
	a.write("models/models.go", enumModels("'ok', 'happy', 'meh', "+hostile+", 'great'"))
	a.fails(2, "1 row of people.mood holds value 'sad', which enum type mood loses", "revision", "-m", "no sadness")
	md, _ := a.ok("revision", "-m", "no sadness", "--dry-run", "--allow-failing", "--format", "markdown")
	for _, want := range []string{"| change enum values | enum type `mood`, values `sad` | yes |", "| change enum values | enum type `mood`, values `sad` | 1 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("the Markdown preview lacks %q:\n%s", want, md)
		}
	}
	mustExecPG(t, pg, `UPDATE people SET mood = 'great' WHERE mood = 'sad'`)
	a.ok("revision", "-m", "no sadness")
	if body := newest(t, a, "no sadness"); !strings.Contains(body, "-- DESTRUCTIVE: enum type mood loses 'sad'") {
		t.Errorf("the removal is not marked DESTRUCTIVE:\n%s", body)
	}
	a.ok("upgrade", "head")
	if got, want := labels(), []string{"ok", "happy", "meh", odd, "great"}; !slices.Equal(got, want) {
		t.Fatalf("labels after removing: %q, want %q", got, want)
	}
	rows = []string{"ann great", "bob happy", "cid " + odd, "dan meh"}
	if got := moods(); !slices.Equal(got, rows) {
		t.Fatalf("rows after removing: %q", got)
	}
	a.ok("check")
	a.ok("check", "--migrations")
	mustExecPG(t, pg, `INSERT INTO people (name) VALUES ('eve')`) // the default survives the new type

	// One label changed in place is a rename: rows keep their value.
	mustExecPG(t, pg, `UPDATE people SET mood = 'ok' WHERE name = 'eve'`)
	a.write("models/models.go", enumModels("'fine', 'happy', 'meh', "+hostile+", 'great'"))
	_, errOut = a.ok("revision", "-m", "fine")
	if !strings.Contains(errOut, "Detected renamed value 'ok' of enum type 'mood' to 'fine'") {
		t.Errorf("revision output:\n%s", errOut)
	}
	if body := newest(t, a, "fine"); !strings.Contains(body, "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';") ||
		!strings.Contains(body, "1 row of people.mood holds 'ok', which reads 'fine' after the upgrade") {
		t.Errorf("rename revision:\n%s", body)
	}
	a.ok("upgrade", "head")
	if got := queryStrings(t, pg.DB, "SELECT mood FROM people WHERE name = 'eve'"); !slices.Equal(got, []string{"fine"}) {
		t.Errorf("eve's mood after the rename: %q", got)
	}
	a.ok("check")
	a.ok("downgrade", "-1")
	if got := queryStrings(t, pg.DB, "SELECT mood FROM people WHERE name = 'eve'"); !slices.Equal(got, []string{"ok"}) {
		t.Errorf("eve's mood after undoing the rename: %q", got)
	}
	mustExecPG(t, pg, `UPDATE people SET mood = 'happy' WHERE name = 'eve'`)

	// Undone: 'sad' comes back; then undoing the additions fails while
	// dan holds 'meh', and nothing changes.
	a.ok("downgrade", "-1")
	if got := labels(); !slices.Equal(got, want) {
		t.Fatalf("labels after downgrade: %q, want %q", got, want)
	}
	if _, stderr, code := a.run("downgrade", "-1"); code != 2 || !strings.Contains(stderr, "meh") {
		t.Fatalf("downgrade while a row holds an added value: exit %d, want 2:\n%s", code, stderr)
	}
	if got := labels(); !slices.Equal(got, want) {
		t.Fatalf("a failed downgrade changed the type: %q", got)
	}
	mustExecPG(t, pg, `UPDATE people SET mood = 'happy' WHERE mood IN ('meh', 'great')`)
	a.ok("downgrade", "-1")
	if got, want := labels(), []string{"happy", odd, "sad"}; !slices.Equal(got, want) {
		t.Fatalf("labels after the second downgrade: %q, want %q", got, want)
	}
	rows = []string{"ann happy", "bob happy", "cid " + odd, "dan happy", "eve happy"}
	if got := moods(); !slices.Equal(got, rows) {
		t.Fatalf("rows after the second downgrade: %q", got)
	}
	// A type something autogen does not convert uses cannot be made anew.
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `CREATE FUNCTION cheer(m mood) RETURNS mood LANGUAGE sql AS $$SELECT 'happy'::mood$$`)
	a.write("models/models.go", enumModels("'happy', 'sad'"))
	a.fails(2, "enum type mood is used by function cheer(mood), which autogen does not convert", "revision", "-m", "fewer")
	mustExecPG(t, pg, `DROP FUNCTION cheer`)
	a.ok("downgrade", "base")
	if got := queryStrings(t, pg.DB, "SELECT typname FROM pg_type WHERE typname = 'mood'"); len(got) != 0 {
		t.Errorf("type mood left after downgrade base")
	}

	// The offline script does the same under psql -v ON_ERROR_STOP=1.
	script, _ := a.ok("upgrade", "--sql", "base:head")
	mustExecPG(t, pg, "DROP TABLE alembic_version")
	runPsql(t, pg, script)
	if got, want := labels(), []string{"fine", "happy", "meh", odd, "great"}; !slices.Equal(got, want) {
		t.Errorf("labels after the offline script: %q, want %q", got, want)
	}
}

// newest is the body of the revision whose message holds msg.
func newest(t *testing.T, a *app, msg string) string {
	t.Helper()
	for _, v := range a.versions() {
		if b := readFile(t, v); strings.Contains(b, "-- "+msg+"\n") {
			return b
		}
	}
	t.Fatalf("no revision %q", msg)
	return ""
}

// Two models sharing one enum type, each hook creating it with the DO
// block bun apps use (PostgreSQL has no CREATE TYPE IF NOT EXISTS): the
// revision creates the type once, before both tables, and runs both ways.
func TestPostgresSharedEnumDoBlock(t *testing.T) {
	hook := func(model string) string {
		return "func (*" + model + ") BeforeCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {\n" +
			"\t_, err := q.DB().ExecContext(ctx, `DO $$ BEGIN CREATE TYPE mood AS ENUM ('happy', 'sad'); " +
			"EXCEPTION WHEN duplicate_object THEN null; END $$;`)\n\treturn err\n}\n\n"
	}
	models := "package models\n\nimport (\n\t\"context\"\n\n\t\"github.com/uptrace/bun\"\n)\n\n" +
		"// Person has a mood.\ntype Person struct {\n\tbun.BaseModel `bun:\"table:people\"`\n\n" +
		"\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tMood string `bun:\"mood,type:mood,notnull\"`\n}\n\n" +
		"// Pet has a mood too.\ntype Pet struct {\n\tbun.BaseModel `bun:\"table:pets\"`\n\n" +
		"\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tMood string `bun:\"mood,type:mood\"`\n}\n\n" +
		"// BeforeCreateTable creates the shared type unless it exists.\n" + hook("Person") +
		"// BeforeCreateTable creates the shared type unless it exists.\n" + hook("Pet")
	a, pg := pgInit(t, models)
	a.ok("revision", "-m", "moods")
	body := newest(t, a, "moods")
	if strings.Count(body, "CREATE TYPE mood") != 1 || strings.Contains(body, "DO $$") ||
		strings.Index(body, "CREATE TYPE mood") > strings.Index(body, "CREATE TABLE") {
		t.Errorf("revision:\n%s", body)
	}
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO people (mood) VALUES ('sad'); INSERT INTO pets (mood) VALUES ('happy')`)
	a.ok("check")
	a.ok("check", "--migrations")
	a.ok("downgrade", "base")
	if got := queryStrings(t, pg.DB, "SELECT typname FROM pg_type WHERE typname = 'mood'"); len(got) != 0 {
		t.Errorf("type left after downgrade base: %q", got)
	}
}

// runPsql runs script with psql -v ON_ERROR_STOP=1 on pg, as the README
// tells users to run an offline script.
func runPsql(t *testing.T, pg *pgtest.Database, script string) {
	t.Helper()
	bin, err := exec.LookPath("psql")
	if err != nil {
		bin = pg.Cluster.BinDir + "/psql"
	}
	psql := exec.Command(bin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", pg.URL)
	psql.Stdin = strings.NewReader(script)
	if out, err := psql.CombinedOutput(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
}
