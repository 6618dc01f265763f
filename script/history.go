package script

import (
	"errors"
	"slices"
	"strings"
)

// ErrBadRange is a history range whose lower end is not below its upper end.
var ErrBadRange = errors.New("revision range not along one branch")

// History lists the revisions of a history range "A:B" newest first, as
// Alembic's history -r does: B and everything it revises or depends on,
// restricted, when A is given, to A and what lies above it by Revises. An
// empty side is base (A) or heads (B); an empty range is everything.
// current reads the database's rows, only when a side needs them.
//
// As in Alembic: a relative A (-N, label@-N) counts from B when B is one
// revision; a relative move past base or a head stops there; A must be
// below B; label@base as A is where the branch starts, its first revision
// for a branch that starts at base, so that other trees are left out.
func (d *Dir) History(rng string, current func() ([]string, error)) ([]*Revision, error) {
	a, b := "", ""
	if rng != "" {
		var ok bool
		if a, b, ok = strings.Cut(rng, ":"); !ok {
			return nil, specErr(rng, ErrBadSpecifier, "history range %q must have the form A:B (either side may be empty)", rng)
		}
	}
	upper, err := d.historyUpper(b, current)
	if err != nil {
		return nil, err
	}
	lower, err := d.historyLower(a, upper, current)
	if err != nil {
		return nil, err
	}
	for _, id := range slices.Concat(lower, upper) {
		if d.revs[id] == nil { // from the database's rows
			return nil, specErr(rng, ErrUnknownRevision, "the database is at revision %s, which no file in versions/ defines", id)
		}
	}
	below := d.closure(upper)
	var above map[string]bool
	if len(lower) > 0 {
		above = map[string]bool{}
		for _, id := range lower {
			if !below[id] {
				return nil, specErr(rng, ErrBadRange, "Requested range %s does not refer to ancestor/descendant revisions along the same branch", rng)
			}
			for _, x := range d.descendants(id) {
				above[x] = true
			}
		}
	}
	var out []*Revision
	for i := len(d.order) - 1; i >= 0; i-- {
		if id := d.order[i].ID; below[id] && (above == nil || above[id]) {
			out = append(out, d.order[i])
		}
	}
	return out, nil
}

func (d *Dir) historyUpper(b string, current func() ([]string, error)) ([]string, error) {
	if strings.TrimSpace(b) == "" {
		return d.Heads(), nil
	}
	var cur []string
	if NeedsCurrent(b) {
		var err error
		if cur, err = current(); err != nil {
			return nil, err
		}
	}
	return d.resolve(b, cur, true)
}

func (d *Dir) historyLower(a string, upper []string, current func() ([]string, error)) ([]string, error) {
	s := strings.TrimSpace(a)
	if s == "" {
		return nil, nil
	}
	if name, sym, ok := strings.Cut(s, "@"); ok && sym == "base" {
		root, err := d.branchRev(a, name)
		if err != nil {
			return nil, err
		}
		first := d.branchFirst(root)
		if p := d.revs[first].Parents; len(p) > 0 {
			return d.sorted(p), nil // a shared base, as Alembic lists it
		}
		return []string{first}, nil
	}
	if downFromUpper(a, upper) {
		return d.resolve(a, upper, true)
	}
	var cur []string
	if NeedsCurrent(a) {
		var err error
		if cur, err = current(); err != nil {
			return nil, err
		}
	}
	return d.resolve(a, cur, true)
}

// downFromUpper reports whether a history range's lower end a is a downward
// move to count from the upper end (Alembic's _parse_downgrade_target with
// the upper revisions as current): -N when the upper end is one revision,
// label@-N when it is any (the branch picks among them).
func downFromUpper(a string, upper []string) bool {
	at, n, err := splitRelative(a, strings.TrimSpace(a))
	if err != nil || n >= 0 {
		return false
	}
	if at == "" {
		return len(upper) == 1
	}
	_, sym, ok := strings.Cut(at, "@")
	return ok && sym == "" && len(upper) > 0
}
