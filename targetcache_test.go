package autogen

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
	"github.com/autogen-dev/autogen/schema"
)

// TestCachedTarget checks that a target read back from the cache is the
// one FromDDL builds, byte for byte, for the benchmark models and for
// hostile DDL (names and defaults that are not UTF-8, quoting, generated columns, STRICT,
// WITHOUT ROWID, partial and expression indexes, triggers, views), and
// that the cache is consulted only for the same statements.
func TestCachedTarget(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		stmts []string
	}{
		{"workload", workload.DDL(20, 0)},
		{"hostile", []string{
			"CREATE TABLE \"t\xff\" (id INTEGER PRIMARY KEY, \"c\xfe\" TEXT NOT NULL DEFAULT 'x\xff''y' COLLATE NOCASE, g AS (id * 2) STORED)",
			`CREATE TABLE "order" (id INT, [x"y] varchar (100), ` + "`z``w`" + ` DECIMAL(10,2) CHECK ("z` + "`" + `w" > 0), PRIMARY KEY (id, [x"y])) WITHOUT ROWID`,
			`CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY, p INTEGER REFERENCES "order" (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED) STRICT`,
			`CREATE INDEX ix_kv ON kv (lower(k) DESC, v COLLATE BINARY) WHERE p IS NOT NULL`,
			`CREATE VIEW v AS SELECT k FROM kv`,
			`CREATE TRIGGER tr AFTER INSERT ON kv BEGIN SELECT 1; END`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			builds := 0
			build := func(ctx context.Context, stmts []string) (*schema.Schema, error) {
				builds++
				return schema.FromDDL(ctx, stmts)
			}
			want, err := schema.FromDDL(ctx, tc.stmts)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				got, err := cachedTarget(ctx, dir, tc.stmts, build)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("call %d: the target differs from FromDDL's", i+1)
				}
			}
			wantBuilds := 1
			if builds != wantBuilds {
				t.Errorf("built %d times, want %d", builds, wantBuilds)
			}
			// Other statements: another entry.
			other := append(tc.stmts[:len(tc.stmts):len(tc.stmts)], "CREATE TABLE extra (id INTEGER PRIMARY KEY)")
			got, err := cachedTarget(ctx, dir, other, build)
			if err != nil {
				t.Fatal(err)
			}
			if builds != wantBuilds+1 || len(got.Tables) != len(want.Tables)+1 {
				t.Errorf("other statements: built %d times, %d tables; want a build and %d tables", builds, len(got.Tables), len(want.Tables)+1)
			}
		})
	}
}

// TestCachedTargetInexact checks that a schema the encoding cannot give
// back exactly (gob reads an empty slice as nil) is never stored: every
// call builds, and returns what the build returned.
func TestCachedTargetInexact(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	builds := 0
	build := func(ctx context.Context, stmts []string) (*schema.Schema, error) {
		builds++
		return &schema.Schema{Tables: []*schema.Table{{Name: "t\xff", Columns: []*schema.Column{}}}}, nil
	}
	for range 2 {
		got, err := cachedTarget(ctx, dir, []string{"x"}, build)
		if err != nil {
			t.Fatal(err)
		}
		if got.Tables[0].Columns == nil || got.Tables[0].Name != "t\xff" {
			t.Fatalf("got %+v, not what the build returned", got.Tables[0])
		}
	}
	if builds != 2 {
		t.Errorf("built %d times, want 2 (no entry stored)", builds)
	}
}

// TestCachedTargetDamaged checks that a damaged or truncated entry is
// rebuilt, and that a failing build is returned and not stored.
func TestCachedTargetDamaged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	stmts := workload.DDL(3, 0)
	want, err := schema.FromDDL(ctx, stmts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cachedTarget(ctx, dir, stmts, schema.FromDDL); err != nil {
		t.Fatal(err)
	}
	entries, err := filepath.Glob(filepath.Join(dir, "target-*.gob"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("want one cache entry, have %v (%v)", entries, err)
	}
	for _, damage := range []string{"", "{", "\x03\xff\x81\x00"} {
		if err := os.WriteFile(entries[0], []byte(damage), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := cachedTarget(ctx, dir, stmts, schema.FromDDL)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("entry %q: the target differs from FromDDL's", damage)
		}
	}
	bad := []string{"CREATE TABLE broken ("}
	for range 2 {
		if _, err := cachedTarget(ctx, dir, bad, schema.FromDDL); err == nil {
			t.Fatal("a failing build returned no error")
		}
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "target-*.gob")); len(entries) != 1 {
		t.Errorf("a failing build was stored: %v", entries)
	}
}

// TestCachedInspect checks that an inspection read back from the cache is
// the one schema.Inspect gives, for the benchmark models and hostile DDL;
// that the cache is read when sqlite_schema holds the same rows (an entry
// planted under that key is what comes back) and not once a table or
// the skipped version table differs; and that a damaged entry is
// inspected again.
func TestCachedInspect(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		stmts []string
	}{
		{"workload", workload.DDL(20, 0)},
		{"hostile", []string{
			"CREATE TABLE \"t\xff\" (id INTEGER PRIMARY KEY, \"c\xfe\" TEXT NOT NULL DEFAULT 'x\xff''y', g AS (id * 2) STORED)",
			`CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY, p INTEGER REFERENCES "t` + "\xff" + `" (id) ON DELETE CASCADE) STRICT`,
			`CREATE INDEX ix_kv ON kv (lower(k) DESC) WHERE p IS NOT NULL`,
			`CREATE VIEW v AS SELECT k FROM kv`,
			`CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := sqlite{}.scratch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, s := range tc.stmts {
				if _, err := db.ExecContext(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			inspect := func() *schema.Schema {
				t.Helper()
				s, err := cachedInspect(ctx, db, dir, "alembic_version")
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			want, err := schema.Inspect(ctx, db, "alembic_version")
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				if got := inspect(); !reflect.DeepEqual(got, want) {
					t.Fatalf("call %d: the inspection differs from Inspect's", i+1)
				}
			}
			entries, _ := filepath.Glob(filepath.Join(dir, "inspect-*.gob"))
			if len(entries) != 1 {
				t.Fatalf("%d cache entries, want 1", len(entries))
			}
			planted := &schema.Schema{Tables: []*schema.Table{{Name: "planted"}}}
			writeTarget(dir, entries[0]+".new", planted)
			if err := os.Rename(entries[0]+".new", entries[0]); err != nil {
				t.Fatal(err)
			}
			if got := inspect(); len(got.Tables) != 1 || got.Tables[0].Name != "planted" {
				t.Fatal("the same sqlite_schema rows did not read the cache")
			}
			if _, err := db.ExecContext(ctx, `CREATE TABLE kv2 (a)`); err != nil {
				t.Fatal(err)
			}
			want, err = schema.Inspect(ctx, db, "alembic_version")
			if err != nil {
				t.Fatal(err)
			}
			if got := inspect(); !reflect.DeepEqual(got, want) {
				t.Fatal("a new table: the cache's older entry came back")
			}
			all, err := schema.Inspect(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := cachedInspect(ctx, db, dir); err != nil || !reflect.DeepEqual(got, all) {
				t.Fatalf("nothing skipped: %v, or the entry of an inspection that skipped the version table came back", err)
			}
			entries, _ = filepath.Glob(filepath.Join(dir, "inspect-*.gob"))
			for _, e := range entries {
				if err := os.WriteFile(e, []byte("damaged"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := inspect(); !reflect.DeepEqual(got, want) {
				t.Fatal("a damaged entry was not inspected again")
			}
		})
	}
}
