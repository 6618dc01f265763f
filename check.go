package autogen

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

// CheckMigrations reports how the models differ from the schema that
// replaying every revision of scripts (a file system holding versions/,
// such as an embed.FS sub-tree or os.DirFS) from base gives on an empty
// in-memory database. The models are linked into the caller, each a
// pointer to a model struct such as (*models.Team)(nil): no go command and
// no autogen binary are needed, so a test in the application's module can
// fail the build when a model changed without a revision. Each Diff's
// String names the table and column.
func CheckMigrations(ctx context.Context, scripts fs.FS, models ...any) ([]Diff, error) {
	m, err := RecordModels(ctx, models...)
	if err != nil {
		return nil, err
	}
	d, err := script.LoadFS(scripts)
	if err != nil {
		return nil, err
	}
	db, err := Replay(ctx, d, runner.DefaultVersionTable)
	if err != nil {
		return nil, fmt.Errorf("replaying the revisions: %w", err)
	}
	defer db.Close()
	c, err := Compare(ctx, m, db, Options{Name: "the replayed revisions"})
	if err != nil {
		return nil, err
	}
	return c.Diffs(), nil
}

// CheckMigrationsPostgres is CheckMigrations on PostgreSQL: the models
// are recorded with bun's pgdialect, and the revisions are replayed from
// base on a scratch database made on the server dsn names (a URL or
// keyword/value string as libpq and pgx read them, for a role allowed to
// CREATE DATABASE) and dropped before it returns; the models' schema is
// built in a scratch schema there, rolled back. dsn's own database is
// only connected to, never changed.
func CheckMigrationsPostgres(ctx context.Context, dsn string, scripts fs.FS, models ...any) (diffs []Diff, err error) {
	m, err := RecordPostgresModels(ctx, models...)
	if err != nil {
		return nil, err
	}
	d, err := script.LoadFS(scripts)
	if err != nil {
		return nil, err
	}
	server, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer server.Close()
	open := func(ctx context.Context, database string) (*sql.DB, error) {
		return postgres.OpenDatabase(ctx, dsn, database)
	}
	db, drop, err := ReplayPostgres(ctx, d, runner.DefaultVersionTable, server, open)
	if drop != nil {
		defer func() {
			if derr := drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
				err = fmt.Errorf("dropping the scratch database: %w", derr)
			}
		}()
	}
	if err != nil {
		return nil, fmt.Errorf("replaying the revisions: %w", err)
	}
	c, err := Compare(ctx, m, db, Options{Name: "the replayed revisions"})
	if err != nil {
		return nil, err
	}
	return c.Diffs(), nil
}

// Replay applies every revision of d from base to its heads on an empty
// in-memory database and returns that database, for Compare: what the
// revisions build. The caller closes it.
func Replay(ctx context.Context, d *script.Dir, versionTable string) (*sql.DB, error) {
	return cachedReplay(ctx, targetCacheDir(), d, versionTable, replay)
}

// replay is Replay without the cache.
func replay(ctx context.Context, d *script.Dir, versionTable string) (*sql.DB, error) {
	db, err := sqlite{}.scratch(ctx)
	if err != nil {
		return nil, err
	}
	// Small pages keep the image cachedReplay stores small: most tables
	// of a replay are empty, one root page each.
	if _, err := db.ExecContext(ctx, "PRAGMA page_size = 1024"); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := runner.FromDir(db, d, runner.WithVersionTable(versionTable)).Upgrade(ctx, "heads"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// ReplayPostgres is Replay on PostgreSQL: it creates an empty scratch
// database through server (CREATE DATABASE, which the role must be
// allowed), connects to it with open, and applies every revision of d
// there with the runner, as upgrade would. drop closes the database and
// drops it; the caller calls it whatever happened after. No object of
// server's own database is touched.
func ReplayPostgres(ctx context.Context, d *script.Dir, versionTable string, server *sql.DB,
	open func(ctx context.Context, database string) (*sql.DB, error)) (db *sql.DB, drop func(context.Context) error, err error) {
	var random [6]byte
	if _, err := rand.Read(random[:]); err != nil {
		return nil, nil, err
	}
	name := "autogen_replay_" + hex.EncodeToString(random[:])
	if _, err := server.ExecContext(ctx, "CREATE DATABASE "+name+" TEMPLATE template0"); err != nil {
		return nil, nil, fmt.Errorf("cannot create a scratch database to replay the revisions on (%w); grant the role CREATEDB, or set dev_url to a server where it may", err)
	}
	drop = func(ctx context.Context) error {
		if db != nil {
			db.Close()
		}
		_, err := server.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	if db, err = open(ctx, name); err != nil {
		return nil, drop, err
	}
	if _, err := runner.FromDir(db, d, runner.WithVersionTable(versionTable)).Upgrade(ctx, "heads"); err != nil {
		return nil, drop, err
	}
	return db, drop, nil
}

// ReplayFrom copies db into a scratch database file and applies to the copy
// every revision of d it lacks, up to the heads: what the revisions build
// on that database, rows included, while db itself is only read. It
// returns the copy, for Compare and the rows it measures, and the steps
// applied, in order; errors name it as a scratch copy of name. close
// closes the copy and removes its file.
func ReplayFrom(ctx context.Context, db *sql.DB, name string, d *script.Dir, versionTable string) (copied *sql.DB, applied []runner.Step, close func() error, err error) {
	dir, err := os.MkdirTemp("", "autogen-preview-")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("making a scratch copy of %s: %w", name, err)
	}
	remove := func() error { return os.RemoveAll(dir) }
	path := filepath.Join(dir, "copy.db")
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		remove()
		return nil, nil, nil, fmt.Errorf("making a scratch copy of %s: %w", name, err)
	}
	cp, err := runner.OpenFile(ctx, path, runner.FileOptions{})
	if err != nil {
		remove()
		return nil, nil, nil, err
	}
	close = func() error { return errors.Join(cp.Close(), remove()) }
	applied, err = runner.FromDir(cp, d, runner.WithVersionTable(versionTable), runner.WithName(name+" (a scratch copy)")).Upgrade(ctx, "heads")
	if err != nil {
		close()
		return nil, nil, nil, fmt.Errorf("bringing a scratch copy of %s to the heads: %w", name, err)
	}
	return cp, applied, close, nil
}
