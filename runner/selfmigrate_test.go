package runner

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSelfMigratingApp: an application in a module of its own embeds its
// revisions with //go:embed and calls New and Upgrade at start-up. Built with
// go build, then run with a PATH that holds neither go nor autogen, it
// upgrades a fresh database; four instances started at once apply each
// revision once (each revision's SQL records itself in a table).
func TestSelfMigratingApp(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is needed to build the app:", err)
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	copyTree(t, filepath.Join("testdata", "selfmigrate"), mod)
	writeFile(t, filepath.Join(mod, "go.mod"), "module example.com/selfmigrate\n\ngo 1.26\n\nrequire github.com/autogen-dev/autogen v0.0.0\n\nreplace github.com/autogen-dev/autogen => "+repo+"\n", 0o644)
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.sum"), string(sum), 0o644)
	bin := filepath.Join(t.TempDir(), "selfmigrate")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Dir = mod
	// Every module comes from the module cache; -mod=mod lets go build
	// complete the new module's requirements from the replaced one's.
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// The app runs where there is no Go toolchain and no autogen: its
	// PATH is an empty folder, and nothing else of this environment is
	// passed on.
	bare := t.TempDir()
	env := []string{"PATH=" + bare, "HOME=" + bare}
	db := filepath.Join(t.TempDir(), "app.db")
	const n = 4
	cmds := make([]*exec.Cmd, n)
	outs := make([]*bytes.Buffer, n)
	for i := range cmds {
		outs[i] = &bytes.Buffer{}
		cmds[i] = exec.Command(bin, db, string(rune('a'+i)))
		cmds[i].Dir = bare
		cmds[i].Env = env
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	var ran []string
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("instance %d: %v\n%s", i, err, outs[i])
		}
		ran = append(ran, strings.Fields(outs[i].String())...)
	}
	t.Logf("what each instance ran: %q", ran)

	const r1, r2, r3 = "0a0a0a0a0a01", "0a0a0a0a0a02", "0a0a0a0a0a03"
	raw := rawDB(t, db)
	if got := dumpRows(t, raw, "applied"); got != "applied ["+r1+"]\napplied ["+r2+"]\napplied ["+r3+"]\n" {
		t.Errorf("each revision's SQL should have run once; applied holds:\n%s", got)
	}
	if got := dumpRows(t, raw, "alembic_version"); got != "alembic_version ["+r3+"]\n" {
		t.Errorf("version rows:\n%s", got)
	}
	if got := count(t, raw, "SELECT count(DISTINCT instance) FROM starts WHERE at IS NOT NULL"); got != n {
		t.Errorf("%d instances recorded their start, want %d", got, n)
	}
	if got := count(t, raw, "SELECT count(*) FROM filler"); got != 50000 {
		t.Errorf("filler holds %d rows, want 50000", got)
	}
	// Between them the instances report each revision once.
	var reported []string
	for _, f := range ran {
		if len(f) == 12 {
			reported = append(reported, f)
		}
	}
	slices.Sort(reported)
	if want := []string{r1, r2, r3}; !slices.Equal(reported, want) {
		t.Errorf("the instances report the revisions %v, want each of %v once", reported, want)
	}
}

// copyTree copies the files under from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
