package schema

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// manyTables is n tables, each referencing the one before it, every other
// one with an index, enough to fill several shards.
func manyTables(n int) []string {
	var stmts []string
	for i := range n {
		stmts = append(stmts, fmt.Sprintf(`CREATE TABLE "t%03d" (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, p INTEGER REFERENCES "t%03d" (id) ON DELETE CASCADE)`, i, max(i-1, 0)))
		if i%2 == 0 {
			stmts = append(stmts, fmt.Sprintf(`CREATE INDEX "t%03d_name" ON "t%03d" (name DESC)`, i, i))
		}
	}
	return stmts
}

// TestFromDDLShards checks that the sharded build gives exactly what one
// database gives, errors included, also where shards cannot be used.
func TestFromDDLShards(t *testing.T) {
	n := 3*shardTables + 5
	base := manyTables(n)
	with := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }
	tests := []struct {
		name    string
		stmts   []string
		sharded bool   // the statements split into several shards
		wantErr string // "" for success
	}{
		{"bun-like", base, true, ""},
		{"index on a table of another shard", with(`CREATE INDEX "late" ON "t000" (name)`), true, ""},
		{"same index name in two shards", with(`CREATE TABLE "z" (id INTEGER PRIMARY KEY, name TEXT)`, `CREATE INDEX IF NOT EXISTS "t000_name" ON "z" (name)`), true, ""},
		{"table name reused by an index", with(`CREATE TABLE "z" (id INTEGER PRIMARY KEY)`, `CREATE INDEX "t001" ON "z" (id)`), true, "statement"},
		{"duplicate table", with(`CREATE TABLE "T000" (id INTEGER PRIMARY KEY)`), true, "already exists"},
		{"view", with(`CREATE VIEW v AS SELECT id FROM t001`), false, ""},
		{"bad statement", with(`CREATE TABLE "z" (`), true, "statement"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(shard(tt.stmts)) > 1; got != tt.sharded {
				t.Fatalf("sharded = %v, want %v", got, tt.sharded)
			}
			got, err := FromDDL(ctx, tt.stmts)
			want, wantErr := fromOne(ctx, tt.stmts)
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("error %v, one database gives %v", err, wantErr)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("the sharded schema differs from the one-database schema")
			}
			if len(got.Tables) < n {
				t.Errorf("%d tables, want at least %d", len(got.Tables), n)
			}
		})
	}
}

func TestCreateKind(t *testing.T) {
	tests := []struct{ stmt, want string }{
		{`CREATE TABLE "a" (id INTEGER)`, "table"},
		{"/* c */ create table a(id)", "table"},
		{`CREATE TABLE IF NOT EXISTS a (id)`, ""},
		{`CREATE TEMP TABLE a (id)`, ""},
		{`CREATE TABLE main.a (id)`, ""},
		{`CREATE TABLE a AS SELECT 1`, ""},
		{`CREATE INDEX i ON a (id)`, "index"},
		{`CREATE UNIQUE INDEX IF NOT EXISTS i ON a (id)`, "index"},
		{`CREATE VIEW v AS SELECT 1`, ""},
		{`INSERT INTO a VALUES (1)`, ""},
		{`CREATE TABLE 'a`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := createKind(tt.stmt); got != tt.want {
			t.Errorf("createKind(%q) = %q, want %q", tt.stmt, got, tt.want)
		}
	}
}
