package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeCommand is one "$ command" line of a README console block and the
// output the README shows under it.
type readmeCommand struct {
	line, want string
}

// readmeTutorial reads the console blocks of README.md's tutorial, from
// step 1 to the paragraph that names this file's tests.
func readmeTutorial(t *testing.T) []readmeCommand {
	t.Helper()
	doc := readFile(t, filepath.Join("..", "..", "README.md"))
	start := strings.Index(doc, "**1. Make the script directory.**")
	end := strings.Index(doc, "`cmd/autogen/e2e_test.go` runs exactly these steps")
	if start < 0 || end < start {
		t.Fatal("README.md has no tutorial from step 1 to the e2e_test.go paragraph")
	}
	var cmds []readmeCommand
	for _, block := range strings.Split(doc[start:end], "```console\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		for _, l := range strings.SplitAfter(block, "\n") {
			if line, ok := strings.CutPrefix(l, "$ "); ok {
				cmds = append(cmds, readmeCommand{line: strings.TrimSpace(line)})
				continue
			}
			if len(cmds) > 0 {
				cmds[len(cmds)-1].want += l
			}
		}
	}
	return cmds
}

// shellWords splits a command line as sh does for the README's commands:
// words separated by spaces, double quotes grouping.
func shellWords(line string) []string {
	var words []string
	var w strings.Builder
	quoted, any := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				words = append(words, w.String())
			}
			w.Reset()
			any = false
		default:
			w.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, w.String())
	}
	return words
}

var createDate = regexp.MustCompile(`Create Date: \S+ \S+`)

// TestReadmeTutorialOutput runs the README tutorial's commands with the
// built binary in a fresh module (the models edited where the README says
// so) and compares what each prints, stdout and stderr as a terminal shows
// them, with the README: the folder reads /work/app, the revision ids are
// the README's and dates are left out.
func TestReadmeTutorialOutput(t *testing.T) {
	cmds := readmeTutorial(t)
	if len(cmds) < 10 {
		t.Fatalf("README's tutorial has %d commands", len(cmds))
	}
	a := newApp(t, map[string]string{"models/models.go": withoutAge(exampleModels(t))})
	ids := strings.NewReplacer()
	var pairs []string
	exit, checked := 0, false
	for _, c := range cmds {
		words := shellWords(c.line)
		var got string
		switch {
		case c.line == "echo $?":
			got = strconv.Itoa(exit) + "\n"
		case len(words) > 0 && words[0] == "autogen":
			if words[1] == "check" && !checked {
				checked = true // step 4: the README adds Age to Member
				a.write("models/models.go", exampleModels(t))
			}
			cmd := exec.Command(bin, words[1:]...)
			cmd.Dir = a.dir
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			var ee *exec.ExitError
			switch {
			case err == nil:
				exit = 0
			case errors.As(err, &ee):
				exit = ee.ExitCode()
			default:
				t.Fatalf("%s: %v", c.line, err)
			}
			got = strings.ReplaceAll(out.String(), a.dir, "/work/app")
			pairs = append(pairs, generatedIDs(got, c.want)...)
			ids = strings.NewReplacer(pairs...)
		default:
			t.Fatalf("README's tutorial runs %q, which this test does not know", c.line)
		}
		got = createDate.ReplaceAllString(ids.Replace(got), "Create Date: X")
		want := createDate.ReplaceAllString(c.want, "Create Date: X")
		if got != want {
			t.Errorf("README shows under $ %s:\n%s\nthe command prints:\n%s", c.line, want, got)
		}
	}
}

// generatedIDs pairs the id of each revision file a command generated with
// the README's, for strings.NewReplacer.
func generatedIDs(got, want string) []string {
	re := regexp.MustCompile(`versions/([0-9a-f]{12})_`)
	g, w := re.FindAllStringSubmatch(got, -1), re.FindAllStringSubmatch(want, -1)
	var pairs []string
	for i := range min(len(g), len(w)) {
		pairs = append(pairs, g[i][1], w[i][1])
	}
	return pairs
}
