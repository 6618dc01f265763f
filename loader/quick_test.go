package loader

import (
	"context"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// quickModules are modules whose models syntax alone finds: each loads
// through quickFind and must give what the type checker's path gives.
func quickModules(t *testing.T) map[string]struct {
	files    map[string]string
	patterns []string
} {
	const header = "package models\n\nimport \"github.com/uptrace/bun\"\n\n"
	type module = struct {
		files    map[string]string
		patterns []string
	}
	return map[string]module{
		"every tag form": {testModelFiles(t), []string{"./models"}},
		"shared unexported base, models embedding it by pointer and by value": {map[string]string{
			"models/m.go": header + "type base struct {\n\tbun.BaseModel\n\tID int64 `bun:\",pk,autoincrement\"`\n}\n\n" +
				"type stamps struct{ Created int64 }\n\n" +
				"type Team struct {\n\tbase `bun:\"table:teams\"`\n\tstamps\n\tName string `bun:\",unique\"`\n}\n\n" +
				"type Member struct {\n\t*base\n\tTeamID int64\n\tTeam *Team `bun:\"rel:belongs-to,join:team_id=id\"`\n}\n\n" +
				"// Status is no struct; Filter is a struct but no model.\ntype Status string\n\ntype Filter struct{ Name string }\n\ntype Alias = Team\n",
		}, []string{"./models"}},
		"a model embedding another package's base, sub-packages by ./...": {map[string]string{
			"models/base/base.go":  strings.Replace(header, "models", "base", 1) + "type Base struct {\n\tbun.BaseModel\n\tID int64 `bun:\",pk,autoincrement\"`\n}\n",
			"models/m.go":          "package models\n\nimport \"example.com/app/models/base\"\n\ntype Team struct {\n\tbase.Base `bun:\"table:teams\"`\n\tName string\n}\n",
			"models/shop/shop.go":  header + "type Order struct {\n\tbun.BaseModel `bun:\"table:orders\"`\n\tID int64 `bun:\",pk\"`\n}\n",
			"models/_skip/x.go":    "package skip\n\nthis is not Go\n",
			"models/testdata/x.go": "package x\n\nthis is not Go either\n",
		}, []string{"./models/..."}},
		"a Models function and an m2m junction without bun.BaseModel": {map[string]string{
			"models/m.go": header + "type Note struct {\n\tbun.BaseModel `bun:\"table:notes\"`\n\tID int64 `bun:\",pk\"`\n\tTags []*Tag `bun:\"m2m:note_tags,join:Note=Tag\"`\n}\n\n" +
				"type Tag struct {\n\tbun.BaseModel `bun:\"table:tags\"`\n\tID int64 `bun:\",pk\"`\n}\n\n" +
				"type NoteTag struct {\n\tNoteID int64 `bun:\",pk\"`\n\tNote *Note `bun:\"rel:belongs-to,join:note_id=id\"`\n\tTagID int64 `bun:\",pk\"`\n\tTag *Tag `bun:\"rel:belongs-to,join:tag_id=id\"`\n}\n\n" +
				"type audit struct {\n\tID int64 `bun:\",pk\"`\n}\n\nfunc Models() []interface{} { return []interface{}{(*audit)(nil)} }\n",
		}, []string{"./models"}},
	}
}

// TestQuickMatchesTypes: where the models are found by syntax, the load
// runs one go command (the program's build) and gives exactly what the
// type-checked path gives.
func TestQuickMatchesTypes(t *testing.T) {
	for name, m := range quickModules(t) {
		t.Run(name, func(t *testing.T) {
			dir := newModule(t, m.files)
			opts := Options{Dir: dir, Patterns: m.patterns, CacheDir: t.TempDir()}
			calls := goCounter(t)
			quick, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if quick.viaTypes || calls() != 1 {
				t.Errorf("the load ran %d go commands (type checker: %v), want the program's build alone", calls(), quick.viaTypes)
			}
			opts.CacheDir, opts.typesOnly = t.TempDir(), true
			typed, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if !typed.viaTypes {
				t.Fatal("typesOnly did not take the type checker's path")
			}
			if !slices.Equal(quick.Statements, typed.Statements) || !slices.Equal(quick.Models, typed.Models) ||
				!maps.Equal(quick.Tables, typed.Tables) || !maps.Equal(quick.Schemas, typed.Schemas) {
				t.Errorf("by syntax:\n%q\n%q\nby types:\n%q\n%q", quick.Models, quick.Statements, typed.Models, typed.Statements)
			}
			if len(quick.Models) < 2 {
				t.Errorf("Models = %q, want the fixture's", quick.Models)
			}
		})
	}
}

// TestQuickDeclines: what syntax cannot vouch for goes to the type
// checker's path, and the load still gives its answer or its error.
func TestQuickDeclines(t *testing.T) {
	const team = "type Team struct {\n\tbun.BaseModel `bun:\"table:teams\"`\n\tID int64 `bun:\",pk\"`\n}\n"
	const header = "package models\n\nimport \"github.com/uptrace/bun\"\n\n"
	tests := []struct {
		name     string
		files    map[string]string
		patterns []string
		wantErr  string // "" when the load succeeds
	}{
		{name: "build constraint", files: map[string]string{"models/m.go": "//go:build !nomodels\n\n" + header + team}},
		{name: "file for one system", files: map[string]string{"models/m_linux.go": header + team, "models/m_other.go": "//go:build !linux\n\n" + header + team}},
		{name: "dot import", files: map[string]string{"models/m.go": "package models\n\nimport . \"github.com/uptrace/bun\"\n\ntype Team struct {\n\tBaseModel `bun:\"table:teams\"`\n\tID int64 `bun:\",pk\"`\n}\n"}},
		{name: "import path pattern", files: map[string]string{"models/m.go": header + team}, patterns: []string{"example.com/app/models"}},
		{name: "unexported model nothing embeds", files: map[string]string{"models/m.go": header + team + "\ntype draft struct {\n\tbun.BaseModel\n\tID int64 `bun:\",pk\"`\n}\n"},
			wantErr: "example.com/app/models.draft: it is unexported"},
		{name: "unexported struct embedding another module's type", files: map[string]string{"models/m.go": "package models\n\nimport (\n\t\"github.com/google/uuid\"\n\t\"github.com/uptrace/bun\"\n)\n\n" + team + "\ntype id struct{ uuid.UUID }\n"}},
		{name: "Models of another shape", files: map[string]string{"models/m.go": header + team + "\nvar Models = []string{\"a\"}\n"}},
		{name: "a type named any", files: map[string]string{"models/m.go": header + team + "\ntype any struct{}\n"}},
		{name: "main package", files: map[string]string{"models/m.go": "package main\n\nimport \"github.com/uptrace/bun\"\n\n" + team + "\nfunc main() {}\n"},
			wantErr: "is a main package"},
		{name: "does not compile", files: map[string]string{"models/m.go": header + team + "\nvar x int = \"s\"\n"},
			wantErr: "do not compile"},
		{name: "no models", files: map[string]string{"models/m.go": "package models\n\ntype Team struct{ ID int64 }\n"},
			wantErr: "no struct embedding bun.BaseModel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newModule(t, tt.files)
			patterns := tt.patterns
			if patterns == nil {
				patterns = []string{"./models"}
			}
			r, err := Load(context.Background(), Options{Dir: dir, Patterns: patterns, CacheDir: t.TempDir()})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one holding %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !r.viaTypes || !slices.Contains(r.Models, "example.com/app/models.Team") {
				t.Errorf("Models %q, type checker %v; want Team, found by the type checker", r.Models, r.viaTypes)
			}
		})
	}
}

