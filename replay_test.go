package autogen

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

// TestReplayFrom brings a copy of a database holding rows from its first
// revision to the head of the example app's revisions; the database itself
// stays as it was.
func TestReplayFrom(t *testing.T) {
	ctx := context.Background()
	d, err := script.Load("migrations")
	if err != nil {
		t.Fatal(err)
	}
	revs := d.Revisions()
	if len(revs) < 2 {
		t.Fatalf("the example app has %d revisions, want at least 2", len(revs))
	}
	path := filepath.Join(t.TempDir(), "prod.db")
	src, err := runner.OpenFile(ctx, path, runner.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	base := d.Bases()[0]
	if _, err := runner.FromDir(src, d).Upgrade(ctx, base); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Exec(`INSERT INTO teams (name) VALUES ('red'); INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 1)`); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	cp, applied, closeCopy, err := ReplayFrom(ctx, src, "prod.db", d, runner.DefaultVersionTable)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(revs)-1 || applied[0].Revision == base {
		t.Errorf("applied %+v, want every revision after %s", applied, base)
	}
	var n int
	if err := cp.QueryRow(`SELECT count(*) FROM members WHERE age IS NULL`).Scan(&n); err != nil || n != 2 {
		t.Errorf("the copy at the head holds %d members with the new column (%v), want 2", n, err)
	}
	heads, err := runner.FromDir(cp, d).Current(ctx)
	if err != nil || len(heads) != 1 || heads[0] != d.Heads()[0] {
		t.Errorf("the copy is at %v (%v), want %v", heads, err, d.Heads())
	}
	if err := closeCopy(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("ReplayFrom changed the database it copied")
	}
	if cur, err := runner.FromDir(src, d).Current(ctx); err != nil || len(cur) != 1 || cur[0] != base {
		t.Errorf("the database is at %v (%v) after ReplayFrom, want %s", cur, err, base)
	}
}
