package pgassess_test

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
)

const (
	moodGone = `CREATE TYPE mood AS ENUM ('happy', 'gone', 'it''s "x"\')`
	people   = `CREATE TABLE people (id int PRIMARY KEY, mood mood, moods mood[])`
)

func TestAssessEnums(t *testing.T) {
	for _, tc := range []struct {
		name            string
		current, target []string
		want            []string // "FATAL " marks a fatal finding
		err             string   // a refusal's sentence
	}{
		{name: "removed",
			current: []string{moodGone, people, `INSERT INTO people VALUES (1, 'gone', NULL), (2, 'happy', '{happy,gone}'), (3, 'it''s "x"\', '{}'), (4, NULL, '{happy}')`},
			target:  []string{`CREATE TYPE mood AS ENUM ('happy')`, people},
			want: []string{
				`FATAL 2 rows of people.mood hold one of the values 'gone', 'it's "x"\', which enum type mood loses; the upgrade fails on them`,
				`FATAL 1 row of people.moods holds one of the values 'gone', 'it's "x"\', which enum type mood loses; the upgrade fails on them`,
			}},
		{name: "removed, no row holds it",
			current: []string{moodGone, people, `INSERT INTO people VALUES (1, 'happy', '{happy}')`},
			target:  []string{`CREATE TYPE mood AS ENUM ('it''s "x"\', 'happy')`, people}},
		{name: "renamed",
			current: []string{moodGone, people, `INSERT INTO people VALUES (1, 'gone', NULL), (2, 'happy', '{gone}')`},
			target:  []string{`CREATE TYPE mood AS ENUM ('happy', 'went', 'it''s "x"\')`, people},
			want: []string{
				"1 row of people.mood holds 'gone', which reads 'went' after the upgrade (enum type mood renames it)",
				"1 row of people.moods holds 'gone', which reads 'went' after the upgrade (enum type mood renames it)",
			}},
		{name: "retyped",
			current: []string{moodGone, `CREATE TABLE t (id int, m mood, w text)`, `INSERT INTO t VALUES (1, 'gone', 'gone'), (2, 'happy', 'x')`},
			target:  []string{`CREATE TYPE feeling AS ENUM ('happy', 'gone')`, `CREATE TABLE t (id int, m feeling, w feeling)`},
			want: []string{
				"FATAL changing the type of t.w from text to feeling fails: 1 value is none of the type's values",
			}},
		{name: "retyped, a label missing",
			current: []string{moodGone, `CREATE TABLE t (id int, m mood)`, `INSERT INTO t VALUES (1, 'it''s "x"\')`},
			target:  []string{`CREATE TYPE feeling AS ENUM ('happy', 'gone')`, `CREATE TABLE t (id int, m feeling)`},
			want: []string{
				"FATAL changing the type of t.m from mood to feeling fails: 1 value is none of the type's values",
			}},
		{name: "used in another schema",
			current: []string{moodGone, people, `CREATE SCHEMA other`, `CREATE TABLE other.t (m public.mood)`},
			target:  []string{`CREATE TYPE mood AS ENUM ('happy')`, people},
			err:     "enum type mood is used by column m of table other.t, which autogen does not convert; change that in a hand-written revision first"},
		{name: "dropped, used by a function",
			current: []string{moodGone, `CREATE FUNCTION f(m mood) RETURNS int LANGUAGE sql AS 'SELECT 1'`},
			err:     "enum type mood is used by function f(mood), which autogen does not convert"},
		{name: "own checks, indexes and views are converted",
			current: []string{moodGone, people, `ALTER TABLE people ADD CHECK (mood <> 'gone')`, `CREATE INDEX p_happy ON people (id) WHERE mood = 'happy'`,
				`CREATE VIEW v AS SELECT 'happy'::mood AS m`},
			target: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone')`, people, `CREATE VIEW v AS SELECT 'happy'::mood AS m`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := findings(t, tc.current, tc.target, diff.Options{})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Assess = %v, want an error saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameFindings(t, got, tc.want)
		})
	}
}
