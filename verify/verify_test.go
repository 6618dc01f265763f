package verify

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// renderWhole is Render with every round verified in one copy of the whole
// schema, as verify did before it isolated table groups: the reference the
// isolated verification must agree with.
func renderWhole(ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	return renderWith(context.Background(), schema.OpenMemory, ops, current, target, func(p *planner, ctx context.Context, groups []*opGroup, ups, downs []string) (bool, error) {
		steps := make([]step, len(groups))
		for i := range groups {
			steps[i] = step{group: i, up: ups[i], down: downs[i]}
		}
		return p.verifyWhole(ctx, groups, steps)
	})
}

// isolationCases need a group's copy to hold more than its own table: a
// view joining the rebuilt table to another, a renamed parent whose child
// changes in another group, renames on both sides of a foreign key cycle.
var isolationCases = []struct {
	name            string
	current, target string
	opts            diff.Options
	// rebuild lists the tables the upgrade rebuilds (render.Result.Rebuilt).
	rebuild []string
}{
	{name: "view_joins_two_tables",
		current: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 1);
CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER);
CREATE TABLE "z" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 1);
CREATE VIEW "v" AS SELECT a.n, b.id FROM a JOIN b ON b.a_id = a.id;
CREATE VIEW "w" AS SELECT count(*) AS c FROM v;`,
		target: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 2);
CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER);
CREATE TABLE "z" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 2);
CREATE VIEW "v" AS SELECT a.n, b.id FROM a JOIN b ON b.a_id = a.id;
CREATE VIEW "w" AS SELECT count(*) AS c FROM v;`,
		rebuild: []string{"a", "z"}},
	{name: "renamed_parent_child_changes",
		current: `CREATE TABLE "p" ("id" INTEGER PRIMARY KEY, "n" INTEGER);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_id" INTEGER REFERENCES "p" ("id"), "x" INTEGER);`,
		target: `CREATE TABLE "parent" ("id" INTEGER PRIMARY KEY, "n" INTEGER);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_id" INTEGER REFERENCES "parent" ("id"), "x" INTEGER, "y" INTEGER);`,
		opts: diff.Options{TableRenames: map[string]string{"p": "parent"}}},
	{name: "renamed_parent_column_child_rebuilt",
		current: `CREATE TABLE "p" ("id" INTEGER PRIMARY KEY, "code" TEXT UNIQUE);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_code" TEXT REFERENCES "p" ("code"), "x" INTEGER DEFAULT 1);`,
		target: `CREATE TABLE "p" ("id" INTEGER PRIMARY KEY, "key" TEXT UNIQUE);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_code" TEXT REFERENCES "p" ("key"), "x" INTEGER DEFAULT 2);`,
		opts:    diff.Options{ColumnRenames: map[string]map[string]string{"p": {"code": "key"}}},
		rebuild: []string{"c"}},
	{name: "fk_cycle_renamed",
		current: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "b_id" INTEGER REFERENCES "b" ("id"));
CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER REFERENCES "a" ("id"), "n" INTEGER DEFAULT 1);`,
		target: `CREATE TABLE "a2" ("id" INTEGER PRIMARY KEY, "b_id" INTEGER REFERENCES "b" ("id"));
CREATE TABLE "b" ("id" INTEGER PRIMARY KEY, "a_id" INTEGER REFERENCES "a2" ("id"), "n" INTEGER DEFAULT 2);`,
		opts:    diff.Options{TableRenames: map[string]string{"a": "a2"}},
		rebuild: []string{"b"}},
	{name: "trigger_on_other_table_names_rebuilt_table",
		current: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 1);
CREATE TABLE "log" ("msg" TEXT);
CREATE TRIGGER "tr" AFTER INSERT ON "log" BEGIN UPDATE a SET n = n; END;`,
		target: `CREATE TABLE "a" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 2);
CREATE TABLE "log" ("msg" TEXT);
CREATE TRIGGER "tr" AFTER INSERT ON "log" BEGIN UPDATE a SET n = n; END;`,
		rebuild: []string{"a"}},
}

