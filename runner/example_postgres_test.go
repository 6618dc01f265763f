package runner_test

import (
	"context"
	"database/sql"
	"log"
	"os"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/autogen-dev/autogen/runner"
)

// An application on PostgreSQL passes its pgx *sql.DB as it would a SQLite
// one: instances starting at once take turns on an advisory lock, and each
// revision is applied once. (Not run: it needs a server; the package's
// TestPG tests run the same on a private cluster.)
func ExampleNew_postgreSQL() {
	db, err := sql.Open("pgx", os.Getenv("DATABASE_URL")) // postgres://app@db/app
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	r, err := runner.New(db, scripts(),
		runner.WithLockTimeout(5*time.Second),    // an ALTER TABLE gives up rather than queue the app's queries
		runner.WithStatementTimeout(time.Minute), // and no statement runs longer
		runner.WithLog(os.Stderr))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := r.Upgrade(context.Background(), "head"); err != nil {
		log.Fatal(err) // one sentence: revision, file:line, the server's message; rolled back
	}
}
