package runner

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// helperEnv names the database a re-executed test binary upgrades.
const helperEnv = "RUNNER_TEST_UPGRADE_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(helperEnv); path != "" {
		os.Exit(helperUpgrade(path))
	}
	if path := os.Getenv(rebuildEnv); path != "" {
		os.Exit(helperRebuild(path, os.Getenv(rebuildDirEnv)))
	}
	if path := os.Getenv(readerEnv); path != "" {
		os.Exit(helperReader(path))
	}
	if dsn := os.Getenv(pgHelperEnv); dsn != "" {
		os.Exit(helperUpgradePG(dsn, os.Getenv(pgSlowEnv) != ""))
	}
	pgtest.Main(m)
}

func helperUpgrade(path string) int {
	g, _ := logGraph(6)
	db, err := OpenFile(context.Background(), path, FileOptions{})
	if err == nil {
		_, err = FromDir(db, g.dir()).Upgrade(context.Background(), "head")
		db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}

// logGraph is a chain of n revisions, each recording itself in applied so
// that a revision run twice shows as a second row.
func logGraph(n int) (graph, string) {
	g := graph{}
	var parents []string
	id := ""
	for i := range n {
		id = fmt.Sprintf("%012x", 0xabc000+i)
		up := fmt.Sprintf("INSERT INTO applied VALUES ('%s');\nCREATE TABLE t%d (x INTEGER);", id, i)
		if i == 0 {
			up = "CREATE TABLE applied (rev TEXT);\n" + up
		}
		g[id] = rev(id, fmt.Sprintf("step %d", i), parents, up, fmt.Sprintf("DROP TABLE t%d;", i))
		parents = []string{id}
	}
	return g, id
}

func checkAppliedOnce(t *testing.T, path string, n int) {
	t.Helper()
	db := rawDB(t, path)
	if got := count(t, db, "SELECT count(*) FROM applied"); got != n {
		t.Errorf("applied holds %d rows, want %d (one per revision)", got, n)
	}
	if got := count(t, db, "SELECT count(DISTINCT rev) FROM applied"); got != n {
		t.Errorf("applied holds %d distinct revisions, want %d", got, n)
	}
	_, head := logGraph(n)
	if got := count(t, db, "SELECT count(*) FROM alembic_version WHERE version_num = ?", head); got != 1 {
		t.Errorf("version table lacks the head %s", head)
	}
	if got := count(t, db, "SELECT count(*) FROM alembic_version"); got != 1 {
		t.Errorf("version table holds %d rows, want 1", got)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	g, head := logGraph(6)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			db, err := OpenFile(context.Background(), path, FileOptions{})
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = FromDir(db, g.dir()).Upgrade(context.Background(), head)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("runner %d: %v", i, err)
		}
	}
	checkAppliedOnce(t, path, 6)
}

func TestConcurrentProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	cmds := make([]*exec.Cmd, 8)
	outs := make([]*lockedBuffer, 8)
	for i := range cmds {
		outs[i] = &lockedBuffer{}
		cmds[i] = exec.Command(os.Args[0], "-test.run=^$")
		cmds[i].Env = append(os.Environ(), helperEnv+"="+path)
		cmds[i].Stdout, cmds[i].Stderr = outs[i], outs[i]
		if err := cmds[i].Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v: %s", i, err, outs[i].String())
		}
	}
	checkAppliedOnce(t, path, 6)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	return len(p), nil
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
