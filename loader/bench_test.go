package loader

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
)

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
	benchLoad(b, func(rev int) map[string]string { return workload.Models(1000, rev) }, 1000)
}
