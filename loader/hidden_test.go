package loader

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestHiddenModels(t *testing.T) {
	src := `package models

import (
	b "github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

type base struct{ b.BaseModel }        // direct, through an import alias
type viaBase struct{ *base }            // through another unexported struct
type fromSchema struct{ schema.BaseModel }
type reached struct{ b.BaseModel }      // the type checker knows it
type plain struct{ Name string }        // no BaseModel
type named struct{ M b.BaseModel }      // a field, not an embedding
type generic[T any] struct{ b.BaseModel } // generics are reported by the type checker
type Exported struct{ b.BaseModel }     // a model, not hidden
`
	dir := t.TempDir()
	path := filepath.Join(dir, "m.go")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := hiddenModels([]string{path}, map[string]bool{"reached": true})
	want := []string{"base", "fromSchema", "viaBase"}
	if !slices.Equal(got, want) {
		t.Errorf("hiddenModels = %q, want %q", got, want)
	}
}
