package assess

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/verify"
)

func TestAssess(t *testing.T) {
	const data = `INSERT INTO teams VALUES (1, 'red'), (2, 'blue'), (3, 'red');
INSERT INTO members VALUES (1, 1, 'ann', 'a'), (2, 1, NULL, 'a'), (3, 2, 'cid', NULL), (4, 9, NULL, 'a'), (5, 3, 'ann', 'b');`
	tests := []struct {
		name   string
		target string
		opts   diff.Options
		want   string // one "table.column kind rows fatal" line per finding
	}{
		{name: "drop table", target: sqlitetest.TeamsDDL,
			want: "members. drop table 5 false\n"},
		{name: "drop column", target: sqlitetest.Members(`"name" VARCHAR(100)`),
			want: "members.nick drop column 4 false\n"},
		{name: "narrowing", target: sqlitetest.Members(`"name" VARCHAR(2), "nick" VARCHAR`),
			want: "members. rebuild 5 false\nmembers.name narrowing 3 false\n"},
		{name: "narrowing that every value fits", target: sqlitetest.Members(`"name" VARCHAR(3), "nick" VARCHAR`),
			want: "members. rebuild 5 false\n"},
		{name: "text that is no number to a numeric affinity", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" INTEGER`),
			want: "members. rebuild 5 false\nmembers.nick conversion 4 true\n"}, // no nick reads as a number
		{name: "not null with default", target: sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT 'x', "nick" VARCHAR`),
			want: "members. rebuild 5 false\nmembers.name not null 2 false\n"},
		{name: "not null without default", target: sqlitetest.Members(`"name" VARCHAR(100) NOT NULL, "nick" VARCHAR`),
			want: "members.name not null 2 true\n"},
		{name: "new not null column", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER NOT NULL`),
			want: "members. rebuild 5 false\nmembers.age new not null 5 true\n"},
		{name: "unique constraint", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR UNIQUE`),
			want: "members. rebuild 5 false\nmembers.nick unique 3 true\n"},
		{name: "unique index", target: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE UNIQUE INDEX "ux" ON "members" ("team_id", "name");`,
			want: ""},
		{name: "unique index over duplicates", target: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE UNIQUE INDEX "ux" ON "teams" (lower(name));`,
			want: "teams. unique 2 true\n"},
		{name: "check", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "ck" CHECK (team_id < 3)`),
			want: "members. check 2 true\n"},
		{name: "renamed column", target: sqlitetest.Members(`"name" VARCHAR(100) NOT NULL, "handle" VARCHAR UNIQUE`),
			opts: diff.Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "handle"}}},
			want: "members. rebuild 5 false\nmembers.handle unique 3 true\nmembers.name not null 2 true\n"},
		{name: "foreign key", target: sqlitetest.TeamsDDL + `CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER REFERENCES "teams" ("id"), "name" VARCHAR(100), "nick" VARCHAR, PRIMARY KEY ("id"));`,
			want: "members. rebuild 5 false\nmembers.team_id foreign key 1 true\n"},
		{name: "added column is fine", target: sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The members table starts without its foreign key, so a row can
			// name a missing team.
			cur := sqlitetest.TeamsDDL + strings.Replace(sqlitetest.MembersDDL, `, FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE`, "", 1)
			target := tt.target
			if tt.name != "foreign key" {
				target = strings.ReplaceAll(target, `, FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE`, "")
			}
			d := sqlitetest.New(t, cur, data)
			fs, ops, _ := assessOn(t, d, target, tt.opts)
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%s.%s %s %d %v\n", f.Table, f.Column, f.Kind, f.Rows, f.Fatal)
				if f.Message == "" {
					t.Errorf("finding %+v has no message", f)
				}
			}
			if got := b.String(); got != tt.want {
				t.Errorf("findings:\n%s\nwant:\n%s\n(ops: %s)", got, tt.want, describeOps(ops))
			}
		})
	}
}

