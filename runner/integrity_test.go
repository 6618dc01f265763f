package runner

import (
	"context"
	"encoding/binary"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damagedApp makes a database with tables a (many rows, an index and a
// trigger writing to it from b) and c, some free pages, and the base
// revision applied; damage then spoils it.
func damagedApp(t *testing.T, damage func(path string, root, pageSize int)) (string, graph) {
	t.Helper()
	base := rev("c0000000000a", "base", nil, `CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX a_v ON a (v);
CREATE TABLE b (id INTEGER PRIMARY KEY, w TEXT);
CREATE TRIGGER b_ins AFTER INSERT ON b BEGIN INSERT INTO a (v) VALUES (new.w); END;
CREATE TABLE c (id INTEGER PRIMARY KEY, x TEXT);
CREATE TABLE scrap (y TEXT);`, "DROP TABLE scrap; DROP TABLE c; DROP TRIGGER b_ins; DROP TABLE b; DROP TABLE a;")
	g := newGraph(base)
	path := filepath.Join(t.TempDir(), "app.db")
	r := open(t, path, g.dir())
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	mustExec(t, db, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000) INSERT INTO a (v) SELECT hex(randomblob(40)) FROM s`,
		`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300) INSERT INTO scrap (y) SELECT hex(randomblob(200)) FROM s`,
		`DROP TABLE scrap`)
	if count(t, db, "PRAGMA freelist_count") == 0 {
		t.Fatal("no free pages to damage")
	}
	root, pageSize := count(t, db, "SELECT rootpage FROM sqlite_master WHERE name = 'a'"), count(t, db, "PRAGMA page_size")
	db.Close()
	damage(path, root, pageSize)
	return path, g
}

func overwrite(t *testing.T, path string, off int64, data []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
}

// TestDamageLookedForWhereWritten: a revision that writes only undamaged
// tables runs; one that would write a damaged table, directly, through an
// index or through a trigger, or allocate from a damaged freelist, is
// refused with nothing of it applied.
func TestDamageLookedForWhereWritten(t *testing.T) {
	spoilA := func(t *testing.T) func(string, int, int) {
		return func(path string, root, pageSize int) {
			// The root of a is an interior page; garbage over it.
			overwrite(t, path, int64((root-1)*pageSize+8), []byte(strings.Repeat("\xde\xad\xbe\xef", 64)))
		}
	}
	spoilFreelist := func(t *testing.T) func(string, int, int) {
		return func(path string, root, pageSize int) {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], uint32(root)) // the first free page is a's root
			overwrite(t, path, 32, b[:])
		}
	}
	for _, tc := range []struct {
		name   string
		damage func(*testing.T) func(string, int, int)
		up     string
		want   string // "" when the revision runs
	}{
		{"untouched table", spoilA, "INSERT INTO c (x) VALUES ('ok');", ""},
		{"written table", spoilA, "UPDATE a SET v = 'x' WHERE id = 1;", "table a or its indexes"},
		{"dropped index", spoilA, "DROP INDEX a_v;", "table a or its indexes"},
		{"through a trigger", spoilA, "INSERT INTO b (w) VALUES ('x');", "table a or its indexes"},
		{"freelist", spoilFreelist, "INSERT INTO c (x) VALUES ('ok');", "the schema or the list of free pages"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, g := damagedApp(t, tc.damage(t))
			g["c0000000000b"] = rev("c0000000000b", "change", []string{"c0000000000a"}, tc.up, "SELECT 1;")
			r := open(t, path, g.dir())
			_, err := r.Upgrade(context.Background(), "head")
			if tc.want == "" {
				if err != nil {
					t.Fatalf("a revision writing only undamaged pages was refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "corrupt in "+tc.want) || !strings.Contains(err.Error(), "still at c0000000000a") {
				t.Fatalf("err = %v, want the damage in %s named and nothing applied", err, tc.want)
			}
			if got := current(t, r); len(got) != 1 || got[0] != "c0000000000a" {
				t.Fatalf("version rows %v after a refused revision", got)
			}
		})
	}
}

// TestDamagedFreelistStamp: stamp writes the version table, so it checks
// the free pages it may take a page from.
func TestDamagedFreelistStamp(t *testing.T) {
	path, g := damagedApp(t, func(path string, root, pageSize int) {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(root))
		overwrite(t, path, 32, b[:])
	})
	g["c0000000000b"] = rev("c0000000000b", "change", []string{"c0000000000a"}, "SELECT 1;", "SELECT 1;")
	r := open(t, path, g.dir())
	if err := r.Stamp(context.Background(), false, "head"); err == nil || !strings.Contains(err.Error(), "list of free pages") {
		t.Fatalf("stamp on a damaged freelist: %v", err)
	}
	if got := current(t, r); len(got) != 1 || got[0] != "c0000000000a" {
		t.Fatalf("version rows %v after a refused stamp", got)
	}
}

// afterStep is a slog handler that runs fn once, when the n-th step of a
// run has committed.
type afterStep struct {
	fn    func()
	n     int
	steps *int
}

func (h afterStep) Enabled(context.Context, slog.Level) bool { return true }
func (h afterStep) Handle(context.Context, slog.Record) error {
	if *h.steps++; *h.steps == h.n {
		h.fn()
	}
	return nil
}
func (h afterStep) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h afterStep) WithGroup(string) slog.Handler      { return h }

// TestOtherCommitRechecksSchema: the runner checks the schema and the
// freelist once per connection while nobody else commits; when another
// connection commits between two revisions of a run, the next revision
// checks them again, and finds damage that came with that commit. The
// first revision runs on the run's first connection, the next two on one
// the runner opened and kept (isolate): the commit comes between those.
func TestOtherCommitRechecksSchema(t *testing.T) {
	path, g := damagedApp(t, func(string, int, int) {})
	g["c0000000000b"] = rev("c0000000000b", "first", []string{"c0000000000a"}, "INSERT INTO c (x) VALUES ('1');", "SELECT 1;")
	g["c0000000000c"] = rev("c0000000000c", "second", []string{"c0000000000b"}, "INSERT INTO c (x) VALUES ('2');", "SELECT 1;")
	g["c0000000000d"] = rev("c0000000000d", "third", []string{"c0000000000c"}, "INSERT INTO c (x) VALUES ('3');", "SELECT 1;")
	db := rawDB(t, path)
	root := count(t, db, "SELECT rootpage FROM sqlite_master WHERE name = 'a'")
	steps := 0
	other := func() {
		mustExec(t, db, "INSERT INTO c (x) VALUES ('other')")
		db.Close()
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(root)) // the first free page is a's root
		overwrite(t, path, 32, b[:])
	}
	r := open(t, path, g.dir(), WithLogger(slog.New(afterStep{other, 2, &steps})))
	_, err := r.Upgrade(context.Background(), "head")
	if err == nil || !strings.Contains(err.Error(), "the schema or the list of free pages") || !strings.Contains(err.Error(), "still at c0000000000c") {
		t.Fatalf("err = %v, want the damaged freelist found before the third revision", err)
	}
}
