package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// describe says what one table's operations do, in the order the SQL does
// it (renames, then as rank orders the rest), so that each section reads
// as it runs: the downgrade of dropping an indexed column adds the column
// before its index. An index dropped and created again under its name is
// one change.
func describe(ops []diff.Op) []string {
	var renames, rest []diff.Op
	for _, op := range ops {
		switch op.(type) {
		case *diff.RenameTable, *diff.RenameColumn:
			renames = append(renames, op)
		default:
			rest = append(rest, op)
		}
	}
	slices.SortStableFunc(rest, func(x, y diff.Op) int { return cmp.Compare(rank(x), rank(y)) })
	var out []string
	for _, op := range renames {
		out = append(out, op.Describe())
	}
	for _, op := range rest {
		switch o := op.(type) {
		case *diff.DropIndex:
			if add := addedIndex(rest, o.Index.Name); add != nil {
				out = append(out, fmt.Sprintf("changed index '%s' on '%s': %s -> %s", add.Name, add.Table, indexLabel(o.Index), indexLabel(add)))
				continue
			}
		case *diff.AddIndex:
			if droppedIndex(rest, o.Index.Name) {
				continue
			}
		}
		out = append(out, op.Describe())
	}
	return out
}

// addedIndex is the index named name that ops add, or nil.
func addedIndex(ops []diff.Op, name string) *schema.Index {
	for _, op := range ops {
		if o, ok := op.(*diff.AddIndex); ok && sqltext.EqualIdent(o.Index.Name, name) {
			return o.Index
		}
	}
	return nil
}

// droppedIndex reports whether ops drop an index named name.
func droppedIndex(ops []diff.Op, name string) bool {
	return slices.ContainsFunc(ops, func(op diff.Op) bool {
		o, ok := op.(*diff.DropIndex)
		return ok && sqltext.EqualIdent(o.Index.Name, name)
	})
}

// indexLabel writes an index's definition short: "UNIQUE (a, b DESC)
// WHERE a > 0".
func indexLabel(ix *schema.Index) string {
	terms := make([]string, 0, len(ix.Columns))
	for _, c := range ix.Columns {
		t := c.Name
		if t == "" {
			t = strings.TrimSpace(c.Expr)
		}
		if c.Collation != "" {
			t += " COLLATE " + c.Collation
		}
		if c.Desc {
			t += " DESC"
		}
		terms = append(terms, t)
	}
	s := "(" + strings.Join(terms, ", ") + ")"
	if ix.Unique {
		s = "UNIQUE " + s
	}
	if ix.Where != "" {
		s += " WHERE " + ix.Where
	}
	return s
}
