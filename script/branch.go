package script

import (
	"errors"
	"slices"
	"sort"
	"strings"
)

// A branch, in a specifier such as networking@head, is named by a branch
// label or by any revision on it. As in Alembic, it holds the revisions above
// that revision and those below it down to the point where it forks off
// (lineage takes in the whole line below, as Alembic's filter_for_lineage).

// ErrNotOnBranch is a label@ID specifier whose revision is not on the branch.
var ErrNotOnBranch = errors.New("revision not on branch")

// baseMarker ends a migration target that stands for a branch's base: see
// Target. Ids and labels cannot hold "@", so no revision is mistaken for one.
const baseMarker = "@base"

// Target resolves spec as the target of upgrade, downgrade or stamp. It is
// Resolve, except that label@base becomes "FIRST@base", FIRST being the
// branch's lowest revision: Plan undoes just that branch (and what depends on
// it) for it, where the branch's fork point, or base, would undo every
// sibling branch, or every tree.
func (d *Dir) Target(spec string, current []string) ([]string, error) {
	s := strings.TrimSpace(spec)
	if name, sym, ok := strings.Cut(s, "@"); ok && sym == "base" {
		root, err := d.branchRev(spec, name)
		if err != nil {
			return nil, err
		}
		return []string{d.branchFirst(root) + baseMarker}, nil
	}
	return d.Resolve(spec, current)
}

// Targets is Target for several specifiers (stamp takes more than one),
// their revisions joined, sorted, without repeats.
func (d *Dir) Targets(specs []string, current []string) ([]string, error) {
	var out []string
	for _, s := range specs {
		ids, err := d.Target(s, current)
		if err != nil {
			return nil, err
		}
		out = append(out, ids...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// splitTarget separates a Target's revision ids from the branch bases it
// names (as the ids of their first revisions).
func (d *Dir) splitTarget(target []string) (ids, firsts []string, err error) {
	for _, t := range target {
		first, ok := strings.CutSuffix(t, baseMarker)
		if !ok {
			ids = append(ids, t)
			continue
		}
		if d.revs[first] == nil {
			return nil, nil, graphErr(ErrNotApplied, "branch base %s names no revision in versions/", t)
		}
		firsts = append(firsts, first)
	}
	return ids, firsts, nil
}

// branchRev resolves the name before "@": a branch label, or a revision id
// or prefix (Alembic's ae10@head, the head of the branch holding ae10...).
func (d *Dir) branchRev(spec, name string) (string, error) {
	if id, ok := d.labels[name]; ok {
		return id, nil
	}
	id, err := d.lookup(spec, name)
	if errors.Is(err, ErrUnknownRevision) {
		return "", specErr(spec, ErrUnknownRevision, "no branch label, revision or prefix matches %q (in %q)", name, spec)
	}
	return id, err
}

// branchFirst is the lowest revision of id's branch: down from id while the
// revision below has no other child and is not a merge point, where Alembic
// stops spreading a branch label.
func (d *Dir) branchFirst(id string) string {
	for {
		r := d.revs[id]
		if len(r.Parents) != 1 {
			return id
		}
		p := r.Parents[0]
		if len(d.children[p]) != 1 || len(d.revs[p].Parents) > 1 {
			return id
		}
		id = p
	}
}

// lineage is every revision that shares a line of Revises with id: its
// ancestors and its descendants.
func (d *Dir) lineage(id string) map[string]bool {
	set := d.ancestors([]string{id})
	for _, x := range d.descendants(id) {
		set[x] = true
	}
	return set
}

// ancestors returns ids and everything they revise, transitively (not what
// they depend on).
func (d *Dir) ancestors(ids []string) map[string]bool {
	return d.reach(ids, func(id string) []string { return d.revs[id].Parents })
}

// branchHeads are the heads above root, sorted.
func (d *Dir) branchHeads(root string) []string {
	var heads []string
	for _, id := range d.descendants(root) {
		if len(d.children[id]) == 0 {
			heads = append(heads, id)
		}
	}
	sort.Strings(heads)
	return heads
}

// onBranch is where the database stands on a branch: the applied revisions
// of its lineage that no applied revision of it revises. A database whose
// row for the branch was folded into a dependant's (Alembic keeps no row for
// a revision another row depends on) is found too, as Alembic's
// _get_all_current does.
func (d *Dir) onBranch(spec, name string, line map[string]bool, current []string) ([]string, error) {
	applied := d.closure(current)
	var tips []string
	for id := range applied {
		if !line[id] {
			continue
		}
		tip := true
		for _, c := range d.children[id] {
			if applied[c] && line[c] {
				tip = false
				break
			}
		}
		if tip {
			tips = append(tips, id)
		}
	}
	sort.Strings(tips)
	if len(tips) > 1 {
		return nil, specErr(spec, ErrMultipleHeads, "revision specifier %q is ambiguous: the database is at several revisions of branch %s (%s); name one of them", spec, name, strings.Join(tips, ", "))
	}
	return tips, nil
}

// NeedsCurrent reports whether resolving spec (one revision, not a range)
// needs the database's current revisions: current, +N, -N, label@+N,
// label@-N and label@current do.
func NeedsCurrent(spec string) bool {
	s := strings.TrimSpace(spec)
	at, n, err := splitRelative(spec, s)
	if err != nil {
		return false
	}
	if at == "current" || at == "" && n != 0 {
		return true
	}
	_, sym, ok := strings.Cut(at, "@")
	return ok && (sym == "current" || sym == "" && n != 0)
}
