package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	relIDA = "aaaa00000001"
	relIDB = "bbbb00000002"
)

// relTwoStepApp is a module at revision A, whose table t holds rows, with a
// revision B (up) that the test chooses still to apply.
func relTwoStepApp(t *testing.T, url, upB string) *app {
	t.Helper()
	a := relApp(t, nil)
	if url != "" {
		a.env = append(a.env, "AUTOGEN_URL="+url)
	}
	a.writeRevision(revisionFile{ID: relIDA, Message: "table t", Upgrade: `CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB);
CREATE INDEX t_b ON t (b);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 100)
INSERT INTO t (b) SELECT randomblob(500) FROM s;`, Downgrade: "DROP TABLE t;"})
	a.ok("upgrade", relIDA)
	a.writeRevision(revisionFile{ID: relIDB, Message: "step b", Parents: []string{relIDA}, Upgrade: upB, Downgrade: "DELETE FROM t WHERE id > 100;"})
	return a
}

// TestReliabilityLocked holds the database with BEGIN EXCLUSIVE on another
// connection: upgrade waits for the busy timeout (alembic.ini's
// busy_timeout), then says so, exits 2 and changes nothing.
func TestReliabilityLocked(t *testing.T) {
	t.Parallel()
	a := relTwoStepApp(t, "", "INSERT INTO t (b) VALUES (x'00');")
	a.write("alembic.ini", readFile(t, filepath.Join(a.dir, "alembic.ini"))+"\nbusy_timeout = 2\n")
	db := filepath.Join(a.dir, "database.db")
	before, tree := relFingerprint(t, db), relTree(t, a.dir)

	holder, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	ctx := context.Background()
	conn, err := holder.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	e := a.fails(2, "is locked by another connection: waited the busy timeout of 2s for it and gave up; nothing was changed", "upgrade", "head")
	waited := time.Since(start)
	relOneSentence(t, e)
	if waited < 2*time.Second {
		t.Errorf("gave up after %s, before the 2s busy timeout", waited)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if got := relFingerprint(t, db); got != before {
		t.Errorf("the database changed:\n%s\nwant\n%s", got, before)
	}
	if d := relTreeDiff(tree, relTree(t, a.dir)); len(d) > 0 {
		t.Errorf("files written: %v", d)
	}

	// A lock released within the timeout is waited for, then the upgrade runs.
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	release := time.AfterFunc(time.Second, func() { conn.ExecContext(ctx, "ROLLBACK") })
	defer release.Stop()
	a.ok("upgrade", "head")
	if v := versionRows(t, db); len(v) != 1 || v[0] != relIDB {
		t.Errorf("version rows after waiting for the lock: %v", v)
	}
}

// relMountTmpfs mounts a tmpfs of the given size (e.g. "2m") on a new folder
// and unmounts it at the end of the test; it needs root.
func relMountTmpfs(t *testing.T, size string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput()
	if err != nil {
		return "", &exec.Error{Name: "mount: " + strings.TrimSpace(string(out)), Err: err}
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
	return dir, nil
}

// TestReliabilityDiskFull runs a revision that needs more space than the
// filesystem holding the database has: a 2 MiB tmpfs when the test may
// mount one, else a 1 MiB file size limit (RLIMIT_FSIZE via prlimit). The
// revision rolls back, the message says why, the database is unchanged.
func TestReliabilityDiskFull(t *testing.T) {
	const fill = `CREATE TABLE filler (b BLOB);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000)
INSERT INTO filler SELECT randomblob(1000) FROM s;
INSERT INTO t (b) VALUES (x'01');`
	dir, err := relMountTmpfs(t, "2m")
	full := err == nil
	if !full {
		t.Logf("no tmpfs (%v): testing with a file size limit instead", err)
		dir = t.TempDir()
	}
	db := filepath.Join(dir, "database.db")
	a := relTwoStepApp(t, "sqlite:///"+db, fill)
	before, tree := relFingerprint(t, db), relTree(t, a.dir)

	var e string
	if full {
		e = a.fails(2, "(the disk is full or the database reached PRAGMA max_page_count)", "upgrade", "head")
	} else {
		cmd := exec.Command("prlimit", "--fsize=1048576", bin, "upgrade", "head")
		cmd.Dir, cmd.Env = a.dir, append(os.Environ(), a.env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		e = stderr.String()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(e, "disk I/O error") {
			t.Fatalf("upgrade over the file size limit: %v, want exit 2 and a disk I/O error:\n%s", err, e)
		}
	}
	relOneSentence(t, e)
	for _, w := range []string{relIDB, "rolled back", "still at " + relIDA} {
		if !strings.Contains(e, w) {
			t.Errorf("message lacks %q:\n%s", w, e)
		}
	}
	// Over RLIMIT_FSIZE SQLite's pager ends in its error state and leaves
	// the journal for the next connection to roll back (relFingerprint below
	// does); on a full disk the rollback completes at once.
	if _, err := os.Stat(db + "-journal"); err == nil && full {
		t.Errorf("a hot journal was left behind after the rollback")
	}
	// A reading command must see revision A, whatever the rollback left.
	if out, e, code := a.run("current"); code != 0 || !strings.Contains(out, relIDA) {
		t.Errorf("current after the failed upgrade: exit %d, %q\n%s", code, out, e)
	}
	if got := relFingerprint(t, db); got != before {
		t.Errorf("the database changed:\n%s\nwant\n%s", got, before)
	}
	if d := relTreeDiff(tree, relTree(t, a.dir)); len(d) > 0 {
		t.Errorf("files written: %v", d)
	}
	// With space freed (a smaller revision), the same database upgrades.
	a.writeRevision(revisionFile{ID: relIDB, Message: "step b", Parents: []string{relIDA}, Upgrade: "INSERT INTO t (b) VALUES (x'01');", Downgrade: "DELETE FROM t WHERE id > 100;"})
	a.ok("upgrade", "head")
	if v := versionRows(t, db); len(v) != 1 || v[0] != relIDB {
		t.Errorf("version rows after the retry: %v", v)
	}
}

// TestReliabilityReadOnly checks that a database file or folder that cannot
// be written is reported before any work: no revision is run, nothing
// changes.
func TestReliabilityReadOnly(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string) // dir holds database.db
		want  string
	}{
		{"read-only file", func(t *testing.T, dir string) {
			relChmod(t, filepath.Join(dir, "database.db"), 0o444)
		}, "is read-only; migrating needs write access to it"},
		{"read-only folder", func(t *testing.T, dir string) {
			relChmod(t, dir, 0o555)
		}, "is read-only; SQLite needs to write its journal there"},
		{"read-only filesystem", func(t *testing.T, dir string) {
			if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
				t.Fatalf("remount read-only: %v %s", err, out)
			}
		}, "read-only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var dir string
			if c.name == "read-only filesystem" {
				var err error
				if dir, err = relMountTmpfs(t, "4m"); err != nil {
					t.Logf("cannot mount a tmpfs (%v); the read-only filesystem case needs root", err)
					return
				}
			} else {
				dir = filepath.Join(t.TempDir(), "data")
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			db := filepath.Join(dir, "database.db")
			a := relTwoStepApp(t, "sqlite:///"+db, "INSERT INTO t (b) VALUES (x'01');")
			before := relFingerprint(t, db)
			c.setup(t, dir)
			t.Cleanup(func() { os.Chmod(dir, 0o755) })
			tree := relTree(t, dir)
			for _, args := range [][]string{{"upgrade", "head"}, {"downgrade", "base"}, {"stamp", "head"}, {"upgrade", "head", "--backup"}} {
				e := a.fails(2, c.want, args...)
				relOneSentence(t, e)
				if strings.Contains(e, "Running") || strings.Contains(e, "Backed up") {
					t.Errorf("%v: work started before the read-only check:\n%s", args, e)
				}
			}
			if got := relFingerprint(t, db); got != before {
				t.Errorf("the database changed:\n%s\nwant\n%s", got, before)
			}
			if d := relTreeDiff(tree, relTree(t, dir)); len(d) > 0 {
				t.Errorf("files written: %v", d)
			}
			// Reading commands still work on a read-only database.
			if out, _ := a.ok("current"); !strings.Contains(out, relIDA) {
				t.Errorf("current on a read-only database: %q", out)
			}
		})
	}
}

func relChmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}
