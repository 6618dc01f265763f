package script

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// resolveCase is one Resolve call: the ids it gives, or the error it wraps
// and words its message must hold.
type resolveCase struct {
	d       *Dir
	spec    string
	current []string
	want    []string
	err     error
	msg     []string
}

func checkResolve(t *testing.T, tests []resolveCase) {
	t.Helper()
	for _, tt := range tests {
		got, err := tt.d.Resolve(tt.spec, tt.current)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Resolve(%q, %q) err = %v, want %v", tt.spec, tt.current, err, tt.err)
				continue
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Resolve(%q): message %q lacks %q", tt.spec, err, s)
				}
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.spec, tt.current, got, err, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	b, l := branchy(t), linear(t)
	m := build(t,
		rev{id: "m1"},
		rev{id: "m2", parents: []string{"m1"}},
		rev{id: "m3", parents: []string{"m1"}},
		rev{id: "m4", parents: []string{"m2", "m3"}},
	)
	tests := []resolveCase{
		{b, "aaa111", nil, []string{"aaa111"}, nil, nil},
		{b, " bbb ", nil, []string{"bbb222"}, nil, nil},
		{b, "ab", nil, []string{"abc777"}, nil, nil},
		{b, "a", nil, nil, ErrAmbiguous, []string{`"a"`, "aaa111, abc777"}},
		{b, "xyz9", nil, nil, ErrAmbiguous, []string{"xyz900, xyz901"}},
		{b, "zzz", nil, nil, ErrUnknownRevision, []string{`"zzz"`}},
		{b, "head", nil, nil, ErrMultipleHeads, []string{"abc777, eee555, xyz901"}},
		{b, "heads", nil, []string{"abc777", "eee555", "xyz901"}, nil, nil},
		{b, "base", []string{"ccc333"}, nil, nil, nil},
		{b, "current", []string{"eee555", "abc777"}, []string{"abc777", "eee555"}, nil, nil},
		{b, "current", nil, nil, nil, nil},
		{b, "+1", []string{"bbb222"}, []string{"ccc333"}, nil, nil},
		{b, "+2", []string{"bbb222"}, nil, ErrMultipleHeads, []string{"ddd444, fff666"}},
		{b, "+1", nil, nil, ErrMultipleHeads, []string{"aaa111, xyz900"}},
		{b, "-1", []string{"ccc333"}, []string{"bbb222"}, nil, nil},
		{b, "-3", []string{"ccc333"}, nil, nil, nil},
		{b, "-4", []string{"ccc333"}, nil, ErrRelativeOutRange, []string{`"-4"`, "below base"}},
		{b, "-1", []string{"eee555", "abc777"}, nil, ErrMultipleHeads, []string{"abc777, eee555"}},
		{b, "current-1", []string{"eee555"}, []string{"ddd444"}, nil, nil},
		{b, "eee555-2", nil, []string{"ccc333"}, nil, nil},
		{b, "eee-4", nil, []string{"aaa111"}, nil, nil},
		{b, "aaa111+2", nil, []string{"ccc333"}, nil, nil},
		{b, "abc777+1", nil, nil, ErrRelativeOutRange, []string{"past head abc777"}},
		{b, "feature", nil, []string{"ddd444"}, nil, nil},
		{b, "feature@head", nil, []string{"eee555"}, nil, nil},
		{b, "feature@base", nil, []string{"ccc333"}, nil, nil},
		{b, "feature@head-1", nil, []string{"ddd444"}, nil, nil},
		{b, "other@head", nil, []string{"xyz901"}, nil, nil},
		{b, "other@base", nil, nil, nil, nil},
		{b, "other", nil, []string{"xyz900"}, nil, nil},
		{b, "nolabel@head", nil, nil, ErrUnknownRevision, []string{`"nolabel"`}},
		{b, "feature@tail", nil, nil, ErrUnknownRevision, []string{`"tail"`}},
		{b, "base+1", nil, nil, ErrMultipleHeads, []string{"aaa111, xyz900"}},
		{l, "head", nil, []string{"l3"}, nil, nil},
		{m, "-1", []string{"m4"}, []string{"m2", "m3"}, nil, nil},
		{m, "head-1", nil, []string{"m2", "m3"}, nil, nil},
		{m, "-2", []string{"m4"}, nil, ErrMultipleHeads, []string{"m2, m3"}},
		{l, "head-1", nil, []string{"l2"}, nil, nil},
		{l, "head-3", nil, nil, nil, nil},
		{l, "head-4", nil, nil, ErrRelativeOutRange, nil},
		{l, "head+1", nil, nil, ErrRelativeOutRange, []string{"past head l3"}},
		{l, "base+1", nil, []string{"l1"}, nil, nil},
		{l, "base+3", nil, []string{"l3"}, nil, nil},
		{l, "base+4", nil, nil, ErrRelativeOutRange, nil},
		{l, "+2", nil, []string{"l2"}, nil, nil},
		{l, "+1", []string{"l3"}, nil, ErrRelativeOutRange, nil},
		{l, "", nil, nil, ErrBadSpecifier, []string{"empty"}},
		{l, "+x", nil, nil, ErrBadSpecifier, []string{`"+x"`}},
		{l, "l1-0", nil, nil, ErrBadSpecifier, nil},
		{l, "l1+-1", nil, nil, ErrBadSpecifier, nil},
		{l, "heads-1", nil, nil, ErrBadSpecifier, []string{"heads"}},
		{l, "l1:l2", nil, nil, ErrBadSpecifier, nil},
		{l, "a@b@c", nil, nil, ErrUnknownRevision, nil},
		{l, "l1 l2", nil, nil, ErrBadSpecifier, nil},
	}
	checkResolve(t, tests)
}

func TestResolveRangeAndBetween(t *testing.T) {
	b := branchy(t)
	tests := []struct {
		spec         string
		current      []string
		lower, upper []string
		between      []string
	}{
		{"bbb222:eee555", nil, []string{"bbb222"}, []string{"eee555"}, []string{"ccc333", "ddd444", "eee555"}},
		{":ccc", nil, nil, []string{"ccc333"}, []string{"aaa111", "bbb222", "ccc333"}},
		{"ccc333:", nil, []string{"ccc333"}, []string{"abc777", "eee555", "xyz901"}, []string{"ddd444", "eee555", "fff666", "abc777", "xyz900", "xyz901"}},
		{"-1:current", []string{"ddd444"}, []string{"ccc333"}, []string{"ddd444"}, []string{"ddd444"}},
		{"base:xyz901", nil, nil, []string{"xyz901"}, []string{"aaa111", "bbb222", "xyz900", "xyz901"}},
	}
	for _, tt := range tests {
		lo, hi, err := b.resolveRange(tt.spec, tt.current)
		if err != nil || !reflect.DeepEqual(lo, tt.lower) || !reflect.DeepEqual(hi, tt.upper) {
			t.Errorf("resolveRange(%q) = %q, %q, %v; want %q, %q", tt.spec, lo, hi, err, tt.lower, tt.upper)
			continue
		}
		if got := ids(b.between(lo, hi)); !reflect.DeepEqual(got, tt.between) {
			t.Errorf("Between for %q = %q, want %q", tt.spec, got, tt.between)
		}
	}
	for _, bad := range []string{"aaa111", "a:b:c", "zzz:head"} {
		if _, _, err := b.resolveRange(bad, nil); err == nil {
			t.Errorf("resolveRange(%q) gave no error", bad)
		}
	}
}
