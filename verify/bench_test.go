package verify

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// BenchmarkSQL measures SQL at 50, 200 and 1,000 tables: every table added
// to an empty database, nothing changed (what check renders), and a
// column default changed in every table, which SQLite can only apply by
// rebuilding each table.
func BenchmarkSQL(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{50, 200, 1000} {
		target, err := schema.FromDDL(ctx, workload.DDL(n, 0))
		if err != nil {
			b.Fatal(err)
		}
		edited, err := schema.FromDDL(ctx, workload.DDL(n, 1))
		if err != nil {
			b.Fatal(err)
		}
		cases := []struct {
			name            string
			current, target *schema.Schema
			want            string // in the upgrade SQL
		}{
			{"empty", &schema.Schema{}, target, fmt.Sprintf(`CREATE TABLE "t%04d"`, n-1)},
			{"same", target, target, ""},
			{"edited", target, edited, fmt.Sprintf(`"t%04d"`, n-1)},
		}
		for _, c := range cases {
			ops, err := diff.Compare(c.current, c.target, diff.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("tables=%d/%s", n, c.name), func(b *testing.B) {
				for b.Loop() {
					up, _, err := sqlOf(ops, c.current, c.target)
					if err != nil {
						b.Fatal(err)
					}
					if !strings.Contains(up, c.want) || (c.want == "") != (up == "") {
						b.Fatalf("upgrade SQL lacks %q:\n%.300s", c.want, up)
					}
				}
			})
		}
	}
}
