package pgrender_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/golden"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/script"
)

const persons = `CREATE TABLE people (id int PRIMARY KEY, team_id bigint, email text, age int)`

var safeCases = []struct {
	renderCase
	plain bool // the revision keeps the plain forms (something without a safe form)
}{
	{renderCase: renderCase{name: "safe_indexes", current: []string{
		teams, persons, `CREATE INDEX people_age_idx ON people (age)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO people VALUES (1, 1, 'x', 3), (2, NULL, NULL, NULL)`,
	}, target: []string{
		teams, persons, `CREATE UNIQUE INDEX people_lower_email ON people (lower(email)) WHERE age > 1`,
		`CREATE INDEX "People team" ON people USING hash (team_id)`,
	}, diffs: 3}},
	{renderCase: renderCase{name: "safe_constraints", current: []string{
		teams, persons, `ALTER TABLE people ADD CONSTRAINT old_age CHECK (age < 200)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO people VALUES (1, 1, 'x', 3), (2, NULL, NULL, NULL)`,
	}, target: []string{
		teams, `CREATE TABLE people (id int PRIMARY KEY, team_id bigint REFERENCES teams ON DELETE CASCADE DEFERRABLE,
			email text, age int CONSTRAINT adult CHECK (age >= 0))`,
	}, diffs: 3}},
	{renderCase: renderCase{name: "safe_not_null", current: []string{
		teams, persons, `ALTER TABLE people ALTER COLUMN email SET NOT NULL`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO people VALUES (1, 1, 'x', 3), (2, NULL, 'y', 4)`,
	}, target: []string{
		teams, `CREATE TABLE people (id int PRIMARY KEY, team_id bigint, email text, age int NOT NULL)`,
	}, diffs: 2}},
	{renderCase: renderCase{name: "safe_unique", current: []string{
		teams, persons, `ALTER TABLE people ADD CONSTRAINT people_old UNIQUE (team_id, age)`,
		`INSERT INTO teams (name) VALUES ('a')`, `INSERT INTO people VALUES (1, 1, 'x', 3), (2, 1, NULL, NULL), (3, 1, NULL, NULL)`,
	}, target: []string{
		teams, persons, `ALTER TABLE people ADD CONSTRAINT "people email" UNIQUE (email) INCLUDE (age) DEFERRABLE INITIALLY DEFERRED`,
		`ALTER TABLE teams ADD CONSTRAINT teams_name UNIQUE NULLS NOT DISTINCT (name)`,
	}, diffs: 3}},
	{renderCase: renderCase{name: "safe_hostile", current: []string{
		"CREATE TABLE \"x\"\"; DROP TABLE teams; --\" (id int PRIMARY KEY, \"line\nbreak -- */ ;\" text)",
		"INSERT INTO \"x\"\"; DROP TABLE teams; --\" VALUES (1, 'v'), (2, 'w')",
	}, target: []string{
		"CREATE TABLE \"x\"\"; DROP TABLE teams; --\" (id int PRIMARY KEY, \"line\nbreak -- */ ;\" text NOT NULL CONSTRAINT \"c */ ;\" CHECK (\"line\nbreak -- */ ;\" <> ''))",
		"CREATE INDEX \"ix\n-- +autogen downgrade\" ON \"x\"\"; DROP TABLE teams; --\" (\"line\nbreak -- */ ;\")",
	}, diffs: 3}},
	{renderCase: renderCase{name: "safe_mixed", current: []string{
		teams, persons, `INSERT INTO people VALUES (1, 1, 'x', 3)`,
	}, target: []string{
		teams, persons, `ALTER TABLE people ADD COLUMN note text`, `CREATE INDEX people_email ON people (email)`,
	}, diffs: 2}, plain: true},
}

// With SafeForms, an index-and-constraint revision is written in the
// forms that hold lighter locks, marked no-transaction, and applied
// statement by statement (as the runner applies it) on a database holding
// rows, up, up again (every statement can be rerun), and down; a revision
// with another change keeps the plain forms and says why.
func TestRenderSafeForms(t *testing.T) {
	for _, tc := range safeCases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, current, target, ops := tc.setUp(t)
			res, err := pgrender.RenderWith(ops, current, target, pgrender.Options{SafeForms: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			checkSplit(t, res)
			golden.Check(t, filepath.Join("testdata", tc.name+".sql"), "-- upgrade\n"+res.Up+"\n-- downgrade\n"+res.Down)
			marked := strings.HasPrefix(res.Up, pgrender.NoTransactionMarker+"\n")
			warned := strings.Contains(strings.Join(res.Warnings, "\n"), "postgresql_safe_forms")
			if marked == tc.plain || warned != tc.plain {
				t.Fatalf("no-transaction marker %v, warning %v; want the safe forms %v:\n%s%v", marked, warned, !tc.plain, res.Up, res.Warnings)
			}
			if tc.plain {
				applyBoth(t, db, res, current, target)
				return
			}
			before := dump(t, db, false, nil)
			up, down := sections(res)
			for i, what := range []string{"upgrade", "upgrade run again"} {
				runEach(t, db, what, up)
				if ops := compare(t, inspect(t, db), target); len(ops) > 0 {
					t.Fatalf("after the %s (%d) the database differs from the models: %s", what, i, describe(ops))
				}
			}
			runEach(t, db, "downgrade", down)
			if ops := compare(t, inspect(t, db), current); len(ops) > 0 {
				t.Fatalf("after the downgrade the database differs from before: %s", describe(ops))
			}
			if after := dump(t, db, false, nil); after != before {
				t.Errorf("upgrade then downgrade changed the rows:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// A CREATE UNIQUE INDEX CONCURRENTLY that fails on duplicates leaves an
// INVALID index; once the duplicates are gone, running the upgrade again
// drops it and builds a valid one.
func TestSafeIndexRecovers(t *testing.T) {
	db := pgtest.New(t).DB
	mustExec(t, db, persons)
	mustExec(t, db, `INSERT INTO people VALUES (1, 1, 'x', 3), (2, 1, 'x', 4)`)
	_, target, _, res := renderTarget(t, db, []string{persons, `CREATE UNIQUE INDEX people_email ON people (email)`}, pgrender.Options{SafeForms: true})
	up, _ := sections(res)
	var failed bool
	for _, s := range up {
		if _, err := db.Exec(s); err != nil {
			failed = true
			break
		}
	}
	var valid []bool
	if err := scanAll(db, `SELECT indisvalid FROM pg_index WHERE indexrelid = 'people_email'::regclass`, &valid); err != nil || !failed || len(valid) != 1 || valid[0] {
		t.Fatalf("the first run: failed %v, index validity %v (%v); want a failure leaving an INVALID index", failed, valid, err)
	}
	mustExec(t, db, `DELETE FROM people WHERE id = 2`)
	runEach(t, db, "upgrade run again", up)
	if ops := compare(t, inspect(t, db), target); len(ops) > 0 {
		t.Fatalf("after the rerun the database differs from the models: %s", describe(ops))
	}
	if err := scanAll(db, `SELECT indisvalid FROM pg_index WHERE indexrelid = 'people_email'::regclass`, &valid); err != nil || len(valid) != 1 || !valid[0] {
		t.Fatalf("after the rerun the index is valid: %v (%v)", valid, err)
	}
}

func sections(res *render.Result) (up, down []string) {
	for i, c := range res.Changes {
		up = append(up, c.UpStatements...)
		down = append(down, res.Changes[len(res.Changes)-1-i].DownStatements...)
	}
	return up, down
}

// runEach runs each statement on its own, outside a transaction, as the
// runner runs a revision marked no-transaction.
func runEach(t *testing.T, db *sql.DB, what string, stmts []string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %s: %v", what, s, err)
		}
	}
}

func scanAll(db *sql.DB, q string, out *[]bool) error {
	*out = nil
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v bool
		if err := rows.Scan(&v); err != nil {
			return err
		}
		*out = append(*out, v)
	}
	return rows.Err()
}

func TestNoTransactionMarker(t *testing.T) {
	if pgrender.NoTransactionMarker != script.NoTransactionMarker {
		t.Errorf("pgrender writes %q, the script parser reads %q", pgrender.NoTransactionMarker, script.NoTransactionMarker)
	}
}

// Random index, unique and NOT NULL edits of tables holding rows: with
// SafeForms the revision is always written in the safe forms, passes
// Verify, and applies statement by statement up, up again and down.
func TestRenderSafeFormsProperty(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	total := 0
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 7))
		table := fmt.Sprintf("s%d", seed)
		var before, after []colSpec
		for ci := range 1 + r.IntN(4) {
			c := colSpec{name: fmt.Sprintf("C%d", ci), typ: []string{"integer", "text"}[r.IntN(2)], notNull: r.IntN(2) == 0, unique: r.IntN(3) == 0}
			before = append(before, c)
			switch r.IntN(3) {
			case 0:
				c.notNull = !c.notNull
			case 1:
				c.unique = !c.unique
			}
			after = append(after, c)
		}
		cur, tgt := ddl(table, before, r.IntN(2) == 0), ddl(table, after, r.IntN(2) == 0)
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			for _, s := range cur {
				mustExec(t, db, s)
			}
			for i := range 3 {
				var vals []string
				for _, c := range before {
					vals = append(vals, fmt.Sprintf("'%d'::%s", i, c.typ))
				}
				mustExec(t, db, fmt.Sprintf("INSERT INTO %s VALUES (DEFAULT, %s)", pgrender.Ident(table), strings.Join(vals, ", ")))
			}
			current, target, ops, res := renderTarget(t, db, tgt, pgrender.Options{SafeForms: true})
			total += len(ops)
			if len(ops) > 0 && !strings.HasPrefix(res.Up, pgrender.NoTransactionMarker+"\n") {
				t.Fatalf("not written in the safe forms (%s):\n%s", describe(ops), res.Up)
			}
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil {
				t.Fatalf("Verify: %v\n%s", err, res.Up)
			}
			up, down := sections(res)
			runEach(t, db, "upgrade", up)
			runEach(t, db, "upgrade run again", up)
			if ops := compare(t, inspect(t, db), target); len(ops) > 0 {
				t.Fatalf("after the upgrade the database differs from the models: %s\n%s", describe(ops), res.Up)
			}
			runEach(t, db, "downgrade", down)
			if ops := compare(t, inspect(t, db), current); len(ops) > 0 {
				t.Fatalf("after the downgrade the database differs from before: %s\n%s", describe(ops), res.Down)
			}
			mustExec(t, db, "DROP TABLE "+pgrender.Ident(table))
		})
	}
	t.Logf("%d operations in all", total)
	if total < 10 {
		t.Errorf("the generator made only %d operations in all", total)
	}
}
