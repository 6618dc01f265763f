package loader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genModels writes the source of a package of n models: 12 columns each,
// every third model belongs to an earlier one, every fifth has a unique
// group and every seventh creates an index in its AfterCreateTableHook.
func genModels(n, rev int) map[string]string {
	files := map[string]string{}
	const perFile = 100
	for f := 0; f*perFile < n; f++ {
		var b strings.Builder
		b.WriteString("package models\n\nimport (\n\t\"context\"\n\t\"time\"\n\n\t\"github.com/uptrace/bun\"\n)\n\nvar _ = context.Background\nvar _ time.Time\n")
		for i := f * perFile; i < min(n, (f+1)*perFile); i++ {
			fmt.Fprintf(&b, "\ntype M%04d struct {\n\tbun.BaseModel `bun:\"table:t%04d\"`\n\n", i, i)
			b.WriteString("\tID int64 `bun:\",pk,autoincrement\"`\n")
			fmt.Fprintf(&b, "\tName string `bun:\",notnull,unique\"`\n")
			fmt.Fprintf(&b, "\tCode string `bun:\",notnull,default:'c%d'\"`\n", rev)
			if i%5 == 0 {
				b.WriteString("\tA string `bun:\",unique:g_a_b\"`\n\tB string `bun:\",unique:g_a_b\"`\n")
			} else {
				b.WriteString("\tA string\n\tB string\n")
			}
			b.WriteString("\tCount int\n\tPrice float64\n\tActive bool `bun:\",notnull,default:false\"`\n\tNote *string\n\tData []byte\n\tCreatedAt time.Time `bun:\",nullzero,notnull,default:current_timestamp\"`\n")
			if i%3 == 1 && i > 0 {
				p := i / 2
				fmt.Fprintf(&b, "\tParentID int64 `bun:\",notnull\"`\n\tParent *M%04d `bun:\"rel:belongs-to,join:parent_id=id,on_delete:CASCADE\"`\n", p)
			} else {
				b.WriteString("\tParentID int64\n")
			}
			b.WriteString("}\n")
			if i%7 == 0 {
				fmt.Fprintf(&b, "\nfunc (*M%04d) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {\n\t_, err := q.DB().NewCreateIndex().Model((*M%04d)(nil)).Index(\"t%04d_count_idx\").Column(\"count\").Exec(ctx)\n\treturn err\n}\n", i, i, i)
			}
		}
		files[fmt.Sprintf("models/models%02d.go", f)] = b.String()
	}
	return files
}

func exampleModelFiles(b *testing.B, rev int) map[string]string {
	data, err := os.ReadFile(filepath.Join("..", "models", "models.go"))
	if err != nil {
		b.Fatal(err)
	}
	src := strings.Replace(string(data), "`bun:\"name,notnull\"`", fmt.Sprintf("`bun:\"name,notnull,default:'n%d'\"`", rev), 1)
	return map[string]string{"models/models.go": src}
}

// benchLoad measures a cold load (empty loader cache, Go build cache warm),
// a warm load (cache hit) and a load after an edit of one model file.
func benchLoad(b *testing.B, files func(rev int) map[string]string, wantModels int) {
	dir := newModule(b, files(0))
	ctx := context.Background()
	check := func(r *Result, err error) {
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Models) != wantModels {
			b.Fatalf("%d models loaded, want %d", len(r.Models), wantModels)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			check(Load(ctx, Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: b.TempDir()}))
		}
	})
	b.Run("warm", func(b *testing.B) {
		opts := Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: b.TempDir()}
		check(Load(ctx, opts))
		for b.Loop() {
			r, err := Load(ctx, opts)
			check(r, err)
			if !r.Cached {
				b.Fatal("warm load was not a cache hit")
			}
		}
	})
	b.Run("edit", func(b *testing.B) {
		opts := Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: b.TempDir()}
		rev := 0
		for b.Loop() {
			b.StopTimer()
			rev++
			for name, src := range files(rev) {
				if strings.HasSuffix(name, "models00.go") || strings.HasSuffix(name, "models.go") {
					writeFile(b, filepath.Join(dir, name), src)
				}
			}
			b.StartTimer()
			r, err := Load(ctx, opts)
			check(r, err)
			if r.Cached {
				b.Fatal("load after an edit was a cache hit")
			}
		}
	})
}

func BenchmarkLoadExample(b *testing.B) {
	benchLoad(b, func(rev int) map[string]string { return exampleModelFiles(b, rev) }, 2)
}

func BenchmarkLoad1000(b *testing.B) {
	if testing.Short() {
		b.Skip("the 1,000-model benchmark compiles a 30,000-line package")
	}
	benchLoad(b, func(rev int) map[string]string { return genModels(1000, rev) }, 1000)
}
