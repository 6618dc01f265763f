package sqlitetest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

type colSpec struct {
	name, typ, def  string
	notNull, unique bool
	check           string // "" none, else the constraint name ("-" unnamed)
	index           int    // 0 none, 1 index, 2 unique index
}

type tableSpec struct {
	name     string
	cols     []colSpec
	fkAction string // for c
}

var (
	colNames = []string{"a", "b", "d", "e"}
	colTypes = []string{"INTEGER", "TEXT", "VARCHAR(10)", "VARCHAR(20)", "BIGINT", ""}
	defaults = []string{"", "", "0", "'7'", "(1)", "CURRENT_TIMESTAMP"}
)

func genTable(r *rand.Rand, name string) tableSpec {
	t := tableSpec{name: name, fkAction: []string{"CASCADE", "SET NULL", "NO ACTION"}[r.IntN(3)]}
	for _, n := range colNames {
		if r.IntN(10) < 4 {
			continue
		}
		c := colSpec{name: n, typ: colTypes[r.IntN(len(colTypes))], def: defaults[r.IntN(len(defaults))]}
		c.notNull = r.IntN(4) == 0
		if c.notNull && c.def == "" && r.IntN(2) == 0 {
			c.def = "0"
		}
		c.unique = r.IntN(12) == 0
		switch r.IntN(6) {
		case 0:
			c.check = "ck_" + name + "_" + n
		case 1:
			c.check = "-"
		}
		c.index = []int{0, 0, 0, 0, 1, 1, 1, 1, 1, 2}[r.IntN(10)]
		t.cols = append(t.cols, c)
	}
	return t
}

func (t tableSpec) ddl() string {
	defs := []string{`"id" INTEGER NOT NULL`}
	if t.name == "c" {
		defs = append(defs, `"p_id" INTEGER`)
	}
	var cons, idx []string
	for _, c := range t.cols {
		d := sqltext.QuoteIdent(c.name)
		if c.typ != "" {
			d += " " + c.typ
		}
		if c.notNull {
			d += " NOT NULL"
		}
		if c.def != "" {
			d += " DEFAULT " + c.def
		}
		defs = append(defs, d)
		if c.unique {
			cons = append(cons, fmt.Sprintf(`UNIQUE ("%s")`, c.name))
		}
		switch c.check {
		case "":
		case "-":
			cons = append(cons, fmt.Sprintf(`CHECK ("%s" >= 0)`, c.name))
		default:
			cons = append(cons, fmt.Sprintf(`CONSTRAINT "%s" CHECK ("%s" >= 0)`, c.check, c.name))
		}
		switch c.index {
		case 1:
			idx = append(idx, fmt.Sprintf(`CREATE INDEX "ix_%s_%s" ON "%s" ("%s");`, t.name, c.name, t.name, c.name))
		case 2:
			idx = append(idx, fmt.Sprintf(`CREATE UNIQUE INDEX "ix_%s_%s" ON "%s" ("%s");`, t.name, c.name, t.name, c.name))
		}
	}
	defs = append(defs, `PRIMARY KEY ("id")`)
	defs = append(defs, cons...)
	if t.name == "c" {
		defs = append(defs, `FOREIGN KEY ("p_id") REFERENCES "p" ("id") ON UPDATE NO ACTION ON DELETE `+t.fkAction)
	}
	return fmt.Sprintf("CREATE TABLE %q (%s);\n%s\n", t.name, strings.Join(defs, ", "), strings.Join(idx, "\n"))
}

// rows inserts n rows whose values are distinct per column and satisfy the
// table's own constraints.
func (t tableSpec) rows(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		cols := []string{`"id"`}
		vals := []string{fmt.Sprint(i)}
		if t.name == "c" {
			cols = append(cols, `"p_id"`)
			vals = append(vals, fmt.Sprint(i%5+1))
		}
		for k, c := range t.cols {
			cols = append(cols, sqltext.QuoteIdent(c.name))
			v := fmt.Sprint(i*10 + k)
			if !c.notNull && i%3 == 0 {
				v = "NULL"
			}
			vals = append(vals, v)
		}
		fmt.Fprintf(&b, "INSERT INTO %q (%s) VALUES (%s);\n", t.name, strings.Join(cols, ", "), strings.Join(vals, ", "))
	}
	return b.String()
}

// Schema is a random pair of tables, a parent p and a child c whose
// foreign key to p cascades, and at times a third table t, each with
// random columns (type, NOT NULL, default, UNIQUE, CHECK) and indexes.
type Schema struct {
	p, c tableSpec
	t    *tableSpec
}

// RandomSchema draws a Schema from r.
func RandomSchema(r *rand.Rand) Schema {
	s := Schema{p: genTable(r, "p"), c: genTable(r, "c")}
	if r.IntN(2) == 0 {
		t := genTable(r, "t")
		s.t = &t
	}
	return s
}

// DDL is the schema's CREATE statements; extra adds a view and a trigger.
func (s Schema) DDL(extra bool) string {
	d := s.p.ddl() + s.c.ddl()
	if s.t != nil {
		d += s.t.ddl()
	}
	if extra {
		d += `CREATE VIEW "v" AS SELECT p.id AS pid, c.id AS cid FROM p JOIN c ON c.p_id = p.id;
CREATE TRIGGER "tr" AFTER UPDATE ON "c" BEGIN SELECT new.id; END;
`
	}
	return d
}

// Rows is INSERT statements filling the schema's tables.
func (s Schema) Rows() string {
	d := s.p.rows(5) + s.c.rows(8)
	if s.t != nil {
		d += s.t.rows(3)
	}
	return d
}
