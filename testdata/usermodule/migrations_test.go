package app_test

import (
	"context"
	"testing"

	"github.com/autogen-dev/autogen"

	"example.com/app/migrations"
	"example.com/app/models"
)

// TestMigrations fails when a model changed without a revision.
func TestMigrations(t *testing.T) {
	diffs, err := autogen.CheckMigrations(context.Background(), migrations.FS, (*models.Team)(nil), (*models.Member)(nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("no revision for: %s", d)
	}
}
