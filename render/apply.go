package render

import (
	"slices"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// applyOps returns the table that ops make of t, as far as deciding between
// ALTER TABLE and a rebuild needs: columns in order and constraints. Its
// SQL is t's.
func applyOps(t *schema.Table, ops []diff.Op) *schema.Table {
	r := *t
	r.Columns = slices.Clone(t.Columns)
	r.Uniques = slices.Clone(t.Uniques)
	r.ForeignKeys = slices.Clone(t.ForeignKeys)
	r.Checks = slices.Clone(t.Checks)
	r.Indexes = slices.Clone(t.Indexes)
	var added []*schema.Column
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.RenameTable:
			r.Name = o.New.Name
		case *diff.RenameColumn:
			replaceColumn(&r, o.Old.Name, o.New)
		case *diff.AlterColumn:
			replaceColumn(&r, o.Old.Name, o.New)
		case *diff.DropColumn:
			r.Columns = slices.DeleteFunc(r.Columns, func(c *schema.Column) bool { return schema.EqualIdent(c.Name, o.Column.Name) })
		case *diff.AddColumn:
			added = append(added, o.Column)
		case *diff.AlterPrimaryKey:
			r.PrimaryKey = o.New
		case *diff.AddUnique:
			r.Uniques = append(r.Uniques, o.Unique)
		case *diff.DropUnique:
			r.Uniques = slices.DeleteFunc(r.Uniques, func(u *schema.Unique) bool { return schema.EqualUnique(u, o.Unique) })
		case *diff.AddForeignKey:
			r.ForeignKeys = append(r.ForeignKeys, o.ForeignKey)
		case *diff.DropForeignKey:
			r.ForeignKeys = slices.DeleteFunc(r.ForeignKeys, func(fk *schema.ForeignKey) bool { return schema.EqualForeignKey(fk, o.ForeignKey) })
		case *diff.AddCheck:
			r.Checks = append(r.Checks, o.Check)
		case *diff.DropCheck:
			r.Checks = slices.DeleteFunc(r.Checks, func(c *schema.Check) bool { return schema.EqualCheck(c, o.Check) })
		case *diff.AddIndex:
			r.Indexes = append(r.Indexes, o.Index)
		case *diff.DropIndex:
			r.Indexes = slices.DeleteFunc(r.Indexes, func(ix *schema.Index) bool { return schema.EqualIdent(ix.Name, o.Index.Name) })
		}
	}
	slices.SortStableFunc(added, func(a, b *schema.Column) int { return a.Position - b.Position })
	for _, c := range added {
		at := min(max(c.Position, 0), len(r.Columns))
		r.Columns = slices.Insert(r.Columns, at, c)
	}
	return &r
}

func replaceColumn(t *schema.Table, old string, c *schema.Column) {
	for i, col := range t.Columns {
		if schema.EqualIdent(col.Name, old) {
			t.Columns[i] = c
		}
	}
}
