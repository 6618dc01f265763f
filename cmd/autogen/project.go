package main

import (
	"context"
	"errors"
	"io"
	"os"

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
}

func loadProject(c *cli.Context) (*project, error) {
	path := config.Find(c.String("config"))
	cfg, err := config.Load(path, c.String("name"))
	if err != nil {
		return nil, err
	}
	flagURL := c.String("url")
	return &project{cfg: cfg, flagURL: flagURL, url: cfg.URLInForce(flagURL), stdout: c.App.Writer, stderr: c.App.ErrWriter}, nil
}

// scripts loads the script directory and its revision graph.
func (p *project) scripts() (*script.Dir, error) {
	return script.Load(p.cfg.ScriptLocation)
}

// dbPath is the database file of the URL in force.
func (p *project) dbPath() (string, error) {
	return p.cfg.Database(p.flagURL)
}

// open opens the database for the runner.
func (p *project) open(ctx context.Context) (*runner.Runner, error) {
	path, err := p.dbPath()
	if err != nil {
		return nil, err
	}
	return runner.Open(ctx, path, runner.Options{VersionTable: p.cfg.VersionTable, BusyTimeout: p.cfg.BusyTimeout, Log: p.stderr})
}

// openExisting opens the database read-only; ok is false when the file does
// not exist yet, which commands that only read treat as an empty database
// rather than creating it.
func (p *project) openExisting(ctx context.Context) (r *runner.Runner, ok bool, err error) {
	path, err := p.dbPath()
	if err != nil {
		return nil, false, err
	}
	if path != config.Memory {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, false, nil
		}
	}
	r, err = runner.Open(ctx, path, runner.Options{VersionTable: p.cfg.VersionTable, BusyTimeout: p.cfg.BusyTimeout, ReadOnly: true})
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
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
