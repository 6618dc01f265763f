package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "Check whether the models and the database (or the revisions) agree; exit 1 when they do not.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "migrations", Usage: "compare the models with the schema that replaying every revision on an empty in-memory database gives"},
		},
		Action: checkAction,
	}
}

func checkAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("check takes no arguments (got %q)", c.Args().First())
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	var ops []diff.Op
	if c.Bool("migrations") {
		ops, err = p.checkMigrations(c, d)
	} else {
		var pl *plan
		pl, err = p.plan(c.Context, d, diff.Options{})
		if pl != nil {
			ops = pl.ops
		}
	}
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		fmt.Fprintln(c.App.Writer, "No new upgrade operations detected.")
		return nil
	}
	for _, op := range ops {
		fmt.Fprintf(c.App.Writer, "Detected %s\n", op.Describe())
	}
	return cli.Exit(fmt.Sprintf("FAILED: %d new upgrade operation(s) detected.", len(ops)), exitChanged)
}

// checkMigrations replays every revision on an empty in-memory database and
// compares what they build with the models.
func (p *project) checkMigrations(c *cli.Context, dir *script.Dir) ([]diff.Op, error) {
	ctx := c.Context
	target, err := p.target(ctx)
	if err != nil {
		return nil, err
	}
	r, err := runner.Open(ctx, ":memory:", runner.Options{VersionTable: p.cfg.VersionTable})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if err := r.Upgrade(ctx, dir, dir.Heads()); err != nil {
		return nil, err
	}
	built, err := schema.Inspect(ctx, r.Conn(), p.cfg.VersionTable)
	if err != nil {
		return nil, err
	}
	return diff.Compare(built, target, diff.Options{})
}
