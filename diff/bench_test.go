package diff

import (
	"context"
	"fmt"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
	"github.com/autogen-dev/autogen/schema"
)

// benchSchemas are the schemas the benchmarks compare: the models' at n
// tables, the same with every column default changed (one operation per
// table), and empty.
func benchSchemas(b *testing.B, n int) (target, edited *schema.Schema) {
	b.Helper()
	ctx := context.Background()
	target, err := schema.FromDDL(ctx, workload.DDL(n, 0))
	if err != nil {
		b.Fatal(err)
	}
	edited, err = schema.FromDDL(ctx, workload.DDL(n, 1))
	if err != nil {
		b.Fatal(err)
	}
	return target, edited
}

// BenchmarkCompare measures Compare at 50, 200 and 1,000 tables from an
// empty database (every table added), with nothing changed, and with one
// changed column per table.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{50, 200, 1000} {
		target, edited := benchSchemas(b, n)
		cases := []struct {
			name            string
			current, target *schema.Schema
			ops             int
		}{
			{"empty", &schema.Schema{}, target, n},
			{"same", target, target, 0},
			{"edited", target, edited, n},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("tables=%d/%s", n, c.name), func(b *testing.B) {
				for b.Loop() {
					ops, err := Compare(c.current, c.target, Options{})
					if err != nil {
						b.Fatal(err)
					}
					if len(ops) != c.ops {
						b.Fatalf("%d operations, want %d", len(ops), c.ops)
					}
				}
			})
		}
	}
}
