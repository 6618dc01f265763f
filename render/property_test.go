package render

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// The property test generates pairs (A, B) of schemas: a parent table p,
// a child c whose foreign key to p cascades, an optional table t, each
// with random columns (type, NOT NULL, default, UNIQUE, CHECK) and
// indexes; A also has a view and a trigger. From a database at A holding
// rows, the upgrade must give B with every kept value, and the downgrade
// A's exact sqlite_master back, unless Assess predicted the upgrade fails.

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

type schemaSpec struct {
	p, c tableSpec
	t    *tableSpec
}

func genSchema(r *rand.Rand) schemaSpec {
	s := schemaSpec{p: genTable(r, "p"), c: genTable(r, "c")}
	if r.IntN(2) == 0 {
		t := genTable(r, "t")
		s.t = &t
	}
	return s
}

func (s schemaSpec) ddl(extra bool) string {
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

func (s schemaSpec) rows() string {
	d := s.p.rows(5) + s.c.rows(8)
	if s.t != nil {
		d += s.t.rows(3)
	}
	return d
}

func TestPropertyUpDown(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 40
	}
	r := rand.New(rand.NewPCG(1, 2))
	stats := map[string]int{}
	for i := range n {
		a, b := genSchema(r), genSchema(r)
		ddlA, ddlB := a.ddl(true), b.ddl(false)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			stats[propertyCase(t, ddlA, a.rows(), ddlB)]++
		})
		if t.Failed() {
			t.Logf("A:\n%s\nB:\n%s", ddlA, ddlB)
			break
		}
	}
	t.Logf("outcomes: %v", stats)
	if stats["applied"] < n/3 {
		t.Errorf("only %d of %d pairs applied: the generator makes too many failing pairs", stats["applied"], n)
	}
}

// failsUpgrade reports whether a finding says the migration itself fails;
// a broken view or trigger is fatal too, but the SQL runs.
func failsUpgrade(f Finding) bool {
	return f.Fatal && f.Kind != KindBrokenView && f.Kind != KindBrokenTrigger
}

// failsDowngrade is failsUpgrade for the downgrade, read from the findings
// of the opposite upgrade: a NOT NULL column without a default that the
// downgrade adds back is filled with its type's zero value, so it fails
// there only where the column is unique and the table holds two rows.
func failsDowngrade(cur *schema.Schema) func(Finding) bool {
	return func(f Finding) bool {
		if f.Kind == KindNewNotNull {
			return f.Rows > 1 && uniqueColumn(cur.Table(f.Table), f.Column)
		}
		return failsUpgrade(f)
	}
}

func uniqueColumn(t *schema.Table, col string) bool {
	if t == nil {
		return false
	}
	for _, u := range t.Uniques {
		if slices.Contains(u.Columns, col) {
			return true
		}
	}
	for _, ix := range t.Indexes {
		if ix.Unique && slices.ContainsFunc(ix.Columns, func(c schema.IndexColumn) bool { return c.Name == col }) {
			return true
		}
	}
	return false
}

// propertyCase runs one pair and says how it ended.
func propertyCase(t *testing.T, ddlA, rowsA, ddlB string) string {
	ctx := context.Background()
	d := newDB(t, ddlA, rowsA)
	cur := d.inspect()
	tgt := newDB(t, ddlB).inspect()
	ops, err := diff.Compare(cur, tgt, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(ops, cur, tgt)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := Assess(ctx, d.conn, ops, res)
	if err != nil {
		t.Fatal(err)
	}
	fatal := slices.ContainsFunc(findings, failsUpgrade)
	before := d.master()
	kept := keptColumns(ops, cur, tgt)
	snapA := d.snapshot(kept, false)
	err = d.migrate(res.Up)
	if fatal {
		if err == nil {
			t.Errorf("Assess reported %+v, but the upgrade succeeded:\n%s", findings, res.Up)
		}
		if after := d.master(); err != nil && !slices.Equal(before, after) {
			t.Errorf("failed upgrade changed the schema")
		}
		for _, f := range findings {
			if failsUpgrade(f) {
				return "predicted failure: " + string(f.Kind)
			}
		}
	}
	if err != nil {
		t.Fatalf("upgrade failed though Assess found nothing fatal: %v\n%s", err, res.Up)
	}
	if got := d.inspect(); !sameSchema(got, withUnmanaged(tgt, cur, diff.Options{})) {
		t.Fatalf("upgrade did not give B:\n%s\nSQL:\n%s", strings.Join(d.master(), "\n"), res.Up)
	}
	if snapB := d.snapshot(kept, true); !equalSnap(snapA, snapB) {
		t.Fatalf("upgrade changed kept values:\n%v\n%v\n%s", snapA, snapB, res.Up)
	}
	// Data the upgrade dropped cannot come back: the downgrade may fail,
	// but only where Assess, run on the upgraded database, says so.
	back, err := diff.Compare(d.inspect(), cur, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings, err = Assess(ctx, d.conn, back, nil) // only fatal findings are checked here
	if err != nil {
		t.Fatal(err)
	}
	fatal = slices.ContainsFunc(findings, failsDowngrade(cur))
	err = d.migrate(res.Down)
	if fatal {
		if err == nil {
			t.Errorf("Assess reported %+v for the downgrade, but it succeeded:\n%s", findings, res.Down)
		}
		for _, f := range findings {
			if failsDowngrade(cur)(f) {
				return "predicted downgrade failure: " + string(f.Kind)
			}
		}
	}
	if err != nil {
		t.Fatalf("downgrade: %v\n%s", err, res.Down)
	}
	if after := d.master(); !slices.Equal(before, after) {
		t.Fatalf("downgrade did not restore sqlite_master:\n%s\nwant:\n%s\nSQL:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"), res.Down)
	}
	if snapC := d.snapshot(kept, false); !equalSnap(snapA, snapC) {
		t.Fatalf("downgrade changed kept values:\n%v\n%v", snapA, snapC)
	}
	return "applied"
}
