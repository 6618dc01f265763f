package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/printable"
)

// update rewrites the rvGolden files under testdata/ instead of comparing
// with them: go test ./cmd/autogen -run X -update. It is the package's one
// -update flag; every rvGolden test of the package uses it.
var update = flag.Bool("update", false, "rewrite the rvGolden files under testdata/")

// rvGolden compares got with testdata/name, or writes it there with -update.
func rvGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update if the change is meant):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// rvBaseModels is the example models as they stand before the tutorial
// adds Member.Age (models/models.go may hold the tutorial's end state).
func rvBaseModels(t testing.TB) string {
	t.Helper()
	var keep []string
	for _, line := range strings.SplitAfter(exampleModels(t), "\n") {
		if !strings.Contains(line, "`bun:\"age") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// rvModelsWith is the example models with edits applied (old -> new).
func rvModelsWith(t testing.TB, edits ...string) string {
	t.Helper()
	src := rvBaseModels(t)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(src, edits[i]) {
			t.Fatalf("models.go has no %q to replace", edits[i])
		}
		src = strings.Replace(src, edits[i], edits[i+1], 1)
	}
	return src
}

// Lines of the example models the tests edit.
const (
	rvMemberName = "Name   string `bun:\"name,notnull\"`"
	rvMemberTeam = "TeamID int64  `bun:\"team_id,notnull\"`"
	rvTeamName   = "Name string `bun:\"name,notnull,unique\"`"
	rvWithAge    = rvMemberName + "\n\tAge    int64  `bun:\"age\"`"
)

// rvTutorial is a module at the end of the rvTutorial's first steps: the
// example models, migrations/ made by init, the "Initial Tables" revision
// applied to database.db, and known rows in it.
func rvTutorial(t *testing.T) *app {
	t.Helper()
	a := newApp(t, map[string]string{"models/models.go": rvBaseModels(t)})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "Initial Tables", "--rev-id", "000000000001")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO teams (id, name) VALUES (1, 'red'), (2, 'blue');
		INSERT INTO members (id, name, team_id) VALUES (1, 'ann', 1), (2, 'bob', 1), (3, 'cid', 2), (4, 'bob', 2)`)
	return a
}

func TestCheckExitCodes(t *testing.T) {
	a := rvTutorial(t)
	t.Run("clean", func(t *testing.T) {
		for _, args := range [][]string{{"check"}, {"check", "--migrations"}} {
			out, _ := a.ok(args...)
			if out != "No new upgrade operations detected.\n" {
				t.Errorf("autogen %s: stdout %q", strings.Join(args, " "), out)
			}
		}
	})
	t.Run("missing revision", func(t *testing.T) {
		a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge))
		defer a.write("models/models.go", rvBaseModels(t))
		for _, args := range [][]string{{"check"}, {"check", "--migrations"}} {
			o, e, code := a.run(args...)
			if code != exitChanged {
				t.Fatalf("autogen %s: exit %d, want 1\n%s%s", strings.Join(args, " "), code, o, e)
			}
			if o != "Detected added column 'members.age'\n" {
				t.Errorf("autogen %s: stdout %q, want the one difference", strings.Join(args, " "), o)
			}
			if !strings.HasPrefix(e, "FAILED: 1 difference between the models") {
				t.Errorf("autogen %s: stderr %q", strings.Join(args, " "), e)
			}
		}
	})
}

// A revision edited by hand into something the models do not say passes
// plain check once applied (the database is what the revision made) and
// check --migrations in CI still catches it; on a fresh clone (no database)
// only --migrations can tell.
func TestCheckMigrationsHandEdited(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge))
	a.ok("revision", "-m", "add age", "--rev-id", "000000000002")
	path := filepath.Join(a.dir, "migrations", "versions", "000000000002_add_age.sql")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	up, down, ok := strings.Cut(src, "-- +autogen downgrade")
	if !ok {
		t.Fatalf("no downgrade section in %s", path)
	}
	up += "CREATE INDEX \"members_age_idx\" ON \"members\" (\"age\");\n\n"
	a.write("migrations/versions/000000000002_add_age.sql", up+"-- +autogen downgrade"+down)

	o, _, code := a.run("check", "--migrations")
	if code != exitChanged || o != "Detected removed index 'members_age_idx' on 'members'\n" {
		t.Fatalf("check --migrations: exit %d, stdout %q; want 1 and the hand-made index", code, o)
	}
	// Not upgraded yet: plain check refuses, as revision does.
	a.fails(exitUsage, "not up to date", "check")
	a.ok("upgrade", "head")
	o, _, code = a.run("check")
	if code != exitChanged || !strings.Contains(o, "members_age_idx") {
		t.Fatalf("check: exit %d, stdout %q", code, o)
	}
	if got := a.rows("SELECT count(*) FROM members"); got[0] != "4" {
		t.Fatalf("rows after upgrade: %v", got)
	}
}

func TestCheckBadInput(t *testing.T) {
	a := rvTutorial(t)
	a.write("migrations/versions/000000000009_broken.sql",
		"-- broken\n--\n-- Revision ID: 000000000009\n-- Revises: 000000000001\n-- Create Date: 2026-01-01 00:00:00\n\n-- +autogen upgrade\nALTER TABLE nowhere ADD COLUMN x INTEGER;\n\n-- +autogen downgrade\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"database behind head", []string{"check"}, "not up to date"},
		{"revision that fails to replay", []string{"check", "--migrations"}, "000000000009"},
		{"unknown format", []string{"check", "--format", "yaml"}, "--format \"yaml\""},
		{"argument", []string{"check", "head"}, "check takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.fails(exitUsage, tt.want, tt.args...)
		})
	}
}

func TestCheckJSON(t *testing.T) {
	a := rvTutorial(t)
	out, _ := a.ok("check", "--format", "json")
	rvGolden(t, "json/check_clean.json", out)

	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge, rvMemberTeam, "TeamID int64  `bun:\"team_id\"`"))
	o, _, code := a.run("check", "--format", "json")
	if code != exitChanged {
		t.Fatalf("check --format json: exit %d, want 1", code)
	}
	rvGolden(t, "json/check_database.json", o)
	o, _, code = a.run("check", "--migrations", "--format", "json")
	if code != exitChanged {
		t.Fatalf("check --migrations --format json: exit %d, want 1", code)
	}
	rvGolden(t, "json/check_migrations.json", o)
}

func TestNouns(t *testing.T) {
	for n, want := range map[int]string{0: "0 differences", 1: "1 difference", 2: "2 differences"} {
		if got := printable.Count(n, "difference", "differences"); got != want {
			t.Errorf("printable.Count(%d) = %q, want %q", n, got, want)
		}
	}
}
