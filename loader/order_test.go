package loader

import (
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/loader/bunddl"
)

func TestOrderStatements(t *testing.T) {
	m := func(typ, table string, deps ...string) bunddl.Table {
		return bunddl.Table{Type: typ, Name: table, Deps: deps, Statements: []string{"create " + table, "index " + table}}
	}
	tests := []struct {
		name    string
		models  []bunddl.Table
		want    []string // table order
		wantErr string
	}{
		{name: "ties by name", models: []bunddl.Table{m("C", "c"), m("A", "a"), m("B", "b")}, want: []string{"a", "b", "c"}},
		{name: "parents first", models: []bunddl.Table{m("A", "a", "z"), m("Z", "z"), m("M", "m", "a")}, want: []string{"z", "a", "m"}},
		{name: "diamond", models: []bunddl.Table{m("D", "d", "b", "c"), m("B", "b", "a"), m("C", "c", "a"), m("A", "a")}, want: []string{"a", "b", "c", "d"}},
		{name: "unknown parent ignored", models: []bunddl.Table{m("A", "a", "elsewhere"), m("B", "b")}, want: []string{"a", "b"}},
		{name: "duplicate deps", models: []bunddl.Table{m("B", "b", "a", "a"), m("A", "a")}, want: []string{"a", "b"}},
		{name: "cycle falls back to names", models: []bunddl.Table{m("B", "b", "a"), m("A", "a", "b"), m("C", "c", "b")}, want: []string{"a", "b", "c"}},
		{name: "same table twice, same DDL", models: []bunddl.Table{m("A", "a"), m("A2", "a")}, want: []string{"a"}},
		{
			name:    "same table twice, other DDL",
			models:  []bunddl.Table{m("A", "a"), {Type: "A2", Name: "a", Statements: []string{"other"}}},
			wantErr: `models A and A2 both define table "a"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := orderStatements(tt.models)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, tb := range tt.want {
				want = append(want, "create "+tb, "index "+tb)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}
