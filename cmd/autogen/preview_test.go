package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rvPreviewApp is the tutorial module as a pull request's clone sees it:
// two revisions (the second adds Member.Age), no database.db, and prod.db,
// a copy of production still at the first revision, holding four members
// two of whom share a name.
func rvPreviewApp(t *testing.T) *app {
	t.Helper()
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge))
	a.ok("revision", "-m", "Member age", "--rev-id", "000000000002")
	if err := os.Rename(filepath.Join(a.dir, "database.db"), filepath.Join(a.dir, "prod.db")); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRevisionPreview(t *testing.T) {
	a := rvPreviewApp(t)
	preview := []string{"revision", "-m", "preview", "--dry-run", "--migrations"}
	md := slices.Concat(preview, []string{"--format", "markdown"})

	t.Run("clone without database, nothing to do", func(t *testing.T) {
		// The bug: a dry run compared with the missing database and refused.
		a.fails(exitUsage, "not up to date: it is at base", "revision", "-m", "preview", "--dry-run")
		out, _ := a.ok(md...)
		rvGolden(t, "markdown/nothing.md", out)
	})

	// The pull request makes member names unique and drops Age again.
	a.write("models/models.go", rvModelsWith(t, rvMemberName, "Name   string `bun:\"name,notnull,unique\"`"))
	t.Run("clone without database", func(t *testing.T) {
		out, _ := a.ok(md...)
		rvGolden(t, "markdown/unmeasured.md", out)
		out, _ = a.ok(slices.Concat(preview, []string{"--format", "json"})...)
		rvGolden(t, "json/revision_migrations.json", out)
		out, _ = a.ok(preview...)
		if !strings.HasPrefix(out, "-- +autogen upgrade\n") || !strings.Contains(out, "-- +autogen downgrade\n") || strings.Contains(out, "Safety report") {
			t.Errorf("text dry run:\n%s", out)
		}
		if len(a.versions()) != 2 {
			t.Errorf("the dry run wrote a revision: %v", a.versions())
		}
	})

	t.Run("copy of production", func(t *testing.T) {
		prod := filepath.Join(a.dir, "prod.db")
		before := readFile(t, prod)
		o, e, code := a.run(slices.Concat(md, []string{"--url", "sqlite:///prod.db"})...)
		if code != exitUsage || !strings.Contains(e, "2 rows of table members hold duplicated values of (name)") {
			t.Fatalf("preview on production's rows: exit %d, want 2 (the upgrade fails on them)\nstderr:\n%s", code, e)
		}
		rvGolden(t, "markdown/production.md", o)
		if readFile(t, prod) != before {
			t.Error("the preview changed prod.db")
		}
		if got := versionRows(t, prod); len(got) != 1 || got[0] != "000000000001" {
			t.Errorf("prod.db is at %v after the preview, want 000000000001", got)
		}
		o, _ = a.ok(slices.Concat(md, []string{"--url", "sqlite:///prod.db", "--allow-failing"})...)
		rvGolden(t, "markdown/production.md", o)
	})

	t.Run("pending revision fails on production", func(t *testing.T) {
		a.writeRevision(revisionFile{ID: "000000000003", Message: "unique names", Parents: []string{"000000000002"},
			Upgrade: `CREATE UNIQUE INDEX members_name_uq ON members (name);`, Downgrade: `DROP INDEX members_name_uq;`})
		prod := filepath.Join(a.dir, "prod.db")
		before := readFile(t, prod)
		e := a.fails(exitUsage, "000000000003", slices.Concat(md, []string{"--url", "sqlite:///prod.db"})...)
		if !strings.Contains(e, "scratch copy") || strings.Count(strings.TrimSpace(e), "\n") > 0 {
			t.Errorf("stderr does not say, in one line, that the scratch copy failed:\n%s", e)
		}
		if readFile(t, prod) != before {
			t.Error("the preview changed prod.db")
		}
	})
}

func TestCheckMarkdown(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge))
	o, _, code := a.run("check", "--format", "markdown")
	if code != exitChanged {
		t.Fatalf("check --format markdown: exit %d, want 1", code)
	}
	rvGolden(t, "markdown/check_database.md", o)
}

func TestMarkdownCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"members", "`members`"},
		{"a|b", "`a\\|b`"},
		{"x`y", "``x`y``"},
		{"`x", "`` `x ``"},
		{"<script>@all :smile:", "`<script>@all :smile:`"},
		{"two\nlines", "`two\\nlines`"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownSQLFence(t *testing.T) {
	var b strings.Builder
	mdSQL(&b, "Upgrade SQL", "SELECT '```' || '````';")
	want := "<details><summary>Upgrade SQL</summary>\n\n`````sql\nSELECT '```' || '````';\n`````\n\n</details>\n\n"
	if b.String() != want {
		t.Errorf("mdSQL:\n%s\nwant:\n%s", b.String(), want)
	}
	if bytes.Count([]byte(b.String()), []byte("`````")) != 2 {
		t.Error("the fence does not outrun the backticks in the SQL")
	}
}
