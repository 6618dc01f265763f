package verify

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// renderChecked is Render on in-memory scratch databases, as autogen runs
// it.
func renderChecked(ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	return Render(context.Background(), schema.OpenMemory, ops, current, target)
}

// sqlOf is renderChecked's two sections.
func sqlOf(ops []diff.Op, current, target *schema.Schema) (up, down string, err error) {
	r, err := renderChecked(ops, current, target)
	if err != nil {
		return "", "", err
	}
	return r.Up, r.Down, nil
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// renderCase is a current schema holding rows and a target schema; the
// test renders the difference, compares it with testdata/<name>.golden,
// and applies it up and down on the database.
type renderCase struct {
	name    string
	current string // DDL
	rows    string // INSERTs into current
	target  string // DDL
	opts    diff.Options
	// rebuild names the tables whose upgrade must be a rebuild; the others
	// must change in place.
	rebuild []string
	warns   int
	// check runs on the upgraded database and says what is wrong, or "";
	// checkDown on the downgraded one.
	check, checkDown func(d *sqlitetest.DB) string
	// bare also applies the SQL, up and down, on a database made from
	// current without its views and triggers, as hand-made objects exist
	// only where they were made.
	bare bool
}

var renderCases = []renderCase{
	{name: "add_column", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER`)},
	{name: "add_column_not_null_default", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER NOT NULL DEFAULT 0`)},
	{name: "add_column_current_timestamp", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "created" TIMESTAMP DEFAULT CURRENT_TIMESTAMP`), rebuild: []string{"members"}},
	{name: "add_column_middle", target: sqlitetest.Members(`"age" INTEGER, "name" VARCHAR(100), "nick" VARCHAR`)},
	{name: "add_column_with_fk",
		current: sqlitetest.TeamsDDL + `CREATE TABLE "posts" ("id" INTEGER NOT NULL, PRIMARY KEY ("id"));` + sqlitetest.MembersDDL,
		rows:    sqlitetest.BaseRows + `INSERT INTO posts VALUES (1);`,
		target:  sqlitetest.TeamsDDL + `CREATE TABLE "posts" ("id" INTEGER NOT NULL, "team_id" INTEGER, PRIMARY KEY ("id"), FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE SET NULL);` + sqlitetest.MembersDDL,
	},
	{name: "add_column_not_null_no_default", rows: `INSERT INTO teams VALUES (1, 'red');`,
		target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER NOT NULL`), rebuild: []string{"members"}, warns: 1},
	{name: "drop_column", target: sqlitetest.Members(`"name" VARCHAR(100)`)},
	{name: "drop_column_in_check", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR CHECK (nick <> '')`),
		target: sqlitetest.Members(`"name" VARCHAR(100)`), rebuild: []string{"members"}},
	{name: "drop_indexed_column", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE INDEX "ix_nick" ON "members" ("nick");`,
		target: sqlitetest.Members(`"name" VARCHAR(100)`)},
	{name: "rename_column", target: sqlitetest.Members(`"name" VARCHAR(100), "nickname" VARCHAR`),
		opts: diff.Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "nickname"}}}},
	{name: "rename_table", target: sqlitetest.TeamsDDL + strings.Replace(sqlitetest.MembersDDL, `"members"`, `"people"`, 1),
		opts: diff.Options{TableRenames: map[string]string{"members": "people"}}},
	{name: "alter_type", target: sqlitetest.Members(`"name" VARCHAR(50), "nick" VARCHAR`), rebuild: []string{"members"}},
	{name: "set_not_null_default", target: sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT 'anon', "nick" VARCHAR`),
		rebuild: []string{"members"}, check: wantRows("SELECT name FROM members ORDER BY id", "ann", "anon", "cid")},
	{name: "set_not_null_in_place", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR DEFAULT 'x'`), target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR NOT NULL DEFAULT 'x'`),
		check: wantRows("SELECT nick FROM members ORDER BY id", "a", "b", "x")},
	{name: "not_null_coalesce_rebuild", target: sqlitetest.Members(`"name" TEXT NOT NULL DEFAULT 'anon', "nick" VARCHAR`),
		rebuild: []string{"members"}, check: wantRows("SELECT name FROM members ORDER BY id", "ann", "anon", "cid")},
	{name: "drop_not_null", current: sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT '', "nick" VARCHAR`),
		rows:   `INSERT INTO teams VALUES (1, 'red'); INSERT INTO members VALUES (1, 1, 'ann', NULL);`,
		target: sqlitetest.Members(`"name" VARCHAR(100) DEFAULT '', "nick" VARCHAR`)},
	{name: "alter_default", target: sqlitetest.Members(`"name" VARCHAR(100) DEFAULT 'x', "nick" VARCHAR`), rebuild: []string{"members"}},
	{name: "alter_collation", target: sqlitetest.Members(`"name" VARCHAR(100) COLLATE NOCASE, "nick" VARCHAR`), rebuild: []string{"members"}},
	{name: "alter_generated", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "u" VARCHAR AS (upper(name))`),
		target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "u" VARCHAR AS (lower(name))`), rebuild: []string{"members"}},
	{name: "add_index", target: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE INDEX "ix_members_name" ON "members" ("name");`},
	{name: "drop_index", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE UNIQUE INDEX "ix_members_name" ON "members" ("name") WHERE name IS NOT NULL;`},
	{name: "add_unique", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "uq_nick" UNIQUE ("nick")`), rebuild: []string{"members"}},
	{name: "drop_unique", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR UNIQUE`), rebuild: []string{"members"}},
	{name: "add_foreign_key", current: sqlitetest.TeamsDDL + `CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER, "name" VARCHAR(100), "nick" VARCHAR, PRIMARY KEY ("id"));`,
		rebuild: []string{"members"}},
	{name: "foreign_key_action", target: strings.Replace(sqlitetest.TeamsDDL+sqlitetest.MembersDDL, "ON DELETE CASCADE", "ON DELETE SET NULL", 1), rebuild: []string{"members"}},
	{name: "add_check", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "ck_id" CHECK (id > 0)`)},
	{name: "drop_check", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "ck_id" CHECK (id > 0)`)},
	{name: "drop_unnamed_check", current: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CHECK (id > 0)`), rebuild: []string{"members"}},
	{name: "primary_key", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TABLE "tags" ("member_id" INTEGER NOT NULL, "tag" TEXT NOT NULL, PRIMARY KEY ("member_id"));`,
		rows:    sqlitetest.BaseRows + `INSERT INTO tags VALUES (1, 'x'), (2, 'x');`,
		target:  sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TABLE "tags" ("member_id" INTEGER NOT NULL, "tag" TEXT NOT NULL, PRIMARY KEY ("member_id", "tag"));`,
		rebuild: []string{"tags"}},
	{name: "create_tables", current: `CREATE TABLE "other" ("id" INTEGER PRIMARY KEY);`, rows: `INSERT INTO other VALUES (1);`,
		target: `CREATE TABLE "other" ("id" INTEGER PRIMARY KEY);` + sqlitetest.MembersDDL + sqlitetest.TeamsDDL + `CREATE INDEX "ix_members_name" ON "members" ("name");`},
	{name: "drop_tables", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TABLE "other" ("id" INTEGER PRIMARY KEY); CREATE INDEX "ix_members_name" ON "members" ("name");
CREATE TRIGGER "tr_members" AFTER INSERT ON "members" BEGIN SELECT 1; END;`, rows: sqlitetest.BaseRows,
		target: `CREATE TABLE "other" ("id" INTEGER PRIMARY KEY);`},
	{name: "cascade_parent_rebuild", target: `CREATE TABLE "teams" ("id" INTEGER NOT NULL, "name" TEXT NOT NULL, PRIMARY KEY ("id"));` + sqlitetest.MembersDDL,
		rebuild: []string{"teams"}, check: wantRows("SELECT count(*) FROM members", "3")},
	{name: "view_trigger_rebuild",
		current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TABLE "log" ("msg" TEXT);
CREATE VIEW "v_members" AS SELECT m.name, t.name AS team FROM members AS m JOIN teams AS t ON t.id = m.team_id;
CREATE VIEW "v_count" AS SELECT count(*) AS n FROM v_members;
CREATE TRIGGER "tr_members" AFTER INSERT ON "members" BEGIN INSERT INTO log VALUES ('member ' || new.name); END;
CREATE TRIGGER "tr_log" AFTER INSERT ON "log" BEGIN UPDATE members SET nick = nick WHERE 0; END;`,
		target:  sqlitetest.Members(`"name" VARCHAR(20), "nick" VARCHAR`) + `CREATE TABLE "log" ("msg" TEXT);`,
		rebuild: []string{"members"},
		check: func(d *sqlitetest.DB) string {
			d.Exec(`INSERT INTO members VALUES (9, 1, 'zed', NULL)`)
			return wantRows("SELECT (SELECT n FROM v_count) || ' ' || (SELECT msg FROM log ORDER BY rowid DESC LIMIT 1)", "4 member zed")(d)
		}},
	{name: "rename_column_rebuild",
		current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TABLE "log" ("msg" TEXT);
CREATE TRIGGER "tr_members" AFTER UPDATE OF "nick" ON "members" BEGIN INSERT INTO log VALUES (new.nick); END;`,
		target:  sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT '?', "handle" VARCHAR`) + `CREATE TABLE "log" ("msg" TEXT);`,
		opts:    diff.Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "handle"}}},
		rebuild: []string{"members"},
		check: func(d *sqlitetest.DB) string {
			d.Exec(`UPDATE members SET handle = 'h' WHERE id = 1`)
			return wantRows("SELECT msg FROM log", "h")(d)
		}},
	{name: "merged_rebuild", target: sqlitetest.Members(`"name" TEXT NOT NULL DEFAULT '', "score" INTEGER DEFAULT 0, CONSTRAINT "uq_name" UNIQUE ("name"), CHECK (score >= 0)`) +
		`CREATE INDEX "ix_score" ON "members" ("score");`, rebuild: []string{"members"}},
	{name: "views_and_triggers", target: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" AS SELECT name FROM teams;
CREATE TRIGGER "tr" AFTER DELETE ON "teams" BEGIN SELECT 1; END;`},
	{name: "drop_unmanaged", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" AS SELECT name FROM teams;
CREATE TRIGGER "tr" AFTER DELETE ON "teams" BEGIN SELECT 1; END;`, opts: diff.Options{DropUnmanaged: true}},
	// managed: made by autogen for the models (the marker), so dropped once
	// the models lose them; the downgrade recreates them marked.
	{name: "drop_managed", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" /* autogen: managed */ AS SELECT name FROM teams;
CREATE TRIGGER "tr" /* autogen: managed */ AFTER DELETE ON "teams" BEGIN SELECT 1; END;
CREATE TRIGGER "mine" AFTER DELETE ON "teams" BEGIN SELECT 2; END;`,
		target: sqlitetest.TeamsDDL + sqlitetest.MembersDDL,
		check:  wantRows(`SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name`, "mine"),
		checkDown: wantRows(`SELECT sql FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name`,
			`CREATE TRIGGER "mine" AFTER DELETE ON "teams" BEGIN SELECT 2; END`,
			`CREATE TRIGGER "tr" /* autogen: managed */ AFTER DELETE ON "teams" BEGIN SELECT 1; END`,
			`CREATE VIEW "v" /* autogen: managed */ AS SELECT name FROM teams`)},
	// a managed view and the INSTEAD OF trigger on it leave the models
	// together: the downgrade must create the view before the trigger.
	{name: "drop_managed_view_with_trigger", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" /* autogen: managed */ AS SELECT id, name FROM teams;
CREATE TRIGGER "v_ins" /* autogen: managed */ INSTEAD OF INSERT ON "v" BEGIN INSERT INTO teams (name) VALUES (NEW.name); END;`,
		target:    sqlitetest.TeamsDDL + sqlitetest.MembersDDL,
		check:     wantRows(`SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger')`, "0"),
		checkDown: wantRows(`SELECT name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name`, "v", "v_ins")},
	// a rebuild recreates a managed trigger with SQLite's text: still marked.
	{name: "rebuild_keeps_managed_trigger", current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE TRIGGER "tr" /* autogen: managed */ AFTER DELETE ON "members" BEGIN SELECT 1; END;`,
		rows:    sqlitetest.BaseRows,
		target:  sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT '', "nick" VARCHAR`) + `CREATE TRIGGER "tr" AFTER DELETE ON "members" BEGIN SELECT 1; END;`,
		rebuild: []string{"members"},
		check: wantRows(`SELECT sql FROM sqlite_master WHERE type = 'trigger'`,
			`CREATE TRIGGER "tr" /* autogen: managed */ AFTER DELETE ON "members" BEGIN SELECT 1; END`),
		checkDown: wantRows(`SELECT sql FROM sqlite_master WHERE type = 'trigger'`,
			`CREATE TRIGGER "tr" /* autogen: managed */ AFTER DELETE ON "members" BEGIN SELECT 1; END`)},
	{name: "fk_cycle", current: `CREATE TABLE "keep" ("id" INTEGER PRIMARY KEY);`, rows: `INSERT INTO keep VALUES (1);`,
		target: `CREATE TABLE "keep" ("id" INTEGER PRIMARY KEY);
CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "b_id" INTEGER REFERENCES "b" ("id"));
CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER REFERENCES "a" ("id"));`},
}

