// Package loader turns a user's bun models into the DDL bun would run for
// them, without autogen being compiled with them: it finds the model types
// (by syntax where it can, else with go/packages and the type checker),
// builds a small program inside the user's module that creates every table
// on a recording database/sql driver, and runs it. The result is cached by
// a hash of the module's sources. Unexported types cannot
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
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"
	"golang.org/x/mod/modfile"

	"github.com/autogen-dev/autogen/loader/bunddl"
)

// Version changes whenever the loader's output for the same models may
// change; it is part of the cache key.
const Version = "loader-7"

// DefaultTimeout bounds each step of a load that runs the go command, when
// Options.Timeout is 0: finding the models, building the program that
// describes them (a first build compiles bun) and running it.
const DefaultTimeout = 2 * time.Minute

// Options says where the models are.
type Options struct {
	// Dir is the folder the patterns are relative to (alembic.ini's folder).
	Dir string
	// Patterns are Go package patterns holding the models, e.g. "./models".
	Patterns []string
	// Dialect is the database the models are read for; "" means SQLite.
	Dialect Dialect
	// CacheDir holds cached results; "" means os.UserCacheDir()/autogen.
	CacheDir string
	// Timeout bounds each step that runs the go command or the program it
	// builds; 0 means DefaultTimeout.
	Timeout time.Duration
	// Stderr receives the generated program's diagnostics; nil discards them.
	Stderr io.Writer

	typesOnly bool // tests: skip quickFind
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

// Result is the DDL of the models.
type Result struct {
	// Statements are the statements bun executes to create every model's
	// table, its AfterCreateTableHook statements right after it; tables come
	// in foreign-key order (parents first), ties by table name.
	Statements []string
	// Models are the qualified names of the model types, sorted: the
	// structs embedding bun.BaseModel, the junctions m2m tags name and the
	// models the packages list.
	Models []string
	// Tables maps each table name to the qualified name of the model type
	// that defines it (the first by name when several do).
	Tables map[string]string
	// Schemas maps each table whose table: tag names a schema to that
	// schema. On SQLite it can only be "main": others are refused.
	Schemas map[string]string
	// Cached reports that the result came from the cache without a build.
	Cached bool

	viaTypes bool // tests: the type checker found the models
}

var (
	// ErrNoModels means the packages hold no struct embedding bun.BaseModel
	// and no Models list.
	ErrNoModels = errors.New("no models found")
	// ErrNoPackage means a pattern matches no loadable package.
	ErrNoPackage = errors.New("no model package")
	// ErrUnloadable means a struct embeds bun.BaseModel but the loader
	// cannot name it (unexported, or generic), no exported model embeds
	// it and no Models list holds it: the contract makes that an error,
	// never a silent skip.
	ErrUnloadable = errors.New("model cannot be loaded")
	// ErrNoGo means the go command, which builds the models, is not on PATH.
	ErrNoGo = errors.New("the go command is not on PATH; autogen needs Go to load the models")
	// ErrNoModule means the models folder is not inside a Go module.
	ErrNoModule = errors.New("not in a Go module")
	// ErrTimeout means a step of the load took longer than Options.Timeout.
	ErrTimeout = errors.New("the model loader timed out")
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

// ModelError is a model bun cannot create a table for, or whose DDL
// autogen refuses. Others holds the messages of further bad models.
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
	dp, err := opts.Dialect.pkg()
	if err != nil {
		return nil, err
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
	key, err := cacheKey(root, dir, dp.Path, opts.Patterns)
	if err != nil {
		return nil, err
	}
	if r := readCache(cacheDir, key); r != nil {
		return r, nil
	}
	r, err := load(ctx, root, dir, dp, opts)
	if err != nil {
		return nil, err
	}
	if err := writeCache(cacheDir, key, r); err != nil {
		return nil, err
	}
	return r, nil
}

// Describe returns the DDL bun runs on d to create the tables of models,
// which are linked into the calling program: no go command, no cache.
// models are pointers to structs, such as (*models.Team)(nil); the m2m
// junctions must be among them. The DDL is checked as Load checks it.
func Describe(ctx context.Context, d Dialect, models ...any) (*Result, error) {
	var bd schema.Dialect
	switch d {
	case SQLite, "":
		bd = sqlitedialect.New()
	case PostgreSQL:
		bd = pgdialect.New()
	default:
		_, err := d.pkg()
		return nil, err
	}
	return finish(ctx, d, bunddl.Record(ctx, bd, models), "pass the junction model too")
}

// load finds, builds and runs, bypassing the cache. It first finds the
// models by syntax alone (quickFind), which leaves one go command to run;
// when syntax cannot vouch for the result, or that program does not build
// or describes nothing, it finds them again with the type checker, whose
// path also words the errors.
func load(ctx context.Context, root, dir string, dp dialectPackage, opts Options) (*Result, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, ErrNoGo
	}
	flags := buildFlags(root, opts.Patterns)
	if f, ok := quickFind(root, dir, opts.Patterns); ok && !opts.typesOnly {
		r, err := describeFound(ctx, root, dir, dp, flags, f, opts)
		var be *BuildError
		if !errors.As(err, &be) && !errors.Is(err, errNothingFound) {
			return r, err
		}
	}
	findCtx, cancel := context.WithTimeout(ctx, opts.timeout())
	f, err := findModels(findCtx, dir, flags, opts.Patterns)
	cancel()
	if errors.Is(err, errCompile) {
		return nil, compileError(ctx, dir, flags, opts.Patterns)
	}
	if err != nil {
		if ctx.Err() == nil && errors.Is(findCtx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("%w: listing and type-checking the model packages %s took longer than %s; raise loader_timeout in alembic.ini if they are that slow to compile", ErrTimeout, strings.Join(opts.Patterns, " "), opts.timeout())
		}
		return nil, err
	}
	r, err := describeFound(ctx, root, dir, dp, flags, f, opts)
	if err == nil {
		r.viaTypes = true
	}
	return r, err
}

// errNothingFound means the program built from quickFind's candidates
// described no table and had no Models list to read.
var errNothingFound = errors.New("no table described")

// describeFound builds and runs the program that describes the models f
// names, and checks what it says.
func describeFound(ctx context.Context, root, dir string, dp dialectPackage, flags []string, f *found, opts Options) (*Result, error) {
	prog, err := newProgram(root, dp, f)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "autogen-loader-")
	if err != nil {
		return nil, fmt.Errorf("creating a folder for the model loader: %w", err)
	}
	defer os.RemoveAll(tmp)
	buildFlags := flags
	if modFile, err := provideDialect(ctx, root, dir, tmp, dp, opts); err != nil {
		return nil, err
	} else if modFile != "" {
		buildFlags = append(slices.Clone(flags), "-modfile="+modFile)
	}
	out, err := buildAndRun(ctx, tmp, root, dir, buildFlags, prog, f, dp, opts)
	if err != nil {
		return nil, err
	}
	var tables []bunddl.Table
	if err := json.Unmarshal(out, &tables); err != nil {
		return nil, fmt.Errorf("reading the model loader's output: %w", err)
	}
	if len(tables) == 0 && len(f.lists) == 0 {
		return nil, errNothingFound
	}
	if err := unloadable(f.skipped, tables); err != nil {
		return nil, err
	}
	return finish(ctx, opts.Dialect, tables, "autogen finds a junction by its table name among the exported structs of the models packages and their Models lists")
}

