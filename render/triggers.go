package render

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// A rebuild's DROP TABLE drops the triggers on the table, so the rebuild
// creates them again, in the text they have at that point of the script:
// the renames before it have rewritten them. Only SQLite knows that text
// (its RENAME rewrites the references to the renamed table or column and
// nothing else: aliases and other tables' same-named columns stay), so
// trigger texts are read from a scratch database holding the live schema,
// empty, where the revision's renames are run in the script's order.

// trigText is a live trigger as SQLite stores it at one point of a revision.
type trigText struct{ table, sql string }

// trigState holds the live triggers by lower-case name.
type trigState map[string]trigText

// trigStates holds, for each group, the live triggers when the group runs:
// in the upgrade after the group's renames, in the downgrade after its
// reverse renames. downEnd is the state the downgrade ends with.
type trigStates struct {
	up, down []trigState
	downEnd  trigState
}

// triggerStates replays the renames of groups on a scratch database. With
// no rename, or when the scratch database refuses a rename (verify then
// reports the SQL), every state is the live one.
func (p *planner) triggerStates(ctx context.Context, groups []*opGroup) *trigStates {
	live := trigState{}
	for _, tr := range p.live.Triggers {
		live[strings.ToLower(tr.Name)] = trigText{table: tr.Table, sql: tr.SQL}
	}
	s := &trigStates{up: make([]trigState, len(groups)), down: make([]trigState, len(groups)), downEnd: live}
	for i := range groups {
		s.up[i], s.down[i] = live, live
	}
	if len(live) == 0 || !anyRenames(groups) {
		return s
	}
	replayed := &trigStates{up: make([]trigState, len(groups)), down: make([]trigState, len(groups))}
	if err := p.replayRenames(ctx, groups, replayed); err != nil {
		return s
	}
	return replayed
}

func anyRenames(groups []*opGroup) bool {
	for _, g := range groups {
		if g.table != "" && renames(g) {
			return true
		}
	}
	return false
}

// replayRenames fills s from a scratch copy of the schema the table groups
// run in: the current tables, the tables the revision creates, and the
// live views and triggers.
func (p *planner) replayRenames(ctx context.Context, groups []*opGroup, s *trigStates) error {
	conn, closeDB, err := schema.OpenMemory(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := execAll(ctx, conn, createScript(p.scratchSchema(groups))); err != nil {
		return err
	}
	cur, err := readTriggers(ctx, conn)
	if err != nil {
		return err
	}
	step := func(i int, forward bool) error {
		stmts, err := p.renameSQL(groups[i], forward)
		if err != nil || len(stmts) == 0 {
			return err
		}
		if err := execAll(ctx, conn, strings.Join(stmts, ";\n")); err != nil {
			return err
		}
		cur, err = readTriggers(ctx, conn)
		return err
	}
	for i := range groups {
		if err := step(i, true); err != nil {
			return err
		}
		s.up[i] = cur
	}
	for i := len(groups) - 1; i >= 0; i-- {
		if err := step(i, false); err != nil {
			return err
		}
		s.down[i] = cur
	}
	s.downEnd = cur
	return nil
}

// scratchSchema is what the renames run among: the current tables, the
// tables the revision creates (a live view may name one), and the live
// views and triggers.
func (p *planner) scratchSchema(groups []*opGroup) *schema.Schema {
	s := &schema.Schema{Tables: slices.Clip(p.current.Tables), Views: p.live.Views, Triggers: p.live.Triggers}
	for _, g := range groups {
		if o, ok := g.ops[0].(*diff.CreateTable); ok && g.table == "" && p.current.Table(o.New.Name) == nil {
			s.Tables = append(s.Tables, o.New)
		}
	}
	return s
}

// renameSQL returns the rename statements of a table group in one
// direction, as its SQL holds them.
func (p *planner) renameSQL(g *opGroup, forward bool) ([]string, error) {
	if g.table == "" || !renames(g) {
		return nil, nil
	}
	u, d, err := p.changes(g)
	if err != nil {
		return nil, err
	}
	c := d
	if forward {
		c = u
	}
	stmts, _, _ := c.split()
	return stmts, nil
}

func readTriggers(ctx context.Context, conn *sql.Conn) (trigState, error) {
	rows, err := conn.QueryContext(ctx, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := trigState{}
	for rows.Next() {
		var name string
		var t trigText
		if err := rows.Scan(&name, &t.table, &t.sql); err != nil {
			return nil, err
		}
		st[strings.ToLower(name)] = t
	}
	return st, rows.Err()
}

// tableTriggers returns the CREATE TRIGGER statements of the live triggers
// on the table (named one of names) when group i runs in one direction, in
// the live order. The downgrade writes a trigger's original text wherever
// no later reverse rename changes it, so that the downgrade gives back the
// exact sqlite_master text.
func (p *planner) tableTriggers(i int, forward bool, names ...string) []string {
	st := p.trigs.down[i]
	if forward {
		st = p.trigs.up[i]
	}
	var out []string
	for _, tr := range p.live.Triggers {
		k := strings.ToLower(tr.Name)
		t, ok := st[k]
		if !ok || !containsName(names, t.table) {
			continue
		}
		if !forward && t.sql == p.trigs.downEnd[k].sql {
			t.sql = tr.SQL
		}
		out = append(out, t.sql)
	}
	return out
}
