package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/autogen-dev/autogen/bench/workload"
	"github.com/autogen-dev/autogen/internal/pgtest"
)

// bin is the autogen binary built once for the package's tests: the CLI is
// tested as users run it.
var bin string

// userGoProxy is GOPROXY as the tests found it, before they turn the
// network off; downloadModules uses it to fetch what the module cache lacks.
var userGoProxy string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "autogen-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "autogen")
	args := append([]string{"build", "-o", bin}, append(buildFlags, ".")...)
	if out, err := exec.Command("go", args...).CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building autogen: %v\n%s", err, out)
		return 1
	}
	// One loader cache for the whole run, away from the user's, and no
	// network: every module comes from the module cache. Go's own build
	// cache stays where it is (it too follows XDG_CACHE_HOME), or every run
	// would compile bun again.
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go env GOCACHE: %v\n", err)
		return 1
	}
	os.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
	if p, err := exec.Command("go", "env", "GOPROXY").Output(); err == nil {
		userGoProxy = strings.TrimSpace(string(p))
	}
	os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	os.Setenv("GOPROXY", "off")
	os.Setenv("GOFLAGS", "")
	os.Unsetenv("AUTOGEN_CONFIG")
	os.Unsetenv("AUTOGEN_URL")
	return pgtest.Run(m)
}

// exampleModels is the example application's models package as it stands
// before the tutorial adds Member.Age.
func exampleModels(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "models", "models.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// app is a user's module in a temporary folder.
type app struct {
	t      testing.TB
	dir    string
	env    []string
	binary bool // run the built binary rather than in-process
}

// newApp writes a module holding files (path -> content) and returns it;
// it does not run init.
func newApp(t testing.TB, files map[string]string) *app {
	t.Helper()
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	a := &app{t: t, dir: dir}
	a.write("go.mod", workload.GoMod)
	a.write("go.sum", string(sum))
	for name, body := range files {
		a.write(name, body)
	}
	return a
}

// write puts a file into the module.
func (a *app) write(name, body string) {
	a.t.Helper()
	path := filepath.Join(a.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		a.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		a.t.Fatal(err)
	}
}

// run runs autogen in the module's folder with a.env over the test's
// environment and an empty stdin: in-process, as main does, unless the test
// asks for the built binary (a.binary).
func (a *app) run(args ...string) (stdout, stderr string, code int) {
	a.t.Helper()
	if a.binary {
		return a.runBinary(args...)
	}
	var o, e bytes.Buffer
	p := process{dir: a.dir, getenv: a.getenv, stdin: strings.NewReader("")}
	code = runIn(p, append([]string{"autogen"}, args...), &o, &e)
	return o.String(), e.String(), code
}

// getenv is os.Getenv with a.env over it, as the binary would see it.
func (a *app) getenv(key string) string {
	for _, kv := range slices.Backward(a.env) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return os.Getenv(key)
}

// runBinary runs the built binary in the module's folder, with a.env.
func (a *app) runBinary(args ...string) (stdout, stderr string, code int) {
	a.t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), a.env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		a.t.Fatalf("autogen %s: %v", strings.Join(args, " "), err)
	}
	return o.String(), e.String(), code
}

// ok runs the binary and fails the test unless it exits 0.
func (a *app) ok(args ...string) (stdout, stderr string) {
	a.t.Helper()
	o, e, code := a.run(args...)
	if code != 0 {
		a.t.Fatalf("autogen %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, o, e)
	}
	return o, e
}

// fails runs the binary and checks that it exits with code and says one
// clear line (no stack trace) on stderr containing want.
func (a *app) fails(code int, want string, args ...string) string {
	a.t.Helper()
	o, e, got := a.run(args...)
	if got != code {
		a.t.Fatalf("autogen %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), got, code, o, e)
	}
	if !strings.Contains(e, want) {
		a.t.Fatalf("autogen %s: stderr does not say %q:\n%s", strings.Join(args, " "), want, e)
	}
	if strings.Contains(e, "goroutine ") || strings.Contains(e, "panic:") {
		a.t.Fatalf("autogen %s: stack trace on stderr:\n%s", strings.Join(args, " "), e)
	}
	return e
}

// db opens the module's database.db.
func (a *app) db() *sql.DB {
	a.t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(a.dir, "database.db"))
	if err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { db.Close() })
	return db
}

// exec runs SQL on the module's database.
func (a *app) exec(query string) {
	a.t.Helper()
	db := a.db()
	if _, err := db.Exec(query); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	db.Close()
}

// rows returns a query's rows on the module's database, each as its
// columns joined by "|".
func (a *app) rows(query string) []string {
	a.t.Helper()
	db := a.db()
	defer db.Close()
	return queryStrings(a.t, db, query)
}

// queryStrings returns a query's rows, each as its columns joined by "|",
// NULL as "NULL" and blobs as their bytes.
func queryStrings(t testing.TB, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rs, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			switch v := v.(type) {
			case nil:
				parts[i] = "NULL"
			case []byte:
				parts[i] = string(v)
			default:
				parts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// versions lists the revision files in migrations/versions.
func (a *app) versions() []string {
	a.t.Helper()
	m, err := filepath.Glob(filepath.Join(a.dir, "migrations", "versions", "*.sql"))
	if err != nil {
		a.t.Fatal(err)
	}
	return m
}

// readFile returns a file's content.
func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// revisionFile is a revision file written by hand, as a user edits one.
type revisionFile struct {
	ID, Message        string
	Parents            []string
	BranchLabels       string // the header's value, comma-separated
	DependsOn          string // the header's value, comma-separated
	Upgrade, Downgrade string
}

// text is the file's content, laid out as the tool writes one.
func (r revisionFile) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n", r.Message, r.ID, strings.Join(r.Parents, ", "))
	fmt.Fprintf(&b, "-- Create Date: 2026-11-25 09:41:07.512344\n-- Branch Labels: %s\n-- Depends On: %s\n\n", r.BranchLabels, r.DependsOn)
	b.WriteString("-- +autogen upgrade\n")
	if r.Upgrade != "" {
		b.WriteString(strings.TrimSpace(r.Upgrade) + "\n")
	}
	b.WriteString("\n-- +autogen downgrade\n")
	if r.Downgrade != "" {
		b.WriteString(strings.TrimSpace(r.Downgrade) + "\n")
	}
	return b.String()
}

// writeRevision writes r into migrations/versions as <id>_<message>.sql.
func (a *app) writeRevision(r revisionFile) {
	a.t.Helper()
	a.write(filepath.Join("migrations", "versions", r.ID+"_"+strings.ReplaceAll(r.Message, " ", "_")+".sql"), r.text())
}

// revisionHeader is the value of the "-- key: value" header line of a
// revision file's body; the test fails when there is no such line.
func revisionHeader(t testing.TB, body, key string) string {
	t.Helper()
	for _, l := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(l, "-- "+key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %q header in:\n%s", key, body)
	return ""
}

// versionRows lists the version table's rows of the database at path.
func versionRows(t testing.TB, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return queryStrings(t, db, "SELECT version_num FROM alembic_version ORDER BY 1")
}
