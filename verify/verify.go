package verify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"

	_ "modernc.org/sqlite" // the in-memory databases verify runs the SQL in
)

// verify runs the rendered upgrade and then the downgrade, group by group,
// on empty in-memory copies of the current schema. A table group whose
// in-place SQL fails, or does not give the target table (upgrade) or the
// current CREATE text (downgrade), is marked to be rebuilt; changed says
// whether any was.
//
// SQLite's ALTER TABLE RENAME re-parses every object of a database, so
// running every group in one copy of the whole schema costs time
// quadratic in the number of tables. Instead each cluster of table groups
// runs in a copy of only what its SQL can touch or depend on (see
// scopeIndex), and the other groups run in a copy where no table is
// rebuilt; the whole copy is the fallback wherever isolation is not sound.
func (p *planner) verify(ctx context.Context, groups []*opGroup, ups, downs []string) (changed bool, err error) {
	steps := make([]step, len(groups))
	for i := range groups {
		steps[i] = step{group: i, up: ups[i], down: downs[i]}
	}
	if !standardOrder(groups) {
		return p.verifyWhole(ctx, groups, steps)
	}
	x := newScopeIndex(p, groups, steps)
	if x.unreadable {
		return p.verifyWhole(ctx, groups, steps)
	}
	if changed, err = p.verifyFrame(ctx, groups, steps); changed || err != nil {
		return changed, err
	}
	for _, cluster := range x.clusters() {
		c, err := p.verifyCluster(ctx, x, cluster)
		if errors.Is(err, errIsolation) {
			return p.verifyWhole(ctx, groups, steps)
		}
		if err != nil {
			return false, err
		}
		changed = changed || c
	}
	return changed, nil
}

// step is SQL verify runs for one group (or in its place).
type step struct {
	group    int
	up, down string
	stand    bool // stands in for a table group's SQL: its table is not checked
}

// verifyWhole runs every step in one copy of the whole current schema.
func (p *planner) verifyWhole(ctx context.Context, groups []*opGroup, steps []step) (bool, error) {
	return p.run(ctx, groups, p.current.CreateScript(), steps, false)
}

// run loads script into a new in-memory database, runs the steps' upgrades,
// checks the table groups among them, runs the downgrades in reverse and
// checks again. With probe set it also fails with errIsolation when the
// steps leave a view or trigger that a later ALTER TABLE would fail on.
func (p *planner) run(ctx context.Context, groups []*opGroup, script string, steps []step, probe bool) (bool, error) {
	conn, closeDB, err := p.open(ctx)
	if err != nil {
		return false, err
	}
	defer closeDB()
	if err := schema.ExecScript(ctx, conn, "PRAGMA foreign_keys = OFF;\n"+script); err != nil {
		return false, fmt.Errorf("%w: the current schema does not load into SQLite: %w", render.ErrRender, err)
	}
	var checked []*opGroup
	for _, s := range steps {
		if err := schema.ExecScript(ctx, conn, s.up); err != nil {
			return p.force(p.forceUp, groups[s.group], "upgrade", err)
		}
		if g := groups[s.group]; g.table != "" && !s.stand && !slices.Contains(checked, g) {
			checked = append(checked, g)
		}
	}
	if probe && !schemaParses(ctx, conn) {
		return false, errIsolation
	}
	if changed, err := p.checkTables(ctx, conn, checked, p.forceUp, func(g *opGroup, got *schema.Schema) bool {
		have, want := got.Table(g.table), p.target.Table(g.table)
		return have != nil && have.Equal(want.InOrderOf(have))
	}); changed || err != nil {
		return changed, err
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if err := schema.ExecScript(ctx, conn, steps[i].down); err != nil {
			return p.force(p.forceDown, groups[steps[i].group], "downgrade", err)
		}
	}
	if probe && !schemaParses(ctx, conn) {
		return false, errIsolation
	}
	return p.checkTables(ctx, conn, checked, p.forceDown, func(g *opGroup, got *schema.Schema) bool {
		name := g.from
		have, want := got.Table(name), p.current.Table(name)
		return have != nil && have.Equal(want) && have.SQL == want.SQL && sameIndexSQL(have, want)
	})
}

