package autogen

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/loader"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/runner"
)

// Models is the DDL bun runs to create a set of models' tables: the
// target schema.
type Models struct {
	// Statements are the CREATE TABLE statements and what the models'
	// AfterCreateTableHooks run, in order.
	Statements []string
	// Tables maps each table to the model type that defines it ("" when
	// unknown), for messages.
	Tables map[string]string
	// PostgreSQL is set when the statements are PostgreSQL's (bun's
	// pgdialect): Compare then compares with a PostgreSQL database.
	PostgreSQL bool
}

// LoadModels finds the models in the Go packages patterns name (relative
// to dir, e.g. "./models") and records their DDL by building and running a
// small program inside the user's module (package loader): this needs the
// go command, and costs nothing when the sources have not changed.
// timeout bounds each step of the loader (listing, build, run); zero is
// the loader's default.
func LoadModels(ctx context.Context, dir string, patterns []string, timeout time.Duration) (*Models, error) {
	return loadModels(ctx, loader.Options{Dir: dir, Patterns: patterns, Timeout: timeout})
}

// LoadPostgresModels is LoadModels for a PostgreSQL database: the models'
// DDL is what bun's pgdialect creates.
func LoadPostgresModels(ctx context.Context, dir string, patterns []string, timeout time.Duration) (*Models, error) {
	return loadModels(ctx, loader.Options{Dir: dir, Patterns: patterns, Timeout: timeout, Dialect: loader.PostgreSQL})
}

func loadModels(ctx context.Context, opts loader.Options) (*Models, error) {
	res, err := loader.Load(ctx, opts)
	if err != nil {
		return nil, err
	}
	m := modelsOf(res)
	m.PostgreSQL = opts.Dialect == loader.PostgreSQL
	return m, nil
}

// modelsOf is the loader's result as the pipeline's input.
func modelsOf(res *loader.Result) *Models {
	return &Models{Statements: res.Statements, Tables: res.Tables}
}

// checkTables refuses a model whose table autogen or SQLite keeps for
// itself: the version table, the rebuild's temporary tables and SQLite's
// sqlite_ names.
func (m *Models) checkTables(versionTable string) error {
	for _, t := range slices.Sorted(maps.Keys(m.Tables)) {
		model := "model " + m.Tables[t]
		if m.Tables[t] == "" {
			model = "a model"
		}
		switch {
		case sqltext.EqualIdent(t, versionTable):
			return fmt.Errorf("%s uses table %q, which is the version table (version_table in alembic.ini, %q by default) where autogen records the applied revisions; give the model another table: tag or set version_table to another name", model, t, runner.DefaultVersionTable)
		case hasPrefixFold(t, render.TempPrefix):
			return fmt.Errorf("%s uses table %q, but autogen keeps the prefix %s for the temporary tables of its table rebuilds; give the model another table: tag", model, t, render.TempPrefix)
		case !m.PostgreSQL && hasPrefixFold(t, "sqlite_"):
			return fmt.Errorf("%s uses table %q, but SQLite reserves names starting with sqlite_ for itself; give the model another table: tag", model, t)
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && sqltext.EqualIdent(s[:len(prefix)], prefix)
}
