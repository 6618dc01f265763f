package script

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// docs is the revision graph of Alembic's branches.rst, ids shortened:
//
//	1975ea -> ae1027 -> 55af2c
//	       \-> 27c6a3 (shoppingcart) -> d747a8
//	3cac04 (networking) -> 109ec7 -> 29f859 -> 2a9510 (depends on 55af2c)
func docs(t testing.TB) *Dir {
	return build(t, docsRevs()...)
}

func docsRevs() []rev {
	return []rev{
		{id: "1975ea"},
		{id: "ae1027", parents: []string{"1975ea"}},
		{id: "55af2c", parents: []string{"ae1027"}},
		{id: "27c6a3", parents: []string{"1975ea"}, labels: []string{"shoppingcart"}},
		{id: "d747a8", parents: []string{"27c6a3"}},
		{id: "3cac04", labels: []string{"networking"}},
		{id: "109ec7", parents: []string{"3cac04"}},
		{id: "29f859", parents: []string{"109ec7"}},
		{id: "2a9510", parents: []string{"29f859"}, deps: []string{"55af2c"}},
	}
}

// cross is docs where the shoppingcart revision d747a8 also depends on the
// networking revision 109ec7.
func cross(t testing.TB) *Dir {
	revs := docsRevs()
	revs[4].deps = []string{"109ec7"}
	return build(t, revs...)
}

// forest is the QA report's repro: two roots, the second labelled.
func forest(t testing.TB) *Dir {
	return build(t,
		rev{id: "aaaaaaaaaaaa"},
		rev{id: "bbbbbbbbbbbb", labels: []string{"networking"}},
	)
}

func TestResolveBranches(t *testing.T) {
	b, dc := branchy(t), docs(t)
	tests := []resolveCase{
		// label@heads, ID@head, ID@heads
		{b, "feature@heads", nil, []string{"eee555"}, nil, nil},
		{b, "bbb@heads", nil, []string{"abc777", "eee555"}, nil, nil},
		{b, "bbb@head", nil, nil, ErrMultipleHeads, []string{"abc777, eee555", "bbb@heads"}},
		{b, "fff@head", nil, []string{"abc777"}, nil, nil},
		{dc, "ae10@head", nil, []string{"55af2c"}, nil, nil},
		{b, "feature@heads+1", nil, nil, ErrBadSpecifier, []string{"feature@head"}},
		{b, "zzz@head", nil, nil, ErrUnknownRevision, []string{`"zzz"`}},
		// label@ID: the revision, if on the branch (above or below the label)
		{b, "feature@eee", nil, []string{"eee555"}, nil, nil},
		{b, "feature@bbb222", nil, []string{"bbb222"}, nil, nil},
		{b, "feature@fff666", nil, nil, ErrNotOnBranch, []string{"fff666", "feature"}},
		{b, "other@xyz901", nil, []string{"xyz901"}, nil, nil},
		{b, "other@aaa111", nil, nil, ErrNotOnBranch, nil},
		{b, "feature@eee555-1", nil, []string{"ddd444"}, nil, nil},
		// label@+N / label@-N from the database's revision on the branch
		{b, "feature@+1", []string{"ccc333"}, []string{"ddd444"}, nil, nil},
		{b, "feature@+2", []string{"ccc333"}, []string{"eee555"}, nil, nil},
		{b, "feature@+1", []string{"abc777"}, []string{"ddd444"}, nil, nil}, // from ccc333, where the sibling forked
		{b, "feature@-1", []string{"eee555", "abc777"}, []string{"ddd444"}, nil, nil},
		{b, "feature@-1", []string{"abc777"}, []string{"bbb222"}, nil, nil},
		{b, "feature@+3", []string{"ccc333"}, nil, ErrRelativeOutRange, nil},
		{b, "other@+1", nil, []string{"xyz900"}, nil, nil},
		{b, "other@+2", []string{"eee555"}, []string{"xyz901"}, nil, nil},
		{b, "other@-1", []string{"xyz901"}, []string{"xyz900"}, nil, nil},
		{b, "other@-1", nil, nil, ErrRelativeOutRange, []string{"below base"}},
		{b, "bbb@+1", []string{"eee555", "abc777"}, nil, ErrMultipleHeads, []string{"abc777, eee555"}},
		{b, "feature@current", []string{"eee555", "abc777"}, []string{"eee555"}, nil, nil},
		{b, "feature@", nil, nil, ErrBadSpecifier, []string{"after feature@"}},
		// label@base+N walks up the branch, not into another tree
		{b, "feature@base+1", nil, []string{"ddd444"}, nil, nil},
		{b, "other@base+1", nil, []string{"xyz900"}, nil, nil},
		{dc, "networking@base+2", nil, []string{"109ec7"}, nil, nil},
		// a dependency's row folded into its dependant's, as Alembic keeps
		// it, or kept, as an older autogen did: -1 is the same either way
		{dc, "-1", []string{"2a9510"}, []string{"29f859"}, nil, nil},
		{dc, "-1", []string{"2a9510", "55af2c"}, []string{"29f859"}, nil, nil},
		{dc, "current", []string{"2a9510", "55af2c"}, []string{"2a9510"}, nil, nil},
		{dc, "-1", []string{"2a9510", "d747a8"}, nil, ErrMultipleHeads, []string{"2a9510, d747a8"}},
		{dc, "shoppingcart@-1", []string{"2a9510", "d747a8"}, []string{"27c6a3"}, nil, nil},
		{dc, "ae1027@-1", []string{"2a9510"}, []string{"ae1027"}, nil, nil}, // from 55af2c: applied, though not a row
		{dc, "-1", []string{"zzzzzz"}, nil, ErrUnknownRevision, []string{"zzzzzz"}},
	}
	checkResolve(t, tests)
}

