package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/autogen-dev/autogen/bench/workload"
)

// bin is the autogen binary built once for the package's tests: the CLI is
// tested as users run it.
var bin string

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
	os.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	os.Setenv("GOPROXY", "off")
	os.Setenv("GOFLAGS", "")
	os.Unsetenv("AUTOGEN_CONFIG")
	os.Unsetenv("AUTOGEN_URL")
	return m.Run()
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
	t   testing.TB
	dir string
	env []string
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

// run runs the binary in the module's folder.
func (a *app) run(args ...string) (stdout, stderr string, code int) {
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
