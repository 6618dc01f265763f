package runner

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A revision is run one statement per execution, split where SQLite splits.
// Before, `caſe` (U+017F folds to s in Go, not in SQLite) counted as CASE in
// the splitter, so the trigger seemed to go on past its END: COMMIT and
// DELETE rode inside its text, modernc ran every statement of the string,
// and the failure after them "rolled back" an emptied table.
func TestSmuggledStatementsRollBack(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		up      string
		wantErr []string
	}{
		{"long s makes CASE", `
CREATE TABLE n1 (x);
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT 1 AS caſe; END;
COMMIT;
DELETE FROM members;
CREATE TRIGGER trg2 AFTER INSERT ON n1 BEGIN SELECT 2; END;
INSERT INTO no_such_table VALUES (1);
`, []string{idB, `"COMMIT"`, "must not begin or end"}},
		{"Kelvin sign makes nothing", `
CREATE TABLE n1 (x);
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT 1 AS \u212Aey, 2 AS caſe; END;
END;
DELETE FROM members;
INSERT INTO no_such_table VALUES (1);
`, []string{idB, `"END"`, "must not begin or end"}},
		{"END as a column name", `
CREATE TABLE n1 (x, "end");
CREATE TRIGGER trg AFTER INSERT ON n1 BEGIN SELECT end FROM n1; DELETE FROM members; END;
INSERT INTO n1 VALUES (1, 2);
INSERT INTO no_such_table VALUES (1);
`, []string{idB, "no such table: no_such_table"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			up := strings.ReplaceAll(c.up, `\u212A`, "\u212A")
			path := filepath.Join(t.TempDir(), "app.db")
			g := appGraph()
			r := open(t, path, g.dir())
			if _, err := r.Upgrade(ctx, idA); err != nil {
				t.Fatal(err)
			}
			mustExec(t, rawDB(t, path), "INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 1), ('cy', 2)")
			before := dump(t, path)
			g[idB].Upgrade = up
			_, err := r.Upgrade(ctx, idC)
			if err == nil {
				t.Fatal("upgrade succeeded")
			}
			for _, w := range c.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if after := dump(t, path); after != before {
				t.Errorf("database changed:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if got := current(t, r); !slices.Equal(got, []string{idA}) {
				t.Errorf("current = %v", got)
			}
		})
	}
}

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