// TestPatternDirs: folder patterns resolve as the go command resolves
// them; anything else is left to it.
func TestPatternDirs(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"go.mod", "a/a.go", "a/b/b.go", "a/_x/x.go", "a/.y/y.go", "a/testdata/t.go", "a/nested/go.mod", "a/nested/n.go", "a/empty/README", "tests/x_test.go", "vendored/vendor/v.go"} {
		writeFile(t, filepath.Join(root, f), "package x\n")
	}
	tests := []struct {
		patterns []string
		want     []string // relative to root; nil when declined
	}{
		{[]string{"./a"}, []string{"a"}},
		{[]string{"./a/...", "./a/b"}, []string{"a", "a/b"}},
		{[]string{"./a/nested"}, nil},
		{[]string{"./a/empty"}, nil},
		{[]string{"./tests"}, nil},
		{[]string{"./vendored/..."}, nil},
		{[]string{"example.com/x/a"}, nil},
		{[]string{"./a/.../b"}, nil},
		{[]string{"../outside"}, nil},
	}
	for _, tt := range tests {
		got, ok := patternDirs(root, root, tt.patterns)
		var rel []string
		for _, d := range got {
			r, _ := filepath.Rel(root, d)
			rel = append(rel, filepath.ToSlash(r))
		}
		if ok != (tt.want != nil) || !slices.Equal(rel, tt.want) {
			t.Errorf("patternDirs(%q) = %q, %v; want %q", tt.patterns, rel, ok, tt.want)
		}
	}
}

// FuzzQuickFind: any source in a models folder is read without a panic,
// and every type quickFind names is an exported identifier declared in it.
func FuzzQuickFind(f *testing.F) {
	for _, seed := range []string{
		"package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Team struct {\n\tbun.BaseModel\n\tID int64\n}\n",
		"package models\n\ntype base[T any] struct{ X T }\n\ntype A struct{ base[int] }\n\nvar Models = []any{(*A)(nil)}\n",
		"package models\n\nfunc Models() []interface{} { return nil }\n\ntype (\n\tX = int\n\tY *X\n)\n",
		"//go:build ignore\n\npackage models\n",
	} {
		f.Add(seed)
	}
	root := f.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/app\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "models"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if err := os.WriteFile(filepath.Join(root, "models", "m.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		found, ok := quickFind(root, root, []string{"./models"})
		if !ok {
			return
		}
		for _, c := range found.candidates {
			if !token.IsIdentifier(c.Type) || !token.IsExported(c.Type) || !strings.Contains(src, c.Type) {
				t.Errorf("candidate %q is no exported type of the source", c.Type)
			}
		}
	})
}
