package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/autogen-dev/autogen/script"
)

// revisionText is a revision file as autogen writes it.
func revisionText(r *script.Revision) string {
	return fmt.Sprintf("-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-11-25 09:41:07.512344\n\n-- +autogen upgrade\n%s\n\n-- +autogen downgrade\n%s\n",
		r.Message, r.ID, strings.Join(r.Parents, ", "), r.Upgrade, r.Downgrade)
}

// mapFS is a script directory in memory holding revs, as an embed.FS would.
func mapFS(revs ...*script.Revision) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, r := range revs {
		fsys["versions/"+r.ID+"_rev.sql"] = &fstest.MapFile{Data: []byte(revisionText(r))}
	}
	return fsys
}

// TestNewFromFS loads revisions from a file system: files are named by
// their path in it, and what is not a versions/*.sql file (the Go file
// that embeds the folder, notes) is ignored.
func TestNewFromFS(t *testing.T) {
	ctx := context.Background()
	fsys := mapFS(appRevisions()...)
	fsys["embed.go"] = &fstest.MapFile{Data: []byte("package migrations\n")}
	fsys["versions/README"] = &fstest.MapFile{Data: []byte("not a revision")}
	fsys["versions/notes.go"] = &fstest.MapFile{Data: []byte("package versions\n")}
	path := filepath.Join(t.TempDir(), "app.db")
	db := rawDB(t, path)
	r, err := New(db, fsys)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := r.Upgrade(ctx, "head")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, s := range steps {
		files = append(files, s.File)
	}
	if want := []string{"versions/" + idA + "_rev.sql", "versions/" + idB + "_rev.sql", "versions/" + idC + "_rev.sql"}; !slices.Equal(files, want) {
		t.Errorf("files = %v, want %v", files, want)
	}

	// A broken file is named by its path in the file system.
	fsys["versions/zz_bad.sql"] = &fstest.MapFile{Data: []byte("-- no header\nCREATE TABLE x (a);\n")}
	if _, err := New(db, fsys); err == nil || !strings.Contains(err.Error(), "versions/zz_bad.sql") {
		t.Errorf("New with a broken revision: %v", err)
	}
	if _, err := New(db, fstest.MapFS{"embed.go": {}}); !errors.Is(err, script.ErrNoVersions) {
		t.Errorf("New without versions/: %v", err)
	}
}

// TestConnectionRestored: a run on a caller's pool leaves the connection
// with the settings it had (the app's foreign_keys and busy_timeout), after
// a revision that succeeds and after one that fails.
func TestConnectionRestored(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(1234)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // every statement below runs on the connection the runner used
	settings := func() string {
		var out []string
		for _, p := range sessionPragmas {
			out = append(out, fmt.Sprintf("%s=%d", p, count(t, db, "PRAGMA "+p)))
		}
		return strings.Join(out, " ")
	}
	want := settings()
	if !strings.HasPrefix(want, "busy_timeout=1234 threads=0 cache_spill=483 foreign_keys=1 legacy_alter_table=0 ignore_check_constraints=0") {
		t.Fatalf("the test's connection starts with %s", want)
	}
	g := appGraph()
	r := FromDir(db, g.dir())
	if _, err := r.Upgrade(ctx, idB); err != nil {
		t.Fatal(err)
	}
	if got := settings(); got != want {
		t.Errorf("after an upgrade the connection has %s, want %s", got, want)
	}
	g[idC].Upgrade = "CREATE TABLE extra (a INTEGER);\nINSERT INTO nowhere VALUES (1);"
	if _, err := r.Upgrade(ctx, "head"); err == nil {
		t.Fatal("a failing revision succeeded")
	}
	if got := settings(); got != want {
		t.Errorf("after a failed upgrade the connection has %s, want %s", got, want)
	}
	// The connection is usable and outside any transaction: this insert
	// commits on its own, with the app's foreign keys enforced.
	mustExec(t, db, "INSERT INTO members (name, team_id) VALUES ('ann', 1)")
	if _, err := db.Exec("INSERT INTO members (name, team_id) VALUES ('bob', 99)"); err == nil {
		t.Error("foreign keys are not enforced on the app's connection after the run")
	}
	if n := count(t, rawDB(t, path), "SELECT count(*) FROM members"); n != 1 {
		t.Errorf("%d members committed, want 1", n)
	}
}

// TestConcurrentRunnersOneDB: runners sharing one application pool, each
// run on a connection of its own, apply each revision once.
func TestConcurrentRunnersOneDB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "app.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	g, head := logGraph(6)
	var wg sync.WaitGroup
	ran := make([][]Step, 4)
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			ran[i], errs[i] = FromDir(db, g.dir()).Upgrade(context.Background(), head)
		})
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("runner %d: %v", i, err)
		}
		total += len(ran[i])
	}
	if total != 6 {
		t.Errorf("the runners report %d steps between them, want 6", total)
	}
	checkAppliedOnce(t, path, 6)
}

// TestPlanAndDirection: Plan lists what would run and runs none; a target
// on the wrong side of the database is refused before anything runs; a
// failing run returns the steps committed before the failure.
func TestPlanAndDirection(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	g := appGraph()
	r := open(t, path, g.dir())
	steps, err := r.Plan(ctx, "head", Up)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 3 || steps[0].Revision != idA || steps[0].Duration != 0 {
		t.Errorf("plan = %+v", steps)
	}
	if got := current(t, r); len(got) != 0 {
		t.Fatalf("Plan changed the version rows: %v", got)
	}
	if _, err := r.Upgrade(ctx, idB); err != nil {
		t.Fatal(err)
	}
	before := dump(t, path)
	// As Alembic: an upgrade to a revision the database is past does
	// nothing; a relative one that would go down is a mistake.
	if steps, err := r.Upgrade(ctx, idA); err != nil || len(steps) != 0 {
		t.Errorf("upgrade to a revision below the database: %v %v", steps, err)
	}
	if _, err := r.Upgrade(ctx, "-1"); !errors.Is(err, script.ErrWrongDirection) {
		t.Errorf("upgrade -1: %v", err)
	}
	if _, err := r.Downgrade(ctx, idC); !errors.Is(err, script.ErrWrongDirection) {
		t.Errorf("downgrade to a revision above the database: %v", err)
	}
	if _, err := r.Downgrade(ctx, "nosuchrev"); err == nil || !strings.Contains(err.Error(), "nosuchrev") {
		t.Errorf("unknown revision: %v", err)
	}
	if after := dump(t, path); after != before {
		t.Error("refused runs changed the database")
	}
	if _, err := r.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	g[idC].Upgrade = "SELEC 1;"
	steps, err = r.Upgrade(ctx, "head")
	if err == nil || len(steps) != 2 || steps[1].Revision != idB {
		t.Errorf("a run failing at the third revision: steps %+v, error %v", steps, err)
	}
	if got := current(t, r); !slices.Equal(got, []string{idB}) {
		t.Errorf("current = %v", got)
	}
}

func TestLogger(t *testing.T) {
	var buf strings.Builder
	l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}}))
	r := open(t, filepath.Join(t.TempDir(), "app.db"), appGraph().dir(), WithLogger(l))
	if _, err := r.Upgrade(context.Background(), idB); err != nil {
		t.Fatal(err)
	}
	want := `level=INFO msg=migrated revision=1a2b3c4d5e6f direction=upgrade message="Initial Tables" file=versions/1a2b3c4d5e6f.sql
level=INFO msg=migrated revision=3c4d5e6f7a8b direction=upgrade message="Column age added to Member" file=versions/3c4d5e6f7a8b.sql
`
	if buf.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", buf.String(), want)
	}
}
