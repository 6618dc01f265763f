package loader

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

// TestExampleModelsFromDDL checks the loader's statements for the example
// models build the schema the pipeline expects: teams, and members with a
// foreign key to it.
func TestExampleModelsFromDDL(t *testing.T) {
	ctx := context.Background()
	r, err := Load(ctx, Options{Dir: "..", Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := schema.FromDDL(ctx, r.Statements)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]*schema.Table{}
	for _, tb := range s.Tables {
		tables[tb.Name] = tb
	}
	if tables["teams"] == nil || tables["members"] == nil || len(tables) != 2 {
		t.Fatalf("tables = %v, want teams and members", slices.Sorted(maps.Keys(tables)))
	}
	fks := tables["members"].ForeignKeys
	if len(fks) != 1 || fks[0].RefTable != "teams" || !slices.Equal(fks[0].Columns, []string{"team_id"}) {
		t.Errorf("members foreign keys = %+v, want team_id -> teams", fks)
	}
}
