package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/internal/printable"
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
		Usage:     "'stamp' the revision table with the given revision(s); don't run any migrations.",
		ArgsUsage: "REV...",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "purge", Usage: "delete every version row first"},
			&cli.BoolFlag{Name: "sql", Usage: "print the version-table statements ([FROM:]REV...) instead of running them"},
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
		if c.Bool("backup") {
			return errors.New("--backup copies the database before applying revisions, and --sql applies nothing; give one or the other")
		}
		return offline(c, p, d, spec, up)
	}
	if strings.Contains(spec, ":") {
		return fmt.Errorf("range %q is only for --sql; give one revision", spec)
	}
	r, err := p.open(c.Context, progressOption(p.stderr)...)
	if err != nil {
		return err
	}
	defer r.Close()
	dir := runner.Up
	if !up {
		dir = runner.Down
	}
	if c.Bool("backup") {
		// Only once the target is known to be valid and on the right side.
		if _, err := r.Plan(c.Context, spec, dir); err != nil {
			return err
		}
		path, err := r.Backup(c.Context, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "INFO  [autogen] Backed up the database to %s\n", printable.Escape(path))
	}
	if up {
		_, err = r.Upgrade(c.Context, spec)
	} else {
		_, err = r.Downgrade(c.Context, spec)
	}
	return err
}

// offline prints the script for A:B without opening the database; a single
// revision means from base (upgrade) as in Alembic.
func offline(c *cli.Context, p *project, d *script.Dir, spec string, up bool) error {
	from, to, ok := strings.Cut(spec, ":")
	if !ok {
		if !up {
			return fmt.Errorf("downgrade with --sql needs a range FROM:TO of revisions, e.g. autogen downgrade --sql %s", downgradeRangeExample(d, spec))
		}
		from, to = "base", spec
	}
	if strings.Contains(to, ":") || strings.TrimSpace(to) == "" {
		return fmt.Errorf("revision range %q is malformed: write FROM:TO, e.g. base:head", spec)
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
	b, err := d.Target(to, nil)
	if err != nil {
		return err
	}
	err = autogen.OfflineSQL(c.Context, sqlOutput(c), d, a, b, up, autogen.OfflineOptions{
		OfflineOptions: p.offlineOptions(c), SQLiteVersion: strings.TrimSpace(p.cfg.Keys["offline_sqlite_version"])})
	if errors.Is(err, autogen.ErrBadSQLiteVersion) {
		return fmt.Errorf("%s: %w", printable.Escape(p.cfg.Path), err)
	}
	return err
}

func (p *project) offlineOptions(c *cli.Context) runner.OfflineOptions {
	return runner.OfflineOptions{VersionTable: p.cfg.VersionTable, Log: c.App.ErrWriter,
		PostgreSQL: p.postgres(), LockTimeout: p.cfg.LockTimeout, StatementTimeout: p.cfg.StatementTimeout}
}

// downgradeRangeExample is a FROM:TO range that works for a downgrade to
// spec: from the heads, to spec, or for a relative spec (which --sql cannot
// resolve without the database) to where it would lead from the one head.
func downgradeRangeExample(d *script.Dir, spec string) string {
	heads := d.Heads()
	from := "heads"
	if len(heads) == 1 {
		from = heads[0]
	}
	to := spec
	if needsCurrent(spec) {
		to = "base"
		if ids, err := d.Resolve("head"+spec, nil); err == nil && len(ids) == 1 && strings.HasPrefix(spec, "-") {
			to = ids[0]
		}
	}
	return from + ":" + to
}

func stampAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return errors.New("stamp takes one or more revisions (autogen stamp head)")
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	if c.Bool("sql") {
		return offlineStamp(c, p, d, c.Args().Slice())
	}
	r, err := p.open(c.Context)
	if err != nil {
		return err
	}
	defer r.Close()
	err = r.Stamp(c.Context, c.Bool("purge"), c.Args().Slice()...)
	if errors.Is(err, script.ErrNotApplied) && !c.Bool("purge") {
		return fmt.Errorf("%w; give --purge to empty the version table first", err)
	}
	return err
}

// offlineStamp prints stamp's version-table statements; as in Alembic the
// first revision may carry the heads to start from (FROM:TO), else base.
func offlineStamp(c *cli.Context, p *project, d *script.Dir, specs []string) error {
	if c.Bool("purge") {
		return errors.New("stamp --purge empties a live version table; it cannot be combined with --sql")
	}
	specs = slices.Clone(specs)
	var from []string
	if f, t, ok := strings.Cut(specs[0], ":"); ok {
		var err error
		if from, err = d.Resolve(cmp.Or(f, "base"), nil); err != nil {
			return err
		}
		specs[0] = t
	}
	for _, s := range specs {
		if strings.Contains(s, ":") {
			return fmt.Errorf("stamp --sql takes a starting revision (FROM:TO) on its first revision only, not %q", s)
		}
		if needsCurrent(s) {
			return fmt.Errorf("revision %q names the current revision, which --sql cannot know without a database; name revisions", s)
		}
	}
	target, err := d.Targets(specs, nil)
	if err != nil {
		return err
	}
	return runner.OfflineStamp(sqlOutput(c), d, from, target, p.offlineOptions(c))
}

func currentAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return errors.New("current takes no arguments")
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	current, err := p.currentOfExisting(c.Context)
	if err != nil {
		return err
	}
	g := newGraphView(d, nil)
	if c.Bool("verbose") {
		fmt.Fprintf(c.App.Writer, "Current revision(s) for %s:\n", printable.Escape(p.displayURL()))
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
		fmt.Fprintln(c.App.Writer, g.currentLine(r))
	}
	return nil
}

// currentOfExisting is the database's version rows; unlike the commands
// that only mark the current revision, current refuses a database file
// that does not exist, as a mistyped URL would otherwise read as a
// database at base.
func (p *project) currentOfExisting(ctx context.Context) ([]string, error) {
	r, ok, err := p.openExisting(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		path, err := p.dbPath()
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("database %s does not exist; check sqlalchemy.url (or --url), or run 'autogen upgrade head' to create it", path)
	}
	defer r.Close()
	return r.Current(ctx)
}
