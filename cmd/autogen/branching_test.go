package main

import (
	"slices"
	"strings"
	"testing"
)

// TestBranchesAndMerge drives a branched history through the CLI: --splice,
// heads, branches, upgrade heads, merge, show, downgrade from a merge, stamp.
func TestBranchesAndMerge(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": withoutAge(exampleModels(t))})
	a.ok("init", "migrations")
	const (
		base  = "aaaaaaaaaaaa"
		left  = "bbbbbbbbbbbb"
		right = "cccccccccccc"
		merge = "dddddddddddd"
	)
	a.ok("revision", "--empty", "-m", "base", "--rev-id", base)
	a.ok("revision", "--empty", "-m", "left", "--rev-id", left, "--branch-label", "lefty")
	a.fails(2, "not a head revision", "revision", "--empty", "-m", "right", "--head", base)
	a.ok("revision", "--empty", "-m", "right", "--rev-id", right, "--head", base, "--splice")
	a.fails(2, "", "revision", "--empty", "-m", "ambiguous parent")
	a.fails(2, "already exists", "revision", "--empty", "-m", "dup", "--rev-id", left, "--head", left)
	a.fails(2, `--rev-id "base" is a reserved word`, "revision", "--empty", "-m", "kw", "--rev-id", "base", "--head", left)

	out, _ := a.ok("heads")
	if want := left + " (lefty) (head)\n" + right + " (head)\n"; out != want {
		t.Errorf("heads =\n%s\nwant\n%s", out, want)
	}
	out, _ = a.ok("branches")
	for _, want := range []string{base + " (branchpoint)\n", "-> " + left + " (lefty) (head)", "-> " + right + " (head)"} {
		if !strings.Contains(out, want) {
			t.Errorf("branches lacks %q:\n%s", want, out)
		}
	}

	a.fails(2, "", "upgrade", "head") // several heads: head is ambiguous
	a.ok("upgrade", "lefty@head")
	if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{left}) {
		t.Fatalf("after upgrade lefty@head: %v", got)
	}
	a.ok("upgrade", "heads")
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{left, right}) {
		t.Fatalf("after upgrade heads: %v", got)
	}
	out, _ = a.ok("current")
	// Alembic's current shows no branch labels (heads and history do).
	if want := left + " (head)\n" + right + " (head)\n"; out != want {
		t.Errorf("current with two heads =\n%s\nwant\n%s", out, want)
	}

	a.ok("merge", "heads", "-m", "merge both", "--rev-id", merge)
	out, _ = a.ok("show", merge)
	for _, want := range []string{"Rev: " + merge + " (head) (mergepoint)", "Merges: " + left + ", " + right, "Revises: " + left + ", " + right} {
		if !strings.Contains(out, want) {
			t.Errorf("show %s lacks %q:\n%s", merge, want, out)
		}
	}
	a.ok("upgrade", "head")
	if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{merge}) {
		t.Fatalf("after upgrading the merge: %v", got)
	}
	out, _ = a.ok("history")
	if !strings.HasPrefix(out, left+", "+right+" -> "+merge+" (head) (mergepoint), merge both\n") {
		t.Errorf("history does not start with the merge:\n%s", out)
	}

	a.ok("downgrade", "-1")
	if got := a.rows("SELECT version_num FROM alembic_version ORDER BY 1"); !slices.Equal(got, []string{left, right}) {
		t.Fatalf("after downgrading the merge: %v", got)
	}
	a.ok("stamp", "base")
	if got := a.rows("SELECT count(*) FROM alembic_version"); !slices.Equal(got, []string{"0"}) {
		t.Fatalf("after stamp base: %v", got)
	}
	a.exec("INSERT INTO alembic_version VALUES ('ffffffffffff')")
	a.fails(2, "ffffffffffff", "current")
	a.ok("stamp", "head", "--purge")
	if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, []string{merge}) {
		t.Fatalf("after stamp head --purge: %v", got)
	}
	out, _ = a.ok("show", "ddd")
	if !strings.Contains(out, "Rev: "+merge) {
		t.Errorf("show by prefix:\n%s", out)
	}
	a.fails(2, "", "show", "zzz")
}
