package loader

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sharedModule is a local module of the user's, reached through replace
// or go.work: the models embed its Audit struct.
const sharedGoMod = "module example.com/shared\n\ngo 1.26.0\n"

const sharedAudit = "package shared\n\n// Audit is embedded by the models.\ntype Audit struct {\n\tCreatedBy string\n}\n"

const sharedModels = `package models

import (
	"github.com/uptrace/bun"

	"example.com/shared"
)

type Doc struct {
	bun.BaseModel ` + "`bun:\"table:docs\"`" + `
	ID int64 ` + "`bun:\",pk\"`" + `
	shared.Audit
}
`

// TestCacheSeesEveryFile: the cache entry is rebuilt when any file the
// build of the models reads changes: a struct in a local module reached
// through replace or go.work, a vendored package, a file the models embed.
func TestCacheSeesEveryFile(t *testing.T) {
	edit := func(s string) string {
		return strings.Replace(s, "CreatedBy string", "CreatedBy string\n\tUpdatedBy string", 1)
	}
	tests := []struct {
		name   string
		files  map[string]string
		vendor bool   // run go mod vendor in app/ first
		app    string // the module the loader reads, relative to the temporary folder
		change string // the file edited, relative to the temporary folder
		edit   func(string) string
		want   string // in the statements after the edit
	}{
		{
			name: "replace",
			files: map[string]string{
				"app/go.mod":        testGoMod + "\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n",
				"app/models/m.go":   sharedModels,
				"shared/go.mod":     sharedGoMod,
				"shared/shared.go":  sharedAudit,
				"shared/unused.txt": "not read by the build",
			},
			app: "app", change: "shared/shared.go", edit: edit, want: `"updated_by" VARCHAR`,
		},
		{
			name: "go.work",
			files: map[string]string{
				"go.work":          "go 1.26.0\n\nuse (\n\t./app\n\t./shared\n)\n",
				"app/go.mod":       testGoMod, // the workspace provides example.com/shared
				"app/models/m.go":  sharedModels,
				"shared/go.mod":    sharedGoMod,
				"shared/shared.go": sharedAudit,
			},
			app: "app", change: "shared/shared.go", edit: edit, want: `"updated_by" VARCHAR`,
		},
		{
			name: "vendor",
			files: map[string]string{
				"app/go.mod":       testGoMod + "\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n",
				"app/models/m.go":  sharedModels,
				"app/main.go":      "package main\n\nimport _ \"github.com/uptrace/bun/dialect/sqlitedialect\"\n\nfunc main() {}\n",
				"shared/go.mod":    sharedGoMod,
				"shared/shared.go": sharedAudit,
			},
			vendor: true, app: "app", change: "app/vendor/example.com/shared/shared.go", edit: edit, want: `"updated_by" VARCHAR`,
		},
		{
			name: "embedded file",
			files: map[string]string{
				"app/go.mod": testGoMod,
				"app/models/m.go": `package models

import (
	"context"
	_ "embed"

	"github.com/uptrace/bun"
)

//go:embed sql/index.sql
var indexSQL string

type Doc struct {
	bun.BaseModel ` + "`bun:\"table:docs\"`" + `
	ID    int64 ` + "`bun:\",pk\"`" + `
	Title string
}

func (*Doc) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().ExecContext(ctx, indexSQL)
	return err
}
`,
				"app/models/sql/index.sql": `CREATE INDEX docs_title ON docs (title)`,
			},
			app: "app", change: "app/models/sql/index.sql",
			edit: func(string) string { return `CREATE UNIQUE INDEX docs_title ON docs (title)` },
			want: `CREATE UNIQUE INDEX docs_title`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := newModule(t, tt.files)
			app := filepath.Join(top, tt.app)
			writeFile(t, filepath.Join(app, "go.sum"), readTestFile(t, filepath.Join(top, "go.sum")))
			if tt.vendor {
				cmd := exec.Command("go", "mod", "vendor")
				cmd.Dir = app
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go mod vendor: %v\n%s", err, out)
				}
			}
			opts := Options{Dir: app, Patterns: []string{"./models"}, CacheDir: t.TempDir()}
			first, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if again, err := Load(context.Background(), opts); err != nil || !again.Cached {
				t.Fatalf("second load: cached %v, err %v; want a cache hit", again != nil && again.Cached, err)
			}
			path := filepath.Join(top, tt.change)
			writeFile(t, path, tt.edit(readTestFile(t, path)))
			after, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if after.Cached || !strings.Contains(strings.Join(after.Statements, "\n"), tt.want) {
				t.Errorf("after editing %s: cached %v, statements %q; want a rebuild holding %s", tt.change, after.Cached, after.Statements, tt.want)
			}
			if slices.Equal(first.Statements, after.Statements) {
				t.Error("the edit changed nothing")
			}
		})
	}
}

func TestEmbedPatterns(t *testing.T) {
	tests := map[string][]string{
		` a.sql b/*.sql`:          {"a.sql", "b/*.sql"},
		` "with space.sql" all:x`: {"with space.sql", "all:x"},
		"\t`raw.txt`":             {"raw.txt"},
	}
	for in, want := range tests {
		if got := embedPatterns(in); !slices.Equal(got, want) {
			t.Errorf("embedPatterns(%q) = %q, want %q", in, got, want)
		}
	}
}

func readTestFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
