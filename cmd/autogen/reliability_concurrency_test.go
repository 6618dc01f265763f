package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// relStartAll starts n copies of the binary with the args of each, as close
// to the same moment as possible, and returns each one's exit code and
// stderr.
func relStartAll(t *testing.T, a *app, args func(i int) []string, n int) ([]int, []string) {
	t.Helper()
	codes, errs := make([]int, n), make([]string, n)
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			cmd := exec.Command(bin, args(i)...)
			cmd.Dir = a.dir
			var e bytes.Buffer
			cmd.Stderr = &e
			ready.Done()
			<-gate
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); ok {
				codes[i] = ee.ExitCode()
			} else if err != nil {
				codes[i] = -1
			}
			errs[i] = e.String()
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return codes, errs
}

// TestReliabilityConcurrentUpgrade runs 8 `autogen upgrade head` at once on
// one file whose revisions each log themselves: every revision runs exactly
// once and every process exits 0.
func TestReliabilityConcurrentUpgrade(t *testing.T) {
	const revs, procs = 5, 8
	for round := range 3 {
		a := relApp(t, nil)
		var want []string
		parent := []string(nil)
		for i := range revs {
			id := fmt.Sprintf("c0c0c0c0c0%02d", i)
			up := fmt.Sprintf("INSERT INTO applied (rev) VALUES ('%s');\nCREATE TABLE t%d (x INTEGER);\nINSERT INTO t%d VALUES (%d);", id, i, i, i)
			if i == 0 {
				up = "CREATE TABLE applied (n INTEGER PRIMARY KEY, rev TEXT NOT NULL);\n" + up
			}
			a.writeRevision(revisionFile{ID: id, Message: fmt.Sprintf("step %d", i), Parents: parent, Upgrade: up, Downgrade: fmt.Sprintf("DROP TABLE t%d;", i)})
			parent = []string{id}
			want = append(want, id)
		}
		codes, errs := relStartAll(t, a, func(int) []string { return []string{"upgrade", "head"} }, procs)
		for i, c := range codes {
			if c != 0 {
				t.Fatalf("round %d: process %d exited %d:\n%s", round, i, c, errs[i])
			}
		}
		// Each revision was run by exactly one process, in order.
		if got := a.rows("SELECT rev FROM applied ORDER BY n"); !slices.Equal(got, want) {
			t.Fatalf("round %d: revisions applied %v, want each once: %v", round, got, want)
		}
		ran := 0
		for _, e := range errs {
			ran += strings.Count(e, "Running upgrade")
		}
		if ran != revs {
			t.Errorf("round %d: the processes logged %d upgrades, want %d", round, ran, revs)
		}
		if got := a.rows("SELECT version_num FROM alembic_version"); !slices.Equal(got, want[revs-1:]) {
			t.Fatalf("round %d: version rows %v", round, got)
		}
		relFingerprint(t, filepath.Join(a.dir, "database.db"))
	}
}

// TestReliabilityConcurrentRevision runs 8 `autogen revision --empty` at once
// in one script directory, three times: every process exits 0 and writes its
// own file with its own id. Whether the new revisions end up as 8 heads
// (each process read the folder before the others wrote) or as a chain
// (revision serialised on a lock) is the CLI's choice; a process that reads
// the folder between two others' writes must not fail on "several heads".
func TestReliabilityConcurrentRevision(t *testing.T) {
	const procs = 8
	for round := range 3 {
		a := relApp(t, nil)
		codes, errs := relStartAll(t, a, func(i int) []string {
			return []string{"revision", "-m", fmt.Sprintf("msg%d", i), "--empty"}
		}, procs)
		for i, c := range codes {
			if c != 0 {
				t.Errorf("round %d: process %d exited %d:\n%s", round, i, c, errs[i])
			}
		}
		files := a.versions()
		ids := map[string]bool{}
		var msgs, parents []string
		for _, f := range files {
			body := readFile(t, f)
			id := revisionHeader(t, body, "Revision ID")
			if len(id) != 12 || strings.Trim(id, "0123456789abcdef") != "" {
				t.Errorf("%s: id %q is not 12 lowercase hex characters", f, id)
			}
			ids[id] = true
			msgs = append(msgs, strings.TrimPrefix(strings.SplitN(body, "\n", 2)[0], "-- "))
			if p := revisionHeader(t, body, "Revises"); p != "" {
				parents = append(parents, p)
			}
		}
		if len(files) != procs || len(ids) != procs {
			t.Errorf("round %d: %d files with %d distinct ids, want %d", round, len(files), len(ids), procs)
		}
		for _, p := range parents {
			if !ids[p] {
				t.Errorf("round %d: a revision revises %s, which none of the files is", round, p)
			}
		}
		sort.Strings(msgs)
		var want []string
		for i := range procs {
			want = append(want, fmt.Sprintf("msg%d", i))
		}
		if !slices.Equal(msgs, want) && len(files) == procs {
			t.Errorf("round %d: messages %v, want %v", round, msgs, want)
		}
		out, _ := a.ok("heads")
		if n := strings.Count(out, "\n"); n < 1 || n > len(files) {
			t.Errorf("round %d: heads lists %d heads for %d files:\n%s", round, n, len(files), out)
		}
	}
}