// finish turns the described tables into a Result: errors first, then the
// checks of the dialect, then the statements in foreign-key order.
func finish(ctx context.Context, d Dialect, tables []bunddl.Table, junctionHint string) (*Result, error) {
	if err := modelErrors(tables, junctionHint); err != nil {
		return nil, err
	}
	if d == SQLite || d == "" {
		if err := checkSQLite(ctx, tables); err != nil {
			return nil, err
		}
	}
	stmts, err := orderStatements(tables)
	if err != nil {
		return nil, err
	}
	r := &Result{Statements: stmts, Tables: map[string]string{}, Schemas: map[string]string{}}
	seen := map[string]bool{}
	for _, t := range tables {
		if t.Schema != "" {
			r.Schemas[t.Name] = t.Schema
		}
		if prev, ok := r.Tables[t.Name]; !ok || t.Type < prev {
			r.Tables[t.Name] = t.Type
		}
		if !seen[t.Type] {
			seen[t.Type] = true
			r.Models = append(r.Models, t.Type)
		}
	}
	slices.Sort(r.Models)
	return r, nil
}

// unloadable reports the structs embedding bun.BaseModel that the program
// could not name and no Models list held.
func unloadable(skipped []string, tables []bunddl.Table) error {
	described := map[string]bool{}
	for _, t := range tables {
		described[t.Type] = true
	}
	var left []string
	for _, s := range skipped {
		name, _, _ := strings.Cut(s, ": ")
		if !described[name] {
			left = append(left, s)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("%w: %s", ErrUnloadable, strings.Join(left, "; "))
	}
	return nil
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

// overlayDirName is the folder, at the module's root, where the build
// overlay places the generated program. It exists only in the overlay; a
// fixed path lets the go command cache the compiled program between
// loads. An import path element may not start with "." or "_", so the
// name is plain.
const overlayDirName = "autogen-loader"

// program is the generated program: its folder in the module, the import
// path of package bunddl beside it, and its main package's source.
type generated struct {
	dir    string
	source []byte
}

// newProgram generates the program's main package for the models found,
// in a folder of root that does not exist on disk.
func newProgram(root string, dp dialectPackage, f *found) (*generated, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("reading the module's go.mod: %w", err)
	}
	modPath := modfile.ModulePath(data)
	if modPath == "" {
		return nil, fmt.Errorf("the go.mod in %s names no module", root)
	}
	name := overlayDirName
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(root, name)); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = fmt.Sprintf("%s-%d", overlayDirName, i)
	}
	src, err := generate(program{
		Dialect:    dp,
		Bunddl:     path.Join(modPath, name, "bunddl"),
		Imports:    f.imports,
		Models:     f.models,
		Candidates: f.candidates,
		Lists:      f.lists,
	})
	if err != nil {
		return nil, err
	}
	return &generated{dir: filepath.Join(root, name), source: src}, nil
}

