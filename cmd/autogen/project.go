package main

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"io/fs"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/config"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

// project is what every command but init works on: the configuration and
// where its script directory and database are.
type project struct {
	cfg     *config.Config
	flagURL string // --url, which overrides the configuration
	url     string // the URL in force, for messages
	stdout  io.Writer
	stderr  io.Writer
	dir     *script.Dir // the script directory, once loaded
}

func loadProject(c *cli.Context) (*project, error) {
	path := configPath(c)
	cfg, err := config.Load(path, c.String("name"))
	if err != nil {
		return nil, err
	}
	flagURL := urlFlag(c)
	return &project{cfg: cfg, flagURL: flagURL, url: cfg.URLInForce(flagURL), stdout: c.App.Writer, stderr: c.App.ErrWriter}, nil
}

// scripts loads the script directory and its revision graph, once.
func (p *project) scripts() (*script.Dir, error) {
	if p.dir == nil {
		d, err := script.Load(p.cfg.ScriptLocation)
		if err != nil {
			return nil, err
		}
		p.dir = d
	}
	return p.dir, nil
}

// dbPath is the database file of the URL in force.
func (p *project) dbPath() (string, error) {
	return p.cfg.Database(p.flagURL)
}

// database is the project's database opened for one command, and the
// runner that migrates it with the script directory's revisions.
type database struct {
	*runner.Runner
	db   *sql.DB
	path string
}

// Conn is the database's one connection (the pool holds one), for
// reading the schema.
func (d *database) Conn() *sql.DB { return d.db }

// Path is the database file, as the configuration names it.
func (d *database) Path() string { return d.path }

// Close closes the database.
func (d *database) Close() error { return d.db.Close() }

// open opens the database for a command that writes: checked, created if
// missing, the runner logging Alembic's lines on stderr.
func (p *project) open(ctx context.Context, opts ...runner.Option) (*database, error) {
	return p.openDB(ctx, runner.FileOptions{BusyTimeout: p.cfg.BusyTimeout}, append([]runner.Option{runner.WithLog(p.stderr)}, opts...)...)
}

// openExisting opens the database read-only; ok is false when the file does
// not exist yet, which commands that only read treat as an empty database
// rather than creating it.
func (p *project) openExisting(ctx context.Context) (r *database, ok bool, err error) {
	r, err = p.openDB(ctx, runner.FileOptions{BusyTimeout: p.cfg.BusyTimeout, ReadOnly: true})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return r, err == nil, err
}

func (p *project) openDB(ctx context.Context, fo runner.FileOptions, opts ...runner.Option) (*database, error) {
	d, err := p.scripts()
	if err != nil {
		return nil, err
	}
	path, err := p.dbPath()
	if err != nil {
		return nil, err
	}
	db, err := runner.OpenFile(ctx, path, fo)
	if err != nil {
		return nil, err
	}
	opts = append([]runner.Option{runner.WithName(path), runner.WithVersionTable(p.cfg.VersionTable), runner.WithBusyTimeout(p.cfg.BusyTimeout)}, opts...)
	return &database{Runner: runner.FromDir(db, d, opts...), db: db, path: path}, nil
}

// current returns the database's version rows.
func (p *project) current(ctx context.Context) ([]string, error) {
	r, ok, err := p.openExisting(ctx)
	if !ok || err != nil {
		return nil, err
	}
	defer r.Close()
	return r.Current(ctx)
}
