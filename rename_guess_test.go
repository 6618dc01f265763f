package autogen

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// TestRenameGuesses: which dropped and added columns are offered as
// renames, one per line "table.old=new".
func TestRenameGuesses(t *testing.T) {
	col := func(spec string) *schema.Column {
		name, typ, _ := strings.Cut(spec, ":")
		c := &schema.Column{Name: name, Type: typ}
		if strings.HasSuffix(typ, "!") {
			c.Type, c.NotNull = strings.TrimSuffix(typ, "!"), true
		}
		return c
	}
	tests := []struct {
		name      string
		drop, add string // space-separated name:TYPE, ! for NOT NULL
		want      string
	}{
		{"one rename", "name:VARCHAR", "nickname:VARCHAR age:INTEGER", "t.name=nickname"},
		{"embed prefix changed", "addr_street:VARCHAR addr_city:VARCHAR addr_zip:INTEGER",
			"address_street:VARCHAR address_city:VARCHAR address_zip:INTEGER",
			"t.addr_street=address_street t.addr_city=address_city t.addr_zip=address_zip"},
		{"prefix added, other order", "street:VARCHAR city:VARCHAR", "home_city:VARCHAR home_street:VARCHAR",
			"t.street=home_street t.city=home_city"},
		{"suffix changed", "start_at:TIMESTAMP end_at:TIMESTAMP", "start_time:TIMESTAMP end_time:TIMESTAMP",
			"t.start_at=start_time t.end_at=end_time"},
		{"by position", "a:VARCHAR b:INTEGER", "x:VARCHAR y:INTEGER", "t.a=x t.b=y"},
		{"position with types crossed", "a:VARCHAR b:INTEGER", "x:INTEGER y:VARCHAR", ""},
		{"NOT NULL differs", "addr_a:VARCHAR! addr_b:VARCHAR", "address_a:VARCHAR address_b:VARCHAR", ""},
		{"prefix covers only some, counts differ", "addr_a:VARCHAR addr_b:VARCHAR", "address_a:VARCHAR other:VARCHAR more:VARCHAR", ""},
		{"extra added column beside the prefix change", "addr_a:VARCHAR addr_b:VARCHAR", "address_a:VARCHAR address_b:VARCHAR note:VARCHAR",
			"t.addr_a=address_a t.addr_b=address_b"},
		{"two drops one add", "a:VARCHAR b:VARCHAR", "c:VARCHAR", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ops []diff.Op
			for _, s := range strings.Fields(tt.drop) {
				ops = append(ops, &diff.DropColumn{TableName: "t", Column: col(s)})
			}
			for _, s := range strings.Fields(tt.add) {
				ops = append(ops, &diff.AddColumn{TableName: "t", Column: col(s)})
			}
			var got []string
			for _, g := range renameGuesses(ops) {
				got = append(got, g.Table+"."+g.Old+"="+g.New)
			}
			if s := strings.Join(got, " "); s != tt.want {
				t.Errorf("guesses %q, want %q", s, tt.want)
			}
		})
	}
}
