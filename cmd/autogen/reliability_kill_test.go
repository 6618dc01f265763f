//go:build unix

package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var relKillRows = flag.Int("killrows", 100_000, "rows in the table TestReliabilityKill rebuilds (the issue's full size is 1000000)")

const (
	relIDBig     = "a1a1a1a1a1a1"
	relIDRebuild = "b2b2b2b2b2b2"
)

// The rebuild revision, statement by statement, so that the test can time
// each phase of it.
var (
	relRebuildUp = []string{
		"CREATE TABLE new_big (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT '', n INTEGER, w INTEGER NOT NULL DEFAULT 7);",
		"INSERT INTO new_big (id, v, n) SELECT id, coalesce(v, ''), n FROM big;",
		"DROP TABLE big;",
		"ALTER TABLE new_big RENAME TO big;",
		"CREATE INDEX big_v ON big (v);",
		"CREATE INDEX big_nw ON big (n, w);",
	}
	relRebuildDown = []string{
		"CREATE TABLE new_big (id INTEGER PRIMARY KEY, v TEXT, n INTEGER);",
		"INSERT INTO new_big (id, v, n) SELECT id, v, n FROM big;",
		"DROP TABLE big;",
		"ALTER TABLE new_big RENAME TO big;",
		"CREATE INDEX big_v ON big (v);",
		"CREATE INDEX big_n ON big (n);",
	}
)

