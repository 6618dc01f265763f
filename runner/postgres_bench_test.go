package runner

import (
	"context"
	"fmt"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// BenchmarkPGUpgrade200 is W2 on PostgreSQL: 200 revisions from empty,
// one transaction each.
func BenchmarkPGUpgrade200(b *testing.B) {
	g, head := columnGraph(200)
	d := g.dir()
	for b.Loop() {
		b.StopTimer()
		pg := pgtest.New(b)
		b.StartTimer()
		if _, err := FromDir(pg.DB, d).Upgrade(context.Background(), head); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPGPlainSQL200 runs the same statements, one transaction each,
// with nothing of the runner around them: the floor the runner is
// measured against.
func BenchmarkPGPlainSQL200(b *testing.B) {
	g, _ := columnGraph(200)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		pg := pgtest.New(b)
		b.StartTimer()
		for i := range 200 {
			tx, err := pg.DB.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.Exec(g[fmt.Sprintf("%012x", 0xc0100+i)].Upgrade); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	}
}
