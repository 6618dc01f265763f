package workload

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autogen-dev/autogen/loader"
)

// TestDDLIsWhatBunRuns checks that the benchmarks of diff and render, which
// use DDL, measure the schema the CLI benchmarks load from Models.
func TestDDLIsWhatBunRuns(t *testing.T) {
	for _, tc := range []struct{ n, rev int }{{1, 0}, {22, 3}} {
		dir := t.TempDir()
		sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
		if err != nil {
			t.Fatal(err)
		}
		files := Models(tc.n, tc.rev)
		files["go.mod"], files["go.sum"] = GoMod, string(sum)
		for name, body := range files {
			path := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := loader.Load(context.Background(), loader.Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if want := DDL(tc.n, tc.rev); !slices.Equal(r.Statements, want) {
			t.Errorf("n=%d rev=%d: bun runs\n%q\nDDL gives\n%q", tc.n, tc.rev, r.Statements, want)
		}
	}
}
