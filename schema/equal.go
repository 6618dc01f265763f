package schema

import "github.com/autogen-dev/autogen/internal/sqltext"

// Equal reports whether two schemas define the same tables, views and
// triggers, ignoring what SQLite does not keep as meaning (keyword case,
// quoting style, whitespace, redundant parentheses).
func Equal(a, b *Schema) bool {
	if a == nil || b == nil {
		return a == b
	}
	return sameSet(a.Tables, b.Tables, (*Table).Equal) &&
		sameSet(a.Views, b.Views, func(x, y *View) bool {
			return x.Name == y.Name && NormalizeExpr(x.SQL) == NormalizeExpr(y.SQL) &&
				x.Materialized == y.Materialized && x.Comment == y.Comment
		}) &&
		sameSet(a.Triggers, b.Triggers, func(x, y *Trigger) bool {
			return x.Name == y.Name && sqltext.EqualIdent(x.Table, y.Table) && NormalizeExpr(x.SQL) == NormalizeExpr(y.SQL)
		}) &&
		sameSet(a.Enums, b.Enums, func(x, y *Enum) bool {
			return x.Name == y.Name && equalStrings(x.Values, y.Values) && x.Comment == y.Comment
		}) &&
		sameSet(a.Sequences, b.Sequences, EqualSequence) &&
		sameSet(a.Functions, b.Functions, func(x, y *Function) bool { return *x == *y })
}

// EqualSequence compares two PostgreSQL sequences; nil equals only nil.
func EqualSequence(a, b *Sequence) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Equal reports whether t and u define the same table. The stored CREATE
// text is not compared, only what it means; constraint lists are compared
// regardless of order, columns in order.
func (t *Table) Equal(u *Table) bool {
	if t == nil || u == nil {
		return t == u
	}
	if t.Name != u.Name || t.WithoutRowID != u.WithoutRowID || t.Strict != u.Strict || t.Comment != u.Comment ||
		len(t.Columns) != len(u.Columns) || !EqualPrimaryKey(t.PrimaryKey, u.PrimaryKey) {
		return false
	}
	for i := range t.Columns {
		if !EqualColumn(t.Columns[i], u.Columns[i]) {
			return false
		}
	}
	return sameSet(t.Uniques, u.Uniques, EqualUnique) &&
		sameSet(t.Indexes, u.Indexes, EqualIndex) &&
		sameSet(t.ForeignKeys, u.ForeignKeys, EqualForeignKey) &&
		sameSet(t.Checks, u.Checks, EqualCheck)
}

// sameSet reports whether a and b hold pairwise-equal items in any order.
func sameSet[T any](a, b []T, eq func(x, y T) bool) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
outer:
	for _, x := range a {
		for j, y := range b {
			if !used[j] && eq(x, y) {
				used[j] = true
				continue outer
			}
		}
		return false
	}
	return true
}

// EqualColumn compares two column definitions: name exactly, type, default
// and generated expression normalised, collation case-insensitively.
func EqualColumn(a, b *Column) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name &&
		NormalizeType(a.Type) == NormalizeType(b.Type) &&
		a.NotNull == b.NotNull &&
		NormalizeExpr(a.Default) == NormalizeExpr(b.Default) &&
		sqltext.EqualIdent(a.Collation, b.Collation) &&
		NormalizeExpr(a.Generated) == NormalizeExpr(b.Generated) &&
		(a.Generated == "" || a.Stored == b.Stored) &&
		a.Position == b.Position &&
		a.Identity == b.Identity && EqualSequence(a.Sequence, b.Sequence) && a.Comment == b.Comment
}

// EqualPrimaryKey compares two primary keys; nil equals only nil.
func EqualPrimaryKey(a, b *PrimaryKey) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && equalStrings(a.Columns, b.Columns) &&
		a.Desc == b.Desc && a.Autoincrement == b.Autoincrement &&
		a.Deferrable == b.Deferrable && equalStrings(a.Include, b.Include)
}

// EqualUnique compares two UNIQUE constraints by name and columns.
func EqualUnique(a, b *Unique) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && equalStrings(a.Columns, b.Columns) && a.Deferrable == b.Deferrable &&
		equalStrings(a.Include, b.Include) && a.NullsNotDistinct == b.NullsNotDistinct
}

// EqualCheck compares two CHECK constraints by name and normalised expression.
func EqualCheck(a, b *Check) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && NormalizeExpr(a.Expr) == NormalizeExpr(b.Expr) &&
		a.NotValid == b.NotValid && a.NoInherit == b.NoInherit
}

// EqualForeignKey compares two foreign keys. The parent table and columns
// are compared as SQLite resolves them, case-insensitively.
func EqualForeignKey(a, b *ForeignKey) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Name != b.Name || !equalStrings(a.Columns, b.Columns) || !sqltext.EqualIdent(a.RefTable, b.RefTable) ||
		len(a.RefColumns) != len(b.RefColumns) || a.OnDelete != b.OnDelete ||
		a.OnUpdate != b.OnUpdate || a.Deferrable != b.Deferrable ||
		a.RefSchema != b.RefSchema || a.Match != b.Match || a.NotValid != b.NotValid {
		return false
	}
	for i := range a.RefColumns {
		if !sqltext.EqualIdent(a.RefColumns[i], b.RefColumns[i]) {
			return false
		}
	}
	return true
}

// EqualIndex compares two CREATE INDEX indexes by meaning, not text.
func EqualIndex(a, b *Index) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Name != b.Name || !sqltext.EqualIdent(a.Table, b.Table) || a.Unique != b.Unique ||
		len(a.Columns) != len(b.Columns) || NormalizeExpr(a.Where) != NormalizeExpr(b.Where) ||
		a.Method != b.Method || !equalStrings(a.Include, b.Include) ||
		a.NullsNotDistinct != b.NullsNotDistinct || a.Comment != b.Comment {
		return false
	}
	for i, x := range a.Columns {
		y := b.Columns[i]
		if x.Name != y.Name || NormalizeExpr(x.Expr) != NormalizeExpr(y.Expr) ||
			!sqltext.EqualIdent(x.Collation, y.Collation) || x.Desc != y.Desc ||
			x.Nulls != y.Nulls || x.OpClass != y.OpClass {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
