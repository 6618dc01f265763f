package schema

import (
	"context"
	"database/sql"
	"testing"
)

func TestMarkManaged(t *testing.T) {
	tests := []struct{ in, want string }{
		{`CREATE VIEW "v" AS SELECT 1`, `CREATE VIEW "v" /* autogen: managed */ AS SELECT 1`},
		{`CREATE VIEW v AS SELECT 1`, `CREATE VIEW v /* autogen: managed */ AS SELECT 1`},
		{`CREATE VIEW v(x) AS SELECT 1`, `CREATE VIEW v /* autogen: managed */(x) AS SELECT 1`},
		{`create temp view if not exists main."v" as select 1`, `create temp view if not exists main."v" /* autogen: managed */ as select 1`},
		{`CREATE TEMPORARY VIEW [v] AS SELECT 1`, `CREATE TEMPORARY VIEW [v] /* autogen: managed */ AS SELECT 1`},
		{`CREATE TRIGGER "tr" AFTER INSERT ON "t" BEGIN SELECT 1; END`, `CREATE TRIGGER "tr" /* autogen: managed */ AFTER INSERT ON "t" BEGIN SELECT 1; END`},
		{`CREATE TRIGGER IF NOT EXISTS "main" . "tr" BEFORE DELETE ON t BEGIN SELECT 1; END`, `CREATE TRIGGER IF NOT EXISTS "main" . "tr" /* autogen: managed */ BEFORE DELETE ON t BEGIN SELECT 1; END`},
		{`CREATE /* c */ TRIGGER /* d */ tr /* e */ AFTER INSERT ON t BEGIN SELECT 1; END`, `CREATE /* c */ TRIGGER /* d */ tr /* autogen: managed */ /* e */ AFTER INSERT ON t BEGIN SELECT 1; END`},
		// a trigger named like a keyword
		{`CREATE TRIGGER "if" AFTER INSERT ON t BEGIN SELECT 1; END`, `CREATE TRIGGER "if" /* autogen: managed */ AFTER INSERT ON t BEGIN SELECT 1; END`},
		// already marked: unchanged
		{`CREATE VIEW v /* autogen: managed */ AS SELECT 1`, `CREATE VIEW v /* autogen: managed */ AS SELECT 1`},
		{`CREATE VIEW v /* x */ /*autogen:  MANAGED*/ AS SELECT 1`, `CREATE VIEW v /* x */ /*autogen:  MANAGED*/ AS SELECT 1`},
	}
	for _, tt := range tests {
		got, err := MarkManaged(tt.in)
		if err != nil {
			t.Errorf("MarkManaged(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("MarkManaged(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if !IsManaged(got) {
			t.Errorf("IsManaged(%q) = false", got)
		}
	}
	for _, bad := range []string{``, `CREATE TABLE t (x)`, `CREATE VIEW`, `CREATE VIEW main.`, `CREATE VIEW 'unterminated`} {
		if got, err := MarkManaged(bad); err == nil {
			t.Errorf("MarkManaged(%q) = %q, want an error", bad, got)
		}
	}
}

func TestIsManaged(t *testing.T) {
	tests := []struct {
		sql  string
		want bool
	}{
		{`CREATE VIEW "v" /* autogen: managed */ AS SELECT 1`, true},
		{`CREATE TRIGGER tr /* other */ /* autogen: managed */ AFTER INSERT ON t BEGIN SELECT 1; END`, true},
		{`CREATE TRIGGER tr /*autogen:managed*/ AFTER INSERT ON t BEGIN SELECT 1; END`, false}, // not the marker's words
		{`CREATE VIEW v AS SELECT 1`, false},
		{`CREATE VIEW v -- autogen: managed
AS SELECT 1`, false}, // a line comment is not the marker
		{`CREATE VIEW v AS /* autogen: managed */ SELECT 1`, false},
		{`CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT '/* autogen: managed */'; END`, false},
		{`CREATE /* autogen: managed */ VIEW v AS SELECT 1`, false},
		{`CREATE TABLE t (x) /* autogen: managed */`, false},
		{``, false},
	}
	for _, tt := range tests {
		if got := IsManaged(tt.sql); got != tt.want {
			t.Errorf("IsManaged(%q) = %v, want %v", tt.sql, got, tt.want)
		}
	}
}

// TestInspectManaged checks on real SQLite that the stored text keeps the
// marker where MarkManaged puts it (SQLite stores a view's or trigger's text
// from its name onward), through renames too, and that Inspect reports it.
func TestInspectManaged(t *testing.T) {
	script := "CREATE TABLE t (a INT);\n"
	for _, s := range []string{
		`CREATE TRIGGER "q_tr" AFTER INSERT ON t BEGIN SELECT 1; END`,
		`CREATE TRIGGER bare_tr AFTER INSERT ON t BEGIN SELECT 1; END`,
		`CREATE TRIGGER IF NOT EXISTS main.ine_tr AFTER INSERT ON t BEGIN SELECT new.a; END`,
		`CREATE VIEW "q_v" AS SELECT a FROM t`,
		`CREATE VIEW bare_v(x) AS SELECT a FROM t`,
		`CREATE VIEW IF NOT EXISTS "main"."ine_v" AS SELECT 1`,
	} {
		marked, err := MarkManaged(s)
		if err != nil {
			t.Fatal(err)
		}
		script += marked + ";\n"
	}
	script += `CREATE TRIGGER hand_tr AFTER DELETE ON t BEGIN SELECT 1; END;
CREATE VIEW hand_v AS SELECT a FROM t;
ALTER TABLE t RENAME COLUMN a TO b;
ALTER TABLE t RENAME TO u;`
	db := openDB(t, script)
	s, err := Inspect(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, v := range s.Views {
		got[v.Name] = v.Managed
	}
	for _, tr := range s.Triggers {
		got[tr.Name] = tr.Managed
	}
	want := map[string]bool{"q_tr": true, "bare_tr": true, "ine_tr": true, "q_v": true, "bare_v": true, "ine_v": true, "hand_tr": false, "hand_v": false}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s: Managed = %v (found %v), want %v\n%s", name, g, ok, w, s)
		}
	}

	// TEMP objects: SQLite drops the TEMP keyword but keeps the marker.
	conn, closeDB, err := OpenMemory(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `CREATE TEMP TABLE tt (x)`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{`CREATE TEMP VIEW tv AS SELECT 1`, `CREATE TEMPORARY TRIGGER ttr AFTER INSERT ON tt BEGIN SELECT 1; END`} {
		marked, err := MarkManaged(stmt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.ExecContext(ctx, marked); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_temp_master WHERE type IN ('view', 'trigger')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		var text sql.NullString
		if err := rows.Scan(&name, &text); err != nil {
			t.Fatal(err)
		}
		n++
		if !IsManaged(text.String) {
			t.Errorf("temp %s: stored %q lost the marker", name, text.String)
		}
	}
	if n != 2 {
		t.Errorf("found %d temp objects, want 2", n)
	}
}

// TestEqualIgnoresMarker: the marker is a comment, so a managed view or
// trigger equals the models' unmarked one.
func TestEqualIgnoresMarker(t *testing.T) {
	for _, pair := range [][2]string{
		{`CREATE VIEW "v" /* autogen: managed */ AS SELECT a FROM t`, `CREATE VIEW "v" AS SELECT a FROM t`},
		{`CREATE TRIGGER "tr" /* autogen: managed */ AFTER INSERT ON "t" BEGIN SELECT 1; END`, `CREATE TRIGGER "tr" AFTER INSERT ON "t" BEGIN SELECT 1; END`},
	} {
		a := &Schema{Views: []*View{{Name: "v", SQL: pair[0], Managed: true}}}
		b := &Schema{Views: []*View{{Name: "v", SQL: pair[1]}}}
		if !Equal(a, b) {
			t.Errorf("views differ:\n%s\n%s", pair[0], pair[1])
		}
		c := &Schema{Triggers: []*Trigger{{Name: "tr", Table: "t", SQL: pair[0], Managed: true}}}
		d := &Schema{Triggers: []*Trigger{{Name: "tr", Table: "t", SQL: pair[1]}}}
		if !Equal(c, d) {
			t.Errorf("triggers differ:\n%s\n%s", pair[0], pair[1])
		}
		if NormalizeExpr(pair[0]) != NormalizeExpr(pair[1]) {
			t.Errorf("NormalizeExpr differs:\n%s\n%s", NormalizeExpr(pair[0]), NormalizeExpr(pair[1]))
		}
	}
}
