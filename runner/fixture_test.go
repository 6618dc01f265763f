package runner

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/script"
)

// graph holds hand-built revisions by id, so that a test can change one
// between runs; dir makes them a script directory's graph.
type graph map[string]*script.Revision

func newGraph(revs ...*script.Revision) graph {
	g := graph{}
	for _, r := range revs {
		g[r.ID] = r
	}
	return g
}

func rev(id, msg string, parents []string, up, down string) *script.Revision {
	return &script.Revision{ID: id, Parents: parents, Message: msg, Upgrade: up, Downgrade: down,
		Path: "versions/" + id + ".sql"}
}

// dir is g's revision graph; it holds g's revisions themselves, so changes
// made to them later are seen.
func (g graph) dir() *script.Dir {
	d, err := script.New(slices.Collect(maps.Values(g)))
	if err != nil {
		panic(err)
	}
	return d
}

// open opens the database file path as the CLI does and a runner on it for
// d, closed when the test ends.
func open(t testing.TB, path string, d *script.Dir, opts ...Option) *Runner {
	t.Helper()
	db, err := OpenFile(context.Background(), path, FileOptions{})
	if err != nil {
		t.Fatalf("OpenFile(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return FromDir(db, d, append([]Option{WithName(path)}, opts...)...)
}

// rawDB is a second, independent connection for arranging and inspecting.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

func mustExec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// dump is the database's whole state: every schema object's SQL and every
// row of every table, sorted, so two states compare as strings.
func dump(t testing.TB, path string) string {
	t.Helper()
	db := rawDB(t, path)
	var b strings.Builder
	rows, err := db.Query("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s on %s: %s\n", typ, name, tbl, text)
		if typ == "table" && !strings.HasPrefix(name, "sqlite_") {
			tables = append(tables, name)
		}
	}
	rows.Close()
	for _, tb := range tables {
		b.WriteString(dumpRows(t, db, tb))
	}
	return b.String()
}

func dumpRows(t testing.TB, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query("SELECT * FROM " + quoteIdent(table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("%s %v", table, vals))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

func count(t testing.TB, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func current(t testing.TB, r *Runner) []string {
	t.Helper()
	v, err := r.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The revisions of branchGraph: a base, two branches off it, their merge.
const branchBase, branchB1, branchB2, branchMerge = "aaaaaaaaaaa0", "bbbbbbbbbbb1", "ccccccccccc2", "ddddddddddd3"

// branchGraph is two branches and their merge, each revision logging
// itself in table log; its SQL runs on SQLite and PostgreSQL.
func branchGraph() graph {
	return newGraph(
		rev(branchBase, "base", nil, "CREATE TABLE log (rev TEXT);", "DROP TABLE log;"),
		rev(branchB1, "one", []string{branchBase}, "INSERT INTO log VALUES ('b1');", "DELETE FROM log WHERE rev = 'b1';"),
		rev(branchB2, "two", []string{branchBase}, "INSERT INTO log VALUES ('b2');", "DELETE FROM log WHERE rev = 'b2';"),
		rev(branchMerge, "merge", []string{branchB1, branchB2}, "INSERT INTO log VALUES ('m');", "DELETE FROM log WHERE rev = 'm';"),
	)
}

// migrateTo upgrades (up) or downgrades r to target.
func migrateTo(ctx context.Context, r *Runner, up bool, target string) error {
	var err error
	if up {
		_, err = r.Upgrade(ctx, target)
	} else {
		_, err = r.Downgrade(ctx, target)
	}
	return err
}
