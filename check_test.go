package autogen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckMigrationsInUserModule is the contract's check: a go test in a
// fresh module of the user's (go.mod replacing autogen by this checkout)
// calls CheckMigrations with its own models and embedded revisions. It
// passes while they agree, and fails naming the table and the column once
// a model gains a column no revision adds.
func TestCheckMigrationsInUserModule(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed to run the user's tests:", err)
	}
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	copyFile(t, filepath.Join("testdata", "usermodule", "migrations_test.go"), filepath.Join(mod, "migrations_test.go"))
	copyFile(t, filepath.Join("testdata", "usermodule", "migrations", "embed.go"), filepath.Join(mod, "migrations", "embed.go"))
	versions, err := filepath.Glob(filepath.Join("migrations", "versions", "*.sql"))
	if err != nil || len(versions) == 0 {
		t.Fatalf("the example app's revisions: %v %v", versions, err)
	}
	for _, v := range versions {
		copyFile(t, v, filepath.Join(mod, "migrations", "versions", filepath.Base(v)))
	}
	models, err := os.ReadFile(filepath.Join("models", "models.go"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(mod, "models", "models.go"), string(models))
	writeTestFile(t, filepath.Join(mod, "go.mod"), "module example.com/app\n\ngo 1.26\n\nrequire github.com/autogen-dev/autogen v0.0.0\n\nreplace github.com/autogen-dev/autogen => "+repo+"\n")
	sum, err := os.ReadFile("go.sum")
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(mod, "go.sum"), string(sum))

	goTest := func() (string, error) {
		cmd := exec.Command(goBin, "test", "-count=1", "./...")
		cmd.Dir = mod
		// Every module comes from the module cache; -mod=mod completes the
		// new module's requirements from the replaced one's.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := goTest(); err != nil {
		t.Fatalf("go test in the user's module, models and revisions agreeing: %v\n%s", err, out)
	}
	grown := strings.Replace(string(models), "\tAge    int    `bun:\"age\"`\n", "\tAge    int    `bun:\"age\"`\n\tNick   string `bun:\"nick\"`\n", 1)
	if grown == string(models) {
		t.Fatal("the example models no longer have the Age field this test adds a column after")
	}
	writeTestFile(t, filepath.Join(mod, "models", "models.go"), grown)
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
