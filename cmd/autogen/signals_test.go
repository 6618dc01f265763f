//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitExit waits up to d for cmd to end and returns its wait status; it
// kills the process and fails the test when it does not end in time.
func waitExit(t *testing.T, cmd *exec.Cmd, done <-chan error, d time.Duration) syscall.WaitStatus {
	t.Helper()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return cmd.ProcessState.Sys().(syscall.WaitStatus)
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the process did not end within %s of the signal", d)
		return 0
	}
}

// A signal at the rename question ends the command at once: the answer is
// no, nothing is written, and the message says "interrupted".
func TestRenamePromptInterrupted(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			a := rvTutorial(t)
			a.write("models/models.go", rvModelsWith(t, rvMemberName, nickToNickname))
			before := a.versions()
			tty := startTTY(t, a, "revision", "-m", "nick", "--allow-failing")
			tty.waitPrompt(t, 1)
			done := make(chan error, 1)
			go func() { done <- tty.cmd.Wait() }()
			if err := tty.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			ws := waitExit(t, tty.cmd, done, 10*time.Second)
			<-tty.copied
			screen := tty.out.String()
			if ws.ExitStatus() != 2 {
				t.Errorf("exit status %v, want 2; terminal:\n%s", ws, screen)
			}
			if !strings.Contains(screen, "FAILED: interrupted") || strings.Contains(screen, "context canceled") {
				t.Errorf("terminal should say interrupted, not context canceled:\n%s", screen)
			}
			if after := a.versions(); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Errorf("revision files changed from %v to %v", before, after)
			}
		})
	}
}

// The first signal cancels the context with cause errInterrupted; a
// second one kills the process the default way. The test binary runs
// itself as the child that holds the context.
func TestSecondSignalKills(t *testing.T) {
	if os.Getenv("AUTOGEN_SIGNAL_CHILD") == "1" {
		ctx, stop := interruptContext()
		defer stop()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		if context.Cause(ctx) == errInterrupted {
			os.Stdout.WriteString("interrupted\n")
		}
		select {} // only the second signal ends this
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSecondSignalKills$")
	cmd.Env = append(os.Environ(), "AUTOGEN_SIGNAL_CHILD=1")
	var stdout lockedBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	waitFor := func(s string) {
		for deadline := time.Now().Add(time.Minute); !strings.Contains(stdout.String(), s); {
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("the child never said %q; it said %q", s, stdout.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("ready")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitFor("interrupted")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ws := waitExit(t, cmd, done, 5*time.Second)
	if !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("after a second SIGTERM the process should die of it, got %v", ws)
	}
}

// SIGINT during a long statement rolls the revision back and says so with
// "interrupted", never Go's "context canceled".
func TestUpgradeInterrupted(t *testing.T) {
	a := relApp(t, nil)
	a.writeRevision(revisionFile{ID: "a1a1a1a1a1a1", Message: "first", Upgrade: "CREATE TABLE t1 (id INTEGER PRIMARY KEY);", Downgrade: "DROP TABLE t1;"})
	a.writeRevision(revisionFile{ID: "b2b2b2b2b2b2", Message: "slow", Parents: []string{"a1a1a1a1a1a1"}, Upgrade: "CREATE TABLE t2 (id INTEGER PRIMARY KEY);\nCREATE TABLE slow AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 2000000000) SELECT count(*) AS n FROM s;", Downgrade: "DROP TABLE slow;\nDROP TABLE t2;"})
	a.ok("upgrade", "a1a1a1a1a1a1")
	cmd := exec.Command(bin, "upgrade", "head")
	cmd.Dir = a.dir
	cmd.Env = append(os.Environ(), a.env...)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stderr.String(), "Running upgrade a1a1a1a1a1a1 -> b2b2b2b2b2b2"); {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the upgrade did not start; stderr:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	ws := waitExit(t, cmd, done, 10*time.Second)
	e := stderr.String()
	if ws.ExitStatus() != 2 {
		t.Errorf("exit status %v, want 2; stderr:\n%s", ws, e)
	}
	if !strings.Contains(e, "interrupted; rolled back, database") || !strings.Contains(e, "is still at a1a1a1a1a1a1") ||
		strings.Contains(e, "context canceled") || strings.Contains(e, "(9)") {
		t.Errorf("stderr should say interrupted and rolled back:\n%s", e)
	}
	t.Logf("stderr:\n%s", e)
	if rows := a.rows("SELECT count(*) FROM sqlite_master WHERE name IN ('t2', 'slow')"); rows[0] != "0" {
		t.Errorf("the interrupted revision left tables behind: %v", rows)
	}
}
