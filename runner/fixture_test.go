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

// graph is a small planner over hand-built revisions, with Alembic's head
// rules, so the runner can be tested apart from the script package.
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

// closure is ids and all their ancestors.
func (g graph) closure(ids []string) map[string]bool {
	out := map[string]bool{}
	var walk func(string)
	walk = func(id string) {
		if out[id] {
			return
		}
		out[id] = true
		for _, p := range g[id].Parents {
			walk(p)
		}
	}
	for _, id := range ids {
		walk(id)
	}
	return out
}

func (g graph) Plan(current, target []string, up bool) ([]script.Step, error) {
	for _, id := range append(slices.Clone(current), target...) {
		if g[id] == nil {
			return nil, fmt.Errorf("can't locate revision %s", id)
		}
	}
	heads := toSet(current)
	var steps []script.Step
	for {
		st, ok := g.next(heads, target, up)
		if !ok {
			return steps, nil
		}
		if err := simulate(heads, []script.Step{st}); err != nil {
			return nil, err
		}
		steps = append(steps, st)
	}
}

func (g graph) next(heads map[string]bool, target []string, up bool) (script.Step, bool) {
	applied := g.closure(slices.Collect(maps.Keys(heads)))
	if up {
		for _, id := range slices.Sorted(maps.Keys(g.closure(target))) {
			r := g[id]
			if applied[id] || !all(r.Parents, applied) {
				continue
			}
			st := script.Step{Revision: r, Up: true, Insert: []string{id}}
			for _, p := range r.Parents {
				if heads[p] {
					st.Delete = append(st.Delete, p)
				}
			}
			return st, true
		}
		return script.Step{}, false
	}
	keep := g.closure(target)
	hs := slices.Sorted(maps.Keys(heads))
	sort.Sort(sort.Reverse(sort.StringSlice(hs)))
	for _, id := range hs {
		if keep[id] {
			continue
		}
		others := g.closure(difference(slices.Sorted(maps.Keys(heads)), []string{id}))
		st := script.Step{Revision: g[id], Delete: []string{id}}
		for _, p := range g[id].Parents {
			if !others[p] {
				st.Insert = append(st.Insert, p)
			}
		}
		return st, true
	}
	return script.Step{}, false
}

func all(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	return true
}

// open opens a runner on path with a short busy timeout and a log buffer.
func open(t testing.TB, path string, opts Options) *Runner {
	t.Helper()
	r, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { r.Close() })
	return r
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
