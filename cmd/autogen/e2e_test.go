package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ageField is the line the tutorial adds to Member.
const ageField = "\tAge    int    `bun:\"age\"`\n"

// withAge returns the example models with Member.Age added.
func withAge(t *testing.T, models string) string {
	t.Helper()
	const anchor = "\tTeam   *Team  `bun:\"rel:belongs-to,join:team_id=id\"`\n"
	if !strings.Contains(models, anchor) {
		t.Fatalf("example models changed shape; update the tutorial test:\n%s", models)
	}
	return strings.Replace(models, anchor, anchor+ageField, 1)
}

// withoutAge returns the example models as they stand before the tutorial.
func withoutAge(models string) string {
	return strings.Replace(models, ageField, "", 1)
}

// TestTutorial runs the README's tutorial with the built binary in a fresh
// module, with rows inserted between the steps and checked after each.
func TestTutorial(t *testing.T) {
	models := withoutAge(exampleModels(t))
	a := newApp(t, map[string]string{"models/models.go": models})
	a.binary = true // the tutorial as users follow it, with the built binary
	goMod, goSum := readFile(t, filepath.Join(a.dir, "go.mod")), readFile(t, filepath.Join(a.dir, "go.sum"))

	out, _ := a.ok("init", "migrations")
	for _, want := range []string{"migrations/versions", "script.sql.tmpl", "alembic.ini"} {
		if !strings.Contains(out, want) {
			t.Errorf("init output does not mention %s:\n%s", want, out)
		}
	}
	a.fails(2, "not empty", "init", "migrations")

	_, errOut := a.ok("revision", "-m", "Initial Tables")
	for _, want := range []string{"Detected added table 'members'", "Detected added table 'teams'"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("revision does not say %q:\n%s", want, errOut)
		}
	}
	if n := len(a.versions()); n != 1 {
		t.Fatalf("%d revision files after the first revision, want 1", n)
	}
	first := revisionHeader(t, readFile(t, a.versions()[0]), "Revision ID")

	_, errOut = a.ok("upgrade", "head")
	if !strings.Contains(errOut, "Running upgrade  -> "+first+", Initial Tables") {
		t.Errorf("upgrade output:\n%s", errOut)
	}
	a.exec(`INSERT INTO teams (name) VALUES ('red'), ('blue');
		INSERT INTO members (name, team_id) VALUES ('ann', 1), ('bob', 2), ('cid', 2)`)
	if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{first}) {
		t.Fatalf("version rows %v, want [%s]", got, first)
	}

	// Nothing changed: no file, exit 0.
	_, errOut = a.ok("revision", "-m", "nothing")
	if !strings.Contains(errOut, "No changes in schema detected") || len(a.versions()) != 1 {
		t.Fatalf("revision without changes wrote a file or did not say so:\n%s", errOut)
	}

	a.write("models/models.go", withAge(t, models))
	if _, _, code := a.run("check"); code != 1 {
		t.Fatalf("check after adding a field: exit %d, want 1", code)
	}
	_, errOut = a.ok("revision", "-m", "Column age added to Member")
	if !strings.Contains(errOut, "Detected added column 'members.age'") {
		t.Errorf("second revision output:\n%s", errOut)
	}
	var second string
	for _, v := range a.versions() {
		if id := revisionHeader(t, readFile(t, v), "Revision ID"); id != first {
			second = id
			body := readFile(t, v)
			if !strings.Contains(body, `ALTER TABLE "members" ADD COLUMN "age" INTEGER;`) {
				t.Errorf("second revision does not add the column with ALTER TABLE:\n%s", body)
			}
			if !strings.Contains(body, "Revises: "+first) {
				t.Errorf("second revision does not revise the first:\n%s", body)
			}
		}
	}
	a.ok("upgrade", "head")
	wantMembers := []string{"1|ann|1|NULL", "2|bob|2|NULL", "3|cid|2|NULL"}
	if got := a.rows("SELECT id, name, team_id, age FROM members ORDER BY id"); !slices.Equal(got, wantMembers) {
		t.Fatalf("members after upgrade: %v, want %v", got, wantMembers)
	}
	a.exec("UPDATE members SET age = 30 WHERE id = 1")
	a.ok("check")

	_, errOut = a.ok("downgrade", "-1")
	if !strings.Contains(errOut, "Running downgrade "+second+" -> "+first+", Column age added to Member") {
		t.Errorf("downgrade output:\n%s", errOut)
	}
	if got := a.rows("SELECT * FROM members ORDER BY id"); !slices.Equal(got, []string{"1|ann|1", "2|bob|2", "3|cid|2"}) {
		t.Fatalf("members after downgrade: %v", got)
	}
	if got := a.rows("SELECT name FROM teams ORDER BY id"); !slices.Equal(got, []string{"red", "blue"}) {
		t.Fatalf("teams after downgrade: %v", got)
	}

	out, _ = a.ok("current")
	if strings.TrimSpace(out) != first {
		t.Errorf("current = %q, want %q", out, first)
	}
	out, _ = a.ok("history", "--verbose")
	for _, want := range []string{
		"Rev: " + second + " (head)", "Parent: " + first, "Rev: " + first, "Parent: <base>",
		"    Column age added to Member", "    Initial Tables", "Revision ID: " + second,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("history --verbose lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "Rev: "+second) > strings.Index(out, "Rev: "+first) {
		t.Errorf("history is not newest first:\n%s", out)
	}
	out, _ = a.ok("history")
	wantHistory := first + " -> " + second + " (head), Column age added to Member\n<base> -> " + first + ", Initial Tables\n"
	if out != wantHistory {
		t.Errorf("history =\n%s\nwant\n%s", out, wantHistory)
	}

	a.ok("upgrade", "head")
	out, _ = a.ok("current")
	if strings.TrimSpace(out) != second+" (head)" {
		t.Errorf("current after upgrade = %q", out)
	}
	a.ok("check")
	if got := a.rows("SELECT id, name, team_id, age FROM members ORDER BY id"); !slices.Equal(got, wantMembers) {
		t.Fatalf("members after the second upgrade: %v, want %v", got, wantMembers)
	}

	a.ok("downgrade", "base")
	if got := a.rows("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"); !slices.Equal(got, []string{"alembic_version"}) {
		t.Fatalf("tables after downgrade base: %v", got)
	}
	if got := a.rows("SELECT count(*) FROM alembic_version"); !slices.Equal(got, []string{"0"}) {
		t.Fatalf("version rows after downgrade base: %v", got)
	}

	if readFile(t, filepath.Join(a.dir, "go.mod")) != goMod || readFile(t, filepath.Join(a.dir, "go.sum")) != goSum {
		t.Error("autogen changed the user's go.mod or go.sum")
	}
}

