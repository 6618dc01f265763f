package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/config"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "Check whether the models and the database (or the revisions) agree; exit 1 when they do not.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "migrations", Usage: "compare the models with the schema that replaying every revision on an empty database gives (no database needed)"},
			&cli.StringFlag{Name: "format", Value: formatText, Usage: "output format: text, json (see docs/json.md) or markdown (for a pull request comment)"},
		},
		Action: checkAction,
	}
}

func checkAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("check takes no arguments (got %q)", c.Args().First())
	}
	format := c.String("format")
	if err := checkFormat(format); err != nil {
		return err
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	var pl *autogen.Plan
	var src compared
	if c.Bool("migrations") {
		pl, src, err = p.replayPlan(c.Context, d, false, autogen.Renames{}, nil)
	} else {
		pl, src, err = p.plan(c.Context, d, autogen.Renames{}, nil)
	}
	if err != nil {
		return err
	}
	if format != formatText {
		if err := writeReport(c.App.Writer, format, "check", src, pl); err != nil {
			return err
		}
	} else {
		printCheck(c, pl)
	}
	if pl.Empty() {
		return nil
	}
	what := "the database"
	if src.migrations {
		what = "the schema the revisions build"
	}
	return cli.Exit(fmt.Sprintf("FAILED: %s between the models and %s; run 'autogen revision -m MSG' to write the missing revision.", printable.Count(len(pl.Diffs), "difference", "differences"), what), exitChanged)
}

// printCheck lists the differences in the words revision logs them with.
func printCheck(c *cli.Context, pl *autogen.Plan) {
	if pl.Empty() {
		fmt.Fprintln(c.App.Writer, "No new upgrade operations detected.")
		return
	}
	for _, df := range pl.Diffs {
		fmt.Fprintf(c.App.Writer, "Detected %s\n", printable.Escape(df.String()))
	}
}

// replayPlan compares the models with what the revisions build: replayed
// from base on an empty in-memory database, or, when measure is set and
// the database at the URL exists, applied to a scratch copy of it from
// where it stands to the heads, so that the plan's findings count its rows.
// The database itself is only read.
func (p *project) replayPlan(ctx context.Context, dir *script.Dir, measure bool, renames autogen.Renames, ask *asker) (*autogen.Plan, compared, error) {
	src := compared{migrations: true}
	models, err := p.loadModels(ctx)
	if err != nil {
		return nil, src, err
	}
	opts := autogen.Options{VersionTable: p.cfg.VersionTable, Name: "the replayed revisions", SkipAssess: true, Renames: renames, SafeForms: p.cfg.SafeForms}
	if ask != nil {
		opts.Guess = ask.guess
	}
	db, closeDB, err := p.replayed(ctx, dir, measure, &src)
	if err != nil {
		return nil, src, err
	}
	defer closeDB()
	if src.measured() {
		opts.Name, opts.SkipAssess = "a scratch copy of "+src.database, false
	}
	if src.live {
		opts.Name = src.database
	}
	pl, err := p.comparePlan(ctx, models, db, opts, src.live)
	return pl, src, err
}

// replayed opens the database replayPlan compares with, recording in src
// which it is.
func (p *project) replayed(ctx context.Context, dir *script.Dir, measure bool, src *compared) (*sql.DB, func() error, error) {
	if p.postgres() {
		if measure {
			db, closeDB, err := p.liveAtHeads(ctx, dir, src)
			if db != nil || err != nil {
				return db, closeDB, err
			}
		}
		return p.replayedPostgres(ctx, dir)
	}
	if measure {
		r, ok, err := p.openExisting(ctx)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			defer r.Close()
			db, applied, closeDB, err := autogen.ReplayFrom(ctx, r.Conn(), r.Path(), dir, p.cfg.VersionTable)
			if err != nil {
				return nil, nil, err
			}
			src.database, src.applied = config.Redact(p.url), applied
			return db, closeDB, nil
		}
	}
	db, err := autogen.Replay(ctx, dir, p.cfg.VersionTable)
	if err != nil {
		return nil, nil, fmt.Errorf("replaying the revisions of %s: %w", p.cfg.ScriptLocation, err)
	}
	return db, db.Close, nil
}

// liveAtHeads is, for a preview that counts rows on PostgreSQL, the
// database at the URL itself when it is at the heads: it is only read
// (the safety report's counts run in a read-only transaction), since a
// PostgreSQL database is not copied as a SQLite file is. A database
// behind the heads gives nil, and a line saying its rows are not counted.
func (p *project) liveAtHeads(ctx context.Context, dir *script.Dir, src *compared) (*sql.DB, func() error, error) {
	r, err := p.openPostgres(ctx, dir)
	if err != nil {
		return nil, nil, err
	}
	cur, err := r.Current(ctx)
	if err != nil {
		r.Close()
		return nil, nil, err
	}
	if heads := dir.Heads(); !slices.Equal(slices.Sorted(slices.Values(cur)), slices.Sorted(slices.Values(heads))) {
		r.Close()
		at := "base"
		if len(cur) > 0 {
			at = strings.Join(cur, ", ")
		}
		fmt.Fprintf(p.stderr, "INFO  [autogen] %s is at %s, not at the heads: rows are not counted (a PostgreSQL database is not copied; upgrade a copy of it and preview against that).\n", printable.Escape(r.Path()), printable.Escape(at))
		src.behind, src.at = config.Redact(p.url), at
		return nil, nil, nil
	}
	src.database, src.live = config.Redact(p.url), true
	return r.Conn(), r.Close, nil
}

// replayedPostgres replays the revisions on a scratch database that it
// creates on the server of dev_url, else of the URL in force; closing it
// drops it.
func (p *project) replayedPostgres(ctx context.Context, dir *script.Dir) (*sql.DB, func() error, error) {
	conn, err := p.serverConn()
	if err != nil {
		return nil, nil, err
	}
	server, err := runner.OpenPostgres(ctx, conn.DSN(), conn.String())
	if err != nil {
		return nil, nil, err
	}
	open := func(ctx context.Context, database string) (*sql.DB, error) {
		c := *conn
		c.Params = maps.Clone(conn.Params)
		delete(c.Params, "dbname")
		c.Database = database
		return runner.OpenPostgres(ctx, c.DSN(), "scratch database "+database)
	}
	db, drop, err := autogen.ReplayPostgres(ctx, dir, p.cfg.VersionTable, server, open)
	closeAll := func() error {
		defer server.Close()
		if drop == nil {
			return nil
		}
		return drop(context.WithoutCancel(ctx))
	}
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("replaying the revisions of %s: %w", p.cfg.ScriptLocation, err)
	}
	return db, closeAll, nil
}
