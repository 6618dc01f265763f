package pgrender_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgrender"
)

// BenchmarkRenderVerify is a revision adding a column to one of 100
// tables (Verify copies that one), and to each of them: Render alone, and
// Render with Verify (copy of the tables, upgrade, inspect, downgrade,
// inspect, rolled back).
func BenchmarkRenderVerify(b *testing.B) {
	ctx := context.Background()
	db := pgtest.New(b).DB
	var cur, tgt []string
	for i := range 100 {
		t := fmt.Sprintf("CREATE TABLE t%03d (id bigserial PRIMARY KEY, name text NOT NULL, n int)", i)
		cur = append(cur, t)
		tgt = append(tgt, t, fmt.Sprintf("ALTER TABLE t%03d ADD COLUMN added int DEFAULT 0", i))
	}
	for _, s := range cur {
		if _, err := db.Exec(s); err != nil {
			b.Fatal(err)
		}
	}
	current, err := postgres.Inspect(ctx, db, postgres.InspectOptions{})
	if err != nil {
		b.Fatal(err)
	}
	target, err := postgres.Target(ctx, db, tgt, postgres.TargetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ops, err := diff.Compare(current, target, diff.Options{})
	if err != nil || len(ops) != 100 {
		b.Fatalf("%d ops, %v", len(ops), err)
	}
	one, err := postgres.Target(ctx, db, append(cur, "ALTER TABLE t000 ADD COLUMN added int"), postgres.TargetOptions{})
	if err != nil {
		b.Fatal(err)
	}
	oneOps, err := diff.Compare(current, one, diff.Options{})
	if err != nil || len(oneOps) != 1 {
		b.Fatalf("%d ops, %v", len(oneOps), err)
	}
	b.Run("render+verify/one-of-100", func(b *testing.B) {
		for b.Loop() {
			res, err := pgrender.Render(oneOps, current, one)
			if err != nil {
				b.Fatal(err)
			}
			if err := pgrender.Verify(ctx, db, res, current, one); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			if _, err := pgrender.Render(ops, current, target); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("render+verify", func(b *testing.B) {
		for b.Loop() {
			res, err := pgrender.Render(ops, current, target)
			if err != nil {
				b.Fatal(err)
			}
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil {
				b.Fatal(err)
			}
		}
	})
}
