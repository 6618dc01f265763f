// Package loader turns a user's bun models into the DDL bun would run for
// them, without autogen being compiled with them: it finds the model types
// with go/packages, builds a small program inside the user's module that
// creates every table on a recording database/sql driver, and runs it. The
// result is cached by a hash of the module's sources. Unexported types cannot
// be named by that program, so only exported ones are models; an unexported
// struct still contributes through the exported models that embed it.
package loader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/mod/modfile"
)

// Version changes whenever the loader's output for the same models may
// change; it is part of the cache key.
const Version = "loader-5"

// Options says where the models are.
type Options struct {
	// Dir is the folder the patterns are relative to (alembic.ini's folder).
	Dir string
	// Patterns are Go package patterns holding the models, e.g. "./models".
	Patterns []string
	// CacheDir holds cached results; "" means os.UserCacheDir()/autogen.
	CacheDir string
	// Stderr receives the generated program's diagnostics; nil discards them.
	Stderr io.Writer
}

// Result is the DDL of the models.
type Result struct {
	// Statements are the statements bun executes to create every model's
	// table, its AfterCreateTableHook statements right after it; tables come
	// in foreign-key order (parents first), ties by table name.
	Statements []string
	// Models are the qualified names of the model types found, sorted.
	Models []string
	// Tables maps each table name to the qualified name of the model type
	// that defines it (the first by name when several do).
	Tables map[string]string
	// Cached reports that the result came from the cache without a build.
	Cached bool
}

var (
	// ErrNoModels means the packages hold no struct embedding bun.BaseModel.
	ErrNoModels = errors.New("no models found")
	// ErrNoPackage means a pattern matches no loadable package.
	ErrNoPackage = errors.New("no model package")
	// ErrUnloadable means a struct embeds bun.BaseModel but the loader
	// cannot name it (unexported, or generic) and no exported model embeds
	// it: the contract makes that an error, never a silent skip.
	ErrUnloadable = errors.New("model cannot be loaded")
	// ErrNoGo means the go command, which builds the models, is not on PATH.
	ErrNoGo = errors.New("the go command is not on PATH; autogen needs Go to load the models")
	// ErrNoModule means the models folder is not inside a Go module.
	ErrNoModule = errors.New("not in a Go module")
)

// BuildError is a failed build of the models; Output is the go command's
// output, verbatim.
type BuildError struct {
	Dir    string
	Output string
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("the models in %s do not compile:\n%s", e.Dir, strings.TrimRight(e.Output, "\n"))
}

// ModelError is a model bun cannot create a table for, such as a field that
// bun maps to no SQL type. Others holds the messages of further bad models.
type ModelError struct {
	Model  string // qualified type name
	Field  string // Go field name, "" when the model as a whole is at fault
	Reason string
	Others []string
}

func (e *ModelError) Error() string {
	var msg string
	if e.Field != "" {
		msg = fmt.Sprintf("model %s field %s: %s", e.Model, e.Field, e.Reason)
	} else {
		msg = fmt.Sprintf("model %s: %s", e.Model, e.Reason)
	}
	if len(e.Others) > 0 {
		msg += "\n" + strings.Join(e.Others, "\n")
	}
	return msg
}

// Load returns the DDL of the models in the packages matched by
// opts.Patterns, from the cache when no source of the module changed.
func Load(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Patterns) == 0 {
		return nil, fmt.Errorf("%w: no model package patterns given", ErrNoPackage)
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("resolving the models folder %q: %w", opts.Dir, err)
	}
	root, err := moduleRoot(dir)
	if err != nil {
		return nil, err
	}
	cacheDir := opts.CacheDir
	if cacheDir == "" {
		if cacheDir, err = defaultCacheDir(); err != nil {
			return nil, err
		}
	}
	key, err := cacheKey(root, dir, opts.Patterns)
	if err != nil {
		return nil, err
	}
	if r := readCache(cacheDir, key); r != nil {
		return r, nil
	}
	r, err := load(ctx, root, dir, opts)
	if err != nil {
		return nil, err
	}
	if err := writeCache(cacheDir, key, r); err != nil {
		return nil, err
	}
	return r, nil
}

