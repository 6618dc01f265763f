package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/config"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/script"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "Initialize a new script directory.",
		ArgsUsage: "DIR",
		Action:    initAction,
	}
}

const scriptReadme = `autogen script directory.

versions/         one .sql file per revision; the graph comes from the headers
script.sql.tmpl   the template new revisions are made from (Go text/template)

Run 'autogen revision -m "message"' after editing the models, review the file
it writes, then 'autogen upgrade head'.
`

func initAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return errors.New("init takes exactly one argument, the directory to create (autogen init migrations)")
	}
	dir := c.Args().First()
	abs, err := filepath.Abs(resolve(c, dir))
	if err != nil {
		return fmt.Errorf("init %s: %w", dir, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		return fmt.Errorf("%s already exists and is a file, not a directory; give the name of a directory to create (autogen init migrations)", abs)
	}
	if entries, err := os.ReadDir(abs); err == nil && len(entries) > 0 {
		return fmt.Errorf("directory %s already exists and is not empty", abs)
	}
	out := c.App.Writer
	for _, d := range []string{abs, filepath.Join(abs, "versions")} {
		fmt.Fprintf(out, "  Creating directory %s ...", printable.Escape(d))
		if err := os.MkdirAll(d, 0o755); err != nil {
			fmt.Fprintln(out)
			return fmt.Errorf("create directory %s: %w", d, err)
		}
		fmt.Fprintln(out, "  done")
	}
	files := []struct{ path, body string }{
		{filepath.Join(abs, "script.sql.tmpl"), script.DefaultTemplate},
		{filepath.Join(abs, "README"), scriptReadme},
	}
	iniPath := configPath(c)
	iniAbs, err := filepath.Abs(iniPath)
	if err != nil {
		return fmt.Errorf("init %s: %w", iniPath, err)
	}
	if _, err := os.Stat(iniAbs); errors.Is(err, os.ErrNotExist) {
		files = append(files, struct{ path, body string }{iniAbs, defaultIni(filepath.Dir(iniAbs), abs)})
	} else {
		fmt.Fprintf(out, "  File %s already exists, skipping%s\n", printable.Escape(iniAbs), iniInForce(iniAbs, c.String("name"), abs))
	}
	for _, f := range files {
		fmt.Fprintf(out, "  Generating %s ...", printable.Escape(f.path))
		if err := writeNew(f.path, f.body); err != nil {
			fmt.Fprintln(out)
			return err
		}
		fmt.Fprintln(out, "  done")
	}
	fmt.Fprintf(out, "  Please edit configuration/connection settings in %s before proceeding.\n", printable.Escape(iniAbs))
	return nil
}

// iniInForce says, after "already exists, skipping", which script directory
// the existing configuration file keeps in force when it is not dir: the
// new directory is not used until script_location names it.
func iniInForce(iniPath, section, dir string) string {
	cfg, err := config.Load(iniPath, section)
	switch {
	case err != nil:
		return fmt.Sprintf("; it cannot be read (%v), and %s is not used until its script_location names it", err, printable.Escape(dir))
	case filepath.Clean(cfg.ScriptLocation) != filepath.Clean(dir):
		return fmt.Sprintf("; its script_location %s stays in force, and %s is not used until script_location names it", printable.Escape(cfg.ScriptLocation), printable.Escape(dir))
	}
	return ""
}

// defaultIni is the alembic.ini init writes; paths in it are relative to
// its own folder so the project can be moved or cloned.
// A % in the script location is written %%, as configparser's
// interpolation wants.
func defaultIni(iniDir, scriptDir string) string {
	loc := scriptDir
	if rel, err := filepath.Rel(iniDir, scriptDir); err == nil {
		loc = filepath.ToSlash(rel)
	}
	return fmt.Sprintf(`# autogen configuration, in Alembic's format.

[alembic]
# The script directory; versions/ lives inside it. Relative to this file.
script_location = %s

# The SQLite database: sqlite:///relative/path.db (relative to this file),
# sqlite:////absolute/path.db or sqlite:///:memory:.
# --url or $AUTOGEN_URL override it.
sqlalchemy.url = sqlite:///database.db

# Go package pattern(s) holding the bun models (the metadata), relative to
# this file; several separated by spaces or commas.
models = ./models

# Revision file names: tokens rev, slug, epoch, year, month, day, hour,
# minute, second.
# file_template = %%%%(rev)s_%%%%(slug)s
# truncate_slug_length = 40

# IANA time zone for the Create Date header; local time when unset.
# timezone = UTC

# version_table = alembic_version
`, strings.ReplaceAll(loc, "%", "%%"))
}

// writeNew writes a file that must not exist yet.
func writeNew(path, body string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.WriteString(body); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
