package autogen

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

// FuzzRevisionStatements is issue 11's property: whatever a table, column,
// index, view or trigger name, a default or a message holds, the
// statements a revision file runs are exactly the ones the plan meant. The
// names go through the pipeline users run: models' DDL and a live database
// holding rows -> Compare -> Plan (comments, DESTRUCTIVE notes, rebuild
// reasons, warnings, the safety report) -> revision file -> script.Parse ->
// the runner's statement splitter, and SQLite's own sqlite3_complete
// agrees on where each statement ends.
func FuzzRevisionStatements(f *testing.F) {
	for _, s := range [][5]string{
		{"t", "c", "ix", "x", "add things"},
		{"a\nDROP TABLE victims;\n--x", "d\nDELETE FROM t;\n--x", "i\r\nDROP TABLE victims;", "'; DELETE FROM victims; --", "m\nDROP TABLE victims;"},
		{"a\rDROP TABLE victims;", "b\u2028DELETE FROM victims;", "c\u2029x", "d\u0085e", "e\u2028f"},
		{"t\vx", "c\fy", "i\x1b[2J", "\x00", "\x1b]0;t\x07"},
		{"*/ DROP TABLE victims; /*", "c\n;", "END; DROP TABLE victims; --", "\n", "-- +autogen downgrade"},
		{"größe", "名前", "ſelect", "caſe\nEND;", "\t\ttabs"},
		{"a\n-- +autogen downgrade\nDROP TABLE victims;", "b\r\n-- +autogen upgrade\r\n", "x'y\"z`w[v]", "'\r\n'", "multi\nline\r\nmessage"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, table, column, index, def, msg string) {
		for _, n := range []string{table, column, index, def} {
			if strings.ContainsRune(n, 0) {
				t.Skip("SQLite's C strings end at NUL")
			}
		}
		ctx := context.Background()
		current, target, ok := commentSchemas(table, column, index, def)
		if !ok {
			t.Skip("names that collide")
		}
		db := liveDB(t, current)
		if db == nil {
			t.Skip("names SQLite refuses")
		}
		c, err := Compare(ctx, &Models{Statements: target}, db, Options{})
		if err != nil {
			t.Skip(err) // names SQLite refuses in the target, renames that collide
		}
		plan, err := c.Plan(ctx)
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		file, err := script.RenderRevision("fuzz.sql", script.DefaultTemplate, script.RevisionFile{
			ID: "0123456789ab", Message: msg, Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Upgrade: plan.Up(), Downgrade: plan.Down(),
		})
		if errors.Is(err, script.ErrRevisionFile) {
			t.Skip(err) // refused, not written: a message holding a section marker
		}
		if err != nil {
			t.Fatal(err)
		}
		rev, err := script.Parse("fuzz.sql", file)
		if err != nil {
			t.Fatalf("the revision file does not parse: %v\n%s", err, file)
		}
		var up, down []string
		for i, c := range plan.Changes {
			up = append(up, c.UpStatements...)
			down = append(down, plan.Changes[len(plan.Changes)-1-i].DownStatements...)
		}
		checkSection(t, "upgrade", rev.Upgrade, up, file)
		checkSection(t, "downgrade", rev.Downgrade, down, file)
	})
}

// liveDB is an in-memory database holding stmts and a row in most
// tables, so that the plan carries a safety report naming them; nil when
// SQLite refuses a statement.
func liveDB(t *testing.T, stmts []string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := runner.OpenFile(ctx, runner.Memory, runner.FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return nil
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	for _, n := range tables {
		// A row the table's CHECK refuses is left out; the others are enough.
		_, _ = db.ExecContext(ctx, "INSERT INTO "+sqltext.QuoteIdent(n)+" DEFAULT VALUES")
	}
	return db
}

// commentSchemas builds the current and target schemas around the names:
// table loses column (indexed, in a CHECK, in a view), gains one and
// makes another NOT NULL (a rebuild, with its warnings); a table named
// column is added, one named index dropped, a trigger named for index
// added on victims, which must keep its rows.
func commentSchemas(table, column, index, def string) (current, target []string, ok bool) {
	// Tables, indexes, views and triggers share one namespace in SQLite;
	// names that collide there are another test's matter.
	seen := map[string]bool{}
	for _, n := range []string{"victims", table, column, index, index + "_old", column + "_v", index + "_trg"} {
		if k := strings.ToLower(n); seen[k] || strings.HasPrefix(k, "sqlite_") {
			return nil, nil, false
		} else {
			seen[k] = true
		}
	}
	q, s := sqltext.QuoteIdent, sqltext.QuoteString
	T, C, I := q(table), q(column), q(index)
	victims := `CREATE TABLE "victims" ("id" INTEGER PRIMARY KEY, "name" TEXT)`
	current = []string{
		victims,
		"CREATE TABLE " + T + ` ("id" INTEGER PRIMARY KEY, ` + C + " TEXT DEFAULT " + s(def) + `, "keep" TEXT, CHECK (` + C + " <> " + s(def) + "))",
		"CREATE INDEX " + I + " ON " + T + " (" + C + ")",
		"CREATE TABLE " + q(index+"_old") + ` ("id" INTEGER PRIMARY KEY)`,
		"CREATE VIEW " + q(column+"_v") + " AS SELECT " + C + " FROM " + T,
	}
	target = []string{
		victims,
		"CREATE TABLE " + T + ` ("id" INTEGER PRIMARY KEY, "keep" TEXT NOT NULL, "extra" TEXT DEFAULT ` + s(def) + ")",
		"CREATE TABLE " + C + ` ("id" INTEGER PRIMARY KEY, "note" TEXT DEFAULT ` + s(def) + ")",
		"CREATE TRIGGER " + q(index+"_trg") + ` AFTER INSERT ON "victims" BEGIN SELECT ` + s(def) + "; END",
	}
	return current, target, true
}

// checkSection compares the statements the runner's splitter finds in a
// parsed section with the ones render wrote, and checks that SQLite ends
// statements at the same places.
func checkSection(t *testing.T, name, section string, want []string, file []byte) {
	t.Helper()
	got, err := sqltext.SplitStatements(section)
	if err != nil {
		t.Fatalf("%s section does not split: %v\n%s", name, err, file)
	}
	for i := range want {
		want[i] = strings.TrimSpace(want[i])
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("statement %d differs:\nruns  %q\nwrote %q", i+1, got[i], want[i])
			}
		}
		t.Fatalf("%s section runs %d statements, render wrote %d:\nruns  %q\nwrote %q\nfile:\n%s", name, len(got), len(want), got, want, file)
	}
	if n := completeStatements(t, section); n != len(want) {
		t.Fatalf("SQLite finds %d statements in the %s section, render wrote %d:\n%s", n, name, len(want), file)
	}
}

// completeStatements counts the statements of sql as SQLite's own
// sqlite3_complete delimits them (sqltext.CompleteEnd): the shortest
// prefix it calls complete is one statement, and so on from there.
func completeStatements(t *testing.T, sql string) int {
	t.Helper()
	n := 0
	for at := 0; ; n++ {
		end, err := sqltext.CompleteEnd(sql[at:])
		if err != nil {
			t.Fatal(err)
		}
		if end < 0 {
			return n
		}
		at += end
	}
}
