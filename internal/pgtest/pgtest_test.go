package pgtest

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// Each test gets its own empty database on the private cluster, reachable
// through its URL with the psql client as a user would.
func TestNewDatabasesAreSeparate(t *testing.T) {
	ctx := context.Background()
	a, b := New(t), New(t)
	if a.Name == b.Name {
		t.Fatalf("two tests share database %s", a.Name)
	}
	if _, err := a.DB.ExecContext(ctx, `CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_class WHERE relname = 't'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("second database sees the first's table: n=%d err=%v", n, err)
	}
	var dir string
	if err := a.DB.QueryRowContext(ctx, `SELECT current_setting('unix_socket_directories') || ' ' || current_setting('listen_addresses') || '|' || current_setting('fsync')`).Scan(&dir); err != nil {
		t.Fatal(err)
	}
	if want := a.Cluster.SocketDir + " |off"; dir != want {
		t.Fatalf("server settings %q, want %q (socket only, fsync off)", dir, want)
	}
	psql, err := exec.LookPath("psql")
	if err != nil {
		psql = a.Cluster.BinDir + "/psql"
	}
	out, err := exec.Command(psql, "-X", "-A", "-t", "-d", a.URL, "-c", "SELECT sum(id) FROM t").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "3" {
		t.Fatalf("psql %s: %v\n%s", a.URL, err, out)
	}
	t.Logf("cluster started in %v (initdb %v)", a.Cluster.Startup, a.Cluster.Initdb)
}

// BenchmarkNew measures creating (and dropping) one test database.
func BenchmarkNew(b *testing.B) {
	New(b) // start the cluster outside the timing
	b.ResetTimer()
	for range b.N {
		b.Run("db", func(b *testing.B) { New(b) })
	}
}
