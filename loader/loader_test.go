package loader

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/autogen-dev/autogen/loader/internal/testmodels"
	"github.com/autogen-dev/autogen/models"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestLoadMatchesBun loads models using every DDL-affecting tag form from a
// temporary module and checks the statements are the ones bun itself runs.
func TestLoadMatchesBun(t *testing.T) {
	dir := newModule(t, testModelFiles(t))
	r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want, wantDB := bunDDL(t, []any{(*testmodels.UserGroup)(nil)},
		(*testmodels.AuditEntry)(nil), (*testmodels.Group)(nil), (*testmodels.Organization)(nil),
		(*testmodels.User)(nil), (*testmodels.UserGroup)(nil))

	order, got := groups(t, r.Statements)
	for table, stmts := range want {
		if !slices.Equal(got[table], stmts) {
			t.Errorf("table %s:\n got %q\nwant %q", table, got[table], stmts)
		}
	}
	if len(got) != len(want) {
		t.Errorf("tables = %v, want the %d of bun", order, len(want))
	}
	// Parents first, ties by name: user_groups needs users and groups,
	// users needs organizations.
	wantOrder := []string{"audit_entries", "groups", "organizations", "users", "user_groups"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("table order = %v, want %v", order, wantOrder)
	}
	if len(want["users"]) != 2 || !strings.HasPrefix(want["users"][1], "CREATE INDEX") {
		t.Errorf("bun ran %q for users, want its CREATE TABLE and the hook's CREATE INDEX", want["users"])
	}
	wantModels := []string{
		"example.com/app/models.AuditEntry", "example.com/app/models.Group",
		"example.com/app/models.Organization", "example.com/app/models.User",
		"example.com/app/models.UserGroup",
	}
	if !slices.Equal(r.Models, wantModels) {
		t.Errorf("Models = %v, want %v", r.Models, wantModels)
	}
	if gotRows, wantRows := masterRows(t, execAll(t, r.Statements)), masterRows(t, wantDB); !slices.Equal(gotRows, wantRows) {
		t.Errorf("sqlite_master differs:\n got %q\nwant %q", gotRows, wantRows)
	}
}

