// Package workload generates the benchmark workloads: a package of bun
// models and the DDL bun executes for it, so that the in-process benchmarks
// of diff and render and the CLI benchmarks of bench/run.sh measure the same
// schema.
package workload

import (
	"fmt"
	"strings"
)

// GoMod is the go.mod of a bun-on-SQLite application: bun and its sqlite
// dialect and nothing of autogen's. The workloads and the loader's and the
// CLI's tests make their temporary modules with it; everything it names is
// in autogen's own module graph, so it builds from the module cache.
const GoMod = `module example.com/app

go 1.26.0

require (
	github.com/uptrace/bun v1.3.0
	github.com/uptrace/bun/dialect/sqlitedialect v1.3.0
)

require (
	github.com/jinzhu/inflection v1.0.0 // indirect
	github.com/puzpuzpuz/xsync/v3 v3.5.1 // indirect
	github.com/tmthrgd/go-hex v0.0.0-20190904060850-447a3041c3bc // indirect
	github.com/vmihailenco/msgpack/v5 v5.4.1 // indirect
	github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
`

// Models is the source of a package "models" of n models, in files of 100
// (path -> source): 12 columns each; every third model belongs to an earlier
// one, every fifth has a two-column unique group, every seventh creates an
// index in its AfterCreateTableHook. rev is written into a column default of
// every model, so changing it changes every file and the DDL.
func Models(n, rev int) map[string]string { return models(n, rev, sharedGroup) }

// ModelsPG is Models for PostgreSQL, where a unique constraint's name is
// that of its index and so must differ between tables: each unique group is
// named after its table.
func ModelsPG(n, rev int) map[string]string { return models(n, rev, tableGroup) }

// sharedGroup and tableGroup name model i's unique group: one name for
// every table (SQLite allows it) or one per table.
func sharedGroup(int) string  { return "g_a_b" }
func tableGroup(i int) string { return fmt.Sprintf("t%04d_a_b", i) }

func models(n, rev int, group func(int) string) map[string]string {
	files := map[string]string{}
	const perFile = 100
	for f := 0; f*perFile < n; f++ {
		var b strings.Builder
		b.WriteString("package models\n\nimport (\n\t\"context\"\n\t\"time\"\n\n\t\"github.com/uptrace/bun\"\n)\n\nvar _ = context.Background\nvar _ time.Time\n")
		for i := f * perFile; i < min(n, (f+1)*perFile); i++ {
			fmt.Fprintf(&b, "\ntype M%04d struct {\n\tbun.BaseModel `bun:\"table:t%04d\"`\n\n", i, i)
			b.WriteString("\tID int64 `bun:\",pk,autoincrement\"`\n")
			b.WriteString("\tName string `bun:\",notnull,unique\"`\n")
			fmt.Fprintf(&b, "\tCode string `bun:\",notnull,default:'c%d'\"`\n", rev)
			if i%5 == 0 {
				fmt.Fprintf(&b, "\tA string `bun:\",unique:%[1]s\"`\n\tB string `bun:\",unique:%[1]s\"`\n", group(i))
			} else {
				b.WriteString("\tA string\n\tB string\n")
			}
			b.WriteString("\tCount int\n\tPrice float64\n\tActive bool `bun:\",notnull,default:false\"`\n\tNote *string\n\tData []byte\n\tCreatedAt time.Time `bun:\",nullzero,notnull,default:current_timestamp\"`\n")
			if parent(i) >= 0 {
				fmt.Fprintf(&b, "\tParentID int64 `bun:\",notnull\"`\n\tParent *M%04d `bun:\"rel:belongs-to,join:parent_id=id,on_delete:CASCADE\"`\n", parent(i))
			} else {
				b.WriteString("\tParentID int64\n")
			}
			b.WriteString("}\n")
			if i%7 == 0 {
				fmt.Fprintf(&b, "\nfunc (*M%04d) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {\n\t_, err := q.DB().NewCreateIndex().Model((*M%04d)(nil)).Index(\"t%04d_count_idx\").Column(\"count\").Exec(ctx)\n\treturn err\n}\n", i, i, i)
			}
		}
		files[fmt.Sprintf("models/models%02d.go", f)] = b.String()
	}
	return files
}

// parent is the model that model i belongs to, -1 when none.
func parent(i int) int {
	if i%3 == 1 {
		return i / 2
	}
	return -1
}

// DDL is what bun executes to create the tables of Models(n, rev), parents
// first, each table's hook statement after it.
func DDL(n, rev int) []string {
	var stmts []string
	for i := range n {
		var b strings.Builder
		fmt.Fprintf(&b, `CREATE TABLE "t%04d" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "name" VARCHAR NOT NULL, "code" VARCHAR NOT NULL DEFAULT 'c%d', "a" VARCHAR, "b" VARCHAR, "count" INTEGER, "price" DOUBLE PRECISION, "active" BOOLEAN NOT NULL DEFAULT false, "note" VARCHAR, "data" BLOB, "created_at" TIMESTAMP NOT NULL DEFAULT current_timestamp, `, i, rev)
		if parent(i) >= 0 {
			b.WriteString(`"parent_id" INTEGER NOT NULL, UNIQUE ("name")`)
		} else {
			b.WriteString(`"parent_id" INTEGER, UNIQUE ("name")`)
		}
		if i%5 == 0 {
			b.WriteString(`, CONSTRAINT "g_a_b" UNIQUE ("a", "b")`)
		}
		if p := parent(i); p >= 0 {
			fmt.Fprintf(&b, `, FOREIGN KEY ("parent_id") REFERENCES "t%04d" ("id") ON UPDATE NO ACTION ON DELETE CASCADE`, p)
		}
		b.WriteString(")")
		stmts = append(stmts, b.String())
		if i%7 == 0 {
			stmts = append(stmts, fmt.Sprintf(`CREATE INDEX "t%04d_count_idx" ON "t%04d" ("count")`, i, i))
		}
	}
	return stmts
}
