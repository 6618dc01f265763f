// Command pipeline runs the stages of `autogen check` in one process and
// prints the time of each, for profiling what the CLI benchmarks measure as a
// whole: load the models (through the loader cache), parse their DDL,
// inspect the database, compare, render.
//
//	pipeline -dir APP -db APP/database.db -models ./models -n 3 -cpuprofile cpu.out
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	_ "modernc.org/sqlite"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/loader"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

func main() {
	dir := flag.String("dir", ".", "the user's module folder")
	dbPath := flag.String("db", "", "database to inspect; none compares with an empty schema")
	models := flag.String("models", "./models", "model package pattern")
	n := flag.Int("n", 1, "repetitions")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	flag.Parse()
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	for range *n {
		if err := run(context.Background(), *dir, *dbPath, *models); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pipeline:", err)
	os.Exit(1)
}

func run(ctx context.Context, dir, dbPath, models string) error {
	t := time.Now()
	stage := func(name string) {
		fmt.Printf("%-8s %8.1f ms\n", name, float64(time.Since(t).Microseconds())/1000)
		t = time.Now()
	}
	res, err := loader.Load(ctx, loader.Options{Dir: dir, Patterns: []string{models}})
	if err != nil {
		return err
	}
	stage("load")
	target, err := schema.FromDDL(ctx, res.Statements)
	if err != nil {
		return err
	}
	stage("fromddl")
	current := &schema.Schema{}
	if dbPath != "" {
		db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro")
		if err != nil {
			return err
		}
		defer db.Close()
		if current, err = schema.Inspect(ctx, db, "alembic_version"); err != nil {
			return err
		}
	}
	stage("inspect")
	ops, err := diff.Compare(current, target, diff.Options{})
	if err != nil {
		return err
	}
	stage("compare")
	if _, _, err := render.SQL(ops, current, target); err != nil {
		return err
	}
	stage("render")
	fmt.Printf("%d tables, %d operations\n", len(target.Tables), len(ops))
	return nil
}
