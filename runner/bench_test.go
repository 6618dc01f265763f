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
func BenchmarkPlainSQL200(b *testing.B) { plainSQL200(b, false) }

// BenchmarkPlainSQLVersion200 is BenchmarkPlainSQL200 with the version
// bookkeeping the contract requires in each revision's transaction:
// Alembic's version table, its row moved to the revision applied. It is
// the floor for a runner that keeps that contract; the difference to
// BenchmarkPlainSQL200 is what the version row costs on its own (a
// second and third page, the table's and its primary key's, in every
// commit).
func BenchmarkPlainSQLVersion200(b *testing.B) { plainSQL200(b, true) }

func plainSQL200(b *testing.B, version bool) {
	g, _ := columnGraph(200)
	ids := make([]string, 0, 200)
	for i := range 200 {
		ids = append(ids, fmt.Sprintf("%012x", 0xc0100+i))
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "app.db")
		b.StartTimer()
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		if version {
			if _, err := db.Exec(versionTableDDL("alembic_version")); err != nil {
				b.Fatal(err)
			}
		}
		prev := ""
		for _, id := range ids {
			tx, err := db.Begin()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(g[id].Upgrade); err != nil {
				b.Fatal(err)
			}
			if version {
				if err := moveVersionRow(tx, prev, id); err != nil {
					b.Fatal(err)
				}
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			prev = id
		}
		db.Close()
	}
}

// moveVersionRow records id as the head in place of prev ("" for none).
func moveVersionRow(tx *sql.Tx, prev, id string) error {
	if prev == "" {
		_, err := tx.Exec("INSERT INTO alembic_version (version_num) VALUES (?)", id)
		return err
	}
	_, err := tx.Exec("UPDATE alembic_version SET version_num = ? WHERE version_num = ?", id, prev)
	return err
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