func wantRows(query string, want ...string) func(*sqlitetest.DB) string {
	return func(d *sqlitetest.DB) string {
		got := d.Strings(query)
		if !slices.Equal(got, want) {
			return query + ": got " + strings.Join(got, ", ") + "; want " + strings.Join(want, ", ")
		}
		return ""
	}
}

func TestRender(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.current == "" {
				tc.current = sqlitetest.TeamsDDL + sqlitetest.MembersDDL
			}
			if tc.target == "" {
				tc.target = sqlitetest.TeamsDDL + sqlitetest.MembersDDL
			}
			if tc.rows == "" {
				tc.rows = sqlitetest.BaseRows
			}
			runCase(t, tc)
		})
	}
}

func runCase(t *testing.T, tc renderCase) {
	cur, tgt, ops := sqlitetest.CompareDDL(t, tc.current, tc.target, tc.opts)
	if len(ops) == 0 {
		t.Fatal("no operations")
	}
	res, err := renderChecked(ops, cur, tgt)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, tc.name, "-- +autogen upgrade\n"+res.Up+"\n-- +autogen downgrade\n"+res.Down)
	if len(res.Warnings) != tc.warns {
		t.Errorf("warnings %q, want %d", res.Warnings, tc.warns)
	}
	for _, tbl := range tgt.Tables {
		rebuilt := strings.Contains(res.Up, "CREATE TABLE "+sqltext.QuoteIdent(render.TempPrefix+tbl.Name))
		if want := slices.Contains(tc.rebuild, tbl.Name); rebuilt != want {
			t.Errorf("table %s rebuilt = %v, want %v", tbl.Name, rebuilt, want)
		}
	}
	if !slices.Equal(res.Rebuilt, tc.rebuild) {
		t.Errorf("render.Result.Rebuilt = %q, want %q", res.Rebuilt, tc.rebuild)
	}
	if tc.warns > 0 {
		return // the upgrade is meant to fail on rows; Assess covers it
	}
	d := sqlitetest.New(t, tc.current, tc.rows)
	before := d.Master()
	kept := sqlitetest.KeptColumns(ops, cur, tgt)
	snapA := d.Snapshot(kept, false)
	if err := d.Migrate(res.Up); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if got := d.Inspect(); !sqlitetest.SameSchema(got, sqlitetest.WithUnmanaged(tgt, cur, tc.opts)) {
		t.Errorf("after upgrade the schema is not the target:\n%s", strings.Join(d.Master(), "\n"))
	}
	if snapB := d.Snapshot(kept, true); !sqlitetest.EqualSnap(snapA, snapB) {
		t.Errorf("upgrade changed rows:\n%v\n%v", snapA, snapB)
	}
	if tc.check != nil {
		if msg := tc.check(d); msg != "" {
			t.Error(msg)
		}
	}
	if err := d.Migrate(res.Down); err != nil {
		t.Fatalf("downgrade: %v", err)
	}
	if got := d.Inspect(); !schema.Equal(got, cur) {
		t.Errorf("after downgrade the schema is not the original:\n%s", strings.Join(d.Master(), "\n"))
	}
	// SQLite's renames re-quote the names they rewrite in views and
	// triggers, so those come back with the same meaning, not the same text.
	requoted := renamesAny(ops)
	if after := d.Master(); !slices.Equal(masterText(before, requoted), masterText(after, requoted)) {
		t.Errorf("downgrade did not restore sqlite_master:\n%s\nwant:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	if tc.checkDown != nil {
		if msg := tc.checkDown(d); msg != "" {
			t.Error(msg)
		}
	}
	if tc.check == nil {
		if snapC := d.Snapshot(kept, false); !sqlitetest.EqualSnap(snapA, snapC) {
			t.Errorf("downgrade changed rows:\n%v\n%v", snapA, snapC)
		}
	}
	if tc.bare {
		runBare(t, tc, res, cur, tgt)
	}
}