func describeOps(ops []diff.Op) string {
	var s []string
	for _, op := range ops {
		s = append(s, op.Describe())
	}
	return strings.Join(s, "; ")
}

// TestAssessMessages checks the safety report's sentences on real
// databases, and that they tell the truth: the upgrade fails exactly where
// a finding says it does, and the views and triggers reported broken fail
// after it.
func TestAssessMessages(t *testing.T) {
	const people = `CREATE TABLE "teams" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL);
CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER, "name" VARCHAR NOT NULL, "nick" VARCHAR, "age" INTEGER);`
	const peopleRows = `INSERT INTO teams VALUES (1, 'red');
INSERT INTO members VALUES (1, 1, 'ann', 'a', 30), (2, 1, 'bob', 'b', 40);`
	const slim = `CREATE TABLE "teams" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL);
CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER, "name" VARCHAR NOT NULL);`
	tests := []struct {
		name            string
		current, rows   string
		target          string
		opts            diff.Options
		want            []string // the findings' messages, "FAILS: " before a fatal one
		brokenAfterward []string // statements that fail after the upgrade
	}{
		{name: "conversion counts what SQLite changes",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "num" VARCHAR);`,
			rows:    `INSERT INTO items (num) VALUES ('12'), ('abc'), ('01'), (NULL), (' 7 '), ('0x10'), ('12abc'), (3), ('1e3'), ('-0');`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "num" INTEGER);`,
			want: []string{
				"rebuilding table items copies its 10 rows",
				"FAILS: converting items.num from VARCHAR to INTEGER changes 7 stored values: 4 values read back as VARCHAR differ from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore them; 3 values are not a number, which the INTEGER column keeps as it is", // 3 is stored as '3', and '12' comes back

			}},
		{name: "conversion of one value",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "zip" VARCHAR);`,
			rows:    `INSERT INTO items (zip) VALUES ('12345'), ('00001');`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "zip" BIGINT);`,
			want: []string{
				"rebuilding table items copies its 2 rows",
				"FAILS: converting items.zip from VARCHAR to BIGINT changes 1 stored value: 1 value reads back as VARCHAR differs from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore it",
			}},
		{name: "lossless conversion to a number",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "zip" VARCHAR, "r" REAL, "i" INTEGER);`,
			rows:    `INSERT INTO items (zip, r, i) VALUES ('12345', 1.0, 1), ('-7', -2.0, 9007199254740992), (NULL, NULL, NULL);`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "zip" BIGINT, "r" INTEGER, "i" DOUBLE PRECISION);`,
			want:    []string{"rebuilding table items copies its 3 rows"}},
		{name: "lossless conversion to text",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "n" INTEGER, "r" REAL);`,
			rows:    `INSERT INTO items (n, r) VALUES (12345, 1.5), (-1, 0.1), (NULL, NULL);`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "n" VARCHAR, "r" TEXT);`,
			want:    []string{"rebuilding table items copies its 3 rows"}},
		{name: "REAL to INTEGER, INTEGER to REAL, REAL to TEXT (SQLite writes a REAL as text that reads back exactly)",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "r" REAL, "i" INTEGER, "t" REAL);`,
			rows:    `INSERT INTO items (r, i, t) VALUES (1.5, 9007199254740993, 0.1 + 0.2), (2.0, 1, 2.5), (1e300, 2, 1.0);`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "r" INTEGER, "i" REAL, "t" TEXT);`,
			want: []string{
				"rebuilding table items copies its 3 rows",
				"FAILS: converting items.i from INTEGER to REAL changes 1 stored value: 1 value reads back as INTEGER differs from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore it",
				"FAILS: converting items.r from REAL to INTEGER changes 2 stored values: 2 values are not a whole number that fits 64 bits, which the INTEGER column keeps as REAL",
			}},
		{name: "text to REAL formatting",
			current: `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "p" TEXT);`,
			rows:    `INSERT INTO items (p) VALUES ('1.50'), ('2.5'), ('3');`,
			target:  `CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "p" REAL);`,
			want: []string{
				"rebuilding table items copies its 3 rows",
				"FAILS: converting items.p from TEXT to REAL changes 2 stored values: 2 values read back as TEXT differ from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore them",
			}},
		{name: "new primary key over duplicates",
			current: `CREATE TABLE "links" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL);`,
			rows:    `INSERT INTO links (a, b) VALUES (1, 1), (1, 2), (1, 1);`,
			target:  `CREATE TABLE "links" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));`,
			want: []string{
				"rebuilding table links copies its 3 rows",
				"FAILS: 2 rows of table links hold duplicated values of (a, b), which the new primary key forbids",
				"dropping column links.id deletes 3 non-NULL values",
			}},
		{name: "new primary key over distinct values",
			current: `CREATE TABLE "links" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" INTEGER NOT NULL, "b" INTEGER NOT NULL);`,
			rows:    `INSERT INTO links (a, b) VALUES (1, 1), (1, 2);`,
			target:  `CREATE TABLE "links" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));`,
			want: []string{
				"rebuilding table links copies its 2 rows",
				"dropping column links.id deletes 2 non-NULL values",
			}},
		{name: "collation change on a unique column",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR, UNIQUE ("email"));`,
			rows:    `INSERT INTO u (email) VALUES ('Ann@x'), ('ann@x'), ('bob@x'), (NULL), (NULL);`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR COLLATE NOCASE, UNIQUE ("email"));`,
			want: []string{
				"rebuilding table u copies its 5 rows",
				"FAILS: 2 rows of table u hold values of (email) that are equal once email compares with COLLATE NOCASE, which the unique rule forbids",
			}},
		{name: "affinity change on a unique column",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "code" VARCHAR UNIQUE);`,
			rows:    `INSERT INTO u (code) VALUES ('1'), ('01'), ('a'), ('A');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "code" INTEGER UNIQUE);`,
			want: []string{
				"rebuilding table u copies its 4 rows",
				"FAILS: converting u.code from VARCHAR to INTEGER changes 3 stored values: 1 value reads back as VARCHAR differs from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore it; 2 values are not a number, which the INTEGER column keeps as it is",
				"FAILS: 2 rows of table u hold values of (code) that are equal once code becomes INTEGER, which the unique rule forbids",
			}},
		{name: "affinity change to text on a unique column",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "code" UNIQUE);`,
			rows:    `INSERT INTO u (code) VALUES (1), ('1'), (2.5), ('x');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "code" TEXT UNIQUE);`,
			want: []string{
				"rebuilding table u copies its 4 rows",
				"FAILS: converting u.code from (none) to TEXT changes 2 stored values: 2 values read back as (none) differ from what is stored now in type or text (leading zeros, spaces, number formatting, precision), so the downgrade does not restore them",
				"FAILS: 2 rows of table u hold values of (code) that are equal once code becomes TEXT, which the unique rule forbids",
			}},
		{name: "collation change under a unique index",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR); CREATE UNIQUE INDEX "ux" ON "u" ("email");`,
			rows:    `INSERT INTO u (email) VALUES ('Ann@x'), ('ann@x'), ('ANN@x');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR COLLATE NOCASE); CREATE UNIQUE INDEX "ux" ON "u" ("email");`,
			want: []string{
				"rebuilding table u copies its 3 rows",
				"FAILS: 3 rows of table u hold values of (email) that are equal once email compares with COLLATE NOCASE, which the unique rule forbids",
			}},
		{name: "unique index with its own collation",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR); CREATE UNIQUE INDEX "ux" ON "u" ("email" COLLATE BINARY);`,
			rows:    `INSERT INTO u (email) VALUES ('Ann@x'), ('ann@x');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR COLLATE NOCASE); CREATE UNIQUE INDEX "ux" ON "u" ("email" COLLATE BINARY);`,
			want:    []string{"rebuilding table u copies its 2 rows"}},
		{name: "new unique rule under a new collation",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR);`,
			rows:    `INSERT INTO u (email) VALUES ('Ann@x'), ('ann@x');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR COLLATE NOCASE UNIQUE);`,
			want: []string{
				"rebuilding table u copies its 2 rows",
				"FAILS: 2 rows of table u hold duplicated values of (email), which the new unique rule forbids",
			}},
		{name: "default filling NULLs under a unique rule",
			current: `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR UNIQUE);`,
			rows:    `INSERT INTO u (name) VALUES (NULL), (NULL), ('x'), ('y');`,
			target:  `CREATE TABLE "u" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL DEFAULT 'x' UNIQUE);`,
			want: []string{
				"rebuilding table u copies its 4 rows",
				"column u.name becomes NOT NULL and 2 rows hold NULL there; they get the default 'x'",
				"FAILS: 3 rows of table u hold values of (name) that are equal once the NULLs of name get the default 'x', which the unique rule forbids",
			}},
		{name: "one row of each",
			current: `CREATE TABLE "teams" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL);
CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER, "name" VARCHAR, "age" INTEGER);`,
			rows: `INSERT INTO teams VALUES (1, 'red');
INSERT INTO members VALUES (1, 1, 'ann', 30), (2, 7, NULL, -1);`,
			target: `CREATE TABLE "teams" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL);
CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER REFERENCES "teams" ("id"), "name" VARCHAR NOT NULL, "age" INTEGER, CHECK (age > 0));`,
			want: []string{
				"FAILS: 1 row of table members fails the new CHECK (age > 0)",
				"rebuilding table members copies its 2 rows",
				"FAILS: column members.name becomes NOT NULL and 1 row holds NULL there, with no default to fill it",
				"FAILS: 1 row of table members has a team_id that matches no teams.id, which the new foreign key forbids",
			}},
		{name: "orphans of a composite foreign key",
			current: `CREATE TABLE "p" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));
CREATE TABLE "c" ("id" INTEGER NOT NULL PRIMARY KEY, "x" INTEGER, "y" INTEGER);`,
			rows: `INSERT INTO p VALUES (1, 1); INSERT INTO c VALUES (1, 1, 1), (2, 1, 2), (3, 2, 2), (4, NULL, 5);`,
			target: `CREATE TABLE "p" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, PRIMARY KEY ("a", "b"));
