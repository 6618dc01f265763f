package runner

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/script"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadDir writes revs as revision files into a temporary script directory
// and loads it with the script package, as the CLI does.
func loadDir(t testing.TB, revs ...*script.Revision) *script.Dir {
	t.Helper()
	dir := t.TempDir()
	vdir := filepath.Join(dir, "versions")
	if err := os.Mkdir(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, r := range revs {
		if err := os.WriteFile(filepath.Join(vdir, r.ID+"_rev.sql"), []byte(revisionText(r)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := script.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func appRevisions() []*script.Revision {
	g := appGraph()
	return []*script.Revision{g[idA], g[idB], g[idC]}
}

func TestScriptDirUpgradeDowngrade(t *testing.T) {
	ctx := context.Background()
	d := loadDir(t, appRevisions()...)
	path := filepath.Join(t.TempDir(), "app.db")
	r := open(t, path, d)
	if _, err := r.Upgrade(ctx, "heads"); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	mustExec(t, db, "INSERT INTO members (name, team_id, age) VALUES ('ann', 1, 3), ('bob', 2, 4)")
	if _, err := r.Downgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idA}) {
		t.Fatalf("current = %v", got)
	}
	if got := dumpRows(t, db, "members"); got != "members [1 ann 1]\nmembers [2 bob 2]\n" {
		t.Errorf("members after downgrade:\n%s", got)
	}
	// A failing revision loaded from a file is named by its file.
	bad := appRevisions()
	bad[1] = rev(idB, "broken", []string{idA}, "ALTER TABLE members ADD COLUMN age INTEGER;\nSELEC 1;", "")
	_, err := FromDir(r.db, loadDir(t, bad...)).Upgrade(ctx, idC)
	if err == nil || !strings.Contains(err.Error(), idB+"_rev.sql") || !strings.Contains(err.Error(), `"SELEC 1"`) {
		t.Errorf("error %v does not name the file and statement", err)
	}
}

func TestStamp(t *testing.T) {
	ctx := context.Background()
	d := loadDir(t, appRevisions()...)
	cases := []struct {
		name    string
		rows    []string // version rows before
		target  []string // specifiers
		purge   bool
		want    []string
		wantErr string
	}{
		{"base to head", nil, []string{idC}, false, []string{idC}, ""},
		{"down", []string{idC}, []string{idA}, false, []string{idA}, ""},
		{"to base", []string{idB}, []string{"base"}, false, nil, ""},
		{"relative", []string{idB}, []string{"+1"}, false, []string{idC}, ""},
		{"same", []string{idB}, []string{idB}, false, []string{idB}, ""},
		{"unknown row", []string{"ffffffffffff"}, []string{idA}, false, nil, "ffffffffffff"},
		{"unknown row purged", []string{"ffffffffffff"}, []string{idB}, true, []string{idB}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			r := open(t, path, d)
			db := rawDB(t, path)
			mustExec(t, db, versionTableDDL(DefaultVersionTable))
			for _, v := range c.rows {
				mustExec(t, db, "INSERT INTO alembic_version VALUES ('"+v+"')")
			}
			err := r.Stamp(ctx, c.purge, c.target...)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want one naming %s", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := current(t, r); !slices.Equal(got, c.want) {
				t.Errorf("rows = %v, want %v", got, c.want)
			}
			// No revision SQL ran.
			if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE name IN ('teams', 'members')"); n != 0 {
				t.Errorf("stamp created %d tables", n)
			}
		})
	}
}

func TestOfflineSQL(t *testing.T) {
	ctx := context.Background()
	const merged = "eeeeeeeeeee4"
	revs := append(appRevisions(),
		rev("bbbbbbbbbbb1", "side branch", []string{idA}, `
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'it''s; fine'); -- a comment
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  UPDATE notes SET body = body || ';' WHERE id = new.id;
END;
INSERT INTO notes (id) VALUES (1);`, "DROP TABLE notes;"),
		rev(merged, "merge", []string{idC, "bbbbbbbbbbb1"}, "", ""),
	)
	d := loadDir(t, revs...)
	var up bytes.Buffer
	if err := OfflineSQL(&up, d, nil, []string{merged}, true, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	var down bytes.Buffer
	if err := OfflineSQL(&down, d, []string{merged}, []string{idA}, false, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "offline_upgrade.sql", up.Bytes())
	golden(t, "offline_downgrade.sql", down.Bytes())

	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("the sqlite3 shell is not installed (Debian package sqlite3)")
	}
	online := filepath.Join(t.TempDir(), "online.db")
	offline := filepath.Join(t.TempDir(), "offline.db")
	r := open(t, online, d)
	if _, err := r.Upgrade(ctx, merged); err != nil {
		t.Fatal(err)
	}
	runShell(t, sqlite3, offline, up.String())
	if a, b := dump(t, online), dump(t, offline); a != b {
		t.Errorf("upgrade: online and offline differ:\n%s\n---\n%s", a, b)
	}
	if _, err := r.Downgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	runShell(t, sqlite3, offline, down.String())
	if a, b := dump(t, online), dump(t, offline); a != b {
		t.Errorf("downgrade: online and offline differ:\n%s\n---\n%s", a, b)
	}
}