// errIsolation says a cluster's copy left a view or trigger that SQLite
// would refuse at a later ALTER TABLE of another cluster: only the whole
// copy tells whether that statement runs while the object is broken.
var errIsolation = errors.New("isolated verification is not sound here")

// schemaParses reports whether every view and trigger of the database
// still resolves, by renaming a scratch table: SQLite re-checks them all.
func schemaParses(ctx context.Context, conn *sql.Conn) bool {
	err := schema.ExecScript(ctx, conn, `CREATE TABLE "_autogen_probe" ("x");
ALTER TABLE "_autogen_probe" RENAME TO "_autogen_probe2";
DROP TABLE "_autogen_probe2";`)
	return err == nil
}

// standardOrder reports whether groups come in the order diff.Compare
// gives: view and trigger drops and new tables, then table changes, then
// table drops and new views and triggers. Only then do table groups see
// the same views, triggers and tables whatever the other groups do.
func standardOrder(groups []*opGroup) bool {
	last := 0
	for _, g := range groups {
		phase := 1
		if g.table == "" {
			switch g.ops[0].(type) {
			case *diff.DropView, *diff.DropTrigger, *diff.CreateTable:
				phase = 0
			default:
				phase = 2
			}
		}
		if phase < last {
			return false
		}
		last = phase
	}
	return true
}

// verifyFrame runs the groups that are not table changes in a copy of the
// whole current schema (loading it is linear: only ALTER TABLE re-parses
// the schema). A table group that renames its table is stood in for by the
// target table, so that new triggers find it; no table group is checked.
func (p *planner) verifyFrame(ctx context.Context, groups []*opGroup, steps []step) (bool, error) {
	var frame []step
	for i, g := range groups {
		if g.table == "" {
			frame = append(frame, steps[i])
			continue
		}
		to := p.target.Table(g.table)
		if to == nil || sqltext.EqualIdent(g.from, to.Name) {
			continue
		}
		frame = append(frame, step{group: i, up: to.SQL + ";", down: "DROP TABLE " + sqltext.QuoteIdent(to.Name) + ";", stand: true})
	}
	return p.run(ctx, groups, p.current.CreateScript(), frame, false)
}

// scopeIndex finds what each table group's SQL can touch or depend on:
// its table; the tables it references and those referencing it, which a
// RENAME rewrites; the live views and triggers naming it, directly or
// through such views, which a rebuild drops and recreates and every ALTER
// TABLE re-checks; and the tables and views those name in turn.
type scopeIndex struct {
	p        *planner
	groups   []*opGroup
	steps    []step
	alters   int                        // table groups whose SQL holds an ALTER TABLE
	tables   map[string]*schema.Table   // current tables by key
	created  map[string]*schema.Table   // tables the CreateTable groups add
	children map[string][]*schema.Table // current tables by the key of a table they reference
	views    map[string]*schema.View    // live views by key
	viewsOf  map[string][]*schema.View  // live views whose SQL names the key
	trigsOf  map[string][]*schema.Trigger
	idents   map[string][]string // keys a live view's or trigger's SQL names, by its SQL
	pos      map[any]int         // where a table, view or trigger comes in CreateScript
	// unreadable is set when a view's or trigger's SQL does not tokenize:
	// what it names is then unknown.
	unreadable bool
}

