package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Names SQLite does not read as keywords stay names: a trigger whose body
// uses caſe, ſelect or \u212Aey as column aliases is one statement.
func TestNonASCIIKeywordLookalikes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := appGraph()
	g[idB].Upgrade = `
CREATE TABLE n1 (x);
CREATE TABLE seen (caſe, "\u212Aey");
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN
  INSERT INTO seen SELECT new.x AS caſe, CASE new.x WHEN 1 THEN 'one' ELSE 'other' END AS "\u212Aey";
END;
INSERT INTO n1 VALUES (1);`
	g[idB].Upgrade = strings.ReplaceAll(g[idB].Upgrade, `\u212A`, "\u212A")
	r := open(t, path, g.dir())
	if _, err := r.Upgrade(ctx, idB); err != nil {
		t.Fatal(err)
	}
	if got := dumpRows(t, rawDB(t, path), "seen"); got != "seen [1 one]\n" {
		t.Errorf("seen = %q", got)
	}
}

// Whatever the splitter hands it, one execution runs one statement: text
// SQLite reads as two is refused before any of it runs.
func TestExecStatementRunsOneStatement(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	r := open(t, path, appGraph().dir())
	mustExecConn(t, r, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1), (2)")
	rv := rev(idA, "x", nil, "", "")
	where := func() string { return "versions/x.sql:3" }
	cases := []struct {
		stmt, wantErr string
	}{
		{"INSERT INTO t VALUES (3); DELETE FROM t", `more than one statement (the first ends at "INSERT INTO t VALUES (3);")`},
		{"CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1 AS caſe; END; DELETE FROM t", "more than one statement"},
		{"SELECT 1;\n-- only a comment after", "more than one statement"},
		{"INSERT INTO t VALUES (3)\x00; DELETE FROM t", "NUL byte"},
	}
	ok := []string{
		"CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1 AS caſe; SELECT CASE 1 WHEN 1 THEN 2 END; END",
		"INSERT INTO t VALUES (';')",
	}
	err := r.session(ctx, func(ctx context.Context) error {
		for _, c := range cases {
			err := r.execStatement(ctx, rv, where, c.stmt)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), "versions/x.sql:3") {
				t.Errorf("execStatement(%q) = %v, want an error naming the file and saying %q", c.stmt, err, c.wantErr)
			}
		}
		if got := dumpRows(t, rawDB(t, path), "t"); got != "t [1]\nt [2]\n" {
			t.Errorf("rows after refused statements:\n%s", got)
		}
		for _, s := range ok {
			if err := r.execStatement(ctx, rv, where, s); err != nil {
				t.Errorf("execStatement(%q): %v", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
