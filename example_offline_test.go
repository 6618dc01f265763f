package autogen_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing/fstest"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/script"
)

// An offline script for a sqlite3 shell older than 3.53 (Debian 12's is
// 3.40.1): the revision's ALTER COLUMN ... SET NOT NULL is written as
// SQLite's table rebuild, learnt by replaying the revisions on a scratch
// database.
func ExampleOfflineSQL() {
	rev := func(id, parent, up, down string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(fmt.Sprintf("-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- +autogen upgrade\n%s\n\n-- +autogen downgrade\n%s\n", id, id, parent, up, down))}
	}
	d, err := script.LoadFS(fstest.MapFS{
		"versions/a.sql": rev("aaaaaaaaaaaa", "", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);", "DROP TABLE t;"),
		"versions/b.sql": rev("bbbbbbbbbbbb", "aaaaaaaaaaaa", "ALTER TABLE t ALTER COLUMN a SET NOT NULL;", "ALTER TABLE t ALTER COLUMN a DROP NOT NULL;"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b strings.Builder
	err = autogen.OfflineSQL(context.Background(), &b, d, []string{"aaaaaaaaaaaa"}, []string{"bbbbbbbbbbbb"}, true,
		autogen.OfflineOptions{SQLiteVersion: "3.40.1"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Print(b.String())
	// Output:
	// PRAGMA foreign_keys=OFF;
	//
	// -- Each revision is one block from BEGIN to COMMIT, its statements joined by /* */, so
	// -- that the sqlite3 shell reads it as one unit: a failed statement stops the unit, and
	// -- the rest of the revision, its version row and COMMIT do not run, with or without -bail.
	//
	// BEGIN; /*
	//
	// -- Running upgrade aaaaaaaaaaaa -> bbbbbbbbbbbb
	// -- ALTER TABLE t ALTER COLUMN a SET NOT NULL: written as SQLite's table rebuild, for a sqlite3 shell older than 3.53 (offline_sqlite_version)
	// */ CREATE TABLE "_autogen_new_t" (id INTEGER PRIMARY KEY, a TEXT NOT NULL); /*
	// */ INSERT INTO "_autogen_new_t" ("id", "a")
	//   SELECT "id", "a" FROM "t"; /*
	// */ DROP TABLE "t"; /*
	// */ PRAGMA legacy_alter_table = ON; /*
	// */ ALTER TABLE "_autogen_new_t" RENAME TO "t"; /*
	// */ PRAGMA legacy_alter_table = OFF; /*
	// */ UPDATE alembic_version SET version_num='bbbbbbbbbbbb' WHERE alembic_version.version_num = 'aaaaaaaaaaaa'; /*
	// */ COMMIT;
}
