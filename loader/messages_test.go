package loader

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadMessages: a models package that crashes, exits or lacks what the
// loader needs gives one sentence naming the cause, never a stack trace,
// an internal file or "unexpected end of JSON input".
func TestLoadMessages(t *testing.T) {
	const team = `package models

import "github.com/uptrace/bun"

type Team struct {
	bun.BaseModel ` + "`bun:\"table:teams\"`" + `
	ID int64 ` + "`bun:\",pk\"`" + `
}
`
	initFile := func(body string) map[string]string {
		return map[string]string{"models/m.go": team, "models/init.go": `package models

import (
	"os"
	"syscall"
)

var _, _ = os.Exit, syscall.Kill

func init() {
	` + body + `
}
`}
	}
	tests := []struct {
		name   string
		files  map[string]string
		want   []string // substrings of the error
		reject []string // substrings the error must not hold
		is     error
	}{
		{name: "panic in init", files: initFile(`panic("boom")`),
			want:   []string{"the models package panicked while autogen loaded it: panic: boom (models/init.go:11, in example.com/app/models.init.0)"},
			reject: []string{"goroutine", "+0x", "\n"}},
		{name: "runtime error in init", files: initFile(`var m map[string]int; m["a"] = 1`),
			want:   []string{"panic: assignment to entry in nil map (models/init.go:11, in example.com/app/models.init.0)"},
			reject: []string{"goroutine"}},
		{name: "os.Exit(0) in init", files: initFile(`os.Exit(0)`),
			want:   []string{"the models package exited during start-up without describing its models (os.Exit in an init function?)"},
			reject: []string{"JSON"}},
		{name: "os.Exit(3) in init", files: initFile(`os.Exit(3)`),
			want: []string{"the models package exited with status 3 while autogen loaded it, printing nothing (os.Exit in an init function?)"}},
		{name: "killed by a signal", files: initFile(`syscall.Kill(os.Getpid(), syscall.SIGKILL)`),
			want: []string{"the program autogen builds to load the models was stopped (signal: killed): it printed nothing"}},
		{name: "two fields, one column", files: map[string]string{"models/m.go": `package models

import "github.com/uptrace/bun"

type Dup struct {
	bun.BaseModel ` + "`bun:\"table:dups\"`" + `
	ID int64  ` + "`bun:\",pk\"`" + `
	A  string ` + "`bun:\"x,type:text\"`" + `
	B  string ` + "`bun:\"X\"`" + `
}
`}, want: []string{`model example.com/app/models.Dup: column "X" is declared twice in the model, by fields A and B`},
			reject: []string{"SQL type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newModule(t, tt.files)
			_, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, r := range tt.reject {
				if strings.Contains(err.Error(), r) {
					t.Errorf("error %q holds %q", err, r)
				}
			}
		})
	}
}

// TestLoadWithoutGo: no go command on PATH is said in those words.
func TestLoadWithoutGo(t *testing.T) {
	dir := newModule(t, map[string]string{"models/m.go": "package models\n"})
	t.Setenv("PATH", t.TempDir())
	_, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	if !errors.Is(err, ErrNoGo) || err.Error() != "the go command is not on PATH; autogen needs Go to load the models" {
		t.Errorf("err = %v, want ErrNoGo", err)
	}
}

// TestLoadTables: the result maps each table to its model type, from the
// cache too.
func TestLoadTables(t *testing.T) {
	dir := newModule(t, testModelFiles(t))
	cache := t.TempDir()
	want := map[string]string{}
	for range 2 {
		r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: cache})
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			want = r.Tables
			if len(want) == 0 || len(want) > len(r.Models) {
				t.Fatalf("Tables = %v for models %v", r.Tables, r.Models)
			}
			for table, typ := range want {
				if table == "" || !strings.HasPrefix(typ, "example.com/app/models.") {
					t.Errorf("table %q -> %q", table, typ)
				}
			}
			continue
		}
		if !r.Cached || !maps.Equal(r.Tables, want) {
			t.Errorf("cached Tables = %v (cached %v), want %v", r.Tables, r.Cached, want)
		}
	}
}