// TestOfflineSQLMatchesUpgrade applies `upgrade --sql` output with the
// sqlite3 shell and compares the result with `upgrade head`.
func TestOfflineSQLMatchesUpgrade(t *testing.T) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
	}
	models := withoutAge(exampleModels(t))
	a := newApp(t, map[string]string{"models/models.go": models})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "Initial Tables")
	a.write("models/models.go", withAge(t, models))
	a.ok("upgrade", "head")
	a.ok("revision", "-m", "Column age added to Member")
	a.ok("upgrade", "head")
	online := a.rows(masterQuery)
	versions := a.rows("SELECT version_num FROM alembic_version")

	script, logged := a.ok("upgrade", "base:head", "--sql")
	if strings.Contains(script, "INFO") {
		t.Errorf("--sql output mixes log lines into the script:\n%s", script)
	}
	// Alembic's offline mode logs these on stderr.
	for _, want := range []string{"Context impl SQLiteImpl.\n", "Generating static SQL\n", "Will assume transactional DDL.\n", "Running upgrade  -> ", ", Initial Tables\n"} {
		if !strings.Contains(logged, want) {
			t.Errorf("upgrade --sql does not log %q:\n%s", want, logged)
		}
	}
	offline := filepath.Join(t.TempDir(), "offline.db")
	cmd := exec.Command(shell, "-bail", offline)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sqlite3 rejected the --sql script: %v\n%s\nscript:\n%s", err, out, script)
	}
	b := &app{t: t, dir: filepath.Dir(offline)}
	if err := os.Rename(offline, filepath.Join(b.dir, "database.db")); err != nil {
		t.Fatal(err)
	}
	if got := b.rows(masterQuery); !slices.Equal(got, online) {
		t.Errorf("schema from --sql:\n%s\nfrom upgrade head:\n%s", strings.Join(got, "\n"), strings.Join(online, "\n"))
	}
	if got := b.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, versions) {
		t.Errorf("version rows from --sql %v, from upgrade head %v", got, versions)
	}

	down, _ := a.ok("downgrade", "head:base", "--sql")
	cmd = exec.Command(shell, "-bail", filepath.Join(b.dir, "database.db"))
	cmd.Stdin = strings.NewReader(down)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sqlite3 rejected the downgrade --sql script: %v\n%s\nscript:\n%s", err, out, down)
	}
	// No head remains, so the version table goes too, as Alembic's does.
	if got := b.rows(masterQuery); len(got) != 0 {
		t.Errorf("schema after downgrade --sql: %v", got)
	}
}