// runBare applies the SQL on a database that has none of current's views
// and triggers: it must run, give the target's tables, and give them back.
func runBare(t *testing.T, tc renderCase, res *render.Result, cur, tgt *schema.Schema) {
	bare := *cur
	bare.Views, bare.Triggers = nil, nil
	d := sqlitetest.New(t, bare.CreateScript(), tc.rows)
	if err := d.Migrate(res.Up); err != nil {
		t.Fatalf("upgrade on a database without the views and triggers: %v", err)
	}
	if got := d.Inspect(); !sqlitetest.SameSchema(&schema.Schema{Tables: got.Tables}, &schema.Schema{Tables: tgt.Tables}) {
		t.Errorf("after upgrade without the views and triggers the tables are not the target's:\n%s", strings.Join(d.Master(), "\n"))
	}
	if err := d.Migrate(res.Down); err != nil {
		t.Fatalf("downgrade on a database without the views and triggers: %v", err)
	}
	if got := d.Inspect(); !schema.Equal(&schema.Schema{Tables: got.Tables}, &bare) {
		t.Errorf("after downgrade without the views and triggers the tables are not the original:\n%s", strings.Join(d.Master(), "\n"))
	}
}

func renamesAny(ops []diff.Op) bool {
	return slices.ContainsFunc(ops, func(op diff.Op) bool {
		switch op.(type) {
		case *diff.RenameTable, *diff.RenameColumn:
			return true
		}
		return false
	})
}

