package render

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"database/sql"

	"github.com/autogen-dev/autogen/diff"
)

var benchRows = flag.Int("bench-rows", 1_000_000, "rows in the table BenchmarkRebuild rebuilds")

const (
	benchBefore = `CREATE TABLE "t" ("id" INTEGER NOT NULL, "a" INTEGER, "b" TEXT, "c" TEXT, "d" REAL, "e" INTEGER, "f" TEXT, "g" BLOB, PRIMARY KEY ("id"));
CREATE INDEX "ix_t_a" ON "t" ("a");
CREATE INDEX "ix_t_b" ON "t" ("b");`
	benchAfter = `CREATE TABLE "t" ("id" INTEGER NOT NULL, "a" INTEGER, "b" TEXT, "c" VARCHAR(50), "d" REAL, "e" INTEGER, "f" TEXT, "g" BLOB, PRIMARY KEY ("id"));
CREATE INDEX "ix_t_a" ON "t" ("a");
CREATE INDEX "ix_t_b" ON "t" ("b");`
	// benchHand is the rebuild as one would write it by hand.
	benchHand = `CREATE TABLE "t_new" ("id" INTEGER NOT NULL, "a" INTEGER, "b" TEXT, "c" VARCHAR(50), "d" REAL, "e" INTEGER, "f" TEXT, "g" BLOB, PRIMARY KEY ("id"));
INSERT INTO "t_new" SELECT * FROM "t";
DROP TABLE "t";
ALTER TABLE "t_new" RENAME TO "t";
CREATE INDEX "ix_t_a" ON "t" ("a");
CREATE INDEX "ix_t_b" ON "t" ("b");`
)

// BenchmarkRebuild times the rendered rebuild of a table of -bench-rows
// rows (8 columns, 2 indexes) next to the hand-written statements, both
// applied as the runner applies a revision, each on a fresh copy of the
// same database file.
func BenchmarkRebuild(b *testing.B) {
	dir := b.TempDir()
	template := filepath.Join(dir, "template.db")
	seedBench(b, template)
	cur := newDB(b, benchBefore).inspect()
	tgt := newDB(b, benchAfter).inspect()
	ops, err := diff.Compare(cur, tgt, diff.Options{})
	if err != nil {
		b.Fatal(err)
	}
	up, _, err := SQL(ops, cur, tgt)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct{ name, sql string }{{"rendered", up}, {"handwritten", benchHand}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				path := filepath.Join(dir, fmt.Sprintf("%s%d.db", bc.name, i))
				copyFile(b, template, path)
				d := openFile(b, path)
				b.StartTimer()
				if err := d.migrate(bc.sql); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				d.conn.Close()
				d.db.Close()
				os.Remove(path)
				b.StartTimer()
			}
		})
	}
}

func seedBench(b *testing.B, path string) {
	d := openFile(b, path)
	defer d.db.Close()
	defer d.conn.Close()
	d.script(benchBefore)
	d.exec("BEGIN")
	d.exec(fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
INSERT INTO t SELECT i, i %% 1000, 'b' || i, 'c' || (i %% 77), i * 0.5, i * 3, printf('%%08d', i), randomblob(8) FROM n`, *benchRows))
	d.exec("COMMIT")
}

func openFile(b *testing.B, path string) *testDB {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return &testDB{t: b, db: db, conn: conn}
}

func copyFile(b *testing.B, from, to string) {
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}
