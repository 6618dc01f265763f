// Command gen writes the workloads of bench/run.sh into a folder: a user's
// Go module with generated bun models, or a chain of revision files.
//
//	gen models -dir D -gosum go.sum -n 1000 -rev 0   # N models of 12 columns
//	gen models-pg ...                               # the same, unique groups named per table
//	gen chain -dir D -n 200                         # N one-column revisions
//	gen wide -dir D -gosum go.sum -change none      # one 8-column table, 2 indexes
//
// The same workloads as Alembic projects (SQLAlchemy models and Python
// revisions; see bench/workload/alembic.go):
//
//	gen alembic-models -dir D -n 1000 -rev 0
//	gen alembic-models-pg -dir D -n 1000 -rev 0
//	gen alembic-chain -dir D -n 200
//	gen alembic-wide -dir D -change bigint
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/autogen-dev/autogen/bench/workload"
)

func main() {
	dir := flag.String("dir", ".", "folder to write into")
	gosum := flag.String("gosum", "", "go.sum to copy into the module (models and wide)")
	n := flag.Int("n", 1000, "number of models (models) or revisions (chain)")
	rev := flag.Int("rev", 0, "edit number: changes one column default per model (models)")
	change := flag.String("change", workload.ChangeNone, "wide: the change of the items table: "+strings.Join(workload.WideChanges, ", "))
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: gen models|models-pg|chain|wide|alembic-models|alembic-models-pg|alembic-chain|alembic-wide [flags]")
		os.Exit(2)
	}
	mode := os.Args[1]
	flag.CommandLine.Parse(os.Args[2:]) // exits on a bad flag
	if err := run(mode, *dir, *gosum, *n, *rev, *change); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(mode, dir, gosum string, n, rev int, change string) error {
	var files map[string]string
	var err error
	switch mode {
	case "models":
		files = workload.Models(n, rev)
	case "models-pg":
		files = workload.ModelsPG(n, rev)
	case "wide":
		files, err = wide(change)
	case "chain":
		files = workload.Chain(n)
	case "alembic-models":
		files = workload.AlembicModels(n, rev)
	case "alembic-models-pg":
		files = workload.AlembicModelsPG(n, rev)
	case "alembic-chain":
		files = workload.AlembicChain(n)
	case "alembic-wide":
		files, err = workload.AlembicWide(change)
	default:
		return fmt.Errorf("unknown workload %q: want models, models-pg, wide, chain, alembic-models, alembic-models-pg, alembic-chain or alembic-wide", mode)
	}
	if err != nil {
		return err
	}
	if mode == "models" || mode == "models-pg" || mode == "wide" {
		files["go.mod"] = workload.GoMod
		if gosum != "" {
			sum, err := os.ReadFile(gosum)
			if err != nil {
				return err
			}
			files["go.sum"] = string(sum)
		}
	}
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// wide is one table of 8 columns with two indexes (one of them on qty),
// changed by change (see workload.WideChanges): qty INTEGER -> BIGINT
// (the same affinity), qty INTEGER -> VARCHAR(20) (which every tool must
// rebuild for), or active's default false -> true.
func wide(change string) (map[string]string, error) {
	qty := "\tQty       int\n"
	active := "\tActive    bool   `bun:\",notnull,default:false\"`\n"
	switch change {
	case workload.ChangeNone:
	case workload.ChangeBigint:
		qty = "\tQty       int64  `bun:\"type:bigint\"`\n"
	case workload.ChangeVarchar:
		qty = "\tQty       string `bun:\"type:varchar(20)\"`\n"
	case workload.ChangeDefault:
		active = "\tActive    bool   `bun:\",notnull,default:true\"`\n"
	default:
		return nil, fmt.Errorf("unknown change %q: want one of %s", change, strings.Join(workload.WideChanges, ", "))
	}
	return map[string]string{"models/models.go": `package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

type Item struct {
	bun.BaseModel ` + "`bun:\"table:items\"`" + `

	ID        int64  ` + "`bun:\",pk,autoincrement\"`" + `
	Name      string ` + "`bun:\",notnull\"`" + `
	Email     string ` + "`bun:\",notnull\"`" + `
` + qty + `	Price     float64
` + active + `	Note      *string
	CreatedAt time.Time ` + "`bun:\",nullzero,notnull,default:current_timestamp\"`" + `
}

func (*Item) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	if _, err := q.DB().NewCreateIndex().Model((*Item)(nil)).Index("items_email_idx").Column("email").Exec(ctx); err != nil {
		return err
	}
	_, err := q.DB().NewCreateIndex().Model((*Item)(nil)).Index("items_created_qty_idx").Column("created_at", "qty").Exec(ctx)
	return err
}
`}, nil
}