// masterText is d.Master()'s rows, with the SQL of views and triggers
// normalised when requoted is set.
func masterText(rows []string, requoted bool) []string {
	out := slices.Clone(rows)
	if !requoted {
		return out
	}
	for i, r := range out {
		head, sql, ok := strings.Cut(r, ": ")
		if ok && (strings.HasPrefix(head, "view ") || strings.HasPrefix(head, "trigger ")) {
			out[i] = head + ": " + schema.NormalizeExpr(sql)
		}
	}
	return out
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("SQL differs from %s:\n%s", path, got)
	}
}

func init() {
	renderCases = append(renderCases,
		renderCase{name: "rename_parent_table",
			target: strings.ReplaceAll(sqlitetest.TeamsDDL+sqlitetest.MembersDDL, `"teams"`, `"groups"`),
			opts:   diff.Options{TableRenames: map[string]string{"teams": "groups"}}},
		renderCase{name: "rename_table_rebuild",
			current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" AS SELECT name FROM members;`,
			target:  sqlitetest.TeamsDDL + strings.Replace(sqlitetest.Members(`"name" TEXT, "nick" VARCHAR`), `"members"`, `"people"`, 1)[len(sqlitetest.TeamsDDL):],
			opts:    diff.Options{TableRenames: map[string]string{"members": "people"}},
			rebuild: []string{"people"},
			check:   wantRows("SELECT count(*) FROM v", "3")},
	)
}

