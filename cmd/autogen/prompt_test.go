package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// lockedBuffer collects a pseudo-terminal's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// tty is the binary running on a pseudo-terminal, with everything the
// terminal shows copied into out until the child exits (copied closes).
type tty struct {
	cmd    *exec.Cmd
	ptmx   *os.File
	out    lockedBuffer
	copied chan struct{}
}

// startTTY runs the binary with stdin, stdout and stderr on a
// pseudo-terminal; the terminal is closed when the test ends.
func startTTY(t *testing.T, a *app, args ...string) *tty {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), a.env...)
	ptmx, err := pty.Start(cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close() })
	tt := &tty{cmd: cmd, ptmx: ptmx, copied: make(chan struct{})}
	go func() {
		defer close(tt.copied)
		_, _ = io.Copy(&tt.out, ptmx) // ends with EIO when the child exits
	}()
	return tt
}

// waitPrompt waits until the terminal has shown n prompts.
func (tt *tty) waitPrompt(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for strings.Count(tt.out.String(), "[y/N] ") < n {
		select {
		case <-tt.copied:
			_ = tt.cmd.Wait()
			t.Fatalf("the command ended without asking; terminal shows:\n%s", tt.out.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = tt.cmd.Process.Kill()
			t.Fatalf("no prompt appeared; terminal shows:\n%s", tt.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runTTY runs the binary on a pseudo-terminal, answering each prompt that
// appears with the next of answers. It returns everything the terminal
// showed and the exit code.
func runTTY(t *testing.T, a *app, answers []string, args ...string) (string, int) {
	t.Helper()
	tt := startTTY(t, a, args...)
	for i, ans := range answers {
		tt.waitPrompt(t, i+1)
		if _, err := tt.ptmx.Write([]byte(ans + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	err := tt.cmd.Wait()
	<-tt.copied
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return tt.out.String(), code
}

const nickToNickname = "Name   string `bun:\"nickname,notnull\"`"

func TestRenamePromptOnTerminal(t *testing.T) {
	tests := []struct {
		answer string
		want   []string // in the upgrade section
		rows   []string // members' names after upgrade
	}{
		{"y", []string{`ALTER TABLE "members" RENAME COLUMN "name" TO "nickname";`}, []string{"ann", "bob", "cid", "bob"}},
		{"n", []string{`-- removed column 'members.name'`, `-- added column 'members.nickname'`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			t.Parallel()
			a := rvTutorial(t)
			a.write("models/models.go", rvModelsWith(t, rvMemberName, nickToNickname))
			screen, code := runTTY(t, a, []string{tt.answer}, "revision", "-m", "nick", "--rev-id", "0000000000aa", "--allow-failing")
			if code != 0 {
				t.Fatalf("exit %d; terminal:\n%s", code, screen)
			}
			if !strings.Contains(screen, "Did you rename members.name to members.nickname? [y/N] ") {
				t.Fatalf("no rename question on the terminal:\n%s", screen)
			}
			if strings.Count(screen, "[y/N]") != 1 {
				t.Errorf("asked more than once:\n%s", screen)
			}
			up := rvUpgradeSection(t, rvReadVersion(t, a, "0000000000aa"))
			for _, w := range tt.want {
				if !strings.Contains(up, w) {
					t.Errorf("upgrade section lacks %q:\n%s", w, up)
				}
			}
			if tt.rows == nil {
				return
			}
			a.ok("upgrade", "head")
			got := a.rows("SELECT nickname FROM members ORDER BY id")
			if strings.Join(got, ",") != strings.Join(tt.rows, ",") {
				t.Errorf("names after the rename: %v, want %v", got, tt.rows)
			}
		})
	}
}

// Without a terminal nothing is asked and nothing read: the drop and add
// stand, and the log names the flag that would have made a rename.
func TestRenameWithoutTerminal(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, "table:members", "table:people"))
	_, e := a.ok("revision", "-m", "moved", "--dry-run", "--allow-failing")
	if strings.Contains(e, "[y/N]") {
		t.Errorf("asked without a terminal:\n%s", e)
	}
	if !strings.Contains(e, "INFO  [autogen.compare] Possible rename: give --rename-table members=people ") {
		t.Errorf("no --rename-table hint:\n%s", e)
	}

	a.write("models/models.go", rvModelsWith(t, rvMemberName, nickToNickname))
	cmd := exec.Command(bin, "revision", "-m", "nick", "--rev-id", "0000000000bb", "--allow-failing")
	cmd.Dir = a.dir
	cmd.Env = os.Environ()
	// A "y" waiting on stdin must not be taken for an answer.
	cmd.Stdin = strings.NewReader("y\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("revision without a terminal: %v\n%s", err, stderr.String())
	}
	e = stderr.String()
	if strings.Contains(e, "[y/N]") {
		t.Errorf("asked without a terminal:\n%s", e)
	}
	if !strings.Contains(e, "INFO  [autogen.compare] Possible rename: give --rename members.name=nickname ") {
		t.Errorf("no --rename hint:\n%s", e)
	}
	up := rvUpgradeSection(t, rvReadVersion(t, a, "0000000000bb"))
	if strings.Contains(up, "RENAME COLUMN") || !strings.Contains(up, "-- removed column 'members.name'") {
		t.Errorf("want drop and add without a terminal:\n%s", up)
	}

	// The flag the hint names does make it a rename.
	for _, p := range a.versions() {
		if strings.Contains(p, "0000000000bb") {
			os.Remove(p)
		}
	}
	out, _ := a.ok("revision", "-m", "nick", "--dry-run", "--rename", "members.name=nickname")
	if !strings.Contains(out, `RENAME COLUMN "name" TO "nickname"`) {
		t.Errorf("the hinted flag does not rename:\n%s", out)
	}
}
