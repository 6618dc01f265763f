// Command pipeline runs the stages of an autogen command in one process,
// through the same calls the CLI makes (package autogen, runner), and
// prints the wall and CPU time of each, with an optional CPU profile for
// `go tool pprof`: what the CLI benchmarks time as a whole, taken apart.
//
//	pipeline revision -dir APP -cold -cpuprofile cpu.out   # W1: loader cache emptied
//	pipeline check -dir APP -n 5                           # W1b
//	pipeline migrations -dir APP                           # W1b, check --migrations
//	pipeline upgrade -dir APP                              # W2, from an empty database
//
// APP is a folder bench/run.sh sets up: the models in ./models, revisions
// in ./migrations/versions, the database in ./database.db.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/script"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pipeline revision|check|migrations|upgrade [flags]")
		os.Exit(2)
	}
	mode := os.Args[1]
	fs := flag.NewFlagSet(mode, flag.ExitOnError)
	dir := fs.String("dir", ".", "the application folder")
	n := fs.Int("n", 1, "repetitions")
	cold := fs.Bool("cold", false, "load the models with an empty loader cache (as W1 does)")
	cpu := fs.String("cpuprofile", "", "write a CPU profile here")
	fs.Parse(os.Args[2:]) // exits on a bad flag
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
	a := &app{dir: *dir, cold: *cold}
	for range *n {
		a.t, a.cpu = time.Now(), cpuTime()
		var err error
		switch mode {
		case "revision":
			err = a.revision(context.Background(), true)
		case "check":
			err = a.revision(context.Background(), false)
		case "migrations":
			err = a.migrations(context.Background())
		case "upgrade":
			err = a.upgrade(context.Background())
		default:
			err = fmt.Errorf("unknown mode %q", mode)
		}
		if err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pipeline:", err)
	os.Exit(1)
}

type app struct {
	dir  string
	cold bool
	t    time.Time
	cpu  time.Duration
}

// stage prints the wall and CPU time since the last stage ended.
func (a *app) stage(name string) {
	cpu := cpuTime()
	fmt.Printf("%-10s %9.1f ms wall %9.1f ms cpu\n", name, ms(time.Since(a.t)), ms(cpu-a.cpu))
	a.t, a.cpu = time.Now(), cpu
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// models loads the models as the CLI does; cold empties the loader cache
// first (it lives under XDG_CACHE_HOME), as W1 does.
func (a *app) models(ctx context.Context) (*autogen.Models, error) {
	if a.cold {
		tmp, err := os.MkdirTemp("", "pipeline-cache-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		os.Setenv("XDG_CACHE_HOME", tmp)
	}
	m, err := autogen.LoadModels(ctx, a.dir, []string{"./models"}, 0)
	a.stage("load")
	return m, err
}

// revision is what `autogen revision` (plan set) and `autogen check` do
// between reading the configuration and writing the file.
func (a *app) revision(ctx context.Context, plan bool) error {
	m, err := a.models(ctx)
	if err != nil {
		return err
	}
	path := filepath.Join(a.dir, "database.db")
	var db *sql.DB
	if _, err := os.Stat(path); err == nil {
		if db, err = runner.OpenFile(ctx, path, runner.FileOptions{ReadOnly: true}); err != nil {
			return err
		}
		defer db.Close()
	}
	c, err := autogen.Compare(ctx, m, db, autogen.Options{Name: path})
	if err != nil {
		return err
	}
	a.stage("compare")
	if plan {
		p, err := c.Plan(ctx)
		if err != nil {
			return err
		}
		a.stage("plan")
		fmt.Printf("%d changes\n", len(p.Changes))
	}
	fmt.Printf("%d differences\n", len(c.Diffs()))
	return nil
}

// migrations is `autogen check --migrations`: every revision replayed on an
// empty in-memory database, then compared with the models.
func (a *app) migrations(ctx context.Context) error {
	m, err := a.models(ctx)
	if err != nil {
		return err
	}
	d, err := script.Load(filepath.Join(a.dir, "migrations"))
	if err != nil {
		return err
	}
	a.stage("scripts")
	db, err := autogen.Replay(ctx, d, runner.DefaultVersionTable)
	if err != nil {
		return err
	}
	defer db.Close()
	a.stage("replay")
	c, err := autogen.Compare(ctx, m, db, autogen.Options{Name: "the replayed revisions", SkipAssess: true})
	if err != nil {
		return err
	}
	a.stage("compare")
	fmt.Printf("%d differences\n", len(c.Diffs()))
	return nil
}

// upgrade is `autogen upgrade head` from an empty database (removed first).
func (a *app) upgrade(ctx context.Context) error {
	path := filepath.Join(a.dir, "database.db")
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	d, err := script.Load(filepath.Join(a.dir, "migrations"))
	if err != nil {
		return err
	}
	a.stage("scripts")
	db, err := runner.OpenFile(ctx, path, runner.FileOptions{})
	if err != nil {
		return err
	}
	defer db.Close()
	a.stage("open")
	if _, err := runner.FromDir(db, d).Upgrade(ctx, "heads"); err != nil {
		return err
	}
	a.stage("upgrade")
	return nil
}