func init() {
	const auto = `CREATE TABLE "tickets" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" VARCHAR(100));`
	renderCases = append(renderCases,
		renderCase{name: "autoincrement_rebuild", current: auto,
			rows:    `INSERT INTO tickets (title) VALUES ('a'), ('b'), ('c'); DELETE FROM tickets WHERE id = 3;`,
			target:  `CREATE TABLE "tickets" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "title" TEXT);`,
			rebuild: []string{"tickets"},
			check: func(d *sqlitetest.DB) string {
				d.Exec(`INSERT INTO tickets (title) VALUES ('d')`)
				return wantRows("SELECT id FROM tickets WHERE title = 'd'", "4")(d)
			}},
		renderCase{name: "strict", current: `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "n" INTEGER);`,
			rows:    `INSERT INTO t VALUES (1, 2);`,
			target:  `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "n" INTEGER) STRICT;`,
			rebuild: []string{"t"}},
	)
}

// TestVerifyFallsBack feeds Render an in-place change that SQLite refuses
// (a CHECK over a column the table lacks): verify must replace it with a
// rebuild to the target's definition.
func TestVerifyFallsBack(t *testing.T) {
	ddl := `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "n" INTEGER);`
	cur := sqlitetest.New(t, ddl).Inspect()
	tgt := sqlitetest.New(t, ddl).Inspect()
	ops := []diff.Op{&diff.AddCheck{TableName: "t", Check: &schema.Check{Name: "ck", Expr: "nope > 0"}}}
	up, down, err := sqlOf(ops, cur, tgt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(up, `CREATE TABLE "_autogen_new_t"`) || strings.Contains(up, "ADD CONSTRAINT") {
		t.Errorf("upgrade is not a rebuild:\n%s", up)
	}
	d := sqlitetest.New(t, ddl, `INSERT INTO t VALUES (1, 2);`)
	for _, s := range []string{up, down} {
		if err := d.Migrate(s); err != nil {
			t.Fatal(err)
		}
	}
	if got := d.Strings("SELECT n FROM t"); !slices.Equal(got, []string{"2"}) {
		t.Errorf("rows after up and down: %v", got)
	}
}

// TestRenderErrors checks that operations naming tables the schemas lack
// are refused with render.ErrRender.
func TestRenderErrors(t *testing.T) {
	s := sqlitetest.New(t, `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY);`).Inspect()
	ops := []diff.Op{&diff.AddColumn{TableName: "missing", Column: &schema.Column{Name: "x"}}}
	if _, _, err := sqlOf(ops, s, s); !errors.Is(err, render.ErrRender) {
		t.Errorf("err = %v, want render.ErrRender", err)
	}
}