func TestPanicSummary(t *testing.T) {
	root := "/src/app"
	tests := []struct {
		name, stderr, msg, at string
		ok                    bool
	}{
		{name: "panic in init", stderr: "panic: boom\n\ngoroutine 1 [running]:\nexample.com/app/models.init.0()\n\t/src/app/models/m.go:12 +0x25\n",
			msg: "panic: boom", at: "models/m.go:12, in example.com/app/models.init.0", ok: true},
		{name: "runtime frames first", stderr: "panic: runtime error: index out of range [3] with length 0\n\ngoroutine 1 [running]:\nruntime.goPanicIndex(0x3, 0x0)\n\t/usr/local/go/src/runtime/panic.go:115 +0x33\nexample.com/app/models.f(...)\n\t/src/app/models/m.go:7\nexample.com/app/models.init.0()\n\t/src/app/models/m.go:9 +0x1d\n",
			msg: "panic: runtime error: index out of range [3] with length 0", at: "models/m.go:7, in example.com/app/models.f", ok: true},
		{name: "generated program skipped", stderr: "panic: x [recovered]\n\tpanic: y\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/app/autogen-loader/bunddl/main.go:40 +0x1\n",
			msg: "panic: y", ok: true},
		{name: "fatal error", stderr: "fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan receive]:\nexample.com/app/models.init.0()\n\t/src/app/models/m.go:3 +0x1\n",
			msg: "fatal error: all goroutines are asleep - deadlock!", at: "models/m.go:3, in example.com/app/models.init.0", ok: true},
		{name: "multi-line message", stderr: "panic: line one\nline two\n\ngoroutine 1 [running]:\n",
			msg: "panic: line one line two", ok: true},
		{name: "no stack", stderr: "some log line\n"},
		{name: "a stack but no panic", stderr: "log\ngoroutine 1 [running]:\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, at, ok := panicSummary(tt.stderr, root, "/src/app/autogen-loader")
			if msg != tt.msg || filepath.ToSlash(at) != tt.at || ok != tt.ok {
				t.Errorf("got (%q, %q, %v), want (%q, %q, %v)", msg, at, ok, tt.msg, tt.at, tt.ok)
			}
		})
	}
}

func TestMissingDialect(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, out, want string }{
		{"not required", "_autogen_loader/main.go:18:2: cannot find module providing package github.com/uptrace/bun/dialect/sqlitedialect: import lookup disabled by -mod=readonly\n",
			"the module example.com/app (" + root + ") does not require github.com/uptrace/bun/dialect/sqlitedialect, which autogen needs to describe the models and cannot add itself in a workspace or a vendored module: run go get github.com/uptrace/bun/dialect/sqlitedialect"},
		{"no required module", "main.go:18:2: no required module provides package github.com/uptrace/bun/dialect/sqlitedialect; to add it:\n",
			"the module example.com/app (" + root + ") does not require github.com/uptrace/bun/dialect/sqlitedialect"},
		{"no go.sum entry", "_autogen_loader/main.go:18:2: missing go.sum entry for module providing package github.com/uptrace/bun/dialect/sqlitedialect (imported by example.com/app/_autogen_loader); to add:\n",
			"the module example.com/app (" + root + ") has no go.sum entry for github.com/uptrace/bun/dialect/sqlitedialect"},
		{"another failure", "models/m.go:3:1: syntax error\n", ""},
		{"vendored without it", "autogen-loader/main.go:4:2: package github.com/uptrace/bun/dialect/sqlitedialect is not in vendor/modules.txt; to vendor it:\n",
			"the module example.com/app (" + root + ") does not require github.com/uptrace/bun/dialect/sqlitedialect"},
		{"a compile error inside the dialect", "github.com/uptrace/bun/dialect/sqlitedialect/dialect.go:9: undefined: x\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := missingDialect(tt.out, root, "github.com/uptrace/bun/dialect/sqlitedialect")
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestDialectNotRequired: a module whose code imports only bun, so that go
// mod tidy dropped bun's dialect from go.mod, loads: the dialect is added
// to a copy of go.mod for the build; go.mod and go.sum stay as they were.
// In a workspace, which -modfile cannot serve, it is one sentence saying
// what to do.
func TestDialectNotRequired(t *testing.T) {
	noDialect := strings.Replace(testGoMod, "\tgithub.com/uptrace/bun/dialect/sqlitedialect v1.3.0\n", "", 1)
	if noDialect == testGoMod {
		t.Fatal("the test go.mod requires no dialect to remove")
	}
	const team = "package models\n\nimport \"github.com/uptrace/bun\"\n\ntype Team struct {\n\tbun.BaseModel `bun:\"table:teams\"`\n\tID int64 `bun:\",pk\"`\n}\n"
	dir := newModule(t, map[string]string{"go.mod": noDialect, "models/m.go": team})
	tree := treeHash(t, dir)
	r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Statements) != 1 || !strings.HasPrefix(r.Statements[0], `CREATE TABLE "teams"`) {
		t.Errorf("statements %q", r.Statements)
	}
	if treeHash(t, dir) != tree {
		t.Error("the load changed the module's files")
	}

	writeFile(t, filepath.Join(dir, "go.work"), "go 1.26.0\n\nuse .\n")
	_, err = Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: t.TempDir()})
	want := "does not require github.com/uptrace/bun/dialect/sqlitedialect, which autogen needs to describe the models and cannot add itself in a workspace or a vendored module: run go get github.com/uptrace/bun/dialect/sqlitedialect"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("in a workspace: err = %v, want %q", err, want)
	}
}