// load finds, builds and runs, bypassing the cache.
func load(ctx context.Context, root, dir string, opts Options) (*Result, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, ErrNoGo
	}
	flags := buildFlags(root, opts.Patterns)
	f, err := findModels(ctx, dir, flags, opts.Patterns)
	if errors.Is(err, errCompile) {
		return nil, compileError(ctx, dir, flags, opts.Patterns)
	}
	if err != nil {
		return nil, err
	}
	src, err := generate(f.imports, f.models)
	if err != nil {
		return nil, err
	}
	out, err := buildAndRun(ctx, root, dir, flags, src, opts.Stderr)
	if err != nil {
		return nil, err
	}
	var models []described
	if err := json.Unmarshal(out, &models); err != nil {
		return nil, fmt.Errorf("reading the model loader's output: %w", err)
	}
	if err := modelErrors(models); err != nil {
		return nil, err
	}
	stmts, err := orderStatements(models)
	if err != nil {
		return nil, err
	}
	r := &Result{Statements: stmts, Tables: map[string]string{}}
	for _, m := range models {
		if prev, ok := r.Tables[m.Table]; !ok || m.Type < prev {
			r.Tables[m.Table] = m.Type
		}
	}
	for _, m := range f.models {
		r.Models = append(r.Models, m.Name)
	}
	return r, nil
}

// buildFlags are the flags of every go command the loader runs, the same
// for go/packages and go build so that the model packages compile once.
// Optimisation is off for the model packages only: the program runs for
// milliseconds, and compiling 1,000 models after an edit takes about a third
// less time without it.
func buildFlags(root string, patterns []string) []string {
	flags := []string{modFlag(root)}
	for _, p := range patterns {
		flags = append(flags, "-gcflags="+p+"=-N -l")
	}
	return flags
}

// modFlag keeps the go command from ever writing go.mod or go.sum, whatever
// GOFLAGS says; a vendored module builds from its vendor folder.
func modFlag(root string) string {
	if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		return "-mod=vendor"
	}
	return "-mod=readonly"
}

// compileError asks the compiler for its verbatim messages about packages
// that go/packages could not type-check.
func compileError(ctx context.Context, dir string, flags, patterns []string) error {
	args := append(append([]string{"build"}, flags...), "-o", os.DevNull)
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = loaderEnv()
	out, err := cmd.CombinedOutput()
	if err == nil {
		return fmt.Errorf("the model packages %s fail to type-check, yet go build accepts them", strings.Join(patterns, " "))
	}
	return &BuildError{Dir: dir, Output: string(out)}
}

// buildAndRun builds the generated program as a package of the user's module
// and runs it. The source is never written into the module: a build overlay
// places it at a fresh path inside the module, so concurrent loads do not
// collide and a crash leaves nothing behind in the user's tree.
func buildAndRun(ctx context.Context, root, dir string, flags []string, src []byte, stderr io.Writer) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "autogen-loader-")
	if err != nil {
		return nil, fmt.Errorf("creating a folder for the model loader: %w", err)
	}
	defer os.RemoveAll(tmp)

	// The path is fixed so the go command caches the compiled program
	// between loads; it exists only in this build's overlay, so concurrent
	// builds do not see each other's.
	pkgDir := filepath.Join(root, "_autogen_loader")
	mainGo := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(mainGo, src, 0o644); err != nil {
		return nil, fmt.Errorf("writing the model loader program: %w", err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(pkgDir, "main.go"): mainGo}})
	if err != nil {
		return nil, fmt.Errorf("writing the build overlay: %w", err)
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayPath, overlay, 0o644); err != nil {
		return nil, fmt.Errorf("writing the build overlay: %w", err)
	}
	exe := filepath.Join(tmp, "describe")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	args := append([]string{"build"}, flags...)
	// The program runs once, for milliseconds: compile it unoptimised, link
	// it without symbols, and do not stamp it with version control data,
	// which costs git commands in the user's repository.
	args = append(args, "-gcflags="+pkgDir+"=-N -l", "-buildvcs=false", "-overlay="+overlayPath, "-ldflags=-s -w", "-o", exe, pkgDir)
	build := exec.CommandContext(ctx, "go", args...)
	build.Dir = dir
	build.Env = loaderEnv()
	if out, err := build.CombinedOutput(); err != nil {
		if err := missingDialect(string(out), root); err != nil {
			return nil, err
		}
		return nil, &BuildError{Dir: root, Output: strings.ReplaceAll(string(out), mainGo, filepath.Join(pkgDir, "main.go"))}
	}
	var stdout, errBuf bytes.Buffer
	run := exec.CommandContext(ctx, exe)
	run.Dir = root
	run.Stdout = &stdout
	run.Stderr = &errBuf
	if stderr != nil {
		run.Stderr = io.MultiWriter(&errBuf, stderr)
	}
	if err := run.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("running the model loader program: %w", ctx.Err())
		}
		return nil, runError(err, errBuf.String(), root)
	}
	if len(bytes.TrimSpace(stdout.Bytes())) == 0 {
		return nil, errors.New("the models package exited during start-up without describing its models (os.Exit in an init function?)")
	}
	return stdout.Bytes(), nil
}

