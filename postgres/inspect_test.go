package postgres

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) { pgtest.Main(m) }

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the inspection:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// fixture runs testdata/name (many statements: pgx's simple protocol
// takes them in one Exec) in a fresh database and returns it.
func fixture(t *testing.T, name string) *pgtest.Database {
	t.Helper()
	d := pgtest.New(t)
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.DB.ExecContext(context.Background(), string(body)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func TestInspectKitchenSink(t *testing.T) {
	d := fixture(t, "kitchen_sink.sql")
	s, err := Inspect(context.Background(), d.DB, InspectOptions{Skip: []string{"alembic_version"}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "kitchen_sink.golden", s.String())
}
