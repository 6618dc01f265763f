package render

import (
	"context"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

func TestLayoutCreateTable(t *testing.T) {
	tests := []struct{ in, want string }{
		{
			`CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(100) NOT NULL DEFAULT 'a, b', CHECK (length("name") > 0), FOREIGN KEY ("team_id") REFERENCES "teams" ("id"))`,
			"CREATE TABLE \"members\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY,\n    \"name\" VARCHAR(100) NOT NULL DEFAULT 'a, b',\n    CHECK (length(\"name\") > 0),\n    FOREIGN KEY (\"team_id\") REFERENCES \"teams\" (\"id\")\n)",
		},
		{
			`CREATE TABLE t (a, "b,c" TEXT) WITHOUT ROWID, STRICT`,
			"CREATE TABLE t (\n    a,\n    \"b,c\" TEXT\n) WITHOUT ROWID, STRICT",
		},
		{"CREATE TABLE t (\n  a\n)", "CREATE TABLE t (\n  a\n)"},
		{`CREATE TABLE t (a DEFAULT 'x`, `CREATE TABLE t (a DEFAULT 'x`},
	}
	for _, tt := range tests {
		if got := layoutCreateTable(tt.in); got != tt.want {
			t.Errorf("layoutCreateTable(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

// TestLayoutKeepsMeaning checks on SQLite that the laid-out text defines the
// same table as the original.
func TestLayoutKeepsMeaning(t *testing.T) {
	ctx := context.Background()
	orig := `CREATE TABLE "x y" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "v" DECIMAL(10,2) DEFAULT (1+2), "w" TEXT COLLATE NOCASE UNIQUE, CONSTRAINT "c,1" CHECK ("v" IN (1, 2, 3)))`
	a, err := schema.FromDDL(ctx, []string{orig})
	if err != nil {
		t.Fatal(err)
	}
	b, err := schema.FromDDL(ctx, []string{layoutCreateTable(orig)})
	if err != nil {
		t.Fatal(err)
	}
	if !schema.Equal(a, b) {
		t.Errorf("the laid-out table differs:\n%s\nfrom\n%s", b, a)
	}
}

// FuzzLayoutCreateTable checks that laying out any CREATE TABLE SQLite
// accepts gives a statement SQLite accepts as the same table.
func FuzzLayoutCreateTable(f *testing.F) {
	for _, s := range []string{
		`CREATE TABLE "members" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" VARCHAR NOT NULL, UNIQUE ("name"))`,
		`CREATE TABLE t (a DEFAULT ',', b CHECK (b IN (1,2)), c AS (a || ','), FOREIGN KEY (a) REFERENCES u (x))`,
		`CREATE TABLE t (a /* , */ INT, -- ,` + "\n" + `b)`,
		`CREATE TABLE [a,b] ([c,d] "e,f", 'g' DEFAULT (','))`,
	} {
		f.Add(s)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, sql string) {
		before, err := schema.FromDDL(ctx, []string{sql})
		if err != nil || len(before.Tables) != 1 {
			return // not a CREATE TABLE SQLite takes
		}
		laid := layoutCreateTable(sql)
		after, err := schema.FromDDL(ctx, []string{laid})
		if err != nil {
			t.Fatalf("layout of %q is rejected: %v\n%s", sql, err, laid)
		}
		if !schema.Equal(before, after) {
			t.Fatalf("layout of %q changed the table:\n%s\nbecame\n%s", sql, before, after)
		}
	})
}
