package autogen

import (
	"context"
	"database/sql"

	"github.com/autogen-dev/autogen/assess"
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/verify"
)

// dialect is what the pipeline needs of a database engine: the seam where
// PostgreSQL plugs in beside SQLite. Each step works on one engine's
// databases: the target is built by running the models' DDL on a scratch
// database, never on the user's.
type dialect interface {
	// target builds the schema the statements create, on a scratch database.
	target(ctx context.Context, stmts []string) (*schema.Schema, error)
	// inspect reads the schema of a live database, the version table left out.
	inspect(ctx context.Context, db *sql.DB, versionTable string) (*schema.Schema, error)
	// render turns operations into the SQL of both directions, checked on
	// scratch databases.
	render(ctx context.Context, ops []diff.Op, current, target *schema.Schema) (*render.Result, error)
	// assess counts the rows of the live database the operations touch.
	assess(ctx context.Context, db *sql.DB, ops []diff.Op, res *render.Result) ([]Finding, error)
	// scratch opens an empty database to replay revisions on.
	scratch(ctx context.Context) (*sql.DB, error)
}

// sqlite is the SQLite dialect.
type sqlite struct{}

func (sqlite) target(ctx context.Context, stmts []string) (*schema.Schema, error) {
	return cachedTarget(ctx, targetCacheDir(), stmts, schema.FromDDL)
}

func (sqlite) inspect(ctx context.Context, db *sql.DB, versionTable string) (*schema.Schema, error) {
	return cachedInspect(ctx, db, targetCacheDir(), versionTable)
}

func (sqlite) render(ctx context.Context, ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	return verify.Render(ctx, schema.OpenMemory, ops, current, target)
}

func (sqlite) assess(ctx context.Context, db *sql.DB, ops []diff.Op, res *render.Result) ([]Finding, error) {
	return assess.Assess(ctx, db, schema.OpenMemory, ops, res)
}

func (sqlite) scratch(ctx context.Context) (*sql.DB, error) {
	return runner.OpenFile(ctx, runner.Memory, runner.FileOptions{})
}