CREATE TABLE "c" ("id" INTEGER NOT NULL PRIMARY KEY, "x" INTEGER, "y" INTEGER, FOREIGN KEY ("x", "y") REFERENCES "p" ("a", "b"));`,
			want: []string{
				"rebuilding table c copies its 4 rows",
				"FAILS: 2 rows of table c have values of (x, y) that match no (a, b) of table p, which the new foreign key forbids",
			}},
		{name: "dropping NOT NULL columns the downgrade must fill",
			current: `CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL, "age" INTEGER NOT NULL, "pic" BLOB NOT NULL, "nick" VARCHAR, "rank" INTEGER NOT NULL DEFAULT 0);`,
			rows:    `INSERT INTO members VALUES (1, 'ann', 30, x'01', 'a', 1);`,
			target:  `CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY);`,
			want: []string{
				"dropping column members.age deletes 1 non-NULL value; the downgrade cannot bring it back and fills members.age with 0 for 1 row",
				"dropping column members.name deletes 1 non-NULL value; the downgrade cannot bring it back and fills members.name with '' for 1 row",
				"dropping column members.nick deletes 1 non-NULL value",
				"dropping column members.pic deletes 1 non-NULL value; the downgrade cannot bring it back and fills members.pic with x'' for 1 row",
				"dropping column members.rank deletes 1 non-NULL value",
			}},
		{name: "view and trigger using dropped columns",
			current: people + `CREATE VIEW "v" AS SELECT name, nick FROM members;
