package pgrender_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/postgres/pgrender"
)

// keySets are the column sets of table p a key can be on.
var keySets = []string{"a", "b", "a, b"}

// keyed is p's primary key and unique constraints, by column set.
type keyed struct {
	pk      string
	uniques []string
}

func randomKeys(r *rand.Rand) keyed {
	k := keyed{pk: keySets[r.IntN(len(keySets))]}
	for _, s := range keySets {
		if s != k.pk && r.IntN(2) == 0 {
			k.uniques = append(k.uniques, s)
		}
	}
	return k
}

func (k keyed) has(cols string) bool { return k.pk == cols || slices.Contains(k.uniques, cols) }

func (k keyed) ddl() string {
	defs := []string{"a int NOT NULL", "b int NOT NULL", "PRIMARY KEY (" + k.pk + ")"}
	for _, u := range k.uniques {
		defs = append(defs, fmt.Sprintf("CONSTRAINT %q UNIQUE (%s)", "p_"+strings.ReplaceAll(u, ", ", "_")+"_key", u))
	}
	return "CREATE TABLE p (" + strings.Join(defs, ", ") + ")"
}

// Random changes of a parent's primary key and unique constraints while
// child tables' foreign keys (with random actions) reference columns that
// stay a key: the revision passes Verify and applies both ways on rows.
func TestRekeyProperty(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t).DB
	actions := []string{"", " ON DELETE CASCADE", " ON UPDATE SET NULL DEFERRABLE", " MATCH FULL ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED"}
	dependents := 0
	for seed := range uint64(24) {
		r := rand.New(rand.NewPCG(seed, 11))
		from, to := randomKeys(r), randomKeys(r)
		children := []string{}
		for ci, cols := range keySets {
			if from.has(cols) && to.has(cols) && r.IntN(3) > 0 {
				refs := strings.ReplaceAll(cols, "a", "ra")
				refs = strings.ReplaceAll(refs, "b", "rb")
				children = append(children, fmt.Sprintf("CREATE TABLE c%d (id int PRIMARY KEY, ra int, rb int, CONSTRAINT c%d_fk FOREIGN KEY (%s) REFERENCES p (%s)%s)",
					ci, ci, refs, cols, actions[r.IntN(len(actions))]))
			}
		}
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			mustExec(t, db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
			mustExec(t, db, from.ddl())
			for _, c := range children {
				mustExec(t, db, c)
			}
			mustExec(t, db, "INSERT INTO p VALUES (1, 10), (2, 20), (3, 30)")
			for i := range children {
				mustExec(t, db, fmt.Sprintf("INSERT INTO c%d VALUES (1, 1, 10), (2, 2, 20)", slices.Index(keySets, keySetOf(children[i]))))
			}
			current, target, ops, res := renderTarget(t, db, append([]string{to.ddl()}, children...), pgrender.Options{})
			dependents += len(pgrender.Dependents(ops, current, target))
			if err := pgrender.Verify(ctx, db, res, current, target); err != nil {
				t.Fatalf("Verify: %v\nfrom %+v to %+v\n%s", err, from, to, res.Up)
			}
			before := dump(t, db, false, nil)
			applyBoth(t, db, res, current, target)
			if after := dump(t, db, false, nil); after != before {
				t.Errorf("upgrade then downgrade changed the rows:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
	t.Logf("%d dependent foreign keys dropped and added back in all", dependents)
	if dependents < 5 {
		t.Errorf("the generator made only %d dependent foreign keys", dependents)
	}
}

// keySetOf is the referenced column set of a generated child table.
func keySetOf(create string) string {
	_, rest, _ := strings.Cut(create, "REFERENCES p (")
	cols, _, _ := strings.Cut(rest, ")")
	return cols
}
