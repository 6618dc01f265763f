package schema

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// openDB runs script in a new database file and returns it open.
func openDB(t testing.TB, script string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	stmts, err := sqltext.SplitStatements(script)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("exec %q: %v", s, err)
		}
	}
	return db
}

// createStatements keeps the CREATE statements of a script.
func createStatements(t testing.TB, script string) []string {
	t.Helper()
	stmts, err := sqltext.SplitStatements(script)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range stmts {
		if strings.HasPrefix(strings.ToUpper(s), "CREATE") {
			out = append(out, s)
		}
	}
	return out
}

func TestInspectGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/inspect/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	ctx := context.Background()
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".sql")
		t.Run(name, func(t *testing.T) {
			script, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			db := openDB(t, string(script))
			var rows int
			if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table'`).Scan(&rows); err != nil || rows == 0 {
				t.Fatalf("database has no tables: %v", err)
			}
			s, err := Inspect(ctx, db, "alembic_version")
			if err != nil {
				t.Fatal(err)
			}
			got := s.String()
			golden := filepath.Join("testdata", "inspect", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Inspect differs from %s (run with -update to accept):\n%s", golden, got)
			}
			if s.Table("alembic_version") != nil {
				t.Error("the skipped version table was inspected")
			}
			// The same DDL through FromDDL gives the same model.
			fromDDL, err := FromDDL(ctx, createStatements(t, string(script)))
			if err != nil {
				t.Fatal(err)
			}
			fromDDL.Tables = dropTable(fromDDL.Tables, "alembic_version")
			if !Equal(s, fromDDL) {
				t.Errorf("FromDDL differs from Inspect:\n%s\nvs\n%s", fromDDL, s)
			}
		})
	}
}

func dropTable(ts []*Table, name string) []*Table {
	var out []*Table
	for _, t := range ts {
		if t.Name != name {
			out = append(out, t)
		}
	}
	return out
}
