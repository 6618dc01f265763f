package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// relEvilModels has a table whose name is an injection attempt and columns
// named with spaces, quotes, keywords and non-ASCII letters, next to a
// plain table y that must survive everything. extra is added to Evil.
func relEvilModels(firstTag, extra string) string {
	return "package models\n\nimport \"github.com/uptrace/bun\"\n\n" +
		"// Evil's table name tries to end the statement and drop y.\n" +
		"type Evil struct {\n" +
		"\tbun.BaseModel `bun:\"table:x'; DROP TABLE y; --\"`\n\n" +
		"\tID      int64  `bun:\"id,pk,autoincrement\"`\n" +
		"\tFirst   string `bun:\"" + firstTag + "\"`\n" +
		"\tQuote   string `bun:\"column:it's\"`\n" +
		"\tOrder   int64  `bun:\"order\"`\n" +
		"\tGroesse string `bun:\"größe\"`\n" + extra +
		"}\n\n" +
		"// Y is a plain table the evil name must not touch.\n" +
		"type Y struct {\n" +
		"\tbun.BaseModel `bun:\"table:y\"`\n\n" +
		"\tID     int64  `bun:\"id,pk,autoincrement\"`\n" +
		"\tSelect string `bun:\"select\"`\n" +
		"}\n"
}

// bun v1.3.0 drops a table or column name holding a double quote (the
// table's name comes out empty), so the models' names use a single quote;
// the runner's own quoting of double quotes is exercised by the version
// table name in the runner tests.
const relEvil = `"x'; DROP TABLE y; --"`

// TestReliabilityIdentifiers runs revision, upgrade and downgrade on tables
// and columns whose names need quoting, with rows in them: the evil table
// is just a table, y keeps its rows, nothing is lost either way.
func TestReliabilityIdentifiers(t *testing.T) {
	a := relApp(t, map[string]string{"models/models.go": relEvilModels("first name,notnull", "")})
	a.ok("revision", "-m", "evil names")
	a.ok("upgrade", "head")
	tables := func() []string {
		return a.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	}
	wantTables := []string{"alembic_version", "sqlite_sequence", `x'; DROP TABLE y; --`, "y"}
	if got := tables(); !slices.Equal(got, wantTables) {
		t.Fatalf("tables after the first upgrade: %q, want %q", got, wantTables)
	}
	a.exec(`INSERT INTO ` + relEvil + ` ("first name", "it's", "order", "größe") VALUES ('ann', 'q"1', 1, 'groß'), ('bob', 'q''2', 2, 'klein');
		INSERT INTO y ("select") VALUES ('keep me'), ('me too');`)
	evilRows := []string{`1|ann|q"1|1|groß`, `2|bob|q'2|2|klein`}
	yRows := []string{"1|keep me", "2|me too"}
	check := func(step string, evilCols string, evil []string) {
		t.Helper()
		if got := tables(); !slices.Equal(got, wantTables) {
			t.Fatalf("%s: tables %q, want %q", step, got, wantTables)
		}
		if got := a.rows(`SELECT ` + evilCols + ` FROM ` + relEvil + ` ORDER BY id`); !slices.Equal(got, evil) {
			t.Fatalf("%s: evil rows %q, want %q", step, got, evil)
		}
		if got := a.rows(`SELECT id, "select" FROM y ORDER BY id`); !slices.Equal(got, yRows) {
			t.Fatalf("%s: y rows %q, want %q", step, got, yRows)
		}
		if got := a.rows("PRAGMA integrity_check"); !slices.Equal(got, []string{"ok"}) {
			t.Fatalf("%s: integrity_check %v", step, got)
		}
	}
	base := `id, "first name", "it's", "order", "größe"`
	check("first upgrade", base, evilRows)

	// A new column with a non-ASCII name (ALTER TABLE) and "first name"
	// losing NOT NULL (a rebuild of the evil table).
	a.write("models/models.go", relEvilModels("first name", "\tName    string `bun:\"名前 x\"`\n"))
	_, e := a.ok("revision", "-m", "more evil")
	t.Logf("second revision:\n%s", e)
	a.ok("upgrade", "head")
	check("second upgrade", base+`, "名前 x"`, []string{`1|ann|q"1|1|groß|NULL`, `2|bob|q'2|2|klein|NULL`})
	a.exec(`INSERT INTO ` + relEvil + ` ("first name", "名前 x") VALUES (NULL, 'ß')`)
	a.ok("check")

	a.exec(`DELETE FROM ` + relEvil + ` WHERE id = 3`)
	a.ok("downgrade", "-1")
	check("downgrade", base, evilRows)
	a.ok("upgrade", "head")
	check("upgrade again", base+`, "名前 x"`, []string{`1|ann|q"1|1|groß|NULL`, `2|bob|q'2|2|klein|NULL`})
	a.ok("check")
}

