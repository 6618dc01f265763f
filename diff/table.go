package diff

import (
	"fmt"
	"maps"
	"slices"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// compareTable lists the changes from table old to table new; renames maps
// old column names to new ones.
func compareTable(old, new *schema.Table, renames map[string]string, opts Options) ([]Op, error) {
	var ops []Op
	if !sqltext.EqualIdent(old.Name, new.Name) {
		ops = append(ops, &RenameTable{Old: old, New: new})
	}
	colOps, err := compareColumns(old, new, renames)
	if err != nil {
		return nil, err
	}
	ops = append(ops, colOps...)
	name := new.Name
	if old.WithoutRowID != new.WithoutRowID || old.Strict != new.Strict {
		ops = append(ops, &AlterOptions{TableName: name, Old: old, New: new})
	}
	if !schema.EqualPrimaryKey(old.PrimaryKey, new.PrimaryKey) {
		ops = append(ops, &AlterPrimaryKey{TableName: name, Old: old.PrimaryKey, New: new.PrimaryKey})
	}
	// Constraints are compared after mapping renamed columns, so a rename
	// alone does not drop and re-add them.
	oldR := renamedTable(old, renames)
	oldR.ForeignKeys = renamedRefs(oldR.ForeignKeys, opts)
	for _, u := range unmatched(new.Uniques, oldR.Uniques, schema.EqualUnique) {
		ops = append(ops, &AddUnique{TableName: name, Unique: u})
	}
	for _, u := range unmatched(oldR.Uniques, new.Uniques, schema.EqualUnique) {
		ops = append(ops, &DropUnique{TableName: name, Unique: original(u, oldR.Uniques, old.Uniques)})
	}
	ops = append(ops, compareForeignKeys(name, old, oldR, new)...)
	for _, c := range unmatched(new.Checks, oldR.Checks, schema.EqualCheck) {
		ops = append(ops, &AddCheck{TableName: name, Check: c})
	}
	for _, c := range unmatched(oldR.Checks, new.Checks, schema.EqualCheck) {
		ops = append(ops, &DropCheck{TableName: name, Check: original(c, oldR.Checks, old.Checks)})
	}
	ops = append(ops, compareIndexes(old, oldR, new)...)
	return ops, nil
}

// compareForeignKeys pairs a removed and an added foreign key on the same
// columns and references as one AlterForeignKey: what changed is what it
// does (ON DELETE, ON UPDATE, deferral, name).
func compareForeignKeys(name string, old, oldR, new *schema.Table) []Op {
	added := unmatched(new.ForeignKeys, oldR.ForeignKeys, schema.EqualForeignKey)
	removed := unmatched(oldR.ForeignKeys, new.ForeignKeys, schema.EqualForeignKey)
	var ops []Op
	for _, fk := range added {
		i := slices.IndexFunc(removed, func(r *schema.ForeignKey) bool { return sameReference(r, fk) })
		if i < 0 {
			ops = append(ops, &AddForeignKey{TableName: name, ForeignKey: fk})
			continue
		}
		ops = append(ops, &AlterForeignKey{TableName: name, Old: original(removed[i], oldR.ForeignKeys, old.ForeignKeys), New: fk})
		removed = slices.Delete(removed, i, i+1)
	}
	for _, fk := range removed {
		ops = append(ops, &DropForeignKey{TableName: name, ForeignKey: original(fk, oldR.ForeignKeys, old.ForeignKeys)})
	}
	return ops
}

// sameReference reports whether two foreign keys tie the same columns to
// the same table and columns.
func sameReference(a, b *schema.ForeignKey) bool {
	return slices.EqualFunc(a.Columns, b.Columns, sqltext.EqualIdent) && sqltext.EqualIdent(a.RefTable, b.RefTable) &&
		slices.EqualFunc(a.RefColumns, b.RefColumns, sqltext.EqualIdent) && a.RefSchema == b.RefSchema
}

// renamedRefs returns copies of fks whose parent table and columns carry
// the names the rename hints give them: ALTER TABLE ... RENAME rewrites
// references the same way.
func renamedRefs(fks []*schema.ForeignKey, opts Options) []*schema.ForeignKey {
	if len(opts.TableRenames) == 0 && len(opts.ColumnRenames) == 0 {
		return fks
	}
	out := make([]*schema.ForeignKey, len(fks))
	for i, fk := range fks {
		fk2 := *fk
		for o, n := range opts.TableRenames {
			if sqltext.EqualIdent(o, fk.RefTable) {
				fk2.RefTable = n
			}
		}
		// Compare has checked every pair's hints; a conflict here names
		// a table that is not on both sides, which Compare rejects.
		cols, _ := columnRenames(opts.ColumnRenames, fk.RefTable, fk2.RefTable)
		fk2.RefColumns = make([]string, len(fk.RefColumns))
		for j, c := range fk.RefColumns {
			fk2.RefColumns[j] = c
			for o, n := range cols {
				if sqltext.EqualIdent(o, c) {
					fk2.RefColumns[j] = n
				}
			}
		}
		out[i] = &fk2
	}
	return out
}

func compareColumns(old, new *schema.Table, renames map[string]string) ([]Op, error) {
	var ops []Op
	matched := map[*schema.Column]bool{}
	for _, o := range slices.Sorted(maps.Keys(renames)) {
		n := renames[o]
		oc, nc := old.Column(o), new.Column(n)
		if oc == nil {
			return nil, fmt.Errorf("%w: column rename %s.%s=%s names column %q, which table %q in the database does not have", errRename, new.Name, o, n, o, old.Name)
		}
		if nc == nil {
			return nil, fmt.Errorf("%w: column rename %s.%s=%s names column %q, which table %q in the models does not have", errRename, new.Name, o, n, n, new.Name)
		}
		if !sqltext.EqualIdent(o, n) && old.Column(n) != nil {
			return nil, fmt.Errorf("%w: column rename %s.%s=%s: table %q already has a column %q", errRename, new.Name, o, n, old.Name, n)
		}
	}
	for _, nc := range new.Columns {
		oc := old.Column(nc.Name)
		if oldName, ok := renamedFrom(renames, nc.Name); ok {
			oc = old.Column(oldName)
		} else if oc != nil && renamedAway(renames, oc.Name) {
			oc = nil
		}
		if oc == nil {
			ops = append(ops, &AddColumn{TableName: new.Name, Column: nc})
			continue
		}
		matched[oc] = true
		if oc.Name != nc.Name {
			ops = append(ops, &RenameColumn{TableName: new.Name, Old: oc, New: nc})
		}
		ops = append(ops, alterColumn(new.Name, oc, nc, renames)...)
	}
	for _, oc := range old.Columns {
		if !matched[oc] {
			ops = append(ops, &DropColumn{TableName: new.Name, Column: oc})
		}
	}
	return ops, nil
}

// renamedFrom returns the old name of the column the hints rename to
// newName; columnRenames allows one at most.
func renamedFrom(renames map[string]string, newName string) (string, bool) {
	for _, o := range slices.Sorted(maps.Keys(renames)) {
		if sqltext.EqualIdent(renames[o], newName) {
			return o, true
		}
	}
	return "", false
}

// alterColumn yields one AlterColumn per attribute that differs.
func alterColumn(table string, oc, nc *schema.Column, renames map[string]string) []Op {
	var ops []Op
	add := func(a Attr) { ops = append(ops, &AlterColumn{TableName: table, Attr: a, Old: oc, New: nc}) }
	if schema.NormalizeType(oc.Type) != schema.NormalizeType(nc.Type) {
		add(AttrType)
	}
	if oc.NotNull != nc.NotNull {
		add(AttrNotNull)
	}
	if normExpr(oc.Default) != normExpr(nc.Default) {
		add(AttrDefault)
	}
	if !sqltext.EqualIdent(oc.Collation, nc.Collation) {
		add(AttrCollation)
	}
	if normExpr(sqltext.RenameIdents(oc.Generated, renames)) != normExpr(nc.Generated) || (oc.Generated != "" && oc.Stored != nc.Stored) {
		add(AttrGenerated)
	}
	return ops
}

func normExpr(e string) string {
	if e == "" {
		return ""
	}
	return schema.NormalizeExpr(e)
}

// renamedTable returns a copy of t whose constraints name columns by their
// new names.
func renamedTable(t *schema.Table, renames map[string]string) *schema.Table {
	if len(renames) == 0 {
		r := *t // a copy: the caller replaces its slices
		return &r
	}
	mapCol := func(c string) string {
		for o, n := range renames {
			if sqltext.EqualIdent(o, c) {
				return n
			}
		}
		return c
	}
	mapCols := func(cs []string) []string {
		out := make([]string, len(cs))
		for i, c := range cs {
			out[i] = mapCol(c)
		}
		return out
	}
	r := *t
	r.Uniques = nil
	for _, u := range t.Uniques {
		u2 := *u
		u2.Columns = mapCols(u.Columns)
		r.Uniques = append(r.Uniques, &u2)
	}
	r.ForeignKeys = nil
	for _, fk := range t.ForeignKeys {
		fk2 := *fk
		fk2.Columns = mapCols(fk.Columns)
		r.ForeignKeys = append(r.ForeignKeys, &fk2)
	}
	r.Checks = nil
	for _, c := range t.Checks {
		c2 := *c
		c2.Expr = sqltext.RenameIdents(c.Expr, renames)
		r.Checks = append(r.Checks, &c2)
	}
	r.Indexes = nil
	for _, ix := range t.Indexes {
		ix2 := *ix
		ix2.Columns = nil
		ix2.Where = sqltext.RenameIdents(ix.Where, renames)
		for _, c := range ix.Columns {
			if c.Name != "" {
				c.Name = mapCol(c.Name)
			}
			c.Expr = sqltext.RenameIdents(c.Expr, renames)
			ix2.Columns = append(ix2.Columns, c)
		}
		r.Indexes = append(r.Indexes, &ix2)
	}
	return &r
}

// unmatched returns the items of a that have no equal partner in b, each
// partner used once.
func unmatched[T any](a, b []*T, eq func(x, y *T) bool) []*T {
	used := make([]bool, len(b))
	var out []*T
	for _, x := range a {
		found := false
		for j, y := range b {
			if !used[j] && eq(x, y) {
				used[j], found = true, true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// original maps an item of a renamed copy back to the original object.
func original[T any](x *T, copies, originals []*T) *T {
	for i, c := range copies {
		if c == x {
			return originals[i]
		}
	}
	return x
}

// compareIndexes matches indexes by name; a changed index is dropped and
// created again.
func compareIndexes(old, oldR, new *schema.Table) []Op {
	var ops []Op
	for _, ix := range new.Indexes {
		var prev *schema.Index
		for _, o := range oldR.Indexes {
			if sqltext.EqualIdent(o.Name, ix.Name) {
				prev = o
			}
		}
		if prev != nil && equalIndex(prev, ix, old.Name, new.Name) {
			continue
		}
		if prev != nil {
			ops = append(ops, &DropIndex{Index: original(prev, oldR.Indexes, old.Indexes)})
		}
		ops = append(ops, &AddIndex{Index: ix})
	}
	for _, o := range oldR.Indexes {
		if !containsIndex(new.Indexes, o.Name) {
			ops = append(ops, &DropIndex{Index: original(o, oldR.Indexes, old.Indexes)})
		}
	}
	return ops
}

func equalIndex(a, b *schema.Index, oldName, newName string) bool {
	if sqltext.EqualIdent(a.Table, oldName) && !sqltext.EqualIdent(oldName, newName) {
		a2 := *a
		a2.Table = newName
		a = &a2
	}
	return schema.EqualIndex(a, b)
}

func containsIndex(list []*schema.Index, name string) bool {
	for _, ix := range list {
		if sqltext.EqualIdent(ix.Name, name) {
			return true
		}
	}
	return false
}

// compareViews returns the drops and creations that make the views match;
// a view only in current is dropped when autogen made it for the models
// (Managed: the models have lost it since) or dropUnmanaged is set; one
// made by hand is kept.
func compareViews(cur, tgt []*schema.View, dropUnmanaged bool) (drops, creates []Op) {
	for _, v := range tgt {
		var prev *schema.View
		for _, c := range cur {
			if sqltext.EqualIdent(c.Name, v.Name) {
				prev = c
			}
		}
		if prev != nil && sameSQL(prev.SQL, v.SQL) {
			continue
		}
		if prev != nil {
			drops = append(drops, &DropView{View: prev})
		}
		creates = append(creates, &CreateView{View: v})
	}
	for _, c := range cur {
		if (dropUnmanaged || c.Managed) && !containsView(tgt, c.Name) {
			drops = append(drops, &DropView{View: c})
		}
	}
	sortTableOps(drops)
	sortTableOps(creates)
	return drops, creates
}

func containsView(list []*schema.View, name string) bool {
	for _, v := range list {
		if sqltext.EqualIdent(v.Name, name) {
			return true
		}
	}
	return false
}

// compareTriggers is compareViews for triggers; triggers on dropped tables
// go with their table and need no operation.
func compareTriggers(cur, tgt []*schema.Trigger, dropUnmanaged bool, dropped map[string]bool) (drops, creates []Op) {
	for _, t := range tgt {
		var prev *schema.Trigger
		for _, c := range cur {
			if sqltext.EqualIdent(c.Name, t.Name) {
				prev = c
			}
		}
		if prev != nil && sameSQL(prev.SQL, t.SQL) {
			continue
		}
		if prev != nil {
			drops = append(drops, &DropTrigger{Trigger: prev})
		}
		creates = append(creates, &CreateTrigger{Trigger: t})
	}
	for _, c := range cur {
		if (dropUnmanaged || c.Managed) && !containsTrigger(tgt, c.Name) && !dropped[sqltext.FoldIdent(c.Table)] {
			drops = append(drops, &DropTrigger{Trigger: c})
		}
	}
	sortTableOps(drops)
	sortTableOps(creates)
	return drops, creates
}

func containsTrigger(list []*schema.Trigger, name string) bool {
	for _, v := range list {
		if sqltext.EqualIdent(v.Name, name) {
			return true
		}
	}
	return false
}

// sameSQL compares statements token by token, so that whitespace and
// comments do not count.
func sameSQL(a, b string) bool {
	ta, errA := sqltext.Tokenize(a)
	tb, errB := sqltext.Tokenize(b)
	if errA != nil || errB != nil {
		return a == b
	}
	ta, tb = dropComments(ta), dropComments(tb)
	if len(ta) != len(tb) {
		return false
	}
	for i := range ta {
		if !sqltext.EqualIdent(ta[i].Value, tb[i].Value) && ta[i].Text != tb[i].Text {
			return false
		}
	}
	return true
}

func dropComments(toks []sqltext.Token) []sqltext.Token {
	out := toks[:0:0]
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			out = append(out, t)
		}
	}
	return out
}
