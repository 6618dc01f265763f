package script

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Sentinel errors of specifier resolution, matched with errors.Is.
var (
	ErrBadSpecifier     = errors.New("malformed revision specifier")
	ErrUnknownRevision  = errors.New("unknown revision")
	ErrAmbiguous        = errors.New("ambiguous revision prefix")
	ErrMultipleHeads    = errors.New("multiple heads")
	ErrRelativeOutRange = errors.New("relative revision out of range")
)

// SpecError is a specifier that cannot be resolved.
type SpecError struct {
	Spec string
	Msg  string
	Err  error // one of the sentinel errors
}

func (e *SpecError) Error() string { return e.Msg }
func (e *SpecError) Unwrap() error { return e.Err }

func specErr(spec string, sentinel error, format string, args ...any) error {
	return &SpecError{Spec: spec, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// Resolve turns a revision specifier into revision ids (sorted; empty means
// base). current is the version table's rows, used by current, +N and -N.
//
// Specifiers: a full id, a unique id prefix, a branch label (the revision
// declaring it), head, heads, base, current, and on a branch named by a
// label or by a revision on it: label@head, label@heads, label@base (the
// point the branch starts from), label@ID (ID, which must be on the branch)
// and label@current (the database's revision on the branch). Any of these
// but the heads forms may be followed by +N or -N, which then stays on the
// branch; +N and -N alone are relative to current, label@+N and label@-N to
// the database's revision on the branch.
func (d *Dir) Resolve(spec string, current []string) ([]string, error) {
	return d.resolve(spec, current, false)
}

// resolve is Resolve; with clamp a relative move that runs past base or a
// head stops there instead of failing, as Alembic's history walks.
func (d *Dir) resolve(spec string, current []string, clamp bool) ([]string, error) {
	s := strings.TrimSpace(spec)
	if s == "" {
		return nil, specErr(spec, ErrBadSpecifier, "the revision specifier is empty")
	}
	switch s {
	case "heads":
		return d.Heads(), nil
	case "base":
		return nil, nil
	}
	at, n, err := splitRelative(spec, s)
	if err != nil {
		return nil, err
	}
	start, line, err := d.anchor(spec, at, current, n != 0)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return start, nil
	}
	return d.walk(spec, start, n, line, clamp)
}

// splitRelative cuts "X+N" / "X-N" into X and ±N; ids cannot hold + or -.
func splitRelative(spec, s string) (string, int, error) {
	i := strings.IndexAny(s, "+-")
	if i < 0 {
		return s, 0, nil
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n <= 0 || n > 1<<20 {
		return "", 0, specErr(spec, ErrBadSpecifier, "revision specifier %q has %q where a whole number of steps of at least 1 belongs", spec, s[i:])
	}
	if s[i] == '-' {
		n = -n
	}
	return s[:i], n, nil
}

// anchor resolves the part before +N/-N to at most one revision when it is
// to be walked from (nil stands for base), and for a branch specifier the
// branch's lineage, which the walk keeps to.
func (d *Dir) anchor(spec, at string, current []string, relative bool) ([]string, map[string]bool, error) {
	switch at {
	case "", "current":
		if at == "" && !relative {
			return nil, nil, specErr(spec, ErrBadSpecifier, "revision specifier %q is malformed", spec)
		}
		ids := d.tips(current)
		if relative && len(ids) > 1 {
			return nil, nil, specErr(spec, ErrMultipleHeads, "relative revision %q is ambiguous: the database is at several heads (%s); name one of them instead", spec, strings.Join(ids, ", "))
		}
		return ids, nil, nil
	case "head":
		heads := d.Heads()
		if len(heads) > 1 {
			return nil, nil, specErr(spec, ErrMultipleHeads, "there are several heads (%s): use a revision id, label@head, or heads for all of them", strings.Join(heads, ", "))
		}
		return heads, nil, nil
	case "base":
		return nil, nil, nil
	case "heads":
		return nil, nil, specErr(spec, ErrBadSpecifier, "revision specifier %q cannot move relative to heads; use head or label@head", spec)
	}
	if name, sym, ok := strings.Cut(at, "@"); ok {
		return d.branchSymbol(spec, name, sym, current, relative)
	}
	id, err := d.lookup(spec, at)
	if err != nil {
		return nil, nil, err
	}
	return []string{id}, nil, nil
}

// tips is the version rows current stands for, as Alembic would keep them:
// rows a dependant's row makes redundant are dropped, so that a database
// stamped by an older autogen (which kept them) resolves as Alembic's does.
// Ids no file defines are kept for Plan to report.
func (d *Dir) tips(current []string) []string {
	var known, out []string
	for _, id := range current {
		if d.revs[id] != nil {
			known = append(known, id)
		} else {
			out = append(out, id)
		}
	}
	return d.sorted(append(out, d.Rows(known)...))
}

// sorted copies ids in sorted order.
func (d *Dir) sorted(ids []string) []string {
	out := slices.Clone(ids)
	sort.Strings(out)
	return slices.Compact(out)
}

// lookup finds a full id, a branch label, or a unique id prefix.
func (d *Dir) lookup(spec, s string) (string, error) {
	if !ValidID(s) {
		return "", specErr(spec, ErrBadSpecifier, "revision specifier %q is malformed", spec)
	}
	if d.revs[s] != nil {
		return s, nil
	}
	if id, ok := d.labels[s]; ok {
		return id, nil
	}
	var matches []string
	for id := range d.revs {
		if strings.HasPrefix(id, s) {
			matches = append(matches, id)
		}
	}
	sort.Strings(matches)
	switch len(matches) {
	case 0:
		return "", specErr(spec, ErrUnknownRevision, "no revision, prefix or branch label matches %q", s)
	case 1:
		return matches[0], nil
	}
	return "", specErr(spec, ErrAmbiguous, "revision prefix %q is ambiguous: it matches %s", s, strings.Join(matches, ", "))
}

// branchSymbol resolves NAME@SYM, NAME being a branch label or a revision on
// the branch, and returns the branch's lineage with it.
func (d *Dir) branchSymbol(spec, name, sym string, current []string, relative bool) ([]string, map[string]bool, error) {
	root, err := d.branchRev(spec, name)
	if err != nil {
		return nil, nil, err
	}
	line := d.lineage(root)
	switch sym {
	case "head", "heads":
		heads := d.branchHeads(root)
		if sym == "heads" && relative {
			return nil, nil, specErr(spec, ErrBadSpecifier, "revision specifier %q cannot move relative to heads; use %s@head", spec, name)
		}
		if sym == "head" && len(heads) > 1 {
			return nil, nil, specErr(spec, ErrMultipleHeads, "branch %s has several heads (%s); name one of them, or use %s@heads for all", name, strings.Join(heads, ", "), name)
		}
		return heads, line, nil
	case "base":
		return d.sorted(d.revs[d.branchFirst(root)].Parents), line, nil
	case "", "current":
		if sym == "" && !relative {
			return nil, nil, specErr(spec, ErrBadSpecifier, "revision specifier %q is malformed: after %s@ write head, heads, base, current, a revision, or +N/-N", spec, name)
		}
		ids, err := d.onBranch(spec, name, line, current)
		return ids, line, err
	}
	id, err := d.lookup(spec, sym)
	if err != nil {
		return nil, nil, err
	}
	if !line[id] {
		return nil, nil, specErr(spec, ErrNotOnBranch, "revision %s is not on branch %s (in %q)", id, name, spec)
	}
	return []string{id}, line, nil
}

// descendants returns id and every revision above it by Revises.
func (d *Dir) descendants(id string) []string {
	seen := map[string]bool{id: true}
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, c := range d.children[out[i]] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// walk moves n steps up (n > 0) or down from start (nil is base), keeping to
// line when it is not nil. With clamp it stops at base or a head instead of
// failing there.
func (d *Dir) walk(spec string, start []string, n int, line map[string]bool, clamp bool) ([]string, error) {
	if len(start) > 1 {
		return nil, specErr(spec, ErrMultipleHeads, "relative revision %q is ambiguous: it starts from several revisions (%s)", spec, strings.Join(start, ", "))
	}
	if len(start) == 1 && d.revs[start[0]] == nil {
		return nil, specErr(spec, ErrUnknownRevision, "relative revision %q starts from revision %s, which no file in versions/ defines", spec, start[0])
	}
	at := start
	steps := max(n, -n)
	for i := 0; i < steps; i++ {
		if n < 0 && len(at) == 0 {
			if clamp {
				return nil, nil
			}
			return nil, specErr(spec, ErrRelativeOutRange, "relative revision %q goes below base", spec)
		}
		next := d.next(at, n > 0, line)
		switch {
		case len(next) == 0 && n < 0:
			at = nil // one step down from a base is base
			continue
		case len(next) == 0 && clamp:
			return slices.Clone(at), nil
		case len(next) == 0:
			return nil, specErr(spec, ErrRelativeOutRange, "relative revision %q goes past head %s", spec, at[0])
		case len(next) > 1 && n < 0 && i == steps-1:
			// One step down from a merge point is all of its parents, so
			// that undoing the merge leaves both branches applied. Alembic
			// refuses this walk ("Ambiguous walk"); we take all parents on
			// purpose, as the result is unambiguous.
			return next, nil
		case len(next) > 1:
			return nil, specErr(spec, ErrMultipleHeads, "relative revision %q is ambiguous at step %d: it could go to %s", spec, i+1, strings.Join(next, ", "))
		}
		at = next
	}
	return slices.Clone(at), nil
}

// next is where one step from at (one revision, or nil for base) leads:
// children going up, parents going down, those of line only when given.
func (d *Dir) next(at []string, up bool, line map[string]bool) []string {
	var cand []string
	switch {
	case up && len(at) == 0:
		cand = d.Bases()
	case up:
		cand = d.children[at[0]]
	default:
		cand = d.revs[at[0]].Parents
	}
	var out []string
	for _, id := range cand {
		if line == nil || line[id] {
			out = append(out, id)
		}
	}
	return d.sorted(out)
}

// resolveRange resolves both ends of "A:B", each against current: an empty
// A is base, an empty B is heads. (history -r uses History, which counts a
// relative A from B and checks that A lies below B.)
func (d *Dir) resolveRange(spec string, current []string) (lower, upper []string, err error) {
	a, b, ok := strings.Cut(spec, ":")
	if !ok || strings.Contains(b, ":") {
		return nil, nil, specErr(spec, ErrBadSpecifier, "revision range %q is malformed: write FROM:TO", spec)
	}
	if strings.TrimSpace(a) != "" {
		if lower, err = d.Resolve(a, current); err != nil {
			return nil, nil, err
		}
	}
	if strings.TrimSpace(b) == "" {
		return lower, d.Heads(), nil
	}
	upper, err = d.Resolve(b, current)
	return lower, upper, err
}

// between returns the revisions applied at upper but not at lower, in
// topological order (base first).
func (d *Dir) between(lower, upper []string) []*Revision {
	low := d.closure(lower)
	high := d.closure(upper)
	var out []*Revision
	for _, r := range d.order {
		if high[r.ID] && !low[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// closure returns ids and everything they need applied, by Revises and
// Depends On; unknown ids are ignored (Plan checks them).
func (d *Dir) closure(ids []string) map[string]bool {
	return d.reach(ids, d.down)
}

// reach returns ids and every known revision next leads to from them,
// transitively.
func (d *Dir) reach(ids []string, next func(id string) []string) map[string]bool {
	seen := map[string]bool{}
	stack := slices.Clone(ids)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] || d.revs[id] == nil {
			continue
		}
		seen[id] = true
		stack = append(stack, next(id)...)
	}
	return seen
}
