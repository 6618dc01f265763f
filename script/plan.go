package script

import (
	"errors"
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
// empty target (base) undoes everything. A target may also be a branch base
// from Target: upgrading goes to where the branch forks off, downgrading
// undoes the branch and what depends on it, and nothing else. Plan holds
// from any state, so a runner may apply the first step and plan again.
func (d *Dir) Plan(current []string, target []string, up bool) ([]Step, error) {
	ids, firsts, err := d.splitTarget(target)
	if err != nil {
		return nil, err
	}
	if err := d.CheckRows(current); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if d.revs[id] == nil {
			return nil, graphErr(ErrNotApplied, "revision %s is not defined by any file in versions/ (is the version table from another project?)", id)
		}
	}
	applied := d.closure(current)
	var order []*Revision
	if up {
		for _, f := range firsts {
			ids = append(ids, d.revs[f].Parents...)
		}
		want := d.closure(ids)
		for _, r := range d.order {
			if want[r.ID] && !applied[r.ID] {
				order = append(order, r)
			}
		}
	} else {
		remove, err := d.removals(applied, ids, firsts)
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

// ErrOverlap is a version table holding a revision and one it revises,
// which Alembic refuses ("Requested revision ... overlaps with other
// requested revisions").
var ErrOverlap = errors.New("overlapping version rows")

// CheckRows refuses version rows no plan can start from: a row that no
// revision file defines (ErrNotApplied), and two rows of which one revises
// the other, directly or further down (ErrOverlap). A row for a revision
// another row only depends on is fine: an older autogen kept one.
func (d *Dir) CheckRows(rows []string) error {
	for _, id := range rows {
		if d.revs[id] == nil {
			return graphErr(ErrNotApplied, "revision %s is not defined by any file in versions/ (is the version table from another project?)", id)
		}
	}
	sorted := slices.Clone(rows)
	sort.Strings(sorted)
	sorted = slices.Compact(sorted)
	for _, hi := range sorted {
		below := d.ancestors(d.revs[hi].Parents)
		for _, lo := range sorted {
			if lo != hi && below[lo] {
				return graphErr(ErrOverlap, "the version table holds both %s and %s, which revises it, and Alembic refuses such overlapping rows; set the rows to the revision the database is really at with `autogen stamp --purge <rev>` (e.g. `autogen stamp --purge %s`)", lo, hi, hi)
			}
		}
	}
	return nil
}

// removals is every applied revision strictly above a target, keeping the
// targets and what they need, plus every applied revision of the branches
// whose first revisions are firsts.
func (d *Dir) removals(applied map[string]bool, target, firsts []string) (map[string]bool, error) {
	for _, t := range target {
		if !applied[t] {
			return nil, graphErr(ErrNotApplied, "cannot downgrade to %s: the database is not at or above it", t)
		}
	}
	keep := d.closure(target)
	remove := map[string]bool{}
	if len(target) == 0 && len(firsts) == 0 {
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
	for _, f := range firsts {
		above = append(above, d.descendants(f)...)
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

// rows is the version table for an applied set, by Alembic's rule: one row
// per applied revision that no applied revision revises or depends on. A
// dependency loses its row to its dependant, as in Alembic (after "upgrade
// heads" in its branches.rst, 55af2cb1c267 has no row of its own).
func (d *Dir) rows(applied map[string]bool) map[string]bool {
	needed := map[string]bool{}
	for id := range applied {
		for _, p := range d.down(id) {
			needed[p] = true
		}
	}
	out := map[string]bool{}
	for id := range applied {
		if !needed[id] {
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

// UpToDate reports whether the version rows stand for every revision: what
// they apply (themselves and all they revise or depend on) is what the
// heads need. Alembic's rows pass, and so do an older autogen's, which kept
// a row for a revision another row depends on.
func (d *Dir) UpToDate(rows []string) bool {
	if d.CheckRows(rows) != nil {
		return false // rows no plan starts from are not up to date
	}
	return len(d.closure(rows)) == len(d.closure(d.Heads()))
}

// ErrWrongDirection is an upgrade whose target lies below the database, or a
// downgrade whose target the database has not reached.
var ErrWrongDirection = errors.New("target in the wrong direction")

// CheckDirection refuses, before anything runs, a relative upgrade to a
// target below the database (downgrading to it would undo something while
// upgrading does nothing: Alembic's "Relative revision -1 didn't produce 1
// migrations") and a downgrade to a target not applied. spec is the target
// as the user typed it. Unknown ids are left for Plan to report.
func (d *Dir) CheckDirection(spec string, current, target []string, up bool) error {
	ids, _, err := d.splitTarget(target)
	if err != nil {
		return nil
	}
	for _, id := range append(slices.Clone(current), ids...) {
		if d.revs[id] == nil {
			return nil
		}
	}
	where := "base"
	if len(current) > 0 {
		where = strings.Join(d.sorted(current), ", ")
	}
	if !up {
		applied := d.closure(current)
		for _, t := range ids {
			if !applied[t] {
				return specErr(spec, ErrWrongDirection, "cannot downgrade to %s: the database is at %s and has not reached it; downgrade only goes down, use upgrade to go up", named(spec, target), where)
			}
		}
		return nil
	}
	if !NeedsCurrent(spec) {
		// Alembic leaves an upgrade to a revision the database is already
		// past as a no-op; deploy scripts that name one rely on that. Only a
		// relative move ("upgrade -1") is surely a mistake.
		return nil
	}
	if steps, err := d.Plan(current, target, true); err != nil || len(steps) > 0 {
		return nil
	}
	if steps, err := d.Plan(current, target, false); err != nil || len(steps) == 0 {
		return nil
	}
	return specErr(spec, ErrWrongDirection, "cannot upgrade to %s: it is below where the database is, at %s; upgrade only goes up, use downgrade to go down", named(spec, target), where)
}

// named is spec with the revisions it resolved to, where they differ; a
// branch base (label@base) says it all.
func named(spec string, target []string) string {
	s := strings.TrimSpace(spec)
	desc := "base"
	if len(target) > 0 {
		desc = strings.Join(target, ", ")
	}
	if s == desc || strings.Contains(desc, baseMarker) {
		return s
	}
	return s + " (" + desc + ")"
}
