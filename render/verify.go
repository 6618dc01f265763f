package render

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"

	_ "modernc.org/sqlite" // the in-memory database verify runs the SQL in
)

// verify runs the rendered upgrade and then the downgrade, group by group,
// on an empty in-memory copy of the current schema. A table group whose
// in-place SQL fails, or does not give the target table (upgrade) or the
// current CREATE text (downgrade), is marked to be rebuilt; changed says
// whether any was.
func (p *planner) verify(ctx context.Context, groups []*opGroup, ups, downs []string) (changed bool, err error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return false, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	defer conn.Close()
	if err := execAll(ctx, conn, "PRAGMA foreign_keys = OFF;\n"+createScript(p.current)); err != nil {
		return false, fmt.Errorf("%w: the current schema does not load into SQLite: %w", ErrRender, err)
	}
	for i, g := range groups {
		if err := execAll(ctx, conn, ups[i]); err != nil {
			return p.force(p.forceUp, g, "upgrade", err)
		}
	}
	if changed, err := p.checkTables(ctx, conn, groups, p.forceUp, func(g *opGroup, got *schema.Schema) bool {
		have, want := got.Table(g.table), p.target.Table(g.table)
		return have != nil && have.Equal(want)
	}); changed || err != nil {
		return changed, err
	}
	for i := len(groups) - 1; i >= 0; i-- {
		if err := execAll(ctx, conn, downs[i]); err != nil {
			return p.force(p.forceDown, groups[i], "downgrade", err)
		}
	}
	return p.checkTables(ctx, conn, groups, p.forceDown, func(g *opGroup, got *schema.Schema) bool {
		name := fromName(g)
		have, want := got.Table(name), p.current.Table(name)
		return have != nil && have.Equal(want) && have.SQL == want.SQL && sameIndexSQL(have, want)
	})
}

// fromName is the current name of the table a group changes.
func fromName(g *opGroup) string {
	for _, op := range g.ops {
		if r, ok := op.(*diff.RenameTable); ok {
			return r.Old.Name
		}
	}
	return g.table
}

func sameIndexSQL(a, b *schema.Table) bool {
	if len(a.Indexes) != len(b.Indexes) {
		return false
	}
	for i := range a.Indexes {
		if a.Indexes[i].SQL != b.Indexes[i].SQL {
			return false
		}
	}
	return true
}

// force marks g's table for a rebuild after its SQL failed, or reports the
// failure when there is nothing left to change.
func (p *planner) force(set map[string]bool, g *opGroup, dir string, err error) (bool, error) {
	key := strings.ToLower(g.table)
	if g.table == "" || set[key] {
		return false, fmt.Errorf("%w: the %s SQL fails on an empty copy of the schema: %w", ErrRender, dir, err)
	}
	set[key] = true
	return true, nil
}

// checkTables inspects the database and marks for rebuild each changed
// table that ok rejects. A table already rebuilt is left as it is: its
// definition is the exact CREATE text, so a difference there is SQLite's
// own (the quoting of a renamed table's name).
func (p *planner) checkTables(ctx context.Context, conn *sql.Conn, groups []*opGroup, set map[string]bool, ok func(*opGroup, *schema.Schema) bool) (bool, error) {
	got, err := schema.Inspect(ctx, conn)
	if err != nil {
		return false, fmt.Errorf("%w: inspecting the migrated copy: %w", ErrRender, err)
	}
	changed := false
	for _, g := range groups {
		key := strings.ToLower(g.table)
		if g.table == "" || set[key] || ok(g, got) {
			continue
		}
		set[key], changed = true, true
	}
	return changed, nil
}

// createScript is the DDL that makes s: tables, then indexes, views and
// triggers.
func createScript(s *schema.Schema) string {
	var b strings.Builder
	for _, t := range s.Tables {
		stmt(&b, t.SQL)
	}
	for _, t := range s.Tables {
		for _, ix := range t.Indexes {
			stmt(&b, ix.SQL)
		}
	}
	for _, v := range s.Views {
		stmt(&b, v.SQL)
	}
	for _, tr := range s.Triggers {
		stmt(&b, tr.SQL)
	}
	return b.String()
}

func execAll(ctx context.Context, conn *sql.Conn, script string) error {
	stmts, err := schema.SplitStatements(script)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}