// buildAndRun builds the generated program as a package of the user's module
// and runs it. The sources are never written into the module: a build
// overlay places them at a path inside the module, so concurrent loads do
// not collide and a crash leaves nothing behind in the user's tree.
func buildAndRun(ctx context.Context, tmp, root, dir string, flags []string, prog *generated, f *found, dp dialectPackage, opts Options) ([]byte, error) {
	replace, err := writeBunddl(tmp, prog.dir)
	if err != nil {
		return nil, err
	}
	mainGo := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(mainGo, prog.source, 0o644); err != nil {
		return nil, fmt.Errorf("writing the model loader program: %w", err)
	}
	replace[filepath.Join(prog.dir, "main.go")] = mainGo
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": replace})
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
	env := loaderEnv()
	if f.bySyntax {
		env = withoutCgo(env)
	}
	if err := build(ctx, root, dir, flags, env, prog.dir, overlayPath, exe, replace, dp, opts); err != nil {
		return nil, err
	}
	return run(ctx, root, exe, prog.dir, f, opts)
}

// build compiles the generated program into exe.
func build(ctx context.Context, root, dir string, flags, env []string, pkgDir, overlayPath, exe string, replace map[string]string, dp dialectPackage, opts Options) error {
	args := append([]string{"build"}, flags...)
	// The program runs once, for milliseconds: compile it unoptimised, link
	// it without symbols, and do not stamp it with version control data,
	// which costs git commands in the user's repository.
	args = append(args, "-gcflags="+pkgDir+"/...=-N -l", "-buildvcs=false", "-overlay="+overlayPath, "-ldflags=-s -w", "-o", exe, pkgDir)
	bctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	cmd := exec.CommandContext(bctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = waitDelay
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("building the model loader program: %w", ctx.Err())
	}
	if errors.Is(bctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: building the program that loads the models %s took longer than %s; raise loader_timeout in alembic.ini if the build is that slow (a first build compiles bun)", ErrTimeout, strings.Join(opts.Patterns, " "), opts.timeout())
	}
	if err := missingDialect(string(out), root, dp.Path); err != nil {
		return err
	}
	text := string(out)
	for target, src := range replace {
		text = strings.ReplaceAll(text, src, target)
	}
	return &BuildError{Dir: root, Output: text}
}

// waitDelay is how long the loader waits for a stopped process's output
// before it gives up on it.
const waitDelay = 5 * time.Second

