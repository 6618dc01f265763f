package pgrender

import (
	"slices"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// A foreign key rests on the unique index of the primary key or UNIQUE
// constraint whose columns its referenced columns are: PostgreSQL refuses
// to drop that key while the foreign key exists. A revision that drops
// such a key (in either direction) therefore drops the foreign keys
// resting on it first and adds them back once every key is in place.

// Dependent is a foreign key the revision drops before it changes a key
// the foreign key references, and adds back, as inspected, after.
type Dependent struct {
	Table      string             // the referencing table, as the models name it
	From       string             // the referencing table, as the live database names it
	ForeignKey *schema.ForeignKey // as the models have it
	Live       *schema.ForeignKey // as inspected on the live database
}

// rekey is what Render needs to order a revision around changed keys.
type rekey struct {
	tables     map[string]bool   // rekeyed tables, live and target names
	live       map[string]string // target table name -> live name, for renamed tables
	dependents []Dependent
}

// Dependents lists the foreign keys that no operation of ops touches and
// that rest on a primary key or UNIQUE constraint ops drop (the upgrade
// drops the old key, the downgrade the new one), in the order of
// current's tables.
func Dependents(ops []diff.Op, current, target *schema.Schema) []Dependent {
	return planRekey(ops, current, target).dependents
}

func planRekey(ops []diff.Op, current, target *schema.Schema) *rekey {
	live := map[string]string{} // target table name -> live name
	for _, op := range ops {
		if o, ok := op.(*diff.RenameTable); ok {
			live[o.New.Name] = o.Old.Name
		}
	}
	liveName := func(t string) string {
		if n, ok := live[t]; ok {
			return n
		}
		return t
	}
	var oldKeys, newKeys []key // keys the upgrade, the downgrade drops
	touched := map[[2]string]bool{}
	dropped := map[string]bool{}
	for _, op := range ops {
		t := op.Table()
		switch o := op.(type) {
		case *diff.AlterPrimaryKey:
			if o.Old != nil && o.New != nil && pkDef(o.Old) == pkDef(o.New) {
				break // a rename of the constraint keeps its index
			}
			if o.Old != nil {
				oldKeys = append(oldKeys, key{liveName(t), o.Old.Columns})
			}
			if o.New != nil {
				newKeys = append(newKeys, key{t, o.New.Columns})
			}
		case *diff.DropUnique:
			oldKeys = append(oldKeys, key{liveName(t), o.Unique.Columns})
		case *diff.AddUnique:
			newKeys = append(newKeys, key{t, o.Unique.Columns})
		case *diff.DropIndex:
			if cols, ok := UniqueColumns(o.Index); ok {
				oldKeys = append(oldKeys, key{liveName(t), cols})
			}
		case *diff.AddIndex:
			if cols, ok := UniqueColumns(o.Index); ok {
				newKeys = append(newKeys, key{t, cols})
			}
		case *diff.AddForeignKey:
			touched[[2]string{t, o.ForeignKey.Name}] = true
		case *diff.DropForeignKey:
			touched[[2]string{t, o.ForeignKey.Name}] = true
		case *diff.AlterForeignKey:
			touched[[2]string{t, o.Old.Name}], touched[[2]string{t, o.New.Name}] = true, true
		case *diff.DropTable:
			dropped[o.Old.Name] = true
		}
	}
	r := &rekey{tables: map[string]bool{}, live: live}
	for _, k := range oldKeys {
		r.tables[k.table] = true
	}
	for _, k := range newKeys {
		r.tables[k.table], r.tables[liveName(k.table)] = true, true
	}
	if len(r.tables) == 0 {
		return r
	}
	toTarget := map[string]string{}
	for t, l := range live {
		toTarget[l] = t
	}
	for _, ct := range current.Tables {
		if dropped[ct.Name] {
			continue
		}
		tname := ct.Name
		if n, ok := toTarget[ct.Name]; ok {
			tname = n
		}
		tt := target.Table(tname)
		if tt == nil {
			continue
		}
		for _, fk := range ct.ForeignKeys {
			if fk.RefSchema != "" || touched[[2]string{tname, fk.Name}] {
				continue
			}
			tfk := foreignKey(tt, fk.Name)
			if tfk == nil {
				continue
			}
			if restsOn(fk, current, oldKeys) || restsOn(tfk, target, newKeys) {
				r.dependents = append(r.dependents, Dependent{Table: tname, From: ct.Name, ForeignKey: tfk, Live: fk})
			}
		}
	}
	return r
}

// key is a table's unique key by its columns.
type key struct {
	table string
	cols  []string
}

func foreignKey(t *schema.Table, name string) *schema.ForeignKey {
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return fk
		}
	}
	return nil
}

