package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// A primary key that another table's foreign key references changes
// through the CLI: the revision drops the foreign key, changes the key and
// adds the foreign key back, and the rows survive the upgrade and the
// downgrade.
func TestPostgresReferencedPrimaryKey(t *testing.T) {
	models := withoutAge(exampleModels(t))
	a, pg := pgWithRows(t, models)

	const from = "\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tName string `bun:\"name,notnull,unique\"`\n"
	const to = "\tID   int64  `bun:\"id,pk,autoincrement,unique\"`\n\tName string `bun:\"name,pk,notnull,unique\"`\n"
	if !strings.Contains(models, from) {
		t.Fatalf("example models changed shape; update this test:\n%s", models)
	}
	a.write("models/models.go", strings.Replace(models, from, to, 1))
	body := revisionWritten(t, a, "team key")
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

// With postgresql_safe_forms = true, an index the models add is written
// as CREATE INDEX CONCURRENTLY in a revision marked no-transaction, which
// the runner applies and undoes on a database holding rows; a value other
// than a boolean is refused naming the key.
func TestPostgresSafeFormsIndex(t *testing.T) {
	models := withoutAge(exampleModels(t))
	a, pg := pgWithRows(t, models)

	ini := readFile(t, filepath.Join(a.dir, "alembic.ini"))
	a.write("alembic.ini", strings.Replace(ini, "[alembic]\n", "[alembic]\npostgresql_safe_forms = maybe\n", 1))
	a.fails(2, "postgresql_safe_forms", "revision", "-m", "bad key")
	a.write("alembic.ini", strings.Replace(ini, "[alembic]\n", "[alembic]\npostgresql_safe_forms = true\n", 1))

	hooked := strings.Replace(models, `import "github.com/uptrace/bun"`, "import (\n\t\"context\"\n\n\t\"github.com/uptrace/bun\"\n)", 1) + `
var _ bun.AfterCreateTableHook = (*Member)(nil)

func (*Member) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().NewCreateIndex().Model((*Member)(nil)).Index("members_name_idx").Column("name").Exec(ctx)
	return err
}
`
	a.write("models/models.go", hooked)
	// Compared with the replayed revisions too, the preview takes the key.
	if out, _ := a.ok("revision", "--migrations", "--dry-run", "-m", "name index"); !strings.Contains(out, "CREATE INDEX CONCURRENTLY members_name_idx") {
		t.Errorf("revision --migrations --dry-run does not write the safe form:\n%s", out)
	}
	body := revisionWritten(t, a, "name index")
	for _, want := range []string{
		"\n-- +autogen no-transaction\n",
		"DROP INDEX CONCURRENTLY IF EXISTS members_name_idx;\n",
		"CREATE INDEX CONCURRENTLY members_name_idx ON members USING btree (name);\n",
		"-- lock: SHARE UPDATE EXCLUSIVE on members (reads and writes go on) while the index builds",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("revision lacks %q:\n%s", want, body)
		}
	}
	valid := "SELECT indisvalid::text FROM pg_index WHERE indexrelid::regclass::text = 'members_name_idx'"
	a.ok("upgrade", "head")
	if got := queryStrings(t, pg.DB, valid); !slices.Equal(got, []string{"true"}) {
		t.Fatalf("index after the upgrade: %v", got)
	}
	a.ok("check")
	a.ok("downgrade", "-1")
	if got := queryStrings(t, pg.DB, valid); len(got) != 0 {
		t.Fatalf("index after the downgrade: %v", got)
	}
	if got := queryStrings(t, pg.DB, "SELECT count(*) FROM members"); !slices.Equal(got, []string{"3"}) {
		t.Fatalf("members after the downgrade: %v", got)
	}
	a.ok("upgrade", "head")
	a.ok("check")
	a.ok("check", "--migrations") // the runner replays the no-transaction revision on a scratch database
}

// revisionWritten runs revision -m message and returns the file it wrote.
func revisionWritten(t *testing.T, a *app, message string) string {
	t.Helper()
	before := a.versions()
	a.ok("revision", "-m", message)
	for _, v := range a.versions() {
		if !slices.Contains(before, v) {
			return readFile(t, v)
		}
	}
	t.Fatalf("revision -m %q wrote no file", message)
	return ""
}

// pgWithRows is the example module on PostgreSQL at its first revision,
// with two teams and three members.
func pgWithRows(t *testing.T, models string) (*app, *pgtest.Database) {
	t.Helper()
	a, pg := pgInit(t, models)
	a.ok("revision", "-m", "Initial Tables")
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO teams (name) VALUES ('red'), ('blue');
		INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 2), ('cid', 2)`)
	return a, pg
}

// With postgresql_safe_forms = true, a field becoming notnull is written
// as a CHECK added NOT VALID, validated, then SET NOT NULL and the CHECK
// dropped, outside a transaction; the runner applies and undoes it on a
// table holding rows, and no temporary CHECK is left behind.
func TestPostgresSafeFormsNotNull(t *testing.T) {
	models := withAge(t, withoutAge(exampleModels(t)))
	a, pg := pgWithRows(t, models)
	mustExecPG(t, pg, "UPDATE members SET age = id * 10")
	ini := readFile(t, filepath.Join(a.dir, "alembic.ini"))
	a.write("alembic.ini", strings.Replace(ini, "[alembic]\n", "[alembic]\npostgresql_safe_forms = on\n", 1))
	a.write("models/models.go", strings.Replace(models, ageField, "\tAge    int    `bun:\"age,notnull\"`\n", 1))
	body := revisionWritten(t, a, "age required")
	for _, want := range []string{"\n-- +autogen no-transaction\n", " NOT VALID;\n", " VALIDATE CONSTRAINT autogen_not_null_", "ALTER TABLE members ALTER COLUMN age SET NOT NULL;\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("revision lacks %q:\n%s", want, body)
		}
	}
	notNull := "SELECT attnotnull::text FROM pg_attribute WHERE attrelid = 'members'::regclass AND attname = 'age'"
	checks := "SELECT conname FROM pg_constraint WHERE conrelid = 'members'::regclass AND contype = 'c'"
	a.ok("upgrade", "head")
	if got := queryStrings(t, pg.DB, notNull); !slices.Equal(got, []string{"true"}) || len(queryStrings(t, pg.DB, checks)) != 0 {
		t.Fatalf("after the upgrade: NOT NULL %v, checks %v", got, queryStrings(t, pg.DB, checks))
	}
	a.ok("check")
	a.ok("downgrade", "-1")
	if got := queryStrings(t, pg.DB, notNull); !slices.Equal(got, []string{"false"}) {
		t.Fatalf("after the downgrade: NOT NULL %v", got)
	}
	if got := queryStrings(t, pg.DB, "SELECT string_agg(age::text, ',' ORDER BY id) FROM members"); !slices.Equal(got, []string{"10,20,30"}) {
		t.Fatalf("ages after the downgrade: %v", got)
	}
}