func newScopeIndex(p *planner, groups []*opGroup, steps []step) *scopeIndex {
	x := &scopeIndex{p: p, groups: groups, steps: steps,
		tables: map[string]*schema.Table{}, created: map[string]*schema.Table{}, children: map[string][]*schema.Table{},
		views: map[string]*schema.View{}, viewsOf: map[string][]*schema.View{}, trigsOf: map[string][]*schema.Trigger{}, idents: map[string][]string{},
		pos: map[any]int{}}
	all := make([]int, len(groups))
	for i := range all {
		all[i] = i
	}
	x.alters = alters(groups, all, steps)
	for _, t := range p.current.Tables {
		x.pos[t] = len(x.pos)
		x.tables[sqltext.FoldIdent(t.Name)] = t
		for _, fk := range t.ForeignKeys {
			k := sqltext.FoldIdent(fk.RefTable)
			x.children[k] = append(x.children[k], t)
		}
	}
	for _, g := range groups {
		if o, ok := g.ops[0].(*diff.CreateTable); ok && g.table == "" && x.tables[sqltext.FoldIdent(o.New.Name)] == nil {
			x.pos[o.New] = len(x.pos)
			x.created[sqltext.FoldIdent(o.New.Name)] = o.New
		}
	}
	for _, v := range p.live.Views {
		x.pos[v] = len(x.pos)
		x.views[sqltext.FoldIdent(v.Name)] = v
		for _, k := range x.names(v.SQL) {
			x.viewsOf[k] = append(x.viewsOf[k], v)
		}
	}
	for _, tr := range p.live.Triggers {
		x.pos[tr] = len(x.pos)
		for _, k := range append(x.names(tr.SQL), sqltext.FoldIdent(tr.Table)) {
			x.trigsOf[k] = append(x.trigsOf[k], tr)
		}
	}
	return x
}

