package postgres

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/config"
	"github.com/autogen-dev/autogen/internal/pgtest"
)

// A URL without a password connects with the one ~/.pgpass holds for the
// socket, through config's reading and Open; a wrong one is refused by the
// server, and the message shows no password.
func TestOpenWithPasswordFile(t *testing.T) {
	d := pgtest.New(t)
	role := d.PasswordRole(t, "app", `s3:cr\et`)
	ctx := context.Background()
	dir := t.TempDir()
	for _, tt := range []struct {
		line string
		ok   bool
	}{
		{d.Cluster.SocketDir + ":*:" + d.Name + ":" + role + `:s3\:cr\\et`, true},
		{"*:*:*:" + role + ":wrong", false},
	} {
		pass := filepath.Join(dir, "pgpass")
		if err := os.WriteFile(pass, []byte("# test\n"+tt.line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		u := "postgresql+psycopg2://" + role + "@/" + d.Name + "?host=" + d.Cluster.SocketDir + "&sslmode=disable"
		p, err := config.ParsePostgres(u)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Resolve(func(k string) string { return map[string]string{"PGPASSFILE": pass}[k] }); err != nil {
			t.Fatal(err)
		}
		db, err := Open(ctx, p.DSN())
		if tt.ok {
			if err != nil {
				t.Fatalf("%s: %v", tt.line, err)
			}
			var who string
			if err := db.QueryRowContext(ctx, "SELECT current_user").Scan(&who); err != nil || who != role {
				t.Fatalf("connected as %q (%v)", who, err)
			}
			db.Close()
			continue
		}
		if err == nil || !strings.Contains(err.Error(), "password authentication failed") || strings.Contains(err.Error(), "wrong") {
			t.Fatalf("wrong password: %v", err)
		}
	}
}

// Target builds on a dev database (dev_url) as on the live one, and the
// live database is not touched.
func TestTargetOnDevDatabase(t *testing.T) {
	live, dev := pgtest.New(t), pgtest.New(t)
	stmts := bunStatements(t)
	target, err := Target(context.Background(), dev.DB, stmts, TargetOptions{Schema: "public"})
	if err != nil {
		t.Fatal(err)
	}
	assertNoScratch(t, dev.DB)
	for _, s := range stmts {
		if _, err := live.DB.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if l := inspect(t, live.DB); l.String() != target.String() {
		t.Fatalf("dev target\n%s\nlive\n%s", target, l)
	}
}
