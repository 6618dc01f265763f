package schema

import (
	"context"
	"testing"
)

// TestGeneratedWordsInTypes follows SQLite where GENERATED is a word of a
// type name rather than the start of a generated column (fuzzing found
// "A GENERATED AALWAY", which SQLite takes as a type).
func TestGeneratedWordsInTypes(t *testing.T) {
	tests := []struct {
		sql, typ, generated string
	}{
		{`CREATE TABLE t (a GENERATED AALWAY, z)`, "GENERATED AALWAY", ""},
		{`CREATE TABLE t (a INT GENERATED AALWAY, z)`, "INT GENERATED AALWAY", ""},
		{`CREATE TABLE t (a GENERATED, z)`, "GENERATED", ""},
		{`CREATE TABLE t (a GENERATED ALWAYS x, z)`, "GENERATED ALWAYS x", ""},
		{`CREATE TABLE t (a INT GENERATED ALWAYS, z)`, "INT", ""},
		{`CREATE TABLE t (a INT GENERATED ALWAYS AS (z + 1), z)`, "INT", "z + 1"},
		{`CREATE TABLE t (a GENERATED ALWAYS AS (z + 1), z)`, "", "z + 1"},
	}
	for _, tt := range tests {
		tbl, err := ParseCreateTable(tt.sql)
		if err != nil {
			t.Errorf("%s: %v", tt.sql, err)
			continue
		}
		a := tbl.Column("a")
		if a.Type != tt.typ || a.Generated != tt.generated {
			t.Errorf("%s: type %q generated %q, want %q and %q", tt.sql, a.Type, a.Generated, tt.typ, tt.generated)
		}
		// SQLite agrees: the inspected column has the same type.
		s, err := FromDDL(context.Background(), []string{tt.sql})
		if err != nil {
			t.Errorf("%s: SQLite: %v", tt.sql, err)
			continue
		}
		if got := s.Table("t").Column("a"); got.Type != tt.typ || got.Generated != tt.generated {
			t.Errorf("%s: inspected type %q generated %q", tt.sql, got.Type, got.Generated)
		}
	}
}
