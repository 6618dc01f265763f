// Command handsql is the floor W3 is measured against: it runs a
// hand-written SQL script on modernc.org/sqlite with nothing around it. It
// also fills the W3 table with rows.
//
//	handsql -db app.db populate 1000000   # rows into items
//	handsql -db app.db exec rebuild.sql   # the script, as one Exec
//	handsql -db app.db each chain.sql     # every line in its own transaction
//
// -threads N sets PRAGMA threads, as the autogen runner does, to show what
// the same SQL gains from SQLite's multi-threaded sorter.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	_ "modernc.org/sqlite"
)

func main() {
	path := flag.String("db", "", "SQLite database file")
	threads := flag.Int("threads", 0, "PRAGMA threads: helper threads SQLite may sort with")
	flag.Parse()
	if err := run(context.Background(), *path, *threads, flag.Arg(0), flag.Arg(1)); err != nil {
		fmt.Fprintln(os.Stderr, "handsql:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, path string, threads int, mode, arg string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA threads = %d", threads)); err != nil {
		return err
	}
	switch mode {
	case "populate":
		n, err := strconv.Atoi(arg)
		if err != nil {
			return fmt.Errorf("row count %q: %w", arg, err)
		}
		return populate(ctx, db, n)
	case "exec":
		script, err := os.ReadFile(arg)
		if err != nil {
			return err
		}
		_, err = db.ExecContext(ctx, string(script))
		return err
	case "each":
		script, err := os.ReadFile(arg)
		if err != nil {
			return err
		}
		return each(ctx, db, strings.Split(strings.TrimSpace(string(script)), "\n"))
	}
	return fmt.Errorf("unknown mode %q: want populate, exec or each", mode)
}

// populate inserts n rows into items; emails come in scrambled order so that
// building their index sorts for real.
func populate(ctx context.Context, db *sql.DB, n int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO items (id, name, email, qty, price, active, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		var note any
		if i%2 == 0 {
			note = fmt.Sprintf("note %d", i)
		}
		email := fmt.Sprintf("u%08x@example.com", uint32(i)*2654435761)
		created := fmt.Sprintf("2025-%02d-%02d 12:%02d:%02d", i%12+1, i%28+1, i%60, (i/60)%60)
		if _, err := st.ExecContext(ctx, i, "name "+strconv.Itoa(i), email, i%1000, float64(i)/100, i%2 == 0, note, created); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// each runs every statement in its own transaction, one commit each, as the
// runner applies one revision per transaction.
func each(ctx context.Context, db *sql.DB, stmts []string) error {
	for _, s := range stmts {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", s, err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}
