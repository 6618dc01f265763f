package sqltext

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
	u := UpperASCII(typ)
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

// TypeSizes returns the numbers in a type's parentheses: VARCHAR(100) gives
// [100], DECIMAL(10,2) [10 2]; none when the type declares none.
func TypeSizes(typ string) []float64 {
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