func TestTarget(t *testing.T) {
	b, dc := branchy(t), docs(t)
	tests := []struct {
		d    *Dir
		spec string
		want []string
		err  error
	}{
		{b, "other@base", []string{"xyz900@base"}, nil},
		{b, " xyz901@base ", []string{"xyz900@base"}, nil},
		{b, "feature@base", []string{"ddd444@base"}, nil},
		{b, "eee@base", []string{"ddd444@base"}, nil},
		{dc, "networking@base", []string{"3cac04@base"}, nil},
		{dc, "shoppingcart@base", []string{"27c6a3@base"}, nil},
		{b, "base", nil, nil},
		{b, "feature@head", []string{"eee555"}, nil},
		{b, "nolabel@base", nil, ErrUnknownRevision},
		{b, "head", nil, ErrMultipleHeads},
	}
	for _, tt := range tests {
		got, err := tt.d.Target(tt.spec, nil)
		if !errors.Is(err, tt.err) || tt.err == nil && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Target(%q) = %q, %v; want %q, %v", tt.spec, got, err, tt.want, tt.err)
		}
	}
}

// TestPlanBranchesAndDepends: label@base undoes that branch alone, and the
// version rows follow Alembic's rule for depends_on, from Alembic's rows and
// from those an older autogen kept.
func TestPlanBranchesAndDepends(t *testing.T) {
	dc, cr, fo := docs(t), cross(t), forest(t)
	networking := []string{"3cac04@base"}
	all := []string{"-2a9510", "-29f859", "-109ec7", "-3cac04"}
	tests := []struct {
		name            string
		d               *Dir
		current, target []string
		up              bool
		steps           []string // revision of each step, +up / -down
		rows            []string // version rows after the last step
	}{
		{"forest: label@base on a root leaves the other tree", fo, []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb"}, []string{"bbbbbbbbbbbb@base"}, false,
			[]string{"-bbbbbbbbbbbb"}, []string{"aaaaaaaaaaaa"}},
		{"forest: nothing of the branch applied", fo, []string{"aaaaaaaaaaaa"}, []string{"bbbbbbbbbbbb@base"}, false, nil, []string{"aaaaaaaaaaaa"}},
		{"forest: base still undoes every tree", fo, []string{"aaaaaaaaaaaa", "bbbbbbbbbbbb"}, nil, false,
			[]string{"-bbbbbbbbbbbb", "-aaaaaaaaaaaa"}, nil},
		{"docs: upgrade heads folds the dependency's row", dc, nil, dc.Heads(), true,
			[]string{"+1975ea", "+27c6a3", "+3cac04", "+109ec7", "+29f859", "+ae1027", "+55af2c", "+2a9510", "+d747a8"}, []string{"2a9510", "d747a8"}},
		{"docs: networking@head", dc, nil, []string{"2a9510"}, true,
			[]string{"+1975ea", "+3cac04", "+109ec7", "+29f859", "+ae1027", "+55af2c", "+2a9510"}, []string{"2a9510"}},
		{"docs: networking@base from Alembic's rows", dc, []string{"2a9510", "d747a8"}, networking, false, all, []string{"55af2c", "d747a8"}},
		{"docs: networking@base from old rows", dc, []string{"2a9510", "55af2c", "d747a8"}, networking, false, all, []string{"55af2c", "d747a8"}},
		{"docs: upgrade heads from old rows drops the dependency's row", dc, []string{"2a9510", "55af2c"}, dc.Heads(), true,
			[]string{"+27c6a3", "+d747a8"}, []string{"2a9510", "d747a8"}},
		{"docs: downgrade -1 restores the dependency's row", dc, []string{"2a9510"}, []string{"29f859"}, false, []string{"-2a9510"}, []string{"29f859", "55af2c"}},
		{"docs: shoppingcart@base leaves its sibling and trunk", dc, []string{"2a9510", "d747a8"}, []string{"27c6a3@base"}, false,
			[]string{"-d747a8", "-27c6a3"}, []string{"2a9510"}},
		{"docs: upgrade to shoppingcart@base is its fork point", dc, nil, []string{"27c6a3@base"}, true, []string{"+1975ea"}, []string{"1975ea"}},
		{"docs: stay at the dependency", dc, []string{"2a9510"}, []string{"55af2c"}, false, nil, []string{"2a9510"}},
		{"cross: networking@base takes the shoppingcart revision depending on it", cr, []string{"2a9510", "d747a8"}, networking, false,
			append([]string{"-d747a8"}, all...), []string{"27c6a3", "55af2c"}},
		{"cross: upgrade heads", cr, nil, cr.Heads(), true,
			[]string{"+1975ea", "+27c6a3", "+3cac04", "+109ec7", "+29f859", "+ae1027", "+55af2c", "+2a9510", "+d747a8"}, []string{"2a9510", "d747a8"}},
		{"cross: upgrade shoppingcart@head", cr, nil, []string{"d747a8"}, true,
			[]string{"+1975ea", "+27c6a3", "+3cac04", "+109ec7", "+d747a8"}, []string{"d747a8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := tt.d.Plan(tt.current, tt.target, tt.up)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range steps {
				got = append(got, map[bool]string{true: "+", false: "-"}[s.Up]+s.Revision.ID)
			}
			if !reflect.DeepEqual(got, tt.steps) {
				t.Errorf("steps %q, want %q", got, tt.steps)
			}
			if rows := applyAll(tt.current, steps); !sameIDs(rows, tt.rows) {
				t.Errorf("rows %q, want %q", rows, tt.rows)
			}
			if rows := replay(t, tt.d, tt.current, tt.target, tt.up, len(steps)); !sameIDs(rows, tt.rows) {
				t.Errorf("one step at a time: rows %q, want %q", rows, tt.rows)
			}
		})
	}
}

