package verify

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
)

// TestOrphansDirective drops a parent table that hostile-named children
// reference: the downgrade declares each child whose name stands on one
// line, quoted as SQL quotes it, and only says so for one whose name
// holds a line break; run as written it brings the schema back and leaves
// the children's rows pointing nowhere.
func TestOrphansDirective(t *testing.T) {
	const (
		parent = `CREATE TABLE "te""a;--ms" ("id" INTEGER PRIMARY KEY);`
		kids   = `CREATE TABLE "me;mb""ers" ("id" INTEGER PRIMARY KEY, "t" INTEGER REFERENCES "te""a;--ms" ("id"));
CREATE TABLE "line
break" ("id" INTEGER PRIMARY KEY, "t" INTEGER REFERENCES "te""a;--ms" ("id"));
CREATE TABLE "gone" ("id" INTEGER PRIMARY KEY, "t" INTEGER REFERENCES "te""a;--ms" ("id"));`
		kept = `CREATE TABLE "me;mb""ers" ("id" INTEGER PRIMARY KEY, "t" INTEGER);
CREATE TABLE "line
break" ("id" INTEGER PRIMARY KEY, "t" INTEGER);`
	)
	cur, tgt, ops := sqlitetest.CompareDDL(t, parent+kids, kept, diff.Options{})
	res, err := renderChecked(ops, cur, tgt)
	if err != nil {
		t.Fatal(err)
	}
	if want := "\n-- +autogen orphans \"me;mb\"\"ers\" -> \"te\"\"a;--ms\"\n"; !strings.Contains(res.Down, want) {
		t.Errorf("the downgrade lacks %q:\n%s", want, res.Down)
	}
	if n := strings.Count(res.Down, "-- +autogen orphans"); n != 1 {
		t.Errorf("the downgrade holds %d orphans lines, want 1 (gone is dropped too; line\\nbreak cannot stand on one line):\n%s", n, res.Down)
	}
	if !strings.Contains(res.Down, `rows of line\nbreak whose t pointed to it point nowhere, and the foreign key check refuses this downgrade while there are any`) {
		t.Errorf("the downgrade does not say the check refuses it for line\\nbreak:\n%s", res.Down)
	}
	d := sqlitetest.New(t, parent+kids, `INSERT INTO "te""a;--ms" VALUES (1); INSERT INTO "me;mb""ers" VALUES (1, 1), (2, NULL); INSERT INTO "gone" VALUES (1, 1);`)
	before := d.Master()
	if err := d.Migrate(res.Up); err != nil {
		t.Fatal(err)
	}
	d.Exec("PRAGMA foreign_keys = OFF") // as the runner runs a revision
	d.Exec("BEGIN")
	d.Script(res.Down)
	d.Exec("COMMIT")
	if after := d.Master(); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("the downgrade did not give the schema back:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	if n := d.FKViolations(); n != 1 {
		t.Errorf("%d rows point nowhere after the downgrade, want 1", n)
	}
}
