package schema

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

func FuzzParseCreateTable(f *testing.F) {
	for _, s := range testDDL(f) {
		f.Add(s)
	}
	files, _ := filepath.Glob("testdata/inspect/*.sql")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		stmts, _ := sqltext.SplitStatements(string(data))
		for _, s := range stmts {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = ParseCreateIndex(in)
		_, parseErr := ParseCreateTable(in)
		stmts, err := sqltext.SplitStatements(in)
		if err != nil || len(stmts) != 1 || !isCreateTable(stmts[0]) {
			return
		}
		db, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(stmts[0]); err != nil {
			return // SQLite rejects it too
		}
		stored := agreeWithSQLite(t, db)
		// Inspect cross-checks more than column names: generated columns,
		// the primary key and foreign keys.
		if _, err := Inspect(context.Background(), db); err != nil {
			t.Fatalf("SQLite accepts %q but Inspect fails: %v", in, err)
		}
		if parseErr != nil && stored == stmts[0] {
			t.Fatalf("SQLite accepts %q but ParseCreateTable fails: %v", in, parseErr)
		}
	})
}

// testDDL is the CREATE TABLE statements of testdata/ddl/seeds.sql at the
// module root, shared with package sqltext's fuzz tests.
func testDDL(f *testing.F) []string {
	f.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "ddl", "seeds.sql"))
	if err != nil {
		f.Fatal(err)
	}
	stmts, err := sqltext.SplitStatements(string(data))
	if err != nil {
		f.Fatal(err)
	}
	return stmts
}

func isCreateTable(stmt string) bool {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return false
	}
	var words []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			words = append(words, t)
		}
		if len(words) == 3 {
			break
		}
	}
	if len(words) < 2 || !words[0].Is("CREATE") {
		return false
	}
	return words[1].Is("TABLE") || len(words) == 3 && words[2].Is("TABLE") &&
		(words[1].Is("TEMP") || words[1].Is("TEMPORARY"))
}

// agreeWithSQLite parses the CREATE TABLE text SQLite stored and checks its
// column names against pragma_table_xinfo; it returns the stored text.
func agreeWithSQLite(t *testing.T, db *sql.DB) string {
	ctx := context.Background()
	var schemaName, name, stored string
	err := db.QueryRowContext(ctx, `SELECT 'main', name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		UNION ALL SELECT 'temp', name, sql FROM sqlite_temp_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`).Scan(&schemaName, &name, &stored)
	if err != nil {
		t.Fatalf("SQLite accepted the statement but stored no table: %v", err)
	}
	table, err := ParseCreateTable(stored)
	if err != nil {
		t.Fatalf("SQLite stored %q but ParseCreateTable fails: %v", stored, err)
	}
	rows, err := db.QueryContext(ctx, `SELECT name FROM pragma_table_xinfo(?, ?) ORDER BY cid`, name, schemaName)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var want []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		want = append(want, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range table.Columns {
		got = append(got, c.Name)
	}
	if !reflect.DeepEqual(got, want) || table.Name != name {
		t.Fatalf("parsing %q gives table %q columns %q, SQLite has %q columns %q", stored, table.Name, got, name, want)
	}
	return stored
}
