package diff

import "github.com/autogen-dev/autogen/internal/sqltext"

// narrowing reports whether changing a column's declared type from old to
// new can change or reject stored values: a move to a numeric affinity
// (SQLite converts '007' to 7), or a smaller declared size or precision,
// which a CHECK or another database may enforce.
func narrowing(old, new string) bool {
	oa, na := sqltext.TypeAffinity(old), sqltext.TypeAffinity(new)
	if oa != na {
		switch na {
		case sqltext.AffinityInteger, sqltext.AffinityReal, sqltext.AffinityNumeric:
			return !(oa == sqltext.AffinityInteger && na != sqltext.AffinityInteger)
		}
		return false
	}
	os, ns := sqltext.TypeSizes(old), sqltext.TypeSizes(new)
	for i := range min(len(os), len(ns)) {
		if ns[i] < os[i] {
			return true
		}
	}
	return len(ns) > 0 && len(os) == 0
}
