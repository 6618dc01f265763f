package loader

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
)

// Dialect is the database whose bun dialect describes the models.
type Dialect string

const (
	// SQLite reads the models with bun's sqlitedialect.
	SQLite Dialect = "sqlite"
	// PostgreSQL reads the models with bun's pgdialect. The loader does
	// not run the statements: on PostgreSQL the caller runs them on a
	// server, one statement per call (the extended protocol refuses a
	// second statement), and decides about the tables of Result.Schemas.
	PostgreSQL Dialect = "postgres"
)

// dialectPackage is the bun package of a dialect (also its module's path)
// and its package name.
type dialectPackage struct{ Path, Name string }

// pkg is the bun dialect package of d ("" means SQLite).
func (d Dialect) pkg() (dialectPackage, error) {
	switch d {
	case SQLite, "":
		return dialectPackage{"github.com/uptrace/bun/dialect/sqlitedialect", "sqlitedialect"}, nil
	case PostgreSQL:
		return dialectPackage{"github.com/uptrace/bun/dialect/pgdialect", "pgdialect"}, nil
	}
	return dialectPackage{}, fmt.Errorf("the model loader knows no dialect %q", string(d))
}

const bunModule = "github.com/uptrace/bun"

// provideDialect makes bun's dialect available to the build when the
// user's module does not require it (go mod tidy drops it from a module
// whose code imports only bun): it copies go.mod and go.sum into tmp, adds
// the dialect there at bun's version with go get -modfile, and returns the
// copy's path for the build's -modfile flag. The user's go.mod and go.sum
// are never written. It returns "" when the module requires the dialect,
// and in a workspace or a vendored module, where -modfile cannot serve: the
// build then fails and missingDialect says what to do.
func provideDialect(ctx context.Context, root, dir, tmp string, dp dialectPackage, opts Options) (string, error) {
	gomod := filepath.Join(root, "go.mod")
	data, err := os.ReadFile(gomod)
	if err != nil {
		return "", fmt.Errorf("reading the module's go.mod: %w", err)
	}
	mf, err := modfile.Parse(gomod, data, nil)
	if err != nil {
		return "", nil // the build reports a broken go.mod
	}
	bunVersion := ""
	for _, r := range mf.Require {
		switch r.Mod.Path {
		case dp.Path:
			return "", nil
		case bunModule:
			bunVersion = r.Mod.Version
		}
	}
	if bunVersion == "" || workFile(dir) != "" || modFlag(root) == "-mod=vendor" {
		return "", nil
	}
	copyGoMod := filepath.Join(tmp, "go.mod")
	if err := os.WriteFile(copyGoMod, data, 0o644); err != nil {
		return "", fmt.Errorf("copying go.mod for the model loader: %w", err)
	}
	if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(tmp, "go.sum"), sum, 0o644); err != nil {
			return "", fmt.Errorf("copying go.sum for the model loader: %w", err)
		}
	}
	gctx, cancel := context.WithTimeout(ctx, opts.timeout())
	defer cancel()
	cmd := exec.CommandContext(gctx, "go", "get", "-modfile="+copyGoMod, dp.Path+"@"+bunVersion)
	cmd.Dir = dir
	cmd.Env = loaderEnv()
	cmd.WaitDelay = waitDelay
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("adding bun's dialect for the model loader: %w", ctx.Err())
		}
		if errors.Is(gctx.Err(), context.DeadlineExceeded) {
			return "", fmt.Errorf("%w: fetching %s@%s for the model loader took longer than %s", ErrTimeout, dp.Path, bunVersion, opts.timeout())
		}
		return "", fmt.Errorf("the module %s does not require %s, and autogen could not add it (at bun's version, %s) to a copy of go.mod for its own build: %s; run go get %s@%s", moduleName(root, data), dp.Path, bunVersion, lastLine(string(out)), dp.Path, bunVersion)
	}
	return copyGoMod, nil
}

// missingDialect recognises, in the output of a failed build of the
// generated program, a module that lacks the dialect package, and says so
// instead of blaming the models; nil when the build failed for another
// reason.
func missingDialect(out, root, dialect string) error {
	lacks := ""
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, dialect) {
			continue
		}
		switch {
		case strings.Contains(line, "missing go.sum entry"):
			lacks = "has no go.sum entry for"
		case strings.Contains(line, "cannot find module providing package"),
			strings.Contains(line, "no required module provides package"),
			strings.Contains(line, "is not in your go.mod file"),
			strings.Contains(line, "is not in vendor/modules.txt"):
			lacks = "does not require"
		}
		if lacks != "" {
			break
		}
	}
	if lacks == "" {
		return nil
	}
	data, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	return fmt.Errorf("the module %s %s %s, which autogen needs to describe the models and cannot add itself in a workspace or a vendored module: run go get %s", moduleName(root, data), lacks, dialect, dialect)
}

// moduleName is "path (folder)" for the module at root with go.mod data.
func moduleName(root string, gomod []byte) string {
	if path := modfile.ModulePath(gomod); path != "" {
		return fmt.Sprintf("%s (%s)", path, root)
	}
	return root
}

// lastLine is the last non-empty line of a command's output.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