func runShell(t *testing.T, sqlite3, db, script string) {
	t.Helper()
	cmd := exec.Command(sqlite3, "-bail", db)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v\n%s", err, out)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n%s", path, got)
	}
}

func TestVersionTableName(t *testing.T) {
	ctx := context.Background()
	d := loadDir(t, appRevisions()...)
	for _, name := range []string{"alembic_version", "my versions", `x"; DROP TABLE teams; --`, "order", "Versions"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "app.db")
			r := open(t, path, d, WithVersionTable(name))
			if _, err := r.Upgrade(ctx, idB); err != nil {
				t.Fatal(err)
			}
			if got := current(t, r); !slices.Equal(got, []string{idB}) {
				t.Fatalf("current = %v", got)
			}
			db := rawDB(t, path)
			if n := count(t, db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, 'teams', 'members')", name); n != 3 {
				t.Errorf("%d of the version table, teams and members exist", n)
			}
			if n := count(t, db, "SELECT count(*) FROM pragma_index_list(?) WHERE name = ?", name, "sqlite_autoindex_"+name+"_1"); n != 1 {
				t.Errorf("version table has no primary key index")
			}
			var out bytes.Buffer
			if err := OfflineSQL(&out, d, nil, []string{idB}, true, OfflineOptions{VersionTable: name}); err != nil {
				t.Fatal(err)
			}
			if sqlite3, err := exec.LookPath("sqlite3"); err == nil {
				off := filepath.Join(t.TempDir(), "off.db")
				runShell(t, sqlite3, off, out.String())
				if a, b := dump(t, path), dump(t, off); a != b {
					t.Errorf("online and offline differ:\n%s\n---\n%s", a, b)
				}
			}
		})
	}
}

// TestOfflineToBase checks what Alembic's offline mode does at the ends of
// the graph: the INFO lines on the log, and the version table dropped when a
// downgrade leaves no head; the sqlite3 shell must accept the scripts.
func TestOfflineToBase(t *testing.T) {
	d := loadDir(t, appRevisions()...)
	var up, down, log bytes.Buffer
	if err := OfflineSQL(&up, d, nil, []string{idC}, true, OfflineOptions{Log: &log}); err != nil {
		t.Fatal(err)
	}
	if err := OfflineSQL(&down, d, []string{idC}, nil, false, OfflineOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{logPrefix + "Context impl SQLiteImpl.\n" + logPrefix + "Generating static SQL\n" + logPrefix + "Will assume transactional DDL.\n", logPrefix + "Running upgrade  -> " + idA + ", "} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	if strings.Contains(up.String(), "INFO") || strings.Contains(up.String(), "DROP TABLE alembic_version") {
		t.Errorf("upgrade script holds a log line or drops the version table:\n%s", up.String())
	}
	if !strings.HasSuffix(down.String(), "*/ DROP TABLE alembic_version; /*\n*/ COMMIT;\n\n") {
		t.Errorf("downgrade to base does not end by dropping the version table:\n%s", down.String())
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("the sqlite3 shell is not installed (Debian package sqlite3)")
	}
	db := filepath.Join(t.TempDir(), "off.db")
	runShell(t, sqlite3, db, up.String())
	runShell(t, sqlite3, db, down.String())
	if n := count(t, rawDB(t, db), "SELECT count(*) FROM sqlite_master"); n != 0 {
		t.Errorf("%d objects left after downgrade --sql to base", n)
	}
}

func TestOfflineStamp(t *testing.T) {
	d := loadDir(t, appRevisions()...)
	tests := []struct {
		name         string
		from, target []string
		want         string
	}{
		{"from base", nil, []string{idB}, "BEGIN; /*\n*/ " + versionTableDDL("alembic_version") + "; /*\n\n-- Running stamp_revision  -> " + idB + "\n*/ INSERT INTO alembic_version (version_num) VALUES ('" + idB + "'); /*\n*/ COMMIT;\n\n"},
		{"down", []string{idC}, []string{idA}, "BEGIN; /*\n\n-- Running stamp_revision " + idC + " -> " + idA + "\n*/ UPDATE alembic_version SET version_num='" + idA + "' WHERE alembic_version.version_num = '" + idC + "'; /*\n*/ COMMIT;\n\n"},
		{"to base", []string{idB}, nil, "BEGIN; /*\n\n-- Running stamp_revision " + idB + " ->\n*/ DELETE FROM alembic_version WHERE alembic_version.version_num = '" + idB + "'; /*\n*/ DROP TABLE alembic_version; /*\n*/ COMMIT;\n\n"},
		{"no change", []string{idB}, []string{idB}, ""},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := OfflineStamp(&out, d, tt.from, tt.target, OfflineOptions{}); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if out.String() != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, out.String(), tt.want)
		}
	}
}
