package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/autogen-dev/autogen"

	"example.com/app/migrations"
	"example.com/app/models"
)

// TestMigrations fails when a model changed without a revision; the
// revisions are replayed on a scratch database of the test server.
func TestMigrations(t *testing.T) {
	dsn := os.Getenv("TEST_DATABASE_URL")
	if dsn == "" {
		t.Fatal("TEST_DATABASE_URL names no test server")
	}
	diffs, err := autogen.CheckMigrationsPostgres(context.Background(), dsn, migrations.FS, (*models.Team)(nil), (*models.Member)(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("no revision for: %s", d)
	}
}
