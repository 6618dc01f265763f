package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

func newCLI(stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:           "autogen",
		Usage:          "Alembic's revision --autogenerate for bun models on SQLite",
		Writer:         stdout,
		ErrWriter:      stderr,
		HideVersion:    true,
		ExitErrHandler: func(*cli.Context, error) {}, // run() reports errors
		Action:         rootAction,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "configuration file (default $AUTOGEN_CONFIG or ./alembic.ini)"},
			&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Value: "alembic", Usage: "section of the configuration file"},
			&cli.StringFlag{Name: "url", Usage: "database URL, overrides sqlalchemy.url (also $AUTOGEN_URL)"},
			&cli.BoolFlag{Name: "version", Usage: "print the version of autogen and exit"},
		},
		Commands: []*cli.Command{
			initCommand(),
			revisionCommand(),
			mergeCommand(),
			upgradeCommand(),
			downgradeCommand(),
			stampCommand(),
			currentCommand(),
			historyCommand(),
			headsCommand(),
			branchesCommand(),
			showCommand(),
			checkCommand(),
		},
	}
	app.OnUsageError = usageError
	for _, cmd := range app.Commands {
		cmd.OnUsageError = usageError
	}
	return app
}

// usageError replaces urfave/cli's help dump with the one sentence the
// contract asks for.
func usageError(c *cli.Context, err error, _ bool) error {
	name := "autogen"
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		name += " " + c.Command.Name
	}
	msg := err.Error()
	if flag, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Errorf("unknown flag %s; run '%s --help' for the flags", typedFlag(c, flag), name)
	}
	return fmt.Errorf("%s; run '%s --help'", msg, name)
}

func rootAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("unknown command %q; run 'autogen --help' for the list", c.Args().First())
	}
	if c.Bool("version") {
		_, err := fmt.Fprintln(c.App.Writer, versionLine(debug.ReadBuildInfo()))
		return err
	}
	return cli.ShowAppHelp(c)
}

// typedFlag is the flag as the user typed it: Go's flag parsing reports
// "--foo" as "-foo".
func typedFlag(c *cli.Context, flag string) string {
	args, _ := c.App.Metadata[argsKey].([]string)
	for _, a := range args {
		if strings.HasPrefix(a, "-") && flagName(a) == flagName(flag) {
			name, _, _ := strings.Cut(a, "=")
			return name
		}
	}
	return flag
}

// argsKey is where run keeps the command line in the app's Metadata.
const argsKey = "args"
