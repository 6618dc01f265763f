package diff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"

	_ "modernc.org/sqlite"
)

// inspect runs ddl in a fresh in-memory database holding a row per table
// and returns its inspected schema.
func inspect(t *testing.T, ddl string) *schema.Schema {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stmts, err := sqltext.SplitStatements(ddl)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	s, err := schema.Inspect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func describe(ops []Op) string {
	var b strings.Builder
	for _, op := range ops {
		fmt.Fprintf(&b, "%s\n", op.Describe())
	}
	return b.String()
}

const members = `CREATE TABLE "teams" ("id" INTEGER NOT NULL, "name" VARCHAR(100), PRIMARY KEY ("id"));
CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER, "name" VARCHAR(100) NOT NULL DEFAULT 'x' COLLATE NOCASE,
 "nick" VARCHAR, "score" INTEGER DEFAULT (0), "created" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
 "upper_name" VARCHAR GENERATED ALWAYS AS (upper(name)) VIRTUAL,
 PRIMARY KEY ("id"), UNIQUE ("nick"), CONSTRAINT "ck_score" CHECK (score >= 0),
 FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
CREATE INDEX "ix_members_name" ON "members" ("name");`

func TestCompare(t *testing.T) {
	// each case edits the members schema; want lists Describe() lines.
	tests := []struct {
		name    string
		current string
		target  string
		opts    Options
		want    string
		destroy bool
	}{
		{name: "unchanged", current: members, target: members},
		// SQLite folds ASCII only: Σ and σ, K and the Kelvin sign, are
		// different tables, which Go's Unicode folding would make one.
		{name: "names SQLite tells apart",
			current: `CREATE TABLE "Σ" (id INTEGER PRIMARY KEY); CREATE TABLE "K" (id INTEGER PRIMARY KEY, s_id INTEGER REFERENCES "Σ");`,
			target: `CREATE TABLE "Σ" (id INTEGER PRIMARY KEY); CREATE TABLE "σ" (id INTEGER PRIMARY KEY);
CREATE TABLE "K" (id INTEGER PRIMARY KEY, s_id INTEGER REFERENCES "Σ"); CREATE TABLE "k" (id INTEGER PRIMARY KEY, s_id INTEGER REFERENCES "σ");`,
			want: "added table 'σ'\nadded table 'k'\n"},
		{name: "quoting and case",
			current: `CREATE TABLE t (id integer primary key, name varchar(10) default 'x' not null, c text default current_timestamp, CHECK (id > 0));
CREATE INDEX ix ON t (name);`,
			target: `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" VARCHAR (10) NOT NULL DEFAULT ('x'), "c" TEXT DEFAULT CURRENT_TIMESTAMP, CHECK ("id" > 0));
CREATE INDEX "ix" ON "t" ("name");`},
		{name: "create table", current: `CREATE TABLE a (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY);`,
			want:   "added table 'members'\n"},
		{name: "drop table", current: `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE a (id INTEGER PRIMARY KEY);`,
			want:   "removed table 'members'\n", destroy: true},
		{name: "rename table", current: `CREATE TABLE a (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE b (id INTEGER PRIMARY KEY);`, opts: Options{TableRenames: map[string]string{"a": "b"}},
			want: "renamed table 'a' to 'b'\n"},
		{name: "table without hint", current: `CREATE TABLE a (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE b (id INTEGER PRIMARY KEY);`,
			want:   "added table 'b'\nremoved table 'a'\n", destroy: true},
		{name: "add column", current: `CREATE TABLE members (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER);`,
			want:   "added column 'members.age'\n"},
		{name: "drop column", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, nick TEXT);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY);`,
			want:   "removed column 'members.nick'\n", destroy: true},
		{name: "rename column", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, nick TEXT, CHECK (nick <> ''));`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, nickname TEXT, CHECK (nickname <> ''));`,
			opts:   Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "nickname"}}},
			want:   "renamed column 'members.nick' to 'nickname'\n"},
		{name: "alter type wider", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(50));`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(100));`,
			want:   "type change from VARCHAR(50) to VARCHAR(100) on 'members.name'\n"},
		{name: "alter type narrower", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(100));`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name VARCHAR(50));`,
			want:   "type change from VARCHAR(100) to VARCHAR(50) on 'members.name'\n", destroy: true},
		{name: "alter nullable", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
			want:   "NOT NULL on column 'members.name'\n"},
		{name: "alter nullable to NULL", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			want:   "NULL on column 'members.name'\n"},
		{name: "alter default", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'a');`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'b');`,
			want:   "server default on column 'members.name'\n"},
		{name: "remove default", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'a');`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			want:   "removed server default on column 'members.name'\n"},
		{name: "alter collation", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);`,
			want:   "collation change from BINARY to NOCASE on 'members.name'\n"},
		{name: "alter generated", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, u TEXT AS (upper(name)));`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, u TEXT AS (lower(name)));`,
			want:   "generated expression change on column 'members.u'\n"},
		{name: "add index", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX ix_x ON members (name);`,
			want:   "added index 'ix_x' on 'members'\n"},
		{name: "drop index", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX ix_x ON members (name);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			want:   "removed index 'ix_x' on 'members'\n"},
		{name: "change index", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT); CREATE INDEX ix_x ON members (name);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT); CREATE UNIQUE INDEX ix_x ON members (name);`,
			want:   "removed index 'ix_x' on 'members'\nadded index 'ix_x' on 'members'\n"},
		{name: "add unique", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, CONSTRAINT uq_name UNIQUE (name));`,
			want:   "added unique constraint 'uq_name' on 'members'\n"},
		{name: "drop unique", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT UNIQUE);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT);`,
			want:   "removed unique constraint (name) on 'members'\n"},
		{name: "add foreign key", current: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER);`,
			target: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id));`,
			want:   "added foreign key (team_id) -> teams(id) on 'members'\n"},
		{name: "drop foreign key", current: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams);`,
			target: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER);`,
			want:   "removed foreign key (team_id) -> teams on 'members'\n"},
		{name: "foreign key action", current: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id));`,
			target: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE);`,
			want:   "changed foreign key members.team_id -> teams(id): ON DELETE NO ACTION -> CASCADE\n"},
		{name: "foreign key actions and another key", current: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER, boss INTEGER, a INTEGER, b INTEGER,
				FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE ON UPDATE SET NULL, FOREIGN KEY (boss) REFERENCES members (id), FOREIGN KEY (a, b) REFERENCES p (x, y));`,
			target: `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER, boss INTEGER, a INTEGER, b INTEGER,
				FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED, FOREIGN KEY (boss) REFERENCES teams (id), FOREIGN KEY (a, b) REFERENCES p (x, y) ON DELETE SET NULL);`,
			want: "removed foreign key (boss) -> members(id) on 'members'\n" +
				"added foreign key (boss) -> teams(id) on 'members'\n" +
				"changed foreign key members.(a, b) -> p(x, y): ON DELETE NO ACTION -> SET NULL\n" +
				"changed foreign key members.team_id -> teams(id): ON DELETE CASCADE -> RESTRICT, ON UPDATE SET NULL -> NO ACTION, NOT DEFERRABLE -> DEFERRABLE INITIALLY DEFERRED\n"},
		{name: "add check", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER, CONSTRAINT ck_age CHECK (age > 0));`,
			want:   "added check constraint 'ck_age' on 'members'\n"},
		{name: "drop check", current: `CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER CHECK (age > 0));`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY, age INTEGER);`,
			want:   "removed check constraint (age > 0) on 'members'\n"},
		{name: "primary key", current: `CREATE TABLE members (id INTEGER, code TEXT, PRIMARY KEY (id));`,
			target: `CREATE TABLE members (id INTEGER, code TEXT, PRIMARY KEY (id, code));`,
			want:   "modified primary key on 'members': (id) -> (id, code)\n"},
		{name: "strict", current: `CREATE TABLE members (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE members (id INTEGER PRIMARY KEY) STRICT;`,
			want:   "modified table options on 'members'\n"},
		{name: "renamed parent keeps child foreign key",
			current: `CREATE TABLE teams (id INTEGER PRIMARY KEY, code TEXT UNIQUE); CREATE TABLE members (id INTEGER PRIMARY KEY, team_code TEXT REFERENCES teams (code));`,
			target:  `CREATE TABLE groups (id INTEGER PRIMARY KEY, slug TEXT UNIQUE); CREATE TABLE members (id INTEGER PRIMARY KEY, team_code TEXT REFERENCES groups (slug));`,
			opts: Options{TableRenames: map[string]string{"teams": "groups"},
				ColumnRenames: map[string]map[string]string{"teams": {"code": "slug"}}},
			want: "renamed table 'teams' to 'groups'\nrenamed column 'groups.code' to 'slug'\n"},
		{name: "view kept", current: `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target: `CREATE TABLE a (id INTEGER PRIMARY KEY);`},
		{name: "view and trigger dropped on request", current: `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;`,
			target: `CREATE TABLE a (id INTEGER PRIMARY KEY);`, opts: Options{DropUnmanaged: true},
			want: "removed trigger 'tr' on 'a'\nremoved view 'v'\n"},
		{name: "view and trigger created", current: `CREATE TABLE a (id INTEGER PRIMARY KEY);`,
			target: `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE VIEW v AS SELECT id FROM a;
CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; END;`,
			want: "added view 'v'\nadded trigger 'tr' on 'a'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, err := Compare(inspect(t, tt.current), inspect(t, tt.target), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := describe(ops); got != tt.want {
				t.Errorf("Compare:\n%s\nwant:\n%s", got, tt.want)
			}
			destroy := false
			for _, op := range ops {
				destroy = destroy || op.Destructive()
			}
			if destroy != tt.destroy {
				t.Errorf("destructive = %v, want %v", destroy, tt.destroy)
			}
		})
	}
}

func TestCompareOrder(t *testing.T) {
	// c -> b -> a, and a cycle x <-> y; drops go the other way round.
	ddl := `CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b);
