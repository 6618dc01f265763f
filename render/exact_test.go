package render_test

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/render"
)

// Options.Exact: a rebuild standing in for ALTER COLUMN ... SET NOT NULL
// copies rows as they are, so a NULL fails it as it fails the statement,
// and creates the table with its CREATE text as written.
func TestRenderExact(t *testing.T) {
	const current = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'z');`
	const target = `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'z' NOT NULL);`
	cur, tgt, ops := sqlitetest.CompareDDL(t, current, target, diff.Options{})
	force := map[string]bool{"t": true}
	for _, tc := range []struct {
		exact    bool
		coalesce bool
		nullErr  bool
	}{{false, true, false}, {true, false, true}} {
		res, err := render.Render(ops, cur, tgt, render.Options{RebuildUp: force, Exact: tc.exact})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(res.Up, "COALESCE"); got != tc.coalesce {
			t.Errorf("Exact %v: COALESCE %v, want %v:\n%s", tc.exact, got, tc.coalesce, res.Up)
		}
		if want := `CREATE TABLE "_autogen_new_t" (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'z' NOT NULL)`; tc.exact && res.Changes[0].UpStatements[0] != want {
			t.Errorf("Exact: CREATE %q, want %q", res.Changes[0].UpStatements[0], want)
		}
		db := sqlitetest.New(t, current, `INSERT INTO t (a) VALUES ('x'), (NULL)`)
		err = db.Migrate(res.Up)
		if (err != nil) != tc.nullErr || tc.nullErr && !strings.Contains(err.Error(), "NOT NULL constraint failed") {
			t.Errorf("Exact %v: the rebuild on a NULL: %v", tc.exact, err)
		}
		if want := map[bool]string{false: "1|x,2|z", true: "1|x,2|<nil>"}[tc.exact]; strings.Join(db.Strings("SELECT id, a FROM t ORDER BY id"), ",") != want {
			t.Errorf("Exact %v: rows %v, want %s", tc.exact, db.Strings("SELECT id, a FROM t ORDER BY id"), want)
		}
	}
}