// run runs the built program and returns its standard output. When it
// does not finish in time it is asked for its goroutines' stacks (SIGQUIT,
// where there is one), which say which package's init it is stuck in.
func run(ctx context.Context, root, exe, pkgDir string, f *found, opts Options) ([]byte, error) {
	rctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	var stdout, errBuf bytes.Buffer
	cmd := exec.CommandContext(rctx, exe)
	cmd.Dir = root
	cmd.Stdout = &stdout
	cmd.Stderr = &errBuf
	if opts.Stderr != nil {
		cmd.Stderr = io.MultiWriter(&errBuf, opts.Stderr)
	}
	cmd.Cancel = func() error {
		if ctx.Err() == nil {
			return stopForStacks(cmd.Process)
		}
		return cmd.Process.Kill()
	}
	cmd.WaitDelay = waitDelay
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("running the model loader program: %w", ctx.Err())
	}
	if errors.Is(rctx.Err(), context.DeadlineExceeded) {
		return nil, hungError(errBuf.String(), root, pkgDir, f, opts.timeout())
	}
	if err != nil {
		return nil, runError(err, errBuf.String(), root, pkgDir)
	}
	if len(bytes.TrimSpace(stdout.Bytes())) == 0 {
		return nil, errors.New("the models package exited during start-up without describing its models (os.Exit in an init function?)")
	}
	return stdout.Bytes(), nil
}

// hungError names the package whose code the program was running when it
// ran out of time, from its goroutine dump, or else every model package.
func hungError(stderr, root, pkgDir string, f *found, limit time.Duration) error {
	if fn, at := userFrame(stderr, root, pkgDir); fn != "" {
		return fmt.Errorf("%w: the models package %s did not finish loading within %s, stuck at %s in %s (an init function that never returns?); raise loader_timeout in alembic.ini if it is only slow", ErrTimeout, funcPackage(fn), limit, at, fn)
	}
	var pkgs []string
	for _, imp := range f.imports {
		pkgs = append(pkgs, imp.Path)
	}
	return fmt.Errorf("%w: the models packages %s did not finish loading within %s (an init function that never returns?); raise loader_timeout in alembic.ini if they are only slow", ErrTimeout, strings.Join(pkgs, ", "), limit)
}

// funcPackage is the import path of a function named as in a Go stack
// trace, e.g. example.com/app/models for example.com/app/models.init.0.
func funcPackage(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	if dot := strings.IndexByte(fn[slash+1:], '.'); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}

// runError describes a failed run of the model loader program in one
// sentence: a panic by its message and the first frame in the user's
// module, a silent exit by its status or signal.
func runError(err error, stderr, root, pkgDir string) error {
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
	if msg, at, ok := panicSummary(stderr, root, pkgDir); ok {
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
// the generated program in pkgDir, as "file:line, in function" with file
// relative to root.
func panicSummary(stderr, root, pkgDir string) (msg, at string, ok bool) {
	head, _, found := strings.Cut(stderr, "\ngoroutine ")
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
	if fn, file := userFrame(stderr, root, pkgDir); fn != "" {
		return msg, fmt.Sprintf("%s, in %s", file, fn), true
	}
	return msg, "", true
}

// userFrame returns the first frame in a Go stack dump (the innermost of
// the first goroutine that has one) whose file is under root but outside
// pkgDir: its function and "file:line" with file relative to root; ""
// when there is none.
func userFrame(stderr, root, pkgDir string) (fn, at string) {
	_, stack, found := strings.Cut(stderr, "\ngoroutine ")
	if !found {
		if stack, found = strings.CutPrefix(stderr, "goroutine "); !found {
			return "", ""
		}
	}
	lines := strings.Split(stack, "\n")
	skip := pkgDir + string(filepath.Separator)
	for i := 1; i < len(lines); i++ {
		file, isFile := strings.CutPrefix(lines[i], "\t")
		if !isFile {
			continue
		}
		if j := strings.LastIndex(file, " +0x"); j >= 0 {
			file = file[:j]
		}
		if !strings.HasPrefix(file, root+string(filepath.Separator)) || strings.HasPrefix(file, skip) {
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
		return fn, rel
	}
	return "", ""
}

// withoutCgo turns cgo off in env unless the user set CGO_ENABLED: the
// program then links statically, without runtime/cgo, and the go command
// skips its cgo and C compiler checks, about 40 ms of every load after an
// edit. A model package that needs cgo fails that build, and the load
// falls back to the type checker's path with the user's setting.
func withoutCgo(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "CGO_ENABLED=") {
			return env
		}
	}
	return append(env, "CGO_ENABLED=0")
}

// loaderEnv is the environment of the go commands the loader runs: the
// user's, with -mod and -modfile settings, which could write go.mod or
// clash with the loader's own, taken out of GOFLAGS.
func loaderEnv() []string {
	env := os.Environ()
	var out []string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			var keep []string
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") && !strings.HasPrefix(f, "-modfile=") {
					keep = append(keep, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(keep, " ")
		}
		out = append(out, kv)
	}
	return out
}
