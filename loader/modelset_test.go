package loader

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// loadFiles loads ./models of a fresh module holding files.
func loadFiles(t *testing.T, files map[string]string) (*Result, error) {
	t.Helper()
	dir := newModule(t, files)
	return Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
}

// TestModelSet: the models are the structs embedding bun.BaseModel, the
// structs m2m tags name as junctions, and the models a package lists in
// Models, unexported ones included; other structs are not tables.
func TestModelSet(t *testing.T) {
	r, err := loadFiles(t, map[string]string{"models/m.go": `package models

import (
	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type Note struct {
	bun.BaseModel ` + "`bun:\"table:notes\"`" + `
	ID    string  ` + "`bun:\",pk\"`" + `
	Files []*File ` + "`bun:\"m2m:note_to_files,join:Note=File\"`" + `
}

type File struct {
	bun.BaseModel ` + "`bun:\"table:files\"`" + `
	ID   uuid.UUID ` + "`bun:\",pk\"`" + `
	Hash [16]byte
}

// NoteToFile is a junction without bun.BaseModel.
type NoteToFile struct {
	NoteID string    ` + "`bun:\",pk\"`" + `
	Note   *Note     ` + "`bun:\"rel:belongs-to,join:note_id=id\"`" + `
	FileID uuid.UUID ` + "`bun:\",pk\"`" + `
	File   *File     ` + "`bun:\"rel:belongs-to,join:file_id=id\"`" + `
}

// Request is a plain struct of the package, not a table.
type Request struct{ Name string }

// auditLog has no bun.BaseModel and is unexported: only the list names it.
type auditLog struct {
	ID  int64 ` + "`bun:\",pk,autoincrement\"`" + `
	Msg string
}

var Models = []any{(*auditLog)(nil)}
`})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"example.com/app/models.File", "example.com/app/models.Note", "example.com/app/models.NoteToFile", "example.com/app/models.auditLog"}
	if !slices.Equal(r.Models, want) {
		t.Errorf("Models = %v, want %v", r.Models, want)
	}
	order, g := groups(t, r.Statements)
	if !slices.Equal(order, []string{"audit_logs", "files", "notes", "note_to_files"}) {
		t.Errorf("tables %v", order)
	}
	for _, fk := range []string{`FOREIGN KEY ("note_id") REFERENCES "notes" ("id")`, `FOREIGN KEY ("file_id") REFERENCES "files" ("id")`} {
		if !strings.Contains(g["note_to_files"][0], fk) {
			t.Errorf("note_to_files lacks %s: %s", fk, g["note_to_files"][0])
		}
	}
	// uuid.UUID and [16]byte: columns with no declared type, as bun makes them.
	if !strings.Contains(g["files"][0], `"id"  NOT NULL`) || !strings.Contains(g["files"][0], `"hash" ,`) {
		t.Errorf("files: %s", g["files"][0])
	}
	execAll(t, r.Statements) // SQLite runs them as they are
}

// TestModelSetErrors: what no table can come from is one sentence naming
// the package, type and field.
func TestModelSetErrors(t *testing.T) {
	const team = `package models

import "github.com/uptrace/bun"

type Team struct {
	bun.BaseModel ` + "`bun:\"table:teams\"`" + `
	ID int64 ` + "`bun:\",pk\"`" + `
}
`
	tests := []struct {
		name string
		src  string
		want string
		is   error
	}{
		{name: "list element that is no model", src: team + "\nvar Models = []any{(*Team)(nil), 42}\n",
			want: "model example.com/app/models.Models: element 2 is a int, not a model; list models as (*Team)(nil) or &Team{}"},
		{name: "unexported model outside the list", src: team + "\ntype draft struct {\n\tbun.BaseModel\n\tID int64 `bun:\",pk\"`\n}\n\nvar Models = []any{(*Team)(nil)}\n",
			want: "example.com/app/models.draft: it is unexported, so autogen cannot name it; export it or list it in the package's Models", is: ErrUnloadable},
		{name: "Models of another type is not a list", src: "package models\n\nvar Models = []string{\"a\"}\n",
			want: "no struct embedding bun.BaseModel and no Models list in example.com/app/models", is: ErrNoModels},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFiles(t, map[string]string{"models/m.go": tt.src})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want one line holding %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
		})
	}
}

// TestHangingInit: a models package whose init never returns is stopped
// at the time limit and named, with where it is stuck.
func TestHangingInit(t *testing.T) {
	dir := newModule(t, map[string]string{
		"models/m.go":    "package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Team struct {\n\tbun.BaseModel\n\tID int64 `bun:\",pk\"`\n}\n",
		"models/init.go": "package models\n\nimport \"time\"\n\nfunc init() {\n\tfor {\n\t\ttime.Sleep(time.Second)\n\t}\n}\n",
	})
	opts := Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir(), Timeout: 20 * time.Second}
	_, err := Load(context.Background(), opts)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	want := "the models package example.com/app/models did not finish loading within 20s, stuck at models/init.go:7 in example.com/app/models.init.0 (an init function that never returns?)"
	if runtime.GOOS == "windows" { // no SIGQUIT: no stacks to read
		want = "the models packages example.com/app/models did not finish loading within 20s"
	}
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %q, want one line holding %q", err, want)
	}
}
