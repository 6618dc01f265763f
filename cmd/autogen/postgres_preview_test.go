package main

import (
	"strings"
	"testing"
)

// revision --dry-run --migrations on a PostgreSQL database at the heads
// counts that database's rows, read only; behind the heads it compares
// with the replayed revisions and says the rows are not counted. The
// database is the same afterwards, schema and rows.
func TestPostgresPreviewCountsRows(t *testing.T) {
	a, pg := pgInit(t, exampleModels(t))
	a.ok("revision", "-m", "initial")
	a.ok("upgrade", "head")
	mustExecPG(t, pg, `INSERT INTO teams (name) VALUES ('red'), ('blue');
INSERT INTO members (name, team_id, age) VALUES ('ann', 1, 30), ('bob', 1, NULL), ('cid', 2, 41)`)
	snapshot := func() string {
		return strings.Join(queryStrings(t, pg.DB, `SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
WHERE table_schema = 'public' ORDER BY 1`), "\n") + "\n" +
			strings.Join(queryStrings(t, pg.DB, `SELECT (SELECT string_agg(m::text, ';' ORDER BY id) FROM members m) || '|' || (SELECT string_agg(t::text, ';' ORDER BY id) FROM teams t) || '|' || (SELECT string_agg(version_num, ',') FROM alembic_version)`), "")
	}
	before := snapshot()
	a.write("models/models.go", withoutAge(exampleModels(t)))

	out, errOut := a.ok("revision", "-m", "drop age", "--dry-run", "--migrations", "--format", "markdown")
	for _, want := range []string{"which is at the heads (read only", "| `members` | drop column | column `age` | 2 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("preview at the heads lacks %q:\n%s\nstderr:\n%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "not measured") {
		t.Errorf("preview at the heads says not measured:\n%s", out)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the preview changed the database:\n%s\nwas\n%s", after, before)
	}

	a.ok("revision", "-m", "drop age")
	out, errOut = a.ok("revision", "-m", "drop age again", "--dry-run", "--migrations", "--format", "markdown")
	if !strings.Contains(errOut, "not at the heads: rows are not counted") || strings.Count(strings.TrimSpace(errOut), "not at the heads") != 1 {
		t.Errorf("preview behind the heads does not say rows are not counted:\n%s", errOut)
	}
	if !strings.Contains(out, "behind the heads, so no row counts") {
		t.Errorf("preview behind the heads:\n%s", out)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the preview changed the database:\n%s\nwas\n%s", after, before)
	}
}
