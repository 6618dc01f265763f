package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/autogen-dev/autogen/runner"
)

func TestProgressLine(t *testing.T) {
	step := runner.Step{Revision: "3f2a9c1b7d4e", Direction: runner.Up}
	for _, tc := range []struct {
		name    string
		p       runner.Progress
		elapsed time.Duration
		want    string
	}{
		{"index build", runner.Progress{Step: step, Statement: "CREATE INDEX \"members_name\"\n  ON \"members\" (\"name\")", Index: 3, Count: 12}, 2500 * time.Millisecond,
			`Running upgrade 3f2a9c1b7d4e, statement 3 of 12 (CREATE INDEX "members_name" ON "members"...) 2s`},
		{"downgrade", runner.Progress{Step: runner.Step{Revision: "8b1c0d2e4f6a", Direction: runner.Down}, Statement: "DROP TABLE t", Index: 1, Count: 1}, 61 * time.Second,
			`Running downgrade 8b1c0d2e4f6a, statement 1 of 1 (DROP TABLE t) 61s`},
		{"terminal escapes in a name", runner.Progress{Step: step, Statement: "DROP TABLE \"\x1b[2Jx\u202e\"", Index: 1, Count: 2}, time.Second,
			`Running upgrade 3f2a9c1b7d4e, statement 1 of 2 (DROP TABLE "\x1b[2Jx\u202e") 1s`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := progressLine(tc.p, tc.elapsed); got != tc.want {
				t.Errorf("progressLine = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSpinner: a statement that ends before the delay draws nothing; one
// that runs longer shows its revision, statement and seconds until it ends,
// and its line is cleared before report returns, so nothing is written
// after.
func TestSpinner(t *testing.T) {
	var out lockedBuffer
	s := &spinner{w: &out, delay: 50 * time.Millisecond}
	step := runner.Step{Revision: "3f2a9c1b7d4e", Direction: runner.Up}
	quick := runner.Progress{Event: runner.StatementStart, Step: step, Statement: "SELECT 1", Index: 1, Count: 2}
	s.report(quick)
	quick.Event = runner.StatementEnd
	s.report(quick)
	time.Sleep(100 * time.Millisecond)
	if out.String() != "" {
		t.Fatalf("a quick statement drew %q", out.String())
	}

	long := runner.Progress{Event: runner.StatementStart, Step: step, Statement: "CREATE INDEX i ON t (x)", Index: 2, Count: 2}
	s.report(long)
	time.Sleep(1300 * time.Millisecond)
	drawn := out.String()
	for _, want := range []string{"Running upgrade 3f2a9c1b7d4e, statement 2 of 2 (CREATE INDEX i ON t (x)) 1s"} {
		if !strings.Contains(drawn, want) {
			t.Errorf("the spinner drew %q, want %q in it", drawn, want)
		}
	}
	s.report(runner.Progress{Event: runner.RevisionEnd, Step: step})
	cleared := out.String()
	if !strings.HasSuffix(cleared, "\r") || len(cleared) <= len(drawn) {
		t.Errorf("after the revision the line was not cleared: %q", cleared[len(drawn):])
	}
	time.Sleep(300 * time.Millisecond)
	if out.String() != cleared {
		t.Errorf("the spinner wrote after it ended: %q", out.String()[len(cleared):])
	}
}

// TestProgressOnTerminal: the spinner is drawn only on a terminal, never
// into a pipe, a file or a buffer.
func TestProgressOnTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if len(progressOption(tty)) != 1 {
		t.Error("no progress on a terminal")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"file": f, "pipe": w, "buffer": &bytes.Buffer{}} {
		if opts := progressOption(out); len(opts) != 0 {
			t.Errorf("progress drawn into a %s", name)
		}
	}
}
