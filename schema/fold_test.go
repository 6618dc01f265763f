package schema

import (
	"context"
	"testing"
)

// SQLite folds ASCII letters only; Go's Unicode folding (ſ is s, the Kelvin
// sign is k, É is é) must not make a name a keyword or a type here either
// (sqltext's TestASCIIFolding covers the words themselves).
func TestASCIIFoldingNormalize(t *testing.T) {
	const kelvin = "\u212A"
	if NormalizeExpr("ſum(x)") == NormalizeExpr("sum(x)") || NormalizeType("ınt") == NormalizeType("INT") {
		t.Error("a name that only Unicode folding makes a keyword or type normalises like it")
	}
	// PRIMARY KEY with a Kelvin sign is no primary key to SQLite.
	if tbl, err := ParseCreateTable("CREATE TABLE t (a INTEGER PRIMARY " + kelvin + "EY)"); err == nil && tbl.PrimaryKey != nil {
		t.Errorf("PRIMARY %sEY parsed as a primary key", kelvin)
	}
}

// Tables whose names differ only beyond ASCII are two tables to SQLite, and
// Inspect keeps each one's columns and indexes apart.
func TestInspectNonASCIICase(t *testing.T) {
	ctx := context.Background()
	conn, done, err := OpenMemory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	for _, s := range []string{
		`CREATE TABLE "é" (a INTEGER, b TEXT)`, `CREATE INDEX "é_a" ON "é" (a)`,
		`CREATE TABLE "É" (c INTEGER)`, `CREATE INDEX "É_c" ON "É" (c)`,
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	s, err := Inspect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tables) != 2 {
		t.Fatalf("%d tables, want 2", len(s.Tables))
	}
	for _, tb := range s.Tables {
		want := map[string]string{"é": "é_a", "É": "É_c"}[tb.Name]
		if len(tb.Indexes) != 1 || tb.Indexes[0].Name != want {
			t.Errorf("table %q has indexes %v, want only %q", tb.Name, tb.Indexes, want)
		}
	}
}
