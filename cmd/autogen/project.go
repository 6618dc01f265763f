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
	cfg.Env = proc(c).getenv
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

// Conn is the database's pool (one connection on SQLite), for reading the
// schema.
func (d *database) Conn() *sql.DB { return d.db }

// Path is the database file as the configuration names it, or a
// PostgreSQL URL with its password masked.
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
	if errors.Is(err, fs.ErrNotExist) && !p.postgres() { // a missing socket is no empty database
		return nil, false, nil
	}
	return r, err == nil, err
}

func (p *project) openDB(ctx context.Context, fo runner.FileOptions, opts ...runner.Option) (*database, error) {
	d, err := p.scripts()
	if err != nil {
		return nil, err
	}
	if p.postgres() {
		return p.openPostgres(ctx, d, opts...)
	}
	path, err := p.dbPath()
	if err != nil {
		return nil, err
	}
	db, err := runner.OpenFile(ctx, path, fo)
	if err != nil {
		return nil, err
	}
	opts = append([]runner.Option{runner.WithName(path), runner.WithVersionTable(p.cfg.VersionTable),
		runner.WithVersionTableSchema(p.cfg.VersionTableSchema), runner.WithBusyTimeout(p.cfg.BusyTimeout)}, opts...)
	return &database{Runner: runner.FromDir(db, d, opts...), db: db, path: path}, nil
}

// postgres reports whether the URL in force names a PostgreSQL database.
func (p *project) postgres() bool {
	return config.DialectOf(p.url) == config.PostgreSQL
}

// displayURL is the URL in force as output shows it: a PostgreSQL URL's
// password masked, as Alembic masks it.
func (p *project) displayURL() string {
	if p.postgres() {
		return config.Redact(p.url)
	}
	return p.url
}

// openPostgres connects to the PostgreSQL database of the URL in force
// (libpq's environment and password file applied); messages name it by
// its URL with the password masked. There is no file to create: a missing
// database is an error, for commands that read as for those that write.
func (p *project) openPostgres(ctx context.Context, d *script.Dir, opts ...runner.Option) (*database, error) {
	conn, err := p.cfg.Postgres(p.flagURL)
	if err != nil {
		return nil, err
	}
	name := conn.String()
	db, err := runner.OpenPostgres(ctx, conn.DSN(), name)
	if err != nil {
		return nil, err
	}
	base := []runner.Option{runner.WithName(name), runner.WithVersionTable(p.cfg.VersionTable), runner.WithVersionTableSchema(p.cfg.VersionTableSchema)}
	if t := p.cfg.LockTimeout; t != nil {
		base = append(base, runner.WithLockTimeout(*t))
	}
	if t := p.cfg.StatementTimeout; t != nil {
		base = append(base, runner.WithStatementTimeout(*t))
	}
	return &database{Runner: runner.FromDir(db, d, append(base, opts...)...), db: db, path: name}, nil
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

// openDev connects to dev_url, the database whose scratch schema the
// models' target schema is built in instead of the live database's.
func (p *project) openDev(ctx context.Context) (*sql.DB, error) {
	conn, err := p.serverConn()
	if err != nil {
		return nil, err
	}
	return runner.OpenPostgres(ctx, conn.DSN(), conn.String())
}

// serverConn is dev_url when it is set, else the URL in force: where
// scratch work is done.
func (p *project) serverConn() (*config.Postgres, error) {
	if p.cfg.DevURL == "" {
		return p.cfg.Postgres(p.flagURL)
	}
	conn, err := config.ParsePostgres(p.cfg.DevURL)
	if err != nil {
		return nil, err
	}
	return conn, conn.Resolve(p.cfg.Env)
}
