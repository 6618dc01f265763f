package schema

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// benchDDL makes n tables of 12 columns, each with a foreign key to the
// previous one, a UNIQUE, a CHECK and an index.
func benchDDL(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN;\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `CREATE TABLE "t%04d" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(100) NOT NULL COLLATE NOCASE,
  code TEXT CONSTRAINT "t%04d_code_key" UNIQUE,
  parent_id INTEGER REFERENCES "t%04d" (id) ON DELETE CASCADE,
  amount NUMERIC(10,2) DEFAULT 0 CHECK (amount >= 0),
  c5 TEXT, c6 INTEGER DEFAULT 1, c7 REAL, c8 BLOB,
  c9 TIMESTAMP DEFAULT CURRENT_TIMESTAMP, c10 BOOLEAN NOT NULL DEFAULT FALSE,
  c11 TEXT AS (upper(name)) VIRTUAL
);
CREATE INDEX "t%04d_name" ON "t%04d" (name, c6 DESC) WHERE c5 IS NOT NULL;
INSERT INTO "t%04d" (name, code) VALUES ('a', 'x'), ('b', NULL);
`, i, i, max(i-1, 0), i, i, i)
	}
	b.WriteString("COMMIT;\n")
	return b.String()
}

func BenchmarkInspect(b *testing.B) {
	for _, n := range []int{50, 200, 1000, 2000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			db := openDB(b, benchDDL(n))
			ctx := context.Background()
			s, err := Inspect(ctx, db)
			if err != nil {
				b.Fatal(err)
			}
			if len(s.Tables) != n || len(s.Tables[n-1].Indexes) != 1 || len(s.Tables[n-1].ForeignKeys) != 1 {
				b.Fatalf("inspected %d tables, want %d with one index and one foreign key", len(s.Tables), n)
			}
			for b.Loop() {
				if _, err := Inspect(ctx, db); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFromDDL measures building the target schema from the models'
// statements: n tables, each with its index.
func BenchmarkFromDDL(b *testing.B) {
	for _, n := range []int{50, 200, 1000, 2000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			var stmts []string
			all, err := sqltext.SplitStatements(benchDDL(n))
			if err != nil {
				b.Fatal(err)
			}
			for _, s := range all {
				if strings.HasPrefix(s, "CREATE") {
					stmts = append(stmts, s)
				}
			}
			ctx := context.Background()
			for b.Loop() {
				s, err := FromDDL(ctx, stmts)
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Tables) != n {
					b.Fatalf("%d tables, want %d", len(s.Tables), n)
				}
			}
		})
	}
}
