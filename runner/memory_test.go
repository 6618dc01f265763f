package runner

import (
	"context"
	"os"
	"slices"
	"testing"
)

// TestOpenMemory opens a private in-memory database: nothing is written to
// the working folder and the schema lives as long as the runner.
func TestOpenMemory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	ctx := context.Background()
	db, err := OpenFile(ctx, Memory, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (a INTEGER)"); err != nil {
		t.Fatal(err)
	}
	// A run takes the one connection and gives it back: the database
	// lives on.
	r := FromDir(db, appGraph().dir())
	if _, err := r.Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name IN ('t', 'teams', 'alembic_version')").Scan(&n); err != nil || n != 3 {
		t.Fatalf("tables not kept on the one connection: n=%d err=%v", n, err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Fatalf("current = %v", got)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("opening %s wrote files: %v", Memory, names)
	}
	db2, err := OpenFile(ctx, Memory, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	cur, err := FromDir(db2, appGraph().dir()).Current(ctx)
	if err != nil || !slices.Equal(cur, nil) {
		t.Fatalf("a second in-memory database is not fresh: %v %v", cur, err)
	}
}
