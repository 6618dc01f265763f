package diff

import (
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

func TestEnumChange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new []string
		want     string // the operation's Describe, "" for none
		added    []EnumValue
	}{
		{name: "equal", old: []string{"a", "b"}, new: []string{"a", "b"}},
		{name: "append", old: []string{"a"}, new: []string{"a", "b", "c"},
			want: "added values 'b', 'c' to enum type 'e'", added: []EnumValue{{Label: "b"}, {Label: "c"}}},
		{name: "front", old: []string{"a"}, new: []string{"x", "y", "a"},
			want: "added values 'x', 'y' to enum type 'e'", added: []EnumValue{{Label: "x", Before: "a"}, {Label: "y", After: "x"}}},
		{name: "middle", old: []string{"a", "c"}, new: []string{"a", "b", "c", "d"},
			want: "added values 'b', 'd' to enum type 'e'", added: []EnumValue{{Label: "b", After: "a"}, {Label: "d"}}},
		{name: "to empty", old: nil, new: []string{"a"}, want: "added value 'a' to enum type 'e'", added: []EnumValue{{Label: "a"}}},
		{name: "rename", old: []string{"a", "b", "c"}, new: []string{"a", "x", "c"}, want: "renamed value 'b' of enum type 'e' to 'x'"},
		{name: "swap is no rename", old: []string{"a", "b"}, new: []string{"b", "a"}, want: "reordered the values of enum type 'e'"},
		{name: "two differ", old: []string{"a", "b"}, new: []string{"x", "y"}, want: "removed values 'a', 'b', added values 'x', 'y' of enum type 'e'"},
		{name: "remove", old: []string{"a", "b", "c"}, new: []string{"a", "c"}, want: "removed value 'b' of enum type 'e'"},
		{name: "remove and add", old: []string{"a", "b"}, new: []string{"a", "c", "d"}, want: "removed value 'b', added values 'c', 'd' of enum type 'e'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := enumChange(&schema.Enum{Name: "e", Values: tc.old}, &schema.Enum{Name: "e", Values: tc.new})
			if op == nil {
				if tc.want != "" {
					t.Fatalf("no operation, want %q", tc.want)
				}
				return
			}
			if got := op.Describe(); got != tc.want {
				t.Errorf("Describe = %q, want %q", got, tc.want)
			}
			if a, ok := op.(*AddEnumValues); ok && !reflect.DeepEqual(a.Added(), tc.added) {
				t.Errorf("Added = %+v, want %+v", a.Added(), tc.added)
			}
			if c, ok := op.(*ChangeEnumValues); ok && c.Destructive() != strings.Contains(tc.want, "removed") {
				t.Errorf("Destructive = %v", c.Destructive())
			}
		})
	}
}

// Enum types are created before the tables using them and dropped after.
func TestCompareEnumOrder(t *testing.T) {
	col := func(typ string) *schema.Table {
		return &schema.Table{Name: "t", Columns: []*schema.Column{{Name: "c", Type: typ}}}
	}
	current := &schema.Schema{Enums: []*schema.Enum{{Name: "old", Values: []string{"a"}}}, Tables: []*schema.Table{col("old")}}
	target := &schema.Schema{Enums: []*schema.Enum{{Name: "new", Values: []string{"a"}}}, Tables: []*schema.Table{col("new")}}
	ops, err := Compare(current, target, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, op := range ops {
		got = append(got, op.Describe())
	}
	want := []string{"added enum type 'new'", "type change from old to new on 't.c'", "removed enum type 'old'"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ops = %q, want %q", got, want)
	}
}

func TestRenameLabel(t *testing.T) {
	r := &RenameEnumValue{New: &schema.Enum{Name: "mood"}, From: "it's", To: "b"}
	for in, want := range map[string]string{
		`'it''s'::mood`: `'b'::mood`,
		`((m <> 'it''s'::mood) OR (m = 'it''s'::mood))`: `((m <> 'b'::mood) OR (m = 'b'::mood))`,
		`'it''s'::moods`:  `'it''s'::moods`,
		`'it''s'::mood_x`: `'it''s'::mood_x`,
		`'it''s'::text`:   `'it''s'::text`,
	} {
		if got := renameLabel(in, r); got != want {
			t.Errorf("renameLabel(%s) = %s, want %s", in, got, want)
		}
	}
	odd := &RenameEnumValue{New: &schema.Enum{Name: `Odd "T"`}, From: "a", To: "b"}
	if got := renameLabel(`'a'::"Odd ""T"""`, odd); got != `'b'::"Odd ""T"""` {
		t.Errorf("quoted type: %s", got)
	}
}

func TestRenameInArrays(t *testing.T) {
	for _, tc := range []struct{ in, from, to, want string }{
		{`'{a,b}'::mood[]`, "a", "x", `'{x,b}'::mood[]`},
		{`'{a,NULL,"a b"}'::mood[]`, "a b", "c", `'{a,NULL,c}'::mood[]`},
		{`'{a}'::mood[]`, "a", "it's \"q\"", `'{"it''s \"q\""}'::mood[]`},
		{`'{"it''s \\x"}'::mood[]`, `it's \x`, "y", `'{y}'::mood[]`},
		{`'{a}'::moods[]`, "a", "x", `'{a}'::moods[]`},
		{`('{a}'::mood[] = '{b,a}'::mood[])`, "a", "null", `('{"null"}'::mood[] = '{b,"null"}'::mood[])`},
		{`'{}'::mood[]`, "a", "x", `'{}'::mood[]`},
	} {
		if got := renameInArrays(tc.in, "mood", tc.from, tc.to); got != tc.want {
			t.Errorf("renameInArrays(%s, %q -> %q) = %s, want %s", tc.in, tc.from, tc.to, got, tc.want)
		}
	}
}
