package schema

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// corruptDB makes a database whose table t is stored with the text
// storedSQL while the connection's loaded schema is the one created: the
// parser and the pragmas then disagree, as they would if either had a bug.
func corruptDB(t *testing.T, storedSQL string) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	for _, s := range []string{
		`CREATE TABLE p (id INTEGER PRIMARY KEY)`,
		`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x'))`,
		`CREATE INDEX t_b ON t (b, lower(b))`,
		`INSERT INTO p VALUES (1)`,
		`INSERT INTO t (a, b) VALUES (1, 'x')`,
		`PRAGMA writable_schema = ON`,
		`UPDATE sqlite_master SET sql = ` + sqltext.QuoteString(storedSQL) + ` WHERE name = 't'`,
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return conn
}

func TestInspectDisagreement(t *testing.T) {
	cases := []struct{ stored, want string }{
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), bb TEXT, c AS (b || 'x'))`, `inspect table "t": column 1 is "b" to SQLite but "bb" in the parsed CREATE TABLE`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT)`, `inspect table "t": SQLite has column "c" that the parsed CREATE TABLE lacks`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x'), d)`, `inspect table "t": SQLite has 3 columns but the parsed CREATE TABLE has 4`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c)`, `inspect table "t": column "c" is a VIRTUAL generated column to SQLite but an ordinary column in the parsed CREATE TABLE`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x') STORED)`, `column "c" is a VIRTUAL generated column to SQLite but a STORED generated column in the parsed`},
		{`CREATE TABLE t (a INTEGER PRIMARY KEY REFERENCES p (id), b TEXT, c AS (b || 'x'))`, `inspect table "t": the primary key is () to SQLite but (a) in the parsed CREATE TABLE`},
		{`CREATE TABLE t (a INTEGER, b TEXT, c AS (b || 'x'))`, `inspect table "t": SQLite has 1 foreign keys but the parsed CREATE TABLE has 0`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id) ON DELETE CASCADE, b TEXT, c AS (b || 'x'))`, `inspect table "t": foreign key (a) REFERENCES "p" ON DELETE NO ACTION ON UPDATE NO ACTION to SQLite but (a) REFERENCES "p" ON DELETE CASCADE`},
		{`CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x')`, `inspect table "t": parse CREATE TABLE "CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS...": syntax error: expected ',' or ')' at offset 68, found end of input`},
		{`CREATE TABLE u (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x'))`, `inspect table "t": its stored SQL names it "u"`},
	}
	for _, c := range cases {
		conn := corruptDB(t, c.stored)
		_, err := Inspect(context.Background(), conn)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("stored %q: Inspect error %v, want one containing %q", c.stored, err, c.want)
		}
	}
}

func TestInspectIndexDisagreement(t *testing.T) {
	ctx := context.Background()
	conn := corruptDB(t, `CREATE TABLE t (a INTEGER REFERENCES p (id), b TEXT, c AS (b || 'x'))`)
	if _, err := Inspect(ctx, conn); err != nil {
		t.Fatalf("the uncorrupted database does not inspect: %v", err)
	}
	for stored, want := range map[string]string{
		`CREATE INDEX t_b ON t (a, lower(b))`:      `inspect index "t_b": term 0 is column "b" to SQLite but column "a" in the parsed CREATE INDEX`,
		`CREATE INDEX t_b ON t (b)`:                `inspect index "t_b": SQLite indexes more terms than its parsed CREATE INDEX`,
		`CREATE INDEX t_b ON t (b, lower(b), a)`:   `inspect index "t_b": SQLite has 2 terms but the parsed CREATE INDEX has 3`,
		`CREATE INDEX t_b ON t (b DESC, lower(b))`: `term 0 is column "b" to SQLite but column "b" in the parsed`,
		`CREATE INDEX t_b ON t (b, lower(b)`:       `inspect index "t_b" of table "t": parse CREATE INDEX`,
	} {
		if _, err := conn.ExecContext(ctx, `UPDATE sqlite_master SET sql = `+sqltext.QuoteString(stored)+` WHERE name = 't_b'`); err != nil {
			t.Fatal(err)
		}
		_, err := Inspect(ctx, conn)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("stored %q: Inspect error %v, want one containing %q", stored, err, want)
		}
	}
}

func TestInspectVirtualTable(t *testing.T) {
	_, err := FromDDL(context.Background(), []string{`CREATE VIRTUAL TABLE docs USING fts5(body)`})
	if err == nil || !strings.Contains(err.Error(), `inspect table "docs": virtual tables are not supported`) {
		t.Errorf("FromDDL of a virtual table: %v", err)
	}
}

func TestFromDDLErrors(t *testing.T) {
	ctx := context.Background()
	_, err := FromDDL(ctx, []string{`CREATE TABLE a (x)`, `CREATE TABLE b (y REFERENCES a (x)`})
	if err == nil || !strings.Contains(err.Error(), `statement 2 (CREATE TABLE b (y REFERENCES a (x)): `) {
		t.Errorf("FromDDL error = %v", err)
	}
	// Each call has its own database: the table of one is not in the next.
	for i := 0; i < 3; i++ {
		s, err := FromDDL(ctx, []string{`CREATE TABLE a (x)`})
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if len(s.Tables) != 1 {
			t.Fatalf("call %d sees %d tables", i, len(s.Tables))
		}
	}
	// Foreign keys are off: a child may be created and filled before its parent.
	s, err := FromDDL(ctx, []string{
		`CREATE TABLE c (p INTEGER REFERENCES par (id) ON DELETE CASCADE)`,
		`INSERT INTO c VALUES (42)`,
		`CREATE TABLE par (id INTEGER PRIMARY KEY)`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Table("C").ForeignKeys[0].OnDelete; got != "CASCADE" {
		t.Errorf("OnDelete = %q", got)
	}
	if _, err := FromDDL(ctx, []string{"CREATE TABLE x ("}); err == nil || errors.Is(err, sqltext.ErrSyntax) {
		t.Errorf("SQLite's own error expected, got %v", err)
	}
}