// TestLoadExampleModels loads the repository's own models and compares them
// with bun's DDL and with the golden file.
func TestLoadExampleModels(t *testing.T) {
	r, err := Load(context.Background(), Options{Dir: "..", Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := bunDDL(t, nil, (*models.Team)(nil), (*models.Member)(nil))
	wantStmts := append(slices.Clone(want["teams"]), want["members"]...)
	if !slices.Equal(r.Statements, wantStmts) {
		t.Errorf("statements:\n got %q\nwant %q", r.Statements, wantStmts)
	}
	if !strings.Contains(wantStmts[1], `FOREIGN KEY ("team_id") REFERENCES "teams" ("id")`) {
		t.Errorf("members has no foreign key to teams: %s", wantStmts[1])
	}
	golden := filepath.Join("testdata", "example.sql")
	text := strings.Join(r.Statements, ";\n") + ";\n"
	if *update {
		writeFile(t, golden, text)
	}
	data, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != text {
		t.Errorf("example DDL differs from %s (run with -update if intended):\n%s", golden, text)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		pattern string
		check   func(t *testing.T, err error)
	}{
		{
			name: "unexported and generic models",
			files: map[string]string{"models/m.go": `package models

import "github.com/uptrace/bun"

type base struct{ bun.BaseModel } // embedded by Team: a base, not a table

type Team struct {
	base
	ID int64 ` + "`bun:\",pk\"`" + `
}

type draft struct {
	bun.BaseModel ` + "`bun:\"table:drafts\"`" + `
	ID int64 ` + "`bun:\",pk\"`" + `
}

type Page[T any] struct {
	bun.BaseModel
	Items []T
}
`},
			pattern: "./models",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrUnloadable) {
					t.Fatalf("err = %v, want ErrUnloadable", err)
				}
				msg := err.Error()
				for _, want := range []string{"example.com/app/models.Page: it is generic", "example.com/app/models.draft: it is unexported"} {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q lacks %q", msg, want)
					}
				}
				if strings.Contains(msg, "models.base") {
					t.Errorf("error names the embedded base struct: %q", msg)
				}
			},
		},
		{
			name: "double quote in the table name",
			files: map[string]string{"models/m.go": `package models

import "github.com/uptrace/bun"

type Odd struct {
	bun.BaseModel ` + "`bun:\"table:x\\\"y\"`" + `
	ID int64 ` + "`bun:\",pk\"`" + `
}
`},
			pattern: "./models",
			check: func(t *testing.T, err error) {
				var me *ModelError
				if !errors.As(err, &me) {
					t.Fatalf("err = %v, want a *ModelError", err)
				}
				if me.Model != "example.com/app/models.Odd" || !strings.Contains(err.Error(), "no table name") {
					t.Errorf("error does not name the model and the missing table name: %v", err)
				}
			},
		},
		{
			name: "does not compile",
			files: map[string]string{"models/m.go": `package models

import "github.com/uptrace/bun"

type Team struct {
	bun.BaseModel
	ID int64 ` + "`bun:\",pk\"`" + `
}

var broken int = "not an int"
`},
			pattern: "./models",
			check: func(t *testing.T, err error) {
				var be *BuildError
				if !errors.As(err, &be) {
					t.Fatalf("err = %v, want a *BuildError", err)
				}
				if !strings.Contains(be.Output, `cannot use "not an int"`) || !strings.Contains(be.Output, "m.go:10") {
					t.Errorf("BuildError output lacks the compiler's message: %q", be.Output)
				}
			},
		},
		{
			name: "m2m junction not among the models",
			files: map[string]string{"models/m.go": `package models

import "github.com/uptrace/bun"

type Tag struct {
	bun.BaseModel
	ID    int64  ` + "`bun:\",pk\"`" + `
	Posts []Tag ` + "`bun:\"m2m:post_tags,join:Tag=Post\"`" + `
}
`},
			pattern: "./models",
			check: func(t *testing.T, err error) {
				var me *ModelError
				if !errors.As(err, &me) || me.Model != "example.com/app/models.Tag" || !strings.Contains(err.Error(), "can't find m2m post_tags table") || !strings.Contains(err.Error(), "autogen finds a junction by its table name") {
					t.Errorf("err = %v, want a *ModelError for models.Tag naming post_tags", err)
				}
			},
		},
		{
			name:    "no models",
			files:   map[string]string{"models/m.go": "package models\n\ntype Plain struct{ Name string }\n"},
			pattern: "./models",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrNoModels) || !strings.Contains(err.Error(), "example.com/app/models") {
					t.Errorf("err = %v, want ErrNoModels naming example.com/app/models", err)
				}
			},
		},
		{
			name:    "missing folder",
			files:   map[string]string{"models/m.go": "package models\n"},
			pattern: "./nope",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrNoPackage) || !strings.Contains(err.Error(), `"./nope"`) {
					t.Errorf("err = %v, want ErrNoPackage naming ./nope", err)
				}
			},
		},
		{
			name:    "wildcard matching nothing",
			files:   map[string]string{"models/m.go": "package models\n"},
			pattern: "./nothing/...",
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrNoPackage) || !strings.Contains(err.Error(), `"./nothing/..."`) {
					t.Errorf("err = %v, want ErrNoPackage naming ./nothing/...", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newModule(t, tt.files)
			before := treeHash(t, dir)
			r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{tt.pattern}, CacheDir: t.TempDir()})
			if err == nil {
				t.Fatalf("Load succeeded with %v, want an error", r.Statements)
			}
			tt.check(t, err)
			if treeHash(t, dir) != before {
				t.Error("a failed load changed the module's files")
			}
		})
	}
}

// TestCompilerTextVerbatim checks the BuildError carries what go build says.
func TestCompilerTextVerbatim(t *testing.T) {
	dir := newModule(t, map[string]string{"models/m.go": "package models\n\nfunc f() int { return \"x\" }\n"})
	_, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BuildError", err)
	}
	cmd := exec.Command("go", "build", "./models")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	if len(out) == 0 || be.Output != string(out) {
		t.Errorf("BuildError output %q, go build says %q", be.Output, out)
	}
}

