package schema

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

func TestParseCreateTable(t *testing.T) {
	cases := []struct {
		sql  string
		want Table
	}{
		{
			`CREATE TABLE IF NOT EXISTS main."a b"(x)`,
			Table{Name: "a b", Columns: []*Column{{Name: "x"}}},
		},
		{
			`create temp table t (id integer primary key desc on conflict abort autoincrement, n unsigned big int not null on conflict fail null, d decimal(10, -2) default -5 collate nocase)`,
			Table{Name: "t", Columns: []*Column{
				{Name: "id", Type: "integer"},
				{Name: "n", Type: "unsigned big int", NotNull: true, Position: 1},
				{Name: "d", Type: "decimal(10, -2)", Default: "-5", Collation: "nocase", Position: 2},
			}, PrimaryKey: &PrimaryKey{Columns: []string{"id"}, Desc: true, Autoincrement: true}},
		},
		{
			`CREATE TABLE t(a TEXT CONSTRAINT nn NOT NULL CONSTRAINT u UNIQUE CONSTRAINT c CHECK (a <> ')') DEFAULT ('(' || 'x'), b AS (a || 'y') STORED, c INT GENERATED ALWAYS AS (1) VIRTUAL CONSTRAINT dangling)`,
			Table{Name: "t", Columns: []*Column{
				{Name: "a", Type: "TEXT", NotNull: true, Default: "('(' || 'x')"},
				{Name: "b", Generated: "a || 'y'", Stored: true, Position: 1},
				{Name: "c", Type: "INT", Generated: "1", Position: 2},
			}, Uniques: []*Unique{{Name: "u", Columns: []string{"a"}}}, Checks: []*Check{{Name: "c", Expr: "a <> ')'"}}},
		},
		{
			`CREATE TABLE c(p REFERENCES par MATCH FULL ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED, q INT CONSTRAINT fk REFERENCES par(x) NOT DEFERRABLE INITIALLY DEFERRED,
			  CONSTRAINT pk PRIMARY KEY (P, q) ON CONFLICT IGNORE
			  UNIQUE ([Q] COLLATE nocase DESC) CONSTRAINT lone CONSTRAINT ck CHECK (p > q), FOREIGN KEY (P, Q) REFERENCES par (a, b) ON DELETE NO ACTION DEFERRABLE INITIALLY DEFERRED) WITHOUT ROWID, STRICT`,
			Table{Name: "c", Columns: []*Column{{Name: "p"}, {Name: "q", Type: "INT", Position: 1}},
				PrimaryKey: &PrimaryKey{Name: "pk", Columns: []string{"p", "q"}},
				Uniques:    []*Unique{{Columns: []string{"q"}}},
				Checks:     []*Check{{Name: "ck", Expr: "p > q"}},
				ForeignKeys: []*ForeignKey{
					{Columns: []string{"p"}, RefTable: "par", OnDelete: "SET NULL", OnUpdate: "CASCADE", Deferrable: "DEFERRABLE INITIALLY DEFERRED"},
					{Name: "fk", Columns: []string{"q"}, RefTable: "par", RefColumns: []string{"x"}, OnDelete: "NO ACTION", OnUpdate: "NO ACTION"},
					{Columns: []string{"p", "q"}, RefTable: "par", RefColumns: []string{"a", "b"}, OnDelete: "NO ACTION", OnUpdate: "NO ACTION", Deferrable: "DEFERRABLE INITIALLY DEFERRED"},
				},
				WithoutRowID: true, Strict: true},
		},
		{
			"CREATE TABLE 'str name' ( -- comment (\n 'col' \"TEXT\" DEFAULT x'00', [k] DEFAULT CURRENT_TIMESTAMP, \"n\" DEFAULT +1.5e3, z DEFAULT NULL /* ) */)",
			Table{Name: "str name", Columns: []*Column{
				{Name: "col", Type: "\"TEXT\"", Default: "x'00'"},
				{Name: "k", Default: "CURRENT_TIMESTAMP", Position: 1},
				{Name: "n", Default: "+1.5e3", Position: 2},
				{Name: "z", Default: "NULL", Position: 3},
			}},
		},
	}
	for _, c := range cases {
		got, err := ParseCreateTable(c.sql)
		if err != nil {
			t.Errorf("ParseCreateTable(%q): %v", c.sql, err)
			continue
		}
		c.want.SQL = c.sql
		if !reflect.DeepEqual(got, &c.want) {
			t.Errorf("ParseCreateTable(%q) =\n%s\nwant\n%s", c.sql, dumpTable(got), dumpTable(&c.want))
		}
	}
}

func dumpTable(t *Table) string {
	var b strings.Builder
	t.dump(&b)
	return b.String()
}

func TestParseCreateTableErrors(t *testing.T) {
	cases := map[string]string{
		`CREATE TABLE x (a INT`:                       `parse CREATE TABLE "CREATE TABLE x (a INT": syntax error: expected ',' or ')' at offset 21, found end of input`,
		`CREATE TABLE "x" (a INT, b CHECK (a > 0)`:    `expected ',' or ')' at offset 40`,
		`CREATE TABLE x AS SELECT 1`:                  `CREATE TABLE ... AS SELECT at offset 15 is not supported`,
		`CREATE VIEW x AS SELECT 1`:                   `expected TABLE at offset 7, found "VIEW"`,
		`CREATE TABLE x (a VARCHAR(big))`:             `expected number at offset 26, found "big"`,
		`CREATE TABLE x (a INT) WITHOUT OIDS`:         `expected WITHOUT ROWID or STRICT at offset 23`,
		`CREATE TABLE x (a REFERENCES p ON DELETE X)`: `expected SET NULL, SET DEFAULT, CASCADE, RESTRICT or NO ACTION at offset 41`,
		`CREATE TABLE x (a, FOREIGN KEY (a) p)`:       `expected REFERENCES at offset 35`,
		`CREATE TABLE x (a INT ON CONFLICT)`:          `expected a column constraint at offset 22`,
		`CREATE TABLE x (a CHECK ())`:                 `expected expression`,
		`CREATE TABLE x (a DEFAULT)`:                  `expected default value at offset 25`,
		`CREATE TABLE x (a) extra`:                    `expected WITHOUT ROWID or STRICT at offset 19`,
		`CREATE TABLE x ('open)`:                      `unterminated string`,
		``:                                            `expected CREATE at offset 0, found end of input`,
	}
	for in, want := range cases {
		_, err := ParseCreateTable(in)
		if err == nil || !errors.Is(err, sqltext.ErrSyntax) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCreateTable(%q) = %v, want an ErrSyntax containing %q", in, err, want)
		}
	}
}

