package postgres

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogen-dev/autogen/internal/golden"
	"github.com/autogen-dev/autogen/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

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
	golden.Check(t, "testdata/kitchen_sink.golden", s.String())
}
