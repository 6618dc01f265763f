package schema

import (
	"context"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

const roundTripBase = `
CREATE TABLE teams (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(100) NOT NULL COLLATE NOCASE, CONSTRAINT teams_name_key UNIQUE (name));
CREATE TABLE "order" ("id" INTEGER NOT NULL, "team id" INTEGER REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, total REAL DEFAULT 0.0 CHECK (total >= 0), note TEXT DEFAULT 'x', at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, doubled REAL AS (total * 2) STORED, PRIMARY KEY ("id", "team id"));
CREATE INDEX order_total ON "order" (total DESC) WHERE note IS NOT NULL;
CREATE INDEX order_lower ON "order" (lower(note) COLLATE NOCASE);
CREATE VIEW v AS SELECT id FROM "order";
CREATE TRIGGER tr AFTER INSERT ON "order" BEGIN UPDATE teams SET name = name; END;
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
`

// roundTripRestyled is roundTripBase in other quoting, keyword case and
// whitespace, with redundant parentheses: the same schema to SQLite.
const roundTripRestyled = `
create table "teams"(
  "id" integer primary key autoincrement,
  [name] varchar ( 100 ) not null collate "nocase",
  constraint "teams_name_key" unique ("NAME")
);
create   table [order] (
  ` + "`id`" + ` integer not null,
  [team id] integer references "TEAMS"("ID") on delete cascade deferrable initially deferred,
  "total" real default (0.0) check ((total>=0)),
  "note" text default ('x'),
  "at" timestamp default current_timestamp,
  "doubled" real generated always as ((total*2)) stored,
  primary key ([id], [team id])
);
create index "order_total" on [order] ("total" desc) where (note is not null);
create index order_lower on "order"(LOWER("note") collate nocase ASC);
create view "v" as select "id" from [order];
create trigger "tr" after insert on [order] begin update "teams" set "name" = name; end;
create table kv ("k" text primary key, "v" blob) without rowid, strict;
`

func roundTripSchema(t *testing.T, ddl string) *Schema {
	t.Helper()
	stmts, err := sqltext.SplitStatements(ddl)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromDDL(context.Background(), stmts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTripEqual(t *testing.T) {
	base := roundTripSchema(t, roundTripBase)
	restyled := roundTripSchema(t, roundTripRestyled)
	if !Equal(base, restyled) {
		t.Fatalf("restyled DDL is not equal:\n%s\nvs\n%s", base, restyled)
	}
	if !Equal(base, base) {
		t.Fatal("a schema is not equal to itself")
	}
}

func TestRoundTripUnequal(t *testing.T) {
	changes := []struct{ name, old, new string }{
		{"type length", "VARCHAR(100)", "VARCHAR(50)"},
		{"type name", "REAL DEFAULT 0.0", "NUMERIC DEFAULT 0.0"},
		{"not null dropped", "VARCHAR(100) NOT NULL", "VARCHAR(100)"},
		{"collation", "NOT NULL COLLATE NOCASE", "NOT NULL COLLATE RTRIM"},
		{"unique name", "teams_name_key", "teams_name_uq"},
		{"unique dropped", ", CONSTRAINT teams_name_key UNIQUE (name)", ""},
		{"autoincrement", "PRIMARY KEY AUTOINCREMENT", "PRIMARY KEY"},
		{"on delete", "ON DELETE CASCADE", "ON DELETE SET NULL"},
		{"fk parent column", "REFERENCES teams (id)", "REFERENCES teams (name)"},
		{"deferrable", " DEFERRABLE INITIALLY DEFERRED", ""},
		{"default number", "DEFAULT 0.0", "DEFAULT 1.0"},
		{"default string case", "DEFAULT 'x'", "DEFAULT 'X'"},
		{"default dropped", " DEFAULT CURRENT_TIMESTAMP", ""},
		{"check", "CHECK (total >= 0)", "CHECK (total > 0)"},
		{"check named", "CHECK (total >= 0)", "CONSTRAINT positive CHECK (total >= 0)"},
		{"stored to virtual", "STORED", "VIRTUAL"},
		{"generated expr", "total * 2", "total * 3"},
		{"pk order", `PRIMARY KEY ("id", "team id")`, `PRIMARY KEY ("team id", "id")`},
		{"column order", `note TEXT DEFAULT 'x', at TIMESTAMP DEFAULT CURRENT_TIMESTAMP`, `at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, note TEXT DEFAULT 'x'`},
		{"column name case", "note TEXT", "Note TEXT"},
		{"table name case", "CREATE TABLE kv", "CREATE TABLE KV"},
		{"index desc", "(total DESC)", "(total)"},
		{"index where", " WHERE note IS NOT NULL", ""},
		{"index unique", "CREATE INDEX order_total", "CREATE UNIQUE INDEX order_total"},
		{"index expr", "lower(note)", "upper(note)"},
		{"index collation", "lower(note) COLLATE NOCASE", "lower(note)"},
		{"index name", "order_lower", "order_lower2"},
		{"view", "SELECT id FROM", "SELECT id, total FROM"},
		{"trigger", "SET name = name", "SET name = upper(name)"},
		{"without rowid", "WITHOUT ROWID, STRICT", "STRICT"},
		{"strict", "WITHOUT ROWID, STRICT", "WITHOUT ROWID"},
	}
	base := roundTripSchema(t, roundTripBase)
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			if strings.Count(roundTripBase, c.old) != 1 {
				t.Fatalf("%q does not occur exactly once in the base DDL", c.old)
			}
			changed := roundTripSchema(t, strings.Replace(roundTripBase, c.old, c.new, 1))
			if Equal(base, changed) {
				t.Errorf("changing %q to %q left the schemas equal", c.old, c.new)
			}
		})
	}
}

