package render

import (
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// A rebuild's DROP TABLE drops the triggers on the table, so the rebuild
// creates them again, in the text they have at that point of the script:
// the renames before it have rewritten them. Only SQLite knows that text
// (its RENAME rewrites the references to the renamed table or column and
// nothing else: aliases and other tables' same-named columns stay), so
// verify reads it from a scratch database where the revision's renames run
// in the script's order (Renames gives them), and hands it to Render.

// TriggerText is a live trigger as SQLite stores it at one point of a
// revision.
type TriggerText struct{ Table, SQL string }

// Triggers holds, for each change of a revision (in Render's order), the
// live triggers when the change runs: in the upgrade after its renames, in
// the downgrade after its reverse renames. DownEnd is the state the
// downgrade ends with. Keys are lower-case trigger names.
type Triggers struct {
	Up, Down []map[string]TriggerText
	DownEnd  map[string]TriggerText
}

// liveTriggers is Triggers with the live text at each of n changes.
func liveTriggers(live *schema.Schema, n int) *Triggers {
	st := map[string]TriggerText{}
	for _, tr := range live.Triggers {
		st[sqltext.FoldIdent(tr.Name)] = TriggerText{Table: tr.Table, SQL: tr.SQL}
	}
	s := &Triggers{Up: make([]map[string]TriggerText, n), Down: make([]map[string]TriggerText, n), DownEnd: st}
	for i := range n {
		s.Up[i], s.Down[i] = st, st
	}
	return s
}

// Renames returns, for each change Render makes of ops, the statements that
// rename tables and columns in its upgrade (up) and in its downgrade
// (down), as its SQL holds them; none for a change that renames nothing.
func Renames(ops []diff.Op, current, target *schema.Schema) (up, down [][]string, err error) {
	p, groups := newPlanner(ops, current, target, Options{})
	up, down = make([][]string, len(groups)), make([][]string, len(groups))
	for i, g := range groups {
		if g.table == "" || !renames(g) {
			continue
		}
		u, d, err := p.changes(g)
		if err != nil {
			return nil, nil, err
		}
		up[i], _, _ = u.split()
		down[i], _, _ = d.split()
	}
	return up, down, nil
}

// renames reports whether g renames its table or a column.
func renames(g *opGroup) bool {
	for _, op := range g.ops {
		switch op.(type) {
		case *diff.RenameTable, *diff.RenameColumn:
			return true
		}
	}
	return false
}

// tableTriggers returns the CREATE TRIGGER statements of the live triggers
// on the table (named one of names) when group i runs in one direction, in
// the live order. The downgrade writes a trigger's original text wherever
// no later reverse rename changes it, so that the downgrade gives back the
// exact sqlite_master text.
func (p *planner) tableTriggers(i int, forward bool, names ...string) []string {
	st := p.trigs.Down[i]
	if forward {
		st = p.trigs.Up[i]
	}
	var out []string
	for _, tr := range p.live.Triggers {
		k := sqltext.FoldIdent(tr.Name)
		t, ok := st[k]
		if !ok || !sqltext.ContainsIdent(names, t.Table) {
			continue
		}
		if !forward && t.SQL == p.trigs.DownEnd[k].SQL {
			t.SQL = tr.SQL
		}
		out = append(out, t.SQL)
	}
	return out
}
