// Command exampleapp is the example application: at start-up it upgrades
// its database to head from the revisions compiled into it (migrations/),
// with no autogen binary and no Go toolchain at run time, then uses the
// models with bun. Given a member and a team it adds them; it always lists
// the members.
//
//	exampleapp [-db app.db] [MEMBER TEAM [AGE]]
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/autogen-dev/autogen/migrations"
	"github.com/autogen-dev/autogen/models"
	"github.com/autogen-dev/autogen/runner"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "exampleapp:", err)
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("exampleapp", flag.ContinueOnError)
	fl.SetOutput(stderr)
	path := fl.String("db", "app.db", "the SQLite database `file`")
	if err := fl.Parse(args); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+*path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrate(ctx, db, stderr); err != nil {
		return err
	}
	bdb := bun.NewDB(db, sqlitedialect.New())
	switch rest := fl.Args(); len(rest) {
	case 0:
	case 2, 3:
		if err := addMember(ctx, bdb, rest); err != nil {
			return err
		}
	default:
		return errors.New("give a member and a team (and an age), or nothing")
	}
	return list(ctx, bdb, stdout)
}

// migrate brings the database to head; the runner logs what it runs as
// Alembic does.
func migrate(ctx context.Context, db *sql.DB, log io.Writer) error {
	r, err := runner.New(db, migrations.Scripts(), runner.WithLog(log))
	if err != nil {
		return err
	}
	_, err = r.Upgrade(ctx, "head")
	return err
}

func addMember(ctx context.Context, db *bun.DB, args []string) error {
	m := models.Member{Name: args[0]}
	if len(args) == 3 {
		age, err := strconv.Atoi(args[2])
		if err != nil {
			return fmt.Errorf("age %q is not a number", args[2])
		}
		m.Age = age
	}
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		team := models.Team{Name: args[1]}
		if _, err := tx.NewInsert().Model(&team).On("CONFLICT (name) DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		if err := tx.NewSelect().Model(&team).Where("name = ?", team.Name).Scan(ctx); err != nil {
			return err
		}
		m.TeamID = team.ID
		_, err := tx.NewInsert().Model(&m).Exec(ctx)
		return err
	})
}

func list(ctx context.Context, db *bun.DB, w io.Writer) error {
	var members []models.Member
	if err := db.NewSelect().Model(&members).Relation("Team").Order("member.id").Scan(ctx); err != nil {
		return err
	}
	for _, m := range members {
		fmt.Fprintf(w, "%s (%s, %d)\n", m.Name, m.Team.Name, m.Age)
	}
	fmt.Fprintf(w, "%d member(s)\n", len(members))
	return nil
}
