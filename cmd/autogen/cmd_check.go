package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen"
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
			&cli.StringFlag{Name: "format", Value: formatText, Usage: "output format: text or json (see docs/json.md)"},
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
	source := "database"
	if c.Bool("migrations") {
		source = "migrations"
		pl, err = p.replayPlan(c.Context, d)
	} else {
		pl, err = p.plan(c.Context, d, autogen.Renames{}, nil)
	}
	if err != nil {
		return err
	}
	if format == formatJSON {
		if err := writeJSON(c.App.Writer, "check", source, pl); err != nil {
			return err
		}
	} else {
		printCheck(c, pl)
	}
	if pl.Empty() {
		return nil
	}
	what := "the database"
	if source == "migrations" {
		what = "the schema the revisions build"
	}
	return cli.Exit(fmt.Sprintf("FAILED: %s between the models and %s; run 'autogen revision -m MSG' to write the missing revision.", nouns(len(pl.Diffs), "difference", "differences"), what), exitChanged)
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

// replayPlan replays every revision from base on an empty in-memory
// database and compares what they build with the models.
func (p *project) replayPlan(ctx context.Context, dir *script.Dir) (*autogen.Plan, error) {
	if p.postgres() {
		return p.replayPostgresPlan(ctx, dir)
	}
	models, err := autogen.LoadModels(ctx, p.cfg.Here, p.cfg.Models, p.cfg.LoaderTimeout)
	if err != nil {
		return nil, err
	}
	db, err := autogen.Replay(ctx, dir, p.cfg.VersionTable)
	if err != nil {
		return nil, fmt.Errorf("replaying the revisions of %s: %w", p.cfg.ScriptLocation, err)
	}
	defer db.Close()
	cmp, err := autogen.Compare(ctx, models, db, autogen.Options{VersionTable: p.cfg.VersionTable, Name: "the replayed revisions", SkipAssess: true})
	if err != nil {
		return nil, err
	}
	return cmp.Plan(ctx)
}

// replayPostgresPlan replays the revisions on a scratch database that it
// creates on the server of dev_url, else of the URL in force, and drops
// after the comparison.
func (p *project) replayPostgresPlan(ctx context.Context, dir *script.Dir) (*autogen.Plan, error) {
	models, err := autogen.LoadPostgresModels(ctx, p.cfg.Here, p.cfg.Models, p.cfg.LoaderTimeout)
	if err != nil {
		return nil, err
	}
	conn, err := p.serverConn()
	if err != nil {
		return nil, err
	}
	server, err := runner.OpenPostgres(ctx, conn.DSN(), conn.String())
	if err != nil {
		return nil, err
	}
	defer server.Close()
	open := func(ctx context.Context, database string) (*sql.DB, error) {
		c := *conn
		c.Params = maps.Clone(conn.Params)
		delete(c.Params, "dbname")
		c.Database = database
		return runner.OpenPostgres(ctx, c.DSN(), "scratch database "+database)
	}
	db, drop, err := autogen.ReplayPostgres(ctx, dir, p.cfg.VersionTable, server, open)
	if drop != nil {
		defer func() { _ = drop(context.WithoutCancel(ctx)) }()
	}
	if err != nil {
		return nil, fmt.Errorf("replaying the revisions of %s: %w", p.cfg.ScriptLocation, err)
	}
	cmp, err := autogen.Compare(ctx, models, db, autogen.Options{VersionTable: p.cfg.VersionTable, Name: "the replayed revisions", SkipAssess: true})
	if err != nil {
		return nil, err
	}
	return cmp.Plan(ctx)
}