// names returns the keys of the identifiers and strings sql holds, as
// mentions matches them, remembering them by sql.
func (x *scopeIndex) names(sql string) []string {
	if keys, ok := x.idents[sql]; ok {
		return keys
	}
	toks, err := sqltext.Tokenize(sql)
	if err != nil {
		x.unreadable = true
	}
	seen := map[string]bool{}
	var keys []string
	for _, t := range toks {
		if t.Kind != sqltext.TokenIdent && t.Kind != sqltext.TokenQuotedIdent && t.Kind != sqltext.TokenString {
			continue
		}
		if k := sqltext.FoldIdent(t.Value); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	x.idents[sql] = keys
	return keys
}

// scope is a set of objects to load into a copy.
type scope struct {
	tables map[string]bool // keys of current or created tables
	views  map[*schema.View]bool
	trigs  map[*schema.Trigger]bool
}

func newScope() *scope {
	return &scope{tables: map[string]bool{}, views: map[*schema.View]bool{}, trigs: map[*schema.Trigger]bool{}}
}

// add puts into sc what table group g can touch or depend on.
func (x *scopeIndex) add(sc *scope, g *opGroup) {
	from, to := sqltext.FoldIdent(g.from), sqltext.FoldIdent(g.table)
	x.addTable(sc, from)
	if t := x.tables[from]; t != nil {
		for _, fk := range t.ForeignKeys {
			x.addTable(sc, sqltext.FoldIdent(fk.RefTable))
		}
	}
	for _, c := range x.children[from] {
		x.addTable(sc, sqltext.FoldIdent(c.Name))
	}
	var named []string // SQL of the views and triggers taken in
	for queue := []string{from, to}; len(queue) > 0; queue = queue[1:] {
		for _, v := range x.viewsOf[queue[0]] {
			if !sc.views[v] {
				sc.views[v] = true
				queue = append(queue, sqltext.FoldIdent(v.Name))
				named = append(named, v.SQL)
			}
		}
		for _, tr := range x.trigsOf[queue[0]] {
			if !sc.trigs[tr] {
				sc.trigs[tr] = true
				named = append(named, tr.SQL)
			}
		}
	}
	// Every ALTER TABLE re-checks those views and triggers: what they name
	// must be there.
	for ; len(named) > 0; named = named[1:] {
		for _, k := range x.names(named[0]) {
			x.addTable(sc, k)
			if v := x.views[k]; v != nil && !sc.views[v] {
				sc.views[v] = true
				named = append(named, v.SQL)
			}
		}
	}
}

func (x *scopeIndex) addTable(sc *scope, key string) {
	if x.tables[key] != nil || x.created[key] != nil {
		sc.tables[key] = true
	}
}

// clusters returns the table groups (indexes, in order) that must share a
// copy: a group joins every group that renames a table in its scope, since
// the rename rewrites what the group's SQL and checks see. Groups that
// rename nothing leave each other's definitions alone, so each of those
// runs alone.
func (x *scopeIndex) clusters() [][]int {
	parent := make([]int, len(x.groups))
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	renamer := map[string]int{}
	for i, g := range x.groups {
		parent[i] = i
		if g.table != "" && renames(g) {
			renamer[sqltext.FoldIdent(g.from)] = i
			renamer[sqltext.FoldIdent(g.table)] = i
		}
	}
	for i, g := range x.groups {
		if g.table == "" {
			continue
		}
		sc := newScope()
		x.add(sc, g)
		for k := range sc.tables {
			if j, ok := renamer[k]; ok {
				parent[find(i)] = find(j)
			}
		}
	}
	var out [][]int
	at := map[int]int{}
	for i, g := range x.groups {
		if g.table == "" {
			continue
		}
		r := find(i)
		if _, ok := at[r]; !ok {
			at[r] = len(out)
			out = append(out, nil)
		}
		out[at[r]] = append(out[at[r]], i)
	}
	return out
}

// alters counts the table groups among idx whose SQL holds an ALTER TABLE.
func alters(groups []*opGroup, idx []int, steps []step) int {
	n := 0
	for _, i := range idx {
		if groups[i].table != "" && (strings.Contains(steps[i].up, "ALTER TABLE") || strings.Contains(steps[i].down, "ALTER TABLE")) {
			n++
		}
	}
	return n
}

// verifyCluster runs one cluster's table groups in a copy of their scope.
func (p *planner) verifyCluster(ctx context.Context, x *scopeIndex, cluster []int) (bool, error) {
	sc := newScope()
	steps := make([]step, 0, len(cluster))
	for _, i := range cluster {
		x.add(sc, x.groups[i])
		steps = append(steps, x.steps[i])
	}
	// A later ALTER TABLE of another cluster re-checks this copy's views
	// and triggers in the real database.
	probe := (len(sc.views) > 0 || len(sc.trigs) > 0) && x.alters-alters(x.groups, cluster, x.steps) > 0
	return p.run(ctx, x.groups, x.script(sc), steps, probe)
}

// script is the DDL that makes sc, in CreateScript's order, at a cost
// that grows with sc rather than with the schema.
func (x *scopeIndex) script(sc *scope) string {
	tables := make([]*schema.Table, 0, len(sc.tables))
	for k := range sc.tables {
		if t := x.tables[k]; t != nil {
			tables = append(tables, t)
		} else {
			tables = append(tables, x.created[k])
		}
	}
	slices.SortFunc(tables, func(a, b *schema.Table) int { return x.pos[a] - x.pos[b] })
	views := slices.Collect(maps.Keys(sc.views))
	slices.SortFunc(views, func(a, b *schema.View) int { return x.pos[a] - x.pos[b] })
	trigs := slices.Collect(maps.Keys(sc.trigs))
	slices.SortFunc(trigs, func(a, b *schema.Trigger) int { return x.pos[a] - x.pos[b] })
	return (&schema.Schema{Tables: tables, Views: views, Triggers: trigs}).CreateScript()
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
	key := sqltext.FoldIdent(g.table)
	if g.table == "" || set[key] {
		return false, fmt.Errorf("%w: the %s SQL fails on an empty copy of the schema: %w", render.ErrRender, dir, err)
	}
	set[key] = true
	return true, nil
}

// checkTables inspects the database and marks for rebuild each changed
// table that ok rejects. A table already rebuilt is left as it is: its
// definition is the exact CREATE text, so a difference there is SQLite's
// own (the quoting of a renamed table's name).
func (p *planner) checkTables(ctx context.Context, conn *sql.Conn, groups []*opGroup, set map[string]bool, ok func(*opGroup, *schema.Schema) bool) (bool, error) {
	if len(groups) == 0 {
		return false, nil // nothing to check: spare inspecting the whole copy
	}
	got, err := schema.Inspect(ctx, conn)
	if err != nil {
		return false, fmt.Errorf("%w: inspecting the migrated copy: %w", render.ErrRender, err)
	}
	changed := false
	for _, g := range groups {
		key := sqltext.FoldIdent(g.table)
		if g.table == "" || set[key] || ok(g, got) {
			continue
		}
		set[key], changed = true, true
	}
	return changed, nil
}
