package script

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rev describes a test revision: id, parents, then optional "label:x" and
// "dep:y" entries.
type rev struct {
	id      string
	parents []string
	labels  []string
	deps    []string
}

func (r rev) text() string {
	return fmt.Sprintf("-- message of %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-11-25 09:41:07.512344\n-- Branch Labels: %s\n-- Depends On: %s\n\n-- +autogen upgrade\nCREATE TABLE t_%s (x INTEGER);\n\n-- +autogen downgrade\nDROP TABLE t_%s;\n",
		r.id, r.id, strings.Join(r.parents, ", "), strings.Join(r.labels, ", "), strings.Join(r.deps, ", "), r.id, r.id)
}

// writeDir writes revs as a script directory and returns its path.
func writeDir(t testing.TB, revs ...rev) string {
	t.Helper()
	dir := t.TempDir()
	v := filepath.Join(dir, "versions")
	if err := os.Mkdir(v, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, r := range revs {
		name := fmt.Sprintf("%02d_%s.sql", i, r.id)
		if err := os.WriteFile(filepath.Join(v, name), []byte(r.text()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// build parses revs in memory and builds their graph.
func build(t testing.TB, revs ...rev) *Dir {
	t.Helper()
	var parsed []*Revision
	for _, r := range revs {
		p, err := Parse(r.id+".sql", []byte(r.text()))
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, p)
	}
	d, err := New(parsed)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// branchy is the graph most specifier tests use:
//
//	aaa111 -> bbb222 -> ccc333 -> ddd444 (label feature) -> eee555
//	                          \-> fff666 -> abc777
//	xyz900 (label other) -> xyz901 (depends on bbb222)
func branchy(t testing.TB) *Dir {
	return build(t,
		rev{id: "aaa111"},
		rev{id: "bbb222", parents: []string{"aaa111"}},
		rev{id: "ccc333", parents: []string{"bbb222"}},
		rev{id: "ddd444", parents: []string{"ccc333"}, labels: []string{"feature"}},
		rev{id: "eee555", parents: []string{"ddd444"}},
		rev{id: "fff666", parents: []string{"ccc333"}},
		rev{id: "abc777", parents: []string{"fff666"}},
		rev{id: "xyz900", labels: []string{"other"}},
		rev{id: "xyz901", parents: []string{"xyz900"}, deps: []string{"bbb222"}},
	)
}

// linear is l1 -> l2 -> l3.
func linear(t testing.TB) *Dir {
	return build(t,
		rev{id: "l1"},
		rev{id: "l2", parents: []string{"l1"}},
		rev{id: "l3", parents: []string{"l2"}},
	)
}
