package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/script"
)

// A failing statement is named by its revision file and the line it starts
// on, and by its first 80 characters on one line.
func TestFailingStatementLocation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "bbbbbbbbbbbb_bad.sql")
	text := "-- bad\n--\n-- Revision ID: bbbbbbbbbbbb\n-- Revises: " + idA + "\n-- Create Date: 2026-11-25 09:41:07.512344\n\n" +
		"-- +autogen upgrade\n\n\n" + // lines 7-9
		"CREATE TABLE extra (id INTEGER PRIMARY KEY);\n" + // line 10
		"-- a comment\n" + // 11
		"INSERT\n" + // 12: the failing statement starts here
		"  INTO no_such_table (a, b)\n" +
		"  VALUES (1, 'a long value that makes this statement longer than eighty characters');\n" +
		"\n-- +autogen downgrade\n" +
		"DROP TABLE extra;\n" +
		"INSERT INTO\n" + // line 18
		"  missing VALUES (1);\n"
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := script.Parse(file, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	g := appGraph()
	g = newGraph(g[idA], rb)
	r := open(t, filepath.Join(dir, "app.db"), g.dir())
	_, err = r.Upgrade(ctx, rb.ID)
	if err == nil {
		t.Fatal("upgrade succeeded")
	}
	want := `(` + file + `:12) failed at the statement "INSERT INTO no_such_table (a, b) VALUES (1, 'a long value that makes this statem..."`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q\nlacks %q", err, want)
	}
	// The downgrade section counts from its own marker.
	rb.Upgrade = "CREATE TABLE extra (id INTEGER PRIMARY KEY);"
	if _, err := r.Upgrade(ctx, rb.ID); err != nil {
		t.Fatal(err)
	}
	_, err = r.Downgrade(ctx, idA)
	if err == nil || !strings.Contains(err.Error(), file+`:18) failed at the statement "INSERT INTO missing VALUES (1)"`) {
		t.Errorf("downgrade error %v", err)
	}
}
