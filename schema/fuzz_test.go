package schema

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var fuzzSeeds = []string{
	`CREATE TABLE t (a INTEGER PRIMARY KEY AUTOINCREMENT, "b c" TEXT NOT NULL DEFAULT 'x''y' COLLATE NOCASE)`,
	`CREATE TABLE "order" (id INT, [x"y] varchar (100), ` + "`z``w`" + ` DECIMAL(10,2) CHECK (z > 0), PRIMARY KEY (id, [x"y]))`,
	`CREATE TEMP TABLE IF NOT EXISTS t (a AS (1 + 2) STORED, b GENERATED ALWAYS AS (a * 2) VIRTUAL)`,
	`CREATE TABLE c (p REFERENCES par (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, CONSTRAINT u UNIQUE (p) CONSTRAINT k CHECK (p <> 0))`,
	`CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) WITHOUT ROWID, STRICT`,
	`CREATE TABLE t (a DEFAULT -1, b DEFAULT x'00', c DEFAULT CURRENT_TIMESTAMP, d DEFAULT (abs(-2)), e DEFAULT +1.5e3)`,
	"CREATE TABLE t -- c\n(a /* ) */ INT, b, FOREIGN KEY (a, b) REFERENCES p MATCH FULL)",
	`CREATE TABLE t (key, action, "primary", 'str', [end], rowid)`,
	`CREATE TABLE t (a INT CONSTRAINT x, b INT NOT NULL ON CONFLICT REPLACE)`,
	`CREATE TABLE t AS SELECT 1 AS a, 'x' AS "b c"`,
	`CREATE TABLE t (a "double quoted type" (5, -3))`,
}

func FuzzTokenize(f *testing.F) {
	for _, s := range append(fuzzSeeds, `x'0A' ?1 :a @b $c #d ->> || 0x1F 1_000 .5e-3 /* open`) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		toks, err := Tokenize(in)
		if err != nil {
			return
		}
		end := 0
		for _, tok := range toks {
			if tok.Offset < end || tok.Text == "" || in[tok.Offset:tok.Offset+len(tok.Text)] != tok.Text {
				t.Fatalf("token %+v does not follow offset %d in %q", tok, end, in)
			}
			if trimSpace(in[end:tok.Offset]) != "" {
				t.Fatalf("text %q before token %+v was skipped", in[end:tok.Offset], tok)
			}
			end = tok.Offset + len(tok.Text)
		}
		if trimSpace(in[end:]) != "" {
			t.Fatalf("trailing text %q was skipped", in[end:])
		}
		// Re-tokenizing the canonical form must work: it is built from tokens.
		if _, err := Tokenize(NormalizeExpr(in)); err != nil {
			t.Fatalf("NormalizeExpr(%q) = %q does not tokenize: %v", in, NormalizeExpr(in), err)
		}
	})
}

func FuzzSplitStatements(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s + ";\n-- x\n" + s)
	}
	f.Add("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT ';'")
	f.Fuzz(func(t *testing.T, in string) {
		stmts, err := SplitStatements(in)
		if err != nil {
			return
		}
		at := 0
		for _, s := range stmts {
			i := strings.Index(in[at:], s)
			if s == "" || s != trimSpace(s) || i < 0 {
				t.Fatalf("statement %q is empty, untrimmed or not in order in %q", s, in)
			}
			at += i + len(s)
			again, err := SplitStatements(s)
			if err != nil || !reflect.DeepEqual(again, []string{s}) {
				t.Fatalf("statement %q splits again into %q (%v)", s, again, err)
			}
		}
	})
}

func FuzzParseCreateTable(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	files, _ := filepath.Glob("testdata/inspect/*.sql")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		stmts, _ := SplitStatements(string(data))
		for _, s := range stmts {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = ParseCreateIndex(in)
		_, parseErr := ParseCreateTable(in)
		stmts, err := SplitStatements(in)
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

func isCreateTable(stmt string) bool {
	toks, err := Tokenize(stmt)
	if err != nil {
		return false
	}
	var words []Token
	for _, t := range toks {
		if t.Kind != TokenComment {
			words = append(words, t)
		}
		if len(words) == 3 {
			break
		}
	}
	if len(words) < 2 || !isKeyword(words[0], "CREATE") {
		return false
	}
	return isKeyword(words[1], "TABLE") || len(words) == 3 && isKeyword(words[2], "TABLE") &&
		(isKeyword(words[1], "TEMP") || isKeyword(words[1], "TEMPORARY"))
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
