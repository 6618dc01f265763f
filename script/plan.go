package script

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ErrNotApplied is returned by Plan for a downgrade target the database is
// not at or above, and for version rows naming unknown revisions.
var ErrNotApplied = errors.New("revision not applied")

// Plan returns the steps that take a database whose version table holds
// current to target, in order, each with its version-row changes. Upgrading
// applies everything target needs (dependencies first) that is not applied
// yet; downgrading undoes every applied revision above a target, and an
// empty target (base) undoes everything. Plan holds from any state, so a
// runner may apply the first step and plan again.
func (d *Dir) Plan(current []string, target []string, up bool) ([]Step, error) {
	for _, id := range append(slices.Clone(current), target...) {
		if d.revs[id] == nil {
			return nil, graphErr(ErrNotApplied, "revision %s is not defined by any file in versions/ (is the version table from another project?)", id)
		}
	}
	applied := d.closure(current)
	var order []*Revision
	if up {
		want := d.closure(target)
		for _, r := range d.order {
			if want[r.ID] && !applied[r.ID] {
				order = append(order, r)
			}
		}
	} else {
		remove, err := d.removals(applied, target)
		if err != nil {
			return nil, err
		}
		for _, r := range slices.Backward(d.order) {
			if remove[r.ID] {
				order = append(order, r)
			}
		}
	}
	return d.steps(current, applied, order, up), nil
}

// removals is every applied revision strictly above a target, keeping the
// targets and what they need.
func (d *Dir) removals(applied map[string]bool, target []string) (map[string]bool, error) {
	for _, t := range target {
		if !applied[t] {
			return nil, graphErr(ErrNotApplied, "cannot downgrade to %s: the database is not at or above it", t)
		}
	}
	keep := d.closure(target)
	remove := map[string]bool{}
	if len(target) == 0 {
		for id := range applied {
			remove[id] = true
		}
		return remove, nil
	}
	// What lies above a target by Revises goes, and with it whatever needs
	// that; a revision that merely depends on a target stays.
	var above []string
	for _, t := range target {
		above = append(above, d.descendants(t)[1:]...)
	}
	gone := d.dependants(above)
	for _, id := range above {
		gone[id] = true
	}
	for id := range gone {
		if applied[id] && !keep[id] {
			remove[id] = true
		}
	}
	return remove, nil
}

// dependants returns every revision that needs one of ids, ids excluded
// unless they need each other.
func (d *Dir) dependants(ids []string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(ids)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range d.up[id] {
			if !seen[u] {
				seen[u] = true
				stack = append(stack, u)
			}
		}
	}
	return seen
}

// steps applies order one revision at a time and records the rows each
// step deletes and inserts.
func (d *Dir) steps(current []string, applied map[string]bool, order []*Revision, up bool) []Step {
	rows := map[string]bool{}
	for _, id := range current {
		rows[id] = true
	}
	out := make([]Step, 0, len(order))
	for _, r := range order {
		applied[r.ID] = up
		if !up {
			delete(applied, r.ID)
		}
		next := d.rows(applied)
		s := Step{Revision: r, Up: up}
		for id := range rows {
			if !next[id] {
				s.Delete = append(s.Delete, id)
			}
		}
		for id := range next {
			if !rows[id] {
				s.Insert = append(s.Insert, id)
			}
		}
		sort.Strings(s.Delete)
		sort.Strings(s.Insert)
		out = append(out, s)
		rows = next
	}
	return out
}

// rows is the version table for an applied set: one row per applied
// revision that no applied revision revises. A dependency keeps its row,
// as it stays a head of its own branch.
func (d *Dir) rows(applied map[string]bool) map[string]bool {
	out := map[string]bool{}
	for id := range applied {
		head := true
		for _, c := range d.children[id] {
			if applied[c] {
				head = false
				break
			}
		}
		if head {
			out[id] = true
		}
	}
	return out
}

// Rows returns the version table rows for the state where current's
// revisions and everything they need are applied, sorted.
func (d *Dir) Rows(current []string) []string {
	var out []string
	for id := range d.rows(d.closure(current)) {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Describe formats a step the way Alembic logs it, e.g.
// "Running upgrade a1b2 -> c3d4, Column age added".
func (s Step) Describe() string {
	from := strings.Join(s.Revision.Parents, ", ")
	msg := strings.SplitN(s.Revision.Message, "\n", 2)[0]
	if s.Up {
		return fmt.Sprintf("Running upgrade %s -> %s, %s", from, s.Revision.ID, msg)
	}
	return fmt.Sprintf("Running downgrade %s -> %s, %s", s.Revision.ID, from, msg)
}
