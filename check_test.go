package autogen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// TestCheckMigrationsInUserModule is the contract's check: a go test in a
// fresh module of the user's (go.mod replacing autogen by this checkout)
// calls CheckMigrations with its own models and embedded revisions. It
// passes while they agree, and fails naming the table and the column once
// a model gains a column no revision adds.
func TestCheckMigrationsInUserModule(t *testing.T) {
	mod := userModule(t, "usermodule", filepath.Join("migrations", "versions"))
	checkUserModule(t, mod, nil)
}

// TestCheckMigrationsPostgresInUserModule is the same check on
// PostgreSQL: the user's test calls CheckMigrationsPostgres with the test
// server's URL from $TEST_DATABASE_URL.
func TestCheckMigrationsPostgresInUserModule(t *testing.T) {
	pg := pgtest.New(t)
	mod := userModule(t, "usermodule_pg", filepath.Join("testdata", "usermodule_pg", "migrations", "versions"))
	checkUserModule(t, mod, []string{"TEST_DATABASE_URL=" + pg.URL})
}

// userModule writes a fresh module of the user's (go.mod replacing
// autogen by this checkout) holding testdata/<fixture>, the example
// application's models and the revisions in versions.
func userModule(t *testing.T, fixture, versions string) string {
	t.Helper()
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	fix := filepath.Join("testdata", fixture)
	copyFile(t, filepath.Join(fix, "migrations_test.go"), filepath.Join(mod, "migrations_test.go"))
	copyFile(t, filepath.Join(fix, "migrations", "embed.go"), filepath.Join(mod, "migrations", "embed.go"))
	files, err := filepath.Glob(filepath.Join(versions, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("the revisions in %s: %v %v", versions, files, err)
	}
	for _, v := range files {
		copyFile(t, v, filepath.Join(mod, "migrations", "versions", filepath.Base(v)))
	}
	copyFile(t, filepath.Join("models", "models.go"), filepath.Join(mod, "models", "models.go"))
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module example.com/app\n\ngo 1.26\n\nrequire github.com/autogen-dev/autogen v0.0.0\n\nreplace github.com/autogen-dev/autogen => "+repo+"\n")
	copyFile(t, "go.sum", filepath.Join(mod, "go.sum"))
	return mod
}

// checkUserModule runs go test in mod: it passes while the models and
// revisions agree, and fails naming the table and the column once a model
// gains a column no revision adds.
func checkUserModule(t *testing.T, mod string, env []string) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed to run the user's tests:", err)
	}
	goTest := func() (string, error) {
		cmd := exec.Command(goBin, "test", "-count=1", "./...")
		cmd.Dir = mod
		// Every module comes from the module cache; -mod=mod completes the
		// new module's requirements from the replaced one's.
		cmd.Env = append(append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local"), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := goTest(); err != nil {
		t.Fatalf("go test in the user's module, models and revisions agreeing: %v\n%s", err, out)
	}
	path := filepath.Join(mod, "models", "models.go")
	models, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	grown := strings.Replace(string(models), "\tAge    int    `bun:\"age\"`\n", "\tAge    int    `bun:\"age\"`\n\tNick   string `bun:\"nick\"`\n", 1)
	if grown == string(models) {
		t.Fatal("the example models no longer have the Age field this test adds a column after")
	}
	writeTestFile(t, path, grown)
	out, err := goTest()
	if err == nil {
		t.Fatalf("go test passed with a model column no revision adds:\n%s", out)
	}
	if want := "no revision for: added column 'members.nick'"; !strings.Contains(out, want) {
		t.Fatalf("go test failed without saying %q:\n%s", want, out)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, to, string(data))
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
