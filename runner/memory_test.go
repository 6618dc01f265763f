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
	r, err := Open(ctx, Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Conn().ExecContext(ctx, "CREATE TABLE t (a INTEGER)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := r.Conn().QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE name = 't'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("table t not kept on the runner's connection: n=%d err=%v", n, err)
	}
	if err := r.Close(); err != nil {
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
	r2, err := Open(ctx, Memory, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	cur, err := r2.Current(ctx)
	if err != nil || !slices.Equal(cur, nil) {
		t.Fatalf("a second in-memory database is not fresh: %v %v", cur, err)
	}
}
