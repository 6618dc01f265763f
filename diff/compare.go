package diff

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// Options steer Compare.
type Options struct {
	// ColumnRenames maps a table (its target name, or its current name) to
	// old column name -> new column name.
	ColumnRenames map[string]map[string]string
	// TableRenames maps old table name -> new table name.
	TableRenames map[string]string
	// DropUnmanaged drops every view and trigger that exists only in the
	// current schema. By default only the managed ones are dropped (those
	// autogen created for the models, schema.View.Managed); the others were
	// made by hand, or before autogen marked what it creates, and are kept.
	DropUnmanaged bool
}

// errRename is wrapped by errors about rename hints that do not fit the
// schemas.
var errRename = errors.New("invalid rename")

// Compare returns the operations that turn current into target, in the order
// they must run: view and trigger drops, then PostgreSQL enum type
// creations and value changes, then table creations (parents first), then
// each table's changes (by table name), then table drops (children
// first), then enum type drops, then view and trigger creations. Equal schemas give an
// empty list.
func Compare(current, target *schema.Schema, opts Options) ([]Op, error) {
	pairs, err := pairTables(current, target, opts.TableRenames)
	if err != nil {
		return nil, err
	}
	var creates, drops []*schema.Table
	var tableOps []Op
	for _, p := range pairs {
		switch {
		case p.old == nil:
			creates = append(creates, p.new)
		case p.new == nil:
			drops = append(drops, p.old)
		default:
			renames, err := columnRenames(opts.ColumnRenames, p.old.Name, p.new.Name)
			if err != nil {
				return nil, err
			}
			ops, err := compareTable(p.old, p.new, renames, opts)
			if err != nil {
				return nil, err
			}
			tableOps = append(tableOps, ops...)
		}
	}
	if err := checkRenameHints(opts.ColumnRenames, pairs); err != nil {
		return nil, err
	}
	sortTableOps(tableOps)
	enumOps, enumDrops := compareEnums(current.Enums, target.Enums)
	tableOps = impliedByRename(tableOps, enumOps)

	var ops []Op
	viewDrops, viewCreates := compareViews(current.Views, target.Views, opts.DropUnmanaged)
	trigDrops, trigCreates := compareTriggers(current.Triggers, target.Triggers, opts.DropUnmanaged, droppedNames(drops))
	// Triggers go before views: an INSTEAD OF trigger sits on a view, and a
	// downgrade, which undoes the drops in reverse, must create the view
	// first.
	ops = append(ops, trigDrops...)
	ops = append(ops, viewDrops...)
	// Enum types come into being before the tables that use them, and go
	// once no table uses them.
	ops = append(ops, enumOps...)
	for _, t := range fkOrder(creates) {
		ops = append(ops, &CreateTable{New: t})
	}
	ops = append(ops, tableOps...)
	order := fkOrder(drops)
	for i := len(order) - 1; i >= 0; i-- {
		ops = append(ops, &DropTable{Old: order[i]})
	}
	ops = append(ops, enumDrops...)
	ops = append(ops, viewCreates...)
	ops = append(ops, trigCreates...)
	return ops, nil
}

type tablePair struct{ old, new *schema.Table }

// pairTables matches current tables with target tables by name or rename
// hint, sorted by the target's (else the current's) name.
func pairTables(current, target *schema.Schema, renames map[string]string) ([]tablePair, error) {
	byNew := map[string]string{} // lower(new) -> old
	byOld := map[string]string{} // lower(old) -> old, as given
	for _, old := range slices.Sorted(maps.Keys(renames)) {
		nw := renames[old]
		if prev, ok := byOld[sqltext.FoldIdent(old)]; ok {
			if !sqltext.EqualIdent(renames[prev], nw) {
				return nil, fmt.Errorf("%w: table renames %s=%s and %s=%s both rename table %q; give one", errRename, prev, renames[prev], old, nw, old)
			}
			continue
		}
		if prev, ok := byNew[sqltext.FoldIdent(nw)]; ok {
			return nil, fmt.Errorf("%w: table renames %s=%s and %s=%s both rename a table to %q; give one", errRename, prev, renames[prev], old, nw, nw)
		}
		byOld[sqltext.FoldIdent(old)] = old
		if current.Table(old) == nil {
			return nil, fmt.Errorf("%w: table rename %s=%s names table %q, which the database does not have", errRename, old, nw, old)
		}
		if target.Table(nw) == nil {
			return nil, fmt.Errorf("%w: table rename %s=%s names table %q, which the models do not have", errRename, old, nw, nw)
		}
		if !sqltext.EqualIdent(old, nw) && current.Table(nw) != nil {
			return nil, fmt.Errorf("%w: table rename %s=%s: the database already has a table %q", errRename, old, nw, nw)
		}
		byNew[sqltext.FoldIdent(nw)] = old
	}
	var pairs []tablePair
	used := map[*schema.Table]bool{}
	for _, t := range target.Tables {
		var old *schema.Table
		if name, ok := byNew[sqltext.FoldIdent(t.Name)]; ok {
			old = current.Table(name)
		} else if c := current.Table(t.Name); c != nil && !renamedAway(renames, c.Name) {
			old = c
		}
		if old != nil {
			used[old] = true
		}
		pairs = append(pairs, tablePair{old: old, new: t})
	}
	for _, t := range current.Tables {
		if !used[t] {
			pairs = append(pairs, tablePair{old: t})
		}
	}
	slices.SortStableFunc(pairs, func(a, b tablePair) int {
		return cmp.Compare(sqltext.FoldIdent(pairName(a)), sqltext.FoldIdent(pairName(b)))
	})
	return pairs, nil
}

