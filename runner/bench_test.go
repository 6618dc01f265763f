package runner

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// columnGraph is n revisions, each adding one column to one table.
func columnGraph(n int) (graph, string) {
	g := graph{}
	var parents []string
	id := ""
	for i := range n {
		id = fmt.Sprintf("%012x", 0xc0100+i)
		up := fmt.Sprintf("ALTER TABLE wide ADD COLUMN c%d INTEGER;", i)
		if i == 0 {
			up = "CREATE TABLE wide (id INTEGER PRIMARY KEY);\n" + up
		}
		g[id] = rev(id, fmt.Sprintf("column %d", i), parents, up, fmt.Sprintf("ALTER TABLE wide DROP COLUMN c%d;", i))
		parents = []string{id}
	}
	return g, id
}

func BenchmarkUpgrade200(b *testing.B) {
	g, head := columnGraph(200)
	d := g.dir()
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "app.db")
		b.StartTimer()
		db, err := OpenFile(context.Background(), path, FileOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := FromDir(db, d).Upgrade(context.Background(), head); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkPlainSQL200 runs the same statements, one commit each, with
// nothing of the runner around them: the floor the runner is measured against.
func BenchmarkPlainSQL200(b *testing.B) {
	g, _ := columnGraph(200)
	stmts := make([]string, 0, 200)
	for i := range 200 {
		stmts = append(stmts, g[fmt.Sprintf("%012x", 0xc0100+i)].Upgrade)
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "app.db")
		b.StartTimer()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range stmts {
			tx, err := db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(s); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		db.Close()
	}
}

// BenchmarkPlainSQLVersion200 is BenchmarkPlainSQL200 with the version
// bookkeeping the contract requires in each revision's transaction:
// Alembic's version table, its row moved to the revision applied. It is
// the floor for a runner that keeps that contract; the difference to
// BenchmarkPlainSQL200 is what the version row costs on its own (a
// second and third page, the table's and its primary key's, in every
// commit).
func BenchmarkPlainSQLVersion200(b *testing.B) {
	g, _ := columnGraph(200)
	type rev struct{ id, stmt string }
	revs := make([]rev, 0, 200)
	for i := range 200 {
		id := fmt.Sprintf("%012x", 0xc0100+i)
		revs = append(revs, rev{id, g[id].Upgrade})
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "app.db")
		b.StartTimer()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"); err != nil {
			b.Fatal(err)
		}
		prev := ""
		for _, r := range revs {
			tx, err := db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(r.stmt); err != nil {
				b.Fatal(err)
			}
			move := "UPDATE alembic_version SET version_num = ? WHERE version_num = ?"
			args := []any{r.id, prev}
			if prev == "" {
				move, args = "INSERT INTO alembic_version (version_num) VALUES (?)", args[:1]
			}
			if _, err := tx.Exec(move, args...); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			prev = r.id
		}
		db.Close()
	}
}

func TestColumnGraphApplies(t *testing.T) {
	g, head := columnGraph(200)
	path := filepath.Join(t.TempDir(), "app.db")
	r := open(t, path, g.dir())
	if _, err := r.Upgrade(context.Background(), head); err != nil {
		t.Fatal(err)
	}
	if n := count(t, rawDB(t, path), "SELECT count(*) FROM pragma_table_info('wide')"); n != 201 {
		t.Errorf("wide has %d columns, want 201", n)
	}
}
