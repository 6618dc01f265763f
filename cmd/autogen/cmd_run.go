package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

func upgradeCommand() *cli.Command {
	return migrateCommand("upgrade", "Upgrade to a later version.", "A:B", true)
}

func downgradeCommand() *cli.Command {
	return migrateCommand("downgrade", "Revert to a previous version.", "B:A", false)
}

func migrateCommand(name, usage, sqlRange string, up bool) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		ArgsUsage: "REV",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "sql", Usage: "print the SQL script (" + sqlRange + ") instead of applying it"},
			&cli.BoolFlag{Name: "backup", Usage: "copy the database next to it with VACUUM INTO first"},
		},
		Action: func(c *cli.Context) error { return migrate(c, up) },
	}
}

func stampCommand() *cli.Command {
	return &cli.Command{
		Name:      "stamp",
		Usage:     "'stamp' the revision table with the given revision; don't run any migrations.",
		ArgsUsage: "REV",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "purge", Usage: "delete every version row first"},
		},
		Action: stampAction,
	}
}

func currentCommand() *cli.Command {
	return &cli.Command{
		Name:   "current",
		Usage:  "Display the current revision for a database.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}}},
		Action: currentAction,
	}
}

func oneArg(c *cli.Context, example string) (string, error) {
	if c.NArg() != 1 {
		return "", fmt.Errorf("%s takes exactly one revision argument (autogen %s %s)", c.Command.Name, c.Command.Name, example)
	}
	return c.Args().First(), nil
}

func migrate(c *cli.Context, up bool) error {
	example := "head"
	if !up {
		example = "-1"
	}
	spec, err := oneArg(c, example)
	if err != nil {
		return err
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	if c.Bool("sql") {
		return offline(c, p, d, spec, up)
	}
	if strings.Contains(spec, ":") {
		return fmt.Errorf("range %q is only for --sql; give one revision", spec)
	}
	r, target, err := p.openFor(c.Context, d, spec)
	if err != nil {
		return err
	}
	defer r.Close()
	if c.Bool("backup") {
		path, err := r.Backup(c.Context, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "INFO  [autogen] Backed up the database to %s\n", path)
	}
	if up {
		return r.Upgrade(c.Context, d, target)
	}
	return r.Downgrade(c.Context, d, target)
}

// offline prints the script for A:B without opening the database; a single
// revision means from base (upgrade) as in Alembic.
func offline(c *cli.Context, p *project, d *script.Dir, spec string, up bool) error {
	from, to, ok := strings.Cut(spec, ":")
	if !ok {
		if !up {
			return fmt.Errorf("downgrade with --sql needs a range, e.g. %s:base", spec)
		}
		from, to = "base", spec
	}
	if from == "" {
		from = "base"
	}
	if needsCurrent(spec) {
		return fmt.Errorf("range %q names the current revision, which --sql cannot know without a database; name revisions", spec)
	}
	a, err := d.Resolve(from, nil)
	if err != nil {
		return err
	}
	b, err := d.Resolve(to, nil)
	if err != nil {
		return err
	}
	return runner.OfflineSQL(c.App.Writer, d, a, b, up, p.cfg.VersionTable)
}

func stampAction(c *cli.Context) error {
	spec, err := oneArg(c, "head")
	if err != nil {
		return err
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	r, target, err := p.openFor(c.Context, d, spec)
	if err != nil {
		return err
	}
	defer r.Close()
	return r.Stamp(c.Context, d, target, c.Bool("purge"))
}

// openFor opens the database for writing and resolves spec against its
// current revisions.
func (p *project) openFor(ctx context.Context, d *script.Dir, spec string) (*runner.Runner, []string, error) {
	r, err := p.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	current, err := r.Current(ctx)
	if err == nil {
		var target []string
		if target, err = d.Resolve(spec, current); err == nil {
			return r, target, nil
		}
	}
	r.Close()
	return nil, nil, err
}

func currentAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return errors.New("current takes no arguments")
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	current, err := p.current(c.Context)
	if err != nil {
		return err
	}
	g := newGraphView(d, nil)
	if c.Bool("verbose") {
		fmt.Fprintf(c.App.Writer, "Current revision(s) for %s:\n", p.url)
	}
	for _, id := range current {
		r := d.Get(id)
		if r == nil {
			return fmt.Errorf("the database is at revision %s, which no file in %s defines", id, p.cfg.ScriptLocation)
		}
		if c.Bool("verbose") {
			fmt.Fprint(c.App.Writer, g.verbose(r))
			continue
		}
		fmt.Fprintln(c.App.Writer, g.line(r, false, false, true))
	}
	return nil
}
