package runner

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// readerEnv names the database a re-executed test binary holds a read
// transaction on, from "ready" on stdout until its stdin closes.
const readerEnv = "RUNNER_TEST_READ_DB"

func helperReader(path string) int {
	db, err := sql.Open("sqlite", path)
	if err == nil {
		err = holdRead(db)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

func holdRead(db *sql.DB) error {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var n int
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil {
		return err
	}
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until the test closes stdin
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// startReader starts a process holding a read transaction on path; closing
// the returned pipe ends it.
func startReader(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), readerEnv+"="+path)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("reader: %q %v", line, err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			in.Close()
			if err := cmd.Wait(); err != nil {
				t.Errorf("reader: %v", err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// lockGraph's revision B writes a few MB in 12 statements with a cache of
// 20 pages: every statement must write pages out before COMMIT, which a
// reader's lock forbids.
func lockGraph() graph {
	var up strings.Builder
	up.WriteString("PRAGMA cache_size = 20;\n")
	for i := range 12 {
		fmt.Fprintf(&up, "INSERT INTO big (b) SELECT randomblob(1000) FROM big WHERE id <= 300; -- %d\n", i)
	}
	return newGraph(
		rev(idA, "big", nil, `CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 300)
INSERT INTO big (b) SELECT randomblob(1000) FROM s;`, "DROP TABLE big;"),
		rev(idB, "grow", []string{idA}, up.String(), "DELETE FROM big WHERE id > 300;"),
	)
}

// The busy timeout bounds a revision's whole wait for another process's
// lock. Before, SQLite waited the full timeout again at every statement
// that had to write pages out (12 here: 12 s more for a 1 s timeout),
// holding PENDING, which locks out new readers, and failed at COMMIT
// anyway. Statements now never wait, and BEGIN and COMMIT share the
// timeout. The run with the reader is compared with the same run without
// one, so that a slow machine (or -race) does not make the bound fragile:
// it may take 3 timeouts longer, a quarter of what one wait per statement
// took. Measured waits are in the report of issue 11.
func TestLockWaitBounded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := lockGraph()
	if _, err := open(t, path, g.dir()).Upgrade(ctx, idA); err != nil {
		t.Fatal(err)
	}
	before := dump(t, path)
	alone := filepath.Join(t.TempDir(), "alone.db")
	copyFile(t, path, alone)
	start := time.Now()
	if _, err := open(t, alone, g.dir(), WithBusyTimeout(time.Second)).Upgrade(ctx, idB); err != nil {
		t.Fatal(err)
	}
	work := time.Since(start)

	release := startReader(t, path)
	r := open(t, path, g.dir(), WithBusyTimeout(time.Second))
	start = time.Now()
	_, err := r.Upgrade(ctx, idB)
	took := time.Since(start)
	if err == nil {
		t.Fatal("upgrade succeeded while a reader held the file")
	}
	for _, w := range []string{path, "is locked by another connection: waited ", "for it in all (busy timeout 1s) and gave up; nothing was changed"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if took > work+3*time.Second {
		t.Errorf("upgrade gave up after %s, and takes %s with no reader; the busy timeout is 1s", took, work)
	}
	t.Logf("gave up after %s (%s with no reader): %v", took, work, err)
	release()
	if after := dump(t, path); after != before {
		t.Error("the database changed")
	}
	// A reader that leaves while the revision waits to commit is waited for.
	release = startReader(t, path)
	r = open(t, path, g.dir(), WithBusyTimeout(5*time.Second))
	time.AfterFunc(300*time.Millisecond, release)
	if _, err := r.Upgrade(ctx, idB); err != nil {
		t.Fatal(err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idB}) {
		t.Errorf("current = %v", got)
	}
}
