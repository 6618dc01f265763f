package pgrender_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/schema"
)

const (
	mood    = `CREATE TYPE mood AS ENUM ('happy', 'sad')`
	people  = `CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sad', moods mood[])`
	peopleR = `INSERT INTO people (name, mood, moods) VALUES ('ann', 'happy', '{happy,sad}'), ('bob', 'sad', NULL), ('cid', NULL, '{}')`
)

// longLabel is the longest label PostgreSQL takes: 63 bytes, here of
// two-byte letters and one quote.
var longLabel = strings.Repeat("é", 31) + "'"

var enumCases = []renderCase{
	{name: "enum_add_value_converted", current: []string{mood, people, peopleR, `ALTER TABLE people ADD COLUMN word text`,
		`UPDATE people SET word = 'meh' WHERE name = 'ann'`}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sad', moods mood[], word mood)`,
	}, diffs: 2},
	{name: "enum_foreign_key", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`,
		`CREATE TABLE moods (m mood PRIMARY KEY, label text)`, `INSERT INTO moods VALUES ('happy', 'h'), ('sad', 's')`,
		`CREATE TABLE people (id int PRIMARY KEY, mood mood REFERENCES moods ON DELETE CASCADE)`, `INSERT INTO people VALUES (1, 'sad'), (2, NULL)`,
		`CREATE TABLE plain (id int PRIMARY KEY, person int REFERENCES people)`}, target: []string{
		mood, `CREATE TABLE moods (m mood PRIMARY KEY, label text)`,
		`CREATE TABLE people (id int PRIMARY KEY, mood mood REFERENCES moods ON DELETE CASCADE)`,
		`CREATE TABLE plain (id int PRIMARY KEY, person int REFERENCES people)`,
	}, diffs: 1},
	{name: "enum_views", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`, people, peopleR,
		`CREATE VIEW happy_people AS SELECT name, mood FROM people WHERE mood = 'happy'`,
		`CREATE VIEW happy_people_names AS SELECT name FROM happy_people`,
		`CREATE VIEW constant AS SELECT 'sad'::mood AS m`, `CREATE VIEW other AS SELECT 1 AS one`,
		`COMMENT ON VIEW happy_people IS 'the happy ones'`, `COMMENT ON TYPE mood IS 'how one feels'`}, target: []string{
		mood, people, `CREATE VIEW happy_people AS SELECT name, mood FROM people WHERE mood = 'happy'`,
		`CREATE VIEW happy_people_names AS SELECT name FROM happy_people`,
		`CREATE VIEW constant AS SELECT 'sad'::mood AS m`, `CREATE VIEW other AS SELECT 1 AS one`,
	}, diffs: 1},
	{name: "enum_add_value_check", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh')`, people,
		`CREATE TABLE moods (m mood CHECK (m <> 'meh'), ms mood[] DEFAULT '{meh}')`,
		`ALTER TABLE people ADD COLUMN other mood`,
	}, diffs: 3},
	{name: "enum_retype", current: []string{mood, people, peopleR, `ALTER TABLE people ADD COLUMN word text DEFAULT 'happy'`,
		`UPDATE people SET word = 'sad' WHERE name = 'ann'`}, target: []string{
		`CREATE TYPE feeling AS ENUM ('happy', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood feeling DEFAULT 'sad', moods feeling[], word feeling DEFAULT 'happy')`,
	}, diffs: 7},
	{name: "enum_checks_indexes", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`, people, peopleR,
		`ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sad' OR moods = '{sad}')`,
		`CREATE INDEX people_happy ON people (name) WHERE mood = 'happy'`,
		`CREATE INDEX people_sadness ON people ((mood = 'sad'))`}, target: []string{
		mood, people, `ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sad' OR moods = '{sad}')`,
		`CREATE INDEX people_happy ON people (name) WHERE mood = 'happy'`,
		`CREATE INDEX people_sadness ON people ((mood = 'sad'))`,
	}, diffs: 1},
	{name: "enum_create", current: []string{teams, `INSERT INTO teams (name) VALUES ('a')`}, target: []string{
		teams, mood, `ALTER TABLE teams ADD COLUMN mood mood NOT NULL DEFAULT 'happy'`,
		`CREATE TABLE moods (id int PRIMARY KEY, seen mood[] NOT NULL DEFAULT '{}')`,
	}, diffs: 3},
	{name: "enum_drop", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL)`,
	}, diffs: 3},
	{name: "enum_add_values", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('ok', 'happy', 'meh', 'sad', 'great')`, people,
	}, diffs: 1},
	{name: "enum_add_value_used", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'meh', moods mood[])`,
	}, diffs: 2},
	{name: "enum_remove_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`, people, peopleR,
		`CREATE INDEX people_mood ON people (mood)`}, target: []string{
		mood, people, `CREATE INDEX people_mood ON people (mood)`,
	}, diffs: 1},
	{name: "enum_remove_default_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'gone', moods mood[])`,
		`INSERT INTO people (name, mood) VALUES ('ann', 'happy'), ('bob', 'sad')`}, target: []string{
		mood, people,
	}, diffs: 2},
	{name: "enum_reorder", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('sad', 'happy')`, people,
	}, diffs: 1},
	{name: "enum_rename_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'sadd')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sadd', moods mood[] DEFAULT '{sadd,happy}')`,
		`INSERT INTO people (name, mood, moods) VALUES ('ann', 'sadd', '{sadd,happy}')`,
		`ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sadd' OR name = 'ann')`, `CREATE INDEX sad_people ON people (name) WHERE mood = 'sadd'`}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sad', moods mood[] DEFAULT '{sad,happy}')`,
		`ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sad' OR name = 'ann')`, `CREATE INDEX sad_people ON people (name) WHERE mood = 'sad'`,
	}, diffs: 1},
	{name: "enum_hostile_labels", current: []string{
		`CREATE TYPE "Mood ""x"" -- */" AS ENUM ('it''s', E'line\nbreak', 'back\slash')`,
		`CREATE TABLE "T" ("Mood" "Mood ""x"" -- */" DEFAULT E'line\nbreak')`,
		`INSERT INTO "T" VALUES ('it''s'), ('back\slash'), (DEFAULT)`,
	}, target: []string{
		`CREATE TYPE "Mood ""x"" -- */" AS ENUM (E'line\nbreak', 'it''s', '` + strings.ReplaceAll(longLabel, "'", "''") + `', 'back\slash', '; DROP TABLE "T"; --')`,
		`CREATE TABLE "T" ("Mood" "Mood ""x"" -- */" DEFAULT E'line\nbreak')`,
	}, diffs: 1},
}

