package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

// benchDDL makes n tables of 12 columns, as schema's benchmark does on
// SQLite: a serial key, a foreign key to the previous table, a UNIQUE, a
// CHECK, a partial index, a generated column, a comment, and two rows.
func benchDDL(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf(`CREATE TABLE "t%04d" (
  id BIGSERIAL PRIMARY KEY,
  name VARCHAR(100) NOT NULL COLLATE "C",
  code TEXT CONSTRAINT "t%04d_code_key" UNIQUE,
  parent_id BIGINT REFERENCES "t%04d" (id) ON DELETE CASCADE,
  amount NUMERIC(10,2) DEFAULT 0 CHECK (amount >= 0),
  c5 TEXT, c6 INTEGER DEFAULT 1, c7 DOUBLE PRECISION, c8 BYTEA,
  c9 TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP, c10 BOOLEAN NOT NULL DEFAULT FALSE,
  c11 TEXT GENERATED ALWAYS AS (upper(name)) STORED
)`, i, i, max(i-1, 0)),
			fmt.Sprintf(`CREATE INDEX "t%04d_name" ON "t%04d" (name, c6 DESC) WHERE c5 IS NOT NULL`, i, i),
			fmt.Sprintf(`COMMENT ON TABLE "t%04d" IS 'table %d'`, i, i),
			fmt.Sprintf(`INSERT INTO "t%04d" (name, code) VALUES ('a', 'x'), ('b', NULL)`, i))
	}
	return out
}

// BenchmarkInspect measures Inspect on n tables of a real server:
// go test ./postgres -run XXX -bench Inspect
func BenchmarkInspect(b *testing.B) {
	for _, n := range []int{50, 200, 1000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			d := pgtest.New(b)
			ctx := context.Background()
			if _, err := d.DB.ExecContext(ctx, strings.Join(benchDDL(n), ";\n")); err != nil {
				b.Fatal(err)
			}
			if _, err := d.DB.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			s, err := Inspect(ctx, d.DB, InspectOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if last := s.Tables[n-1]; len(s.Tables) != n || len(last.Indexes) != 1 || len(last.ForeignKeys) != 1 ||
				len(last.Columns) != 12 || last.Columns[0].Sequence == nil {
				b.Fatalf("inspected %d tables, want %d with 12 columns, a sequence, one index and one foreign key", len(s.Tables), n)
			}
			d.DB.SetMaxOpenConns(1)
			var pid int
			if err := d.DB.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
				b.Fatal(err)
			}
			server, client := cpuTime(pid), cpuTime(0)
			for b.Loop() {
				if _, err := Inspect(ctx, d.DB, InspectOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, pid, server, client)
		})
	}
}

// BenchmarkTarget measures building n tables' target schema in a scratch
// schema and inspecting it.
func BenchmarkTarget(b *testing.B) {
	for _, n := range []int{200, 1000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			d := pgtest.New(b)
			var stmts []string
			for _, s := range benchDDL(n) {
				if !strings.HasPrefix(s, "INSERT") {
					stmts = append(stmts, s)
				}
			}
			ctx := context.Background()
			d.DB.SetMaxOpenConns(1)
			var pid int
			if err := d.DB.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
				b.Fatal(err)
			}
			server, client := cpuTime(pid), cpuTime(0)
			defer func() { reportCPU(b, pid, server, client) }()
			for b.Loop() {
				s, err := Target(ctx, d.DB, stmts, TargetOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Tables) != n {
					b.Fatalf("%d tables", len(s.Tables))
				}
			}
		})
	}
}

// reportCPU reports the CPU time per operation the server backend pid and
// this process spent since server and client.
func reportCPU(b *testing.B, pid int, server, client time.Duration) {
	if server == 0 {
		return
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpuTime(pid)-server)/1e6/n, "server-cpu-ms/op")
	b.ReportMetric(float64(cpuTime(0)-client)/1e6/n, "client-cpu-ms/op")
}