// TestModuleUntouched checks go.mod, go.sum and the whole tree are left as
// they were, even when GOFLAGS asks the go command to update go.mod.
func TestModuleUntouched(t *testing.T) {
	dir := newModule(t, testModelFiles(t))
	t.Setenv("GOFLAGS", "-mod=mod")
	mod, sum, tree := fileHash(t, filepath.Join(dir, "go.mod")), fileHash(t, filepath.Join(dir, "go.sum")), treeHash(t, dir)
	if _, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if fileHash(t, filepath.Join(dir, "go.mod")) != mod || fileHash(t, filepath.Join(dir, "go.sum")) != sum {
		t.Error("go.mod or go.sum changed")
	}
	if treeHash(t, dir) != tree {
		t.Error("the module's files changed")
	}
}

// goCounter puts a go wrapper first on PATH that counts its invocations, so
// a test can see whether a load ran the go command at all.
func goCounter(t *testing.T) func() int {
	t.Helper()
	real, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	count := filepath.Join(bin, "count")
	writeFile(t, filepath.Join(bin, "go"), "#!/bin/sh\necho x >> "+count+"\nexec "+real+" \"$@\"\n")
	if err := os.Chmod(filepath.Join(bin, "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return func() int {
		data, _ := os.ReadFile(count)
		return strings.Count(string(data), "x")
	}
}

func TestCache(t *testing.T) {
	calls := goCounter(t)
	dir := newModule(t, testModelFiles(t))
	opts := Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()}
	ctx := context.Background()

	cold, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if cold.Cached || calls() == 0 {
		t.Fatalf("first load: Cached=%v after %d go commands, want a build", cold.Cached, calls())
	}

	n := calls()
	warm, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !warm.Cached || calls() != n {
		t.Errorf("second load: Cached=%v, %d go commands run, want a cache hit running none", warm.Cached, calls()-n)
	}
	if !slices.Equal(warm.Statements, cold.Statements) || !slices.Equal(warm.Models, cold.Models) {
		t.Error("cached result differs from the built one")
	}

	// An edit to a model invalidates the entry.
	path := filepath.Join(dir, "models", "models.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "\tUsers []User", "\tNote  string\n\tUsers []User", 1)
	if edited == string(src) {
		t.Fatal("the edit did not apply")
	}
	writeFile(t, path, edited)
	after, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	// The models are found by syntax: the program's build is the one go
	// command.
	if after.Cached || calls() != n+1 {
		t.Errorf("load after an edit: Cached=%v after %d go commands, want a rebuild by one", after.Cached, calls()-n)
	}
	_, g := groups(t, after.Statements)
	if !strings.Contains(g["groups"][0], `"note" VARCHAR`) {
		t.Errorf("edited model not reloaded: %s", g["groups"][0])
	}
}

// TestConcurrentLoads runs eight processes loading one module with one cache
// at once: each process re-runs this test binary as loadProcess.
func TestConcurrentLoads(t *testing.T) {
	dir := newModule(t, testModelFiles(t))
	tree := treeHash(t, dir)
	cache := t.TempDir()
	outs := make([][]byte, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestLoadProcess$")
			cmd.Env = append(os.Environ(), "LOADER_TEST_DIR="+dir, "LOADER_TEST_CACHE="+cache)
			outs[i], errs[i] = cmd.Output()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v\n%s", i, err, outs[i])
		}
		if !strings.Contains(string(outs[i]), "CREATE TABLE") || string(outs[i]) != string(outs[0]) {
			t.Errorf("process %d printed %q, process 0 %q", i, outs[i], outs[0])
		}
	}
	if treeHash(t, dir) != tree {
		t.Error("concurrent loads changed the module's files")
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("cache holds %d entries, want exactly one (no temporary files left)", len(entries))
	}
}

// TestLoadProcess is one process of TestConcurrentLoads; run alone it has
// nothing to load and returns at once.
func TestLoadProcess(t *testing.T) {
	dir := os.Getenv("LOADER_TEST_DIR")
	if dir == "" {
		return
	}
	r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: os.Getenv("LOADER_TEST_CACHE")})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString(strings.Join(r.Statements, "\n") + "\n")
}
