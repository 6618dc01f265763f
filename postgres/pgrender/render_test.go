package pgrender_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/golden"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// renderCase is a live schema holding rows and the schema the models want.
type renderCase struct {
	name    string
	current []string // DDL and INSERTs run on the live database
	target  []string // the models' DDL
	diffs   int      // how many operations diff.Compare finds
	renames diff.Options
}

const teams = `CREATE TABLE teams (id bigserial PRIMARY KEY, name varchar(100) NOT NULL)`

var renderCases = []renderCase{
	{name: "create_tables", current: nil, target: []string{
		teams,
		`CREATE TABLE members (id bigserial PRIMARY KEY, team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
			email text NOT NULL UNIQUE, score numeric(10,2) DEFAULT 0, "Select" int CHECK ("Select" > 0))`,
		`CREATE INDEX members_team_idx ON members (team_id) WHERE score > 0`,
		`CREATE INDEX members_lower_email ON members USING hash (lower(email))`,
	}, diffs: 2},
	{name: "add_drop_column", current: []string{
		teams, `ALTER TABLE teams ADD COLUMN old text`,
		`INSERT INTO teams (name, old) VALUES ('a', 'x'), ('b', NULL)`,
	}, target: []string{
		teams, `ALTER TABLE teams ADD COLUMN active boolean NOT NULL DEFAULT true, ADD COLUMN note text`,
	}, diffs: 3},
	{name: "drop_not_null_column", current: []string{
		teams, `ALTER TABLE teams ADD COLUMN code integer NOT NULL DEFAULT 7`, `ALTER TABLE teams ALTER COLUMN code DROP DEFAULT`,
		`INSERT INTO teams (name, code) VALUES ('a', 1)`,
	}, target: []string{teams}, diffs: 1},
	{name: "alter_columns", current: []string{
		teams, `ALTER TABLE teams ADD COLUMN n text, ADD COLUMN d text DEFAULT 'x', ADD COLUMN m text NOT NULL DEFAULT ''`,
		`INSERT INTO teams (name, n) VALUES ('a', '12'), ('b', NULL)`,
	}, target: []string{
		`CREATE TABLE teams (id bigserial PRIMARY KEY, name varchar(200) NOT NULL, n integer, d text NOT NULL DEFAULT 'y', m text)`,
	}, diffs: 6},
	{name: "indexes_and_constraints", current: []string{
		teams, `CREATE TABLE members (id bigserial PRIMARY KEY, team_id bigint, email text, age int)`,
		`CREATE INDEX members_email_idx ON members (email)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO members (team_id, email, age) VALUES (1, 'x', 3)`,
	}, target: []string{
		teams, `CREATE TABLE members (id bigserial PRIMARY KEY, team_id bigint REFERENCES teams ON DELETE SET NULL,
			email text, age int CONSTRAINT adult CHECK (age >= 0), CONSTRAINT one_email UNIQUE (team_id, email))`,
		`CREATE UNIQUE INDEX members_lower_email ON members (lower(email) DESC NULLS LAST) WHERE age > 1`,
	}, diffs: 5},
	{name: "drop_table", current: []string{
		teams, `CREATE TABLE "Odd ""name""" (id int PRIMARY KEY, team_id bigint REFERENCES teams)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO "Odd ""name""" VALUES (1, 1)`,
	}, target: []string{teams}, diffs: 1},
	{name: "primary_key", current: []string{
		`CREATE TABLE tags (code text NOT NULL, lang text NOT NULL, CONSTRAINT tags_pkey PRIMARY KEY (code))`,
		`INSERT INTO tags VALUES ('a', 'en')`,
	}, target: []string{
		`CREATE TABLE tags (code text NOT NULL, lang text NOT NULL, PRIMARY KEY (code, lang))`,
	}, diffs: 1},
	{name: "primary_key_referenced", current: []string{
		teams, `CREATE TABLE members (id int PRIMARY KEY, team_id bigint, team_name varchar(100),
			CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED)`,
		`CREATE TABLE "Audit ""log""" (id int PRIMARY KEY, team bigint REFERENCES teams DEFERRABLE)`,
		`INSERT INTO teams (name) VALUES ('a'), ('b')`, `INSERT INTO members VALUES (1, 1, 'a'), (2, NULL, NULL)`,
		`INSERT INTO "Audit ""log""" VALUES (1, 2)`,
	}, target: []string{
		`CREATE TABLE teams (id bigserial, name varchar(100) NOT NULL, PRIMARY KEY (id, name), UNIQUE (id))`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id bigint, team_name varchar(100),
			CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED)`,
		`CREATE TABLE "Audit ""log""" (id int PRIMARY KEY, team bigint REFERENCES teams (id) DEFERRABLE)`,
	}, diffs: 2},
	{name: "unique_referenced", current: []string{
		`CREATE TABLE tags (id int PRIMARY KEY, code text NOT NULL CONSTRAINT tags_code UNIQUE)`,
		`CREATE TABLE posts (id int PRIMARY KEY, tag text CONSTRAINT posts_tag REFERENCES tags (code) ON UPDATE CASCADE)`,
		`INSERT INTO tags VALUES (1, 'go'), (2, 'pg')`, `INSERT INTO posts VALUES (1, 'go'), (2, NULL)`,
	}, target: []string{
		`CREATE TABLE tags (id int NOT NULL, code text CONSTRAINT tags_pkey PRIMARY KEY)`,
		`CREATE TABLE posts (id int PRIMARY KEY, tag text CONSTRAINT posts_tag REFERENCES tags (code) ON UPDATE CASCADE)`,
	}, diffs: 2},
	{name: "primary_key_fk_moves", current: []string{
		`CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL)`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id int REFERENCES teams ON DELETE CASCADE, team_name text)`,
		`INSERT INTO teams VALUES (1, 'a'), (2, 'b')`, `INSERT INTO members VALUES (1, 1, 'a'), (2, 2, 'b'), (3, NULL, NULL)`,
	}, target: []string{
		`CREATE TABLE teams (id int NOT NULL, name text PRIMARY KEY)`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id int, team_name text REFERENCES teams ON UPDATE CASCADE)`,
	}, diffs: 3},
	{name: "primary_key_fk_altered", current: []string{
		teams, `CREATE TABLE members (id int PRIMARY KEY, team_id bigint CONSTRAINT members_team REFERENCES teams ON DELETE SET NULL)`,
		`INSERT INTO teams (name) VALUES ('a'), ('b')`, `INSERT INTO members VALUES (1, 1), (2, NULL)`,
	}, target: []string{
		`CREATE TABLE teams (id bigserial, name varchar(100) NOT NULL, PRIMARY KEY (id, name), UNIQUE (id))`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id bigint CONSTRAINT members_team REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE)`,
	}, diffs: 3},
	{name: "primary_key_renamed_self", current: []string{
		teams, `ALTER TABLE teams ADD COLUMN parent bigint CONSTRAINT "parent ""team""" REFERENCES teams ON DELETE SET NULL`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id bigint CONSTRAINT members_team REFERENCES teams ON DELETE CASCADE)`,
		`INSERT INTO teams (name, parent) VALUES ('a', NULL), ('b', 1)`, `INSERT INTO members VALUES (1, 1), (2, 2)`,
	}, target: []string{
		`CREATE TABLE squads (id bigserial, name varchar(100) NOT NULL,
			parent bigint CONSTRAINT "parent ""team""" REFERENCES squads (id) ON DELETE SET NULL, CONSTRAINT teams_pkey PRIMARY KEY (id, name), UNIQUE (id))`,
		`CREATE TABLE members (id int PRIMARY KEY, team_id bigint CONSTRAINT members_team REFERENCES squads (id) ON DELETE CASCADE)`,
	}, renames: diff.Options{TableRenames: map[string]string{"teams": "squads"}}, diffs: 4},
	{name: "hostile_names", current: []string{
		teams, "ALTER TABLE teams ADD COLUMN \"line\nbreak -- */ ;\" text",
		"INSERT INTO teams (name, \"line\nbreak -- */ ;\") VALUES ('a', 'v')",
	}, target: []string{
		teams, "CREATE TABLE \"x\"\"; DROP TABLE teams; --\" (\"select\" int PRIMARY KEY)",
	}, diffs: 2},
	{name: "renames_fk_view", current: []string{
		teams, `CREATE TABLE people (id bigserial PRIMARY KEY, team bigint REFERENCES teams ON DELETE CASCADE, nick text)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO people (team, nick) VALUES (1, 'n')`,
	}, target: []string{
		teams, `CREATE TABLE members (id bigserial PRIMARY KEY, team bigint REFERENCES teams ON DELETE RESTRICT, "Nick Name" text)`,
		`CREATE VIEW member_names AS SELECT "Nick Name" FROM members`,
	}, renames: diff.Options{TableRenames: map[string]string{"people": "members"},
		ColumnRenames: map[string]map[string]string{"people": {"nick": "Nick Name"}}}, diffs: 6},
}

// setUp builds tc's live database on a fresh one of the test cluster and
// compares it with tc's target.
func (tc renderCase) setUp(t *testing.T) (db *sql.DB, current, target *schema.Schema, ops []diff.Op) {
	t.Helper()
	db = pgtest.New(t).DB
	for _, s := range tc.current {
		mustExec(t, db, s)
	}
	current = inspect(t, db)
	target, err := postgres.Target(context.Background(), db, tc.target, postgres.TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ops, err = diff.Compare(current, target, tc.renames); err != nil {
		t.Fatal(err)
	}
	if len(ops) != tc.diffs {
		t.Fatalf("diff.Compare found %d operations, want %d: %v", len(ops), tc.diffs, describe(ops))
	}
	return db, current, target, ops
}

func TestRender(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) { renderOne(t, tc) })
	}
}

// renderOne renders tc, checks the revision on a scratch copy and against
// its golden file, and applies it both ways on the live database holding
// rows, which must come back as they were.
func renderOne(t *testing.T, tc renderCase) {
	t.Helper()
	ctx := context.Background()
	db, current, target, ops := tc.setUp(t)
	res, err := pgrender.Render(ops, current, target)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgrender.Verify(ctx, db, res, current, target); err != nil || len(res.Warnings) > 0 && strings.Contains(strings.Join(res.Warnings, " "), "not checked") {
		t.Fatalf("Verify: %v %v", err, res.Warnings)
	}
	checkSplit(t, res)
	golden.Check(t, filepath.Join("testdata", tc.name+".sql"), "-- upgrade\n"+res.Up+"\n-- downgrade\n"+res.Down)
	lossy, dropped := false, map[string]bool{}
	for _, op := range ops {
		lossy = lossy || op.Destructive()
		if d, ok := op.(*diff.DropTable); ok {
			dropped[d.Old.Name] = true // its rows cannot come back
		}
	}
	before := dump(t, db, lossy, dropped)
	applyBoth(t, db, res, current, target)
	if after := dump(t, db, lossy, dropped); after != before {
		t.Errorf("upgrade then downgrade changed the rows:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// applyBoth runs the upgrade, checks it built target, runs the downgrade
// and checks it gave current back, committing each: the revision's
// statements must run on a database holding rows.
func applyBoth(t *testing.T, db *sql.DB, res *render.Result, current, target *schema.Schema) {
	t.Helper()
	var up, down []string
	for i, c := range res.Changes {
		up = append(up, c.UpStatements...)
		down = append(down, res.Changes[len(res.Changes)-1-i].DownStatements...)
	}
	run(t, db, "upgrade", up)
	if ops := compare(t, inspect(t, db), target); len(ops) > 0 {
		t.Errorf("after the upgrade the database differs from the models: %s", describe(ops))
	}
	run(t, db, "downgrade", down)
	if ops := compare(t, inspect(t, db), current); len(ops) > 0 {
		t.Errorf("after the downgrade the database differs from before: %s", describe(ops))
	}
}

func run(t *testing.T, db *sql.DB, what string, stmts []string) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.Exec(s); err != nil {
			t.Fatalf("%s: %s: %v", what, s, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func compare(t *testing.T, got, want *schema.Schema) []diff.Op {
	t.Helper()
	ops, err := diff.Compare(got, want, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

func mustExec(t *testing.T, db *sql.DB, s string) {
	t.Helper()
	if _, err := db.Exec(s); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
}

func inspect(t *testing.T, db *sql.DB) *schema.Schema {
	t.Helper()
	s, err := postgres.Inspect(context.Background(), db, postgres.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func describe(ops []diff.Op) string {
	var out []string
	for _, op := range ops {
		out = append(out, op.Describe())
	}
	return strings.Join(out, "; ")
}

// dump is every row of every table of the public schema as JSON, or only
// how many rows each has when the change loses values (lossy).
func dump(t *testing.T, db *sql.DB, lossy bool, skip map[string]bool) string {
	t.Helper()
	rows, err := db.Query(`SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if !skip[n] {
			tables = append(tables, n)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, n := range tables {
		q := `SELECT coalesce(json_agg(to_jsonb(x) ORDER BY to_jsonb(x)::text)::text, '') FROM ` + sqltext.QuoteIdent(n) + ` x`
		if lossy {
			q = `SELECT count(*)::text FROM ` + sqltext.QuoteIdent(n)
		}
		var out string
		if err := db.QueryRow(q).Scan(&out); err != nil {
			t.Fatal(err)
		}
		b.WriteString(n + ": " + out + "\n")
	}
	return b.String()
}

// Verify refuses SQL that does not do what the operations say, and leaves
// the live schema alone.
func TestVerifyRefuses(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	mustExec(t, db, teams)
	current := inspect(t, db)
	target, err := postgres.Target(ctx, db, []string{teams, `ALTER TABLE teams ADD COLUMN n int`}, postgres.TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ops := compare(t, current, target)
	for name, mutate := range map[string]func(*render.Change){
		"missing statement": func(c *render.Change) { c.UpStatements = nil },
		"wrong downgrade":   func(c *render.Change) { c.DownStatements = []string{"SELECT 1"} },
		"failing statement": func(c *render.Change) { c.UpStatements = []string{"ALTER TABLE nowhere ADD COLUMN n int"} },
	} {
		res, err := pgrender.Render(ops, current, target)
		if err != nil {
			t.Fatal(err)
		}
		mutate(&res.Changes[0])
		if err := pgrender.Verify(ctx, db, res, current, target); !errors.Is(err, pgrender.ErrVerify) {
			t.Errorf("%s: Verify = %v, want ErrVerify", name, err)
		}
	}
	if ops := compare(t, inspect(t, db), current); len(ops) > 0 {
		t.Errorf("Verify changed the live schema: %s", describe(ops))
	}
}

// checkSplit checks that the runner's splitter reads each section as the
// statements Render listed: no name or comment breaks a statement out.
func checkSplit(t *testing.T, res *render.Result) {
	t.Helper()
	var up, down []string
	for i, c := range res.Changes {
		up = append(up, c.UpStatements...)
		down = append(down, res.Changes[len(res.Changes)-1-i].DownStatements...)
	}
	for _, sec := range []struct {
		text  string
		stmts []string
	}{{res.Up, up}, {res.Down, down}} {
		got, err := postgres.SplitStatements(sec.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(sec.stmts) {
			t.Fatalf("the splitter reads %d statements, Render listed %d:\n%s", len(got), len(sec.stmts), sec.text)
		}
		for i := range got {
			if !strings.HasSuffix(got[i], sec.stmts[i]) {
				t.Errorf("statement %d reads %q, Render listed %q", i+1, got[i], sec.stmts[i])
			}
		}
	}
}

// Verify copies the tables linked by keys, not only those the operations
// name: a revision that changes a referenced primary key checks out with
// the dependent foreign keys dropped and added back, and is caught
// without them.
func TestVerifyLinkedTables(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	other := `CREATE TABLE other (id int PRIMARY KEY)`
	members := `CREATE TABLE members (id int PRIMARY KEY, team_id bigint REFERENCES teams (id))`
	for _, s := range []string{teams, members, other} {
		mustExec(t, db, s)
	}
	current, target, ops, res := renderTarget(t, db, []string{
		`CREATE TABLE teams (id bigserial, name varchar(100) NOT NULL, PRIMARY KEY (id, name), UNIQUE (id))`, members, other,
	}, pgrender.Options{})
	if err := pgrender.Verify(ctx, db, res, current, target); err != nil {
		t.Fatalf("Verify = %v (ops: %s)", err, describe(ops))
	}
	if deps := pgrender.Dependents(ops, current, target); len(deps) != 1 || deps[0].ForeignKey.Name != "members_team_id_fkey" {
		t.Fatalf("Dependents = %+v, want members_team_id_fkey", deps)
	}
	res.Changes[0].UpStatements = nil // the foreign key stays while its key is dropped
	err := pgrender.Verify(ctx, db, res, current, target)
	if !errors.Is(err, pgrender.ErrVerify) || !strings.Contains(err.Error(), "depend") {
		t.Fatalf("Verify = %v, want ErrVerify naming the dependent key", err)
	}
}

// renderTarget renders the change from db's schema to the one ddl builds.
func renderTarget(t *testing.T, db *sql.DB, ddl []string, opts pgrender.Options) (current, target *schema.Schema, ops []diff.Op, res *render.Result) {
	t.Helper()
	current = inspect(t, db)
	target, err := postgres.Target(context.Background(), db, ddl, postgres.TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ops = compare(t, current, target)
	if res, err = pgrender.RenderWith(ops, current, target, opts); err != nil {
		t.Fatal(err)
	}
	return current, target, ops, res
}