func pairName(p tablePair) string {
	if p.new != nil {
		return p.new.Name
	}
	return p.old.Name
}

func renamedAway(renames map[string]string, name string) bool {
	for old, nw := range renames {
		if sqltext.EqualIdent(old, name) && !sqltext.EqualIdent(old, nw) {
			return true
		}
	}
	return false
}

// columnRenames returns the column hints given for a table under either
// name. Two hints for one column that disagree, or two hints that give
// one new name, are an error naming both: which one wins must never
// depend on map order.
func columnRenames(all map[string]map[string]string, oldName, newName string) (map[string]string, error) {
	out := map[string]string{}
	type hint struct{ table, old, new string }
	bySrc := map[string]hint{} // lower(old column) -> hint
	byDst := map[string]hint{} // lower(new column) -> hint
	for _, table := range slices.Sorted(maps.Keys(all)) {
		if !sqltext.EqualIdent(table, oldName) && !sqltext.EqualIdent(table, newName) {
			continue
		}
		for _, o := range slices.Sorted(maps.Keys(all[table])) {
			h := hint{table, o, all[table][o]}
			if prev, ok := bySrc[sqltext.FoldIdent(o)]; ok {
				if !sqltext.EqualIdent(prev.new, h.new) {
					return out, fmt.Errorf("%w: column renames %s.%s=%s and %s.%s=%s both rename column %q of table %q; give one", errRename, prev.table, prev.old, prev.new, h.table, h.old, h.new, o, newName)
				}
				continue
			}
			if prev, ok := byDst[sqltext.FoldIdent(h.new)]; ok {
				return out, fmt.Errorf("%w: column renames %s.%s=%s and %s.%s=%s both rename a column of table %q to %q; give one", errRename, prev.table, prev.old, prev.new, h.table, h.old, h.new, newName, h.new)
			}
			bySrc[sqltext.FoldIdent(o)], byDst[sqltext.FoldIdent(h.new)] = h, h
			out[o] = h.new
		}
	}
	return out, nil
}

// checkRenameHints rejects column hints for tables that are not on both sides.
func checkRenameHints(all map[string]map[string]string, pairs []tablePair) error {
	for _, table := range slices.Sorted(maps.Keys(all)) {
		found := false
		for _, p := range pairs {
			if p.old != nil && p.new != nil && (sqltext.EqualIdent(table, p.old.Name) || sqltext.EqualIdent(table, p.new.Name)) {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%w: column rename hint names table %q, which is not in both the database and the models", errRename, table)
		}
	}
	return nil
}

func droppedNames(drops []*schema.Table) map[string]bool {
	out := map[string]bool{}
	for _, t := range drops {
		out[sqltext.FoldIdent(t.Name)] = true
	}
	return out
}

// sortTableOps orders per-table operations by table name, then kind, then
// column position or object name.
func sortTableOps(ops []Op) {
	slices.SortStableFunc(ops, func(a, b Op) int {
		return cmp.Or(
			cmp.Compare(sqltext.FoldIdent(a.Table()), sqltext.FoldIdent(b.Table())),
			cmp.Compare(a.rank(), b.rank()),
			cmp.Compare(opPosition(a), opPosition(b)),
			cmp.Compare(orderKey(a), orderKey(b)),
		)
	})
}

// orderKey is sortTableOps' last tie-break: Describe's text, but for the
// changes of one column the attribute's name (collation, default,
// generated, nullable, type), so that their order does not follow the
// wording of the log lines.
func orderKey(op Op) string {
	if o, ok := op.(*AlterColumn); ok {
		return fmt.Sprintf("modified %s on '%s.%s'", o.Attr, o.TableName, o.New.Name)
	}
	return op.Describe()
}

func opPosition(op Op) int {
	switch o := op.(type) {
	case *AddColumn:
		return o.Column.Position
	case *DropColumn:
		return o.Column.Position
	case *RenameColumn:
		return o.New.Position
	case *AlterColumn:
		return o.New.Position
	}
	return 0
}

// fkOrder sorts tables so that every table comes after the tables its
// foreign keys reference, among the given ones; tables in a reference cycle
// come by name, which works because the runner applies revisions with
// foreign key enforcement off.
func fkOrder(tables []*schema.Table) []*schema.Table {
	byName := map[string]*schema.Table{}
	for _, t := range tables {
		byName[sqltext.FoldIdent(t.Name)] = t
	}
	pending := slices.Clone(tables)
	slices.SortFunc(pending, func(a, b *schema.Table) int {
		return cmp.Compare(sqltext.FoldIdent(a.Name), sqltext.FoldIdent(b.Name))
	})
	done := map[*schema.Table]bool{}
	var out []*schema.Table
	ready := func(t *schema.Table) bool {
		for _, fk := range t.ForeignKeys {
			p := byName[sqltext.FoldIdent(fk.RefTable)]
			if p != nil && p != t && !done[p] {
				return false
			}
		}
		return true
	}
	for len(pending) > 0 {
		i := slices.IndexFunc(pending, ready)
		if i < 0 {
			i = 0 // a cycle: take the first by name
		}
		done[pending[i]] = true
		out = append(out, pending[i])
		pending = slices.Delete(pending, i, i+1)
	}
	return out
}