CREATE TABLE a (id INTEGER PRIMARY KEY);
CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a);
CREATE TABLE y (id INTEGER PRIMARY KEY, x_id INTEGER REFERENCES x);
CREATE TABLE x (id INTEGER PRIMARY KEY, y_id INTEGER REFERENCES y);
CREATE TABLE z (id INTEGER PRIMARY KEY, z_id INTEGER REFERENCES z);`
	empty := inspect(t, `CREATE TABLE keep (id INTEGER PRIMARY KEY);`)
	full := inspect(t, ddl+`CREATE TABLE keep (id INTEGER PRIMARY KEY);`)
	up, err := Compare(empty, full, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "added table 'a'\nadded table 'b'\nadded table 'c'\nadded table 'z'\nadded table 'x'\nadded table 'y'\n"
	if got := describe(up); got != want {
		t.Errorf("creations:\n%s\nwant:\n%s", got, want)
	}
	down, err := Compare(full, empty, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want = "removed table 'y'\nremoved table 'x'\nremoved table 'z'\nremoved table 'c'\nremoved table 'b'\nremoved table 'a'\n"
	if got := describe(down); got != want {
		t.Errorf("drops:\n%s\nwant:\n%s", got, want)
	}
}

func TestCompareTableOrder(t *testing.T) {
	cur := inspect(t, `CREATE TABLE b (id INTEGER PRIMARY KEY, x TEXT, y TEXT); CREATE TABLE a (id INTEGER PRIMARY KEY, old TEXT);
