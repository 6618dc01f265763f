package pgrender_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/postgres/pgrender"
)

// colSpec is one generated column.
type colSpec struct {
	name, typ, def  string
	notNull, unique bool
}

var propTypes = []struct{ typ, def string }{
	{"integer", "7"}, {"bigint", "0"}, {"text", "'x'"}, {"varchar(20)", "'y'"}, {"boolean", "true"},
	{"numeric(8,2)", "1.5"}, {"timestamptz", "now()"}, {"jsonb", `'{}'`},
}

func randomColumn(r *rand.Rand, name string) colSpec {
	t := propTypes[r.IntN(len(propTypes))]
	c := colSpec{name: name, typ: t.typ, notNull: r.IntN(3) == 0, unique: r.IntN(5) == 0}
	if r.IntN(2) == 0 {
		c.def = t.def
	}
	return c
}

// mutate changes a column the way a model edit does.
func mutate(r *rand.Rand, c colSpec) colSpec {
	switch r.IntN(5) {
	case 0:
		c.notNull = !c.notNull
	case 1:
		if c.def == "" {
			for _, t := range propTypes {
				if t.typ == c.typ {
					c.def = t.def
				}
			}
		} else {
			c.def = ""
		}
	case 2:
		widen := map[string]string{"integer": "bigint", "varchar(20)": "text", "text": "varchar(40)", "bigint": "numeric(20,0)"}
		if w, ok := widen[c.typ]; ok {
			c.typ, c.def = w, ""
		}
	case 3:
		c.unique = !c.unique
	}
	return c
}

func ddl(table string, cols []colSpec, index bool) []string {
	defs := []string{"id bigserial PRIMARY KEY"}
	for _, c := range cols {
		d := fmt.Sprintf("%q %s", c.name, c.typ)
		if c.def != "" {
			d += " DEFAULT " + c.def
		}
		if c.notNull {
			d += " NOT NULL"
		}
		if c.unique {
			d += " UNIQUE"
		}
		defs = append(defs, d)
	}
	out := []string{fmt.Sprintf("CREATE TABLE %q (%s)", table, strings.Join(defs, ", "))}
	if index && len(cols) > 0 {
		out = append(out, fmt.Sprintf("CREATE INDEX %q ON %q (%q)", table+"_ix", table, cols[0].name))
	}
	return out
}

// Random model edits: whatever diff.Compare finds, the rendered revision
// must pass Verify (upgrade gives the target, downgrade the current
// schema) and apply on the live database both ways.
func TestRenderProperty(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	total, ran := 0, 0
	for seed := range uint64(12) {
		r := rand.New(rand.NewPCG(seed, 42))
		var cur, tgt []string
		for ti := range 2 {
			table := fmt.Sprintf("t%d_%d", seed, ti)
			var before, after []colSpec
			for ci := range 1 + r.IntN(5) {
				before = append(before, randomColumn(r, fmt.Sprintf("C%d", ci)))
			}
			for _, c := range before {
				switch r.IntN(4) {
				case 0: // dropped
				case 1:
					after = append(after, mutate(r, c))
				default:
					after = append(after, c)
				}
			}
			if r.IntN(2) == 0 {
				after = append(after, randomColumn(r, "added"))
			}
			cur = append(cur, ddl(table, before, r.IntN(2) == 0)...)
			tgt = append(tgt, ddl(table, after, r.IntN(2) == 0)...)
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			for _, s := range cur {
				mustExec(t, db, s)
			}
			current := inspect(t, db)
			target, err := postgres.Target(ctx, db, tgt, postgres.TargetOptions{})
			if err != nil {
				t.Fatal(err)
			}
			ops := compare(t, current, target)
			total, ran = total+len(ops), ran+1
			res, err := pgrender.Render(ops, current, target)
			if err != nil {
				t.Fatal(err)
			}
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil || len(res.Warnings) > 0 && strings.Contains(res.Warnings[len(res.Warnings)-1], "not checked") {
				t.Fatalf("%v %v\ncurrent: %s\ntarget: %s\nup:\n%s", err, res.Warnings, cur, tgt, res.Up)
			}
			applyBoth(t, db, res, current, target)
			for _, op := range ops {
				if d, ok := op.(*diff.DropTable); ok {
					t.Fatalf("unexpected drop of %s", d.Old.Name)
				}
			}
			for _, tb := range current.Tables {
				mustExec(t, db, "DROP TABLE "+pgrender.Ident(tb.Name))
			}
		})
	}
	if ran == 12 && total < 30 {
		t.Errorf("the generator made only %d operations in all", total)
	}
}