CREATE TRIGGER "trg" AFTER UPDATE ON members BEGIN SELECT NEW.age; END;`,
			rows:   peopleRows,
			target: slim,
			want: []string{
				"rebuilding table members copies its 2 rows",
				"FAILS: trigger trg on members uses column members.age, which this revision drops: every UPDATE on members that fires it would fail with \"no such column: NEW.age\"",
				"dropping column members.age deletes 2 non-NULL values",
				"FAILS: view v uses column members.nick, which this revision drops: every query of view v would fail with \"no such column: nick\"",
				"dropping column members.nick deletes 2 non-NULL values",
			},
			brokenAfterward: []string{"SELECT * FROM v", "UPDATE members SET name = name"}},
		{name: "hand-made trigger on a managed view the models drop",
			current: people + `CREATE VIEW "v" /* autogen: managed */ AS SELECT id, name FROM members;
CREATE TRIGGER "mine" INSTEAD OF DELETE ON "v" BEGIN DELETE FROM members WHERE id = OLD.id; END;
CREATE TRIGGER "theirs" /* autogen: managed */ INSTEAD OF INSERT ON "v" BEGIN SELECT 1; END;`,
			rows:   peopleRows,
			target: people,
			want: []string{
				"dropping view v also drops trigger mine, made by hand on this database; the downgrade does not bring it back",
			}},
		{name: "view joining a dropped table",
			current: people + `CREATE VIEW "v" AS SELECT m.name, t.name AS tn FROM members m JOIN teams t ON t.id = m.team_id;`,
			rows:    peopleRows,
			target:  `CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER, "name" VARCHAR NOT NULL, "nick" VARCHAR, "age" INTEGER);`,
			want: []string{
				"FAILS: view v uses table teams, which this revision drops: every query of view v would fail with \"no such table: main.teams\"",
				"dropping table teams deletes its 1 row",
			},
			brokenAfterward: []string{"SELECT * FROM v"}},
		{name: "trigger on another table writing a dropped column",
			current: people + `CREATE TRIGGER "tlog" AFTER INSERT ON teams BEGIN INSERT INTO members (name, nick) VALUES (NEW.name, 'x'); END;
CREATE TRIGGER "tok" AFTER INSERT ON teams BEGIN INSERT INTO members (name) VALUES (NEW.name); END;`,
			rows: `INSERT INTO members VALUES (1, 1, 'ann', 'a', 30), (2, 1, 'bob', 'b', 40);
INSERT INTO teams VALUES (1, 'red');`,
			target: slim,
			want: []string{
				"rebuilding table members copies its 4 rows",
				"dropping column members.age deletes 2 non-NULL values",
				"FAILS: trigger tlog on teams uses column members.nick, which this revision drops: every INSERT on teams that fires it would fail with \"table members has no column named nick\"",
				"dropping column members.nick deletes 3 non-NULL values", // tlog added one
			},
			brokenAfterward: []string{"INSERT INTO teams (name) VALUES ('blue')"}},
		{name: "trigger on a view writing a dropped column",
			current: people + `CREATE VIEW "vm" AS SELECT id, name FROM members;