// runError describes a failed run of the model loader program in one
// sentence: a panic by its message and the first frame in the user's
// module, a silent exit by its status or signal.
func runError(err error, stderr, root string) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Errorf("running the model loader program: %w", err)
	}
	stderr = strings.TrimSpace(stderr)
	if ee.ExitCode() < 0 { // a signal; ProcessState says which
		if stderr == "" {
			stderr = "it printed nothing"
		}
		return fmt.Errorf("the program autogen builds to load the models was stopped (%s): %s", ee.ProcessState, stderr)
	}
	how := fmt.Sprintf("exited with status %d", ee.ExitCode())
	if stderr == "" {
		return fmt.Errorf("the models package %s while autogen loaded it, printing nothing (os.Exit in an init function?)", how)
	}
	if msg, at, ok := panicSummary(stderr, root); ok {
		what := "crashed"
		if strings.HasPrefix(msg, "panic: ") {
			what = "panicked"
		}
		if at != "" {
			return fmt.Errorf("the models package %s while autogen loaded it: %s (%s)", what, msg, at)
		}
		return fmt.Errorf("the models package %s while autogen loaded it: %s", what, msg)
	}
	return fmt.Errorf("the program autogen builds to load the models %s: %s", how, stderr)
}

// panicSummary finds, in a Go program's crash output, the panic (or fatal
// error) message and the first stack frame in a file under root, outside
// the generated program, as "file:line, in function" with file relative
// to root.
func panicSummary(stderr, root string) (msg, at string, ok bool) {
	head, stack, found := strings.Cut(stderr, "\ngoroutine ")
	if !found {
		return "", "", false
	}
	head = strings.TrimSpace(head)
	for _, prefix := range []string{"panic: ", "fatal error: "} {
		if i := strings.LastIndex(head, prefix); i >= 0 && (i == 0 || head[i-1] == '\n' || head[i-1] == '\t') {
			msg = head[i:]
			ok = true
			break
		}
	}
	if !ok {
		return "", "", false
	}
	// A panic recovered and re-raised lists each; the last is what killed
	// the program. Keep one line.
	msg = strings.Join(strings.Fields(strings.TrimSuffix(msg, " [recovered]")), " ")
	lines := strings.Split(stack, "\n")
	gen := filepath.Join(root, "_autogen_loader") + string(filepath.Separator)
	for i := 1; i < len(lines); i++ {
		file, isFile := strings.CutPrefix(lines[i], "\t")
		if !isFile {
			continue
		}
		if j := strings.LastIndex(file, " +0x"); j >= 0 {
			file = file[:j]
		}
		if !strings.HasPrefix(file, root+string(filepath.Separator)) || strings.HasPrefix(file, gen) {
			continue
		}
		rel, err := filepath.Rel(root, file)
		if err != nil {
			rel = file
		}
		fn := strings.TrimSpace(lines[i-1])
		if k := strings.LastIndexByte(fn, '('); k > 0 {
			fn = fn[:k]
		}
		return msg, fmt.Sprintf("%s, in %s", rel, fn), true
	}
	return msg, "", true
}

// dialectPkg is the package the generated program needs besides bun and
// the models; a bun application on another database may not require it.
const dialectPkg = "github.com/uptrace/bun/dialect/sqlitedialect"

// missingDialect recognises, in the output of a failed build of the
// generated program, a module that lacks dialectPkg, and says so instead
// of blaming the models; nil when the build failed for another reason.
func missingDialect(out, root string) error {
	lacks := ""
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, dialectPkg) {
			continue
		}
		switch {
		case strings.Contains(line, "missing go.sum entry"):
			lacks = "has no go.sum entry for"
		case strings.Contains(line, "cannot find module providing package"),
			strings.Contains(line, "no required module provides package"):
			lacks = "does not require"
		}
		if lacks != "" {
			break
		}
	}
	if lacks == "" {
		return nil
	}
	mod := root
	if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		if path := modfile.ModulePath(data); path != "" {
			mod = fmt.Sprintf("%s (%s)", path, root)
		}
	}
	return fmt.Errorf("the module %s %s %s, which autogen needs to describe the models: run go get %s", mod, lacks, dialectPkg, dialectPkg)
}

// loaderEnv is the environment of the go commands the loader runs: the
// user's, with -mod settings that could write go.mod taken out of GOFLAGS.
func loaderEnv() []string {
	env := os.Environ()
	var out []string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			var keep []string
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") {
					keep = append(keep, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(keep, " ")
		}
		out = append(out, kv)
	}
	return out
}