func TestUpToDate(t *testing.T) {
	dc, l := docs(t), linear(t)
	empty, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		d    *Dir
		rows []string
		want bool
	}{
		{dc, []string{"2a9510", "d747a8"}, true},           // Alembic's rows
		{dc, []string{"2a9510", "55af2c", "d747a8"}, true}, // an older autogen's
		{dc, []string{"2a9510"}, false},
		{dc, []string{"55af2c", "d747a8"}, false},
		{dc, []string{"2a9510", "d747a8", "ffffff"}, false},
		{l, []string{"l3"}, true},
		{l, []string{"l2"}, false},
		{l, nil, false},
		{empty, nil, true},
	}
	for _, tt := range tests {
		if got := tt.d.UpToDate(tt.rows); got != tt.want {
			t.Errorf("UpToDate(%q) = %v, want %v", tt.rows, got, tt.want)
		}
	}
}

func TestCheckDirection(t *testing.T) {
	l, dc := linear(t), docs(t)
	tests := []struct {
		d               *Dir
		spec            string
		current, target []string
		up              bool
		msg             []string // empty: no error
	}{
		{l, "-1", []string{"l3"}, []string{"l2"}, true, []string{"cannot upgrade to -1 (l2)", "at l3", "use downgrade"}},
		{l, "base", []string{"l1"}, nil, true, nil}, // named revision below: a no-op, as Alembic
		{l, "l1", []string{"l3"}, []string{"l1"}, true, nil},
		{l, "head-2", []string{"l3"}, []string{"l1"}, true, nil},
		{l, "current", []string{"l3"}, []string{"l3"}, true, nil},
		{l, "l3", []string{"l3"}, []string{"l3"}, true, nil},
		{l, "+1", []string{"l2"}, []string{"l3"}, true, nil},
		{l, "head", nil, []string{"l3"}, true, nil},
		{l, "+1", []string{"l1"}, []string{"l2"}, false, []string{"cannot downgrade to +1 (l2)", "at l1", "use upgrade"}},
		{l, "l3", nil, []string{"l3"}, false, []string{"at base"}},
		{l, "-1", []string{"l3"}, []string{"l2"}, false, nil},
		{l, "l2", []string{"l2"}, []string{"l2"}, false, nil},
		{l, "l1", []string{"zz"}, []string{"l1"}, true, nil}, // unknown rows: Plan says so
		{dc, "55af", []string{"2a9510"}, []string{"55af2c"}, true, nil},
		{dc, "networking@base", []string{"2a9510", "d747a8"}, []string{"3cac04@base"}, true, nil},
		{dc, "networking@base", nil, []string{"3cac04@base"}, false, nil},
		{dc, "networking@base", []string{"d747a8"}, []string{"3cac04@base"}, true, nil},
	}
	for _, tt := range tests {
		err := tt.d.CheckDirection(tt.spec, tt.current, tt.target, tt.up)
		if len(tt.msg) == 0 {
			if err != nil {
				t.Errorf("CheckDirection(%q, %q, up=%v): %v", tt.spec, tt.current, tt.up, err)
			}
			continue
		}
		if !errors.Is(err, ErrWrongDirection) {
			t.Errorf("CheckDirection(%q, %q, up=%v) = %v, want ErrWrongDirection", tt.spec, tt.current, tt.up, err)
			continue
		}
		for _, s := range tt.msg {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("CheckDirection(%q): %q lacks %q", tt.spec, err, s)
			}
		}
		if strings.Contains(err.Error(), "rolled back") {
			t.Errorf("CheckDirection(%q): %q says rolled back, but nothing ran", tt.spec, err)
		}
	}
}

func TestNeedsCurrent(t *testing.T) {
	for spec, want := range map[string]bool{
		"current": true, "current-1": true, "-1": true, "+2": true, "networking@+1": true,
		"networking@-2": true, "networking@current": true, "head": false, "head-1": false,
		"networking@head": false, "networking@base+1": false, "eee555": false, "concurrent": false,
		"+x": false, "": false,
	} {
		if got := NeedsCurrent(spec); got != want {
			t.Errorf("NeedsCurrent(%q) = %v, want %v", spec, got, want)
		}
	}
}
