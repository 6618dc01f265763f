package assess

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/verify"
)

// The property test generates pairs (A, B) of schemas: a parent table p,
// a child c whose foreign key to p cascades, an optional table t, each
// with random columns (type, NOT NULL, default, UNIQUE, CHECK) and
// indexes; A also has a view and a trigger. From a database at A holding
// rows, the upgrade must give B with every kept value, and the downgrade
// A's exact sqlite_master back, unless Assess predicted the upgrade fails.

func TestPropertyUpDown(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 40
	}
	r := rand.New(rand.NewPCG(1, 2))
	stats := map[string]int{}
	for i := range n {
		a, b := sqlitetest.RandomSchema(r), sqlitetest.RandomSchema(r)
		ddlA, ddlB := a.DDL(true), b.DDL(false)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			stats[propertyCase(t, ddlA, a.Rows(), ddlB)]++
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
	return f.Fatal && f.Kind != KindBrokenView && f.Kind != KindBrokenTrigger && f.Kind != KindConversion
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
	d := sqlitetest.New(t, ddlA, rowsA)
	cur := d.Inspect()
	tgt := sqlitetest.New(t, ddlB).Inspect()
	ops, err := diff.Compare(cur, tgt, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := verify.Render(context.Background(), schema.OpenMemory, ops, cur, tgt)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := Assess(ctx, d.Conn, schema.OpenMemory, ops, res)
	if err != nil {
		t.Fatal(err)
	}
	fatal := slices.ContainsFunc(findings, failsUpgrade)
	before := d.Master()
	kept := sqlitetest.KeptColumns(ops, cur, tgt)
	snapA := d.Snapshot(kept, false)
	err = d.Migrate(res.Up)
	if fatal {
		if err == nil {
			t.Errorf("Assess reported %+v, but the upgrade succeeded:\n%s", findings, res.Up)
		}
		if after := d.Master(); err != nil && !slices.Equal(before, after) {
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
	if got := d.Inspect(); !sqlitetest.SameSchema(got, sqlitetest.WithUnmanaged(tgt, cur, diff.Options{})) {
		t.Fatalf("upgrade did not give B:\n%s\nSQL:\n%s", strings.Join(d.Master(), "\n"), res.Up)
	}
	if snapB := d.Snapshot(kept, true); !sqlitetest.EqualSnap(snapA, snapB) {
		t.Fatalf("upgrade changed kept values:\n%v\n%v\n%s", snapA, snapB, res.Up)
	}
	// Data the upgrade dropped cannot come back: the downgrade may fail,
	// but only where Assess, run on the upgraded database, says so.
	back, err := diff.Compare(d.Inspect(), cur, diff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Only fatal findings are checked here: the grouping of the operations
	// is all Assess needs, not the SQL.
	backRes, err := render.Render(back, d.Inspect(), cur, render.Options{})
	if err != nil {
		t.Fatal(err)
	}
	findings, err = Assess(ctx, d.Conn, schema.OpenMemory, back, &render.Result{Changes: backRes.Changes})
	if err != nil {
		t.Fatal(err)
	}
	fatal = slices.ContainsFunc(findings, failsDowngrade(cur))
	err = d.Migrate(res.Down)
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
	if after := d.Master(); !slices.Equal(before, after) {
		t.Fatalf("downgrade did not restore sqlite_master:\n%s\nwant:\n%s\nSQL:\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"), res.Down)
	}
	if snapC := d.Snapshot(kept, false); !sqlitetest.EqualSnap(snapA, snapC) {
		t.Fatalf("downgrade changed kept values:\n%v\n%v", snapA, snapC)
	}
	return "applied"
}
