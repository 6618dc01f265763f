package script

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestHistory(t *testing.T) {
	b, dc, l, fo := branchy(t), docs(t), linear(t), forest(t)
	noDB := []string{"<none>"} // current marks a range that must not read the database
	tests := []struct {
		d       *Dir
		rng     string
		current []string
		want    []string // newest first
		err     error
		msg     string
	}{
		{l, "", noDB, []string{"l3", "l2", "l1"}, nil, ""},
		{l, "l2:", noDB, []string{"l3", "l2"}, nil, ""},
		{l, ":l2", noDB, []string{"l2", "l1"}, nil, ""},
		// a relative lower end counts from the upper end when that is one revision
		{l, "-1:l3", noDB, []string{"l3", "l2"}, nil, ""},
		{l, "-1:", noDB, []string{"l3", "l2"}, nil, ""},
		{l, "-1:current", []string{"l2"}, []string{"l2", "l1"}, nil, ""},
		{b, "-2:eee555", noDB, []string{"eee555", "ddd444", "ccc333"}, nil, ""},
		{b, "feature@-1:eee555", noDB, []string{"eee555", "ddd444"}, nil, ""},
		{b, "-1:", []string{"ddd444"}, []string{"abc777", "fff666", "eee555", "ddd444", "ccc333"}, nil, ""}, // several heads: from the database
		// past base or a head it stops there
		{l, "-3:current", []string{"l2"}, []string{"l2", "l1"}, nil, ""},
		{l, "-9:l3", noDB, []string{"l3", "l2", "l1"}, nil, ""},
		{l, "l1:+9", []string{"l1"}, []string{"l3", "l2", "l1"}, nil, ""},
		// the lower end must be below the upper end
		{l, "l3:l1", noDB, nil, ErrBadRange, "Requested range l3:l1 does not refer to ancestor/descendant revisions along the same branch"},
		{b, "eee555:abc777", noDB, nil, ErrBadRange, "eee555:abc777"},
		{b, "xyz900:eee555", noDB, nil, ErrBadRange, ""},
		{l, "l2:l2", noDB, []string{"l2"}, nil, ""},
		// label@base: a branch from base lists its own tree only; a branch
		// forking off lists from the fork, as Alembic's branches.rst shows
		{fo, "networking@base:", noDB, []string{"bbbbbbbbbbbb"}, nil, ""},
		{b, "other@base:", noDB, []string{"xyz901", "xyz900"}, nil, ""},
		{dc, "networking@base:", noDB, []string{"2a9510", "29f859", "109ec7", "3cac04"}, nil, ""},
		{dc, "shoppingcart@base:", noDB, []string{"d747a8", "55af2c", "ae1027", "27c6a3", "1975ea"}, nil, ""},
		{dc, "networking@base:1975ea", noDB, nil, ErrBadRange, ""},
		// the upper end brings what it depends on, as Alembic's -r :networking@head
		{dc, ":networking@head", noDB, []string{"2a9510", "55af2c", "ae1027", "29f859", "109ec7", "3cac04", "1975ea"}, nil, ""},
		{dc, "shoppingcart:", noDB, []string{"d747a8", "27c6a3"}, nil, ""},
		{dc, "current:shoppingcart@+1", []string{"27c6a3"}, []string{"d747a8", "27c6a3"}, nil, ""},
		{dc, "current:shoppingcart@+1", []string{"27c6a3", "2a9510"}, nil, ErrBadRange, ""}, // 2a9510 is not below d747a8
		// malformed
		{l, "l1", noDB, nil, ErrBadSpecifier, "A:B"},
		{l, "zz:", noDB, nil, ErrUnknownRevision, ""},
		{l, "current:", []string{"ffffff"}, nil, ErrUnknownRevision, "ffffff"},
		{l, ":current", []string{"ffffff"}, nil, ErrUnknownRevision, "ffffff"},
	}
	for _, tt := range tests {
		read := func() ([]string, error) {
			if reflect.DeepEqual(tt.current, noDB) {
				t.Errorf("History(%q) read the database", tt.rng)
			}
			return tt.current, nil
		}
		revs, err := tt.d.History(tt.rng, read)
		if tt.err != nil {
			if !errors.Is(err, tt.err) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("History(%q) err = %v, want %v saying %q", tt.rng, err, tt.err, tt.msg)
			}
			continue
		}
		if got := ids(revs); err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("History(%q) = %q, %v; want %q", tt.rng, got, err, tt.want)
		}
	}
}

func TestHistoryReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := linear(t).History("current:", func() ([]string, error) { return nil, boom })
	if !errors.Is(err, boom) {
		t.Errorf("History(current:) err = %v, want the read error", err)
	}
}