func TestNormalizeExpr(t *testing.T) {
	same := [][2]string{
		{"'x'", "('x')"},
		{"CURRENT_TIMESTAMP", "current_timestamp"},
		{"CURRENT_TIMESTAMP", "(Current_Timestamp)"},
		{"a >= 0", `("a">=0)`},
		{"lower(name)", "LOWER ( [name] )"},
		{"x IN (1,2)", "x in(1, 2)"},
		{"-1", "- 1"},
		{"a - 1", "a-1"},
		{"x'00ff'", "X'00FF'"},
		{"a /* c */ + b -- d", "a+b"},
		{"CAST(a AS INTEGER)", "cast (a as integer)"},
		{`"key"`, "key"},
	}
	for _, c := range same {
		if a, b := NormalizeExpr(c[0]), NormalizeExpr(c[1]); a != b {
			t.Errorf("NormalizeExpr(%q) = %q, NormalizeExpr(%q) = %q, want equal", c[0], a, c[1], b)
		}
	}
	differ := [][2]string{
		{"'x'", "'X'"},
		{"1", "1.0"},
		{"a", "A"},
		{"(a + b) * c", "a + b * c"},
		{"(a) + (b)", "a + b"},
		{"'a b'", "'a  b'"},
		{"a - -1", "a - 1"},
	}
	for _, c := range differ {
		if a, b := NormalizeExpr(c[0]), NormalizeExpr(c[1]); a == b {
			t.Errorf("NormalizeExpr(%q) and NormalizeExpr(%q) are both %q, want different", c[0], c[1], a)
		}
	}
	if got := NormalizeExpr(" (lower(\"Name\") ||'x') "); got != `LOWER("Name") || 'x'` {
		t.Errorf("NormalizeExpr = %q", got)
	}
}

func TestNormalizeType(t *testing.T) {
	cases := []struct {
		a, b  string
		equal bool
	}{
		{"varchar (100)", "VARCHAR(100)", true},
		{"VARCHAR(50)", "VARCHAR(100)", false},
		{"decimal( 10 , 2 )", "DECIMAL(10,2)", true},
		{"double   precision", "DOUBLE PRECISION", true},
		{"INT", "INTEGER", false},
		{"", "", true},
		{"TEXT", "", false},
		{"int(-5)", "INT(- 5)", true},
	}
	for _, c := range cases {
		if got := NormalizeType(c.a) == NormalizeType(c.b); got != c.equal {
			t.Errorf("NormalizeType(%q)=%q vs NormalizeType(%q)=%q: equal=%v, want %v", c.a, NormalizeType(c.a), c.b, NormalizeType(c.b), got, c.equal)
		}
	}
	if got := NormalizeType("varchar (100)"); got != "VARCHAR(100)" {
		t.Errorf("NormalizeType = %q", got)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"a": `"a"`, `we"ird`: `"we""ird"`, "": `""`, "a b": `"a b"`} {
		if got := sqltext.QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEqualNil(t *testing.T) {
	if !EqualColumn(nil, nil) || EqualColumn(&Column{}, nil) || EqualPrimaryKey(nil, &PrimaryKey{}) ||
		!EqualIndex(nil, nil) || EqualForeignKey(&ForeignKey{}, nil) || EqualCheck(nil, &Check{}) ||
		EqualUnique(&Unique{}, nil) || (*Table)(nil).Equal(&Table{}) || Equal(nil, &Schema{}) {
		t.Error("nil comparisons are wrong")
	}
}