// TestVerifyIsolation renders cases whose groups depend on tables outside
// their own, checks the SQL migrates a database holding rows both ways,
// and that it is exactly what whole-schema verification renders.
func TestVerifyIsolation(t *testing.T) {
	for _, tc := range isolationCases {
		t.Run(tc.name, func(t *testing.T) {
			cur, tgt, ops := sqlitetest.CompareDDL(t, tc.current, tc.target, tc.opts)
			res := sameAsWhole(t, ops, cur, tgt)
			if !slices.Equal(res.Rebuilt, tc.rebuild) {
				t.Errorf("render.Result.Rebuilt = %q, want %q", res.Rebuilt, tc.rebuild)
			}
			d := sqlitetest.New(t, tc.current)
			for _, tbl := range cur.Tables {
				d.Exec(fmt.Sprintf("INSERT INTO %s DEFAULT VALUES", sqltext.QuoteIdent(tbl.Name)))
			}
			before := d.Master()
			if err := d.Migrate(res.Up); err != nil {
				t.Fatalf("upgrade: %v\n%s", err, res.Up)
			}
			if got := d.Inspect(); !schema.Equal(got, tgt) {
				t.Errorf("after upgrade the schema is not the target:\n%s", strings.Join(d.Master(), "\n"))
			}
			if err := d.Migrate(res.Down); err != nil {
				t.Fatalf("downgrade: %v\n%s", err, res.Down)
			}
			if after := d.Master(); !slices.Equal(after, before) {
				t.Errorf("downgrade did not restore sqlite_master:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
			}
		})
	}
}

// sameAsWhole renders ops with isolated verification and fails unless
// whole-schema verification gives the same result.
func sameAsWhole(t *testing.T, ops []diff.Op, cur, tgt *schema.Schema) *render.Result {
	t.Helper()
	got, err := renderChecked(ops, cur, tgt)
	want, werr := renderWhole(ops, cur, tgt)
	if (err == nil) != (werr == nil) {
		t.Fatalf("isolated verification: %v; whole schema: %v", err, werr)
	}
	if err != nil {
		return nil
	}
	if got.Up != want.Up || got.Down != want.Down || !slices.Equal(got.Warnings, want.Warnings) || !slices.Equal(got.Rebuilt, want.Rebuilt) {
		t.Fatalf("isolated verification renders\n%s\n%s\nwhole-schema verification renders\n%s\n%s", got.Up, got.Down, want.Up, want.Down)
	}
	return got
}

// TestVerifyMatchesWhole compares isolated and whole-schema verification on
// every golden case and on random schema pairs.
func TestVerifyMatchesWhole(t *testing.T) {
	for _, tc := range renderCases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.current == "" {
				tc.current = sqlitetest.TeamsDDL + sqlitetest.MembersDDL
			}
			if tc.target == "" {
				tc.target = sqlitetest.TeamsDDL + sqlitetest.MembersDDL
			}
			cur, tgt, ops := sqlitetest.CompareDDL(t, tc.current, tc.target, tc.opts)
			sameAsWhole(t, ops, cur, tgt)
		})
	}
	n := 150
	if testing.Short() {
		n = 20
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		a, b := sqlitetest.RandomSchema(r), sqlitetest.RandomSchema(r)
		t.Run(fmt.Sprint("random", i), func(t *testing.T) {
			cur, tgt, ops := sqlitetest.CompareDDL(t, a.DDL(true), b.DDL(false), diff.Options{})
			sameAsWhole(t, ops, cur, tgt)
		})
	}
}

