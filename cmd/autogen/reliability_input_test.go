package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	relIDC1 = "c1c1c1c1c1c1"
	relIDC2 = "c2c2c2c2c2c2"
)

// relInputApp is a module with the example models, at revision A (table t
// with 300 rows of 500 bytes, so the file has many pages) and a revision B
// still to apply.
func relInputApp(t *testing.T) *app {
	t.Helper()
	a := relApp(t, map[string]string{"models/models.go": exampleModels(t)})
	a.writeRevision(revisionFile{ID: relIDA, Message: "table t", Upgrade: `CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB);
CREATE INDEX t_b ON t (b);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300)
INSERT INTO t (b) SELECT randomblob(500) FROM s;`, Downgrade: "DROP TABLE t;"})
	a.ok("upgrade", relIDA)
	a.writeRevision(revisionFile{ID: relIDB, Message: "step b", Parents: []string{relIDA}, Upgrade: "INSERT INTO t (b) VALUES (x'01');", Downgrade: "DELETE FROM t WHERE id > 300;"})
	return a
}

// TestReliabilityBadInput feeds the binary broken configuration, revision
// files, specifiers, models and database files: each gives exit 2 and one
// clear sentence on stderr (compiler output verbatim for a package that does
// not compile), no stack trace, and writes nothing: neither a file nor the
// database changes.
func TestReliabilityBadInput(t *testing.T) {
	ini := func(body string) func(*testing.T, *app) {
		return func(t *testing.T, a *app) { a.write("alembic.ini", body) }
	}
	rev := func(name, body string) func(*testing.T, *app) {
		return func(t *testing.T, a *app) { a.write(filepath.Join("migrations", "versions", name), body) }
	}
	models := func(body string) func(*testing.T, *app) {
		return func(t *testing.T, a *app) { a.write(filepath.Join("models", "models.go"), body) }
	}
	database := func(edit func(t *testing.T, path string)) func(*testing.T, *app) {
		return func(t *testing.T, a *app) { edit(t, filepath.Join(a.dir, "database.db")) }
	}
	upgrade := [][]string{{"upgrade", "head"}}
	graphCmds := [][]string{{"upgrade", "head"}, {"downgrade", "base"}, {"heads"}, {"history"}, {"revision", "-m", "x", "--empty"}}
	dbCmds := [][]string{{"upgrade", "head"}, {"downgrade", "base"}, {"stamp", "head"}, {"current"}, {"check"}}
	// Damage inside data pages shows only where pages are read; commands
	// that write check what they write first (PRAGMA quick_check of the
	// schema, the free pages and each table a revision writes), while
	// current and check read only the schema and version pages. Here the
	// damage is in t, which both directions write; stamp writes only the
	// version table.
	writeCmds := dbCmds[:2]
	cases := []struct {
		name      string
		setup     func(*testing.T, *app)
		cmds      [][]string
		want      []string
		multiline bool // compiler output is shown verbatim
	}{
		{"malformed ini", ini("[alembic\nscript_location = migrations\n"), upgrade, []string{"alembic.ini"}, false},
		{"ini is binary", ini("\x00\x01\x02[[[\xff\xfe"), upgrade, []string{"alembic.ini"}, false},
		{"unknown section", nil, [][]string{{"-n", "other", "upgrade", "head"}}, []string{"[other]", "alembic.ini"}, false},
		{"missing ini", nil, [][]string{{"-c", "nope.ini", "upgrade", "head"}}, []string{"nope.ini"}, false},
		{"missing script_location", ini("[alembic]\nsqlalchemy.url = sqlite:///database.db\n"), upgrade, []string{"script_location", "alembic.ini"}, false},
		{"script_location not a folder", ini("[alembic]\nscript_location = nowhere\nsqlalchemy.url = sqlite:///database.db\n"), upgrade, []string{"nowhere"}, false},
		{"postgres url", nil, [][]string{{"--url", "postgres://u:p@db.example.com/app", "upgrade", "head"}}, []string{"postgres"}, false},
		{"garbage url", nil, [][]string{{"--url", "garbage", "upgrade", "head"}}, []string{"garbage"}, false},
		{"mysql url in ini", ini("[alembic]\nscript_location = migrations\nsqlalchemy.url = mysql://root@localhost/app\n"), upgrade, []string{"mysql"}, false},
		{"url folder missing", nil, [][]string{{"--url", "sqlite:///no/such/dir/app.db", "upgrade", "head"}, {"--url", "sqlite:///no/such/dir/app.db", "current"},
			{"--url", "sqlite:///no/such/dir/app.db", "check"}}, []string{"no/such/dir", "does not exist"}, false},
		{"revision without header", rev("zz_noheader.sql", "CREATE TABLE x (a INTEGER);\n"), graphCmds, []string{"zz_noheader.sql"}, false},
		{"revision without id", rev("zz_noid.sql", "-- no id\n--\n-- Revises: \n\n-- +autogen upgrade\n\n-- +autogen downgrade\n"), graphCmds, []string{"zz_noid.sql"}, false},
		{"revision without sections", rev("zz_nosect.sql", "-- msg\n--\n-- Revision ID: dddddddddddd\n-- Revises: "+relIDB+"\n"), graphCmds, []string{"zz_nosect.sql"}, false},
		{"duplicate id", rev("zz_dup.sql", revisionFile{ID: relIDB, Message: "copy of b", Parents: []string{relIDA}}.text()), graphCmds, []string{relIDB, "zz_dup.sql"}, false},
		{"missing parent", rev("zz_orphan.sql", revisionFile{ID: "dddddddddddd", Message: "orphan", Parents: []string{"eeeeeeeeeeee"}}.text()), graphCmds, []string{"eeeeeeeeeeee"}, false},
		{"cycle", func(t *testing.T, a *app) {
			a.writeRevision(revisionFile{ID: relIDC1, Message: "c one", Parents: []string{relIDC2}})
			a.writeRevision(revisionFile{ID: relIDC2, Message: "c two", Parents: []string{relIDC1}})
		}, graphCmds, []string{"cycle"}, false},
		{"duplicate parent", rev("zz_twice.sql", revisionFile{ID: "dddddddddddd", Message: "twice", Parents: []string{relIDB, relIDB}}.text()), graphCmds,
			[]string{"zz_twice.sql:4", `"` + relIDB + `" is listed twice`}, false},
		{"self parent", rev("zz_self.sql", revisionFile{ID: "dddddddddddd", Message: "self", Parents: []string{"dddddddddddd"}}.text()), graphCmds, []string{"dddddddddddd"}, false},
		{"unknown specifier", nil, [][]string{{"upgrade", "nosuchrev"}, {"downgrade", "nosuchrev"}, {"stamp", "nosuchrev"}, {"show", "nosuchrev"}}, []string{"nosuchrev"}, false},
		{"ambiguous prefix", func(t *testing.T, a *app) {
			a.writeRevision(revisionFile{ID: "abc111111111", Message: "branch one", Parents: []string{relIDA}})
			a.writeRevision(revisionFile{ID: "abc222222222", Message: "branch two", Parents: []string{relIDA}})
		}, [][]string{{"upgrade", "abc"}, {"show", "abc"}}, []string{"abc"}, false},
		{"relative beyond base", nil, [][]string{{"downgrade", "-5"}, {"upgrade", "+5"}}, []string{"5"}, false},
		{"empty specifier", nil, [][]string{{"upgrade", ""}}, []string{"revision"}, false},
		{"too many arguments", nil, [][]string{{"upgrade", "head", "head"}}, []string{"one revision"}, false},
		{"models do not compile", models("package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Broken struct {\n\tbun.BaseModel `bun:\"table:broken\"`\n\tID int64 `bun:\"id,pk\"`\n}\n\nvar x int = \"not an int\"\n"),
			[][]string{{"revision", "-m", "x"}, {"check"}}, []string{"models.go:10", "cannot use"}, true},
		{"no models", models("package models\n\n// Plain is not a bun model.\ntype Plain struct{ ID int64 }\n"), [][]string{{"revision", "-m", "x"}, {"check"}}, []string{"models"}, false},
		{"models package missing", ini("[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///database.db\nmodels = ./nowhere\n"), [][]string{{"revision", "-m", "x"}, {"check"}}, []string{"nowhere"}, false},
		{"second statement in a tag", models("package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Thing struct {\n\tbun.BaseModel `bun:\"table:things\"`\n\tID int64 `bun:\"id,pk\"`\n\tName string `bun:\"name,default:'x'); DROP TABLE IF EXISTS teams; --\"`\n}\n"),
			[][]string{{"revision", "-m", "x"}, {"check"}, {"check", "--migrations"}}, []string{"model example.com/app/models.Thing field Name: its tag ends bun's CREATE TABLE and starts another statement (DROP TABLE IF EXISTS teams)"}, false},
		{"table in the temp schema", models("package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Thing struct {\n\tbun.BaseModel `bun:\"table:temp.things\"`\n\tID int64 `bun:\"id,pk\"`\n}\n"),
			[][]string{{"revision", "-m", "x"}, {"check"}}, []string{"model example.com/app/models.Thing field BaseModel: bun's CREATE TABLE for it is refused: it names schema \"temp\""}, false},
		{"table in an attached schema", models("package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Thing struct {\n\tbun.BaseModel `bun:\"table:aux.things\"`\n\tID int64 `bun:\"id,pk\"`\n}\n"),
			[][]string{{"revision", "-m", "x"}}, []string{"model example.com/app/models.Thing field BaseModel: bun's CREATE TABLE for it is refused: it names schema \"aux\""}, false},
		{"init never returns", func(t *testing.T, a *app) {
			a.write("alembic.ini", "[alembic]\nscript_location = migrations\nsqlalchemy.url = sqlite:///database.db\nloader_timeout = 20\n")
			a.write("models/hang.go", "package models\n\nimport \"time\"\n\nfunc init() {\n\tfor {\n\t\ttime.Sleep(time.Second)\n\t}\n}\n")
		}, [][]string{{"check"}}, []string{"the models package example.com/app/models did not finish loading within 20s, stuck at models/hang.go:7 in example.com/app/models.init.0 (an init function that never returns?)"}, false},
		{"database is not SQLite", database(func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte(strings.Repeat("this is not a database, just text.\n", 200)), 0o644); err != nil {
				t.Fatal(err)
			}
		}), dbCmds, []string{"database.db", "not a SQLite database"}, false},
		{"database truncated mid-page", database(func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, fi.Size()/2+1000); err != nil {
				t.Fatal(err)
			}
			relMustBeCorrupt(t, path)
		}), dbCmds, []string{"database.db", "corrupt"}, false},
		{"database bytes overwritten", database(func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			fi, _ := f.Stat()
			// Garbage over whole pages in the middle, where t's rows are.
			if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", 4096)), fi.Size()/2/4096*4096); err != nil {
				t.Fatal(err)
			}
			f.Close()
			relMustBeCorrupt(t, path)
		}), writeCmds, []string{"database.db", "corrupt"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := relInputApp(t)
			if c.setup != nil {
				c.setup(t, a)
			}
			tree := relTree(t, a.dir)
			for _, args := range c.cmds {
				e := a.fails(2, c.want[0], args...)
				for _, w := range c.want[1:] {
					if !strings.Contains(e, w) {
						t.Errorf("autogen %s: stderr lacks %q:\n%s", strings.Join(args, " "), w, e)
					}
				}
				if !c.multiline {
					relOneSentence(t, e)
				}
				if d := relTreeDiff(tree, relTree(t, a.dir)); len(d) > 0 {
					t.Fatalf("autogen %s wrote: %v", strings.Join(args, " "), d)
				}
			}
		})
	}
}

// relMustBeCorrupt checks on a copy that SQLite's own PRAGMA quick_check
// finds the file corrupt, so that the tool has a way to know.
func relMustBeCorrupt(t *testing.T, path string) {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "copy.db")
	relCopy(t, path, tmp)
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	err = db.QueryRow("PRAGMA quick_check").Scan(&res)
	if err == nil && res == "ok" {
		t.Fatal("the damaged file passes PRAGMA quick_check; damage it elsewhere")
	}
	t.Logf("PRAGMA quick_check on the damaged file: %q %v", res, err)
}