// restsOn reports whether fk (of schema s) references one of keys: the
// same table and the same columns in any order, as PostgreSQL matches a
// foreign key to a unique index.
func restsOn(fk *schema.ForeignKey, s *schema.Schema, keys []key) bool {
	refs := fk.RefColumns
	if len(refs) == 0 {
		if p := s.Table(fk.RefTable); p != nil && p.PrimaryKey != nil {
			refs = p.PrimaryKey.Columns
		}
	}
	for _, k := range keys {
		if k.table == fk.RefTable && sameSet(refs, k.cols) {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// UniqueColumns gives the columns of a unique index a foreign key can
// reference (no expression, no WHERE); ok is false for any other index.
func UniqueColumns(ix *schema.Index) ([]string, bool) {
	if !ix.Unique || ix.Where != "" {
		return nil, false
	}
	var cols []string
	for _, c := range ix.Columns {
		if c.Name == "" {
			return nil, false
		}
		cols = append(cols, c.Name)
	}
	return cols, true
}

// arrange orders ops around the changed keys: the foreign key drops that
// reference a rekeyed table come first (naming their table as the live
// database does), the foreign key additions after every other operation,
// and a changed foreign key is both; everything else keeps its order.
func (r *rekey) arrange(ops []diff.Op) (first, middle, last []diff.Op) {
	if len(r.tables) == 0 {
		return nil, ops, nil
	}
	drop := func(table string, fk *schema.ForeignKey) diff.Op {
		if l, ok := r.live[table]; ok {
			table = l
		}
		return &diff.DropForeignKey{TableName: table, ForeignKey: fk}
	}
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.DropForeignKey:
			if r.tables[o.ForeignKey.RefTable] {
				first = append(first, drop(o.TableName, o.ForeignKey))
				continue
			}
		case *diff.AddForeignKey:
			if r.tables[o.ForeignKey.RefTable] {
				last = append(last, op)
				continue
			}
		case *diff.AlterForeignKey:
			if r.tables[o.Old.RefTable] || r.tables[o.New.RefTable] {
				first = append(first, drop(o.TableName, o.Old))
				last = append(last, &diff.AddForeignKey{TableName: o.TableName, ForeignKey: o.New})
				continue
			}
		}
		middle = append(middle, op)
	}
	return first, middle, last
}

// dropDependents are the changes that open the revision: each dependent
// foreign key dropped (the downgrade adds it back, last).
func (r *rekey) dropDependents() []render.Change {
	var out []render.Change
	for i, d := range r.dependents {
		var c change
		if i == 0 {
			c.up.comment("the foreign keys below rest on a key this revision changes: dropped here, added back at the end")
		}
		op := &diff.DropForeignKey{TableName: d.From, ForeignKey: d.Live}
		constraintChange(&c, op)
		out = append(out, c.done(op, d.From, d.From))
	}
	return out
}

// addDependents are the changes that close the revision: each dependent
// foreign key added back as inspected (the downgrade drops it, first).
func (r *rekey) addDependents() []render.Change {
	var out []render.Change
	for i, d := range r.dependents {
		var c change
		if i == 0 {
			c.up.comment("the foreign keys dropped at the start, added back as they were; each checks every row again")
		}
		if i == len(r.dependents)-1 {
			c.down.comment("the foreign keys below rest on a key the downgrade changes: dropped here, added back at its end")
		}
		op := &diff.AddForeignKey{TableName: d.Table, ForeignKey: d.ForeignKey}
		constraintChange(&c, op)
		out = append(out, c.done(op, d.Table, d.Table))
	}
	return out
}
