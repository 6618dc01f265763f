package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandMadeObjectsKept runs revisions on a database whose table t has
// an index and a trigger made by hand, which no revision names: a rebuild
// of t would drop them in silence, so it is refused and nothing changes; a
// revision that names them, or drops t for good, runs.
func TestHandMadeObjectsKept(t *testing.T) {
	const (
		idBase = "aaaaaaaaaaaa"
		idNext = "bbbbbbbbbbbb"
	)
	base := rev(idBase, "t", nil, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE log (m TEXT);`, `DROP TABLE t; DROP TABLE log;`)
	rebuild := `CREATE TABLE new_t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT '');
INSERT INTO new_t (id, a) SELECT id, coalesce(a, '') FROM t;
DROP TABLE t;
ALTER TABLE new_t RENAME TO t;`
	handMade := []string{
		// Named like the column the rebuild copies: a name that the
		// revision only mentions is not one it creates or drops.
		`CREATE INDEX a ON t (a)`,
		`CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END`,
	}
	tests := []struct {
		name, up string
		lost     []string // empty: the revision runs
	}{
		{"rebuild that does not name them", rebuild, []string{"index a on t", "trigger t_log on t"}},
		{"rebuild that creates them again", rebuild + "\n" + strings.Join(handMade, ";\n") + ";", nil},
		{"rebuild that drops the index first", "DROP INDEX a;\n" + rebuild + "\n" + handMade[1] + ";", nil},
		{"table dropped for good", "DROP TABLE t;", nil},
		{"column added in place", "ALTER TABLE t ADD COLUMN b INTEGER;", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			g := newGraph(base, rev(idNext, "next", []string{idBase}, tt.up, "SELECT 1;"))
			r := open(t, path, g.dir())
			ctx := context.Background()
			if _, err := r.Upgrade(ctx, idBase); err != nil {
				t.Fatal(err)
			}
			mustExec(t, rawDB(t, path), append(handMade, `INSERT INTO t (a) VALUES ('x'), (NULL)`)...)
			before := dump(t, path)
			_, err := r.Upgrade(ctx, idNext)
			if len(tt.lost) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("a revision dropping hand-made objects in silence ran")
			}
			for _, want := range append(tt.lost, idNext, "no revision names") {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if after := dump(t, path); after != before {
				t.Errorf("the refused revision changed the database:\nbefore\n%s\nafter\n%s", before, after)
			}
		})
	}
}

func TestObjectNamed(t *testing.T) {
	tests := []struct{ stmt, want string }{
		{`CREATE INDEX a ON t (a)`, "a"},
		{`CREATE UNIQUE INDEX IF NOT EXISTS main."b x" ON t (a)`, "b x"},
		{`create temp trigger tr after insert on t begin select 1; end`, "tr"},
		{`CREATE VIEW /* c */ v AS SELECT 1`, "v"},
		{`DROP TRIGGER IF EXISTS "tr"`, "tr"},
		{`DROP INDEX main.ix`, "ix"},
		{`DROP TABLE t`, ""},
		{`INSERT INTO t (a) SELECT a FROM t`, ""},
		{`CREATE TABLE x (a)`, ""},
	}
	for _, tt := range tests {
		if got := objectNamed(tt.stmt); got != tt.want {
			t.Errorf("objectNamed(%q) = %q, want %q", tt.stmt, got, tt.want)
		}
	}
}

// TestChainCarriedTrigger is a chain whose third revision rebuilds t and
// creates again a trigger made by hand on the development database after
// the second: on a database built from the chain alone, the downgrade of
// the second drops that trigger, which is the chain's (the third revision
// creates it), so the chain goes down to base and says so.
func TestChainCarriedTrigger(t *testing.T) {
	const trigger = `CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (NEW.a); END;`
	rebuild := func(null string) string {
		return `CREATE TABLE new_t (id INTEGER PRIMARY KEY, a TEXT` + null + `);
INSERT INTO new_t (id, a) SELECT id, coalesce(a, '') FROM t;
DROP TABLE t;
ALTER TABLE new_t RENAME TO t;`
	}
	g := newGraph(
		rev("aaaaaaaaaaaa", "t", nil, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT); CREATE TABLE log (m TEXT);`, `DROP TABLE t; DROP TABLE log;`),
		rev("bbbbbbbbbbbb", "not null", []string{"aaaaaaaaaaaa"}, rebuild(" NOT NULL"), rebuild("")),
		rev("cccccccccccc", "default", []string{"bbbbbbbbbbbb"}, rebuild(" NOT NULL DEFAULT ''")+"\n"+trigger, rebuild(" NOT NULL")+"\n"+trigger),
	)
	path := filepath.Join(t.TempDir(), "app.db")
	var log strings.Builder
	r := open(t, path, g.dir(), WithLog(&log))
	ctx := context.Background()
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, rawDB(t, path), `INSERT INTO t (a) VALUES ('x'), ('y')`)
	if _, err := r.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if want := "The downgrade of bbbbbbbbbbbb removes trigger t_log on t, which revision cccccccccccc creates"; !strings.Contains(log.String(), want) {
		t.Errorf("the log does not say %q:\n%s", want, log.String())
	}
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		t.Fatal(err)
	}
}