const masterQuery = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"

// TestRelativeSpecifiers checks that "-1" and "-r -2:current" are arguments,
// not flags, wherever they stand on the command line.
func TestRelativeSpecifiers(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": withoutAge(exampleModels(t))})
	a.ok("init", "migrations")
	var ids []string
	for i, msg := range []string{"one", "two", "three"} {
		id := strings.Repeat(string(rune('a'+i)), 12)
		a.ok("revision", "--empty", "-m", msg, "--rev-id", id)
		ids = append(ids, id)
	}
	a.ok("upgrade", "head")
	a.ok("downgrade", "-1")
	if out, _ := a.ok("current"); strings.TrimSpace(out) != ids[1] {
		t.Fatalf("current after downgrade -1 = %q, want %s", out, ids[1])
	}
	a.ok("-c", "alembic.ini", "downgrade", "-1")
	a.ok("upgrade", "+1", "-c", "alembic.ini")
	if out, _ := a.ok("current"); strings.TrimSpace(out) != ids[1] {
		t.Fatalf("current after upgrade +1 = %q, want %s", out, ids[1])
	}
	out, _ := a.ok("history", "-r", "-1:current")
	want := ids[0] + " -> " + ids[1] + ", two\n<base> -> " + ids[0] + ", one\n"
	if out != want {
		t.Errorf("history -r -1:current =\n%s\nwant\n%s", out, want)
	}
	a.fails(2, "", "downgrade", "-9")
	a.fails(2, "", "upgrade")
	a.fails(2, "unknown command", "frobnicate")
	for _, args := range [][]string{{"upgrade", "--bogus", "head"}, {"--bogus", "current"}, {"history", "-r"}} {
		e := a.fails(2, "run 'autogen", args...)
		if strings.Count(strings.TrimSpace(e), "\n") > 0 {
			t.Errorf("autogen %s: more than one line on stderr:\n%s", strings.Join(args, " "), e)
		}
	}
}

// init next to an alembic.ini that names another script directory creates
// the new one and says which stays in force.
func TestInitBesideExistingIni(t *testing.T) {
	a := newApp(t, nil)
	a.ok("init", "migrations")
	out, _ := a.ok("init", "other")
	want := "already exists, skipping; its script_location " + filepath.Join(a.dir, "migrations") +
		" stays in force, and " + filepath.Join(a.dir, "other") + " is not used until script_location names it"
	if !strings.Contains(out, want) {
		t.Errorf("init output does not say %q:\n%s", want, out)
	}
	if _, err := os.Stat(filepath.Join(a.dir, "other", "versions")); err != nil {
		t.Errorf("init other did not create it: %v", err)
	}
	// The same directory again says nothing more.
	if err := os.RemoveAll(filepath.Join(a.dir, "migrations")); err != nil {
		t.Fatal(err)
	}
	if out, _ := a.ok("init", "migrations"); strings.Contains(out, "stays in force") {
		t.Errorf("init of the directory in force warns:\n%s", out)
	}
}
