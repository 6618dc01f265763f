// Command selfmigrate is an application in a module of its own that
// upgrades its database at start-up from revisions embedded in it, then
// records that this instance started. TestSelfMigratingApp builds it.
package main

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/autogen-dev/autogen/runner"
)

//go:embed migrations/versions
var files embed.FS

func main() {
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(path, instance string) error {
	ctx := context.Background()
	// The app's own writes wait for the other instances' locks, as any
	// app sharing a SQLite file must.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return err
	}
	defer db.Close()
	scripts, err := fs.Sub(files, "migrations")
	if err != nil {
		return err
	}
	r, err := runner.New(db, scripts)
	if err != nil {
		return err
	}
	steps, err := r.Upgrade(ctx, "head")
	if err != nil {
		return err
	}
	for _, s := range steps {
		fmt.Printf("%s %s %s\n", instance, s.Direction, s.Revision)
	}
	_, err = db.ExecContext(ctx, "INSERT INTO starts (instance) VALUES (?)", instance)
	return err
}
