package pgassess_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgassess"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestAssess(t *testing.T) {
	for _, tc := range []struct {
		name            string
		current, target []string
		renames         diff.Options
		want            []string // "FATAL " marks a fatal finding
	}{
		{name: "drops",
			current: []string{`CREATE TABLE a (id int PRIMARY KEY, x text, y text)`, `CREATE TABLE "Gone" (id int)`,
				`INSERT INTO a VALUES (1, 'p', NULL), (2, 'q', NULL), (3, NULL, NULL)`, `INSERT INTO "Gone" VALUES (1), (2)`},
			target: []string{`CREATE TABLE a (id int PRIMARY KEY, y text)`},
			want: []string{"dropping table Gone deletes its 2 rows",
				"dropping column a.x deletes 2 non-NULL values; the downgrade cannot bring them back"}},
		{name: "not_null",
			current: []string{`CREATE TABLE a (id int PRIMARY KEY, x text)`, `INSERT INTO a VALUES (1, NULL), (2, 'v')`},
			target:  []string{`CREATE TABLE a (id int PRIMARY KEY, x text NOT NULL, n int NOT NULL, d int NOT NULL DEFAULT 1)`},
			want: []string{"FATAL new column a.n is NOT NULL without a default, and the table holds 2 rows",
				"FATAL column a.x becomes NOT NULL and 1 row holds NULL there; SET NOT NULL fails"}},
		{name: "unique_check_fk",
			current: []string{`CREATE TABLE p (id int PRIMARY KEY)`, `CREATE TABLE a (id int, e text, pid int)`,
				`INSERT INTO p VALUES (1)`, `INSERT INTO a VALUES (1, 'x', 1), (1, 'x', 2), (2, NULL, NULL), (3, 'y', 9)`},
			target: []string{`CREATE TABLE p (id int PRIMARY KEY)`,
				`CREATE TABLE a (id int PRIMARY KEY, e text UNIQUE CHECK (e <> 'x'), pid int REFERENCES p)`},
			want: []string{
				"FATAL 2 rows of table a fail the new CHECK ((e <> 'x'::text))",
				"FATAL 2 rows of table a have no parent row in p under the new foreign key",
				"FATAL 2 rows share their (e) with another row under the new unique constraint a_e_key on a",
				"FATAL 2 rows share their (id) with another row under the new primary key on a",
			}},
		{name: "types",
			current: []string{`CREATE TABLE a (id int PRIMARY KEY, n text, m text, s text, ok text)`,
				`INSERT INTO a VALUES (1, '12', 'abc', 'short', '1'), (2, 'x', NULL, 'much too long', '2')`},
			target: []string{`CREATE TABLE a (id int PRIMARY KEY, n int, m text, s varchar(5), ok bigint)`},
			want: []string{
				`FATAL changing the type of a.n from text to integer fails: a value does not convert (invalid input syntax for type integer: "x")`,
				"changing the type of a.ok from text to bigint converts 2 values",
				"FATAL changing the type of a.s from text to character varying(5) fails: 1 value is longer than 5 characters",
			}},
		{name: "referenced_key",
			current: []string{`CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL)`,
				`CREATE TABLE members (id int PRIMARY KEY, team_id int REFERENCES teams, team_name text)`,
				`INSERT INTO teams VALUES (1, 'a'), (2, 'a'), (3, 'c')`, `INSERT INTO members VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 3, 'c')`},
			target: []string{`CREATE TABLE teams (id int NOT NULL, name text PRIMARY KEY)`,
				`CREATE TABLE members (id int PRIMARY KEY, team_id int, team_name text REFERENCES teams)`},
			want: []string{
				"FATAL 1 row of table members has no parent row in teams under the new foreign key",
				"FATAL 2 rows share their (name) with another row under the new primary key on teams",
			}},
		{name: "unique_index",
			current: []string{`CREATE TABLE a (id int PRIMARY KEY, e text, f text)`,
				`INSERT INTO a VALUES (1, 'x', 'p'), (2, 'x', 'q'), (3, 'x', NULL), (4, NULL, NULL), (5, NULL, NULL)`},
			target: []string{`CREATE TABLE a (id int PRIMARY KEY, e text, f text)`, `CREATE UNIQUE INDEX a_e ON a (e)`,
				`CREATE UNIQUE INDEX a_ef ON a (e, f) NULLS NOT DISTINCT`, `CREATE UNIQUE INDEX a_lower_f ON a (lower(f))`},
			want: []string{
				"FATAL 2 rows share their (e, f) with another row under the new unique index a_ef on a",
				"FATAL 3 rows share their (e) with another row under the new unique index a_e on a",
			}},
		{name: "renamed",
			current: []string{`CREATE TABLE old (id int, c text)`, `INSERT INTO old VALUES (1, NULL)`},
			target:  []string{`CREATE TABLE fresh (id int, d text NOT NULL)`},
			renames: diff.Options{TableRenames: map[string]string{"old": "fresh"}, ColumnRenames: map[string]map[string]string{"old": {"c": "d"}}},
			want:    []string{"FATAL column fresh.d becomes NOT NULL and 1 row holds NULL there; SET NOT NULL fails"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := findings(t, tc.current, tc.target, tc.renames)
			if err != nil {
				t.Fatal(err)
			}
			sameFindings(t, got, tc.want)
		})
	}
}

// findings runs current on a fresh database, builds target beside it and
// gives Assess's findings for the difference, "FATAL " marking the fatal
// ones.
func findings(t *testing.T, current, target []string, renames diff.Options) ([]string, error) {
	t.Helper()
	ctx := context.Background()
	db := pgtest.New(t).DB
	for _, s := range current {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	cur, err := postgres.Inspect(ctx, db, postgres.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := postgres.Target(ctx, db, target, postgres.TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := diff.Compare(cur, tgt, renames)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := pgassess.Assess(ctx, db, ops, cur)
	if err != nil {
		return nil, err
	}
	var got []string
	for _, f := range fs {
		mark := ""
		if f.Fatal {
			mark = "FATAL "
		}
		got = append(got, mark+f.Message)
	}
	return got, nil
}

// sameFindings fails t unless got and want hold the same findings, in any
// order.
func sameFindings(t *testing.T, got, want []string) {
	t.Helper()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", lines(got), lines(want))
	}
}

func lines(s []string) string {
	var out string
	for _, l := range s {
		out += fmt.Sprintf("  %s\n", l)
	}
	return out
}
