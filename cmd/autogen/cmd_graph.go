package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

func historyCommand() *cli.Command {
	return &cli.Command{
		Name:  "history",
		Usage: "List changeset scripts in chronological order.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "rev-range", Aliases: []string{"r"}, Usage: "range A:B of revisions to show"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show the full header of each revision"},
			&cli.BoolFlag{Name: "indicate-current", Aliases: []string{"i"}, Usage: "mark the database's current revision"},
			&cli.BoolFlag{Name: "graph", Usage: "draw the revision graph, newest first, with the current revision marked"},
			&cli.StringFlag{Name: "format", Value: formatText, Usage: "text, dot (Graphviz) or mermaid (flowchart)"},
		},
		Action: historyAction,
	}
}

func headsCommand() *cli.Command {
	return &cli.Command{
		Name:   "heads",
		Usage:  "Show current available heads in the script directory.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}}, &cli.BoolFlag{Name: "resolve-dependencies"}},
		Action: headsAction,
	}
}

func branchesCommand() *cli.Command {
	return &cli.Command{
		Name:   "branches",
		Usage:  "Show current branch points.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}}},
		Action: branchesAction,
	}
}

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "Show the revision(s) denoted by the given symbol.",
		ArgsUsage: "REV",
		Action:    showAction,
	}
}

func historyAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("history takes no arguments (got %q); use -r A:B for a range", c.Args().First())
	}
	format := c.String("format")
	switch format {
	case formatText, "dot", "mermaid":
	default:
		return fmt.Errorf("history --format %q is not a format; use text, dot or mermaid", format)
	}
	if format != formatText && (c.Bool("graph") || c.Bool("verbose")) {
		return fmt.Errorf("history --format %s draws the graph itself; leave out --graph and --verbose", format)
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	drawing := c.Bool("graph") || format != formatText
	var current []string
	if c.Bool("indicate-current") {
		if current, err = p.current(c.Context); err != nil {
			return err
		}
	} else if drawing {
		if current, err = p.currentIfAny(c.Context); err != nil {
			return err
		}
	}
	// The range reads the database only when a side needs it: -r -1:eeee
	// counts from eeee, as in Alembic, and needs none.
	revs, err := d.History(c.String("rev-range"), func() ([]string, error) {
		if c.Bool("indicate-current") {
			return current, nil
		}
		return p.current(c.Context)
	})
	if err != nil {
		return err
	}
	g := newGraphView(d, nil)
	if c.Bool("indicate-current") || drawing {
		g = newGraphView(d, current)
	}
	switch {
	case format == "dot":
		return writeDot(c.App.Writer, revs, g)
	case format == "mermaid":
		return writeMermaid(c.App.Writer, revs, g)
	case c.Bool("graph"):
		return drawGraph(c.App.Writer, revs, func(r *script.Revision) string { return g.line(r, false, true, true) })
	}
	for _, r := range revs {
		if c.Bool("verbose") {
			fmt.Fprint(c.App.Writer, g.verbose(r))
			continue
		}
		fmt.Fprintln(c.App.Writer, g.line(r, true, true, true))
	}
	return nil
}

// currentIfAny is the database's current revisions when there is a
// database file to read, and none otherwise: a drawing of the graph needs
// no database, it only marks the current revision when it can.
func (p *project) currentIfAny(ctx context.Context) ([]string, error) {
	if p.url == "" {
		return nil, nil
	}
	if p.postgres() {
		heads, err := p.current(ctx)
		if err != nil {
			return nil, nil // a server out of reach only means there is nothing to mark
		}
		return heads, nil
	}
	path, err := p.dbPath()
	if err != nil || path == runner.Memory {
		return nil, nil // an unusable URL only means there is nothing to mark
	}
	return p.current(ctx)
}

// noArgs refuses arguments to a command that takes none, as argparse does,
// rather than ignoring them.
func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments (got %q)", c.Command.Name, c.Args().First())
	}
	return nil
}

func headsAction(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	_, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	g := newGraphView(d, nil)
	for _, h := range d.Heads() {
		// --resolve-dependencies leaves out heads another revision
		// depends on, as Alembic's "heads" specifier does.
		if c.Bool("resolve-dependencies") && !g.realHead(h) {
			continue
		}
		r := d.Get(h)
		if c.Bool("verbose") {
			fmt.Fprint(c.App.Writer, g.verbose(r))
			continue
		}
		fmt.Fprintln(c.App.Writer, g.line(r, false, false, false))
	}
	return nil
}

func branchesAction(c *cli.Context) error {
	if err := noArgs(c); err != nil {
		return err
	}
	_, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	g := newGraphView(d, nil)
	for _, r := range d.Revisions() {
		kids := d.Children(r.ID)
		if len(kids) < 2 {
			continue
		}
		if c.Bool("verbose") {
			fmt.Fprint(c.App.Writer, g.verbose(r))
		} else {
			fmt.Fprintln(c.App.Writer, g.line(r, false, false, true))
		}
		pad := strings.Repeat(" ", len(r.ID))
		for _, k := range sorted(kids) {
			fmt.Fprintf(c.App.Writer, "%s -> %s\n", pad, g.line(d.Get(k), false, c.Bool("verbose"), true))
		}
		fmt.Fprintln(c.App.Writer)
	}
	return nil
}

func showAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return errors.New("show takes one revision (autogen show head)")
	}
	p, d, err := loadScripts(c)
	if err != nil {
		return err
	}
	spec := c.Args().First()
	var current []string
	if needsCurrent(spec) {
		if current, err = p.current(c.Context); err != nil {
			return err
		}
	}
	ids, err := d.Resolve(spec, current)
	if err != nil {
		return err
	}
	// base, or current on an unstamped database, names no script: Alembic
	// shows nothing and succeeds.
	g := newGraphView(d, nil)
	for _, id := range ids {
		fmt.Fprint(c.App.Writer, g.verbose(d.Get(id)))
	}
	return nil
}

// needsCurrent reports whether resolving spec (or either side of a range)
// needs the database's current revision.
func needsCurrent(spec string) bool {
	return slices.ContainsFunc(strings.Split(spec, ":"), script.NeedsCurrent)
}

func loadScripts(c *cli.Context) (*project, *script.Dir, error) {
	p, err := loadProject(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := p.scripts()
	if err != nil {
		return nil, nil, err
	}
	return p, d, nil
}
