// Command pipeline runs the stages of `autogen check` in one process, with
// the same calls the CLI makes (package autogen), and prints the time of
// each, for profiling what the CLI benchmarks measure as a whole: load the
// models (through the loader cache); compare (build the target from their
// DDL, inspect the database, diff); plan (render, verify on scratch
// copies, assess the live rows).
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

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/runner"
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
	m, err := autogen.LoadModels(ctx, dir, []string{models}, 0)
	if err != nil {
		return err
	}
	stage("load")
	var db *sql.DB
	if dbPath != "" {
		if db, err = runner.OpenFile(ctx, dbPath, runner.FileOptions{ReadOnly: true}); err != nil {
			return err
		}
		defer db.Close()
	}
	c, err := autogen.Compare(ctx, m, db, autogen.Options{Name: dbPath})
	if err != nil {
		return err
	}
	stage("compare")
	p, err := c.Plan(ctx)
	if err != nil {
		return err
	}
	stage("plan")
	fmt.Printf("%d changes, %d differences\n", len(p.Changes), len(p.Diffs))
	return nil
}
