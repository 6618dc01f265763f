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
// declaring it), head, heads, base, current, label@head, label@base (the
// point the branch starts from), and any of these but heads followed by +N
// or -N; +N and -N alone are relative to current.
func (d *Dir) Resolve(spec string, current []string) ([]string, error) {
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
	start, err := d.anchor(spec, at, current, n != 0)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return start, nil
	}
	return d.walk(spec, start, n)
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
// to be walked from; nil stands for base.
func (d *Dir) anchor(spec, at string, current []string, relative bool) ([]string, error) {
	var ids []string
	switch at {
	case "", "current":
		if at == "" && !relative {
			return nil, specErr(spec, ErrBadSpecifier, "revision specifier %q is malformed", spec)
		}
		ids = d.sorted(current)
		if relative && len(ids) > 1 {
			return nil, specErr(spec, ErrMultipleHeads, "relative revision %q is ambiguous: the database is at several heads (%s); name one of them instead", spec, strings.Join(ids, ", "))
		}
		return ids, nil
	case "head":
		heads := d.Heads()
		if len(heads) > 1 {
			return nil, specErr(spec, ErrMultipleHeads, "there are several heads (%s): use a revision id, label@head, or heads for all of them", strings.Join(heads, ", "))
		}
		return heads, nil
	case "base":
		return nil, nil
	case "heads":
		return nil, specErr(spec, ErrBadSpecifier, "revision specifier %q cannot move relative to heads; use head or label@head", spec)
	}
	if label, sym, ok := strings.Cut(at, "@"); ok {
		return d.branchSymbol(spec, label, sym)
	}
	id, err := d.lookup(spec, at)
	if err != nil {
		return nil, err
	}
	return []string{id}, nil
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

// branchSymbol resolves label@head and label@base.
func (d *Dir) branchSymbol(spec, label, sym string) ([]string, error) {
	root, ok := d.labels[label]
	if !ok {
		return nil, specErr(spec, ErrUnknownRevision, "no revision declares branch label %q (in %q)", label, spec)
	}
	switch sym {
	case "head":
		var heads []string
		for _, id := range d.descendants(root) {
			if len(d.children[id]) == 0 {
				heads = append(heads, id)
			}
		}
		sort.Strings(heads)
		if len(heads) > 1 {
			return nil, specErr(spec, ErrMultipleHeads, "branch %s has several heads (%s); name one of them", label, strings.Join(heads, ", "))
		}
		return heads, nil
	case "base":
		first := root
		for {
			r := d.revs[first]
			if len(r.Parents) != 1 || len(d.children[r.Parents[0]]) != 1 {
				return d.sorted(r.Parents), nil
			}
			first = r.Parents[0]
		}
	}
	return nil, specErr(spec, ErrBadSpecifier, "revision specifier %q is malformed: after %s@ write head or base", spec, label)
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

// walk moves n steps up (n > 0) or down from start (nil is base).
func (d *Dir) walk(spec string, start []string, n int) ([]string, error) {
	at := start
	steps := n
	if steps < 0 {
		steps = -steps
	}
	for i := 0; i < steps; i++ {
		var next []string
		switch {
		case n > 0 && len(at) == 0:
			next = d.Bases()
		case n > 0:
			next = d.children[at[0]]
		case len(at) == 0:
			return nil, specErr(spec, ErrRelativeOutRange, "relative revision %q goes below base", spec)
		default:
			next = d.sorted(d.revs[at[0]].Parents)
			if len(next) == 0 {
				at = nil
				continue
			}
		}
		if len(next) == 0 {
			return nil, specErr(spec, ErrRelativeOutRange, "relative revision %q goes past head %s", spec, at[0])
		}
		if len(next) > 1 && n < 0 && i == steps-1 {
			// One step down from a merge point is all of its parents, as in
			// Alembic: undoing the merge leaves both branches applied.
			return next, nil
		}
		if len(next) > 1 {
			return nil, specErr(spec, ErrMultipleHeads, "relative revision %q is ambiguous at step %d: it could go to %s", spec, i+1, strings.Join(next, ", "))
		}
		at = next
	}
	return slices.Clone(at), nil
}

// ResolveRange resolves "A:B" as history -r and offline --sql use it: an
// empty A is base, an empty B is heads.
func (d *Dir) ResolveRange(spec string, current []string) (lower, upper []string, err error) {
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

// Between returns the revisions applied at upper but not at lower, in
// topological order (base first).
func (d *Dir) Between(lower, upper []string) []*Revision {
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
	seen := map[string]bool{}
	stack := slices.Clone(ids)
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[id] || d.revs[id] == nil {
			continue
		}
		seen[id] = true
		stack = append(stack, d.down(id)...)
	}
	return seen
}
