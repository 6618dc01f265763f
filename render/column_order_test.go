package render

import (
	"context"
	"slices"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// TestRebuildCopiesByName runs a rebuild generated on one database on
// another whose table holds the same columns in another order (one got a
// column by ADD COLUMN, the other was created from the models): every value
// must stay in its own column, in both directions.
func TestRebuildCopiesByName(t *testing.T) {
	ctx := context.Background()
	appended := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "c" VARCHAR, "b" VARCHAR)`
	modelOrder := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "b" VARCHAR, "c" VARCHAR)`
	target := `CREATE TABLE "t" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "a" VARCHAR, "b" VARCHAR, "c" VARCHAR, UNIQUE ("a"))`
	for _, tt := range []struct{ name, generatedOn, runOn string }{
		{"generated on the appended order", appended, modelOrder},
		{"generated on the model order", modelOrder, appended},
	} {
		t.Run(tt.name, func(t *testing.T) {
			current, err := schema.FromDDL(ctx, []string{tt.generatedOn})
			if err != nil {
				t.Fatal(err)
			}
			want, err := schema.FromDDL(ctx, []string{target})
			if err != nil {
				t.Fatal(err)
			}
			ops, err := diff.Compare(current, want, diff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			up, down, err := SQL(ops, current, want)
			if err != nil {
				t.Fatal(err)
			}
			d := newDB(t, tt.runOn, `INSERT INTO t (a, b, c) VALUES ('A1', 'B1', 'C1'), ('A2', 'B2', 'C2')`)
			const rows = "SELECT a || b || c FROM t ORDER BY id"
			wantRows := []string{"A1B1C1", "A2B2C2"}
			if err := d.migrate(up); err != nil {
				t.Fatalf("upgrade: %v\n%s", err, up)
			}
			if got := d.strings(rows); !slices.Equal(got, wantRows) {
				t.Fatalf("after the upgrade rows are %v, want %v\n%s", got, wantRows, up)
			}
			if err := d.migrate(down); err != nil {
				t.Fatalf("downgrade: %v\n%s", err, down)
			}
			if got := d.strings(rows); !slices.Equal(got, wantRows) {
				t.Fatalf("after the downgrade rows are %v, want %v\n%s", got, wantRows, down)
			}
		})
	}
}
