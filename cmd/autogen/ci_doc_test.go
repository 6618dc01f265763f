package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ciStep is one step of the workflow docs/ci.md shows.
type ciStep struct {
	name   string
	always bool   // if: always()
	run    string // "" for a uses: step
}

// ciWorkflow reads the steps of the first yaml block of docs/ci.md. It
// knows the little YAML the doc uses and fails on anything else a step
// says about when it runs, so that the doc cannot grow a step this test
// does not run as GitHub would.
func ciWorkflow(t *testing.T) []ciStep {
	t.Helper()
	doc := readFile(t, filepath.Join("..", "..", "docs", "ci.md"))
	_, rest, ok := strings.Cut(doc, "```yaml\n")
	block, _, ok2 := strings.Cut(rest, "\n```\n")
	if !ok || !ok2 {
		t.Fatal("docs/ci.md has no ```yaml block")
	}
	var steps []ciStep
	lines := strings.Split(block, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "- name:") || strings.HasPrefix(l, "- uses:") {
			steps = append(steps, ciStep{name: strings.TrimSpace(l[strings.Index(l, ":")+1:])})
			l = strings.TrimSpace(strings.TrimPrefix(l, "-"))
		}
		if len(steps) == 0 {
			continue
		}
		s := &steps[len(steps)-1]
		switch {
		case strings.HasPrefix(l, "if:"):
			if cond := strings.TrimSpace(strings.TrimPrefix(l, "if:")); cond != "always()" {
				t.Fatalf("docs/ci.md: step %q runs if %q, which this test cannot evaluate", s.name, cond)
			}
			s.always = true
		case strings.HasPrefix(l, "run:"):
			s.run = strings.TrimSpace(strings.TrimPrefix(l, "run:"))
			if s.run == "|" || s.run == ">" {
				t.Fatalf("docs/ci.md: step %q has a block run:, which this test does not read; write one command per step", s.name)
			}
		}
	}
	return steps
}

// cloneRepo copies the repository, as a checkout has it, into a new
// folder: no database, no built binary.
func cloneRepo(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == ".git" || rel == "bin" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || rel == ".git" || strings.HasSuffix(rel, ".db") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// runWorkflow runs the run: steps in dir as GitHub does (bash -eo pipefail;
// after a failure only if: always() steps) and returns the steps that
// failed and the job summary they wrote.
func runWorkflow(t *testing.T, dir string, steps []ciStep) (failed []string, summary string) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the workflow's steps with")
	}
	summaryFile := filepath.Join(t.TempDir(), "summary.md")
	for _, s := range steps {
		if s.run == "" || (len(failed) > 0 && !s.always) {
			continue
		}
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", s.run)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GITHUB_STEP_SUMMARY="+summaryFile, "CI=true")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Logf("step %q failed (%v):\n%s", s.name, err, out.String())
			failed = append(failed, s.name)
		}
	}
	b, err := os.ReadFile(summaryFile)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return failed, string(b)
}

// TestCIWorkflow runs the workflow of docs/ci.md, its commands exactly as
// the doc writes them, in a copy of the repository without a database: a
// pull request's checkout.
func TestCIWorkflow(t *testing.T) {
	steps := ciWorkflow(t)
	runs := 0
	for _, s := range steps {
		if s.run != "" {
			runs++
		}
	}
	if runs < 3 {
		t.Fatalf("docs/ci.md's workflow has %d run: steps: %+v", runs, steps)
	}
	dir := cloneRepo(t)

	t.Run("every model change has its revision", func(t *testing.T) {
		failed, summary := runWorkflow(t, dir, steps)
		if len(failed) > 0 {
			t.Fatalf("steps failed in a clean checkout: %v", failed)
		}
		if !strings.Contains(summary, "**No changes**") {
			t.Errorf("job summary:\n%s", summary)
		}
	})

	t.Run("a model change without its revision", func(t *testing.T) {
		models := filepath.Join(dir, "models", "models.go")
		src := readFile(t, models)
		if !strings.Contains(src, "\tAge ") {
			t.Fatalf("models.go has no Age field to drop:\n%s", src)
		}
		var kept []string
		for _, l := range strings.Split(src, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(l), "Age ") {
				kept = append(kept, l)
			}
		}
		if err := os.WriteFile(models, []byte(strings.Join(kept, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		failed, summary := runWorkflow(t, dir, steps)
		if len(failed) != 1 || !strings.Contains(failed[0], "revision") {
			t.Errorf("failed steps %v, want the check alone", failed)
		}
		for _, want := range []string{"| `members` | drop column | column `age` | not measured |", "```sql\n-- removed column 'members.age'"} {
			if !strings.Contains(summary, want) {
				t.Errorf("job summary lacks %q:\n%s", want, summary)
			}
		}
		if b := readFile(t, filepath.Join(dir, "autogen-plan.json")); !strings.Contains(b, `"kind": "drop_column"`) {
			t.Errorf("autogen-plan.json:\n%s", b)
		}
		if _, err := os.Stat(filepath.Join(dir, "database.db")); !os.IsNotExist(err) {
			t.Errorf("the workflow created database.db (%v)", err)
		}
	})
}

// TestCIDocPreview runs the preview docs/ci.md shows, on the committed
// database.db with the models edited as the doc says, and compares the
// output with the doc's.
func TestCIDocPreview(t *testing.T) {
	doc := readFile(t, filepath.Join("..", "..", "docs", "ci.md"))
	_, rest, ok := strings.Cut(doc, "## A real preview")
	_, rest, ok2 := strings.Cut(rest, "````console\n$ autogen ")
	block, _, ok3 := strings.Cut(rest, "\n````\n")
	if !ok || !ok2 || !ok3 {
		t.Fatal("docs/ci.md has no console block under \"## A real preview\"")
	}
	cmdLine, want, _ := strings.Cut(block, "\n")
	a := &app{t: t, dir: cloneRepo(t), binary: true}
	db, err := os.ReadFile(filepath.Join("..", "..", "database.db"))
	if err != nil {
		t.Fatal(err)
	}
	a.write("database.db", string(db))
	const age, email = "\tAge    int    `bun:\"age\"`", "\tEmail  string `bun:\"email,unique\"`"
	models := readFile(t, filepath.Join(a.dir, "models", "models.go"))
	if !strings.Contains(models, age) {
		t.Fatalf("models.go has no %q for the doc's edit", age)
	}
	a.write("models/models.go", strings.Replace(models, age, email, 1))
	got, _ := a.ok(strings.Fields(cmdLine)...)
	if got != want+"\n" {
		t.Errorf("docs/ci.md's preview differs from what %q prints:\n%s", cmdLine, got)
	}
}