func TestRenderEnums(t *testing.T) {
	for _, tc := range enumCases {
		t.Run(tc.name, func(t *testing.T) { renderOne(t, tc) })
	}
}

// Random edits of an enum type's values (additions anywhere, removals,
// swaps, renames) on a table holding rows of the values both sides keep:
// the revision must pass Verify and apply both ways, rows unchanged.
func TestRenderEnumProperty(t *testing.T) {
	ctx := context.Background()
	pool := []string{"a", "b", "c", "d", "e", "f", "it's", `back\slash`, "new\nline", "ü"}
	kinds := map[string]int{}
	for seed := range uint64(16) {
		r := rand.New(rand.NewPCG(seed, 7))
		perm := r.Perm(len(pool))
		var before []string
		for _, i := range perm[:2+r.IntN(3)] {
			before = append(before, pool[i])
		}
		after := slices.Clone(before)
		spare := perm[len(before):]
		for range 1 + r.IntN(2) {
			switch r.IntN(4) {
			case 0: // add
				after = slices.Insert(after, r.IntN(len(after)+1), pool[spare[0]])
				spare = spare[1:]
			case 1: // remove
				if len(after) > 1 {
					after = slices.Delete(after, r.IntN(len(after)), 1)
				}
			case 2: // swap
				i, j := r.IntN(len(after)), r.IntN(len(after))
				after[i], after[j] = after[j], after[i]
			case 3: // rename
				after[r.IntN(len(after))] = pool[spare[0]]
				spare = spare[1:]
			}
		}
		var kept []string
		for _, v := range before {
			if slices.Contains(after, v) {
				kept = append(kept, v)
			}
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			db := pgtest.New(t).DB
			table := func(values []string) []string {
				def := ""
				if len(kept) > 0 {
					def = " DEFAULT " + pgrender.Literal(kept[0])
				}
				return []string{"CREATE TYPE e AS ENUM (" + literals(values) + ")",
					"CREATE TABLE t (id int PRIMARY KEY, v e" + def + ", vs e[])"}
			}
			for _, s := range table(before) {
				mustExec(t, db, s)
			}
			for i, v := range kept {
				mustExec(t, db, fmt.Sprintf("INSERT INTO t VALUES (%d, %s, ARRAY[%s]::e[])", i, pgrender.Literal(v), literals(kept[:i+1])))
			}
			current := inspect(t, db)
			target, err := postgres.Target(ctx, db, table(after), postgres.TargetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ops := compare(t, current, target)
			for _, op := range ops {
				kinds[fmt.Sprintf("%T", op)]++
			}
			res, err := pgrender.Render(ops, current, target)
			if err != nil {
				t.Fatal(err)
			}
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil || len(res.Warnings) > 0 {
				t.Fatalf("%v %v\nbefore %q after %q\nup:\n%s", err, res.Warnings, before, after, res.Up)
			}
			checkSplit(t, res)
			rows := dump(t, db, false, nil)
			applyBoth(t, db, res, current, target)
			if got := dump(t, db, false, nil); got != rows {
				t.Errorf("rows changed:\n%s\nwant:\n%s", got, rows)
			}
		})
	}
	t.Logf("operations: %v", kinds)
	if len(kinds) < 3 {
		t.Errorf("the generator made only these operations: %v", kinds)
	}
}

