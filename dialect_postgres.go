package autogen

import (
	"context"
	"database/sql"
	"errors"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgassess"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// pg is the PostgreSQL dialect. The target schema is built in a scratch
// schema of dev (the live database when no dev database is given), inside
// a transaction that is rolled back; the live schema is only read.
type pg struct {
	live, dev *sql.DB
	safe      bool           // pgrender.Options.SafeForms
	current   *schema.Schema // what inspect read, for assess
}

func newPG(live, dev *sql.DB, safe bool) (*pg, error) {
	if live == nil {
		return nil, errors.New("PostgreSQL models are compared with a PostgreSQL database, and none was given")
	}
	if dev == nil {
		dev = live
	}
	return &pg{live: live, dev: dev, safe: safe}, nil
}

func (d *pg) target(ctx context.Context, stmts []string) (*schema.Schema, error) {
	return postgres.Target(ctx, d.dev, stmts, postgres.TargetOptions{})
}

func (d *pg) inspect(ctx context.Context, db *sql.DB, versionTable string) (*schema.Schema, error) {
	s, err := postgres.Inspect(ctx, db, postgres.InspectOptions{Skip: []string{versionTable}})
	if err != nil {
		return nil, err
	}
	d.current = s
	return s, nil
}

func (d *pg) render(ctx context.Context, ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	res, err := pgrender.RenderWith(ops, current, target, pgrender.Options{SafeForms: d.safe})
	if err != nil {
		return nil, err
	}
	if err := pgrender.Verify(ctx, d.dev, res, current, target); err != nil {
		return nil, err
	}
	return res, nil
}

func (d *pg) assess(ctx context.Context, db *sql.DB, ops []diff.Op, _ *render.Result) ([]Finding, error) {
	current := d.current
	if current == nil {
		var err error
		if current, err = postgres.Inspect(ctx, db, postgres.InspectOptions{}); err != nil {
			return nil, err
		}
	}
	return pgassess.Assess(ctx, db, ops, current)
}

func (d *pg) scratch(context.Context) (*sql.DB, error) {
	return nil, errors.New("replaying revisions on PostgreSQL is not supported yet")
}
