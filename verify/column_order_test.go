package verify

import (
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
)

// TestRebuildCopiesByName runs a rebuild generated on one database on
// another whose table holds the same columns in another order (one got a
// column by ADD COLUMN, the other was created from the models): every value
// must stay in its own column, in both directions.
func TestRebuildCopiesByName(t *testing.T) {
	appended := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "c" VARCHAR, "b" VARCHAR)`
	modelOrder := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "b" VARCHAR, "c" VARCHAR)`
	target := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "b" VARCHAR, "c" VARCHAR, UNIQUE ("a"))`
	for _, tt := range []struct{ name, generatedOn, runOn string }{
		{"generated on the appended order", appended, modelOrder},
		{"generated on the model order", modelOrder, appended},
	} {
		t.Run(tt.name, func(t *testing.T) {
			current, want, ops := sqlitetest.CompareDDL(t, tt.generatedOn, target, diff.Options{})
			up, down, err := sqlOf(ops, current, want)
			if err != nil {
				t.Fatal(err)
			}
			d := sqlitetest.New(t, tt.runOn, `INSERT INTO t (a, b, c) VALUES ('A1', 'B1', 'C1'), ('A2', 'B2', 'C2')`)
			const rows = "SELECT a || b || c FROM t ORDER BY id"
			wantRows := []string{"A1B1C1", "A2B2C2"}
			if err := d.Migrate(up); err != nil {
				t.Fatalf("upgrade: %v\n%s", err, up)
			}
			if got := d.Strings(rows); !slices.Equal(got, wantRows) {
				t.Fatalf("after the upgrade rows are %v, want %v\n%s", got, wantRows, up)
			}
			if err := d.Migrate(down); err != nil {
				t.Fatalf("downgrade: %v\n%s", err, down)
			}
			if got := d.Strings(rows); !slices.Equal(got, wantRows) {
				t.Fatalf("after the downgrade rows are %v, want %v\n%s", got, wantRows, down)
			}
		})
	}
}

// TestZeroFillRisks checks that a downgrade refilling dropped NOT NULL
// columns with one value warns where that value cannot hold on a table with
// rows, and that the warnings are true on such a table.
func TestZeroFillRisks(t *testing.T) {
	parent := `CREATE TABLE "p" ("id" INTEGER NOT NULL PRIMARY KEY)`
	before := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY, "u1" INTEGER NOT NULL, "u2" INTEGER NOT NULL, "pid" INTEGER NOT NULL, "c" INTEGER NOT NULL, UNIQUE ("u1", "u2"), FOREIGN KEY ("pid") REFERENCES "p" ("id"), CHECK (c > 0))`
	after := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY, "u1" INTEGER NOT NULL)`
	current, target, ops := sqlitetest.CompareDDL(t, parent+";"+before, parent+";"+after, diff.Options{})
	up, down, err := sqlOf(ops, current, target)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-- WARNING: column t.u2 comes back with 0 in every row, under the unique rule (u1, u2): the downgrade fails if two rows agree on its other columns",
		"-- WARNING: column t.pid comes back with 0 in every row, which its foreign key to p must find there: the downgrade fails unless p has such a row",
		"-- WARNING: column t.c comes back with 0 in every row, which must pass CHECK (c > 0)",
	} {
		if !strings.Contains(down, want) {
			t.Errorf("downgrade lacks %q:\n%s", want, down)
		}
	}
	d := sqlitetest.New(t, parent, before, `INSERT INTO p VALUES (1); INSERT INTO t VALUES (1, 7, 1, 1, 1), (2, 7, 2, 1, 1)`)
	if err := d.Migrate(up); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if err := d.Migrate(down); err == nil {
		t.Fatalf("the downgrade applied although two rows share u1 and get u2 = 0:\n%s", down)
	}
}
