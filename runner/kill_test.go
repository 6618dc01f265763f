package runner

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	rebuildEnv    = "RUNNER_TEST_REBUILD_DB"
	rebuildDirEnv = "RUNNER_TEST_REBUILD_DIRECTION"
	idBig         = "b16b16b16b16"
	idRebuild     = "dededededede"
)

// rebuildGraph creates a table and then rebuilds it, copying every row and
// recreating its index, in both directions.
func rebuildGraph() graph {
	return newGraph(
		rev(idBig, "big", nil, `CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
CREATE INDEX big_v ON big (v);`, "DROP TABLE big;"),
		rev(idRebuild, "rebuild big", []string{idBig}, `
CREATE TABLE new_big (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT '', w INTEGER NOT NULL DEFAULT 7);
INSERT INTO new_big (id, v) SELECT id, coalesce(v, '') FROM big;
DROP TABLE big;
ALTER TABLE new_big RENAME TO big;
CREATE INDEX big_v ON big (v);
CREATE INDEX big_w ON big (w, v);`, `
CREATE TABLE new_big (id INTEGER PRIMARY KEY, v TEXT);
INSERT INTO new_big (id, v) SELECT id, v FROM big;
DROP TABLE big;
ALTER TABLE new_big RENAME TO big;
CREATE INDEX big_v ON big (v);`),
	)
}

func helperRebuild(path, direction string) int {
	db, err := OpenFile(context.Background(), path, FileOptions{})
	if err == nil {
		r := FromDir(db, rebuildGraph().dir())
		if direction == "down" {
			_, err = r.Downgrade(context.Background(), idBig)
		} else {
			_, err = r.Upgrade(context.Background(), idRebuild)
		}
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// fingerprint sums up the schema, the version rows and every row of big.
func fingerprint(t *testing.T, path string) string {
	t.Helper()
	db := rawDB(t, path)
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	var b strings.Builder
	rows, err := db.Query("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		b.WriteString(s + "\n")
	}
	rows.Close()
	b.WriteString(dumpRows(t, db, "alembic_version"))
	var n, sum int64
	var text string
	if err := db.QueryRow("SELECT count(*), sum(id), group_concat(v, '') FROM (SELECT id, v FROM big ORDER BY id)").Scan(&n, &sum, &text); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "big: %d rows, ids %d, text %d bytes\n", n, sum, len(text))
	return b.String()
}

var killRows = flag.Int("killrows", 20_000, "rows in the table TestKilledMidRevision rebuilds (the issue's full size is 1000000)")

// TestKilledMidRevision kills a process at several moments of a revision
// that rebuilds a table of many rows: after each kill the database is intact
// and exactly at the old or the new revision, and a second run finishes.
func TestKilledMidRevision(t *testing.T) {
	rowsN := *killRows
	dir := t.TempDir()
	low := filepath.Join(dir, "low.db")
	r := open(t, low, rebuildGraph().dir())
	if _, err := r.Upgrade(context.Background(), idBig); err != nil {
		t.Fatal(err)
	}
	r.db.Close()
	mustExec(t, rawDB(t, low), fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
INSERT INTO big (v) SELECT hex(randomblob(16)) FROM n`, rowsN))
	high := filepath.Join(dir, "high.db")
	copyFile(t, low, high)
	if err := runHelper(high, "up").Run(); err != nil {
		t.Fatal(err)
	}
	// A downgrade's rebuild leaves the same rows but SQLite's own text for
	// the renamed table, so its end state is measured, not assumed.
	downed := filepath.Join(dir, "downed.db")
	copyFile(t, high, downed)
	if err := runHelper(downed, "down").Run(); err != nil {
		t.Fatal(err)
	}
	states := map[string][2]string{
		"up":   {fingerprint(t, low), fingerprint(t, high)},
		"down": {fingerprint(t, high), fingerprint(t, downed)},
	}
	for _, c := range []struct{ dir, from string }{{"up", low}, {"down", high}} {
		want := states[c.dir]
		interrupted := 0
		for _, delay := range []time.Duration{0, 20, 50, 100, 150, 250, 400, 800} {
			path := filepath.Join(t.TempDir(), "app.db")
			copyFile(t, c.from, path)
			cmd := runHelper(path, c.dir)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay * time.Millisecond)
			cmd.Process.Kill()
			cmd.Wait()
			if fi, err := os.Stat(path + "-journal"); err == nil && fi.Size() > 0 {
				interrupted++
			}
			got := fingerprint(t, path)
			if got != want[0] && got != want[1] {
				t.Fatalf("%s killed after %dms: the database is neither before nor after the revision:\n%s", c.dir, delay, got)
			}
			if out, err := runHelper(path, c.dir).CombinedOutput(); err != nil {
				t.Fatalf("%s re-run after a kill at %dms: %v\n%s", c.dir, delay, err, out)
			}
			if got := fingerprint(t, path); got != want[1] {
				t.Fatalf("%s re-run after a kill at %dms did not finish:\n%s", c.dir, delay, got)
			}
		}
		t.Logf("%s: %d of 8 kills interrupted a transaction (hot journal left)", c.dir, interrupted)
	}
}

func runHelper(path, direction string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), rebuildEnv+"="+path, rebuildDirEnv+"="+direction)
	return cmd
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