CREATE TRIGGER "vins" INSTEAD OF INSERT ON vm BEGIN INSERT INTO members (id, name, nick) VALUES (NEW.id, NEW.name, 'n'); END;
CREATE TRIGGER "vdel" INSTEAD OF DELETE ON vm BEGIN DELETE FROM members WHERE id = OLD.id AND age > 0; END;`,
			rows:   peopleRows,
			target: slim,
			want: []string{
				"rebuilding table members copies its 2 rows",
				"FAILS: trigger vdel on vm uses column members.age, which this revision drops: every DELETE on vm that fires it would fail with \"no such column: age\"",
				"dropping column members.age deletes 2 non-NULL values",
				"FAILS: trigger vins on vm uses column members.nick, which this revision drops: every INSERT on vm that fires it would fail with \"table members has no column named nick\"",
				"dropping column members.nick deletes 2 non-NULL values",
			},
			brokenAfterward: []string{"INSERT INTO vm VALUES (9, 'x')", "DELETE FROM vm"}},
		{name: "UPDATE OF trigger using a dropped column",
			current: people + `CREATE TRIGGER "tn" AFTER UPDATE OF name ON members BEGIN UPDATE teams SET name = NEW.nick WHERE id = NEW.team_id; END;`,
			rows:    peopleRows,
			target:  slim,
			want: []string{
				"rebuilding table members copies its 2 rows",
				"dropping column members.age deletes 2 non-NULL values",
				"FAILS: trigger tn on members uses column members.nick, which this revision drops: every UPDATE on members that fires it would fail with \"no such column: NEW.nick\"",
				"dropping column members.nick deletes 2 non-NULL values",
			},
			brokenAfterward: []string{"UPDATE members SET name = 'x'"}},
		{name: "views and triggers that still work",
			current: people + `CREATE VIEW "v" AS SELECT name FROM members;
CREATE TRIGGER "trg" AFTER UPDATE ON members BEGIN SELECT NEW.name; END;`,
			rows:   peopleRows,
			target: slim,
			want: []string{
				"dropping column members.age deletes 2 non-NULL values",
				"dropping column members.nick deletes 2 non-NULL values",
			}},
		{name: "view broken before the revision",
			current: people + `CREATE VIEW "vb" AS SELECT missing_col FROM members;`,
			rows:    peopleRows,
			target:  slim,
			want: []string{
				"rebuilding table members copies its 2 rows",
				"dropping column members.age deletes 2 non-NULL values",
				"dropping column members.nick deletes 2 non-NULL values",
			}},
		{name: "renamed column that SQLite rewrites in the view",
			current: people + `CREATE VIEW "v" AS SELECT name, nick FROM members;`,
			rows:    peopleRows,
			target: `CREATE TABLE "teams" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR NOT NULL);
CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "team_id" INTEGER, "name" VARCHAR NOT NULL, "handle" VARCHAR, "age" INTEGER);`,
			opts: diff.Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "handle"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sqlitetest.New(t, tt.current, tt.rows)
			fs, ops, res := assessOn(t, d, tt.target, tt.opts)
			var got []string
			for _, f := range fs {
				mark := ""
				if f.Fatal {
					mark = "FAILS: "
				}
				got = append(got, mark+f.Message)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s\n(ops: %s)\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), describeOps(ops), res.Up)
			}
			err := d.Migrate(res.Up)
			if fails := slices.ContainsFunc(fs, failsUpgrade); fails != (err != nil) {
				t.Fatalf("Assess says the upgrade fails: %v; the upgrade's error: %v\n%s", fails, err, res.Up)
			}
			for _, s := range tt.brokenAfterward {
				if err := d.TryScript(s); err == nil {
					t.Errorf("%s works after the upgrade, though Assess reports it broken", s)
				}
			}
			if err == nil && len(tt.brokenAfterward) == 0 {
				// Every view still answers.
				for _, v := range d.Inspect().Views {
					if v.Name != "vb" {
						if err := d.TryScript("SELECT * FROM " + q(v.Name)); err != nil {
							t.Errorf("view %s fails after the upgrade, and Assess said nothing: %v", v.Name, err)
						}
					}
				}
			}
		})
	}
}

// assessOn renders the change from d's schema to target and assesses it on
// d's rows, as revision does.
func assessOn(t *testing.T, d *sqlitetest.DB, target string, opts diff.Options) ([]Finding, []diff.Op, *render.Result) {
	t.Helper()
	from, to := d.Inspect(), sqlitetest.New(t, target).Inspect()
	ops, err := diff.Compare(from, to, opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := verify.Render(context.Background(), schema.OpenMemory, ops, from, to)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Assess(context.Background(), d.Conn, schema.OpenMemory, ops, res)
	if err != nil {
		t.Fatal(err)
	}
	return fs, ops, res
}