// relKillApp is a module whose script directory creates big (two indexes)
// and then rebuilds it, with big holding rows at the first revision.
func relKillApp(t *testing.T, rows int) *app {
	a := relApp(t, nil)
	a.writeRevision(revisionFile{ID: relIDBig, Message: "big table", Upgrade: "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT, n INTEGER);\nCREATE INDEX big_v ON big (v);\nCREATE INDEX big_n ON big (n);", Downgrade: "DROP TABLE big;"})
	a.writeRevision(revisionFile{ID: relIDRebuild, Message: "rebuild big", Parents: []string{relIDBig}, Upgrade: strings.Join(relRebuildUp, "\n"), Downgrade: strings.Join(relRebuildDown, "\n")})
	a.ok("upgrade", relIDBig)
	a.exec(fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)
INSERT INTO big (v, n) SELECT hex(randomblob(16)), abs(random()) %% 1000 FROM s`, rows))
	return a
}

// relPhases times the statements of a revision run in one transaction on a
// copy of the database, as the runner runs them.
func relPhases(t *testing.T, path string, stmts []string) []time.Duration {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "phases.db")
	relCopy(t, path, tmp)
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var out []time.Duration
	for _, s := range stmts {
		start := time.Now()
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		out = append(out, time.Since(start))
	}
	start := time.Now()
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	return append(out, time.Since(start))
}

// relKillPoint is a moment, after the process starts, to SIGKILL it.
type relKillPoint struct {
	name  string
	delay time.Duration
}

// relKillPoints places kills in each phase of a run measured to take total,
// of which startup (measured as a run of `autogen current`) comes before the
// transaction; the statements' times (create, copy, drop, rename, index,
// index, commit) measured in-process are scaled to fill the rest.
func relKillPoints(total, startup time.Duration, phases []time.Duration) []relKillPoint {
	var sum time.Duration
	for _, p := range phases {
		sum += p
	}
	tx := max(total-startup, total/2)
	startup = total - tx
	scaled := make([]time.Duration, len(phases))
	for i, p := range phases {
		scaled[i] = time.Duration(float64(p) * float64(tx) / float64(sum))
	}
	phases = scaled
	at := func(i int) time.Duration { // start of phase i
		d := startup
		for _, p := range phases[:i] {
			d += p
		}
		return d
	}
	return []relKillPoint{
		{"immediately", 0},
		{"early, during start-up", startup / 2},
		{"creating the new table", at(0) + phases[0]/2},
		{"during the copy (1/4)", at(1) + phases[1]/4},
		{"during the copy (3/4)", at(1) + phases[1]*3/4},
		{"after the copy (drop)", at(2) + phases[2]/2},
		{"after the copy (rename)", at(3) + phases[3]/2},
		{"during the first index", at(4) + phases[4]/2},
		{"during the second index", at(5) + phases[5]/2},
		{"at commit", at(6) + phases[6]/2},
		{"at 90% of the run", total * 9 / 10},
		{"well after the run", total * 2},
	}
}

// TestReliabilityKill SIGKILLs `autogen upgrade head` and `autogen downgrade`
// at several moments of a revision that rebuilds a table of many rows and
// recreates two indexes. After each kill the database passes
// integrity_check and is exactly at the old or exactly at the new revision
// (schema, every row, version row), and a second run finishes the job.
func TestReliabilityKill(t *testing.T) {
	rows := *relKillRows
	a := relKillApp(t, rows)
	db := filepath.Join(a.dir, "database.db")
	store := t.TempDir()
	low := filepath.Join(store, "low.db")
	relCopy(t, db, low)

	// Measure both directions whole, keeping their end states.
	timeRun := func(args ...string) time.Duration {
		start := time.Now()
		a.ok(args...)
		return time.Since(start)
	}
	startup := timeRun("current")
	upTotal := timeRun("upgrade", "head")
	high := filepath.Join(store, "high.db")
	relCopy(t, db, high)
	downTotal := timeRun("downgrade", relIDBig)
	downed := filepath.Join(store, "downed.db")
	relCopy(t, db, downed)
	fLow, fHigh, fDowned := relFingerprint(t, low), relFingerprint(t, high), relFingerprint(t, downed)
	if fLow == fHigh || !strings.Contains(fHigh, "big_nw") || !strings.Contains(fHigh, relIDRebuild) {
		t.Fatalf("the rebuild did not change the database as written:\n%s", fHigh)
	}
	if want := fmt.Sprintf("table big: %d rows", rows); !strings.Contains(fHigh, want) || !strings.Contains(fDowned, want) {
		t.Fatalf("rows lost by a full run:\nafter upgrade:\n%s\nafter downgrade:\n%s", fHigh, fDowned)
	}

	cases := []struct {
		dir         string
		from        string
		before      string
		after       string
		args        []string
		total       time.Duration
		phases      []time.Duration
		wantVersion string
	}{
		{"upgrade", low, fLow, fHigh, []string{"upgrade", "head"}, upTotal, relPhases(t, low, relRebuildUp), relIDRebuild},
		{"downgrade", high, fHigh, fDowned, []string{"downgrade", relIDBig}, downTotal, relPhases(t, high, relRebuildDown), relIDBig},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			t.Logf("%d rows: a full %s took %s, start-up %s; statements in-process %v", rows, c.dir, c.total.Round(time.Millisecond), startup.Round(time.Millisecond), c.phases)
			killed, hot := 0, 0
			for _, p := range relKillPoints(c.total, startup, c.phases) {
				relCopy(t, c.from, db)
				os.Remove(db + "-journal")
				cmd := exec.Command(bin, c.args...)
				cmd.Dir = a.dir
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(p.delay)
				cmd.Process.Signal(syscall.SIGKILL)
				err := cmd.Wait()
				outcome := "had finished"
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
						outcome = "killed"
						killed++
					} else {
						t.Fatalf("%s %s: exit %v before the kill:\n%s", c.dir, p.name, err, stderr.String())
					}
				}
				if fi, err := os.Stat(db + "-journal"); err == nil && fi.Size() > 0 {
					outcome += ", hot journal left"
					hot++
				}
				// The first command after a crash may be a reading one: it
				// must see the old or the new revision, not fail on the
				// journal the kill left.
				if out, e, code := a.run("current"); code != 0 || !strings.Contains(out, relIDBig) && !strings.Contains(out, relIDRebuild) {
					t.Errorf("%s killed %s (%s): current then exits %d, %q\n%s", c.dir, p.name, outcome, code, out, e)
				}
				got := relFingerprint(t, db)
				state := "before"
				switch got {
				case c.before:
				case c.after:
					state = "after"
				default:
					t.Fatalf("%s killed %s (%s): the database is neither before nor after the revision:\n%s\nbefore:\n%s\nafter:\n%s",
						c.dir, p.name, p.delay, got, c.before, c.after)
				}
				t.Logf("kill %-26s at %8s: %s; database %s the revision", p.name, p.delay.Round(time.Millisecond), outcome, state)
				a.ok(c.args...)
				if got := relFingerprint(t, db); got != c.after {
					t.Fatalf("%s re-run after a kill %s did not reach the end state:\n%s", c.dir, p.name, got)
				}
				if v := versionRows(t, db); len(v) != 1 || v[0] != c.wantVersion {
					t.Fatalf("%s re-run after a kill %s: version rows %v", c.dir, p.name, v)
				}
			}
			// Timing on a busy machine moves the kills, but some must land
			// inside the transaction or the test proved nothing.
			if killed < 3 || hot < 1 {
				t.Errorf("%s: only %d kills hit a running process and %d interrupted the transaction; the kill points missed the revision", c.dir, killed, hot)
			}
		})
	}
}
