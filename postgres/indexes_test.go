package postgres

import (
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

func TestIndexTermOptions(t *testing.T) {
	tests := []struct {
		term    indexTerm
		options string
		want    schema.IndexColumn
	}{
		{indexTerm{Term: "a", Column: "a"}, "", schema.IndexColumn{Name: "a"}},
		{indexTerm{Term: "a", Column: "a", Option: 3}, " DESC", schema.IndexColumn{Name: "a", Desc: true}},
		{indexTerm{Term: "a", Column: "a", Option: 1}, " DESC NULLS LAST", schema.IndexColumn{Name: "a", Desc: true, Nulls: "LAST"}},
		{indexTerm{Term: "a", Column: "a", Option: 2}, " NULLS FIRST", schema.IndexColumn{Name: "a", Nulls: "FIRST"}},
		{indexTerm{Term: `"A b"`, Column: "A b"}, ` COLLATE "C" text_pattern_ops`,
			schema.IndexColumn{Name: "A b", Collation: `"C"`, OpClass: "text_pattern_ops"}},
		{indexTerm{Term: "lower(x)"}, ` COLLATE s."we""ird" gist_trgm_ops (siglen='32') DESC`,
			schema.IndexColumn{Expr: "lower(x)", Collation: `s."we""ird"`, OpClass: "gist_trgm_ops (siglen='32')"}},
	}
	for _, tt := range tests {
		got, err := tt.term.column(tt.options)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v %q = %+v, %v; want %+v", tt.term, tt.options, got, err, tt.want)
		}
	}
	if _, err := (indexTerm{Term: "a"}).column(` COLLATE "unclosed`); err == nil {
		t.Error("an unclosed collation name was read")
	}
}

func TestTermEnd(t *testing.T) {
	for in, want := range map[string]int{
		"":                              0,
		", b)":                          0,
		` COLLATE "a,b" x_ops (o=1), c`: 26,
		` COLLATE "a)""(b" DESC)`:       22,
		" DESC":                         5,
	} {
		if got := termEnd(in); got != want {
			t.Errorf("termEnd(%q) = %d, want %d", in, got, want)
		}
	}
}

// FuzzIndexOptions feeds pg_get_indexdef-shaped text to the option reader:
// it never fails to stop, and a collation it reads is a whole name.
func FuzzIndexOptions(f *testing.F) {
	f.Add(` COLLATE "C" text_pattern_ops DESC NULLS LAST, b)`, 3)
	f.Add(` COLLATE s."a""b" gist_trgm_ops (siglen='32'))`, 0)
	f.Add(` COLLATE "`, 1)
	f.Fuzz(func(t *testing.T, s string, option int) {
		end := termEnd(s)
		if end < 0 || end > len(s) {
			t.Fatalf("termEnd(%q) = %d", s, end)
		}
		c, err := indexTerm{Term: "x", Column: "x", Option: option}.column(s[:end])
		if err == nil && c.Collation != "" && qualifiedNameLen(c.Collation) != len(c.Collation) {
			t.Fatalf("collation %q is not one name", c.Collation)
		}
		if err == nil && strings.HasPrefix(s[:end], " COLLATE ") && c.Collation == "" {
			t.Fatalf("%q: no collation read", s)
		}
	})
}
