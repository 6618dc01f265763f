package runner_test

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/autogen-dev/autogen/migrations"
	"github.com/autogen-dev/autogen/runner"
)

// scripts is the example application's script directory, which the
// package migrations embeds (//go:embed versions) and hands out as an
// fs.FS: an application compiles its own in the same way.
func scripts() fs.FS { return migrations.Scripts() }

// An application upgrades its database at start-up from the revisions
// compiled into it.
func ExampleNew() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	r, err := runner.New(db, scripts())
	if err != nil {
		log.Fatal(err)
	}
	steps, err := r.Upgrade(context.Background(), "head")
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range steps {
		fmt.Println(s.Direction, s.Revision, s.Message, s.File)
	}
	// Output:
	// upgrade 84a704d3541a Initial Tables versions/84a704d3541a_initial_tables.sql
	// upgrade f3ba2abbb081 Column age added to Member versions/f3ba2abbb081_column_age_added_to_member.sql
}

// memoryRunner is a runner on a private in-memory database; its pool
// keeps one connection, as each connection to ":memory:" is a database of
// its own.
func memoryRunner(opts ...runner.Option) (*runner.Runner, *sql.DB) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	r, err := runner.New(db, scripts(), opts...)
	if err != nil {
		log.Fatal(err)
	}
	return r, db
}

func ExampleRunner_Upgrade() {
	r, db := memoryRunner(runner.WithLog(os.Stdout))
	defer db.Close()
	ctx := context.Background()
	if _, err := r.Upgrade(ctx, "+1"); err != nil {
		log.Fatal(err)
	}
	// A second upgrade runs only what is missing; a third has nothing to do.
	steps, err := r.Upgrade(ctx, "head")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(steps), "more")
	steps, _ = r.Upgrade(ctx, "head")
	fmt.Println(len(steps), "more")
	// Output:
	// INFO  [alembic.runtime.migration] Context impl SQLiteImpl.
	// INFO  [alembic.runtime.migration] Will assume transactional DDL.
	// INFO  [alembic.runtime.migration] Running upgrade  -> 84a704d3541a, Initial Tables
	// INFO  [alembic.runtime.migration] Running upgrade 84a704d3541a -> f3ba2abbb081, Column age added to Member
	// 1 more
	// 0 more
}

func ExampleRunner_Downgrade() {
	r, db := memoryRunner()
	defer db.Close()
	ctx := context.Background()
	if _, err := r.Upgrade(ctx, "head"); err != nil {
		log.Fatal(err)
	}
	steps, err := r.Downgrade(ctx, "-1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(steps[0].Direction, steps[0].Revision, steps[0].Message)
	// The column the downgrade dropped is gone.
	if _, err := db.Exec("SELECT age FROM members"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// downgrade f3ba2abbb081 Column age added to Member
	// SQL logic error: no such column: age (1)
}

func ExampleRunner_Current() {
	r, db := memoryRunner()
	defer db.Close()
	ctx := context.Background()
	heads, err := r.Current(ctx)
	fmt.Println(heads, err)
	if _, err := r.Upgrade(ctx, "84a7"); err != nil {
		log.Fatal(err)
	}
	heads, err = r.Current(ctx)
	fmt.Println(heads, err)
	// Output:
	// [] <nil>
	// [84a704d3541a] <nil>
}

// A long migration shows what runs: WithProgress reports each revision and
// statement as it starts and ends, with how long it took (printed here
// without it, which varies).
func ExampleWithProgress() {
	show := func(p runner.Progress) {
		switch p.Event {
		case runner.RevisionStart:
			fmt.Println("running", p.Step.Revision, p.Step.Message)
		case runner.StatementEnd:
			fmt.Printf("  statement %d of %d done\n", p.Index, p.Count)
		}
	}
	r, db := memoryRunner(runner.WithProgress(show))
	defer db.Close()
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		log.Fatal(err)
	}
	// Output:
	// running 84a704d3541a Initial Tables
	//   statement 1 of 2 done
	//   statement 2 of 2 done
	// running f3ba2abbb081 Column age added to Member
	//   statement 1 of 1 done
}
