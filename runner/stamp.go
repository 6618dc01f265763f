package runner

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/script"
)

// Stamp sets the version rows to what migrating to specs (as Upgrade takes
// them; several for several heads) would leave, without running any
// revision's SQL. With purge the version table is emptied first, even of
// ids no revision file knows.
func (r *Runner) Stamp(ctx context.Context, purge bool, specs ...string) error {
	return r.run(ctx, func(ctx context.Context) error {
		r.logHeader()
		current, err := r.readCurrent(ctx)
		if err != nil {
			return err
		}
		target, err := r.dir.Targets(specs, current)
		if err != nil {
			return err
		}
		return r.stamp(ctx, target, purge)
	})
}

func (r *Runner) stamp(ctx context.Context, target []string, purge bool) error {
	if r.pg != nil {
		return r.pgStamp(ctx, target, purge)
	}
	var heads []string
	err := r.inTx(ctx, func() (err error) {
		if err := r.ensureVersionTable(ctx); err != nil {
			return err
		}
		if err := r.checkVersionWrite(ctx); err != nil {
			return err
		}
		if purge {
			if _, err := r.conn.ExecContext(ctx, "DELETE FROM "+quoteIdent(r.table)); err != nil {
				return fmt.Errorf("database %s: purging version table %q: %w", r.path, r.table, err)
			}
		}
		if heads, err = r.current(ctx); err != nil {
			return err
		}
		return r.stampRows(heads, target, func(del, ins []string) error {
			return r.moveVersions(ctx, del, ins, strings.Join(ins, ", "))
		})
	})
	if err != nil {
		return r.explain(err, heads)
	}
	return nil
}

// stampRows moves the version rows from heads to where stamping target
// leaves them, with move; it logs Alembic's line when anything moves.
func (r *Runner) stampRows(heads, target []string, move func(del, ins []string) error) error {
	final, err := stampHeads(r.dir, heads, target)
	if err != nil {
		return err
	}
	del, ins := difference(heads, final), difference(final, heads)
	if len(del) == 0 && len(ins) == 0 {
		return nil
	}
	r.logf("Running stamp_revision %s -> %s", strings.Join(del, ", "), strings.Join(ins, ", "))
	return move(del, ins)
}

// stampHeads is where the version rows end after moving from heads to
// target: upward along the graph where target lies above, downward where it
// lies below, both where it is on another branch.
func stampHeads(d *script.Dir, heads, target []string) ([]string, error) {
	set := toSet(heads)
	up, upErr := d.Plan(heads, target, true)
	if upErr == nil {
		if err := simulate(set, up); err != nil {
			return nil, err
		}
	}
	down, downErr := d.Plan(slices.Sorted(maps.Keys(set)), target, false)
	if downErr != nil && upErr != nil {
		return nil, upErr
	}
	if downErr == nil {
		if err := simulate(set, down); err != nil {
			return nil, err
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// simulate applies steps' version-row changes to a set of heads.
func simulate(set map[string]bool, steps []script.Step) error {
	for _, st := range steps {
		for _, v := range st.Delete {
			if !set[v] {
				return fmt.Errorf("revision %s: the plan deletes version %s, which is not a head", st.Revision.ID, v)
			}
			delete(set, v)
		}
		for _, v := range st.Insert {
			if set[v] {
				return fmt.Errorf("revision %s: the plan inserts version %s, which is already a head", st.Revision.ID, v)
			}
			set[v] = true
		}
	}
	return nil
}

func toSet(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// difference is a minus b, sorted.
func difference(a, b []string) []string {
	bs := toSet(b)
	var out []string
	for _, v := range a {
		if !bs[v] {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}