// TestVerifyScope checks what each table group's copy holds and which
// groups share a copy.
func TestVerifyScope(t *testing.T) {
	cases := []struct {
		name, current, target string
		opts                  diff.Options
		scope                 map[string][]string // group table -> tables, views and triggers in its copy
		clusters              [][]string
	}{
		{name: "view_joins_two_tables", current: isolationCases[0].current, target: isolationCases[0].target,
			scope:    map[string][]string{"a": {"a", "b", "v", "w"}, "z": {"z"}},
			clusters: [][]string{{"a"}, {"z"}}},
		{name: "renamed_parent", current: isolationCases[1].current, target: isolationCases[1].target, opts: isolationCases[1].opts,
			scope:    map[string][]string{"parent": {"c", "p"}, "c": {"c", "p"}},
			clusters: [][]string{{"c", "parent"}}},
		{name: "trigger_on_other_table", current: isolationCases[4].current, target: isolationCases[4].target,
			scope:    map[string][]string{"a": {"a", "log", "tr"}},
			clusters: [][]string{{"a"}}},
		{name: "fk_cycle_renamed", current: isolationCases[3].current, target: isolationCases[3].target, opts: isolationCases[3].opts,
			scope:    map[string][]string{"a2": {"a", "b"}, "b": {"a", "b"}},
			clusters: [][]string{{"a2", "b"}}},
		{name: "unrelated_rebuilds", current: `CREATE TABLE "p" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 1);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_id" INTEGER REFERENCES "p" ("id"), "n" INTEGER DEFAULT 1);`,
			target: `CREATE TABLE "p" ("id" INTEGER PRIMARY KEY, "n" INTEGER DEFAULT 2);
CREATE TABLE "c" ("id" INTEGER PRIMARY KEY, "p_id" INTEGER REFERENCES "p" ("id"), "n" INTEGER DEFAULT 2);`,
			scope:    map[string][]string{"p": {"c", "p"}, "c": {"c", "p"}},
			clusters: [][]string{{"c"}, {"p"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cur, tgt, ops := sqlitetest.CompareDDL(t, tc.current, tc.target, tc.opts)
			p := &planner{current: cur, target: tgt, live: render.Live(ops, cur)}
			res, err := render.Render(ops, cur, tgt, render.Options{})
			if err != nil {
				t.Fatal(err)
			}
			groups := groupsOf(res.Changes)
			x := newScopeIndex(p, groups, make([]step, len(groups)))
			for _, g := range groups {
				if g.table == "" {
					continue
				}
				sc := newScope()
				x.add(sc, g)
				got := slices.Sorted(maps.Keys(sc.tables))
				for v := range sc.views {
					got = append(got, v.Name)
				}
				for tr := range sc.trigs {
					got = append(got, tr.Name)
				}
				slices.Sort(got)
				if want := tc.scope[g.table]; !slices.Equal(got, want) {
					t.Errorf("copy for %s holds %q, want %q", g.table, got, want)
				}
			}
			var clusters [][]string
			for _, c := range x.clusters() {
				var names []string
				for _, i := range c {
					names = append(names, groups[i].table)
				}
				slices.Sort(names)
				clusters = append(clusters, names)
			}
			slices.SortFunc(clusters, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
			if fmt.Sprint(clusters) != fmt.Sprint(tc.clusters) {
				t.Errorf("clusters %q, want %q", clusters, tc.clusters)
			}
		})
	}
}

// TestRenderCancelled: the checks run under the caller's context, so a
// cancelled one (Ctrl-C in the CLI) stops them with its error rather than
// letting them run to the end.
func TestRenderCancelled(t *testing.T) {
	cur, tgt, ops := sqlitetest.CompareDDL(t, sqlitetest.TeamsDDL+sqlitetest.MembersDDL, sqlitetest.Members(`"name" VARCHAR(100) NOT NULL DEFAULT 'x', "nick" VARCHAR`), diff.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, schema.OpenMemory, ops, cur, tgt); !errors.Is(err, context.Canceled) {
		t.Fatalf("Render on a cancelled context: %v, want context.Canceled", err)
	}
}
