package diff

import (
	"strconv"
	"strings"
)

// Affinity is SQLite's column affinity, decided from a declared type by the
// rules of https://sqlite.org/datatype3.html section 3.1.
type Affinity string

// The five affinities.
const (
	AffinityInteger Affinity = "INTEGER"
	AffinityText    Affinity = "TEXT"
	AffinityBlob    Affinity = "BLOB"
	AffinityReal    Affinity = "REAL"
	AffinityNumeric Affinity = "NUMERIC"
)

// TypeAffinity returns the affinity SQLite gives a column declared with typ.
func TypeAffinity(typ string) Affinity {
	u := strings.ToUpper(typ)
	switch {
	case strings.Contains(u, "INT"):
		return AffinityInteger
	case strings.Contains(u, "CHAR"), strings.Contains(u, "CLOB"), strings.Contains(u, "TEXT"):
		return AffinityText
	case strings.Contains(u, "BLOB"), strings.TrimSpace(u) == "":
		return AffinityBlob
	case strings.Contains(u, "REAL"), strings.Contains(u, "FLOA"), strings.Contains(u, "DOUB"):
		return AffinityReal
	}
	return AffinityNumeric
}

// Narrowing reports whether changing a column's declared type from old to
// new can change or reject stored values: a move to a numeric affinity
// (SQLite converts '007' to 7), or a smaller declared size or precision,
// which a CHECK or another database may enforce.
func Narrowing(old, new string) bool {
	oa, na := TypeAffinity(old), TypeAffinity(new)
	if oa != na {
		switch na {
		case AffinityInteger, AffinityReal, AffinityNumeric:
			return !(oa == AffinityInteger && na != AffinityInteger)
		}
		return false
	}
	os, ns := typeSizes(old), typeSizes(new)
	for i := range min(len(os), len(ns)) {
		if ns[i] < os[i] {
			return true
		}
	}
	return len(ns) > 0 && len(os) == 0
}

// TypeSize returns the first number in a type's parentheses (VARCHAR(100)
// gives 100), and false when the type declares none.
func TypeSize(typ string) (float64, bool) {
	sizes := typeSizes(typ)
	if len(sizes) == 0 {
		return 0, false
	}
	return sizes[0], true
}

// typeSizes returns the numbers in a type's parentheses: VARCHAR(100) -> [100].
func typeSizes(typ string) []float64 {
	open := strings.IndexByte(typ, '(')
	end := strings.LastIndexByte(typ, ')')
	if open < 0 || end < open {
		return nil
	}
	var out []float64
	for _, f := range strings.Split(typ[open+1:end], ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil
		}
		out = append(out, v)
	}
	return out
}