func TestParseCreateIndex(t *testing.T) {
	cases := []struct {
		sql  string
		want Index
	}{
		{`CREATE INDEX i ON t (a)`, Index{Name: "i", Table: "t", Columns: []IndexColumn{{Name: "a"}}}},
		{`create unique index if not exists main."i x" on "t" ([a b] collate nocase desc, (b), lower(c) asc, a COLLATE x COLLATE y, c + 1 DESC) where a > 0 and (b or c);`,
			Index{Name: "i x", Table: "t", Unique: true, Where: "a > 0 and (b or c)", Columns: []IndexColumn{
				{Name: "a b", Collation: "nocase", Desc: true}, {Name: "b"}, {Expr: "lower(c)"},
				{Expr: "a COLLATE x", Collation: "y"}, {Expr: "c + 1", Desc: true},
			}}},
		{`CREATE INDEX i ON t (json_extract(d, '$.a,)'))`, Index{Name: "i", Table: "t", Columns: []IndexColumn{{Expr: "json_extract(d, '$.a,)')"}}}},
	}
	for _, c := range cases {
		got, err := ParseCreateIndex(c.sql)
		if err != nil {
			t.Errorf("ParseCreateIndex(%q): %v", c.sql, err)
			continue
		}
		c.want.SQL = c.sql
		if !reflect.DeepEqual(got, &c.want) {
			t.Errorf("ParseCreateIndex(%q) = %+v, want %+v", c.sql, got, c.want)
		}
	}
	bad := map[string]string{
		`CREATE INDEX i ON t`:               `expected '(' at offset 19`,
		`CREATE INDEX i ON t ()`:            `expected indexed column or expression at offset 21`,
		`CREATE INDEX i ON t (a) WHERE`:     `expected expression`,
		`CREATE INDEX i ON t (a) WHERE (b`:  `expected ')'`,
		`CREATE INDEX i ON t (a) WHERE b)`:  `expected end of expression at offset 31`,
		`CREATE INDEX i ON t (a DESC DESC)`: `expected indexed column`,
	}
	for in, want := range bad {
		_, err := ParseCreateIndex(in)
		if err == nil || !errors.Is(err, sqltext.ErrSyntax) || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseCreateIndex(%q) = %v, want an ErrSyntax containing %q", in, err, want)
		}
	}
}

// TestParseAgreesWithSQLite runs statements SQLite accepts through SQLite
// and checks the parse of the stored text against its pragmas, as the fuzz
// target does.
func TestParseAgreesWithSQLite(t *testing.T) {
	stmts := []string{
		`CREATE TABLE t (a INT CONSTRAINT c NOT NULL CHECK (a > 0))`,
		`CREATE TABLE t ("a" "b" "c", d 'text' (5))`,
		`CREATE TABLE t (key KEY, action ACTION, no NO, replace REPLACE, current_timestamp INT)`,
		`CREATE TABLE t (c, a generated always as (1), b as (a + 1) stored)`,
		`CREATE TABLE t (cross, left INT, natural TEXT)`,
		`CREATE TABLE t (a DEFAULT true, b DEFAULT "x", c DEFAULT -0x10, d DEFAULT 1_000, e DEFAULT +'s')`,
		`CREATE TABLE t (a, b, PRIMARY KEY (a, b) CHECK (a > b) FOREIGN KEY (a) REFERENCES t (b) UNIQUE (b))`,
		`CREATE TABLE t (a INT DEFERRABLE, b REFERENCES t ON INSERT CASCADE NOT DEFERRABLE)`,
		`CREATE TABLE t (a INT(10) NOT NULL, b DOUBLE PRECISION(5, +2), c UNSIGNED BIG INT)`,
		`CREATE TABLE t (a PRIMARY KEY COLLATE NOCASE, b) WITHOUT ROWID`,
		"CREATE TABLE t (\"a\"\"b\", [c d], 'e f', `g`)",
		`CREATE TABLE main.t (a CONSTRAINT '' CONSTRAINT x, CONSTRAINT y)`,
		`CREATE TEMP TABLE t (a)`,
		`CREATE TABLE t AS SELECT 1 AS "x y", 2 AS z`,
		`CREATE TABLE t (a INTEGER PRIMARY KEY DESC, b INTEGER NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE)`,
	}
	for _, s := range stmts {
		t.Run(s, func(t *testing.T) {
			db, err := sql.Open("sqlite", ":memory:")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.SetMaxOpenConns(1)
			if _, err := db.Exec(s); err != nil {
				t.Fatalf("SQLite rejects it: %v", err)
			}
			agreeWithSQLite(t, db)
			if _, err := Inspect(context.Background(), db); err != nil {
				t.Fatal(err)
			}
		})
	}
}
