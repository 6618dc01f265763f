package main

import (
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// TestOpJSONKinds checks that the operations the JSON schema lists have
// their kind, and none falls through to "unknown".
func TestOpJSONKinds(t *testing.T) {
	tbl := &schema.Table{Name: "t"}
	strict := &schema.Table{Name: "t", Strict: true}
	tests := []struct {
		op       diff.Op
		kind     string
		from, to string
	}{
		{&diff.AlterOptions{TableName: "t", Old: tbl, New: strict}, "alter_table_options", "", "STRICT"},
		{&diff.CreateTable{New: tbl}, "create_table", "", ""},
		{&diff.DropTable{Old: tbl}, "drop_table", "", ""},
	}
	for _, tt := range tests {
		j := opJSON(tt.op)
		if j.Kind != tt.kind {
			t.Errorf("%T: kind %q, want %q", tt.op, j.Kind, tt.kind)
		}
		if tt.from != "" || tt.to != "" {
			if j.From == nil || j.To == nil || *j.From != tt.from || *j.To != tt.to {
				t.Errorf("%T: from/to %v/%v, want %q/%q", tt.op, j.From, j.To, tt.from, tt.to)
			}
		}
	}
}
