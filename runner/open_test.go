package runner

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/filemode"
)

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		setup    func(t *testing.T, dir string) string // returns the database path
		readOnly bool
		wantErr  []string // empty: Open must succeed
	}{
		{"not a database", func(t *testing.T, dir string) string {
			return writeFile(t, filepath.Join(dir, "app.db"), strings.Repeat("this is not sqlite\n", 100), 0o644)
		}, false, []string{"app.db", "is not a SQLite database or is corrupt"}},
		{"not a database read-only", func(t *testing.T, dir string) string {
			return writeFile(t, filepath.Join(dir, "app.db"), "hello", 0o644)
		}, true, []string{"app.db", "is not a SQLite database or is corrupt"}},
		{"corrupt header", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "app.db")
			makeDB(t, p)
			data, _ := os.ReadFile(p)
			copy(data[16:24], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			return writeFile(t, p, string(data), 0o644)
		}, false, []string{"app.db", "is not a SQLite database or is corrupt"}},
		{"read-only file", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "app.db")
			makeDB(t, p)
			chmod(t, p, 0o444)
			return p
		}, false, []string{"app.db is read-only"}},
		{"read-only folder", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "app.db")
			makeDB(t, p)
			chmod(t, dir, 0o555)
			return p
		}, false, []string{"app.db", "is read-only", "journal"}},
		{"read-only file may be read", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "app.db")
			makeDB(t, p)
			chmod(t, p, 0o444)
			return p
		}, true, nil},
		{"missing folder", func(t *testing.T, dir string) string {
			return filepath.Join(dir, "nope", "app.db")
		}, false, []string{"app.db", "nope", "does not exist"}},
		{"folder as file", func(t *testing.T, dir string) string {
			return dir
		}, false, []string{"is a folder"}},
		{"file as folder", func(t *testing.T, dir string) string {
			return filepath.Join(writeFile(t, filepath.Join(dir, "alembic.ini"), "x", 0o644), "x.db")
		}, false, []string{"x.db", "alembic.ini is a file, not a folder"}},
		{"fifo", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "fifo.db")
			if err := filemode.MakeFIFO(p); err != nil {
				t.Skip(err)
			}
			return p
		}, false, []string{"fifo.db is not a regular file (it is a named pipe)"}},
		{"fifo read-only", func(t *testing.T, dir string) string {
			p := filepath.Join(dir, "fifo.db")
			if err := filemode.MakeFIFO(p); err != nil {
				t.Skip(err)
			}
			return p
		}, true, []string{"fifo.db is not a regular file"}},
		{"device", func(t *testing.T, dir string) string {
			return "/dev/null"
		}, false, []string{"/dev/null is not a regular file (it is a character device)"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := c.setup(t, dir)
			var before []byte
			fi, statErr := os.Stat(path)
			special := statErr == nil && !fi.Mode().IsRegular() // reading a FIFO would block
			if !special {
				before, _ = os.ReadFile(path)
			}
			db, err := OpenFile(ctx, path, FileOptions{ReadOnly: c.readOnly})
			if len(c.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if got := current(t, FromDir(db, appGraph().dir())); len(got) != 1 || got[0] != idA {
					t.Errorf("current = %v", got)
				}
				db.Close()
			} else {
				if err == nil {
					db.Close()
					t.Fatal("OpenFile succeeded")
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
			}
			if special {
				return
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Error("the file changed")
			}
		})
	}
}

func TestReadOnlyMissingFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	if _, err := OpenFile(ctx, path, FileOptions{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), path) {
		t.Errorf("OpenFile of a missing file, read-only: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file was created: %v", err)
	}
	// A file that may not be written is opened read-only, and a run that
	// would write says so.
	makeDB(t, path)
	chmod(t, path, 0o444)
	db, err := OpenFile(ctx, path, FileOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := dump(t, path)
	if _, err := FromDir(db, appGraph().dir()).Upgrade(ctx, "head"); err == nil || !strings.Contains(err.Error(), "cannot be written") {
		t.Errorf("upgrade through a read-only connection: %v", err)
	}
	if after := dump(t, path); after != before {
		t.Error("the read-only file changed")
	}
}

func TestBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	makeDB(t, path)
	mustExec(t, rawDB(t, path), "INSERT INTO members (name, team_id) VALUES ('ann', 1)")
	r := open(t, path, appGraph().dir())
	now := time.Date(2026, 11, 25, 9, 41, 7, 0, time.UTC)
	first, err := r.Backup(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := r.Backup(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if want := filepath.Join(dir, "app.20261125T094107Z.db.bak"); first != want {
		t.Errorf("backup at %s, want %s", first, want)
	}
	if want := filepath.Join(dir, "app.20261125T094107Z-2.db.bak"); second != want {
		t.Errorf("second backup at %s, want %s", second, want)
	}
	if a, b := dump(t, path), dump(t, first); a != b {
		t.Errorf("backup differs:\n%s\n%s", a, b)
	}
}

// makeDB is a database at revision idA holding rows.
func makeDB(t *testing.T, path string) {
	t.Helper()
	db, err := OpenFile(context.Background(), path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := FromDir(db, appGraph().dir()).Upgrade(context.Background(), idA); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, data string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(path, 0o755) })
}

// TestSorterThreads checks that a run's connection may sort with helper
// threads, which is what keeps a large rebuild's CREATE INDEX off one core.
func TestSorterThreads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	g := newGraph(rev(idA, "threads", nil, "CREATE TABLE th AS SELECT * FROM pragma_threads;", "DROP TABLE th;"))
	if _, err := open(t, path, g.dir()).Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rawDB(t, path), "SELECT threads FROM th"); n < 1 || n != sorterThreads() {
		t.Fatalf("PRAGMA threads = %d during the run, want %d", n, sorterThreads())
	}
}

// A backup cut short leaves no file behind: neither a partial .bak nor the
// temporary file it is written to.
func TestBackupInterrupted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "app.db")
	makeDB(t, path)
	mustExec(t, rawDB(t, path), `CREATE TABLE big (v TEXT);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300000)
INSERT INTO big SELECT hex(randomblob(32)) FROM s`)
	r := open(t, path, appGraph().dir())
	now := time.Date(2026, 11, 25, 9, 41, 7, 0, time.UTC)
	for _, d := range []time.Duration{0, time.Millisecond, 20 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		got, err := r.Backup(ctx, now)
		cancel()
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if err == nil {
			// VACUUM finished before the deadline: the backup is whole.
			if a, b := dump(t, path), dump(t, got); a != b {
				t.Errorf("backup differs")
			}
			os.Remove(got)
			continue
		}
		t.Logf("cut short after %s: %v", d, err)
		if len(names) != 1 || names[0] != "app.db" {
			t.Errorf("after a backup cut short after %s (%v) the folder holds %v", d, err, names)
		}
	}
}

// TestBackupNameTrouble: a name the file system refuses is an error, not an
// endless search for a free one, and backups taken at once in the same
// second each keep their own file.
func TestBackupNameTrouble(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("d", 240)+".db")
	makeDB(t, long)
	r := open(t, long, appGraph().dir())
	now := time.Date(2026, 11, 25, 9, 41, 7, 0, time.UTC)
	done := make(chan error, 1)
	go func() { _, err := r.Backup(context.Background(), now); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a backup name longer than the file system allows was accepted")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Backup looped on a name the file system refuses")
	}

	path := filepath.Join(dir, "app.db")
	makeDB(t, path)
	const n = 4
	errs := make(chan error, n)
	names := make(chan string, n)
	for range n {
		go func() {
			db, err := OpenFile(context.Background(), path, FileOptions{})
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			name, err := FromDir(db, appGraph().dir()).Backup(context.Background(), now)
			names <- name
			errs <- err
		}()
	}
	seen := map[string]bool{}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		seen[<-names] = true
	}
	if len(seen) != n {
		t.Fatalf("%d concurrent backups left %d files: %v", n, len(seen), seen)
	}
	for name := range seen {
		if a, b := dump(t, path), dump(t, name); a != b {
			t.Errorf("backup %s differs from the database", name)
		}
	}
}