CREATE INDEX ix_b ON b (x);`)
	tgt := inspect(t, `CREATE TABLE b (id INTEGER PRIMARY KEY, z TEXT, x TEXT NOT NULL, y TEXT); CREATE TABLE a (id INTEGER PRIMARY KEY, w TEXT, v TEXT);`)
	ops, err := Compare(cur, tgt, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "removed column 'a.old'\nadded column 'a.w'\nadded column 'a.v'\n" +
		"removed index 'ix_b' on 'b'\nadded column 'b.z'\nNOT NULL on column 'b.x'\n"
	if got := describe(ops); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestCompareRenameErrors(t *testing.T) {
	cur := inspect(t, `CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);`)
	tgt := inspect(t, `CREATE TABLE a (id INTEGER PRIMARY KEY, y TEXT);`)
	for _, opts := range []Options{
		{TableRenames: map[string]string{"nope": "a"}},
		{TableRenames: map[string]string{"a": "nope"}},
		{ColumnRenames: map[string]map[string]string{"a": {"nope": "y"}}},
		{ColumnRenames: map[string]map[string]string{"a": {"x": "nope"}}},
		{ColumnRenames: map[string]map[string]string{"nope": {"x": "y"}}},
	} {
		if _, err := Compare(cur, tgt, opts); !errors.Is(err, errRename) {
			t.Errorf("%+v: err = %v, want errRename", opts, err)
		}
	}
}

func TestNarrowing(t *testing.T) {
	tests := []struct {
		old, new string
		want     bool
	}{
		{"VARCHAR(100)", "VARCHAR(50)", true},
		{"VARCHAR(50)", "VARCHAR(100)", false},
		{"VARCHAR", "VARCHAR(10)", true},
		{"TEXT", "INTEGER", true},
		{"INTEGER", "TEXT", false},
		{"INTEGER", "BIGINT", false},
		{"INTEGER", "REAL", false},
		{"REAL", "INTEGER", true},
		{"DECIMAL(10,2)", "DECIMAL(10,1)", true},
		{"", "TEXT", false},
	}
	for _, tt := range tests {
		if got := narrowing(tt.old, tt.new); got != tt.want {
			t.Errorf("Narrowing(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
		}
	}
}

// TestCompareRenameConflicts: hints that rename two things to one name, or
// one thing to two names, are an error naming both hints, the same on
// every run, never a choice that follows map order.
func TestCompareRenameConflicts(t *testing.T) {
	cur := inspect(t, `CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, age INTEGER);`)
	tgt := inspect(t, `CREATE TABLE squads (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE crews (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE members (id INTEGER PRIMARY KEY, full_name TEXT, x TEXT, y TEXT);`)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"two columns to one", Options{ColumnRenames: map[string]map[string]string{"members": {"name": "full_name", "age": "full_name"}}},
			`column renames members.age=full_name and members.name=full_name both rename a column of table "members" to "full_name"`},
		{"two columns to one, differing case", Options{ColumnRenames: map[string]map[string]string{"members": {"name": "full_name", "age": "FULL_NAME"}}},
			`column renames members.age=FULL_NAME and members.name=full_name both rename a column of table "members" to "full_name"`},
		{"one column to two, differing case", Options{ColumnRenames: map[string]map[string]string{"members": {"name": "x", "NAME": "y"}}},
			`column renames members.NAME=y and members.name=x both rename column "name" of table "members"`},
		{"one column to two, under both table names", Options{TableRenames: map[string]string{"members": "members"},
			ColumnRenames: map[string]map[string]string{"members": {"name": "x"}, "MEMBERS": {"name": "y"}}},
			`column renames MEMBERS.name=y and members.name=x both rename column "name" of table "members"`},
		{"two tables to one", Options{TableRenames: map[string]string{"teams": "squads", "members": "squads"}},
			`table renames members=squads and teams=squads both rename a table to "squads"`},
		{"one table to two, differing case", Options{TableRenames: map[string]string{"teams": "squads", "TEAMS": "crews"}},
			`table renames TEAMS=crews and teams=squads both rename table "teams"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 {
				_, err := Compare(cur, tgt, tt.opts)
				if !errors.Is(err, errRename) || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want errRename with %q", err, tt.want)
				}
			}
		})
	}
	// The same hint twice in two spellings is one hint.
	ops, err := Compare(cur, tgt, Options{TableRenames: map[string]string{"teams": "squads", "TEAMS": "squads"},
		ColumnRenames: map[string]map[string]string{"members": {"name": "full_name", "NAME": "Full_Name"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(ops); !strings.Contains(got, "renamed column 'members.name' to 'full_name'") || !strings.Contains(got, "renamed table 'teams' to 'squads'") {
		t.Errorf("ops:\n%s", got)
	}
}
