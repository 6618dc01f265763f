// Package verify checks render's SQL on scratch databases holding an empty
// copy of the schema: a table whose ALTER TABLE statements fail there, or
// do not give exactly the target definition (or, going down, the current
// one), is rendered again as a rebuild, until every statement holds. It
// also asks SQLite for the text the live triggers have after a revision's
// renames, which a rebuild must recreate them with. Everything runs under
// the caller's context, on databases the caller's Opener makes.
package verify

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// Opener opens an empty scratch database for one check and returns its
// connection and the function that closes it; schema.OpenMemory is one.
type Opener func(ctx context.Context) (*sql.Conn, func(), error)

// Render renders ops (from diff.Compare(current, target)) and checks the
// SQL on scratch databases from open, rendering again with a rebuild for
// every table where it falls short. Each round forces at least one more
// rebuild, so it ends. Cancelling ctx stops it.
func Render(ctx context.Context, open Opener, ops []diff.Op, current, target *schema.Schema) (*render.Result, error) {
	return renderWith(ctx, open, ops, current, target, (*planner).verify)
}

// verifier runs a round's SQL on scratch copies and reports whether it
// forced more rebuilds.
type verifier func(p *planner, ctx context.Context, groups []*opGroup, ups, downs []string) (bool, error)

func renderWith(ctx context.Context, open Opener, ops []diff.Op, current, target *schema.Schema, verify verifier) (*render.Result, error) {
	p := &planner{current: current, target: target, live: render.Live(ops, current),
		forceUp: map[string]bool{}, forceDown: map[string]bool{}, open: open}
	trigs := p.triggers(ctx, ops)
	for {
		res, err := render.Render(ops, current, target, render.Options{RebuildUp: p.forceUp, RebuildDown: p.forceDown, Triggers: trigs})
		if err != nil {
			return nil, err
		}
		groups := groupsOf(res.Changes)
		ups, downs := make([]string, len(res.Changes)), make([]string, len(res.Changes))
		for i, c := range res.Changes {
			ups[i], downs[i] = c.Up, c.Down
		}
		changed, err := verify(p, ctx, groups, ups, downs)
		if err != nil {
			return nil, err
		}
		if !changed {
			return res, nil
		}
	}
}

// planner holds what every check needs.
type planner struct {
	current, target *schema.Schema
	live            *schema.Schema // views and triggers present while tables change
	// forceUp and forceDown hold the tables (lower-case target name) whose
	// upgrade or downgrade must be a rebuild: render's Options.
	forceUp, forceDown map[string]bool
	open               Opener
}

// opGroup is one change of the round, as render made it.
type opGroup struct {
	table, from string // set for a change to an existing table
	ops         []diff.Op
}

func groupsOf(changes []render.Change) []*opGroup {
	groups := make([]*opGroup, len(changes))
	for i, c := range changes {
		groups[i] = &opGroup{table: c.Table, from: c.From, ops: c.Ops}
	}
	return groups
}

// renames reports whether g renames its table or a column: SQLite then
// rewrites the other tables, views and triggers that name them.
func renames(g *opGroup) bool {
	return anyRenames(g.ops)
}

func anyRenames(ops []diff.Op) bool {
	return slices.ContainsFunc(ops, func(op diff.Op) bool {
		switch op.(type) {
		case *diff.RenameTable, *diff.RenameColumn:
			return true
		}
		return false
	})
}

// triggers replays the renames of ops on a scratch database and returns
// the live triggers' texts at each change. With no rename, or when the
// scratch database refuses a rename (the checks then report the SQL), it
// returns nil: the live texts throughout.
func (p *planner) triggers(ctx context.Context, ops []diff.Op) *render.Triggers {
	if len(p.live.Triggers) == 0 || !anyRenames(ops) {
		return nil
	}
	up, down, err := render.Renames(ops, p.current, p.target)
	if err != nil {
		return nil
	}
	t, err := p.replayRenames(ctx, ops, up, down)
	if err != nil {
		return nil
	}
	return t
}

// replayRenames runs the renames, change by change, in a scratch copy of
// the schema the table changes run in: the current tables, the tables the
// revision creates (a live view may name one), and the live views and
// triggers.
func (p *planner) replayRenames(ctx context.Context, ops []diff.Op, up, down [][]string) (*render.Triggers, error) {
	conn, closeDB, err := p.open(ctx)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	if err := schema.ExecScript(ctx, conn, p.scratchSchema(ops).CreateScript()); err != nil {
		return nil, err
	}
	cur, err := readTriggers(ctx, conn)
	if err != nil {
		return nil, err
	}
	step := func(stmts []string) error {
		if len(stmts) == 0 {
			return nil
		}
		if err := schema.ExecScript(ctx, conn, strings.Join(stmts, ";\n")); err != nil {
			return err
		}
		cur, err = readTriggers(ctx, conn)
		return err
	}
	n := len(up)
	s := &render.Triggers{Up: make([]map[string]render.TriggerText, n), Down: make([]map[string]render.TriggerText, n)}
	for i := range n {
		if err := step(up[i]); err != nil {
			return nil, err
		}
		s.Up[i] = cur
	}
	for i := n - 1; i >= 0; i-- {
		if err := step(down[i]); err != nil {
			return nil, err
		}
		s.Down[i] = cur
	}
	s.DownEnd = cur
	return s, nil
}

// scratchSchema is what the renames run among.
func (p *planner) scratchSchema(ops []diff.Op) *schema.Schema {
	s := &schema.Schema{Tables: slices.Clip(p.current.Tables), Views: p.live.Views, Triggers: p.live.Triggers}
	for _, op := range ops {
		if o, ok := op.(*diff.CreateTable); ok && p.current.Table(o.New.Name) == nil {
			s.Tables = append(s.Tables, o.New)
		}
	}
	return s
}

func readTriggers(ctx context.Context, conn *sql.Conn) (map[string]render.TriggerText, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := map[string]render.TriggerText{}
	for rows.Next() {
		var name string
		var t render.TriggerText
		if err := rows.Scan(&name, &t.Table, &t.SQL); err != nil {
			return nil, err
		}
		st[sqltext.FoldIdent(name)] = t
	}
	return st, rows.Err()
}