// TestReliabilityMessagePath gives revision messages that look like paths:
// the file is still written inside versions/, and nothing else is.
func TestReliabilityMessagePath(t *testing.T) {
	for _, msg := range []string{"../../etc/passwd", "/etc/passwd", `..\..\windows`, "a/../../b", "new\nline", ".", "..", "~/x"} {
		a := relApp(t, nil)
		before := relTree(t, filepath.Dir(a.dir))
		out, _ := a.ok("revision", "-m", msg, "--empty")
		d := relTreeDiff(before, relTree(t, filepath.Dir(a.dir)))
		// The parent folder is watched too: a file that escaped the module
		// would show there.
		if len(d) != 1 || !strings.HasPrefix(d[0], "added "+filepath.Base(a.dir)+"/migrations/versions/") || strings.Count(d[0], "/") != 3 {
			t.Errorf("-m %q wrote %v (%s)", msg, d, out)
		}
		files := a.versions()
		if len(files) != 1 {
			t.Fatalf("-m %q: revision files %v", msg, files)
		}
		if filepath.Dir(files[0]) != filepath.Join(a.dir, "migrations", "versions") {
			t.Errorf("-m %q: file %s outside versions/", msg, files[0])
		}
		a.ok("heads")
	}
}

// TestReliabilityBackup checks upgrade --backup: the copy's name is printed,
// it exists next to the database and holds the pre-upgrade rows and version.
func TestReliabilityBackup(t *testing.T) {
	a := relTwoStepApp(t, "", "INSERT INTO t (b) VALUES (x'01');")
	db := filepath.Join(a.dir, "database.db")
	before := relFingerprint(t, db)
	start := time.Now()
	_, e := a.ok("upgrade", "head", "--backup")
	const prefix = "INFO  [autogen] Backed up the database to "
	i := strings.Index(e, prefix)
	if i < 0 {
		t.Fatalf("upgrade --backup does not print the copy's name:\n%s", e)
	}
	copyPath := strings.TrimSpace(strings.SplitN(e[i+len(prefix):], "\n", 2)[0])
	if filepath.Dir(copyPath) != a.dir {
		t.Errorf("backup %s is not next to the database", copyPath)
	}
	if !strings.HasPrefix(filepath.Base(copyPath), "database.") {
		t.Errorf("backup name %s does not name the database", copyPath)
	}
	if j := strings.Index(e, "Running upgrade"); j < i {
		t.Errorf("the backup was not made before the upgrade:\n%s", e)
	}
	fi, err := os.Stat(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.ModTime().Before(start.Add(-time.Second)) {
		t.Errorf("backup %s is older than the run", copyPath)
	}
	// VACUUM INTO rewrites pages but keeps schema, rows and version row.
	if got := relFingerprint(t, copyPath); got != before {
		t.Errorf("backup differs from the database before the upgrade:\n%s\nwant\n%s", got, before)
	}
	if v := versionRows(t, db); len(v) != 1 || v[0] != relIDB {
		t.Errorf("version rows after upgrade --backup: %v", v)
	}
	// Two backups in the same second get distinct names; without --backup
	// no copy is made.
	a.ok("downgrade", relIDA, "--backup")
	a.ok("upgrade", "head")
	m, _ := filepath.Glob(filepath.Join(a.dir, "database.*.bak"))
	if len(m) != 2 {
		t.Errorf("backups %v, want 2 (one per --backup)", m)
	}
}
