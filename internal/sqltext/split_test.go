package sqltext

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// sqliteBoundaries is where SQLite ends each statement of in: after each
// statement's shortest prefix ending in ';' that sqlite3_complete accepts.
func sqliteBoundaries(t *testing.T, in string) []int {
	t.Helper()
	var out []int
	for at := 0; ; {
		n, err := CompleteEnd(in[at:])
		if err != nil {
			t.Fatal(err)
		}
		if n < 0 {
			return out
		}
		at += n
		out = append(out, at)
	}
}

// splitBoundaries is where SplitStatements's scanner ends each statement,
// and the offset of the error that stopped it, -1 when none did.
func splitBoundaries(in string) ([]int, int) {
	var out []int
	sc := completeScanner{sql: in}
	for {
		from, class, err := sc.next()
		if err != nil {
			return out, from
		}
		if class == classEOF {
			return out, -1
		}
		if class == classSemi && sc.state == stateStart {
			out = append(out, sc.pos)
		}
	}
}

// FuzzSplitMatchesComplete checks SplitStatements against SQLite's own
// notion of a complete statement, sqlite3_complete: both end statements at
// the same semicolons, and no statement it returns holds another.
func FuzzSplitMatchesComplete(f *testing.F) {
	for _, s := range splitCases {
		f.Add(s.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		stmts, err := SplitStatements(in)
		if strings.IndexByte(in, 0) >= 0 {
			if err == nil {
				t.Fatalf("SplitStatements(%q) accepted a NUL byte", in)
			}
			return // SQLite stops reading at a NUL byte
		}
		want := sqliteBoundaries(t, in)
		got, errAt := splitBoundaries(in)
		if errAt >= 0 {
			// Only an unterminated quote stops the scanner, and SQLite
			// ends no statement after one.
			for len(want) > 0 && want[len(want)-1] > errAt {
				t.Fatalf("scanner stopped at %d in %q, SQLite ends a statement at %d", errAt, in, want[len(want)-1])
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("statements of %q end at %v, SQLite ends them at %v", in, got, want)
		}
		if err != nil {
			return
		}
		for _, s := range stmts {
			if n, _ := CompleteEnd(s); n >= 0 {
				t.Fatalf("statement %q of %q holds more than one for SQLite (the first ends at %d)", s, in, n)
			}
			if n, _ := CompleteEnd(s + ";"); n != len(s)+1 {
				t.Fatalf("statement %q of %q is not complete with its semicolon", s, in)
			}
		}
	})
}

var splitCases = []struct {
	in   string
	want []string
}{
	{"CREATE TABLE a(x); CREATE TABLE b(y)", []string{"CREATE TABLE a(x)", "CREATE TABLE b(y)"}},
	{"-- lead\nSELECT ';' /* ; */ ;\n/* between */\n; ;SELECT 2;-- tail", []string{"SELECT ';'", "SELECT 2"}},
	{"INSERT INTO \"a;b\" VALUES (1);", []string{`INSERT INTO "a;b" VALUES (1)`}},
	{"SELECT [x;y], `p;q`, 'it''s; ok' FROM t; SELECT 2", []string{"SELECT [x;y], `p;q`, 'it''s; ok' FROM t", "SELECT 2"}},
	{"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE b SET y = CASE WHEN y THEN 1 END; END; SELECT 1",
		[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); UPDATE b SET y = CASE WHEN y THEN 1 END; END", "SELECT 1"}},
	{"create temp trigger t before delete on a when old.x > 0 begin select raise(abort, 'no'); end;select 3",
		[]string{"create temp trigger t before delete on a when old.x > 0 begin select raise(abort, 'no'); end", "select 3"}},
	{"CREATE TEMPORARY /* c */ TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; -- ;\n END ; SELECT 4",
		[]string{"CREATE TEMPORARY /* c */ TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; -- ;\n END", "SELECT 4"}},
	{"CREATE TABLE begin(end); SELECT 1", []string{"CREATE TABLE begin(end)", "SELECT 1"}},
	// ſ (U+017F) and the Kelvin sign are not s and k to SQLite: caſe opens
	// no CASE, and the trigger ends at its "; END ;".
	{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS caſe; END; COMMIT; DELETE FROM t",
		[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS caſe; END", "COMMIT", "DELETE FROM t"}},
	{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS \u212Aey, 2 AS enſ; END; END; SELECT 5",
		[]string{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS \u212Aey, 2 AS enſ; END", "END", "SELECT 5"}},
	{"CREATE TRIGGER trigger AFTER INSERT ON a BEGIN SELECT end FROM a; DELETE FROM b; END; SELECT 6",
		[]string{"CREATE TRIGGER trigger AFTER INSERT ON a BEGIN SELECT end FROM a; DELETE FROM b; END", "SELECT 6"}},
	{"CREATE TRIGGER t AFTER INSERT ON a WHEN (SELECT begin FROM a) BEGIN SELECT CASE WHEN 1 THEN 2 END; END",
		[]string{"CREATE TRIGGER t AFTER INSERT ON a WHEN (SELECT begin FROM a) BEGIN SELECT CASE WHEN 1 THEN 2 END; END"}},
	{"EXPLAIN QUERY PLAN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 7",
		[]string{"EXPLAIN QUERY PLAN CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", "SELECT 7"}},
	// SQLite's tokenizer reads $a(x;y) as one parameter, sqlite3_complete
	// reads a semicolon: the split follows sqlite3_complete, and SQLite
	// then rejects both halves.
	{"SELECT $a(x;y); SELECT 8", []string{"SELECT $a(x", "y)", "SELECT 8"}},
	// sqlite3_complete does not count \v as white space.
	{"CREATE\vTRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END", []string{"CREATE\vTRIGGER t AFTER INSERT ON a BEGIN SELECT 1", "END"}},
	{"SELECT 1 /* open ;", []string{"SELECT 1"}},
	{"  -- only a comment\n", nil},
}

func TestSplitStatements(t *testing.T) {
	for _, c := range splitCases {
		got, err := SplitStatements(c.in)
		if err != nil {
			t.Errorf("SplitStatements(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitStatements(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, bad := range []string{
		"SELECT 'x", "SELECT [x", `SELECT "x`, "SELECT 1;\x00DELETE FROM t",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;",
		"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS caſe END",
	} {
		if _, err := SplitStatements(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("SplitStatements(%q) = %v, want ErrSyntax", bad, err)
		}
	}
}

func TestCompleteEnd(t *testing.T) {
	cases := []struct {
		in   string
		want int
	}{
		{"SELECT 1", -1},
		{"SELECT 1;", 9},
		{"SELECT ';'; SELECT 2", 11},
		{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END; SELECT 2", 55},
		{"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1 AS caſe; END", -1},
		{"SELECT 1\x00; DELETE FROM t;", 8},
	}
	for _, c := range cases {
		if got, err := CompleteEnd(c.in); err != nil || got != c.want {
			t.Errorf("CompleteEnd(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
}