func literals(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = pgrender.Literal(v)
	}
	return strings.Join(out, ", ")
}

// FuzzRenderEnums feeds arbitrary enum type names and labels through diff
// and Render (a type made anew with a value removed and one added, its
// column's default naming a label; another type given a value; one
// created, one dropped) and checks that the runner's splitter reads each
// section as exactly the statements Render listed. It needs no server.
func FuzzRenderEnums(f *testing.F) {
	for _, s := range [][3]string{
		{"mood", "happy", "sad"},
		{"Mood \"x\" -- */", "it's", "line\nbreak"},
		{"t;\nDROP TABLE victims; --", "'; DROP TABLE victims; --", "back\\slash'"},
		{"$$", "$tag$;$tag$", "*/ ; /*"},
		{"ſ", "\u2028;", "E'\\'"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, typ, a, b string) {
		for _, s := range []string{typ, a, b} {
			if s == "" || strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
				t.Skip("PostgreSQL names and labels are non-empty valid UTF-8 without NUL")
			}
		}
		if a == b || a == "x" || b == "x" || typ == "other" || typ == "gone" || typ == "fresh" {
			t.Skip("labels and names must be distinct")
		}
		current, target := fuzzEnums(typ, a, b)
		ops, err := diff.Compare(current, target, diff.Options{})
		if err != nil {
			t.Skip(err)
		}
		res, err := pgrender.Render(ops, current, target)
		if err != nil {
			t.Fatal(err)
		}
		checkSplit(t, res)
	})
}

// fuzzEnums is a schema with enum type typ (a, x) used by a column whose
// default is a, and the one where typ is (b, a), so that x is removed and
// b added; type other gains b, gone is dropped, fresh created.
func fuzzEnums(typ, a, b string) (current, target *schema.Schema) {
	col := &schema.Column{Name: "c", Type: pgrender.Ident(typ), Default: pgrender.Literal(a) + "::" + pgrender.Ident(typ)}
	table := func() []*schema.Table {
		return []*schema.Table{{Name: "t", Columns: []*schema.Column{col},
			Checks: []*schema.Check{{Name: "k", Expr: "(c <> " + col.Default + ")"}}}}
	}
	current = &schema.Schema{Tables: table(), Enums: []*schema.Enum{
		{Name: typ, Values: []string{a, "x"}}, {Name: "other", Values: []string{a}}, {Name: "gone", Values: []string{b}}}}
	target = &schema.Schema{Tables: table(), Enums: []*schema.Enum{
		{Name: typ, Values: []string{b, a}}, {Name: "other", Values: []string{b, a}}, {Name: "fresh", Values: []string{a, b}}}}
	return current, target
}
