package main

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// addRebuilds completes the safety report with the tables the rendered
// upgrade rebuilds but render.Assess did not foresee: render decides some
// rebuilds only after trying ALTER TABLE on a scratch copy (a column that
// must sit between existing ones), and a reviewer must see every table
// whose rows get copied.
func addRebuilds(ctx context.Context, conn *sql.Conn, ops []diff.Op, rebuilt []string, findings []render.Finding) ([]render.Finding, error) {
	for _, name := range rebuilt {
		if slices.ContainsFunc(findings, func(f render.Finding) bool {
			return f.Kind == render.KindRebuild && schema.EqualIdent(f.Table, name)
		}) {
			continue
		}
		from := currentName(ops, name)
		var n int64
		err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+schema.QuoteIdent(from)).Scan(&n)
		if err != nil {
			return nil, fmt.Errorf("counting the rows of table %s for the safety report: %w", from, err)
		}
		if n > 0 {
			findings = append(findings, render.Finding{Table: name, Kind: render.KindRebuild, Rows: n,
				Message: fmt.Sprintf("rebuilding table %s copies its %d rows", name, n)})
		}
	}
	slices.SortStableFunc(findings, func(x, y render.Finding) int {
		return cmp.Or(cmp.Compare(x.Table, y.Table), cmp.Compare(x.Column, y.Column), cmp.Compare(x.Kind, y.Kind))
	})
	return findings, nil
}

// currentName is the live name of a table the upgrade knows by its target
// name.
func currentName(ops []diff.Op, name string) string {
	for _, op := range ops {
		if o, ok := op.(*diff.RenameTable); ok && schema.EqualIdent(o.New.Name, name) {
			return o.Old.Name
		}
	}
	return name
}
